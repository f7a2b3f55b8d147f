# The whole member flow over HTTPS: register -> verification mail -> GET
# /verify (activates nothing) -> POST /verify -> sign in -> profile shows the
# data -> edit -> saved notice -> sign out.
use v5.36;
use utf8;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use Encode qw(decode);
use PortalTest qw(:all);

my $f = new_member_fields();
my $c = client();

# ---------------------------------------------------------------- register
my $page = $c->get('/register');
is($page->code, 200, 'GET /register is 200');
my $form = $page->form('register-form');
ok($form, 'register-form present') or BAIL_OUT('no register form: ' . $page->describe);
is($form->{method}, 'post', 'register-form is method=post');
for my $n (qw(email name name_kana phone postal_code address password
    password_confirm csrf)) {
	ok(exists $form->{fields}{$n}, "register-form has field $n");
}
is($form->{types}{csrf}, 'hidden', 'csrf is a hidden field');
like($form->{fields}{csrf} // '', qr/\A\S{16,}\z/, 'csrf token is not empty');
is($form->{types}{password}, 'password', 'password is type=password');

my $count0 = member_count();
my $max0 = max_member_id();
my $r = $c->submit($page, 'register-form', {%$f});
is($r->code, 303, 'POST /register is 303') or diag($r->describe);
is($r->location_path, '/register/sent', '... to /register/sent');
is(member_count(), $count0 + 1, 'one member row stored');
my ($id) = map { $_->[0] } sql("SELECT id FROM members WHERE id > $max0");
ok($id, 'new member id');
is(member_state($id), 'pending', 'new member is pending');

my $sent = $c->get('/register/sent');
is($sent->code, 200, 'GET /register/sent is 200');
ok(japanese_text($sent->body), '... with Japanese text');

# personal data is not stored in clear text
{
	my @cols = table_columns('members');
	my $clear = sql_value("SELECT COUNT(*) FROM members WHERE id = $id AND ("
	    . join(' OR ', map { my $s = $_; map { "INSTR(HEX(`$_`), HEX('$s')) > 0" } @cols }
	        ($f->{email}, $f->{phone}, $f->{password})) . ')');
	is($clear, 0, 'mail, phone and password are not stored in clear text');
}

# ---------------------------------------------------------------- mail
my $mail = latest_mail_to($f->{email});
ok($mail, "verification mail to $f->{email} in var/mail")
    or BAIL_OUT('no mail');
is($mail->{to}, lc $f->{email}, 'To: is the address');
unlike($mail->{raw}, qr/(?<!\r)\n/, 'mail uses CRLF line ends only');
like($mail->{headers}{subject} // '', qr/\A=\?utf-8\?[bq]\?/i,
    'Subject is an RFC 2047 encoded-word');
ok(japanese_text($mail->{subject}), 'Subject decodes to Japanese text')
    or diag($mail->{headers}{subject});
like($mail->{headers}{'content-type'} // '', qr{text/plain;\s*charset="?utf-8"?}i,
    'Content-Type text/plain; charset=UTF-8');
like($mail->{headers}{'content-transfer-encoding'} // '', qr/\A8bit\z/i,
    'Content-Transfer-Encoding 8bit');
ok($mail->{body_valid_utf8}, 'body is valid UTF-8');
ok(japanese_text($mail->{body}), 'body is Japanese text');
like($mail->{token} // '', qr/\A[A-Za-z0-9_-]{43}\z/, 'verify token is base64url, 43 chars');
unlike($mail->{raw}, qr/\Q$f->{password}\E/, 'mail does not contain the password');
my $token = $mail->{token};

# ---------------------------------------------------------------- sign-in before verification
{
	my $lc = client();
	my $lp = $lc->get('/login');
	my $lr = $lc->submit($lp, 'login-form',
	    { email => $f->{email}, password => $f->{password} });
	is($lr->code, 401, 'sign-in before verification is 401') or diag($lr->describe);
	is($lc->get('/profile')->code, 303, '... and gives no session');
}

# ---------------------------------------------------------------- verify
my $v = $c->get("/verify?token=$token");
is($v->code, 200, 'GET /verify?token= is 200');
my $vf = $v->form('verify-form');
ok($vf, 'verify-form present');
is($vf->{fields}{token}, $token, 'verify-form carries the token');
ok(length($vf->{fields}{csrf} // ''), 'verify-form has csrf');
like($v->body, qr/<(?:button|input)\b[^>]*type=["']?submit/i, 'a submit button');
is(member_state($id), 'pending', 'GET /verify activates nothing');
is($c->get("/verify?token=$token")->code, 200, 'a second GET still shows the form');
is(member_state($id), 'pending', '... and still activates nothing');

$r = $c->submit($v, 'verify-form');
is($r->code, 303, 'POST /verify is 303') or diag($r->describe);
is($r->location_path, '/login?verified=1', '... to /login?verified=1');
is(member_state($id), 'active', 'member is active');

$r = $c->submit($v, 'verify-form');
is($r->code, 400, 'a second POST /verify with the same token is 400');
ok($r->has_id('form-error'), '... with form-error');
$r = $c->get("/verify?token=$token");
is($r->code, 400, 'GET /verify with the used token is 400');
ok($r->has_id('form-error'), '... with form-error');

# ---------------------------------------------------------------- sign in
my $lp = $c->get('/login?verified=1');
is($lp->code, 200, 'GET /login?verified=1 is 200');
ok($lp->has_id('notice'), '... shows the notice');
ok(japanese_text($lp->text_of('notice')), '... in Japanese');
my $lf = $lp->form('login-form');
ok($lf, 'login-form present');
is($lf->{method}, 'post', 'login-form is method=post');
ok(exists $lf->{fields}{$_}, "login-form has $_") for qw(email password csrf);

my $anon = $c->session;
$r = $c->submit($lp, 'login-form', { email => $f->{email}, password => $f->{password} });
is($r->code, 303, 'POST /login is 303') or diag($r->describe);
is($r->location_path, '/profile', '... to /profile');
ok($r->set_cookie('__Host-portal'), '... sets the session cookie');
isnt($c->session, $anon, '... with a new value');

$r = $c->get('/');
is($r->code, 303, 'GET / signed in is 303');
is($r->location_path, '/profile', '... to /profile');

# ---------------------------------------------------------------- profile
my $p = $c->get('/profile');
is($p->code, 200, 'GET /profile is 200');
is($p->text_of('profile-email'), $f->{email}, 'profile-email shows the address');
my $pf = $p->form('profile-form');
ok($pf, 'profile-form present') or BAIL_OUT($p->describe);
is($pf->{method}, 'post', 'profile-form is method=post');
for my $n (qw(name name_kana phone postal_code address)) {
	is($pf->{fields}{$n}, $f->{$n}, "profile-form $n holds the registered value");
}
ok(exists $pf->{fields}{version}, 'profile-form has version');
ok(length($pf->{fields}{csrf} // ''), 'profile-form has csrf');
ok($p->form('logout-form'), 'logout-form present');
unlike($p->body, qr/\Q$f->{password}\E/, 'profile page does not show the password');

my %new = (
	name		=> "変更 花子$$",
	name_kana	=> 'ヘンコウ ハナコ',
	phone		=> '03-1234-5678',
	postal_code	=> '5300001',
	address		=> "大阪府大阪市北区梅田1-1-$$",
);
$r = $c->submit($p, 'profile-form', \%new);
is($r->code, 303, 'POST /profile is 303') or diag($r->describe);
is($r->location_path, '/profile?saved=1', '... to /profile?saved=1');
my $saved = $c->get('/profile?saved=1');
is($saved->code, 200, 'GET /profile?saved=1 is 200');
ok($saved->has_id('notice'), '... shows the notice');
ok(japanese_text($saved->text_of('notice')), '... in Japanese');
$pf = $saved->form('profile-form');
for my $n (sort keys %new) {
	is($pf->{fields}{$n}, $new{$n}, "profile $n was changed");
}
is($saved->text_of('profile-email'), $f->{email}, 'mail address unchanged');
isnt($pf->{fields}{version}, $p->form('profile-form')->{fields}{version},
    'version changed with the save');

# the new data survives a new sign-in
{
	my $c2 = sign_in($f);
	my $p2 = $c2->get('/profile');
	is($p2->form('profile-form')->{fields}{name}, $new{name},
	    'new name shown after a new sign-in');
	$c2->submit($p2, 'logout-form');
}

# ---------------------------------------------------------------- logout
my $lo = $c->submit($saved, 'logout-form');
is($lo->code, 303, 'POST /logout is 303') or diag($lo->describe);
is($lo->location_path, '/login', '... to /login');
ok(!defined $c->session, '... and clears the cookie');
$r = $c->get('/profile');
is($r->code, 303, 'GET /profile after logout is 303');
is($r->location_path, '/login', '... to /login');

done_testing;
