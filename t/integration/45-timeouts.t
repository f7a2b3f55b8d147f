# Session timeouts are enforced by the server: a session idle for longer
# than session_idle, or older than session_absolute, is deleted at its next
# request, which is treated as signed out (303 /login) and gets a new
# anonymous cookie.  Just under either limit the session still works, and
# last_seen is written back (touched) once it is more than a minute old.
# The clock is not waited for: the session row's times are moved back with
# SQL (times in the DB are UTC; ages are computed by the DB's clock).
use v5.36;
use utf8;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use PortalTest qw(:all);

my $idle = conf_value('session_idle', 1800);
my $absolute = conf_value('session_absolute', 43200);
like($idle, qr/\A\d+\z/, "session_idle from portal.conf: $idle s");
like($absolute, qr/\A\d+\z/, "session_absolute from portal.conf: $absolute s");
cmp_ok($idle, '>', 120, 'session_idle leaves room for the "just under" checks');
cmp_ok($absolute, '>', $idle + 120, 'session_absolute is longer than session_idle');

# Move the session's times back by the given seconds.
sub age_session ($tok, %by) {
	my @set = map { "`$_` = `$_` - INTERVAL " . int($by{$_}) . ' SECOND' }
	    sort keys %by;
	sql('UPDATE sessions SET ' . join(', ', @set) . ' WHERE '
	    . session_where($tok));
}

# Seconds since last_seen / created_at by the DB's clock (undef if no row).
sub seconds_since ($tok, $col) {
	return sql_value("SELECT TIMESTAMPDIFF(SECOND, `$col`, UTC_TIMESTAMP(6))"
	    . ' FROM sessions WHERE ' . session_where($tok));
}

sub row_count ($tok) {
	return sql_value('SELECT COUNT(*) FROM sessions WHERE ' . session_where($tok));
}

# A session past a limit: redirected, row deleted, a new anonymous cookie.
sub expect_expired ($what, $m, $c) {
	my $tok = $c->session;
	my $replay = $c->clone;
	my $r = $c->get('/profile');
	is($r->code, 303, "$what: GET /profile is 303") or diag($r->describe);
	is($r->location_path, '/login', '... to /login');
	unlike($r->body, qr/\Q$m->{email}\E/, '... and shows no personal data');
	is(row_count($tok), 0, '... the session row is deleted');
	is(session_count($m->{id}), 0, '... no session row left for the member');
	my $sc = $r->set_cookie('__Host-portal');
	ok($sc, '... a new __Host-portal cookie is issued')
	    or diag(join "\n", $r->header_list('set-cookie'));
	like($sc ? $sc->{value} : '', qr/\A[A-Za-z0-9_-]{43}\z/,
	    '... a 43-character token (not a deletion)');
	isnt($sc ? $sc->{value} : $tok, $tok, '... with a value different from the old one');
	is(session_rows_for_token($c->session // ''), 0,
	    '... the new cookie is anonymous (no DB row)');
	is($c->get('/profile')->code, 303, '... the new cookie does not reach /profile');
	my $again = $replay->get('/profile');
	is($again->code, 303, '... replaying the expired cookie: still 303');
	is($again->location_path, '/login', '... to /login');
}

# ---------------------------------------------------------------- idle
my $m = register_member();
{
	my $c = sign_in($m);
	my $tok = $c->session;
	is(row_count($tok), 1, 'idle: the signed-in cookie has a session row');
	is($c->get('/profile')->code, 200, 'idle: /profile works right after sign-in');

	# just under the idle limit: still signed in, and last_seen touched
	age_session($tok, created_at => $idle - 60, last_seen => $idle - 60);
	cmp_ok(seconds_since($tok, 'last_seen'), '>=', $idle - 60,
	    'idle: last_seen moved back to ' . ($idle - 60) . ' s ago');
	my $r = $c->get('/profile');
	is($r->code, 200, 'idle: ' . ($idle - 60) . ' s idle, GET /profile is still 200')
	    or diag($r->describe);
	is($r->text_of('profile-email'), $m->{email}, '... with the member\'s data');
	ok(!$r->set_cookie('__Host-portal'), '... and the cookie is kept (no Set-Cookie)');
	my $since = seconds_since($tok, 'last_seen');
	ok(defined $since && $since < 30, 'idle: last_seen was refreshed by that request'
	    . ' (now ' . ($since // 'no row') . ' s ago)');
	cmp_ok(seconds_since($tok, 'created_at'), '>=', $idle - 60,
	    '... while created_at is not touched');

	# younger than a minute: not written at every request
	age_session($tok, last_seen => 30);
	my $before = sql_value('SELECT last_seen FROM sessions WHERE ' . session_where($tok));
	is($c->get('/profile')->code, 200, 'idle: 30 s idle, GET /profile 200');
	is(sql_value('SELECT last_seen FROM sessions WHERE ' . session_where($tok)), $before,
	    '... last_seen younger than 60 s is not rewritten');

	# the idle limit itself is enforced again from the refreshed time
	age_session($tok, created_at => $idle + 5, last_seen => $idle + 5);
	cmp_ok(seconds_since($tok, 'last_seen'), '>=', $idle,
	    'idle: last_seen moved back past session_idle');
	cmp_ok(seconds_since($tok, 'created_at'), '<', $absolute,
	    '... created_at still within session_absolute');
	expect_expired('idle (' . ($idle + 5) . ' s)', $m, $c);

	# a new sign-in works normally afterwards
	my $c2 = eval { sign_in($m) };
	ok($c2, 'idle: the member can sign in again') or diag($@);
	my $p2 = $c2 ? $c2->get('/profile') : undef;
	is($p2 && $p2->code, 200, '... and reach /profile');
	is($p2 && $c2->submit($p2, 'logout-form')->code, 303, '... and sign out');
	is(session_count($m->{id}), 0, 'idle: no session row left for the member');
}

# ---------------------------------------------------------------- absolute
{
	my $c = sign_in($m);
	my $tok = $c->session;

	# just under the absolute limit, recently active: still signed in
	age_session($tok, created_at => $absolute - 60);
	my $r = $c->get('/profile');
	is($r->code, 200, 'absolute: ' . ($absolute - 60) . ' s old and active, GET /profile 200')
	    or diag($r->describe);
	is(row_count($tok), 1, '... the row is kept');

	# past the absolute limit although last_seen is fresh
	age_session($tok, created_at => 65);
	cmp_ok(seconds_since($tok, 'created_at'), '>=', $absolute,
	    'absolute: created_at moved back past session_absolute');
	cmp_ok(seconds_since($tok, 'last_seen'), '<', 60, '... while last_seen is fresh');
	expect_expired('absolute (' . ($absolute + 5) . ' s)', $m, $c);
}

# ---------------------------------------------------------------- other sessions
# The expiry of one session deletes only that one.
{
	my $old = sign_in($m);
	my $fresh = sign_in($m);
	is(session_count($m->{id}), 2, 'two sessions of the member');
	age_session($old->session, created_at => $idle + 5, last_seen => $idle + 5);
	is($old->get('/profile')->code, 303, 'the idle one is signed out');
	is($fresh->get('/profile')->code, 200, 'the fresh one still works');
	is(session_count($m->{id}), 1, 'exactly one session row left');
}

done_testing;
