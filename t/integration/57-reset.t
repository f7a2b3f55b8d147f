# Password reset (/reset, /reset/confirm; AUTH-1, AUTH-3, AUTH-6): the
# answer is the same for a known and an unknown address and only a known,
# usable account gets a mail; the link works once, expires, is voided by a
# newer request and is stored only as a hash; the new password must meet
# the policy; a reset ends every session, clears a lock, sends a notice
# and is audited.  The new password holds strings the CRS flags, so the
# ModSecurity exclusion of /reset/confirm is exercised too.
use v5.36;
use utf8;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Digest::SHA qw(sha256_hex);
use Test::More;
use PortalTest qw(:all);

clear_throttle();

# Set a new password through the link; returns the POST's response.
sub confirm ($token, $pw, $pw2 = $pw, $c = client()) {
	my $page = $c->get("/reset/confirm?token=$token");
	$page->code == 200 or return $page;
	return $c->submit($page, 'reset-confirm-form',
	    { new_password => $pw, new_password_confirm => $pw2 });
}

sub token_row ($tok, $col) {
	return sql_value("SELECT $col FROM tokens WHERE token_hash = UNHEX('"
	    . sha256_hex($tok) . "')");
}

# the login page leads here; the form
{
	my $l = client()->get('/login');
	ok($l->has_id('link-reset'), 'the login page links to /reset');
	my $p = client()->get('/reset');
	is($p->code, 200, 'GET /reset is 200');
	my $f = $p->form('reset-form');
	ok($f, 'reset-form present');
	ok(exists $f->{fields}{email} && length($f->{fields}{csrf} // ''),
	    '... with email and csrf');
	my $bad = client();
	my $r = request_reset('not-an-address', $bad);
	is($r->code, 422, 'a malformed address: 422') or diag($r->describe);
	ok($r->has_id('err-email'), '... err-email');
}

my $m = register_member();
my $id = $m->{id};

# known and unknown addresses get the same answer; only the known one mail
{
	my $unknown = unique_email('nobody');
	my $n0 = () = mails_to($m->{email});
	my $ru = request_reset($unknown);
	my $rk = request_reset($m->{email});
	is($ru->code, 303, 'unknown address: 303') or diag($ru->describe);
	is($rk->code, 303, 'known address: 303') or diag($rk->describe);
	is($ru->location_path, '/reset/sent', '... unknown to /reset/sent');
	is($rk->location_path, $ru->location_path, '... known to the same place');
	is(length($rk->raw), length($ru->raw), '... same body length');
	is(join(',', sort map { lc } grep { !/^(?:date|set-cookie|x-portal-process)$/i }
	    keys %{$rk->{headers}}), join(',', sort map { lc } grep
	    { !/^(?:date|set-cookie|x-portal-process)$/i } keys %{$ru->{headers}}),
	    '... same header names');
	my $s = client()->get('/reset/sent');
	is($s->code, 200, 'GET /reset/sent is 200');
	ok(japanese_text($s->text_of('reset-sent')), '... explains in Japanese');
	my $mail = reset_mail($m->{email}, $n0);
	ok($mail, 'the known address got a reset mail') or BAIL_OUT('no reset mail');
	is($mail->{subject}, msg_text('mail_reset_subject'), '... with the reset subject');
	like($mail->{body}, qr/\Q${\ msg_text('mail_reset_expires')}\E\d{4}-\d\d-\d\dT[\d:]{8}[+-]\d\d:\d\d/,
	    '... saying until when the link works');
	sleep 0.5;
	is(scalar(my @u = mails_to($unknown)), 0, 'the unknown address got nothing');
	my $tok = $mail->{reset_token};
	is(token_row($tok, 'purpose'), 'reset', 'the token is stored as its SHA-256 only');
	is(sql_value("SELECT COUNT(*) FROM tokens WHERE token_hash = '$tok'"
	    . " OR HEX(token_hash) = UPPER('$tok')"), 0, '... never as text');
	my $ttl = token_row($tok, 'TIMESTAMPDIFF(SECOND, created_at, expires_at)');
	is($ttl, conf_value('reset_token_ttl', 1800), "... valid reset_token_ttl ($ttl s)");
	ok(sql_value("SELECT COUNT(*) FROM audit_log WHERE action = 'reset_request'"
	    . " AND target_id = $id AND result = 'ok'"), 'the request is audited');
}

# pending, disabled: no mail (same answer)
{
	my $p = register_member(verify => 0);
	my $n = () = mails_to($p->{email});
	my $r = request_reset($p->{email});
	is($r->location_path, '/reset/sent', 'pending member: same answer');
	my $d = register_member();
	sql("UPDATE members SET state = 'disabled' WHERE id = $d->{id}");
	my $nd = () = mails_to($d->{email});
	$r = request_reset($d->{email});
	is($r->location_path, '/reset/sent', 'disabled member: same answer');
	sleep 0.5;
	is(scalar(my @pm = mails_to($p->{email})), $n, '... the pending one got no mail');
	is(scalar(my @dm = mails_to($d->{email})), $nd, '... the disabled one got no mail');
}

# a second request voids the first link
my $n1 = () = mails_to($m->{email});
request_reset($m->{email});
my $t1 = reset_mail($m->{email}, $n1)->{reset_token};
my $n2 = () = mails_to($m->{email});
request_reset($m->{email});
my $t2 = reset_mail($m->{email}, $n2)->{reset_token};
isnt($t1, $t2, 'a second request makes a new link');
{
	my $r = client()->get("/reset/confirm?token=$t1");
	is($r->code, 400, 'the earlier link is void: 400') or diag($r->describe);
	ok($r->has_id('reset-invalid'), '... with the invalid-link page');
	is($r->text_of('form-error'), msg_text('err_reset_invalid'), '... and its message');
	ok(!$r->form('reset-confirm-form'), '... and no form');
}

# malformed and unknown tokens
for my $t ('', 'abc', 'A' x 43, "$t2'--", 'B' x 44) {
	my $r = client()->get('/reset/confirm?token=' . urlencode($t));
	ok($r->code == 400 || waf_blocked($r), "token '$t': 400") or diag($r->describe);
}

# the form of the live link
my $page = client()->get("/reset/confirm?token=$t2");
is($page->code, 200, 'GET /reset/confirm with the live token: 200') or diag($page->describe);
my $f = $page->form('reset-confirm-form');
ok($f, 'reset-confirm-form present');
is($f->{action}, '/reset/confirm', '... posts to /reset/confirm');
is($f->{fields}{token}, $t2, '... the token is a hidden field');
ok(length($f->{fields}{csrf} // ''), '... with csrf');
ok(japanese_text($page->text_of('password-help')), '... the policy is explained');

# the policy is enforced; refusals change nothing and keep the link
my $hash0 = sql_value("SELECT password_hash FROM members WHERE id = $id");
{
	my $r = confirm($t2, 'abc');
	is($r->code, 422, 'new password "abc": 422') or diag($r->describe);
	my $rules = () = $r->body =~ /class="rule"/g;
	cmp_ok($rules, '>=', 2, "... every failed rule listed ($rules)");
	is($r->form('reset-confirm-form')->{fields}{token}, $t2, '... the form keeps the token');
	my ($name_word) = $m->{name} =~ /(太郎\d+)/;
	$r = confirm($t2, "Pp8&${name_word}Kk2*abcd");
	is($r->code, 422, 'new password with the name: 422');
	is($r->text_of('err-new_password'), msg_text('err_password_contains_name'),
	    '... err_password_contains_name');
	$r = confirm($t2, 'Hh4$' . 'y7' x 10, 'Hh4$' . 'y7' x 9);
	is($r->code, 422, 'confirmation differs: 422');
	ok($r->has_id('err-new_password_confirm'), '... err-new_password_confirm');
	is(sql_value("SELECT password_hash FROM members WHERE id = $id"), $hash0, '... hash unchanged');
	ok(!defined token_row($t2, 'used_at') || token_row($t2, 'used_at') eq 'NULL',
	    '... the link is not used up');
}

# a lock (timed, as after too many failures) is cleared by the reset
sql("UPDATE members SET locked_until = UTC_TIMESTAMP() + INTERVAL 1 HOUR, failed_logins = 5"
    . " WHERE id = $id");
{
	my $t = try_sign_in($m->{email}, $m->{password});
	isnt($t->location_path, '/profile', 'while locked, even the right password does not sign in');
}

# sessions before the reset (signed in while not locked)
sql("UPDATE members SET locked_until = NULL, failed_logins = 0 WHERE id = $id");
my $a = sign_in($m);
my $b = sign_in($m);
sql("UPDATE members SET locked_until = UTC_TIMESTAMP() + INTERVAL 1 HOUR, failed_logins = 5"
    . " WHERE id = $id");
is(session_count($id), 2, 'two sessions before the reset');

# success
my $new = "Rr5<script>document.cookie</script>' OR '1'='1 \$(reboot) $$";
my $nmail = () = mails_to($m->{email});
my $r = confirm($t2, $new);
if (waf_blocked($r)) {
	fail('the WAF blocked /reset/confirm with CRS-looking characters in the password');
	done_testing;
	exit;
}
is($r->code, 303, 'reset: 303') or diag($r->describe);
is($r->location_path, '/login?reset=1', '... to /login?reset=1');
is(client()->get('/login?reset=1')->text_of('notice'), msg_text('notice_password_reset'),
    '... the login page says so');
isnt(sql_value("SELECT password_hash FROM members WHERE id = $id"), $hash0, 'the hash changed');
is(session_count($id), 0, 'every session of the member is ended');
is($a->get('/profile')->location_path, '/login', '... the first browser is signed out');
is($b->get('/profile')->location_path, '/login', '... the second too');
is_deeply([sql("SELECT failed_logins, locked_until IS NULL, state FROM members WHERE id = $id")],
    [[0, 1, 'active']], 'the lock is cleared');
ok(token_row($t2, 'used_at') ne 'NULL', 'the token is marked used');

# used once only
{
	my $g = client()->get("/reset/confirm?token=$t2");
	is($g->code, 400, 'the used link: GET 400');
	my $c = client();
	my $form = $c->get('/reset');	# any page with a csrf token
	my $p = $c->post_form('/reset/confirm', [csrf => $form->csrf, token => $t2,
	    new_password => $new . 'Z', new_password_confirm => $new . 'Z']);
	is($p->code, 400, 'the used link: POST 400') or diag($p->describe);
	is(try_sign_in($m->{email}, $new . 'Z')->code, 401, '... the second password was not set');
}

# sign in: old password no, new password yes (the lock is gone)
is(try_sign_in($m->{email}, $m->{password})->code, 401, 'the old password no longer signs in');
{
	my $s = try_sign_in($m->{email}, $new);
	is($s->code, 303, 'the new password signs in') or diag($s->describe);
	is($s->location_path, '/profile', '... to /profile');
}

# notice mail, audit
{
	my @mails = mails_to($m->{email});
	my ($mail) = grep { ($_->{subject} // '') eq msg_text('mail_password_reset_subject') }
	    @mails[$nmail .. $#mails];
	ok($mail, 'a reset notice was mailed');
	like($mail->{body} // '', qr/\d{4}-\d\d-\d\dT[\d:]{8}[+-]\d\d:\d\d/, '... with the time') if $mail;
	unlike($mail->{raw} // '', qr/\Q$new\E/, '... never the password') if $mail;
	my @a = sql("SELECT result, details FROM audit_log WHERE action = 'password_reset'"
	    . " AND target_id = $id ORDER BY id");
	ok((grep { $_->[0] eq 'ok' } @a), 'password_reset ok is audited');
	ok((grep { $_->[0] eq 'fail' } @a), '... and the refused attempts as fail');
	unlike(join('|', map { @$_ } @a), qr/\Q$new\E|\Q$t2\E/, '... without password or token');
}

# expiry: a link past expires_at is refused
{
	my $n = () = mails_to($m->{email});
	request_reset($m->{email});
	my $t3 = reset_mail($m->{email}, $n)->{reset_token};
	is(client()->get("/reset/confirm?token=$t3")->code, 200, 'a fresh link works');
	sql("UPDATE tokens SET expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND"
	    . " WHERE token_hash = UNHEX('" . sha256_hex($t3) . "')");
	is(client()->get("/reset/confirm?token=$t3")->code, 400, 'an expired link: GET 400');
	my $c = client();
	my $form = $c->get('/reset');
	my $p = $c->post_form('/reset/confirm', [csrf => $form->csrf, token => $t3,
	    new_password => $new . 'Q', new_password_confirm => $new . 'Q']);
	is($p->code, 400, 'an expired link: POST 400');
	is(try_sign_in($m->{email}, $new)->code, 303, '... and the password is unchanged');
}

# an administrator lock (state 'locked') is cleared by a reset too
{
	my $l = register_member();
	sql("UPDATE members SET state = 'locked' WHERE id = $l->{id}");
	my $n = () = mails_to($l->{email});
	request_reset($l->{email});
	my $mail = reset_mail($l->{email}, $n);
	ok($mail, 'a locked member gets a reset mail');
	my $pw = gen_password(22);
	my $res = $mail ? confirm($mail->{reset_token}, $pw) : undef;
	is($res && $res->code, 303, '... and can reset');
	is(member_state($l->{id}), 'active', '... which unlocks the account');
	is(try_sign_in($l->{email}, $pw)->location_path, '/profile', '... and signs in');
}

# ---------------------------------------------------------------- flood limit
# At most 5 reset links an hour per member: the sixth request gets the same
# answer but no mail, and the refusal is audited.
{
	my $f = register_member();
	my $n0 = () = mails_to($f->{email});
	for my $i (1 .. 5) {
		my $r = request_reset($f->{email});
		is($r->code, 303, "flood: request $i answered 303");
		ok(reset_mail($f->{email}, $n0 + $i - 1), "flood: request $i mailed");
	}
	my $n5 = () = mails_to($f->{email});
	is($n5 - $n0, 5, 'flood: five mails for five requests');
	my $r = request_reset($f->{email});
	is($r->code, 303, 'flood: the sixth request gets the same 303');
	is($r->location_path, '/reset/sent', '... to the same page');
	sleep 1;
	my $n6 = () = mails_to($f->{email});
	is($n6, $n5, '... and no mail');
	is(sql_value("SELECT COUNT(*) FROM audit_log WHERE target_id = $f->{id}"
	    . " AND action = 'reset_request' AND result = 'ignored'"
	    . " AND details = 'too many requests'"), 1, '... audited as ignored');
}

done_testing;
