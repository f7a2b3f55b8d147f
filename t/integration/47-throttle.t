# Throttling per client address (AUTH-3): throttle_failures failed
# sign-ins from one address within throttle_window seconds, whichever
# accounts they aim at (unknown ones, wrong passwords on several known
# ones, none of which reaches the lockout threshold), make every further
# sign-in from that address answer 429 with Retry-After, even with the
# right password, until the window ends.  Every test signs in from
# 127.0.0.1, so the window is cleared at the start and, always, at the end.
use v5.36;
use utf8;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use PortalTest qw(:all);

my $F = conf_value('throttle_failures', 20);
my $W = conf_value('throttle_window', 600);
my $N = conf_value('lockout_threshold', 5);
$F =~ /\A\d+\z/ && $W =~ /\A\d+\z/ && $N =~ /\A\d+\z/
    or BAIL_OUT("throttle_failures '$F', throttle_window '$W', lockout_threshold '$N'");
$F <= 200 or plan skip_all => "throttle_failures $F: too many sign-ins for a test";

clear_throttle();
END { eval { clear_throttle() } }

sub window () {
	my ($r) = sql("SELECT failures, TIMESTAMPDIFF(SECOND, window_start, UTC_TIMESTAMP(6))"
	    . " FROM login_throttle WHERE ip = '127.0.0.1'");
	return $r ? { failures => $r->[0], age => $r->[1] } : { failures => 0, age => 0 };
}

sub audit_max () { sql_value('SELECT COALESCE(MAX(id), 0) FROM audit_log') }

# the member whose right password is tried at the end, and targets for
# wrong passwords: each gets fewer than lockout_threshold failures
my $m = register_member();
my $per = $N > 1 ? $N - 1 : 0;
my $nknown = $per ? int(($F / 2 + $per - 1) / $per) : 0;
my @known = map { register_member() } 1 .. $nknown;

# ---------------------------------------------------------------- up to the limit
my @kinds;
my $k = 0;
for my $i (1 .. $F) {
	my ($what, $r);
	if ($i % 2 == 0 && $k < $nknown * $per) {
		my $t = $known[int($k / $per)];
		$k++;
		$what = 'wrong password';
		$r = try_sign_in($t->{email}, $t->{password} . 'x');
	} else {
		$what = 'unknown account';
		$r = try_sign_in(unique_email('stuffing'), gen_password());
	}
	push @kinds, $what;
	if ($r->code != 401) {
		fail("failure $i/$F ($what) is 401") or diag($r->describe);
		BAIL_OUT('throttled too early or another answer');
	}
}
pass("$F failed sign-ins from 127.0.0.1 (unknown accounts and wrong passwords) are each 401");
is(window()->{failures}, $F, "login_throttle counts $F failures for 127.0.0.1");
is(scalar(grep { $_->{id} && sql_value("SELECT failed_logins FROM members WHERE id = $_->{id}") >= $N } @known),
    0, 'no single account reached the lockout threshold');

# ---------------------------------------------------------------- throttled
my $a0 = audit_max();
my $c = client();
my $page = $c->get('/login');
is($page->code, 200, 'GET /login still shows the form');
my $anon = $c->session;
my $r = $c->submit($page, 'login-form', { email => $m->{email}, password => $m->{password} });
is($r->code, 429, 'the next sign-in, with the right password: 429') or diag($r->describe);
my $ra = $r->header('retry-after') // '';
like($ra, qr/\A\d+\z/, "... with Retry-After ($ra)");
ok($ra > 0 && $ra <= $W, "... between 1 and throttle_window ($W) seconds");
ok($ra >= $W - window()->{age} - 5, '... the rest of the window');
ok(japanese_text($r->text_of('error-page')), '... a Japanese message')
    or diag($r->describe);
is($r->text_of('error-page') =~ s/\s*\Q${\ msg_text('link_home')}\E\z//r,
    msg_text('err_throttled'), '... the throttling message');
ok(!defined $r->set_cookie('__Host-portal') || $c->session eq ($anon // ''),
    '... no new session cookie');
is(session_count($m->{id}), 0, '... and no session for the member');
is($c->get('/profile')->code, 303, '... /profile still sends to /login');
is(sql_value("SELECT IFNULL(last_login_at, 'NULL') FROM members WHERE id = $m->{id}"), 'NULL',
    '... the member was never signed in');
is(sql_value("SELECT COUNT(*) FROM audit_log WHERE id > $a0 AND action = 'login'"
    . " AND result = 'denied' AND details = 'throttled'"), 1, '... audited as login/denied "throttled"');
is(sql_value("SELECT COUNT(*) FROM audit_log WHERE id > $a0 AND action = 'login'"
    . " AND target_id = $m->{id}"), 0, '... and the password was not checked');

for my $case (['an unknown account', unique_email('nobody'), gen_password()],
    ['a wrong password', $m->{email}, $m->{password} . 'x']) {
	my $x = try_sign_in($case->[1], $case->[2]);
	is($x->code, 429, "$case->[0] while throttled: 429");
}
is(sql_value("SELECT failed_logins FROM members WHERE id = $m->{id}"), 0,
    'a wrong password refused by the throttle does not count against the account');
is(window()->{failures}, $F, 'throttled attempts do not extend the count');

# ---------------------------------------------------------------- the window ends
sql("UPDATE login_throttle SET window_start = window_start - INTERVAL $W SECOND"
    . " WHERE ip = '127.0.0.1'");
{
	my $ok = eval { sign_in($m) };
	ok($ok, 'after the window ended the right password signs in') or diag($@);
	my $x = try_sign_in(unique_email('nobody'), gen_password());
	is($x->code, 401, 'an unknown account is 401 again');
	is(window()->{failures}, 1, '... and a new window counts 1 failure');
	cmp_ok(window()->{age}, '<', 60, '... starting now');
}

clear_throttle();
is(window()->{failures}, 0, 'the window is cleared for the tests that follow');

done_testing;
