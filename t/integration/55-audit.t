# The audit trail (audit_log): one row per state change of a member's life
# (register, verify, failed and good sign-in, profile update, logout), in
# order, with UTC time, actor, role, client address and Apache's request ID,
# and never any personal data, password or token in any row.  The web
# programs' database account can append to and read audit_log but neither
# change nor delete a row.
use v5.36;
use utf8;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use Digest::SHA qw(sha256_hex);
use Encode qw(encode);
use PortalTest qw(:all);

# The DB's own UTC clock, as a string comparable with DATETIME(6) values.
sub db_utc () { sql_value('SELECT UTC_TIMESTAMP(6)') }

my $t0 = db_utc();
my $max0 = sql_value('SELECT COALESCE(MAX(id), 0) FROM audit_log');

# ---------------------------------------------------------------- the sequence
my $m = register_member();	# register + verify (anonymous client)
my $id = $m->{id};

my $wrong = try_sign_in($m->{email}, $m->{password} . 'x');
is($wrong->code, 401, 'sign-in with a wrong password: 401') or diag($wrong->describe);

my $c = sign_in($m);
my $tok = $c->session;
my $page = $c->get('/profile');
is($page->code, 200, 'GET /profile 200');
my %new = (
	name	=> "監査 次郎$$",
	phone	=> sprintf('080-%04d-%04d', $$ % 10000, int rand 10000),
	address	=> "京都府京都市中京区監査町$$-9",
);
my $r = $c->submit($page, 'profile-form', \%new);
is($r->code, 303, 'POST /profile 303') or diag($r->describe);
$page = $c->get('/profile?saved=1');
is($page->form('profile-form')->{fields}{name}, $new{name}, 'the profile was changed');
$r = $c->submit($page, 'logout-form');
is($r->code, 303, 'POST /logout 303') or diag($r->describe);

my $t1 = db_utc();

# ---------------------------------------------------------------- the rows
my @cols = qw(id at actor_id actor_role ip session_ref request_id action
    target_id result details);
my @rows = map { my %h; @h{@cols} = @$_; \%h } sql(
    'SELECT id, at, COALESCE(actor_id, \'NULL\'), actor_role, ip, session_ref,'
    . ' request_id, action, COALESCE(target_id, \'NULL\'), result, details'
    . " FROM audit_log WHERE target_id = $id ORDER BY id");

my @expect = (
	# action, result, signed in?
	[register	=> 'ok', 0],
	[verify		=> 'ok', 0],
	[login		=> 'fail', 0],
	[login		=> 'ok', 1],
	[profile_update	=> 'ok', 1],
	[logout		=> 'ok', 1],
);
is_deeply([map { "$_->{action}/$_->{result}" } @rows],
    [map { "$_->[0]/$_->[1]" } @expect],
    'audit rows for the member, in order: ' . join(', ', map { "$_->[0]/$_->[1]" } @expect))
    or diag(explain(\@rows));

my $sref = substr(sha256_hex($tok), 0, 16);
for my $i (0 .. $#expect) {
	my ($action, $result, $signed) = @{$expect[$i]};
	my $row = $rows[$i] or last;
	my $L = "row $row->{id} ($row->{action}/$row->{result})";
	cmp_ok($row->{id}, '>', $max0, "$L: written during this test");
	is($row->{target_id}, $id, "$L: target_id is the member");
	ok($row->{at} ge $t0 && $row->{at} le $t1,
	    "$L: at $row->{at} is UTC, between $t0 and $t1 (DB UTC_TIMESTAMP)");
	is($row->{ip}, '127.0.0.1', "$L: ip 127.0.0.1");
	like($row->{request_id}, qr/\A[A-Za-z0-9\@_-]{16,64}\z/,
	    "$L: request_id is Apache's UNIQUE_ID ($row->{request_id})");
	if ($signed) {
		is($row->{actor_id}, $id, "$L: actor_id is the member");
		is($row->{actor_role}, 'member', "$L: actor_role member");
		is($row->{session_ref}, $sref,
		    "$L: session_ref is the start of the session's SHA-256, not the token");
	} else {
		is($row->{actor_id}, 'NULL', "$L: actor_id NULL (anonymous)");
		is($row->{actor_role}, 'anonymous', "$L: actor_role anonymous");
		is($row->{session_ref}, '-', "$L: no session_ref");
	}
}
{
	my @at = map { $_->{at} } @rows;
	is_deeply(\@at, [sort @at], 'times do not go backwards with the row order');
	my %rid;
	$rid{$_->{request_id}}++ for @rows;
	is(scalar keys %rid, scalar @rows, 'each row has its own request_id (one request each)');
}
# the request ID is the one Apache logged for the request
{
	my $rid = @rows > 5 ? $rows[4]{request_id} : '';
	my $log = "$ROOT/var/log/access.log";
	my $line = '';
	if (length $rid && open my $fh, '<', $log) {
		while (<$fh>) { $line = $_ if index($_, " $rid ") >= 0 }
		close $fh;
	}
	like($line, qr{"POST /profile HTTP/[\d.]+" 303 .* \Q$rid\E \Q$id\E\s*\z},
	    'the profile_update request_id is the POST /profile line of the access log')
	    or diag("request_id $rid; line: $line");
}

# ---------------------------------------------------------------- no personal data
{
	my @dump = sql('SELECT * FROM audit_log');
	my @hexdump = sql('SELECT HEX(CONCAT_WS(0x09, ' . join(', ',
	    map { "COALESCE(`$_`, '')" } table_columns('audit_log')) . ')) FROM audit_log');
	cmp_ok(scalar @dump, '>=', scalar @rows, 'the whole audit_log read (' . @dump . ' rows)');
	my $text = join "\n", map { join "\t", @$_ } @dump;
	my $hex = join "\n", map { $_->[0] } @hexdump;
	my ($local) = $m->{email} =~ /\A([^@]+)\@/;
	my %secret = (
		'mail address'	=> $m->{email},
		'mail local part' => $local,
		name		=> $m->{name},
		'name (kana)'	=> $m->{name_kana},
		phone		=> $m->{phone},
		address		=> $m->{address},
		password	=> $m->{password},
		'wrong password' => $m->{password} . 'x',
		'new name'	=> $new{name},
		'new phone'	=> $new{phone},
		'new address'	=> $new{address},
		'verification token' => $m->{token},
		'session token'	=> $tok,
		'session hash'	=> sha256_hex($tok),
	);
	for my $what (sort keys %secret) {
		my $s = $secret{$what};
		ok(index(lc $text, lc $s) < 0, "no row of audit_log contains the $what");
		my $h = uc unpack('H*', encode('UTF-8', $s));
		ok(index($hex, $h) < 0, "... not even in a binary column ($what, as bytes)");
	}
}

# ---------------------------------------------------------------- append-only for portal_web
{
	my $pass_file = "$ROOT/var/keys/db.pass";
	open my $fh, '<', $pass_file or BAIL_OUT("$pass_file: $!");
	chomp(my $pass = <$fh> // '');
	close $fh;
	my $sock = conf_value('db_socket', "$ROOT/var/run/mysqld.sock");
	my $user = conf_value('db_user', 'portal_web');
	# Each statement runs in a transaction that is rolled back, so that a
	# wrongly granted UPDATE or DELETE cannot destroy the trail it tests.
	my $web = sub ($stmt) {
		local $ENV{MYSQL_PWD} = $pass;
		return run_capture('mariadb', '--no-defaults', "--socket=$sock",
		    '-u', $user, '-N', '-B', conf_value('db_name', 'portal'), '-e',
		    "START TRANSACTION; $stmt; ROLLBACK");
	};
	my $victim = $rows[0] ? $rows[0]{id} : 0;
	my $before = sql_value("SELECT CONCAT_WS('|', id, at, action, result, details)"
	    . " FROM audit_log WHERE id = $victim");

	my ($rc, $out, $err) = $web->("SELECT action FROM audit_log WHERE id = $victim");
	is($rc, 0, "$user can SELECT from audit_log") or diag($err);
	is($out, "register\n", '... and reads the row');

	($rc, $out, $err) = $web->('INSERT INTO audit_log (at, actor_role, ip, '
	    . 'session_ref, request_id, action, result, details) VALUES '
	    . "(UTC_TIMESTAMP(6), 'system', 'local', 'test', '-', 'grant_test', 'ok', '');"
	    . ' SELECT action FROM audit_log WHERE id = LAST_INSERT_ID()');
	is($rc, 0, "$user can INSERT into audit_log") or diag($err);
	is($out, "grant_test\n", '... the inserted row is readable (then rolled back)');
	is(sql_value("SELECT COUNT(*) FROM audit_log WHERE action = 'grant_test'"), 0,
	    '... and the rollback left no row behind');

	for my $stmt ("DELETE FROM audit_log WHERE id = $victim",
	    "UPDATE audit_log SET details = 'tampered' WHERE id = $victim",
	    'DELETE FROM audit_log') {
		($rc, $out, $err) = $web->($stmt);
		isnt($rc, 0, "$user: $stmt fails");
		like($err, qr/ERROR 1142 .*command denied to user '\Q$user\E'/,
		    '... with an access-denied error (1142)') or diag($err);
	}
	is(sql_value("SELECT CONCAT_WS('|', id, at, action, result, details)"
	    . " FROM audit_log WHERE id = $victim"), $before, 'the row is unchanged');
	cmp_ok(sql_value('SELECT COUNT(*) FROM audit_log'), '>=', scalar(@rows),
	    'audit_log still holds its rows');
}

done_testing;
