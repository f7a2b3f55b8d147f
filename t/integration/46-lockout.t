# Account lockout (AUTH-3): lockout_threshold consecutive wrong passwords
# lock the account for lockout_minutes; while locked even the right
# password is refused with the same generic 401 as an unknown account; the
# owner gets one mail in Japanese with the end of the lock (JST, +09:00);
# a success before the threshold resets the count; an ended lock lets the
# member in again and the count starts again; `portalctl user unlock` ends
# a lock.
use v5.36;
use utf8;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use PortalTest qw(:all);

my $N = conf_value('lockout_threshold', 5);
my $M = conf_value('lockout_minutes', 30);
$N =~ /\A\d+\z/ && $N >= 2 or plan skip_all => "lockout_threshold $N: needs 2 or more";
$M =~ /\A\d+\z/ or BAIL_OUT("lockout_minutes '$M'");

# This file makes more failed sign-ins than the address may (47-throttle):
# clear the address's window between the parts and at the end.
clear_throttle();
END { eval { clear_throttle() } }

my $ISO_JST = qr/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00/;

sub row ($id) {
	my ($r) = sql('SELECT failed_logins, IFNULL(locked_until, \'NULL\'),'
	    . ' IFNULL(locked_until > UTC_TIMESTAMP(6), 0), state FROM members'
	    . " WHERE id = $id");
	return { failed => $r->[0], until => $r->[1], running => $r->[2], state => $r->[3] };
}

sub lock_mails ($addr, $before) {
	return grep { ($_->{subject} // '') eq msg_text('mail_lock_subject') }
	    mails_to_since($addr, $before);
}

# The same answer as for an unknown account.
sub generic_401 ($r, $what) {
	state $generic = do {
		my $u = try_sign_in(unique_email('nobody'), gen_password());
		$u->code == 401 or BAIL_OUT('unknown account: ' . $u->describe);
		$u->text_of('form-error');
	};
	is($r->code, 401, "$what: 401") or diag($r->describe);
	is($r->text_of('form-error'), $generic, '... with the generic message (as for an unknown account)');
}

sub fail_n ($m, $n, $what) {
	for my $i (1 .. $n) {
		my $r = try_sign_in($m->{email}, $m->{password} . "x$i");
		generic_401($r, "$what: wrong password $i/$n");
	}
}

sub audit_max () { sql_value('SELECT COALESCE(MAX(id), 0) FROM audit_log') }

my $m = register_member();
my $id = $m->{id};
generic_401(try_sign_in(unique_email('nobody'), gen_password()), 'unknown account');

# ---------------------------------------------------------------- below the threshold
my @before = mails_to($m->{email});
fail_n($m, $N - 1, 'below the threshold');
is(row($id)->{failed}, $N - 1, "failed_logins is " . ($N - 1));
is(row($id)->{until}, 'NULL', '... and the account is not locked');
my $c = eval { sign_in($m) };
ok($c, "the right password after " . ($N - 1) . " failures signs in") or diag($@);
is(row($id)->{failed}, 0, '... and resets the count');
fail_n($m, $N - 1, 'again below the threshold');
is(row($id)->{until}, 'NULL', "$N - 1 more failures after the reset: still not locked");
ok(eval { sign_in($m) }, '... and the member signs in') or diag($@);
is(scalar(lock_mails($m->{email}, \@before)), 0, 'no lock mail so far');
clear_throttle();

# ---------------------------------------------------------------- the lock
my $a0 = audit_max();
@before = mails_to($m->{email});
fail_n($m, $N, 'up to the threshold');
my $row = row($id);
if ($M > 0) {
	is($row->{running}, 1, "$N failures: a timed lock runs (locked_until $row->{until} UTC)");
	my $mins = sql_value("SELECT TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(6), locked_until) FROM members WHERE id = $id");
	ok($mins > $M * 60 - 120 && $mins <= $M * 60, "... for about $M minutes ($mins s left)");
	is($row->{state}, 'active', '... the state stays active');
} else {
	is($row->{state}, 'locked', "$N failures: locked until an administrator unlocks it");
}
is(sql_value("SELECT COUNT(*) FROM audit_log WHERE id > $a0 AND action = 'lock'"
    . " AND target_id = $id AND result = 'ok'"), 1, 'one audit row lock/ok for the account');

{
	my $s0 = session_count($id);
	my $r = try_sign_in($m->{email}, $m->{password});
	generic_401($r, 'the right password while locked');
	is(session_count($id), $s0, '... no new session');
	is($r->set_cookie('__Host-portal-browser'), undef, '... no browser cookie (no sign-in)');
	is(row($id)->{failed}, $N, '... and attempts while locked are not counted further');
	is(sql_value("SELECT COUNT(*) FROM audit_log WHERE id > $a0 AND action = 'login'"
	    . " AND target_id = $id AND result = 'fail' AND details = 'locked'"), 1,
	    '... audited as login/fail "locked"');
	generic_401(try_sign_in($m->{email}, $m->{password} . 'y'), 'a wrong password while locked');
}

my @locks = lock_mails($m->{email}, \@before);
is(scalar @locks, 1, 'exactly one lock mail to the owner');
{
	my $mail = $locks[0] // { body => '', raw => '' };
	(my $body = $mail->{body} // '') =~ s/\r\n/\n/g;
	ok($mail->{body_valid_utf8}, '... UTF-8 body');
	ok(index($body, msg_text('mail_lock_body')) >= 0, '... saying what happened (Japanese)');
	if ($M > 0) {
		my $end = sql_value("SELECT DATE_FORMAT(CONVERT_TZ(locked_until, '+00:00', '+09:00'),"
		    . " '%Y-%m-%dT%H:%i:%s+09:00') FROM members WHERE id = $id");
		like($body, qr/\Q${\ msg_text('mail_lock_until')}\E$ISO_JST/,
		    '... with the end of the lock in JST with +09:00');
		ok(index($body, msg_text('mail_lock_until') . $end) >= 0,
		    "... which is the stored end ($end)") or diag($body);
	} else {
		ok(index($body, msg_text('mail_lock_admin')) >= 0,
		    '... saying it lasts until an administrator unlocks it');
	}
	like($body, qr/\Q${\ msg_text('mail_notice_when')}\E$ISO_JST/, '... when it happened');
	like($body, qr/\Q${\ msg_text('mail_notice_from')}\E127\.0\.0\.1$/m, '... from which address');
	ok(index($body, msg_text('mail_notice_advice')) >= 0, '... what to do if it was not the member');
	unlike($mail->{raw}, qr/\Q$m->{password}\E/, '... no password in the mail');
}
clear_throttle();

SKIP: {
	skip 'lockout_minutes = 0: no timed lock to expire', 12 if $M == 0;

	# ------------------------------------------------------- the lock ends
	sql("UPDATE members SET locked_until = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE id = $id");
	my $c2 = eval { sign_in($m) };
	ok($c2, 'after the end of the lock the right password signs in') or diag($@);
	$row = row($id);
	is($row->{failed}, 0, '... the count is reset');
	is($row->{until}, 'NULL', '... and the lock is gone');

	# an ended lock without a success in between: the count starts again
	fail_n($m, $N, 'lock again');
	is(row($id)->{running}, 1, 'locked again after another ' . $N . ' failures');
	sql("UPDATE members SET locked_until = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE id = $id");
	@before = mails_to($m->{email});
	fail_n($m, 1, 'the first failure after the lock ended');
	$row = row($id);
	is($row->{failed}, 1, '... starts the count again at 1');
	is($row->{running}, 0, '... and does not lock at once');
	is(scalar(lock_mails($m->{email}, \@before)), 0, '... no lock mail');
	ok(eval { sign_in($m) }, '... the member signs in') or diag($@);
	clear_throttle();
}

# ---------------------------------------------------------------- portalctl user unlock
{
	fail_n($m, $N, 'lock for the administrator');
	my $r = row($id);
	ok($r->{running} == 1 || $r->{state} eq 'locked', 'the account is locked');
	my ($rc, $out, $err) = portalctl('user', 'unlock', $m->{email});
	is($rc, 0, 'portalctl user unlock: exit 0') or diag($err);
	$r = row($id);
	is($r->{until}, 'NULL', '... clears locked_until');
	is($r->{failed}, 0, '... and the count');
	is($r->{state}, 'active', '... the account is active');
	ok(eval { sign_in($m) }, '... and the member signs in at once') or diag($@);
}

# portalctl user lock is a lock too (state locked): same generic answer
{
	my ($rc, $out, $err) = portalctl('user', 'lock', $m->{email});
	is($rc, 0, 'portalctl user lock: exit 0') or diag($err);
	generic_401(try_sign_in($m->{email}, $m->{password}), 'the right password after user lock');
	($rc, $out, $err) = portalctl('user', 'unlock', $m->{email});
	is($rc, 0, 'portalctl user unlock: exit 0') or diag($err);
	ok(eval { sign_in($m) }, '... signs in again') or diag($@);
}

# unlock does not activate an unverified registration
{
	my $p = register_member(verify => 0);
	my ($rc, $out, $err) = portalctl('user', 'unlock', $p->{email});
	is($rc, 0, 'portalctl user unlock of an unverified registration: exit 0') or diag($err);
	is(member_state($p->{id}), 'pending', '... it stays pending (unverified)');
}

# a lock of one account does not touch another
{
	my $o = register_member();
	clear_throttle();
	fail_n($m, $N, 'lock the first account once more');
	ok(eval { sign_in($o) }, 'another member signs in meanwhile') or diag($@);
	is(row($o->{id})->{failed}, 0, '... with no failures counted');
	portalctl('user', 'unlock', $m->{email});
}

done_testing;
