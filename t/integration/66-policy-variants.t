# AUTH-1 procurement variants as configured: portal.conf is switched to each
# variant (16+ with all four classes, 10+ with all four, 8+ with 3 of 4),
# Apache restarted gracefully (./dev.sh reload), and registration accepts
# and refuses passwords exactly as that variant says.  The original
# configuration is always put back (END block).
use v5.36;
use utf8;
use FindBin;
use lib "$FindBin::Bin/../lib";
use File::Copy qw(copy);
use Test::More;
use PortalTest qw(:all);

my $conf = "$ENV{PORTAL_ROOT}/var/portal.conf";
my $saved = "$conf.policy-test";
copy($conf, $saved) or BAIL_OUT("cannot save $conf: $!");
my $changed = 0;

sub set_policy ($len, $classes) {
	open my $in, '<:raw', $saved or die "$saved: $!";
	my $text = do { local $/; <$in> };
	close $in;
	$text =~ s/^password_min_length\s*=.*$/password_min_length = $len/m
	    or die 'password_min_length not in portal.conf';
	$text =~ s/^password_min_classes\s*=.*$/password_min_classes = $classes/m
	    or die 'password_min_classes not in portal.conf';
	open my $out, '>:raw', "$conf.tmp" or die "$conf.tmp: $!";
	print $out $text;
	close $out;
	chmod 0640, "$conf.tmp";
	chown 0, scalar getgrnam('www-data'), "$conf.tmp";
	rename "$conf.tmp", $conf or die "rename: $!";
	$changed = 1;
	system("$ENV{PORTAL_ROOT}/dev.sh", 'reload') == 0
	    or die 'dev.sh reload failed';
}

END {
	if ($changed) {
		copy($saved, $conf);
		system("$ENV{PORTAL_ROOT}/dev.sh", 'reload');
	}
	unlink $saved;
}

# One registration attempt; the status and the page.
sub try_pw ($pw) {
	my $f = new_member_fields();
	my $c = client();
	my $page = $c->get('/register');
	return $c->submit($page, 'register-form',
	    { %$f, password => $pw, password_confirm => $pw });
}

# Passwords built from classes: U upper, L lower, D digit, S symbol, with
# letters that are on no common-password list.
sub pw_of ($len, @classes) {
	my %pool = (U => 'QXZVKJ', L => 'qxzvkj', D => '7394', S => '!#%&');
	my $p = '';
	my $i = 0;
	$p .= substr($pool{ $classes[$i % @classes] }, ($i++ * 5) % 4, 1)
	    while length($p) < $len;
	return $p;
}

my @variants = (
	# [label, min length, min classes]
	['000 (16+, all four)', 16, 4],
	['002 #23 (10+, all four)', 10, 4],
	['003 #14 (8+, 3 of 4)', 8, 3],
);
for my $v (@variants) {
	my ($label, $len, $k) = @$v;
	set_policy($len, $k);
	my $ok = try_pw(pw_of($len, qw(U L D S)));
	is($ok->code, 303, "$label: $len characters, all four classes accepted")
	    or diag($ok->describe);
	my $short = try_pw(pw_of($len - 1, qw(U L D S)));
	is($short->code, 422, "$label: " . ($len - 1) . ' characters refused');
	ok($short->text_of('err-password'), '... with the message at the field');
	my $three = try_pw(pw_of($len, qw(U L D)));
	if ($k <= 3) {
		is($three->code, 303, "$label: three classes accepted");
	} else {
		is($three->code, 422, "$label: three classes refused");
	}
	my $two = try_pw(pw_of($len, qw(U L)));
	is($two->code, 422, "$label: two classes refused");
}

done_testing;
