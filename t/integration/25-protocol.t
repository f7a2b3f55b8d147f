# HTTP protocol edge cases: HEAD, methods a route does not have, request
# bodies that are not a form, too many and too large cookies, broken
# %-escapes in the query string, path traversal, and the small pages
# (/login?verified=1, /register/sent).
#
# With ModSecurity on (the default stack) the CRS may refuse some of these
# requests first (403 without X-Portal-Process); that is accepted only where
# noted.  With PORTAL_WAF=off (PORTAL_EXPECT_WAF=off) every request must be
# answered by the program itself (X-Portal-Process present).
use v5.36;
use utf8;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use PortalTest qw(:all);

my $max_params = conf_value('max_params', 64);

# The program answered (dev header) with this status, or, where allowed and
# the WAF is on, ModSecurity refused it first.
sub program_or_waf ($r, $status, $what) {
	if (waf_blocked($r)) {
		ok(!waf_off(), "$what: refused by ModSecurity (403), allowed with the WAF on")
		    or diag($r->describe);
		return 0;
	}
	is($r->code, $status, "$what: $status") or diag($r->describe);
	like($r->pid // '', qr/\A\d+\z/, '... answered by the program (X-Portal-Process)');
	ok(japanese_text($r->body), '... with a Japanese error page');
	return 1;
}

sub no_session ($c, $what) {
	is($c->clone->get('/profile')->code, 303, "$what: ... and gives no session");
}

my $m = register_member();

# ---------------------------------------------------------------- HEAD
{
	my $get = client()->get('/login');
	is($get->code, 200, 'GET /login 200');
	my $c = client();
	my $r = $c->request('HEAD', '/login');
	is($r->code, 200, 'HEAD /login is 200');
	is(length $r->raw, 0, '... with an empty body');
	like($r->header('content-type') // '', qr{\Atext/html;\s*charset=utf-8\z}i,
	    '... Content-Type text/html; charset=utf-8');
	is($r->header('content-length'), length($get->raw),
	    '... Content-Length of the GET body (' . length($get->raw) . ')');
	like($r->header('content-security-policy') // '', qr/default-src 'self'/, '... CSP');
	is($r->header('x-frame-options'), 'DENY', '... X-Frame-Options');
	like($r->header('cache-control') // '', qr/no-store/, '... Cache-Control no-store');
	like($r->pid // '', qr/\A\d+\z/, '... from the program');
	my $sc = $r->set_cookie('__Host-portal');
	like($sc ? $sc->{value} : '', qr/\A[A-Za-z0-9_-]{43}\z/, '... the anonymous cookie');

	$r = client()->request('HEAD', '/profile');
	is($r->code, 303, 'HEAD /profile signed out is 303');
	is($r->location_path, '/login', '... to /login');
	is(length $r->raw, 0, '... with an empty body');

	my $s = sign_in($m);
	$r = $s->request('HEAD', '/profile');
	is($r->code, 200, 'HEAD /profile signed in is 200');
	is(length $r->raw, 0, '... with an empty body (no personal data)');
	cmp_ok($r->header('content-length') // 0, '>', 0, '... Content-Length of the page');

	$r = client()->request('HEAD', '/register/sent');
	is($r->code, 200, 'HEAD /register/sent is 200');
	is(length $r->raw, 0, '... with an empty body');
}

# ---------------------------------------------------------------- methods
{
	my $c = client();
	my $page = $c->get('/login');
	my $body = join '&', 'csrf=' . urlencode($page->csrf),
	    'email=' . urlencode($m->{email}), 'password=' . urlencode($m->{password});
	for my $method (qw(PUT DELETE OPTIONS)) {
		my $r = $c->request($method, '/login', content => $body, headers => {
		    'content-type' => 'application/x-www-form-urlencoded',
		    origin => $URL });
		if (program_or_waf($r, 405, "$method /login")) {
			like($r->header('allow') // '', qr/\bGET\b.*\bPOST\b|\bPOST\b.*\bGET\b/,
			    '... Allow lists GET and POST');
		}
		no_session($c, "$method /login with good credentials");
	}
	my $r = client()->request('TRACE', '/login', headers => { 'x-echo' => "echo-$$" });
	ok($r->code == 405 || $r->code == 403, 'TRACE /login is refused (405/403)')
	    or diag($r->describe);
	unlike($r->raw, qr/echo-$$/, '... nothing of the request is echoed');
	$r = client()->request('PATCH', '/profile', content => 'x=1');
	ok($r->code == 405 || waf_blocked($r), 'PATCH /profile is refused (405 or WAF 403)')
	    or diag($r->describe);
	ok(!waf_blocked($r) || !waf_off(), '... by the program when the WAF is off');
}

# ---------------------------------------------------------------- body types
{
	my $c = client();
	my $page = $c->get('/login');
	my $json = sprintf('{"csrf":"%s","email":"%s","password":"%s"}',
	    $page->csrf, $m->{email}, $m->{password});
	my $r = $c->post_raw('/login', $json, headers => { 'content-type' => 'application/json' });
	program_or_waf($r, 415, 'POST /login as application/json');
	no_session($c, 'POST /login as application/json');

	# a Content-Type that only starts like a form's
	my $form = join '&', 'csrf=' . urlencode($page->csrf),
	    'email=' . urlencode($m->{email}), 'password=' . urlencode($m->{password});
	for my $ct ('application/x-www-form-urlencodedx', 'text/plain') {
		$r = $c->post_raw('/login', $form, headers => { 'content-type' => $ct });
		program_or_waf($r, 415, "POST /login as $ct");
		no_session($c, "POST /login as $ct");
	}
	# the same body as a form signs in (the refusals above were about the type)
	$r = $c->post_raw('/login', $form);
	is($r->code, 303, 'the same body as application/x-www-form-urlencoded signs in')
	    or diag($r->describe);
}

# ---------------------------------------------------------------- cookies
{
	my @jar = map { "c$_=v$_" } 1 .. 100;
	my $r = client()->get('/login', headers => { cookie => join '; ', @jar });
	is($r->code, 400, 'GET /login with 100 cookies is 400') or diag($r->describe);
	ok(defined $r->pid, '... refused by the program (not a proxy or Apache limit)');
	$r = client()->get('/login', headers => { cookie => join '; ', @jar[0 .. $max_params - 1] });
	is($r->code, 200, "GET /login with $max_params cookies (max_params) is 200")
	    or diag($r->describe);
	$r = client()->get('/login', headers => { cookie => join '; ', @jar[0 .. $max_params] });
	is($r->code, 400, 'GET /login with ' . ($max_params + 1) . ' cookies is 400')
	    or diag($r->describe);

	# a signed-in session buried among too many cookies is not used
	my $s = sign_in($m);
	$r = $s->get('/profile', headers => { cookie => join '; ',
	    "__Host-portal=" . $s->session, @jar });
	is($r->code, 400, 'signed-in cookie among 100 others: GET /profile is 400');
	unlike($r->body, qr/\Q$m->{email}\E/, '... and shows no personal data');
	is($s->get('/profile')->code, 200, '... the session itself still works');

	my $big = 'a' x 10240;
	$r = client()->get('/login', headers => { cookie => "x=$big" }, allow_599 => 1);
	is($r->code, 400, 'a 10 KB cookie value is refused with 400 (program or Apache limit)')
	    or diag($r->describe);
	$r = client()->get('/profile', headers => { cookie => '__Host-portal=' . ('A' x 10240) },
	    allow_599 => 1);
	is($r->code, 400, 'a 10 KB __Host-portal value is refused with 400') or diag($r->describe);
	is(client()->get('/healthz')->code, 200, 'the stack still answers after the large cookies');
}

# ---------------------------------------------------------------- query strings
for my $q ('x=%ZZ', 'verified=%', 'verified=%4', 'x=%G1&verified=1', '%zz=1') {
	my $r = client()->get("/login?$q");
	is($r->code, 400, "GET /login?$q (invalid %-escape) is 400") or diag($r->describe);
	ok(defined $r->pid, '... answered by the program');
	ok(!$r->form('login-form'), '... not the sign-in page');
}
for my $q ('x=%FF', 'x=%C0%AF', 'x=a%00b') {
	my $r = client()->get("/register?$q");
	if (waf_blocked($r) && !waf_off()) {
		pass("GET /register?$q refused by ModSecurity (403)");
		next;
	}
	is($r->code, 400, "GET /register?$q (invalid UTF-8 or NUL) is 400") or diag($r->describe);
	ok(defined $r->pid, '... answered by the program');
}

# ---------------------------------------------------------------- paths
{
	my $dbpass = do { local (@ARGV, $/) = ("$ROOT/var/keys/db.pass"); <> } // "\0none";
	chomp $dbpass;
	(my $root_rel = $ROOT) =~ s{\A/}{};
	for my $p ('/profile/../login', '/%2e%2e/etc/passwd', '/static/../../../../etc/passwd',
	    '/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/static/..%2f..%2f..%2fetc/passwd',
	    '/login/..%2f..%2f..%2f..%2fetc/passwd', '/static/%2e%2e/%2e%2e/sql/001-init.sql',
	    "/%2e%2e/%2e%2e/%2e%2e/$root_rel/var/keys/db.pass", '/static/..%5c..%5cetc%5cpasswd',
	    '/register/../../var/portal.conf') {
		my $r = client()->get($p);
		ok($r->code == 400 || $r->code == 403 || $r->code == 404,
		    "GET $p is 400/403/404 (got " . $r->code . ')') or diag($r->describe);
		unlike($r->raw, qr/root:.*:0:0:|CREATE TABLE|db_password_file|\Q$dbpass\E/,
		    '... and carries no file content');
		ok(!$r->form('login-form'), '... and is not a program page reached by traversal');
	}
}

# ---------------------------------------------------------------- small pages
{
	my $r = client()->get('/login?verified=1');
	is($r->code, 200, 'GET /login?verified=1 is 200');
	ok($r->has_id('notice'), '... shows the notice');
	ok(japanese_text($r->text_of('notice')), '... in Japanese');
	ok($r->form('login-form'), '... above the sign-in form');
	for my $q ('', '?verified=0', '?verified=yes') {
		my $o = client()->get("/login$q");
		is($o->code, 200, "GET /login$q is 200");
		ok(!$o->has_id('notice'), '... without the notice');
	}
	$r = client()->get('/register/sent');
	is($r->code, 200, 'GET /register/sent is 200');
	ok(japanese_text($r->body), '... a Japanese page');
	ok(!$r->form('register-form'), '... not the form');
}

done_testing;
