# Process isolation: two members served in turn by the same FastCGI process
# (seen through the dev header X-Portal-Process) never see each other's
# personal data.
use v5.36;
use utf8;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use PortalTest qw(:all);

my $A = register_member(name => "甲野 一郎$$", name_kana => 'コウノ イチロウ',
    address => "北海道札幌市中央区北一条西$$-1", phone => '011-111-' . sprintf('%04d', $$ % 10000));
my $B = register_member(name => "乙川 花子$$", name_kana => 'オトカワ ハナコ',
    address => "沖縄県那覇市泉崎$$-2", phone => '098-222-' . sprintf('%04d', ($$ + 1) % 10000));
my %client = (A => sign_in($A), B => sign_in($B));
my %member = (A => $A, B => $B);
my @fields = qw(name name_kana email phone address);

for my $k (@fields) {
	isnt($A->{$k}, $B->{$k}, "A and B differ in $k");
	unlike($A->{$k}, qr/\Q$B->{$k}\E/, "... and B's $k is not part of A's");
	unlike($B->{$k}, qr/\Q$A->{$k}\E/, "... and A's $k is not part of B's");
}

# alternate A, B, A, B ... until one process has served both
my %seen;	# pid => { A => response, B => response }
my ($pid, $consecutive, $n);
my $last;	# [who, pid]
for $n (1 .. 200) {
	my $who = $n % 2 ? 'A' : 'B';
	my $r = $client{$who}->get('/profile');
	$r->code == 200 or BAIL_OUT("GET /profile for $who: " . $r->describe);
	my $p = $r->pid;
	defined $p or BAIL_OUT('no X-Portal-Process header on /profile');
	$seen{$p}{$who} = $r;
	if ($last && $last->[1] eq $p && $last->[0] ne $who) {
		($pid, $consecutive) = ($p, 1);
		last;
	}
	$last = [$who, $p];
	if ($n == 200) {
		($pid) = grep { $seen{$_}{A} && $seen{$_}{B} } sort keys %seen;
	}
}
ok(defined $pid, 'one FastCGI process served both A and B (within 200 requests)')
    or BAIL_OUT('pids seen: ' . join(', ', map { "$_: " . join('', sort keys %{$seen{$_}}) } sort keys %seen));
diag("process $pid served A and B" . ($consecutive ? ' one right after the other' : ''));

for my $who ('A', 'B') {
	my $other = $who eq 'A' ? 'B' : 'A';
	my $r = $seen{$pid}{$who};
	my $me = $member{$who};
	my $them = $member{$other};
	is($r->pid, $pid, "$who served by process $pid");
	is($r->text_of('profile-email'), $me->{email}, "${who}'s page shows ${who}'s mail");
	my $f = $r->form('profile-form')->{fields};
	is($f->{$_}, $me->{$_}, "${who}'s page holds ${who}'s $_") for qw(name name_kana phone address);
	for my $k (@fields) {
		unlike($r->body, qr/\Q$them->{$k}\E/, "${who}'s page has none of ${other}'s $k");
	}
	unlike($r->raw, qr/\Q$them->{password}\E/, "${who}'s page has no password of $other");
}

# the same process then serves a third member: nothing of A or B
{
	my $C = register_member();
	my $cc = sign_in($C);
	my $found;
	for (1 .. 100) {
		my $r = $cc->get('/profile');
		next unless ($r->pid // '') eq $pid;
		$found = $r;
		last;
	}
	SKIP: {
		skip "process $pid did not serve C within 100 requests", 2 unless $found;
		is($found->text_of('profile-email'), $C->{email}, "C's page from process $pid shows C's mail");
		my @leak = grep { my $m = $_; grep { $found->body =~ /\Q$m->{$_}\E/ } @fields } $A, $B;
		is(scalar @leak, 0, "C's page from process $pid has no personal data of A or B");
	}
}

done_testing;
