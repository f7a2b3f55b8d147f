#!/usr/bin/perl
# CGI black-box tier (STYLE.md principle 13): the real, built programs run
# as plain CGI (app_main answers one request from the environment and
# stdin when no FastCGI manager started them) with a made-up environment,
# and their raw CGI responses are checked: status, headers, body, exit
# status.  The database is unreachable on purpose (db_socket names a file
# that does not exist), so everything here is what the programs must do
# without MariaDB: routing (404/405), request bounds (400/413/415),
# maintenance (503), a missing or invalid configuration (503), a clean 503
# when the database is down, and no header injection from request data.
#
# Run by "make check" (automake's TAP driver) from the build directory;
# also by hand:  cd build && srcdir=.. perl ../t/cgi/blackbox.t
# The programs are found in the current directory's cgi-bin/ and sbin/
# (the build directory), else under $PORTAL_BUILD.
use strict;
use warnings;
use Cwd qw(abs_path getcwd);
use File::Basename qw(dirname);
use File::Temp qw(tempdir);
use POSIX qw(:sys_wait_h);
use Time::HiRes qw(sleep time);
use Test::More;

# ------------------------------------------------------------------ set-up

my $srcdir = abs_path($ENV{srcdir} // dirname(__FILE__) . '/../..');
my $build = getcwd();
$build = $ENV{PORTAL_BUILD}
    if !-x "$build/cgi-bin/portal-auth" && defined $ENV{PORTAL_BUILD};
my %prog = map { $_ => "$build/cgi-bin/portal-$_" }
    qw(auth register profile reset health);
my $portalctl = "$build/sbin/portalctl";
for my $p (values %prog, $portalctl) {
	-x $p or BAIL_OUT("$p is not built (run from the build directory)");
}
# One path served by each program (its first route).
my %path = (auth => '/login', register => '/register', profile => '/profile',
    reset => '/reset', health => '/healthz');

# Message catalogue texts, read from lib/msg.c so wording changes do not
# break the test.
my %msg;
{
	open my $fh, '<:raw', "$srcdir/lib/msg.c"
	    or BAIL_OUT("$srcdir/lib/msg.c: $!");
	local $/;
	my $c = <$fh>;
	$msg{$1} = $2 while $c =~ /\{\s*"([a-z0-9_]+)",\s*"((?:[^"\\]|\\.)*)"\s*\}/g;
	for (qw(err_not_found err_method err_unavailable err_bad_request
	    err_too_large maintenance_text)) {
		defined $msg{$_} or BAIL_OUT("message $_ not found in lib/msg.c");
	}
}

my $tmp = tempdir('portal-cgi-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my $keys = "$tmp/keys";
my $maint = "$tmp/maint";
my $nosock = "$tmp/no-such.sock";
mkdir $keys, 0750 or BAIL_OUT("mkdir $keys: $!");

sub write_file {
	my ($path, $text) = @_;
	open my $fh, '>:raw', $path or die "$path: $!";
	print {$fh} $text;
	close $fh or die "$path: $!";
}

my $conf_text = <<"EOF";
# written by t/cgi/blackbox.t
environment = development
base_url = https://127.0.0.1:8443
timezone = Asia/Tokyo
db_socket = $nosock
db_password_file =
key_dir = $keys
sql_dir = $srcdir/sql
maintenance_flag = $maint
mail_command = /bin/true
EOF
my $conf = "$tmp/portal.conf";
write_file($conf, $conf_text);

{
	my $out = `'$portalctl' -c '$conf' keys init 2>&1`;
	is($?, 0, 'portalctl keys init creates the test keys') or diag($out);
	ok(-s "$keys/$_", "... $_") for qw(data.key index.key csrf.key audit.key);
}

# ------------------------------------------------------------------ running

# Environment passed through to the programs (sanitizer settings).
my @pass = grep { defined $ENV{$_} }
    qw(ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS LD_LIBRARY_PATH);

# Run one CGI request.  Options: prog (key of %prog), method, uri (path
# with optional "?query"), query (QUERY_STRING; default: from uri),
# ctype, clen, cookie, body, conf, stdin (an open handle instead of body),
# env (hashref of extra variables).  Returns a hashref: exit (wait status),
# raw, head, body, status, headers (arrayref of [name, value]), stderr,
# lines (header lines), timeout.
sub cgi {
	my (%o) = @_;
	my $uri = $o{uri} // '/';
	my $query = $o{query};
	$query //= $uri =~ /\?(.*)\z/s ? $1 : '';
	my %env = (
		PATH			=> '/usr/bin:/bin',
		GATEWAY_INTERFACE	=> 'CGI/1.1',
		SERVER_PROTOCOL		=> 'HTTP/1.1',
		SERVER_SOFTWARE		=> 'blackbox.t',
		SERVER_NAME		=> '127.0.0.1',
		SERVER_PORT		=> '8443',
		HTTPS			=> 'on',
		REMOTE_ADDR		=> '192.0.2.7',
		REQUEST_METHOD		=> $o{method} // 'GET',
		REQUEST_URI		=> $uri,
		QUERY_STRING		=> $query,
		PORTAL_CONF		=> $o{conf} // $conf,
		(map { $_ => $ENV{$_} } @pass),
	);
	$env{CONTENT_TYPE} = $o{ctype} if defined $o{ctype};
	$env{CONTENT_LENGTH} = $o{clen} if defined $o{clen};
	$env{HTTP_COOKIE} = $o{cookie} if defined $o{cookie};
	%env = (%env, %{$o{env} // {}});
	delete $env{$_} for grep { !defined $env{$_} } keys %env;

	my $in = "$tmp/stdin";
	write_file($in, $o{body} // '') unless $o{stdin};
	my ($out, $err) = ("$tmp/stdout", "$tmp/stderr");
	my $exe = $prog{$o{prog} // 'auth'};
	my $pid = fork;
	die "fork: $!" unless defined $pid;
	if ($pid == 0) {
		if ($o{stdin}) {
			open STDIN, '<&', $o{stdin} or POSIX::_exit(126);
		} else {
			open STDIN, '<', $in or POSIX::_exit(126);
		}
		open STDOUT, '>', $out or POSIX::_exit(126);
		open STDERR, '>', $err or POSIX::_exit(126);
		%ENV = %env;
		exec { $exe } $exe or POSIX::_exit(127);
	}
	my ($t0, $timeout) = (time, 0);
	while (waitpid($pid, WNOHANG) == 0) {
		if (time - $t0 > 60) {
			kill 'KILL', $pid;
			waitpid($pid, 0);
			$timeout = 1;
			last;
		}
		sleep 0.01;
	}
	my $st = $?;
	my %r = (exit => $st, timeout => $timeout);
	{
		local $/;
		open my $fh, '<:raw', $out or die "$out: $!";
		$r{raw} = <$fh> // '';
		open $fh, '<:raw', $err or die "$err: $!";
		$r{stderr} = <$fh> // '';
	}
	my ($head, $body) = split /\r\n\r\n/, $r{raw}, 2;
	$r{head} = $head // '';
	$r{body} = $body // '';
	$r{lines} = [split /\r\n/, $r{head}, -1];
	$r{headers} = [map { /\A([^:]*): ?(.*)\z/s ? [$1, $2] : [$_, undef] }
	    @{$r{lines}}];
	my ($s) = map { $_->[1] } grep { lc $_->[0] eq 'status' } @{$r{headers}};
	$r{status} = defined $s && $s =~ /\A(\d{3}) / ? $1 : 0;
	return \%r;
}

# All values of header name (case-insensitive).
sub hdr {
	my ($r, $name) = @_;
	return map { $_->[1] } grep { lc $_->[0] eq lc $name } @{$r->{headers}};
}

# First value of header name or undef.
sub hdr1 {
	my @v = hdr(@_);
	return $v[0];
}

sub describe {
	my ($r) = @_;
	my $b = length $r->{body} > 600 ? substr($r->{body}, 0, 600) . '...'
	    : $r->{body};
	return "exit $r->{exit}" . ($r->{timeout} ? ' (timeout)' : '')
	    . "\n--- head\n$r->{head}\n--- body\n$b\n--- stderr\n$r->{stderr}";
}

# What every answer must satisfy: the process exited 0 (no sanitizer
# report, no crash), a well-formed CGI head (CRLF lines "Name: value", no
# bare CR or LF, so nothing could split a header), Content-Length matching
# the body, the security headers, only the portal's own cookie.
sub check_common {
	my ($r, $what) = @_;
	my @bad;
	push @bad, 'exit status ' . ($r->{exit} >> 8) . ' signal '
	    . ($r->{exit} & 127) if $r->{exit} != 0;
	push @bad, 'timed out' if $r->{timeout};
	push @bad, 'sanitizer report on stderr'
	    if $r->{stderr} =~ /Sanitizer|runtime error:/;
	push @bad, 'no blank line after the head'
	    unless $r->{raw} =~ /\r\n\r\n/;
	for my $l (@{$r->{lines}}) {
		push @bad, "malformed header line '$l'"
		    unless $l =~ /\A[A-Za-z0-9-]+: [^\r\n\0]*\z/;
	}
	my ($cl) = hdr($r, 'content-length');
	push @bad, 'Content-Length ' . ($cl // 'missing') . ' != body '
	    . length($r->{body})
	    if !defined $cl || $cl != length $r->{body};
	my %want = (
		'content-security-policy'	=> qr/default-src 'self'.*frame-ancestors 'none'/,
		'x-frame-options'		=> qr/\ADENY\z/,
		'x-content-type-options'	=> qr/\Anosniff\z/,
		'referrer-policy'		=> qr/\Asame-origin\z/,
		'strict-transport-security'	=> qr/\Amax-age=\d+/,
		'cache-control'			=> qr/\Ano-store\z/,
	);
	for my $h (sort keys %want) {
		my @v = hdr($r, $h);
		push @bad, "header $h missing or twice" unless @v == 1;
		push @bad, "header $h is '$v[0]'" if @v == 1 && $v[0] !~ $want{$h};
	}
	for my $c (hdr($r, 'set-cookie')) {
		push @bad, "foreign Set-Cookie '$c'" unless $c =~
		    /\A__Host-portal=(?:[A-Za-z0-9_-]{43})?; Path=\/; Secure; HttpOnly; SameSite=Lax(?:; Max-Age=0)?\z/;
	}
	ok(!@bad, "$what: exit 0, well-formed CGI head with the security headers")
	    or diag(join("\n", @bad) . "\n" . describe($r));
}

# Status, common checks, and optionally the error message of the page.
sub expect {
	my ($r, $status, $what, $msgkey) = @_;
	is($r->{status}, $status, "$what: $status") or diag(describe($r));
	check_common($r, $what);
	if (defined $msgkey) {
		like($r->{body}, qr/id="error-page"/, "$what: the error page");
		ok(index($r->{body}, $msg{$msgkey}) >= 0,
		    "$what: message $msgkey") or diag(describe($r));
	}
}

# Internals a client must never see.
my $internals = qr/SELECT|INSERT|UPDATE\s|DELETE\s|mysql|mariadb|errno|
    Can't\s+connect|socket|no-such|\.c:\d+|Sanitizer|stack|segfault|
    Traceback|portal\.conf|\Q$tmp\E/xi;

# ------------------------------------------------------------------ routing

{
	my $r = cgi(prog => 'auth', uri => '/no/such/page');
	expect($r, 404, 'GET /no/such/page (auth)', 'err_not_found');
	like(hdr1($r, 'content-type') // '', qr{\Atext/html; charset=utf-8\z},
	    '... served as UTF-8 HTML');
	unlike($r->{body}, qr{/no/such/page}, '... the page does not echo the path');
	for my $p (qw(register profile reset health)) {
		expect(cgi(prog => $p, uri => '/nothing-here'), 404,
		    "GET /nothing-here ($p)", 'err_not_found');
	}
	expect(cgi(prog => 'auth', uri => '/register'), 404,
	    'a path of another program is 404 (auth /register)', 'err_not_found');
}

{
	expect(cgi(prog => 'auth', uri => '/logout'), 405,
	    'GET /logout (POST only)', 'err_method');
	expect(cgi(prog => 'auth', method => 'PUT', uri => '/login'), 405,
	    'PUT /login', 'err_method');
	expect(cgi(prog => 'profile', method => 'DELETE', uri => '/profile'), 405,
	    'DELETE /profile', 'err_method');
	expect(cgi(prog => 'register', method => 'POST', uri => '/register/sent',
	    ctype => 'application/x-www-form-urlencoded', clen => 0), 405,
	    'POST /register/sent (GET only)', 'err_method');
	expect(cgi(prog => 'health', method => 'POST', uri => '/healthz',
	    ctype => 'application/x-www-form-urlencoded', clen => 0), 405,
	    'POST /healthz', 'err_method');
	my $r = cgi(prog => 'auth', method => 'HEAD', uri => '/no/such');
	is($r->{status}, 404, 'HEAD of an unknown path: 404');
	is($r->{body}, '', '... without a body');
	ok($r->{exit} == 0, '... exit 0');
}

# ------------------------------------------------------------------ database down

for my $case (
    ['auth', 'GET', '/login'],
    ['auth', 'GET', '/'],
    ['register', 'GET', '/register'],
    ['register', 'GET', '/verify?token=' . ('A' x 43)],
    ['profile', 'GET', '/profile'],
    ['profile', 'GET', '/profile/sessions'],
    ['reset', 'GET', '/reset'],
    ['reset', 'GET', '/reset/confirm?token=' . ('A' x 43)],
    ['auth', 'POST', '/login', 'email=a%40example.jp&password=x&csrf=y'],
    ['register', 'POST', '/verify', 'token=abc&csrf=y'],
    ) {
	my ($p, $m, $u, $body) = @$case;
	my $r = cgi(prog => $p, method => $m, uri => $u, body => $body,
	    defined $body ? (ctype => 'application/x-www-form-urlencoded',
	    clen => length $body) : ());
	expect($r, 503, "DB unreachable: $m $u", 'err_unavailable');
	like(hdr1($r, 'retry-after') // '', qr/\A[1-9]\d*\z/, '... Retry-After');
	unlike($r->{body}, $internals, '... no SQL, socket path or stack text');
	like($r->{stderr}, qr/ ERR /, '... the cause is in the log (stderr)');
}
{
	# A well-formed session cookie makes the program load the session
	# (not just ping): the same clean 503.
	my $r = cgi(prog => 'profile', uri => '/profile',
	    cookie => '__Host-portal=' . ('b' x 43));
	expect($r, 503, 'DB unreachable, session cookie: GET /profile',
	    'err_unavailable');
	unlike($r->{body}, $internals, '... no internals');
	is(scalar(hdr($r, 'set-cookie')), 0, '... no cookie set');
}
{
	my $r = cgi(prog => 'health', uri => '/healthz');
	is($r->{status}, 503, 'DB unreachable: /healthz is 503');
	check_common($r, 'GET /healthz');
	is($r->{body}, "unavailable\n", '... body "unavailable"');
	like(hdr1($r, 'content-type') // '', qr{\Atext/plain}, '... text/plain');
	like(hdr1($r, 'retry-after') // '', qr/\A[1-9]\d*\z/, '... Retry-After');
}

# ------------------------------------------------------------------ request bounds

my $form = 'application/x-www-form-urlencoded';
{
	# 413 before anything is read: stdin is a pipe that stays open with
	# a few bytes in it; reading the announced length would block (the
	# runner kills after 60 s) and would consume the bytes.
	pipe(my $rd, my $wr) or die "pipe: $!";
	syswrite($wr, 'email=x') == 7 or die "write: $!";
	my $r = cgi(prog => 'auth', method => 'POST', uri => '/login',
	    ctype => $form, clen => 65537, stdin => $rd);
	expect($r, 413, 'POST /login, CONTENT_LENGTH 65537 > max_body',
	    'err_too_large');
	ok(!$r->{timeout}, '... answered without waiting for the body');
	close $wr;
	my $left = do { local $/; <$rd> } // '';
	is($left, 'email=x', '... and the body was not read');
	close $rd;
	$r = cgi(prog => 'register', method => 'POST', uri => '/register',
	    ctype => $form, clen => '99999999999999999999');
	ok($r->{status} == 413 || $r->{status} == 400,
	    'POST /register, CONTENT_LENGTH 10^20: 413 or 400')
	    or diag(describe($r));
	check_common($r, 'huge CONTENT_LENGTH');
}
for my $bad ('12abc', '-1', ' 5', '5 ', '0x10', '+5', '1e3') {
	my $r = cgi(prog => 'auth', method => 'POST', uri => '/login',
	    ctype => $form, clen => $bad, body => 'a=1&b=2&c=3&d');
	expect($r, 400, "POST /login, CONTENT_LENGTH '$bad'", 'err_bad_request');
}
{
	my $r = cgi(prog => 'auth', method => 'POST', uri => '/login',
	    ctype => $form, clen => 20, body => 'email=a');
	expect($r, 400, 'POST /login, body shorter than CONTENT_LENGTH',
	    'err_bad_request');
}
for my $ct ('text/plain', 'multipart/form-data; boundary=x',
    'application/x-www-form-urlencodedX', 'application/json', undef) {
	my $r = cgi(prog => 'auth', method => 'POST', uri => '/login',
	    ctype => $ct, clen => 5, body => 'a=1&b');
	expect($r, 415, 'POST /login, Content-Type ' . ($ct // '(none)'));
}
{
	my $r = cgi(prog => 'register', method => 'POST', uri => '/register',
	    ctype => "$form; charset=UTF-8", clen => 3, body => 'a=1');
	isnt($r->{status}, 415, 'urlencoded with "; charset=UTF-8" is accepted');
	check_common($r, 'urlencoded with charset');
}
for my $case (
    ['invalid UTF-8 (%FF)', 'x=%FF'],
    ['invalid UTF-8 (overlong %C0%AF)', 'x=%C0%AF'],
    ['invalid UTF-8 (raw byte)', "x=\xff"],
    ['a NUL byte (%00)', 'x=a%00b'],
    ['a bad %-escape', 'x=%G1'],
    ['a duplicate parameter', 'a=1&a=2'],
    ['65 parameters', join('&', map { "p$_=1" } 1 .. 65)],
    ['a value over max_field', 'x=' . ('v' x 8193)],
    ) {
	my ($what, $q) = @$case;
	my $r = cgi(prog => 'auth', uri => "/login?$q");
	expect($r, 400, "GET /login with $what in the query", 'err_bad_request');
}
{
	# The boundary: 64 parameters pass the parser (then the DB is down).
	my $r = cgi(prog => 'auth',
	    uri => '/login?' . join('&', map { "p$_=1" } 1 .. 64));
	is($r->{status}, 503, 'GET /login with 64 parameters passes the parser (503: DB down)')
	    or diag(describe($r));
	for my $case (['invalid UTF-8', 'x=%FF'], ['a duplicate', 'a=1&a=2'],
	    ['65 parameters', join('&', map { "p$_=1" } 1 .. 65)]) {
		my $body = $case->[1];
		$r = cgi(prog => 'auth', method => 'POST', uri => '/login',
		    ctype => $form, clen => length $body, body => $body);
		expect($r, 400, "POST /login with $case->[0] in the body",
		    'err_bad_request');
	}
}
{
	my $r = cgi(prog => 'auth', uri => '/' . ('a' x 3000));
	is($r->{status}, 400, 'a 3000-byte path: 400') or diag(describe($r));
	check_common($r, 'long path');
}

# ------------------------------------------------------------------ header injection

sub no_injection {
	my ($r, $what) = @_;
	check_common($r, $what);
	ok(!grep({ /evil|injected/i } @{$r->{lines}}),
	    "$what: nothing of the request in the response head")
	    or diag(describe($r));
	ok(!grep({ lc $_->[0] eq 'x-injected' } @{$r->{headers}}),
	    "$what: no injected header");
}

for my $ck ("a=b\r\nSet-Cookie: evil=1",
    "__Host-portal=x\r\nX-Injected: 1",
    "__Host-portal=" . ('c' x 43) . "\r\nSet-Cookie: evil=1",
    "__Host-portal=\"\r\nX-Injected: evil\"",
    "\nX-Injected: evil",
    "\x01\x02\x7f;;==; =; ;evil\r",
    "a=%0D%0ASet-Cookie:%20evil=1",
    "\xff\xfe=evil; b=\xc0\xaf",
    join('; ', map { "c$_=evil" } 1 .. 70),
    ) {
	(my $show = $ck) =~ s/([^\x20-\x7e])/sprintf('\\x%02x', ord $1)/ge;
	$show = substr($show, 0, 50) . '...' if length $show > 50;
	for my $p (qw(auth register)) {
		no_injection(cgi(prog => $p, uri => $path{$p}, cookie => $ck),
		    "$p, Cookie '$show'");
	}
}
for my $uri ("/login\r\nSet-Cookie: x=evil",
    "/\r\nX-Injected: evil",
    "/login?next=%0D%0ASet-Cookie:%20x=evil",
    "/login?next=\r\nSet-Cookie: x=evil",
    "/%0d%0aSet-Cookie:%20x=evil") {
	(my $show = $uri) =~ s/\r/\\r/g;
	$show =~ s/\n/\\n/g;
	my $r = cgi(prog => 'auth', uri => $uri);
	no_injection($r, "REQUEST_URI '$show'");
	ok($r->{status} >= 400, "... answered $r->{status}");
	ok(!grep({ /\ASet-Cookie: x/i } @{$r->{lines}}), '... no Set-Cookie: x');
}
{
	my $r = cgi(prog => 'auth', uri => '/login', env => {
	    HTTP_ORIGIN => "https://evil\r\nX-Injected: 1",
	    HTTP_USER_AGENT => "ua\r\nX-Injected: 1",
	    UNIQUE_ID => "id\r\nX-Injected: evil",
	    HTTP_SEC_FETCH_SITE => "x\r\nX-Injected: 1" });
	no_injection($r, 'CR/LF in Origin, User-Agent, UNIQUE_ID');
}

# ------------------------------------------------------------------ maintenance

write_file($maint, "<b>x</b> \x{e3}\x{81}\x{82}\n");
for my $p (sort keys %prog) {
	for my $u ($path{$p}, '/unknown') {
		my $r = cgi(prog => $p, uri => $u);
		expect($r, 503, "maintenance: $p GET $u");
		like(hdr1($r, 'retry-after') // '', qr/\A[1-9]\d*\z/,
		    '... Retry-After');
		like($r->{body}, qr/id="maintenance"/, '... the maintenance page');
		ok(index($r->{body}, $msg{maintenance_text}) >= 0,
		    '... its catalogue text');
		ok(index($r->{body}, '&lt;b&gt;x&lt;/b&gt;') >= 0,
		    '... the flag file\'s message, escaped');
		ok(index($r->{body}, '<b>x</b>') < 0, '... never raw');
	}
}
{
	my $r = cgi(prog => 'auth', method => 'POST', uri => '/login',
	    ctype => $form, clen => 3, body => 'a=1');
	expect($r, 503, 'maintenance: POST /login');
}
write_file($maint, "\xff\xfe<script>\n");
{
	my $r = cgi(prog => 'register', uri => '/register');
	expect($r, 503, 'maintenance with invalid UTF-8 in the flag file');
	unlike($r->{body}, qr/<script>|\xff/, '... the invalid text is not shown');
}
unlink $maint or die "$maint: $!";
is(cgi(prog => 'register', uri => '/register')->{status}, 503,
    'flag removed: back to the DB-down 503 (not the maintenance page)');
unlike(cgi(prog => 'register', uri => '/register')->{body}, qr/id="maintenance"/,
    '... without the maintenance page');

# ------------------------------------------------------------------ configuration

my %bad_conf = (
	'missing file'		=> "$tmp/does-not-exist.conf",
	'unknown key'		=> "$tmp/unknown-key.conf",
	'bad number'		=> "$tmp/bad-number.conf",
	'missing key_dir'	=> "$tmp/no-keys.conf",
	'garbage'		=> "$tmp/garbage.conf",
	'empty PORTAL_CONF'	=> '',
);
write_file($bad_conf{'unknown key'}, "$conf_text\nno_such_setting = 1\n");
write_file($bad_conf{'bad number'}, "$conf_text\nmax_body = 12abc\n");
(my $nokeys = $conf_text) =~ s/^key_dir = .*$/key_dir = $tmp\/no-such-keys/m;
write_file($bad_conf{'missing key_dir'}, $nokeys);
write_file($bad_conf{garbage}, "\x00\xff\r\n[section]\n= =\n");
for my $case (sort keys %bad_conf) {
	for my $p (sort keys %prog) {
		for my $u ($path{$p}, '/unknown') {
			my $r = cgi(prog => $p, uri => $u,
			    conf => $bad_conf{$case});
			expect($r, 503, "config $case: $p GET $u",
			    'err_unavailable');
			like(hdr1($r, 'retry-after') // '', qr/\A[1-9]\d*\z/,
			    '... Retry-After');
			unlike($r->{body}, $internals, '... no internals');
		}
	}
}
{
	my $r = cgi(prog => 'auth', method => 'POST', uri => '/login',
	    conf => $bad_conf{'unknown key'}, ctype => $form, clen => 3,
	    body => 'a=1');
	expect($r, 503, 'config invalid: POST /login', 'err_unavailable');
}

done_testing;
