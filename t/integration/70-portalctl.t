# portalctl, the operators' command line, against the dev instance
# (dev.sh ctl): help and usage errors, idempotent migrate, the account
# life cycle (add -> sign in with the printed password -> lock signs out and
# refuses sign-in -> unlock -> delete, which needs --yes) with an audit row
# (actor_role 'system') for every change, and the maintenance switch.
use v5.36;
use utf8;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use PortalTest qw(:all);

my $flag = conf_value('maintenance_flag', "$ROOT/var/maintenance");
ok(!-e $flag, 'no maintenance flag before the test') or BAIL_OUT("$flag exists already");
my $maint_touched = 0;
END {
	if ($maint_touched) {
		my $status = $?;
		portalctl('maintenance', 'off');
		unlink $flag if -e $flag;
		$? = $status;
	}
}

sub ctl_ok ($what, @args) {
	my ($rc, $out, $err) = portalctl(@args);
	is($rc, 0, "portalctl @args: exit 0 ($what)") or diag("stdout: $out\nstderr: $err");
	return ($out, $err);
}

sub ctl_fails ($what, @args) {
	my ($rc, $out, $err) = portalctl(@args);
	isnt($rc, 0, "portalctl @args: exits non-zero ($what)");
	like($err, qr/\S/, '... with a message on stderr') or diag("stdout: $out");
	return ($out, $err);
}

sub audit_max () { sql_value('SELECT COALESCE(MAX(id), 0) FROM audit_log') }

# The audit rows written after $since about member $id.
sub audit_since ($since, $id) {
	return map { { actor_id => $_->[0], actor_role => $_->[1], action => $_->[2],
	    result => $_->[3], target_id => $_->[4] } } sql(
	    "SELECT COALESCE(actor_id, 'NULL'), actor_role, action, result, target_id"
	    . " FROM audit_log WHERE id > $since AND target_id = $id ORDER BY id");
}

sub audited ($since, $id, $action) {
	my @rows = audit_since($since, $id);
	is_deeply([map { "$_->{action}/$_->{result}" } @rows], ["$action/ok"],
	    "... one audit row $action/ok for account $id") or diag(explain(\@rows));
	my $r = $rows[0] // {};
	is($r->{actor_role}, 'system', '... actor_role system');
	is($r->{actor_id}, 'NULL', '... no member as actor');
}

sub member_exists ($id) { sql_value("SELECT COUNT(*) FROM members WHERE id = $id") }

# ---------------------------------------------------------------- help, usage errors
{
	my ($out) = ctl_ok('help', '--help');
	for my $cmd ('migrate', 'user add', 'user list', 'user lock', 'user delete',
	    'maintenance on') {
		like($out, qr/^\s+\Q$cmd\E\b/m, "--help lists $cmd");
	}
	for my $cmd (qw(migrate user maintenance)) {
		my ($o) = ctl_ok("$cmd help", $cmd, '--help');
		like($o, qr/\Ausage: portalctl \Q$cmd\E/, "... $cmd --help shows its usage");
	}
	my ($o, $e) = ctl_fails('no command');
	like($e, qr/usage: portalctl/, '... the usage');
	($o, $e) = ctl_fails('unknown command', "frobnicate$$");
	like($e, qr/unknown command 'frobnicate$$'/, '... naming the command');
	is($o, '', '... and nothing on stdout');
	ctl_fails('unknown user subcommand', 'user', "frob$$");
	ctl_fails('unknown role', 'user', 'list', '--role', 'superuser');
	ctl_fails('invalid address', 'user', 'add', 'not-an-address');
	ctl_fails('unknown account', 'user', 'lock', unique_email('nobody'));
}

# ---------------------------------------------------------------- migrate
{
	my $n0 = sql_value('SELECT COUNT(*) FROM schema_migrations');
	ok($n0 > 0, "schema_migrations has $n0 row(s)");
	ctl_ok('first run', 'migrate');
	my ($out) = ctl_ok('second run', 'migrate');
	like($out, qr/^0 migration\(s\) applied/m, '... the second run applies 0');
	unlike($out, qr/^applying /m, '... and applies no file');
	is(sql_value('SELECT COUNT(*) FROM schema_migrations'), $n0,
	    '... schema_migrations unchanged');
	is(client()->get('/healthz')->code, 200, '... the portal still works (grants re-applied)');
}

# ---------------------------------------------------------------- user add
my $email = unique_email('ctl');
my ($id, $password);
{
	my $a0 = audit_max();
	my ($out) = ctl_ok('add', 'user', 'add', $email);
	my %kv = $out =~ /^(\w+): (.*)$/mg;
	is($kv{email}, $email, 'user add prints email: ADDRESS');
	is($kv{role}, 'member', '... role: member');
	$password = $kv{password};
	like($password // '', qr/\A\S{16,}\z/, '... password: a one-time password (16+ characters)');
	my @list = grep { $_->[3] eq $email } map { [split /\t/] }
	    split /\n/, (ctl_ok('list', 'user', 'list'))[0];
	is(scalar @list, 1, 'user list shows the new account once');
	$id = $list[0] ? $list[0][0] : 0;
	like($id, qr/\A[1-9]\d*\z/, "... with its id ($id)");
	is($list[0] && $list[0][1], 'member', '... role member');
	is($list[0] && $list[0][2], 'active', '... state active');
	is(member_state($id), 'active', 'the account is active in the DB');
	audited($a0, $id, 'user_add');
	like($list[0] && $list[0][4], qr/\A\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?[+-]\d\d:\d\d\z/,
	    '... created shown as ISO 8601 with offset');
}
BAIL_OUT('user add failed: nothing more to test') unless $id && defined $password;
my $member = { email => $email, password => $password, id => $id };

my $generic;
{
	my $r = try_sign_in(unique_email('nobody'), gen_password());
	is($r->code, 401, 'sign-in of an unknown account: 401');
	$generic = $r->text_of('form-error');
	ok(japanese_text($generic), '... the generic message') or diag($r->describe);
}

my $c = eval { sign_in($member) };
ok($c, 'the printed password signs in over HTTPS') or diag($@);
{
	my $p = $c ? $c->get('/profile') : undef;
	is($p && $p->code, 200, '... and /profile is 200');
	is($p && $p->text_of('profile-email'), $email, '... for this account');
}

# the same address again, also in other case
for my $again ($email, uc $email) {
	my $a0 = audit_max();
	ctl_fails('duplicate', 'user', 'add', $again);
	my ($list) = ctl_ok('list', 'user', 'list');
	is(scalar(() = $list =~ /^\d+\t[^\t]*\t[^\t]*\t\Q$email\E\t/gmi), 1,
	    '... still exactly one account with the address');
	is(sql_value("SELECT COUNT(*) FROM audit_log WHERE id > $a0 AND action = 'user_add'"),
	    0, '... no user_add audit row');
}

# user list --role admin
{
	my ($out) = ctl_ok('admins', 'user', 'list', '--role', 'admin');
	my @rows = map { [split /\t/] } split /\n/, $out;
	ok(scalar(grep { $_->[3] eq 'admin@portal.example.jp' } @rows),
	    'user list --role admin includes admin@portal.example.jp');
	is(scalar(grep { $_->[1] ne 'admin' } @rows), 0, '... and only admins');
	unlike($out, qr/\Q$email\E/, '... and not the member');
}

# ---------------------------------------------------------------- lock / unlock
{
	is(session_count($id), 1, 'the account has a session');
	my $a0 = audit_max();
	my ($out) = ctl_ok('lock', 'user', 'lock', $email);
	is(member_state($id), 'locked', 'the account is locked');
	audited($a0, $id, 'user_lock');
	is(session_count($id), 0, '... its sessions are deleted');
	my $r = $c->get('/profile');
	is($r->code, 303, '... the existing session cookie: GET /profile is 303');
	is($r->location_path, '/login', '... to /login');
	$r = try_sign_in($email, $password);
	is($r->code, 401, 'sign-in of the locked account: 401') or diag($r->describe);
	is($r->text_of('form-error'), $generic, '... with the generic message');
	is(session_count($id), 0, '... and no session');

	$a0 = audit_max();
	ctl_ok('unlock', 'user', 'unlock', $email);
	is(member_state($id), 'active', 'the account is active again');
	audited($a0, $id, 'user_unlock');
	$c = eval { sign_in($member) };
	ok($c, '... and signs in with its password') or diag($@);
}

# ---------------------------------------------------------------- delete
{
	is(session_count($id), 1, 'the account has a session before delete');
	my $a0 = audit_max();
	my ($out, $err) = ctl_fails('delete without --yes', 'user', 'delete', $email);
	like($err, qr/--yes/, '... asking for --yes');
	is(member_exists($id), 1, '... the account is still there');
	is(session_count($id), 1, '... with its session');
	is_deeply([audit_since($a0, $id)], [], '... no audit row');
	is($c->get('/profile')->code, 200, '... and the member is still signed in');

	ctl_ok('delete', 'user', 'delete', $email, '--yes');
	is(member_exists($id), 0, 'user delete --yes removes the account');
	audited($a0, $id, 'user_delete');
	is(session_count($id), 0, '... and its sessions');
	is(sql_value("SELECT COUNT(*) FROM tokens WHERE member_id = $id"), 0, '... and its tokens');
	is($c->get('/profile')->code, 303, '... the old session cookie: GET /profile is 303');
	my $r = try_sign_in($email, $password);
	is($r->code, 401, 'sign-in of the deleted account: 401');
	is($r->text_of('form-error'), $generic, '... with the generic message');
	unlike((ctl_ok('list', 'user', 'list'))[0], qr/\Q$email\E/,
	    'user list no longer shows it');
	ctl_fails('delete again', 'user', 'delete', $email, '--yes');
}

# ---------------------------------------------------------------- maintenance
{
	my $msg = "計画停止中です（portalctl 試験 $$）";
	$maint_touched = 1;
	my $a0 = audit_max();
	my ($out) = ctl_ok('on', 'maintenance', 'on', '--message', $msg);
	is(sql_value("SELECT COUNT(*) FROM audit_log WHERE id > $a0"
	    . " AND actor_role = 'system' AND action LIKE 'maintenance%'"), 1,
	    '... an audit row for maintenance on');
	ok(-e $flag, "the flag file $flag exists");
	my $r = client()->get('/login');
	is($r->code, 503, 'maintenance on: GET /login is 503');
	like($r->header('retry-after') // '', qr/\A\d+\z/, '... with Retry-After');
	ok($r->has_id('maintenance'), '... the maintenance page');
	like($r->text_of('maintenance') // '', qr/\Q$msg\E/, '... showing the message')
	    or diag($r->describe);
	($out) = ctl_ok('status', 'maintenance', 'status');
	is($out, "on: $msg\n", 'maintenance status: on and the message');

	($out) = ctl_ok('off', 'maintenance', 'off');
	ok(!-e $flag, '... the flag file is removed');
	$r = client()->get('/login');
	is($r->code, 200, 'maintenance off: GET /login is 200');
	ok(!$r->has_id('maintenance'), '... the normal page');
	($out) = ctl_ok('status', 'maintenance', 'status');
	is($out, "off\n", 'maintenance status: off');

	ctl_ok('on without a message', 'maintenance', 'on');
	is(client()->get('/register')->code, 503, 'maintenance on (no message): /register is 503');
	($out) = ctl_ok('status', 'maintenance', 'status');
	is($out, "on\n", 'maintenance status: on');
	ctl_ok('off', 'maintenance', 'off');
	is(client()->get('/register')->code, 200, 'maintenance off: /register is 200');
	ctl_ok('off twice', 'maintenance', 'off');
	ctl_fails('unknown subcommand', 'maintenance', "sideways$$");
	ok(!-e $flag, 'no flag left');
}

done_testing;
