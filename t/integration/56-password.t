# Password change (/profile/password; AUTH-1, AUTH-5, AUTH-6): a wrong
# current password or a new one that breaks the policy changes nothing and
# says why next to the field; a change ends every OTHER session of the
# member, rotates the current session's cookie (a copied cookie dies too),
# sends a notice mail and is audited without secrets.  The new password
# holds strings the CRS flags, so this also proves the ModSecurity
# exclusion covers the form's fields (and the program alone is fine with
# the WAF off).
use v5.36;
use utf8;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use PortalTest qw(:all);

clear_throttle();

# signed out: the form redirects, the POST is refused
{
	my $r = client()->get('/profile/password');
	is($r->code, 303, 'GET /profile/password signed out is 303');
	is($r->location_path, '/login', '... to /login');
	my $p = client()->post_form('/profile/password', { current_password => 'x',
	    new_password => 'y', new_password_confirm => 'y' });
	is($p->code, 403, 'POST /profile/password signed out is 403') or diag($p->describe);
}

my $m = register_member();
my $id = $m->{id};
my $c = sign_in($m);
my $other = sign_in($m);	# a second browser of the same member
my $hash0 = sql_value("SELECT password_hash FROM members WHERE id = $id");
my $audit_last = sql_value('SELECT COALESCE(MAX(id), 0) FROM audit_log');

# the profile links to the account screens
{
	my $p = $c->get('/profile');
	is($p->code, 200, 'GET /profile');
	ok($p->has_id($_), "profile page links $_")
	    for qw(link-password link-sessions link-withdraw);
}

# the form
my $page = $c->get('/profile/password');
is($page->code, 200, 'GET /profile/password is 200') or diag($page->describe);
my $f = $page->form('password-form');
ok($f, 'password-form present');
is($f->{method}, 'post', '... method post');
is($f->{action}, '/profile/password', '... action /profile/password');
ok(length($f->{fields}{csrf} // ''), '... with the csrf field');
is($f->{types}{$_}, 'password', "... $_ is a password input")
    for qw(current_password new_password new_password_confirm);
ok(japanese_text($page->text_of('password-help')), '... the policy is explained in Japanese');

my $new = "Zz9<script>alert('x')</script>' OR 1=1-- \$(id) $$";

# wrong current password: 422, the error on the field, nothing changed
{
	my $wrong = $m->{password} . 'x';
	my ($r) = change_password($c, $wrong, $new);
	if (waf_blocked($r)) {
		fail('the WAF let the password form through (exclusion covers /profile/password)');
	} else {
		is($r->code, 422, 'wrong current password: 422') or diag($r->describe);
		is($r->text_of('err-current_password'), msg_text('err_current_password'),
		    '... err-current_password says the current password is wrong');
		is_deeply([$r->error_ids], ['err-current_password'], '... and nothing else is wrong');
		ok($r->form('password-form'), '... the form is shown again');
		unlike($r->body, qr/\Q$wrong\E|\Qalert('x')\E|alert\(&#39;x/,
		    '... no password is echoed');
	}
	is(sql_value("SELECT password_hash FROM members WHERE id = $id"), $hash0,
	    '... the hash is unchanged');
	is($other->get('/profile')->code, 200, '... the other session still works');
	my ($res, $det) = @{(sql("SELECT result, details FROM audit_log WHERE id > $audit_last"
	    . " AND action = 'password_change' AND target_id = $id ORDER BY id DESC LIMIT 1"))[0] // []};
	is($res, 'fail', '... audited as fail');
	unlike($det // '', qr/\Q$m->{password}\E/, '... without the password');
}

# empty current password
{
	my ($r) = change_password($c, '', $new);
	is($r->code, 422, 'empty current password: 422');
	is($r->text_of('err-current_password'), msg_text('err_required'), '... err_required');
}

# policy: every failed rule is listed next to the field
{
	my ($r) = change_password($c, $m->{password}, 'abc');
	is($r->code, 422, 'new password "abc": 422') or diag($r->describe);
	ok($r->has_id('err-new_password'), '... err-new_password');
	my $t = $r->text_of('err-new_password') // '';
	like($t, qr/\Q${\ msg_text('err_password_short')}\E/, '... says too short');
	like($t, qr/\Q${\ msg_text('err_password_classes')}\E/, '... says which classes');
	my $rules = () = $r->body =~ /class="rule"/g;
	cmp_ok($rules, '>=', 2, "... $rules rules listed");

	my ($local) = $m->{email} =~ /\A([^@]+)/;
	my $pw = 'Qq7#' . $local . 'Xx8%zz';
	($r) = change_password($c, $m->{password}, $pw);
	is($r->code, 422, 'new password containing the mail local part: 422');
	is($r->text_of('err-new_password'), msg_text('err_password_contains_id'),
	    '... err_password_contains_id');

	($r) = change_password($c, $m->{password}, $new, $new . 'x');
	is($r->code, 422, 'confirmation differs: 422');
	is($r->text_of('err-new_password_confirm'), msg_text('err_password_mismatch'),
	    '... err-new_password_confirm');

	($r) = change_password($c, $m->{password}, $m->{password});
	is($r->code, 422, 'new password = current one: 422');
	is($r->text_of('err-new_password'), msg_text('err_password_same'), '... err_password_same');

	is(sql_value("SELECT password_hash FROM members WHERE id = $id"), $hash0,
	    'none of the refused changes touched the hash');
}

# CSRF: the right passwords without the token change nothing
{
	my $r = $c->post_form('/profile/password', { current_password => $m->{password},
	    new_password => $new, new_password_confirm => $new });
	ok($r->code == 403 || waf_blocked($r), 'POST without csrf is 403') or diag($r->describe);
	is(sql_value("SELECT password_hash FROM members WHERE id = $id"), $hash0, '... hash unchanged');
}

# success
my $old_cookie = $c->session;
my $stolen = $c->clone;		# a copy of the cookie taken before the change
my $nmail = () = mails_to($m->{email});
my ($r) = change_password($c, $m->{password}, $new);
if (waf_blocked($r)) {
	fail('the WAF blocked a password change with CRS-looking characters');
	diag($r->describe);
	done_testing;
	exit;
}
is($r->code, 303, 'password change: 303') or diag($r->describe);
is($r->location_path, '/profile?password_changed=1', '... to /profile?password_changed=1');
my $ck = $r->set_cookie('__Host-portal');
ok($ck && length $ck->{value}, '... a new session cookie is set');
isnt($c->session, $old_cookie, '... with a new token (rotation)');
is(session_rows_for_token($old_cookie), 0, '... the old token has no row any more');
{
	my $p = $c->get('/profile?password_changed=1');
	is($p->code, 200, 'the current browser is still signed in');
	is($p->text_of('notice'), msg_text('notice_password_changed'), '... with the notice');
}
is($stolen->get('/profile')->location_path, '/login',
    'a copy of the old cookie is signed out');
my $o = $other->get('/profile');
is($o->code, 303, 'the other session is ended');
is($o->location_path, '/login', '... its cookie leads to /login');
is(session_count($id), 1, 'one session row remains (the current one)');
isnt(sql_value("SELECT password_hash FROM members WHERE id = $id"), $hash0, 'the hash changed');
like(sql_value("SELECT password_hash FROM members WHERE id = $id"), qr/\A\$argon2id\$/,
    '... to an argon2id hash');

# sign-in: the old password no longer works, the new one does
{
	my $t = try_sign_in($m->{email}, $m->{password});
	isnt($t->location_path, '/profile', 'the old password no longer signs in');
	is($t->code, 401, '... 401') or diag($t->describe);
	my $n = try_sign_in($m->{email}, $new);
	is($n->code, 303, 'the new password signs in') or diag($n->describe);
	is($n->location_path, '/profile', '... to /profile');
}

# notice mail
{
	my @mails = mails_to($m->{email});
	my @new = @mails[$nmail .. $#mails];
	my ($mail) = grep { ($_->{subject} // '') eq msg_text('mail_password_changed_subject') } @new;
	ok($mail, 'a password-change notice was mailed');
	if ($mail) {
		like($mail->{body}, qr/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d/,
		    '... with the time (ISO 8601 with offset)');
		like($mail->{body}, qr/127\.0\.0\.1/, '... and the address');
		unlike($mail->{raw}, qr/\Q$new\E/, '... never the password');
	}
}

# audit: ok, no secrets anywhere in this member's rows
{
	my @rows = sql("SELECT result, details FROM audit_log WHERE id > $audit_last"
	    . " AND action = 'password_change' AND target_id = $id ORDER BY id");
	ok((grep { $_->[0] eq 'ok' } @rows), 'password_change ok is audited');
	my $all = join "\n", map { join '|', @$_ } sql("SELECT details FROM audit_log WHERE id > $audit_last");
	unlike($all, qr/\Q$m->{password}\E|script/, 'no password in the audit details');
}

done_testing;
