# Security headers on every program page and the session cookie's flags.
use v5.36;
use utf8;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use PortalTest qw(:all);

sub check_headers ($r, $what) {
	my $csp = $r->header('content-security-policy') // '';
	like($csp, qr/(?:\A|;)\s*default-src\s+'self'\s*(?:;|\z)/, "$what: CSP default-src 'self'")
	    or diag("CSP: $csp");
	like($csp, qr/(?:\A|;)\s*frame-ancestors\s+'none'\s*(?:;|\z)/, "$what: CSP frame-ancestors 'none'");
	unlike($csp, qr/'unsafe-inline'|'unsafe-eval'/, "$what: CSP allows no inline or eval script");
	is(uc($r->header('x-frame-options') // ''), 'DENY', "$what: X-Frame-Options DENY");
	is(lc($r->header('x-content-type-options') // ''), 'nosniff', "$what: nosniff");
	is(lc($r->header('referrer-policy') // ''), 'same-origin', "$what: Referrer-Policy same-origin");
	my $hsts = $r->header('strict-transport-security') // '';
	my ($age) = $hsts =~ /max-age\s*=\s*"?(\d+)/i;
	ok(defined $age && $age >= 31536000, "$what: HSTS max-age >= 31536000")
	    or diag("HSTS: $hsts");
	like($r->header('cache-control') // '', qr/(?:\A|,)\s*no-store\s*(?:,|\z)/i,
	    "$what: Cache-Control no-store");
	my @server = $r->header_list('server');
	ok(!@server || (@server == 1 && $server[0] eq 'Apache'),
	    "$what: Server header without version") or diag("Server: @server");
	ok(!defined $r->header('x-powered-by'), "$what: no X-Powered-By");
	like($r->header('content-type') // '', qr{\Atext/html;\s*charset=utf-8\z}i,
	    "$what: text/html; charset=UTF-8");
	like($r->pid // '', qr/\A\d+\z/, "$what: X-Portal-Process (dev) is a pid");
}

my $m = register_member(verify => 0);
my $c = client();

my $r = $c->get('/login');
is($r->code, 200, 'GET /login 200');
check_headers($r, 'GET /login');

# the anonymous session cookie
my $sc = $r->set_cookie('__Host-portal');
ok($sc, 'GET /login sets __Host-portal') or diag(join "\n", $r->header_list('set-cookie'));
sub check_cookie ($sc, $what) {
	return fail("$what: no __Host-portal cookie") unless $sc;
	like($sc->{value}, qr/\A[A-Za-z0-9_-]{43}\z/, "$what: value is 43 base64url chars");
	is($sc->{attrs}{path}, '/', "$what: Path=/");
	ok(exists $sc->{attrs}{secure}, "$what: Secure");
	ok(exists $sc->{attrs}{httponly}, "$what: HttpOnly");
	is(lc($sc->{attrs}{samesite} // ''), 'lax', "$what: SameSite=Lax");
	ok(!exists $sc->{attrs}{domain}, "$what: no Domain (required by __Host-)");
}
check_cookie($sc, 'anonymous cookie');

$r = $c->get('/register');
is($r->code, 200, 'GET /register 200');
check_headers($r, 'GET /register');

$r = $c->get("/verify?token=$m->{token}");
is($r->code, 200, 'GET /verify?token=valid 200');
check_headers($r, 'GET /verify (valid)');

$r = $c->get('/verify?token=' . ('A' x 43));
is($r->code, 400, 'GET /verify?token=unknown 400');
ok($r->has_id('form-error'), '... with form-error');
check_headers($r, 'GET /verify (unknown token)');

$r = $c->get('/verify');
is($r->code, 400, 'GET /verify without token 400');
check_headers($r, 'GET /verify (no token)');

$r = $c->get('/register/sent');
check_headers($r, 'GET /register/sent');

# an error answer of a program: invalid form
my $page = $c->get('/register');
$r = $c->submit($page, 'register-form', new_member_fields(email => 'x'));
is($r->code, 422, 'POST /register invalid 422');
check_headers($r, 'POST /register (422)');

# the signed-in pages
my $a = register_member();
my $sc2;
{
	my $lc = client();
	my $lp = $lc->get('/login');
	my $lr = $lc->submit($lp, 'login-form', { email => $a->{email}, password => $a->{password} });
	is($lr->code, 303, 'sign-in 303');
	check_headers($lr, 'POST /login (303)');
	$sc2 = $lr->set_cookie('__Host-portal');
	check_cookie($sc2, 'cookie set at sign-in');
	ok(!defined $sc2->{attrs}{'max-age'} || $sc2->{attrs}{'max-age'} > 0,
	    'sign-in cookie is not a deletion');

	$r = $lc->get('/profile');
	is($r->code, 200, 'GET /profile 200');
	check_headers($r, 'GET /profile');

	my $lo = $lc->submit($r, 'logout-form');
	is($lo->code, 303, 'POST /logout 303');
	check_headers($lo, 'POST /logout (303)');
	my $del = $lo->set_cookie('__Host-portal');
	ok($del, 'logout sends __Host-portal') or next;
	ok(defined $del->{attrs}{'max-age'} && $del->{attrs}{'max-age'} == 0,
	    '... with Max-Age=0');
	is($del->{attrs}{path}, '/', '... Path=/');
	ok(exists $del->{attrs}{secure}, '... Secure');
}

# non-program answers do not reveal the server version either
for my $p ('/static/portal.css', '/healthz', '/nope') {
	my $res = $c->get($p);
	my @server = $res->header_list('server');
	ok(!@server || (@server == 1 && $server[0] eq 'Apache'),
	    "GET $p: Server header without version") or diag("Server: @server");
	my $hsts = $res->header('strict-transport-security') // '';
	like($hsts, qr/max-age=\d{8,}/, "GET $p: HSTS");
}

done_testing;
