# Sessions: a new token at sign-in (the anonymous one gains nothing), only a
# hash of the token in the DB, and logout that deletes the row so replaying
# the old cookie is treated as signed out.
use v5.36;
use utf8;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use PortalTest qw(:all);

my $m = register_member();
is(session_count($m->{id}), 0, 'no session row for the new member yet');

my $c = client();
my $page = $c->get('/login');
my $anon = $c->session;
like($anon // '', qr/\A[A-Za-z0-9_-]{43}\z/, 'anonymous cookie after GET /login');
is(session_rows_for_token($anon), 0, 'an anonymous cookie has no DB row');

my $r = $c->submit($page, 'login-form', { email => $m->{email}, password => $m->{password} });
is($r->code, 303, 'sign-in 303') or BAIL_OUT($r->describe);
my $tok = $c->session;
like($tok // '', qr/\A[A-Za-z0-9_-]{43}\z/, 'session cookie after sign-in');
isnt($tok, $anon, 'the cookie value changed at sign-in (rotation)');
is(session_count($m->{id}), 1, 'one session row for the member');
is(session_rows_for_token($tok), 1, 'the row holds the SHA-256 of the token');
{
	my @cols = table_columns('sessions');
	my $raw = sql_value('SELECT COUNT(*) FROM sessions WHERE '
	    . join(' OR ', map { "INSTR(HEX(`$_`), HEX('$tok')) > 0" } @cols));
	is($raw, 0, 'the token itself is not stored');
}

# the anonymous value (e.g. planted by an attacker before sign-in) gains nothing
{
	my $fix = client();
	$fix->set_cookie_value('__Host-portal', $anon);
	my $res = $fix->get('/profile');
	is($res->code, 303, 'the pre-sign-in cookie cannot reach /profile');
	is($res->location_path, '/login', '... redirected to /login');
	unlike($res->body, qr/\Q$m->{email}\E/, '... and shows no data');
}

# the session works from another client holding the same cookie
my $replay = $c->clone;
$r = $replay->get('/profile');
is($r->code, 200, 'the signed-in cookie reaches /profile');
is($r->text_of('profile-email'), $m->{email}, '... of this member');

# a second sign-in from elsewhere is a second session; logout ends only its own
my $c2 = sign_in($m);
isnt($c2->session, $tok, 'a second sign-in gets another token');
is(session_count($m->{id}), 2, 'two session rows');

# logout
$page = $c->get('/profile');
$r = $c->submit($page, 'logout-form');
is($r->code, 303, 'logout 303');
is($r->location_path, '/login', '... to /login');
my $del = $r->set_cookie('__Host-portal');
ok($del && ($del->{attrs}{'max-age'} // '') eq '0', '... cookie cleared with Max-Age=0');
ok(!defined $c->session, 'the client has no session cookie');
is(session_rows_for_token($tok), 0, 'the row of the old token is deleted');
is(session_count($m->{id}), 1, 'the other session of the member remains');

# replaying the old value is treated as signed out
for my $p ('/profile', '/') {
	my $res = $replay->get($p);
	is($res->code, 303, "replayed old cookie: GET $p is 303");
	is($res->location_path, '/login', '... to /login');
}
{
	my $old = client();
	$old->set_cookie_value('__Host-portal', $tok);
	my $res = $old->post_form('/profile', { csrf => $page->csrf, name => "再生$$",
	    name_kana => 'サイセイ', phone => '03-1234-5678', postal_code => '100-0001',
	    address => "再生 1-$$", version => $page->form('profile-form')->{fields}{version} });
	ok($res->code == 303 || $res->code == 403,
	    'replayed old cookie + its csrf: POST /profile refused (303 to /login or 403)')
	    or diag($res->describe);
	is($res->location_path, '/login', '... to /login') if $res->code == 303;
	is($c2->get('/profile')->form('profile-form')->{fields}{name}, $m->{name},
	    '... and nothing changed');
}

is($c2->get('/profile')->code, 200, 'the other session still works');
$page = $c2->get('/profile');
is($c2->submit($page, 'logout-form')->code, 303, 'second logout 303');
is(session_count($m->{id}), 0, 'no session rows left for the member');

done_testing;
