# The database layer (lib/db.c) against the real MariaDB of the dev
# instance, through the helper program t/integration/db_layer (built by
# "make check" in the build directory named by $PORTAL_BUILD):
#  (a) statements are prepared once per connection and reused: 1000
#      executions of ST_PING prepare once (counted in the program through
#      -Wl,--wrap, and cross-checked with the server's global counters);
#  (b) a connection killed by the server (KILL from a root client) is
#      replaced transparently for an idempotent read; a write is not
#      replayed blindly (DB_UNAVAILABLE once, then it works again); a
#      unique key violation is DB_DUPLICATE;
#  (c) db_txn runs the whole transaction again after a deadlock (1213,
#      staged deterministically with a second db_layer process) and after
#      its connection was killed in the middle; a commit is kept, an
#      application-level failure is rolled back and not retried.
# The program uses the admin account of portal.conf (root over the socket
# in the dev instance); this file finds the program's connection through a
# user lock the program takes ("tag"), so no other connection is touched.
#
# Environment: PORTAL_BUILD (build directory, default the one in var/build;
# the test is skipped when the program is not built there), PORTAL_ROOT,
# PORTAL_DB_LAYER_CONF (default $PORTAL_ROOT/var/portal.conf).
use v5.36;
use Cwd qw(abs_path);
use File::Basename qw(dirname);
use File::Temp qw(tempdir);
use POSIX qw(:sys_wait_h);
use Time::HiRes qw(sleep time);
use Test::More;

my $ROOT = $ENV{PORTAL_ROOT} // abs_path(dirname(__FILE__) . '/../..');
my $CONF = $ENV{PORTAL_DB_LAYER_CONF} // "$ROOT/var/portal.conf";
# The build the stack runs (dev.sh test exports it), else the one
# ./dev.sh up recorded in var/build.
my $BUILD = $ENV{PORTAL_BUILD};
if (!defined $BUILD && open my $fh, '<', "$ROOT/var/build") {
	chomp(my $b = <$fh> // '');
	$BUILD = "$ROOT/$b" if $b =~ /\A[\w.-]+\z/;
}
my $BIN = defined $BUILD ? "$BUILD/t/integration/db_layer" : undef;

plan skip_all => 'PORTAL_BUILD is not set and var/build is missing: cannot find t/integration/db_layer'
    unless defined $BUILD;
plan skip_all => "$BIN is not built (run \"make check\" in $BUILD first)"
    unless -x $BIN;
plan skip_all => "$CONF not readable (start the dev instance: ./dev.sh up)"
    unless -r $CONF;

# Connection settings of the admin account, from portal.conf.
my %conf = (db_socket => '', db_name => 'portal', db_admin_user => 'root',
    db_host => '');
{
	open my $fh, '<', $CONF or die "$CONF: $!";
	while (<$fh>) {
		next unless /^([a-z_]+)\s*=\s*(.*?)\s*$/;
		$conf{$1} = $2 if exists $conf{$1};
	}
}
plan skip_all => 'db_host is set: this test talks to the local socket only'
    if $conf{db_host} ne '';

# One query as the admin account (no password: unix_socket, as portalctl);
# rows of tab-separated fields.
sub rootsql ($q) {
	open my $fh, '-|', 'mariadb', '--no-defaults', "--socket=$conf{db_socket}",
	    '-u', $conf{db_admin_user}, '-N', '-B', '-e', $q, $conf{db_name}
	    or die "mariadb: $!";
	my @rows = map { chomp; [split /\t/, $_, -1] } <$fh>;
	close $fh;
	$? == 0 or die "mariadb failed (exit " . ($? >> 8) . "): $q\n";
	return @rows;
}
sub rootval ($q) { my @r = rootsql($q); return @r ? $r[0][0] : undef }

sub global_status ($name) {
	return rootval("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
	    . " WHERE VARIABLE_NAME = '" . uc($name) . "'");
}

# Poll cond every 0.1 s for up to $secs seconds.
sub wait_for ($secs, $cond) {
	my $t0 = time;
	while (time - $t0 < $secs) {
		return 1 if $cond->();
		sleep 0.1;
	}
	return $cond->();
}

my $tmp = tempdir('portal-dblayer-XXXXXX', TMPDIR => 1, CLEANUP => 1);

# ------------------------------------------------------------------ the program

package DbLayer {
	use POSIX qw(:sys_wait_h);
	use Time::HiRes qw(sleep time);

	sub new ($class, $name) {
		my $err = "$tmp/$name.stderr";
		pipe(my $cin, my $pin) or die "pipe: $!";
		pipe(my $pout, my $cout) or die "pipe: $!";
		my $pid = fork // die "fork: $!";
		if ($pid == 0) {
			close $pin;
			close $pout;
			open STDIN, '<&', $cin or POSIX::_exit(126);
			open STDOUT, '>&', $cout or POSIX::_exit(126);
			open STDERR, '>', $err or POSIX::_exit(126);
			exec { $BIN } $BIN, $CONF or POSIX::_exit(127);
		}
		close $cin;
		close $cout;
		$pin->autoflush(1);
		return bless { name => $name, pid => $pid, in => $pin,
		    out => $pout, buf => '', err => $err }, $class;
	}

	sub send ($s, $line) {
		print { $s->{in} } "$line\n" or die "$s->{name}: write: $!";
	}

	# Next line of output; undef after $timeout seconds or at EOF.
	sub recv ($s, $timeout = 30) {
		my $t0 = time;
		while (1) {
			if ($s->{buf} =~ s/\A([^\n]*)\n//) {
				return $1;
			}
			my $left = $timeout - (time - $t0);
			return undef if $left <= 0;
			my $rin = '';
			vec($rin, fileno($s->{out}), 1) = 1;
			next unless select(my $rout = $rin, undef, undef, $left) > 0;
			my $n = sysread($s->{out}, $s->{buf}, 65536, length $s->{buf});
			return undef unless $n;
		}
	}

	sub cmd ($s, $line, $timeout = 30) {
		$s->send($line);
		return $s->recv($timeout) // "(no answer to '$line')";
	}

	sub stats ($s) {
		my $l = $s->cmd('stats');
		return { $l =~ /(\w+)=(\d+)/g };
	}

	sub stderr ($s) {
		open my $fh, '<', $s->{err} or return '';
		local $/;
		return <$fh> // '';
	}

	# quit and wait; the wait status (-1 after a timeout and KILL).
	sub finish ($s) {
		return $s->{status} if exists $s->{status};
		eval { $s->send('quit') };
		close $s->{in};
		my $t0 = time;
		while (waitpid($s->{pid}, WNOHANG) == 0) {
			if (time - $t0 > 30) {
				kill 'KILL', $s->{pid};
				waitpid($s->{pid}, 0);
				return $s->{status} = -1;
			}
			sleep 0.05;
		}
		return $s->{status} = $?;
	}

	sub DESTROY ($s) {
		return if exists $s->{status} || !$s->{pid};
		kill 'KILL', $s->{pid};
		waitpid($s->{pid}, 0);
	}
}

# The connection id holding user lock $name, after "tag $name".
my $ntag = 0;
sub conn_id ($p) {
	my $name = 'dbl_' . $$ . '_' . ++$ntag;
	my $l = $p->cmd("tag $name");
	is($l, 'ok', "tag $name: the program takes a user lock") or return undef;
	my $id = rootval("SELECT IS_USED_LOCK('$name')");
	ok(defined $id && $id =~ /\A\d+\z/, "... held by connection " . ($id // 'none'));
	return $id;
}

sub alive ($id) {
	return rootval("SELECT COUNT(*) FROM information_schema.PROCESSLIST"
	    . " WHERE ID = $id") != 0;
}

# KILL connection $id and wait until the server has dropped it.
sub kill_conn ($id) {
	rootsql("KILL CONNECTION $id");
	ok(wait_for(10, sub { !alive($id) }), "KILL CONNECTION $id: gone");
}

sub last_seen ($hex) {
	return rootval("SELECT last_seen FROM sessions WHERE token_hash = UNHEX('$hex')");
}

my $p = DbLayer->new('p');
is($p->recv, 'ready', 'db_layer started with ' . $CONF)
    or BAIL_OUT('db_layer did not start: ' . $p->stderr);

my $member;
END {
	# Whatever happened: no test member left behind.
	my $status = $?;
	eval { rootsql("DELETE FROM members WHERE id = $member") } if $member;
	$? = $status;
}

# ------------------------------------------------------------------ (a) prepared once

{
	my $s = $p->stats;
	is_deeply($s, { prepares => 0, executes => 0, connects => 0 },
	    'nothing prepared or connected before the first statement (lazy)');
	my $gp = global_status('Com_stmt_prepare');
	my $ge = global_status('Com_stmt_execute');
	is($p->cmd('ping 1000', 120), 'ok 1000', 'ST_PING 1000 times, each result "1"');
	$s = $p->stats;
	is($s->{connects}, 1, '... on one connection');
	is($s->{prepares}, 1, '... prepared once');
	is($s->{executes}, 1000, '... executed 1000 times');
	my $dp = global_status('Com_stmt_prepare') - $gp;
	my $de = global_status('Com_stmt_execute') - $ge;
	ok($dp >= 1 && $dp <= 5, "server: Com_stmt_prepare grew by $dp (1, other clients aside)");
	ok($de >= 1000, "server: Com_stmt_execute grew by $de (>= 1000)");
	is($p->cmd('ping 500', 120), 'ok 500', '500 more');
	$s = $p->stats;
	is($s->{prepares}, 1, '... still prepared once');
	is($s->{executes}, 1500, '... 1500 executions');
}

# ------------------------------------------------------------------ fixtures

my @h;
{
	my $l = $p->cmd('setup 8');
	like($l, qr/\Aok \d+( [0-9a-f]{64}){8}\z/,
	    'a test member (disabled) with 8 sessions through ST_MEMBER_INSERT / ST_SESSION_INSERT')
	    or BAIL_OUT("setup failed: $l\n" . $p->stderr);
	(undef, $member, @h) = split / /, $l;
	is(rootval("SELECT COUNT(*) FROM sessions WHERE member_id = $member"), 8,
	    '... the rows are there');
	like($p->cmd("dup $h[0] $member"), qr/\Aerr rc=-3 .*\b1062\b/,
	    'inserting an existing session hash: DB_DUPLICATE (-3, 1062)');
	like($p->cmd("touch $h[0]"), qr/\Aok affected=1\z/, 'ST_SESSION_TOUCH works');
}

# ------------------------------------------------------------------ (b) reconnect

{
	my $s0 = $p->stats;
	my $id = conn_id($p);
	kill_conn($id) if defined $id;
	is($p->cmd('ping 1'), 'ok 1',
	    'after KILL: the next idempotent read succeeds transparently');
	my $s = $p->stats;
	is($s->{connects}, $s0->{connects} + 1, '... on a new connection');
	is($s->{prepares}, $s0->{prepares} + 1,
	    '... ST_PING prepared again there (handles of the dead connection dropped)');
	my $id2 = conn_id($p);
	isnt($id2, $id, "... connection $id2 is not the killed $id");
	ok(alive($id2), '... and alive');

	# A write on a killed connection is not replayed.
	kill_conn($id2) if defined $id2;
	$s0 = $p->stats;
	like($p->cmd("touch $h[0]"), qr/\Aerr rc=-1 /,
	    'after KILL: a write (ST_SESSION_TOUCH) is not retried: DB_UNAVAILABLE');
	is($p->stats->{connects}, $s0->{connects}, '... and did not reconnect for it');
	like($p->cmd("touch $h[0]"), qr/\Aok affected=1\z/,
	    '... the next write reconnects and works');
	is($p->stats->{connects}, $s0->{connects} + 1, '... on a new connection');
}

# ------------------------------------------------------------------ (c) db_txn

# Commit and rollback.
{
	my $before = last_seen($h[2]);
	is($p->cmd('txn'), 'txn attempt 1', 'db_txn: attempt 1');
	like($p->cmd("touch $h[2]"), qr/\Aok/, '... touch');
	is($p->cmd('abort'), 'txn done rc=1 attempts=1',
	    'an application failure (fn returns 1) ends db_txn with 1, no retry');
	is(last_seen($h[2]), $before, '... and is rolled back');
	is($p->cmd('txn'), 'txn attempt 1', 'db_txn again');
	like($p->cmd("touch $h[2]"), qr/\Aok/, '... touch');
	is($p->cmd('commit'), 'txn done rc=0 attempts=1', '... commit: rc 0');
	isnt(last_seen($h[2]), $before, '... the change is kept');
	unlike($p->stderr, qr/transaction retry/, 'no retry logged so far');
}

# A deadlock, staged with a second process H holding sessions 1..5:
#   H: touch 1..5            P: touch 0
#   H: touch 0  (waits for P)
#   P: touch 1  (waits for H: deadlock; InnoDB rolls back the lighter
#                transaction, P's, with 1213)
# db_txn in P must run the transaction again and then succeed.
{
	my $hp = DbLayer->new('h');
	is($hp->recv, 'ready', 'second db_layer (H) started');
	is($hp->cmd('txn'), 'txn attempt 1', 'H: transaction');
	my $ok = 1;
	$ok &&= ($hp->cmd("touch $h[$_]") // '') =~ /\Aok/ for 1 .. 5;
	ok($ok, 'H: holds sessions 1..5');
	is($p->cmd('txn'), 'txn attempt 1', 'P: transaction, attempt 1');
	like($p->cmd("touch $h[0]"), qr/\Aok/, 'P: holds session 0');
	$hp->send("touch $h[0]");
	ok(wait_for(15, sub {
		rootval("SELECT COUNT(*) FROM information_schema.INNODB_TRX"
		    . " WHERE trx_state = 'LOCK WAIT'") >= 1 }),
	    'H: waits for session 0 (LOCK WAIT)');
	my $l = $p->cmd("touch $h[1]", 60);
	like($l, qr/\Aerr rc=-2 .*\b1213\b/,
	    'P: touch 1 closes the cycle: deadlock 1213, DB_RETRY (-2)')
	    or diag("H said: " . ($hp->recv(1) // '(nothing)'));
	is($p->recv, 'txn attempt 2', 'P: db_txn runs the transaction again');
	like($hp->recv(30) // '', qr/\Aok/, 'H: got session 0 once P rolled back');
	is($hp->cmd('commit'), 'txn done rc=0 attempts=1', 'H: commits, never retried');
	like($p->cmd("touch $h[0]"), qr/\Aok/, 'P attempt 2: touch 0');
	like($p->cmd("touch $h[1]"), qr/\Aok/, 'P attempt 2: touch 1 (H is done)');
	is($p->cmd('commit'), 'txn done rc=0 attempts=2',
	    'P: the retried transaction commits (rc 0 after 2 attempts)');
	like($p->stderr, qr/ WARN .*transaction retry 1: .*\b1213\b/,
	    'P logged "transaction retry 1" with the deadlock');
	unlike($hp->stderr, qr/transaction retry/, 'H logged no retry');
	is($hp->finish, 0, 'H exits 0');
	unlike($hp->stderr, qr/Sanitizer|runtime error:/, 'H: no sanitizer report')
	    or diag($hp->stderr);
}

# The connection killed in the middle of a transaction: the statement
# fails (no replay inside a transaction), db_txn reconnects and runs the
# whole transaction again.
{
	my $nretry = () = $p->stderr =~ /transaction retry/g;
	my $id = conn_id($p);
	is($p->cmd('txn'), 'txn attempt 1', 'P: transaction');
	like($p->cmd("touch $h[3]"), qr/\Aok/, 'P: touch 3');
	kill_conn($id) if defined $id;
	like($p->cmd("touch $h[4]"), qr/\Aerr rc=-1 /,
	    'P: the next statement of the transaction fails: DB_UNAVAILABLE (-1)');
	is($p->recv, 'txn attempt 2', 'P: db_txn reconnects and runs it again');
	like($p->cmd("touch $h[3]"), qr/\Aok/, 'P attempt 2: touch 3');
	like($p->cmd("touch $h[4]"), qr/\Aok/, 'P attempt 2: touch 4');
	is($p->cmd('commit'), 'txn done rc=0 attempts=2', 'P: commits after 2 attempts');
	my $n = () = $p->stderr =~ /transaction retry/g;
	is($n, $nretry + 1, 'one more "transaction retry" logged');
	my $id2 = conn_id($p);
	isnt($id2, $id, '... on a new connection');
}

# ------------------------------------------------------------------ clean-up

like($p->cmd("cleanup $member"), qr/\Aok affected=1\z/, 'ST_MEMBER_DELETE removes the test member');
is(rootval("SELECT COUNT(*) FROM sessions WHERE member_id = $member"), 0,
    '... and its sessions (ON DELETE CASCADE)');
$member = undef;
is($p->finish, 0, 'db_layer exits 0');
unlike($p->stderr, qr/Sanitizer|runtime error:/, 'no sanitizer report')
    or diag($p->stderr);
note("db_layer log:\n" . $p->stderr);

done_testing;
