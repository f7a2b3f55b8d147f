# MariaDB stopped: every screen answers a clean 503 with Retry-After (no
# internals in the body), /healthz is 503; after the DB is started again the
# programs recover by themselves (no Apache restart) within 30 seconds.
use v5.36;
use utf8;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use Time::HiRes qw(time sleep);
use PortalTest qw(:all);

my $m = register_member();
my $c = sign_in($m);
is($c->get('/profile')->code, 200, 'signed in before the DB stops');
my $lc = client();
my $lp = $lc->get('/login');
my $pending = register_member(verify => 0);

my $stopped = 0;
END {
	# start the DB again whatever happened above (retried: dev.sh may be
	# busy); keeps the test's exit status
	my $status = $?;
	for my $try (1 .. 3) {
		last unless $stopped;
		my ($rc, $out) = dev_sh('db', 'start');
		if ($rc == 0) { $stopped = 0; last }
		print STDERR "# END: dev.sh db start exited $rc (try $try)\n$out";
		sleep 2;
	}
	$? = $status || ($stopped ? 1 : 0);
}

my ($rc, $out) = dev_sh('db', 'stop');
$stopped = 1;
is($rc, 0, 'dev.sh db stop') or diag($out);

my $internals = qr/SELECT|INSERT|UPDATE\s|mysql|mariadb|errno|Can't connect|socket|\.c:\d+|Traceback|segfault|stack/i;
my @screens = (
	['GET /login', sub { client()->get('/login') }],
	['GET /register', sub { client()->get('/register') }],
	['GET /profile (signed in)', sub { $c->clone->get('/profile') }],
	['GET / (signed in)', sub { $c->clone->get('/') }],
	['GET /verify', sub { client()->get("/verify?token=$pending->{token}") }],
	['POST /login', sub { $lc->clone->submit($lp, 'login-form',
	    { email => $m->{email}, password => $m->{password} }) }],
);
for my $s (@screens) {
	my ($what, $do) = @$s;
	my $t0 = time;
	my $r = $do->();
	is($r->code, 503, "DB down: $what is 503") or diag($r->describe);
	like($r->header('retry-after') // '', qr/\A\d+\z|GMT\z/, '... with Retry-After');
	unlike($r->body, $internals, '... no internals in the page') or diag($r->describe);
	ok(japanese_text($r->body), '... a Japanese page');
	ok(time - $t0 < 15, sprintf('... answered in %.1f s', time - $t0));
}
my $h = client()->get('/healthz');
is($h->code, 503, 'DB down: /healthz is 503');
unlike($h->body, $internals, '... no internals');
is(client()->get('/static/portal.css')->code, 200, 'static files still served');

($rc, $out) = dev_sh('db', 'start');
is($rc, 0, 'dev.sh db start') or diag($out);
$stopped = 0 if $rc == 0;

my $t0 = time;
my $code = 0;
while (time - $t0 < 30) {
	$code = client()->get('/login')->code;
	last if $code == 200;
	sleep 0.25;
}
is($code, 200, sprintf('GET /login is 200 again after %.1f s', time - $t0));
my $p = $c->get('/profile');
is($p->code, 200, 'the signed-in profile works again (no Apache restart)');
is($p->text_of('profile-email'), $m->{email}, '... with the member\'s data');
is(client()->get('/healthz')->code, 200, '/healthz is 200 again');
ok(eval { sign_in($m); 1 }, 'a new sign-in works') or diag($@);
my $r = $lc->submit($lp, 'login-form', { email => $m->{email}, password => $m->{password} });
isnt($r->code, 500, 'the form loaded before the outage does not cause a 500');

done_testing;
