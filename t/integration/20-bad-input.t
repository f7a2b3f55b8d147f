# Bad input: per-field errors at registration (form redisplayed, other values
# kept, passwords never echoed, nothing stored), valid boundary values,
# duplicate addresses answered like new ones, body size / encoding /
# parameter-count limits, CSRF and cross-origin refusals on every form, and
# sign-in failures that do not reveal whether an account exists.
use v5.36;
use utf8;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use PortalTest qw(:all);

sub show ($v) {
	my $s = length $v > 24 ? substr($v, 0, 8) . '...(' . length($v) . ' chars)' : $v;
	$s =~ s/([\x00-\x1f])/sprintf('\\x%02x', ord $1)/ge;
	return "'$s'";
}

# ---------------------------------------------------------------- per-field errors
my $count0 = member_count();
my $max0 = max_member_id();

my @cases = (
	[email => ''], [email => 'not-an-address'], [email => 'taro@localhost'],
	[email => 'ta ro@example.jp'], [email => 'taro@@example.jp'],
	[email => ('a' x 65) . '@example.jp'],
	[name => ''], [name => 'あ' x 101], [name => "山田\x{1}太郎"],
	[name => "山田\t太郎"],
	[name_kana => ''], [name_kana => 'yamada'], [name_kana => 'やまだ たろう'],
	[name_kana => '山田'], [name_kana => 'ア' x 101],
	[phone => ''], [phone => '1234567890'], [phone => '03-1234-567'],
	[phone => '090-1234-56789'], [phone => '03-1234-abcd'], [phone => '+81-3-1234-5678'],
	[postal_code => ''], [postal_code => '1000-001'], [postal_code => '100-00011'],
	[postal_code => '10000011'], [postal_code => '１００-０００１'],
	[address => ''], [address => 'あ' x 201], [address => "東京都\x{1}千代田区"],
);
my $pw_base = gen_password();
my @pw_cases = (
	['empty', ''],
	['15 chars', 'Aa1!' . ('x' x 11)],
	['129 chars', 'Aa1!' . ('k' x 125)],
	['no upper case', 'aa1!' . ('z' x 16)],
	['no lower case', 'AA1!' . ('Z' x 16)],
	['no digit', 'Aab!' . ('z' x 16)],
	['no symbol', 'Aa12' . ('z' x 16)],
);

sub try_register ($over) {
	my $c = client();
	my $page = $c->get('/register');
	my $f = new_member_fields();
	my %sent = (%$f, %$over);
	my $r = $c->submit($page, 'register-form', \%sent);
	return ($r, \%sent);
}

for my $case (@cases) {
	my ($field, $val) = @$case;
	my ($r, $sent) = try_register({ $field => $val });
	is($r->code, 422, "register: $field=" . show($val) . ' is 422')
	    or diag($r->describe);
	ok(japanese_text($r->text_of("err-$field")), "... err-$field with a Japanese message");
	is_deeply([grep { $_ ne "err-$field" } $r->error_ids], [],
	    '... no error on the other fields');
	my $form = $r->form('register-form');
	ok($form, '... form redisplayed') or next;
	my @kept = grep { $_ ne $field } qw(email name name_kana phone postal_code address);
	is_deeply({ map { $_ => $form->{fields}{$_} } @kept },
	    { map { $_ => $sent->{$_} } @kept }, '... other values kept');
	is($form->{fields}{password} // '', '', '... password not redisplayed');
	unlike($r->body, qr/\Q$sent->{password}\E/, '... password nowhere in the page');
	like($form->{fields}{csrf} // '', qr/\S/, '... a csrf token for the retry');
}

for my $case (@pw_cases) {
	my ($label, $pw) = @$case;
	my ($r, $sent) = try_register({ password => $pw, password_confirm => $pw });
	is($r->code, 422, "register: password $label is 422") or diag($r->describe);
	ok(japanese_text($r->text_of('err-password')), '... err-password with a Japanese message');
	is_deeply([grep { !/\Aerr-password(?:_confirm)?\z/ } $r->error_ids], [],
	    '... no error on the other fields');
	unlike($r->body, qr/\Q$pw\E/, '... password nowhere in the page') if length $pw;
}

{
	# DESIGN.md: the password must not contain the mail local part
	my $email = unique_email('pwlocal');
	my ($local) = $email =~ /\A([^@]+)/;
	my $pw = "Aa1!$local";
	my ($r) = try_register({ email => $email, password => $pw, password_confirm => $pw });
	is($r->code, 422, 'register: password containing the mail local part is 422')
	    or diag($r->describe);
	ok(japanese_text($r->text_of('err-password')), '... err-password');
}

{
	my ($r, $sent) = try_register({ password_confirm => gen_password() });
	is($r->code, 422, 'register: password_confirm mismatch is 422');
	ok(japanese_text($r->text_of('err-password_confirm')), '... err-password_confirm');
	is_deeply([grep { $_ ne 'err-password_confirm' } $r->error_ids], [],
	    '... no error on the other fields');
	unlike($r->body, qr/\Q$sent->{password_confirm}\E/, '... confirmation not echoed');
	unlike($r->body, qr/\Q$sent->{password}\E/, '... password not echoed');
}

{
	my %all = (email => 'x', name => '', name_kana => 'abc', phone => '1',
	    postal_code => '1', address => '', password => 'short',
	    password_confirm => 'other');
	my ($r) = try_register(\%all);
	is($r->code, 422, 'register: everything wrong is 422');
	is_deeply([$r->error_ids], [sort map { "err-$_" } keys %all],
	    '... one error per field');
}

is(member_count(), $count0, 'no member stored by any refused registration');
is(max_member_id(), $max0, '... (max id unchanged)');

# ---------------------------------------------------------------- valid boundaries
{
	my $pw = 'Aa1!' . join('', map { ('a' .. 'z')[$_ % 26] } 1 .. 124);
	my %edge = (
		name		=> '名' x 100,
		name_kana	=> 'ア' x 100,
		address		=> '東' x 200,
		phone		=> '0' . sprintf('%010d', int rand 1e10),
		postal_code	=> '1000001',
		password	=> $pw,
		password_confirm => $pw,
	);
	my ($r) = try_register(\%edge);
	is($r->code, 303, 'register: longest name/kana/address, 128-char password, '
	    . '11-digit phone without hyphens, 7-digit postal code: 303') or diag($r->describe);
	is(member_count(), $count0 + 1, '... stored');
	my $pw16 = 'Aa1!' . join('', map { ('b' .. 'y')[$_] } 1 .. 12);
	($r) = try_register({ password => $pw16, password_confirm => $pw16,
	    phone => '0312345678', name_kana => 'ヤマダ タロウ' });
	is($r->code, 303, 'register: 16-char password, 10-digit phone, kana with a space: 303')
	    or diag($r->describe);
	is(member_count(), $count0 + 2, '... stored');
}

# ---------------------------------------------------------------- duplicates
{
	my $m = register_member();
	my $n0 = member_count();
	my $fresh = client();
	my ($r1) = try_register({});	# a new address, for comparison
	$n0++;
	is(member_count(), $n0, 'a new address is stored');
	for my $variant ($m->{email}, uc $m->{email}) {
		my ($r) = try_register({ email => $variant });
		is($r->code, $r1->code, "register existing $variant: same status as a new address ("
		    . $r1->code . ')');
		is($r->location_path, $r1->location_path, '... same Location');
		is(member_count(), $n0, '... nothing new stored');
	}
	# the owner's sign-in still works with the original password
	ok(eval { sign_in($m); 1 }, 'the existing member can still sign in') or diag($@);
}

# ---------------------------------------------------------------- size, encoding, count
{
	my $c = client();
	my $page = $c->get('/register');
	my $csrf = $page->csrf;
	my $f = new_member_fields();
	for my $size (70_000, 300_000) {
		my $head = join '&', map { urlencode($_) . '=' . urlencode($f->{$_}) }
		    grep { $_ ne 'address' } sort keys %$f;
		$head = 'csrf=' . urlencode($csrf) . "&$head&address=";
		my $body = $head . ('a' x ($size - length $head));
		is(length $body, $size, "body of $size bytes built");
		my $r = $c->post_raw('/register', $body, allow_599 => 1);
		is($r->code, 413, "POST /register with $size bytes is 413")
		    or diag($r->describe);
	}
	is(client()->get('/healthz')->code, 200, 'the stack still answers after large bodies');

	my $n0 = member_count();
	for my $bad ('%FF', '%C0%AF', '%ED%A0%80', 'abc%E3%81') {
		my $c2 = client();
		my $p2 = $c2->get('/register');
		my $g = new_member_fields();
		my $body = join '&', 'csrf=' . urlencode($p2->csrf),
		    (map { urlencode($_) . '=' . urlencode($g->{$_}) }
		        grep { $_ ne 'name' } sort keys %$g), "name=$bad";
		my $r = $c2->post_raw('/register', $body);
		is($r->code, 400, "POST /register with name=$bad (invalid UTF-8) is 400")
		    or diag($r->describe);
	}
	is(member_count(), $n0, '... nothing stored');

	my $c3 = client();
	my $p3 = $c3->get('/register');
	my $g = new_member_fields();
	my @pairs = (csrf => $p3->csrf, %$g);
	push @pairs, "x$_" => 'y' for 1 .. 65;
	my $r = $c3->post_form('/register', \@pairs);
	is($r->code, 400, 'POST /register with ' . (@pairs / 2) . ' parameters is 400')
	    or diag($r->describe);
	is(member_count(), $n0, '... nothing stored');
}

# ---------------------------------------------------------------- CSRF / origin
# Runs each attack as a fresh submission of the form on $page by $victim,
# checks 403 and that $unchanged->() still holds after it.
(my $plain = $URL) =~ s{\Ahttps:}{http:};	# same host and port, other scheme
sub attacks ($label, $victim, $page, $form_id, $vals, $other_csrf, $unchanged) {
	my @a = (
		['without csrf', { csrf => undef }, {}],
		['with a wrong csrf', { csrf => 'A' x 43 }, {}],
		["with another client's csrf", { csrf => $other_csrf }, {}],
		['from Origin https://evil.example', {}, { origin => 'https://evil.example' }],
		['from Origin null', {}, { origin => 'null' }],
		["from Origin $plain", {}, { origin => $plain }],
		['with Sec-Fetch-Site: cross-site', {},
		    { origin => undef, 'sec-fetch-site' => 'cross-site' }],
	);
	for my $a (@a) {
		my ($name, $over, $hdr) = @$a;
		my $v = ref $vals eq 'CODE' ? $vals->() : $vals;
		my $r = $victim->submit($page, $form_id, { %$v, %$over }, headers => $hdr);
		is($r->code, 403, "$label $name: 403") or diag($r->describe);
		ok($unchanged->(), '... and changed nothing');
	}
}

my $member = register_member();

{	# /login
	my $c = client();
	my $page = $c->get('/login');
	my $anon = $c->session;
	my $other = client()->get('/login')->csrf;
	attacks('POST /login', $c, $page, 'login-form',
	    { email => $member->{email}, password => $member->{password} }, $other,
	    sub { $c->clone->get('/profile')->code == 303 });
	my $ok = $c->submit($page, 'login-form',
	    { email => $member->{email}, password => $member->{password} });
	is($ok->code, 303, 'POST /login with its csrf and no Origin trouble: 303');
}

{	# /register
	my $c = client();
	my $page = $c->get('/register');
	my $other = client()->get('/register')->csrf;
	my $n0 = member_count();
	attacks('POST /register', $c, $page, 'register-form',
	    sub { new_member_fields() }, $other, sub { member_count() == $n0 });
	my $ok = $c->submit($page, 'register-form', new_member_fields());
	is($ok->code, 303, 'POST /register with its csrf: 303');
}

my $other_member = register_member();
my $oc = sign_in($other_member);
my $other_profile_csrf = $oc->get('/profile')->csrf;

{	# /profile
	my $c = sign_in($member);
	my $page = $c->get('/profile');
	my $before = $page->form('profile-form')->{fields};
	attacks('POST /profile', $c, $page, 'profile-form',
	    { name => "攻撃者$$", address => "攻撃 1-$$" }, $other_profile_csrf,
	    sub {
		my $f = $c->get('/profile')->form('profile-form');
		$f && $f->{fields}{name} eq $before->{name}
		    && $f->{fields}{address} eq $before->{address};
	    });
	my $ok = $c->submit($page, 'profile-form', { address => "正規 1-$$" });
	is($ok->code, 303, 'POST /profile with its csrf: 303');
}

{	# /logout
	my $c = sign_in($member);
	my $page = $c->get('/profile');
	attacks('POST /logout', $c, $page, 'logout-form', {}, $other_profile_csrf,
	    sub { $c->get('/profile')->code == 200 });
	my $ok = $c->submit($page, 'logout-form');
	is($ok->code, 303, 'POST /logout with its csrf: 303');
	is($c->get('/profile')->code, 303, '... signed out');
}

{	# /verify
	my $p = register_member(verify => 0);
	my $c = client();
	my $page = $c->get("/verify?token=$p->{token}");
	is($page->code, 200, 'GET /verify for a pending member: 200');
	my $other = client()->get('/login')->csrf;
	attacks('POST /verify', $c, $page, 'verify-form', {}, $other,
	    sub { member_state($p->{id}) eq 'pending' });
	my $ok = $c->submit($page, 'verify-form');
	is($ok->code, 303, 'POST /verify with its csrf: 303');
	is(member_state($p->{id}), 'active', '... active');
}

# ---------------------------------------------------------------- sign-in failures
{
	my $c = client();
	my $page = $c->get('/login');
	my $r = $c->submit($page, 'login-form', { email => '', password => '' });
	is($r->code, 422, 'POST /login with empty fields: 422');
	ok(japanese_text($r->text_of('err-email')), '... err-email');
	ok(japanese_text($r->text_of('err-password')), '... err-password');

	my $victim = register_member();
	$page = $c->get('/login');
	my $unknown = $c->submit($page, 'login-form',
	    { email => unique_email('nobody'), password => gen_password() });
	is($unknown->code, 401, 'unknown account: 401');
	my $m1 = $unknown->text_of('form-error');
	ok(japanese_text($m1), '... form-error in Japanese') or diag($unknown->describe);

	$page = $c->get('/login');
	my $wrong = $c->submit($page, 'login-form',
	    { email => $victim->{email}, password => $victim->{password} . 'x' });
	is($wrong->code, 401, 'wrong password: 401');
	is($wrong->text_of('form-error'), $m1, '... the same message as an unknown account');
	is($c->get('/profile')->code, 303, '... no session');
	unlike($wrong->body, qr/\Q$victim->{password}\E/, '... password not echoed');

	my $pending = register_member(verify => 0);
	$page = $c->get('/login');
	my $pr = $c->submit($page, 'login-form',
	    { email => $pending->{email}, password => $pending->{password} });
	is($pr->code, 401, 'sign-in before verification: 401');
	is($c->get('/profile')->code, 303, '... no session');
	ok(eval { sign_in($victim); 1 }, 'one wrong password does not lock the account out')
	    or diag($@);
}

done_testing;
