# Editing the profile: invalid values are refused field by field and change
# nothing; a stale version (someone saved in between) is refused with 409
# and overwrites nothing; /profile needs a session.
use v5.36;
use utf8;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use PortalTest qw(:all);

my $r = client()->get('/profile');
is($r->code, 303, 'GET /profile signed out is 303');
is($r->location_path, '/login', '... to /login');

my $m = register_member();
my $c = sign_in($m);
my $p = $c->get('/profile');
is($p->code, 200, 'GET /profile is 200');
my $orig = $p->form('profile-form')->{fields};

my %bad = (
	name		=> ['', 'あ' x 101, "山田\x{7}太郎"],
	name_kana	=> ['', 'yamada', 'やまだ', 'ア' x 101],
	phone		=> ['', '1234567890', '03-1234-567', '090123456789', '03-1234-abcd'],
	postal_code	=> ['', '1000-001', '100-00011', 'abc-defg'],
	address		=> ['', 'あ' x 201, "東京都\x{1}"],
);
for my $field (sort keys %bad) {
	for my $val (@{$bad{$field}}) {
		my $page = $c->get('/profile');
		my $res = $c->submit($page, 'profile-form', { $field => $val });
		my $show = length $val > 20 ? substr($val, 0, 5) . '... (' . length($val) . ')' : $val;
		$show =~ s/([\x00-\x1f])/sprintf('\\x%02x', ord $1)/ge;
		is($res->code, 422, "POST /profile $field='$show' is 422")
		    or diag($res->describe);
		ok($res->has_id("err-$field"), "... err-$field shown");
		ok(japanese_text($res->text_of("err-$field")), '... with a Japanese message');
		is_deeply([grep { $_ ne "err-$field" } $res->error_ids], [],
		    '... and no error on the other fields');
		ok($res->form('profile-form'), '... form redisplayed');
	}
}
my $now = $c->get('/profile')->form('profile-form')->{fields};
for my $n (qw(name name_kana phone postal_code address version)) {
	is($now->{$n}, $orig->{$n}, "$n unchanged after the refused edits");
}

# several bad fields at once: one message each, the good value kept
{
	my $page = $c->get('/profile');
	my $res = $c->submit($page, 'profile-form',
	    { name => "良い 名前$$", phone => 'x', postal_code => 'y' });
	is($res->code, 422, 'two bad fields: 422');
	is_deeply([$res->error_ids], ['err-phone', 'err-postal_code'],
	    '... err-phone and err-postal_code');
	is($res->form('profile-form')->{fields}{name}, "良い 名前$$",
	    '... the good name is kept in the form');
	is($c->get('/profile')->form('profile-form')->{fields}{name}, $orig->{name},
	    '... and not stored');
}

# stale version: two tabs load the form, the first saves, the second is refused
{
	my $tab1 = $c->get('/profile');
	my $tab2 = $c->get('/profile');
	is($tab1->form('profile-form')->{fields}{version},
	    $tab2->form('profile-form')->{fields}{version}, 'both tabs see the same version');
	my $r1 = $c->submit($tab1, 'profile-form', { address => "先に保存 1-$$" });
	is($r1->code, 303, 'first save 303') or diag($r1->describe);
	my $r2 = $c->submit($tab2, 'profile-form', { address => "後から保存 2-$$" });
	is($r2->code, 409, 'second save with the stale version is 409') or diag($r2->describe);
	ok($r2->has_id('form-error'), '... with form-error');
	ok(japanese_text($r2->text_of('form-error')), '... in Japanese');
	my $cur = $c->get('/profile')->form('profile-form')->{fields};
	is($cur->{address}, "先に保存 1-$$", 'the first save is not overwritten');
}

# another member's session cannot change this profile (its own form only)
{
	my $other = register_member();
	my $oc = sign_in($other);
	my $op = $oc->get('/profile');
	is($op->text_of('profile-email'), $other->{email}, 'the other member sees own mail');
	unlike($op->body, qr/\Q$m->{email}\E/, '... and not ours');
}

done_testing;
