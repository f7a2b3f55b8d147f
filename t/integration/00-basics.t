# Basics of the running stack: health check, http -> https redirect, static
# files, unknown paths, and the / redirect for signed-out visitors.
use v5.36;
use utf8;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use HTTP::Tiny;
use PortalTest qw(:all);

my $c = client();

# /healthz
my $r = $c->get('/healthz');
is($r->code, 200, 'GET /healthz is 200');
like($r->raw, qr/\Aok\s*\z/, 'GET /healthz body is "ok"');
unlike($r->raw, qr/@/, '/healthz shows no mail address');

# http -> https on the same path and query
{
	my $h = HTTP::Tiny->new(max_redirect => 0, keep_alive => 0, timeout => 30);
	my $hp = $ENV{PORTAL_HTTP_PORT} // 8080;
	(my $http = $URL) =~ s{\Ahttps://([^/:]+)(?::\d+)?}{http://$1:$hp};
	for my $p ('/any', '/login?x=1') {
		my $res = $h->get("$http$p");
		ok($res->{status} == 301 || $res->{status} == 308,
		    "GET http $p is a permanent redirect")
		    or diag("status $res->{status}");
		is($res->{headers}{location}, "$URL$p",
		    "... to $URL$p");
	}
}

# static files
$r = $c->get('/static/portal.css');
is($r->code, 200, 'GET /static/portal.css is 200');
like($r->header('content-type') // '', qr{\Atext/css}, '... served as text/css');
ok(length $r->raw > 0, '... and not empty');

# unknown paths
for my $p ('/nope', '/profile/nope', '/static/nope.css', '/register/nope') {
	my $res = $c->get($p);
	is($res->code, 404, "GET $p is 404");
	unlike($res->body, qr/\Q$p\E/, "... the 404 page does not echo the path")
	    if $p =~ /nope/;
}

# / for a signed-out visitor
$r = client()->get('/');
is($r->code, 303, 'GET / signed out is 303');
is($r->location_path, '/login', '... to /login');

# /logout is POST only
$r = client()->get('/logout');
ok($r->code == 405 || $r->code == 404 || $r->code == 303,
    'GET /logout changes nothing (405/404/303)')
    or diag($r->describe);

done_testing;
