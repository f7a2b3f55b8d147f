# TOTP (AUTH-4): enrolment at /profile/mfa (QR code, base32 secret, a
# confirming code, recovery codes shown once), the two-step sign-in at
# /login/mfa (the session is not signed in before the code; each time
# step is accepted once; wrong codes are limited and then count as a
# failed sign-in; recovery codes work once), turning TOTP off needs the
# password, and administrators must enrol before anything else.
use v5.36;
use utf8;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use PortalTest qw(:all);

clear_throttle();

sub totp ($key, $step) { totp_code($key, $step) }
sub step_now () { int(time() / 30) }

sub totp_row ($id) {
	my @r = sql("SELECT totp_enabled, totp_last_step, totp_failures, failed_logins "
	    . "FROM members WHERE id = $id");
	return @{$r[0]};
}

# Password step: returns the response of POST /login.
sub password_step ($m, $c = undef) { try_sign_in($m->{email}, $m->{password}, $c) }

# ---------------------------------------------------------------- enrol
my $m = register_member();
my $c = sign_in($m);
my $key;
my @codes;
{
	my $p = $c->get('/profile');
	ok($p->has_id('link-mfa'), 'the profile links to /profile/mfa');
	my $r = $c->get('/profile/mfa');
	is($r->code, 200, 'GET /profile/mfa is 200') or diag($r->describe);
	ok($r->form('mfa-enable-form'), '... TOTP is off: the enable form');
	is($c->get('/profile/mfa/qr')->code, 404, 'no QR code before enabling');
	my $e = $c->submit($r, 'mfa-enable-form');
	is($e->code, 200, 'enable: 200') or diag($e->describe);
	my $secret = $e->text_of('totp-secret') // '';
	like($secret, qr/\A[A-Z2-7]{32}\z/, '... the secret in base32');
	ok($e->form('mfa-confirm-form'), '... and the confirm form');
	my $q = $c->get('/profile/mfa/qr');
	is($q->code, 200, 'the QR code is served');
	like($q->header('content-type') // '', qr{\Aimage/svg\+xml}, '... as SVG');
	like($q->raw, qr/<svg/, '... an SVG image');
	$key = b32_decode($secret);
	is(length $key, 20, '... a 160-bit secret');
	my @row = totp_row($m->{id});
	is($row[0], 0, '... not enabled yet');
	my $enc = sql_value("SELECT HEX(totp_enc) FROM members WHERE id = $m->{id}");
	unlike($enc, qr/\Q${\ unpack('H*', $key)}\E/i, '... stored encrypted');

	my $bad = $c->submit($e, 'mfa-confirm-form',
	    { code => sprintf('%06d', (totp($key, step_now()) + 1) % 1_000_000) });
	is($bad->code, 422, 'a wrong code is refused: 422') or diag($bad->describe);
	ok($bad->has_id('err-code'), '... with a field error');
	is((totp_row($m->{id}))[0], 0, '... TOTP stays off');
	is($bad->text_of('totp-secret'), $secret, '... the same secret is shown again');

	my $ok = $c->submit($bad, 'mfa-confirm-form', { code => totp($key, step_now()) });
	is($ok->code, 200, 'the current code enables TOTP') or diag($ok->describe);
	@codes = map { html_decode($_) } $ok->body =~ m{<li class="recovery-code"><code>([^<]+)</code>}g;
	ok($ok->has_id('recovery-codes'), '... recovery codes are shown');
	is(scalar @codes, 10, '... ten of them');
	like($codes[0] // '', qr/\A[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}\z/, '... XXXXX-XXXXX');
	is((totp_row($m->{id}))[0], 1, '... enabled in the database');
	is(sql_value("SELECT COUNT(*) FROM recovery_codes WHERE member_id = $m->{id}"), 10,
	    '... ten hashed rows stored');
	my $found = sql_value("SELECT COUNT(*) FROM recovery_codes WHERE member_id = $m->{id} "
	    . "AND code_hash = UNHEX('" . unpack('H*', $codes[0] =~ s/-//r) . "')");
	is($found, 0, '... not in clear');
	my $mail = latest_mail_to($m->{email});
	ok($mail && $mail->{subject} =~ /2段階認証が有効/, 'a notice mail "totp_on"')
	    or diag($mail ? $mail->{subject} : 'no mail');
	my $v = $c->get('/profile/mfa');
	ok($v->form('mfa-disable-form') && $v->form('mfa-recovery-form'), 'TOTP on: disable and regenerate forms');
	ok(!$v->has_id('recovery-codes'), '... codes are not shown again');
	ok(!$v->has_id('totp-secret'), '... nor the secret');
	is($c->get('/profile/mfa/qr')->code, 404, '... nor the QR code');
}

# ---------------------------------------------------------------- sign-in
my $used_step;
{
	my $d = client();
	my $r = password_step($m, $d);
	is($r->code, 303, 'password step: 303') or diag($r->describe);
	is($r->location_path, '/login/mfa', '... to /login/mfa');
	my $pending = $d->session;
	is(sql_value("SELECT mfa_pending FROM sessions WHERE " . session_where($pending)), 1,
	    '... the session is pending');
	for my $path ('/profile', '/profile/mfa', '/profile/sessions') {
		my $x = $d->get($path);
		ok($x->code == 303 && $x->location_path eq '/login', "$path while pending: 303 to /login")
		    or diag($x->describe);
	}
	my $form = $d->get('/login/mfa');
	is($form->code, 200, 'GET /login/mfa: 200') or diag($form->describe);
	$used_step = (totp_row($m->{id}))[1] + 1;
	my $ok = $d->submit($form, 'mfa-login-form', { code => totp($key, $used_step) });
	is($ok->code, 303, 'a valid code: 303') or diag($ok->describe);
	is($ok->location_path, '/profile', '... to /profile');
	isnt($d->session, $pending, '... with a new token');
	is(session_rows_for_token($pending), 0, '... the pending session is gone');
	is($d->get('/profile')->code, 200, '... signed in');
	is((totp_row($m->{id}))[1], $used_step, '... the step is stored');

	# replay of the same code
	my $e = client();
	password_step($m, $e);
	my $f = $e->get('/login/mfa');
	my $rp = $e->submit($f, 'mfa-login-form', { code => totp($key, $used_step) });
	is($rp->code, 401, 'the same code again: 401') or diag($rp->describe);
	ok($rp->has_id('err-code'), '... with a field error');
	is($e->get('/profile')->code, 303, '... not signed in');
}

# ---------------------------------------------------------------- wrong codes
{
	sql("UPDATE members SET failed_logins = 0 WHERE id = $m->{id}");
	my $e = client();
	password_step($m, $e);
	my $f = $e->get('/login/mfa');
	my $r;
	for my $i (1 .. 5) {
		$r = $e->post_form('/login/mfa', [csrf => $f->csrf, code => '000000' eq totp($key, step_now()) ? '111111' : '000000']);
		last if $i == 5;
		is($r->code, 401, "wrong code $i: 401") or diag($r->describe);
	}
	is($r->code, 401, "the fifth wrong code: 401") or diag($r->describe);
	ok($r->form('login-form'), '... back to the password form');
	is($e->get('/login/mfa')->location_path, '/login', '... the pending session ended');
	my @row = totp_row($m->{id});
	is($row[3], 1, '... one failed sign-in counted');
	is($row[2], 0, '... the code counter restarts');
	clear_throttle();
}

# ---------------------------------------------------------------- recovery codes
{
	my $e = client();
	password_step($m, $e);
	my $f = $e->get('/login/mfa');
	my $ok = $e->submit($f, 'mfa-login-form', { code => lc($codes[1]) });
	is($ok->code, 303, 'a recovery code (any case): 303') or diag($ok->describe);
	is($e->get('/profile')->code, 200, '... signed in');
	is(sql_value("SELECT COUNT(*) FROM recovery_codes WHERE member_id = $m->{id} AND used_at IS NOT NULL"),
	    1, '... it is marked used');
	my $g = client();
	password_step($m, $g);
	$f = $g->get('/login/mfa');
	my $again = $g->submit($f, 'mfa-login-form', { code => $codes[1] });
	is($again->code, 401, 'the same recovery code again: 401');
}

# ---------------------------------------------------------------- regenerate, disable
{
	my $v = $c->get('/profile/mfa');
	my $bad = $c->submit($v, 'mfa-recovery-form', { password => 'wrong-' . $m->{password} });
	is($bad->code, 422, 'regenerating with a wrong password: 422');
	my $r = $c->submit($v, 'mfa-recovery-form', { password => $m->{password} });
	is($r->code, 200, 'regenerating with the password: 200') or diag($r->describe);
	my @new = $r->body =~ m{<li class="recovery-code"><code>([^<]+)</code>}g;
	is(scalar @new, 10, '... ten new codes');
	is(sql_value("SELECT COUNT(*) FROM recovery_codes WHERE member_id = $m->{id}"), 10,
	    '... the old ones are gone');

	$v = $c->get('/profile/mfa');
	my $no = $c->submit($v, 'mfa-disable-form', { password => '' });
	is($no->code, 422, 'disable without the password: 422');
	$no = $c->submit($v, 'mfa-disable-form', { password => 'wrong-' . $m->{password} });
	is($no->code, 422, 'disable with a wrong password: 422');
	ok($no->has_id('err-password'), '... with a field error');
	is((totp_row($m->{id}))[0], 1, '... TOTP stays on');
	my $off = $c->submit($v, 'mfa-disable-form', { password => $m->{password} });
	is($off->code, 303, 'disable with the password: 303') or diag($off->describe);
	is((totp_row($m->{id}))[0], 0, '... TOTP is off');
	is(sql_value("SELECT COUNT(*) FROM recovery_codes WHERE member_id = $m->{id}"), 0,
	    '... the recovery codes are gone');
	my $mail = latest_mail_to($m->{email});
	ok($mail && $mail->{subject} =~ /2段階認証が無効/, 'a notice mail "totp_off"');
	sign_in($m);
	pass('sign-in needs only the password again');
	my $n = sql_value("SELECT COUNT(*) FROM audit_log WHERE target_id = $m->{id} "
	    . "AND action IN ('totp_on', 'totp_off', 'recovery_codes', 'totp_enrol')");
	cmp_ok($n, '>=', 4, 'enrolment, regeneration and disabling are audited');
}

# ---------------------------------------------------------------- administrators
{
	my $email = unique_email('admin');
	my ($rc, $out, $err) = portalctl('user', 'add', '--admin', $email);
	is($rc, 0, 'portalctl user add --admin') or diag($err);
	my %kv = $out =~ /^(\w+): (.*)$/mg;
	my $a = { email => $email, password => $kv{password} };
	my $ac = client();
	my $r = password_step($a, $ac);
	is($r->code, 303, 'the administrator signs in with the password');
	for my $path ('/profile', '/profile/password', '/profile/sessions', '/profile/withdraw', '/', '/login') {
		my $x = $ac->get($path);
		ok($x->code == 303 && $x->location_path eq '/profile/mfa', "$path: 303 to /profile/mfa")
		    or diag($x->describe);
	}
	my $v = $ac->get('/profile/mfa');
	is($v->code, 200, '/profile/mfa is reachable');
	ok($v->has_id('mfa-required'), '... and says enrolment is required');
	my $x = $ac->post_form('/profile', [csrf => $v->csrf, version => 1]);
	ok($x->code == 303 && $x->location_path eq '/profile/mfa', 'POST /profile: 303 to /profile/mfa');
	my $e = $ac->submit($v, 'mfa-enable-form');
	my $k = b32_decode($e->text_of('totp-secret') // '');
	my $ok = $ac->submit($e, 'mfa-confirm-form', { code => totp($k, step_now()) });
	is($ok->code, 200, 'the administrator enrols') or diag($ok->describe);
	is($ac->get('/profile')->code, 200, '... and then reaches /profile');
	my $lo = $ac->post_form('/logout', [csrf => $v->csrf]);
	is($lo->code, 303, 'sign-out works');
}

done_testing();
