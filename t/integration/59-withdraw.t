# Withdrawal (/profile/withdraw; AUTH-6): the page says what happens; a
# wrong password or a missing confirmation deletes nothing; the right
# password deletes the member row with everything hanging off it
# (sessions, tokens, browsers), signs every browser out and leaves audit
# rows that name the member only by id: no personal data in audit_log.
# The member's password holds strings the CRS flags, so the ModSecurity
# exclusion of /profile/withdraw is exercised too.
use v5.36;
use utf8;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use PortalTest qw(:all);

clear_throttle();

{
	my $r = client()->get('/profile/withdraw');
	is($r->code, 303, 'GET /profile/withdraw signed out is 303');
	is($r->location_path, '/login', '... to /login');
	my $p = client()->post_form('/profile/withdraw', { password => 'x', confirm => 1 });
	is($p->code, 403, 'POST signed out is 403');
}

my $pw = "Ww3<script>alert(1)</script>' OR 1=1-- \$(id) $$";
my $m = register_member(password => $pw, password_confirm => $pw);
my $id = $m->{id};
my $a = sign_in($m);
my $b = sign_in($m);
my $audit_first = sql_value("SELECT MIN(id) FROM audit_log WHERE target_id = $id");
# a pending reset link: it must go with the member
request_reset($m->{email});

my $page = $a->get('/profile/withdraw');
is($page->code, 200, 'GET /profile/withdraw is 200') or diag($page->describe);
my $f = $page->form('withdraw-form');
ok($f, 'withdraw-form present');
is($f->{action}, '/profile/withdraw', '... posts to /profile/withdraw');
ok(length($f->{fields}{csrf} // ''), '... with csrf');
is($f->{types}{password}, 'password', '... asks for the password');
ok(!exists $f->{fields}{confirm}, '... the confirmation box is not ticked by default');
like($page->body, qr/name="confirm"[^>]*type="checkbox"|type="checkbox"[^>]*name="confirm"/,
    '... has a confirmation checkbox');
ok(japanese_text($page->text_of('withdraw-effects')), 'the page says what happens, in Japanese');

sub still_there ($what) {
	is(sql_value("SELECT COUNT(*) FROM members WHERE id = $id"), 1, "$what: the member is kept");
	is(session_count($id), 2, "$what: the sessions are kept");
}

# wrong password
{
	my $r = $a->submit($page, 'withdraw-form', { password => $pw . 'x', confirm => 1 });
	ok(!waf_blocked($r), 'the WAF lets the withdraw form through') or diag($r->describe);
	is($r->code, 422, 'wrong password: 422') or diag($r->describe);
	is($r->text_of('err-password'), msg_text('err_password_wrong'), '... err-password');
	ok($r->form('withdraw-form'), '... the form is shown again');
	unlike($r->body, qr/alert\(1\)/, '... the password is not echoed');
	still_there('wrong password');
}

# right password, not confirmed
{
	my $r = $a->submit($page, 'withdraw-form', { password => $pw });
	is($r->code, 422, 'not confirmed: 422') or diag($r->describe);
	is($r->text_of('err-confirm'), msg_text('err_withdraw_confirm'), '... err-confirm');
	still_there('not confirmed');
}

# no csrf
{
	my $r = $a->post_form('/profile/withdraw', { password => $pw, confirm => 1 });
	ok($r->code == 403 || waf_blocked($r), 'without csrf: 403');
	still_there('no csrf');
}

ok(sql_value("SELECT COUNT(*) FROM tokens WHERE member_id = $id") >= 1,
    'the member has tokens before');
ok(sql_value("SELECT COUNT(*) FROM member_browsers WHERE member_id = $id") >= 1,
    'and known browsers')
    if grep { $_ eq 'member_id' } table_columns('member_browsers');
my $nmail = () = mails_to($m->{email});

# withdraw
my $r = $a->submit($page, 'withdraw-form', { password => $pw, confirm => 1 });
is($r->code, 303, 'withdraw: 303') or diag($r->describe);
is($r->location_path, '/login?withdrawn=1', '... to /login?withdrawn=1');
my $ck = $r->set_cookie('__Host-portal');
ok($ck && ($ck->{value} eq '' || ($ck->{attrs}{'max-age'} // 1) <= 0),
    '... the session cookie is cleared');
is(client()->get('/login?withdrawn=1')->text_of('notice'), msg_text('notice_withdrawn'),
    'the login page says goodbye');

is(sql_value("SELECT COUNT(*) FROM members WHERE id = $id"), 0, 'the member row is deleted');
is(session_count($id), 0, 'every session is deleted');
is(sql_value("SELECT COUNT(*) FROM tokens WHERE member_id = $id"), 0, 'tokens deleted');
is(sql_value("SELECT COUNT(*) FROM member_browsers WHERE member_id = $id"), 0,
    'known browsers deleted');
is($b->get('/profile')->location_path, '/login', 'the other browser is signed out');
is($a->get('/profile')->location_path, '/login', 'this browser too');
{
	my $t = try_sign_in($m->{email}, $pw);
	is($t->code, 401, 'sign-in now fails') or diag($t->describe);
}

# a farewell mail
{
	my @mails = mails_to($m->{email});
	my ($mail) = grep { ($_->{subject} // '') eq msg_text('mail_withdrawn_subject') }
	    @mails[$nmail .. $#mails];
	ok($mail, 'a withdrawal mail was sent');
}

# audit: rows for the member remain, with the id only
{
	my @w = sql("SELECT actor_id, result FROM audit_log WHERE action = 'withdraw'"
	    . " AND target_id = $id ORDER BY id");
	ok((grep { $_->[1] eq 'ok' && $_->[0] eq $id } @w), 'withdraw ok is audited by the member id');
	ok((grep { $_->[1] eq 'fail' } @w), '... and the refused attempts as fail');
	my @rows = sql("SELECT CONCAT_WS('|', at, IFNULL(actor_id, ''), actor_role, ip, session_ref,"
	    . " request_id, action, IFNULL(target_id, ''), result, details) FROM audit_log"
	    . " WHERE actor_id = $id OR target_id = $id");
	cmp_ok(scalar @rows, '>=', 5, 'the member\'s audit rows remain (' . scalar(@rows) . ')');
	my $all = join "\n", map { $_->[0] } @rows;
	my ($local) = $m->{email} =~ /\A([^@]+)/;
	my ($name_word) = $m->{name} =~ /(太郎\d+)/;
	my ($kana_word) = $m->{name_kana} =~ /\s(\S+)\z/;
	my %pii = (email => $m->{email}, 'mail local part' => $local, name => $name_word,
	    kana => $kana_word, phone => $m->{phone}, address => $m->{address},
	    password => $pw);
	for my $k (sort keys %pii) {
		unlike($all, qr/\Q$pii{$k}\E/i, "no $k in the audit rows");
	}
}

# an operator or administrator cannot withdraw from this screen
SKIP: {
	my $s = register_member();
	sql("UPDATE members SET role = 'operator' WHERE id = $s->{id}");
	my $c = client();
	my $t = try_sign_in($s->{email}, $s->{password}, $c);
	skip 'an operator signs in through another step now', 4
	    unless $t->code == 303 && $t->location_path eq '/profile';
	# staff must enrol TOTP before any other screen (AUTH-4)
	enrol_totp($c);
	my $p = $c->get('/profile/withdraw');
	ok($p->has_id('withdraw-staff'), 'staff: the page explains who removes the account');
	ok(!$p->form('withdraw-form'), '... and has no form');
	my $x = $c->post_form('/profile/withdraw', [csrf => $p->csrf, password => $s->{password},
	    confirm => 1]);
	is($x->code, 403, '... a POST is refused with 403');
	is(sql_value("SELECT COUNT(*) FROM members WHERE id = $s->{id}"), 1, '... and deletes nothing');
}

done_testing;
