# Maintenance flag: while var/maintenance exists every screen answers 503
# with Retry-After and the maintenance page showing the file's message;
# removing the file restores service without a restart.
use v5.36;
use utf8;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use Encode qw(encode);
use Time::HiRes qw(time sleep);
use PortalTest qw(:all);

my $flag = "$ROOT/var/maintenance";
ok(!-e $flag, 'no maintenance flag before the test') or BAIL_OUT("$flag exists already");
END { unlink $flag if defined $flag && -e $flag }

my $m = register_member(verify => 0);	# a token for /verify
my $a = register_member();
my $c = sign_in($a);
my $lc = client();
my $lp = $lc->get('/login');

my $msg = "定期メンテナンス中です（テスト$$）";
{
	open my $fh, '>:raw', "$flag.tmp" or die "$flag.tmp: $!";
	print $fh encode('UTF-8', "$msg\n");
	close $fh or die;
	chmod 0644, "$flag.tmp";
	rename "$flag.tmp", $flag or die "rename: $!";
}

my @screens = (
	[GET => '/', $c], [GET => '/login', client()], [GET => '/register', client()],
	[GET => '/profile', $c], [GET => "/verify?token=$m->{token}", client()],
	[GET => '/register/sent', client()], [GET => '/profile', client()],
);
for my $s (@screens) {
	my ($method, $path, $cl) = @$s;
	my $r = $cl->request($method, $path);
	is($r->code, 503, "maintenance: $method $path is 503") or diag($r->describe);
	like($r->header('retry-after') // '', qr/\A(?:\d+|\w{3}, \d\d \w{3} \d{4} [\d:]{8} GMT)\z/,
	    '... Retry-After is seconds or an HTTP date');
	ok($r->has_id('maintenance'), '... maintenance page');
	like($r->text_of('maintenance') // '', qr/\Q$msg\E/, '... showing the message from the file')
	    or diag($r->describe);
	unlike($r->body, qr/\Q$a->{email}\E/, '... and no personal data');
}
{
	my $r = $lc->submit($lp, 'login-form', { email => $a->{email}, password => $a->{password} });
	is($r->code, 503, 'maintenance: POST /login is 503');
	my $page = $c->clone->get('/profile');
	is($page->code, 503, 'maintenance: signed-in GET /profile is still 503');
}

unlink $flag or die "unlink $flag: $!";
ok(!-e $flag, 'flag removed');
my $r = client()->get('/login');
is($r->code, 200, 'after removing the flag: GET /login is 200 (no restart)');
ok(!$r->has_id('maintenance'), '... normal page');
$r = $c->get('/profile');
is($r->code, 200, 'the session survived maintenance: GET /profile is 200');
is($r->text_of('profile-email'), $a->{email}, '... with the member\'s data');
$r = client()->get("/verify?token=$m->{token}");
is($r->code, 200, 'GET /verify is 200 again');
is(member_state($m->{id}), 'pending', 'nothing was activated during maintenance');
is($lc->get('/profile')->code, 303, 'the sign-in posted during maintenance gave no session');

done_testing;
