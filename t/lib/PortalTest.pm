package PortalTest;

# Shared code of the integration tests: an HTTPS client with its own cookie
# jar, HTML helpers (elements by id, forms, hidden fields), test data
# generators, the whole registration + verification flow, sign-in, the dev
# mail directory and SQL look-ups through "dev.sh sql".
#
# Environment (defaults in brackets):
#   PORTAL_ROOT  repository root [two levels above this file]
#   PORTAL_URL   base URL [https://127.0.0.1:$PORTAL_PORT, port 8443]
#   PORTAL_HTTP_PORT  plain-http port that redirects [8080]
#   PORTAL_CA    CA file that verifies the server certificate
#                [$PORTAL_ROOT/var/tls/cert.pem]
#
# Helpers die with a descriptive message when the product answers something
# unexpected, so a test file that depends on them stops visibly.
#
# Sign-in throttling (AUTH-3): every failed sign-in from 127.0.0.1 counts
# against that address (throttle_failures per throttle_window), and the
# whole suite runs from there, twice in a row in CI.  So that no test file
# is answered 429 because of failures earlier files made on purpose, the
# first client() of every test process clears the address's window
# (clear_throttle); each file must then stay below throttle_failures on its
# own or call clear_throttle itself.  t/integration/47-throttle.t tests the
# throttle and clears the window again in an END block.

use v5.36;
use utf8;
use Carp qw(croak);
use Cwd qw(abs_path);
use Digest::SHA qw(sha256 sha256_hex hmac_sha1);
use Encode qw(decode encode);
use File::Basename qw(dirname);
use HTTP::Tiny;
use MIME::Base64 qw(decode_base64url);
use Test::More ();
use Time::HiRes qw(time sleep);
use File::Temp qw(tempfile);
use POSIX ();
use Exporter qw(import);

our @EXPORT_OK = qw(
    $ROOT $URL $CA client new_member_fields register_member sign_in
    latest_mail_to mails_to sql sql_value table_columns pick_column
    member_count max_member_id member_state session_count
    session_rows_for_token unique_email gen_password gen_phone to_kana
    html_decode urlencode japanese_text dev_sh
    conf_value run_capture portalctl try_sign_in session_where
    waf_blocked waf_off
    msg_text clear_throttle change_password request_reset reset_mail
    mails_to_since b32_decode totp_code enrol_totp
);
our %EXPORT_TAGS = (all => \@EXPORT_OK);

our $ROOT = $ENV{PORTAL_ROOT} // abs_path(dirname(__FILE__) . '/../..');
our $URL  = $ENV{PORTAL_URL} // 'https://127.0.0.1:' . ($ENV{PORTAL_PORT} // 8443);
$URL =~ s{/+\z}{};
our $CA   = $ENV{PORTAL_CA} // "$ROOT/var/tls/cert.pem";

# Diagnostics carry Japanese text.
{
	my $tb = Test::More->builder;
	binmode $tb->$_, ':encoding(UTF-8)'
	    for qw(output failure_output todo_output);
}

my $seq = 0;

my $throttle_cleared = 0;

# A fresh client (own cookie jar).  The first one of a test process
# clears the sign-in throttle of the test address first (see the top of
# this file; a database that is down is only noted).
sub client (%o) {
	unless ($throttle_cleared++) {
		eval { clear_throttle(); 1 }
		    or Test::More::note("login_throttle not cleared: $@");
	}
	return PortalTest::Client->new(%o);
}

# ------------------------------------------------------------------ data

sub unique_email ($tag = 't') {
	$seq++;
	return "$tag$$-$seq-" . int(time) . '@example.jp';
}

# 20 characters: upper, lower, digit, symbol, then random alphanumerics.
sub gen_password ($len = 20) {
	my @c = ('A' .. 'Z', 'a' .. 'z', '0' .. '9');
	my $p = 'Aa1!';
	$p .= $c[int rand @c] while length($p) < $len;
	return $p;
}

# Digits as full-width katakana, to make unique kana strings.
sub to_kana ($digits) {
	my @k = split //, 'アイウエオカキクケコ';
	return join '', map { $k[$_] } split //, $digits;
}

sub gen_phone () {
	return sprintf('090-%04d-%04d', int rand 10000, int rand 10000);
}

# Valid registration fields, unique per call; %o overrides.
sub new_member_fields (%o) {
	my $email = $o{email} // unique_email();
	$seq++;
	my $tag = $$ . $seq . (int(time) % 100000);
	my $pw = $o{password} // gen_password();
	my %f = (
		email		=> $email,
		name		=> "試験 太郎$tag",
		name_kana	=> 'シケン ' . to_kana($tag),
		phone		=> gen_phone(),
		postal_code	=> '100-0001',
		address		=> "東京都千代田区千代田1-1 試験棟${tag}号",
		password	=> $pw,
		password_confirm => $pw,
		%o,
	);
	return \%f;
}

# True if the string holds at least one Japanese character (kana or kanji).
sub japanese_text ($s) {
	return defined $s && $s =~ /[\x{3040}-\x{30FF}\x{4E00}-\x{9FFF}\x{FF00}-\x{FFEF}]/;
}

# ------------------------------------------------------------------ flows

# Register (and unless verify => 0, verify) a member.  Returns a hashref
# with the fields, id (members.id), token, mail, and client (the anonymous
# client that registered).
sub register_member (%o) {
	my $verify = delete $o{verify} // 1;
	my $f = new_member_fields(%o);
	my $c = client();
	my $form = $c->get('/register');
	$form->code == 200 && $form->form('register-form')
	    or croak 'GET /register: ' . $form->describe;
	my $before = max_member_id();
	my $r = $c->submit($form, 'register-form', {%$f});
	$r->code == 303 && $r->location_path eq '/register/sent'
	    or croak "POST /register ($f->{email}): " . $r->describe;
	my @new = sql("SELECT id FROM members WHERE id > $before ORDER BY id");
	@new == 1 or croak 'POST /register stored ' . scalar(@new)
	    . ' new member rows (expected 1)';
	my $m = { %$f, id => $new[0][0], client => $c };
	my $mail = latest_mail_to($f->{email})
	    or croak "no verification mail to $f->{email} in $ROOT/var/mail";
	defined $mail->{token}
	    or croak "verification mail $mail->{file} has no $URL/verify?token= link";
	$m->{mail} = $mail;
	$m->{token} = $mail->{token};
	return $m unless $verify;
	my $v = $c->get('/verify?token=' . $m->{token});
	$v->code == 200 && $v->form('verify-form')
	    or croak 'GET /verify: ' . $v->describe;
	my $p = $c->submit($v, 'verify-form');
	$p->code == 303 && $p->location_path eq '/login?verified=1'
	    or croak 'POST /verify: ' . $p->describe;
	return $m;
}

# Sign a member in with a new client (or the given one); returns the client.
sub sign_in ($m, $c = undef) {
	$c //= client();
	my $page = $c->get('/login');
	$page->code == 200 && $page->form('login-form')
	    or croak 'GET /login: ' . $page->describe;
	my $r = $c->submit($page, 'login-form',
	    { email => $m->{email}, password => $m->{password} });
	$r->code == 303 && $r->location_path eq '/profile'
	    or croak "POST /login ($m->{email}): " . $r->describe;
	return $c;
}

# POST /login with these credentials from a new client (or the given one);
# returns the response (whatever it is).
sub try_sign_in ($email, $password, $c = undef) {
	$c //= client();
	my $page = $c->get('/login');
	$page->code == 200 && $page->form('login-form')
	    or croak 'GET /login: ' . $page->describe;
	return $c->submit($page, 'login-form',
	    { email => $email, password => $password });
}

# ------------------------------------------------------------------ accounts

# RFC 4648 base32 (padding and spaces ignored) to bytes.
sub b32_decode ($s) {
	my %v;
	my @a = ('A' .. 'Z', '2' .. '7');
	@v{@a} = 0 .. 31;
	my $bits = join '', map { sprintf '%05b', $v{$_} // croak "bad base32 $_" }
	    split //, uc($s =~ s/[=\s]//gr);
	$bits = substr($bits, 0, length($bits) - length($bits) % 8);
	return pack 'B*', $bits;
}

# TOTP (RFC 6238: HMAC-SHA-1, 6 digits) of time step $step (default: now).
sub totp_code ($key, $step = int(time() / 30)) {
	my $h = hmac_sha1(pack('NN', int($step / 2**32), $step % 2**32), $key);
	my $o = ord(substr($h, -1)) & 0x0f;
	my $n = unpack('N', substr($h, $o, 4)) & 0x7fffffff;
	return sprintf '%06d', $n % 1_000_000;
}

# Turn TOTP on for the member signed in on client $c through /profile/mfa;
# returns the raw secret (dies on any unexpected answer).
sub enrol_totp ($c) {
	my $v = $c->get('/profile/mfa');
	$v->code == 200 && $v->form('mfa-enable-form')
	    or croak 'GET /profile/mfa: ' . $v->describe;
	my $e = $c->submit($v, 'mfa-enable-form');
	my $key = b32_decode($e->text_of('totp-secret') // croak 'no secret: ' . $e->describe);
	my $ok = $c->submit($e, 'mfa-confirm-form', { code => totp_code($key) });
	$ok->code == 200 && $ok->has_id('recovery-codes')
	    or croak 'confirming TOTP: ' . $ok->describe;
	return $key;
}


# Text of a message catalogue key, read from lib/msg.c (so wording changes
# do not break tests); dies if the key is missing.
my %msgcache;
sub msg_text ($key) {
	unless (%msgcache) {
		open my $fh, '<:encoding(UTF-8)', "$ROOT/lib/msg.c"
		    or croak "$ROOT/lib/msg.c: $!";
		local $/;
		my $c = <$fh>;
		close $fh;
		while ($c =~ /\{\s*"([a-z0-9_]+)",\s*"((?:[^"\\]|\\.)*)"\s*\}/g) {
			my ($k, $v) = ($1, $2);
			$v =~ s/\\n/\n/g;
			$v =~ s/\\(.)/$1/g;
			$msgcache{$k} = $v;
		}
	}
	return $msgcache{$key} // croak "message $key not in lib/msg.c";
}

# Forget the failed sign-ins counted for the test client's address, so a
# test's own deliberate failures (or earlier tests') cannot throttle it.
sub clear_throttle () {
	sql("DELETE FROM login_throttle WHERE ip IN ('127.0.0.1', '::1')");
}

# POST /profile/password from a signed-in client: (response, form page).
sub change_password ($c, $current, $new, $confirm = $new) {
	my $page = $c->get('/profile/password');
	$page->code == 200 && $page->form('password-form')
	    or croak 'GET /profile/password: ' . $page->describe;
	my $r = $c->submit($page, 'password-form', { current_password => $current,
	    new_password => $new, new_password_confirm => $confirm });
	return ($r, $page);
}

# POST /reset for addr from a new client (or the given one); returns the
# response (whatever it is).
sub request_reset ($addr, $c = undef) {
	$c //= client();
	my $page = $c->get('/reset');
	$page->code == 200 && $page->form('reset-form')
	    or croak 'GET /reset: ' . $page->describe;
	return $c->submit($page, 'reset-form', { email => $addr });
}

# The newest mail to addr that carries a reset link and is newer than the
# n-th mail ($after = number of mails to addr before), waiting up to
# $wait seconds; undef if none.
sub reset_mail ($addr, $after = 0, $wait = 10) {
	my $end = time + $wait;
	while (1) {
		my @m = mails_to($addr);
		my @r = grep { defined $_->{reset_token} } @m[$after .. $#m];
		return $r[-1] if @r;
		return undef if time >= $end;
		sleep 0.1;
	}
}

# ------------------------------------------------------------------ WAF

# True for a 403 that ModSecurity answered before any program saw the
# request (programs always send X-Portal-Process in the dev instance).
sub waf_blocked ($r) { $r->code == 403 && !defined $r->pid }

# dev.sh's integration_nowaf layer runs the suite with ModSecurity off
# (PORTAL_EXPECT_WAF=off): then every request must reach the program.
sub waf_off () { ($ENV{PORTAL_EXPECT_WAF} // '') eq 'off' }

# ------------------------------------------------------------------ config

# Value of KEY in the dev instance's portal.conf ($PORTAL_CONF_FILE, default
# var/portal.conf), or $default when the key is absent.
sub conf_value ($key, $default = undef) {
	my $file = $ENV{PORTAL_CONF_FILE} // "$ROOT/var/portal.conf";
	open my $fh, '<:encoding(UTF-8)', $file or croak "$file: $!";
	my $v;
	while (my $line = <$fh>) {
		next unless $line =~ /\A\s*\Q$key\E\s*=\s*(.*?)\s*\z/;
		$v = $1;
	}
	close $fh;
	return $v // $default;
}

# ------------------------------------------------------------------ commands

# Run a command (no shell); returns (exit status, stdout, stderr), the
# outputs decoded from UTF-8.  Arguments are encoded to UTF-8.
sub run_capture (@cmd) {
	my ($ofh, $ofile) = tempfile(UNLINK => 1);
	my ($efh, $efile) = tempfile(UNLINK => 1);
	my @argv = map { utf8::is_utf8($_) ? encode('UTF-8', $_) : $_ } @cmd;
	my $pid = fork // croak "fork: $!";
	if ($pid == 0) {
		# the child never returns into the test (no END blocks, no TAP)
		open STDIN, '<', '/dev/null';
		if (open(STDOUT, '>&', $ofh) && open(STDERR, '>&', $efh)) {
			no warnings 'exec';
			exec { $argv[0] } @argv or print STDERR "exec $argv[0]: $!\n";
		}
		POSIX::_exit(127);
	}
	waitpid $pid, 0;
	my $rc = $? & 127 ? 128 + ($? & 127) : $? >> 8;
	my @out;
	for my $f ($ofile, $efile) {
		open my $fh, '<:raw', $f or croak "$f: $!";
		local $/;
		push @out, decode('UTF-8', <$fh> // '');
		close $fh;
	}
	close $ofh;
	close $efh;
	return ($rc, @out);
}

# portalctl against the dev instance (dev.sh ctl ARGS):
# (exit status, stdout, stderr).
sub portalctl (@args) { run_capture("$ROOT/dev.sh", 'ctl', @args) }

# ------------------------------------------------------------------ mail

sub _parse_mail ($file) {
	open my $fh, '<:raw', $file or return undef;
	local $/;
	my $raw = <$fh>;
	close $fh;
	my ($head, $body) = split /\r?\n\r?\n/, $raw, 2;
	$head //= '';
	$head =~ s/\r?\n[ \t]+/ /g;	# unfold
	my %h;
	for my $line (split /\r?\n/, $head) {
		my ($k, $v) = $line =~ /^([!-9;-~]+):[ \t]*(.*)$/ or next;
		$h{lc $k} //= $v;
	}
	my $to = $h{to} // '';
	my ($addr) = $to =~ /<([^<>\s]+)>/;
	($addr) = $to =~ /([^\s<>",]+\@[^\s<>",]+)/ unless defined $addr;
	my $text = eval { decode('UTF-8', $body // '', Encode::FB_CROAK) };
	my $m = {
		file	=> $file,
		raw	=> $raw,
		headers	=> \%h,
		to	=> lc($addr // ''),
		body	=> $text,
		body_valid_utf8 => defined $text,
		subject	=> defined $h{subject}
		    ? eval { decode('MIME-Header', $h{subject}) } : undef,
	};
	my $src = $text // $body // '';
	if ($src =~ m{\Q$URL\E/verify\?token=([A-Za-z0-9_-]+)}) {
		$m->{token} = $1;
	}
	if ($src =~ m{\Q$URL\E/reset/confirm\?token=([A-Za-z0-9_-]+)}) {
		$m->{reset_token} = $1;
	}
	return $m;
}

# All mails to addr, oldest first.
sub mails_to ($addr) {
	my $dir = "$ROOT/var/mail";
	opendir my $dh, $dir or return ();
	my @files = map { "$dir/$_" } grep { /\.eml\z/ && !/^\./ } readdir $dh;
	closedir $dh;
	my @m;
	for my $f (@files) {
		my $p = _parse_mail($f) or next;
		next unless $p->{to} eq lc $addr;
		$p->{mtime} = (Time::HiRes::stat($f))[9];
		push @m, $p;
	}
	return sort { $a->{mtime} <=> $b->{mtime} || $a->{file} cmp $b->{file} } @m;
}

# Mails to addr that are not in @$before (the list of an earlier mails_to).
sub mails_to_since ($addr, $before) {
	my %old = map { $_->{file} => 1 } @$before;
	return grep { !$old{$_->{file}} } mails_to($addr);
}

# Newest mail to addr, waiting up to $wait seconds for one to appear.
sub latest_mail_to ($addr, $wait = 10) {
	my $end = time + $wait;
	while (1) {
		my @m = mails_to($addr);
		return $m[-1] if @m;
		return undef if time >= $end;
		sleep 0.1;
	}
}

# ------------------------------------------------------------------ SQL

sub dev_sh (@args) {
	my $out = '';
	open my $fh, '-|', "$ROOT/dev.sh", @args
	    or croak "cannot run $ROOT/dev.sh: $!";
	local $/;
	$out = <$fh> // '';
	close $fh;
	return ($? >> 8, $out);
}

# Rows of a query on the dev DB, each an arrayref of decoded fields.
sub sql ($q) {
	open my $fh, '-|', "$ROOT/dev.sh", 'sql', '-N', '-B', '-e', $q
	    or croak "cannot run $ROOT/dev.sh sql: $!";
	my @rows;
	while (my $line = <$fh>) {
		$line = decode('UTF-8', $line);
		chomp $line;
		push @rows, [split /\t/, $line, -1];
	}
	close $fh;
	$? == 0 or croak "dev.sh sql failed (exit " . ($? >> 8) . "): $q";
	return @rows;
}

sub sql_value ($q) {
	my @r = sql($q);
	return @r ? $r[0][0] : undef;
}

my %colcache;
sub table_columns ($t) {
	$colcache{$t} //= [map { $_->[0] } sql(
	    "SELECT COLUMN_NAME FROM information_schema.COLUMNS"
	    . " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '$t'"
	    . " ORDER BY ORDINAL_POSITION")];
	return @{$colcache{$t}};
}

# First of the candidate column names that the table has.
sub pick_column ($t, @cand) {
	my %have = map { $_ => 1 } table_columns($t);
	for (@cand) { return $_ if $have{$_} }
	croak "table $t has none of the columns @cand (has: "
	    . join(', ', sort keys %have) . ')';
}

sub member_count () { sql_value('SELECT COUNT(*) FROM members') }
sub max_member_id () { sql_value('SELECT COALESCE(MAX(id), 0) FROM members') }

sub member_state ($id) {
	$id =~ /\A\d+\z/ or croak "bad id $id";
	my $col = pick_column('members', qw(state status));
	return sql_value("SELECT `$col` FROM members WHERE id = $id");
}

sub session_count ($member_id) {
	$member_id =~ /\A\d+\z/ or croak "bad id $member_id";
	my $col = pick_column('sessions', qw(member_id member user_id));
	return sql_value("SELECT COUNT(*) FROM sessions WHERE `$col` = $member_id");
}

# Rows of sessions holding the SHA-256 of the cookie value (of its text or
# of its decoded bytes, binary or hex) in any column.
sub session_rows_for_token ($tok) {
	my $bytes = decode_base64url($tok);
	my @h = (sha256_hex($tok), sha256_hex($bytes));
	my @cols = map { $_->[0] } sql(
	    "SELECT COLUMN_NAME FROM information_schema.COLUMNS"
	    . " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'sessions'"
	    . " AND DATA_TYPE IN ('binary', 'varbinary', 'char', 'varchar')"
	    . " AND CHARACTER_OCTET_LENGTH >= 32");
	my @cond;
	for my $col (@cols) {
		for my $hx (@h) {
			push @cond, "BINARY `$col` = UNHEX('$hx')",
			    "LOWER(`$col`) = BINARY '$hx'";
		}
	}
	return sql_value('SELECT COUNT(*) FROM sessions WHERE '
	    . join(' OR ', @cond));
}

# SQL condition selecting the sessions row of a cookie value: the DB keeps
# SHA-256 of the token text (lib/session.c).
sub session_where ($tok) {
	defined $tok && $tok =~ /\A[A-Za-z0-9_-]+\z/
	    or croak 'not a session token: ' . ($tok // 'undef');
	return "token_hash = UNHEX(SHA2('$tok', 256))";
}

# ------------------------------------------------------------------ HTML

my %ent = (amp => '&', lt => '<', gt => '>', quot => '"', apos => "'",
    nbsp => "\x{a0}");
sub html_decode ($s) {
	return undef unless defined $s;
	$s =~ s{&(?:#(\d+)|#[xX]([0-9a-fA-F]+)|(\w+));}{
		defined $1 ? chr($1) : defined $2 ? chr(hex $2)
		    : exists $ent{$3} ? $ent{$3} : "&$3;"
	}ge;
	return $s;
}

sub urlencode ($s) {
	$s = encode('UTF-8', $s) if utf8::is_utf8($s);
	$s =~ s/([^A-Za-z0-9\-._~ ])/sprintf('%%%02X', ord $1)/ge;
	$s =~ tr/ /+/;
	return $s;
}

# Attributes of a start tag as a hashref (names lower-cased, values decoded).
sub _attrs ($tag) {
	my %a;
	$tag =~ s/\A<\s*[\w-]+//;
	while ($tag =~ /([^\s=\/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/g) {
		my $v = $2 // $3 // $4;
		$a{lc $1} = defined $v ? html_decode($v) : '';
	}
	return \%a;
}

package PortalTest::Response;

use v5.36;
use Encode qw(decode);

sub new ($class, $res, $method, $path) {
	my $self = bless { %$res, method => $method, path => $path }, $class;
	my $ct = $self->header('content-type') // '';
	my $c = $self->{content} // '';
	$self->{text} = eval { decode('UTF-8', $c, Encode::FB_CROAK) }
	    // decode('UTF-8', $c);
	$self->{text_valid_utf8} = defined eval { decode('UTF-8', "$c",
	    Encode::FB_CROAK) };
	return $self;
}

sub code ($s) { $s->{status} }
sub raw ($s) { $s->{content} // '' }
sub body ($s) { $s->{text} }

# All values of a header (list); header() joins them with ", ".
sub header_list ($s, $n) {
	my $v = $s->{headers}{lc $n};
	return () unless defined $v;
	return ref $v ? @$v : ($v);
}
sub header ($s, $n) {
	my @v = $s->header_list($n);
	return @v ? join(', ', @v) : undef;
}
sub pid ($s) { $s->header('x-portal-process') }

sub location ($s) { $s->header('location') }
# Location with our own origin removed ("/profile"), or the full value.
sub location_path ($s) {
	my $l = $s->location // return '';
	$l =~ s{\A\Q$PortalTest::URL\E(?=/)}{};
	return $l;
}

# Parsed Set-Cookie headers of this response:
# [{name, value, attrs => {lc-name => value|''}, raw}]
sub set_cookies ($s) {
	my @out;
	for my $raw ($s->header_list('set-cookie')) {
		my ($nv, @attr) = split /;\s*/, $raw;
		my ($n, $v) = split /=/, $nv, 2;
		my %a;
		for (@attr) {
			my ($an, $av) = split /=/, $_, 2;
			$a{lc $an} = $av // '';
		}
		push @out, { name => $n, value => $v // '', attrs => \%a,
		    raw => $raw };
	}
	return @out;
}
sub set_cookie ($s, $name) {
	my @c = grep { $_->{name} eq $name } $s->set_cookies;
	return $c[-1];
}

sub has_id ($s, $id) {
	return $s->{text} =~ /<[^>]*\sid\s*=\s*["']\Q$id\E["']/;
}

# Text content of the element with this id (tags stripped, entities
# decoded, white space collapsed), or undef.
sub text_of ($s, $id) {
	my $t = $s->{text};
	$t =~ /<(\w+)((?:[^>"']|"[^"]*"|'[^']*')*\sid\s*=\s*["']\Q$id\E["'](?:[^>"']|"[^"]*"|'[^']*')*)>/g
	    or return undef;
	my $tag = $1;
	my $start = pos $t;
	my $inner = '';
	if ($t =~ m{\G(.*?)</\Q$tag\E\s*>}sgc) {
		$inner = $1;
	}
	$inner =~ s/<[^>]*>/ /g;
	$inner = PortalTest::html_decode($inner);
	$inner =~ s/\s+/ /g;
	$inner =~ s/\A | \z//g;
	return $inner;
}

# Ids of all elements whose id starts with "err-" and that hold text.
sub error_ids ($s) {
	my %seen;
	$seen{$1}++ while $s->{text} =~ /\sid\s*=\s*["'](err-[\w-]+)["']/g;
	return sort grep { length($s->text_of($_) // '') } keys %seen;
}

# The form with this id: {action, method, attrs, fields => {name => value},
# names => [in order]} or undef.
sub form ($s, $id) {
	my $t = $s->{text};
	while ($t =~ /(<form\b(?:[^>"']|"[^"]*"|'[^']*')*>)(.*?)<\/form\s*>/sig) {
		my ($open, $inner) = ($1, $2);
		my $a = PortalTest::_attrs($open);
		next unless ($a->{id} // '') eq $id;
		return _fields($a, $inner);
	}
	return undef;
}

sub _fields ($a, $inner) {
	my (%f, @names, %types);
	while ($inner =~ /(<input\b(?:[^>"']|"[^"]*"|'[^']*')*>)|(<textarea\b(?:[^>"']|"[^"]*"|'[^']*')*>)(.*?)<\/textarea\s*>|(<select\b(?:[^>"']|"[^"]*"|'[^']*')*>)(.*?)<\/select\s*>/sig) {
		if (defined $1) {
			my $i = PortalTest::_attrs($1);
			my $n = $i->{name} // next;
			my $type = lc($i->{type} // 'text');
			next if $type =~ /\A(?:submit|button|reset|image|file)\z/;
			next if $type =~ /\A(?:checkbox|radio)\z/
			    && !exists $i->{checked};
			push @names, $n unless exists $f{$n};
			$f{$n} = $i->{value} // '';
			$types{$n} = $type;
		} elsif (defined $2) {
			my $i = PortalTest::_attrs($2);
			my $n = $i->{name} // next;
			my $v = PortalTest::html_decode($3);
			$v =~ s/\A\r?\n//;
			push @names, $n unless exists $f{$n};
			$f{$n} = $v;
			$types{$n} = 'textarea';
		} else {
			my $i = PortalTest::_attrs($4);
			my $n = $i->{name} // next;
			my $opts = $5;
			my ($sel) = $opts =~ /(<option\b[^>]*\bselected\b[^>]*>)/i;
			($sel) = $opts =~ /(<option\b[^>]*>)/i unless $sel;
			push @names, $n unless exists $f{$n};
			$f{$n} = $sel ? PortalTest::_attrs($sel)->{value} // '' : '';
			$types{$n} = 'select';
		}
	}
	return {
		action	=> $a->{action},
		method	=> lc($a->{method} // 'get'),
		attrs	=> $a,
		fields	=> \%f,
		names	=> \@names,
		types	=> \%types,
	};
}

# Value of the first form control with this name anywhere on the page.
sub input_value ($s, $name) {
	my $f = _fields({}, $s->{text});
	return $f->{fields}{$name};
}

sub csrf ($s) { $s->input_value('csrf') }

# One line for failure messages.
sub describe ($s) {
	my $t = $s->{text} // '';
	$t =~ s/<[^>]*>/ /g;
	$t =~ s/\s+/ /g;
	$t = substr($t, 0, 300);
	return sprintf('%s %s -> %s%s [%s]', $s->{method}, $s->{path},
	    $s->{status}, defined $s->location ? ' Location: ' . $s->location
	    : '', $t);
}

package PortalTest::Client;

use v5.36;
use Carp qw(croak);
use HTTP::Tiny;

sub new ($class, %o) {
	my $http = HTTP::Tiny->new(
		max_redirect	=> 0,
		keep_alive	=> 0,
		timeout		=> $o{timeout} // 60,
		verify_SSL	=> 1,
		SSL_options	=> { SSL_ca_file => $PortalTest::CA },
		agent		=> 'Mozilla/5.0 (X11; Linux x86_64) portal-integration-tests',
	);
	return bless { http => $http, jar => {}, last => undef }, $class;
}

# The cookie jar: name => value.
sub cookies ($s) { $s->{jar} }
sub cookie ($s, $n) { $s->{jar}{$n} }
sub set_cookie_value ($s, $n, $v) {
	if (defined $v) { $s->{jar}{$n} = $v } else { delete $s->{jar}{$n} }
}
sub session ($s) { $s->{jar}{'__Host-portal'} }
# A new client with a copy of this one's cookies (replays them).
sub clone ($s) {
	my $c = PortalTest::Client->new;
	$c->{jar} = { %{$s->{jar}} };
	return $c;
}
sub last_response ($s) { $s->{last} }

# request(METHOD, PATH, headers => {name => value|undef}, content => BYTES)
# A header given as undef is not sent.  Returns a PortalTest::Response.
sub request ($s, $method, $path, %o) {
	my $url = $path =~ m{\A\w+://} ? $path : $PortalTest::URL . $path;
	my %h = (
		'accept' => 'text/html,application/xhtml+xml,*/*;q=0.8',
		'accept-language' => 'ja,en;q=0.5',
	);
	if (%{$s->{jar}}) {
		$h{cookie} = join '; ',
		    map { "$_=$s->{jar}{$_}" } sort keys %{$s->{jar}};
	}
	my $hdrs = $o{headers} // {};
	for my $k (keys %$hdrs) {
		if (defined $hdrs->{$k}) { $h{lc $k} = $hdrs->{$k} }
		else { delete $h{lc $k} }
	}
	my %args = (headers => \%h);
	$args{content} = $o{content} if defined $o{content};
	my $res = $s->{http}->request($method, $url, \%args);
	my $r = PortalTest::Response->new($res, $method, $path);
	if ($r->code == 599 && !$o{allow_599}) {
		croak "$method $url: connection failed: " . ($res->{content} // '');
	}
	for my $c ($r->set_cookies) {
		my $a = $c->{attrs};
		my $gone = (defined $a->{'max-age'} && $a->{'max-age'} =~ /\A\s*-?\d+\s*\z/
		    && $a->{'max-age'} <= 0)
		    || (defined $a->{expires} && $a->{expires} =~ /19[67]\d/)
		    || $c->{value} eq '';
		if ($gone) { delete $s->{jar}{$c->{name}} }
		else { $s->{jar}{$c->{name}} = $c->{value} }
	}
	$s->{last} = $r;
	return $r;
}

sub get ($s, $path, %o) { $s->request('GET', $path, %o) }

# POST a raw body (bytes).  Sends our own Origin like a browser does unless
# headers => {origin => undef}.
sub post_raw ($s, $path, $body, %o) {
	my %h = (
		'content-type' => 'application/x-www-form-urlencoded',
		'origin' => $PortalTest::URL,
		%{$o{headers} // {}},
	);
	return $s->request('POST', $path, %o, headers => \%h, content => $body);
}

# POST fields: arrayref of pairs (order kept, duplicates possible) or
# hashref (sorted by name).
sub post_form ($s, $path, $fields, %o) {
	my @pairs = ref $fields eq 'ARRAY' ? @$fields
	    : map { ($_, $fields->{$_}) } sort keys %$fields;
	my @enc;
	while (my ($k, $v) = splice @pairs, 0, 2) {
		push @enc, PortalTest::urlencode($k) . '=' . PortalTest::urlencode($v // '');
	}
	return $s->post_raw($path, join('&', @enc), %o);
}

# Submit the form with this id found in a response: its fields (hidden
# ones included) with %$override applied (a value of undef removes the
# field), to its action (default: the page's own path).
sub submit ($s, $res, $form_id, $override = {}, %o) {
	my $f = $res->form($form_id)
	    or croak "no form id=\"$form_id\" in " . $res->describe;
	my %v = %{$f->{fields}};
	my @names = @{$f->{names}};
	for my $k (keys %$override) {
		if (defined $override->{$k}) {
			push @names, $k unless exists $v{$k};
			$v{$k} = $override->{$k};
		} else {
			delete $v{$k};
		}
	}
	my $action = $f->{action};
	$action = $res->{path} if !defined $action || $action eq '';
	$action =~ s{\A\Q$PortalTest::URL\E(?=/)}{};
	croak "form $form_id has relative action $action"
	    unless $action =~ m{\A/};
	my $method = $f->{method} eq 'post' ? 'POST' : 'GET';
	my @pairs = map { ($_, $v{$_}) } grep { exists $v{$_} } @names;
	croak "form $form_id is not method=post" unless $method eq 'POST';
	return $s->post_form($action, \@pairs, %o);
}

1;
