# Security notices (AUTH-6) and the last sign-in on the profile page:
# a sign-in from a browser the member has not used before sends a mail
# (when, from which address, which browser, what to do); the same browser
# again does not; the browser is named by a long-lived random cookie whose
# SHA-256 only is stored.  The profile shows the sign-in before the
# current one (JST with offset, address) and the failures in between.
use v5.36;
use utf8;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use Digest::SHA qw(sha256_hex);
use PortalTest qw(:all);

my $COOKIE = '__Host-portal-browser';
my $ISO_JST = qr/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00/;

# New-browser notices among the mails to addr since @$before.
sub notices ($addr, $before) {
	return grep { ($_->{subject} // '') eq msg_text('mail_login_new_browser_subject') }
	    mails_to_since($addr, $before);
}

sub browser_rows ($id) {
	return sql_value("SELECT COUNT(*) FROM member_browsers WHERE member_id = $id");
}

sub logout ($c) {
	my $page = $c->get('/profile');
	my $r = $c->submit($page, 'logout-form');
	is($r->code, 303, 'logout 303') or diag($r->describe);
}

my $m = register_member();
my $id = $m->{id};

# ---------------------------------------------------------------- first sign-in
my @before = mails_to($m->{email});
my $c = client();
my $page = $c->get('/login');
ok(!defined $page->set_cookie($COOKIE), 'GET /login sets no browser cookie');
my $r = $c->submit($page, 'login-form', { email => $m->{email}, password => $m->{password} });
is($r->code, 303, 'first sign-in 303') or BAIL_OUT($r->describe);
my $bc = $r->set_cookie($COOKIE);
ok($bc, "sign-in sets $COOKIE") or BAIL_OUT('no browser cookie: ' . join(' | ',
    map { $_->{raw} } $r->set_cookies));
like($bc->{value}, qr/\A[A-Za-z0-9_-]{43}\z/, '... 43 characters of base64url (256 random bits)');
isnt($bc->{value}, $c->session, '... not the session token');
ok(exists $bc->{attrs}{secure}, '... Secure');
ok(exists $bc->{attrs}{httponly}, '... HttpOnly');
is(lc($bc->{attrs}{samesite} // ''), 'lax', '... SameSite=Lax');
is($bc->{attrs}{path}, '/', '... Path=/');
ok(!exists $bc->{attrs}{domain}, '... no Domain (a __Host- cookie)');
cmp_ok($bc->{attrs}{'max-age'} // 0, '>=', 300 * 86400, '... Max-Age of 300 days or more');
cmp_ok($bc->{attrs}{'max-age'} // 0, '<=', 400 * 86400, '... and at most 400 days');
ok($r->set_cookie('__Host-portal'), '... beside the session cookie (two Set-Cookie headers)');
my $browser = $bc->{value};

is(browser_rows($id), 1, 'one known browser for the member');
is(sql_value("SELECT COUNT(*) FROM member_browsers WHERE member_id = $id"
    . " AND browser_hash = UNHEX(SHA2('$browser', 256))"), 1,
    '... stored as the SHA-256 of the cookie');
is(sql_value("SELECT COUNT(*) FROM member_browsers WHERE INSTR(HEX(browser_hash),"
    . " HEX('$browser')) > 0"), 0, '... the cookie value itself is not stored');

my @n = notices($m->{email}, \@before);
is(scalar @n, 1, 'first sign-in from a new browser: one notice mail') or diag(explain([
    map { $_->{subject} } mails_to_since($m->{email}, \@before)]));
my $mail = $n[0] // { body => '', raw => '', headers => {} };
$mail->{body} =~ s/\r\n/\n/g if defined $mail->{body};	# CRLF on the wire
like($mail->{headers}{subject} // '', qr/\A=\?UTF-8\?B\?/i, '... subject MIME-encoded');
ok(index($mail->{body} // '', msg_text('mail_login_new_browser_body')) >= 0,
    '... body says what happened');
like($mail->{body} // '', qr/\Q${\ msg_text('mail_notice_when')}\E$ISO_JST/,
    '... when, in JST with +09:00');
like($mail->{body} // '', qr/\Q${\ msg_text('mail_notice_from')}\E127\.0\.0\.1$/m,
    '... from 127.0.0.1');
like($mail->{body} // '', qr/\Q${\ msg_text('mail_notice_browser')}\E.*portal-integration-tests/,
    '... which browser (User-Agent)');
ok(index($mail->{body} // '', msg_text('mail_notice_advice')) >= 0,
    '... and what to do if it was not the member');
unlike($mail->{raw}, qr/\Q$browser\E/, '... the browser cookie is not in the mail');
unlike($mail->{raw}, qr/\Q$m->{password}\E/, '... nor the password');
{
	my $when = ($mail->{body} // '') =~ /($ISO_JST)/ ? $1 : '';
	my $db = sql_value("SELECT DATE_FORMAT(CONVERT_TZ(last_login_at, '+00:00',"
	    . " '+09:00'), '%Y-%m-%dT%H:%i') FROM members WHERE id = $id");
	my $dbs = sql_value('SELECT UNIX_TIMESTAMP(last_login_at) FROM members WHERE id = ' . $id);
	ok(length $when && abs(_epoch($when) - $dbs) <= 5,
	    "... the time ($when) is the sign-in's (DB last_login_at $db JST)");
}

# the profile of a first sign-in
$page = $c->get('/profile');
is($page->code, 200, 'GET /profile 200');
ok($page->has_id('last-login'), 'the profile has the last sign-in part (id last-login)');
is($page->text_of('last-login-first'), msg_text('profile_first_login'),
    '... saying this is the first sign-in');
ok(!$page->has_id('last-login-at'), '... and no previous time');
logout($c);

# ---------------------------------------------------------------- the same browser
@before = mails_to($m->{email});
is($c->cookie($COOKIE), $browser, 'the browser keeps its cookie after logout');
$r = try_sign_in($m->{email}, $m->{password}, $c);
is($r->code, 303, 'second sign-in with the same browser cookie: 303') or diag($r->describe);
is(scalar(notices($m->{email}, \@before)), 0, '... no new notice');
is(browser_rows($id), 1, '... still one known browser');
is(($r->set_cookie($COOKIE) // {})->{value}, $browser, '... the cookie is renewed with the same value');

# the profile now shows the previous sign-in
$page = $c->get('/profile');
like($page->text_of('last-login-at') // '', qr/\A$ISO_JST\z/,
    'the profile shows the previous sign-in time in JST with +09:00');
is($page->text_of('last-login-ip'), '127.0.0.1', '... its address');
is($page->text_of('last-login-failures'), '0' . msg_text('unit_times'), '... and 0 failures since');
ok(!$page->has_id('last-login-first'), '... not the first-sign-in text');
ok(!$page->has_id('last-login-warning'), '... and no warning');
{
	my $prev = sql_value("SELECT DATE_FORMAT(CONVERT_TZ(prev_login_at, '+00:00',"
	    . " '+09:00'), '%Y-%m-%dT%H:%i:%s+09:00') FROM members WHERE id = $id");
	is($page->text_of('last-login-at'), $prev, '... the stored previous sign-in ($prev)');
}
logout($c);

# another client that holds only this browser's cookie (same browser, new session)
{
	@before = mails_to($m->{email});
	my $same = client();
	$same->set_cookie_value($COOKIE, $browser);
	$r = try_sign_in($m->{email}, $m->{password}, $same);
	is($r->code, 303, 'sign-in from a client with the known browser cookie: 303');
	is(scalar(notices($m->{email}, \@before)), 0, '... no notice');
	logout($same);
}

# ---------------------------------------------------------------- a fresh browser
@before = mails_to($m->{email});
my $c2 = sign_in($m);
my $browser2 = $c2->cookie($COOKIE);
like($browser2 // '', qr/\A[A-Za-z0-9_-]{43}\z/, 'a fresh browser gets its own cookie');
isnt($browser2, $browser, '... another value');
is(scalar(notices($m->{email}, \@before)), 1, '... and one notice mail');
is(browser_rows($id), 2, 'two known browsers');

# a malformed browser cookie counts as a new browser and is replaced
{
	@before = mails_to($m->{email});
	my $bad = client();
	$bad->set_cookie_value($COOKIE, 'not-a-browser-cookie');
	$r = try_sign_in($m->{email}, $m->{password}, $bad);
	is($r->code, 303, 'sign-in with a malformed browser cookie: 303');
	like(($r->set_cookie($COOKIE) // {})->{value} // '', qr/\A[A-Za-z0-9_-]{43}\z/,
	    '... a new well-formed cookie replaces it');
	is(scalar(notices($m->{email}, \@before)), 1, '... and a notice is sent');
}

# another member in the same browser is new for that member
{
	my $other = register_member();
	my @ob = mails_to($other->{email});
	$r = try_sign_in($other->{email}, $other->{password}, $c);
	is($r->code, 303, 'another member signs in in the first browser: 303');
	is(scalar(notices($other->{email}, \@ob)), 1, '... and gets a notice (new for them)');
	logout($c);
}

# ---------------------------------------------------------------- failures since
{
	for (1 .. 2) {
		my $w = try_sign_in($m->{email}, $m->{password} . 'x');
		is($w->code, 401, 'wrong password 401');
	}
	my $c3 = client();
	$c3->set_cookie_value($COOKIE, $browser);
	sign_in($m, $c3);
	$page = $c3->get('/profile');
	is($page->text_of('last-login-failures'), '2' . msg_text('unit_times'),
	    'the profile counts the 2 failures before this sign-in');
	is($page->text_of('last-login-warning'), msg_text('profile_login_failures_warning'),
	    '... with a warning');
	# the next sign-in shows 0 again
	my $c4 = client();
	$c4->set_cookie_value($COOKIE, $browser);
	sign_in($m, $c4);
	is($c4->get('/profile')->text_of('last-login-failures'), '0' . msg_text('unit_times'),
	    'the next sign-in shows 0 failures since the previous one');
}

# the page shows nothing of another member
{
	my $x = register_member();
	my $xc = sign_in($x);
	my $p = $xc->get('/profile');
	is($p->text_of('last-login-first'), msg_text('profile_first_login'),
	    "a new member's first sign-in shows the first-sign-in text, not another's history");
}

done_testing;

# "2026-01-02T03:04:05+09:00" to epoch seconds.
sub _epoch ($s) {
	my ($y, $mo, $d, $h, $mi, $se) = $s =~ /(\d+)-(\d+)-(\d+)T(\d+):(\d+):(\d+)/ or return 0;
	require Time::Local;
	return Time::Local::timegm($se, $mi, $h, $d, $mo - 1, $y) - 9 * 3600;
}
