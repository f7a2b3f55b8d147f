# portalctl retention (AUTH-5): unverified registrations older than
# pending_ttl are deleted (with their verification links), and so are
# sessions past the longest timeouts, throttling rows whose window ended
# and one-time tokens a week after they expired; fresh registrations,
# active members and live sessions stay.  Counts are printed and one audit
# row without personal data records the run.
use v5.36;
use utf8;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use PortalTest qw(:all);

my $ttl = conf_value('pending_ttl', 604800);
my $idle = conf_value('session_idle', 1800);
my $aidle = conf_value('admin_session_idle', 900);
my $window = conf_value('throttle_window', 600);
my $maxidle = $idle > $aidle ? $idle : $aidle;
my @ips = ('192.0.2.75', '192.0.2.76');	# TEST-NET-1, no real client
END { eval { sql("DELETE FROM login_throttle WHERE ip IN ('$ips[0]', '$ips[1]')") } }

sub exists_member ($id) { sql_value("SELECT COUNT(*) FROM members WHERE id = $id") }

# --help
{
	my ($rc, $out) = portalctl('retention', '--help');
	is($rc, 0, 'portalctl retention --help: exit 0');
	like($out, qr/pending_ttl/, '... names pending_ttl');
	my ($rc2, $o2, $err) = portalctl('retention', 'extra');
	isnt($rc2, 0, 'portalctl retention with an argument: non-zero exit');
	like($err, qr/retention/, '... with a message');
}

# ---------------------------------------------------------------- set-up
my $old = register_member(verify => 0);
my $fresh = register_member(verify => 0);
my $active = register_member();
my $oldactive = register_member();
my $age = $ttl + 3600;
sql("UPDATE members SET created_at = UTC_TIMESTAMP(6) - INTERVAL $age SECOND"
    . " WHERE id IN ($old->{id}, $oldactive->{id})");
is(sql_value("SELECT COUNT(*) FROM tokens WHERE member_id = $old->{id}"), 1,
    'the old registration has its verification token');

# sessions: one idle past every timeout, one live
my $stale = sign_in($active);
my $live = sign_in($active);
sql("UPDATE sessions SET last_seen = UTC_TIMESTAMP(6) - INTERVAL " . ($maxidle + 600)
    . " SECOND WHERE " . session_where($stale->session));
is(session_count($active->{id}), 2, 'the active member has two sessions (one stale)');

# tokens: the used verification token of the active member, expired 8 days ago
sql("UPDATE tokens SET expires_at = UTC_TIMESTAMP(6) - INTERVAL 8 DAY WHERE member_id = $active->{id}");
is(sql_value("SELECT COUNT(*) FROM tokens WHERE member_id = $active->{id}"), 1,
    'the active member has a long-expired token');

# throttling rows: one whose window ended long ago, one current
sql("INSERT INTO login_throttle (ip, window_start, failures) VALUES"
    . " ('$ips[0]', UTC_TIMESTAMP(6) - INTERVAL " . ($window + 60) . " SECOND, 3),"
    . " ('$ips[1]', UTC_TIMESTAMP(6), 2)"
    . " ON DUPLICATE KEY UPDATE window_start = VALUES(window_start), failures = VALUES(failures)");

my $a0 = sql_value('SELECT COALESCE(MAX(id), 0) FROM audit_log');

# ---------------------------------------------------------------- run
my ($rc, $out, $err) = portalctl('retention');
is($rc, 0, 'portalctl retention: exit 0') or diag($err);
my %n;
$n{pending} = $1 if $out =~ /^unverified registrations deleted:\s+(\d+)$/m;
$n{sessions} = $1 if $out =~ /^expired sessions deleted:\s+(\d+)$/m;
$n{throttle} = $1 if $out =~ /^throttling rows deleted:\s+(\d+)$/m;
$n{tokens} = $1 if $out =~ /^expired tokens deleted:\s+(\d+)$/m;
for my $k (qw(pending sessions throttle tokens)) {
	ok(defined $n{$k} && $n{$k} >= 1, "prints the count of $k deleted (" . ($n{$k} // 'none') . ')')
	    or diag($out);
}

is(exists_member($old->{id}), 0, 'the unverified registration older than pending_ttl is deleted');
is(sql_value("SELECT COUNT(*) FROM tokens WHERE member_id = $old->{id}"), 0, '... with its token');
is(exists_member($fresh->{id}), 1, 'a fresh unverified registration stays');
is(member_state($fresh->{id}), 'pending', '... still pending');
is(exists_member($oldactive->{id}), 1, 'an old but verified member stays');
is(exists_member($active->{id}), 1, 'the active member stays');

is(session_rows_for_token($stale->session), 0, 'the stale session is deleted');
is(session_rows_for_token($live->session), 1, 'the live session stays');
is($live->get('/profile')->code, 200, '... and still works');

is(sql_value("SELECT COUNT(*) FROM tokens WHERE member_id = $active->{id}"), 0,
    'the token expired 8 days ago is deleted');
is(sql_value("SELECT COUNT(*) FROM tokens WHERE member_id = $fresh->{id}"), 1,
    'the fresh registration keeps its verification token');

is(sql_value("SELECT COUNT(*) FROM login_throttle WHERE ip = '$ips[0]'"), 0,
    'the throttling row of an ended window is deleted');
is(sql_value("SELECT COUNT(*) FROM login_throttle WHERE ip = '$ips[1]'"), 1,
    'the current one stays');

# the old verification link no longer works; the fresh one still does
{
	my $c = client();
	my $v = $c->get('/verify?token=' . $old->{token});
	ok($v->code != 200 || !$v->form('verify-form'), 'the deleted registration\'s link shows no confirm form');
	$v = $c->get('/verify?token=' . $fresh->{token});
	ok($v->code == 200 && $v->form('verify-form'), 'the fresh registration\'s link still works');
}

# one audit row, counts only
{
	my @rows = sql("SELECT actor_role, target_id IS NULL, result, details FROM audit_log"
	    . " WHERE id > $a0 AND action = 'retention'");
	is(scalar @rows, 1, 'one audit row action retention');
	my ($role, $notarget, $result, $details) = @{$rows[0] // []};
	is($role, 'system', '... actor_role system');
	is($result, 'ok', '... result ok');
	is($notarget, 1, '... no target');
	like($details // '', qr/pending=\d+ sessions=\d+ throttle=\d+ tokens=\d+/, "... with the counts ($details)");
	for my $p ($old->{email}, $old->{name}, $old->{phone}) {
		unlike($details // '', qr/\Q$p\E/, '... and no personal data');
	}
}

# a second run right after deletes nothing of ours
{
	my ($rc2, $out2) = portalctl('retention');
	is($rc2, 0, 'a second run: exit 0');
	is(exists_member($fresh->{id}), 1, '... the fresh registration is still there');
	is(session_rows_for_token($live->session), 1, '... and the live session');
}

done_testing;
