# The member's sessions (/profile/sessions; AUTH-5): every live session is
# listed with its start, last activity (ISO 8601 with offset), address and
# browser (escaped), the current one marked; one other session or all
# others can be ended, always scoped to the member: a forged id naming
# another member's session ends nothing.  Audited.
use v5.36;
use utf8;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Digest::SHA qw(sha256_hex);
use Test::More;
use PortalTest qw(:all);

clear_throttle();

# The session id the page uses for a client: hex of SHA-256 of its token.
sub sid ($c) { sha256_hex($c->session) }

sub listed ($page) {
	my $t = $page->body;
	return $t =~ /<tr id="session-([0-9a-f]{64})"/g;
}

{
	my $r = client()->get('/profile/sessions');
	is($r->code, 303, 'GET /profile/sessions signed out is 303');
	is($r->location_path, '/login', '... to /login');
}

my $m = register_member();
my $id = $m->{id};
my $a = sign_in($m);
my $b = sign_in($m);

# a browser name that must be escaped on the page
my $ua = q{<b id="ua-injected">Evil</b> "Browser" & 'co'};
sql("UPDATE sessions SET user_agent = '" . ($ua =~ s/'/''/gr) . "' WHERE "
    . session_where($b->session));

my $page = $a->get('/profile/sessions');
is($page->code, 200, 'GET /profile/sessions is 200') or diag($page->describe);
is_deeply([sort(listed($page))], [sort(sid($a), sid($b))], 'both sessions are listed');
{
	my $cur = $page->text_of('session-' . sid($a)) // '';
	like($cur, qr/\Q${\ msg_text('sessions_current')}\E/, 'the current one is marked');
	ok(!$page->form('end-' . sid($a)), '... and has no end button');
	ok($page->form('end-' . sid($b)), 'the other one has an end button');
	ok($page->form('end-others-form'), 'a button ends all others');
	my $row = $page->text_of('session-' . sid($b)) // '';
	my $off = conf_value('timezone', 'Asia/Tokyo') eq 'Asia/Tokyo' ? '\+09:00' : '[+-]\d\d:\d\d';
	my @t = $row =~ /(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$off)/g;
	is(scalar @t, 2, 'start and last activity in ISO 8601 with the zone offset') or diag($row);
	like($row, qr/127\.0\.0\.1/, 'the address is shown');
	like($row, qr/\Q$ua\E/, 'the browser is shown');
	ok(!$page->has_id('ua-injected'), '... escaped (no markup from the User-Agent)');
	like($page->body, qr/&lt;b id(?:=|&#61;)(?:&quot;|&#34;)ua-injected/, '... as text');
}

# another member's session: a forged id ends nothing
my $o = register_member();
my $oc = sign_in($o);
{
	my $r = $a->post_form('/profile/sessions/end', [csrf => $page->csrf, id => sid($oc)]);
	is($r->code, 303, 'ending another member\'s session id: 303 (nothing to end)')
	    or diag($r->describe);
	is($r->location_path, '/profile/sessions?ended=0', '... reported as not found');
	is(session_rows_for_token($oc->session), 1, '... the other member\'s session row is intact');
	is($oc->get('/profile')->code, 200, '... and it is still signed in');
	is($a->get('/profile/sessions?ended=0')->text_of('notice'), msg_text('notice_session_gone'),
	    '... the page says it was already gone');
}

# malformed id, the current session's id, no csrf
{
	for my $bad ('', 'zz', 'g' x 64, sid($a) . '00', uc(sid($b)) . 'x') {
		my $r = $a->post_form('/profile/sessions/end', [csrf => $page->csrf, id => $bad]);
		ok($r->code == 400 || waf_blocked($r), "id '$bad': 400") or diag($r->describe);
	}
	my $r = $a->post_form('/profile/sessions/end', [csrf => $page->csrf, id => sid($a)]);
	is($r->code, 400, 'the current session cannot be ended here: 400');
	is($a->get('/profile')->code, 200, '... and is still signed in');
	$r = $a->post_form('/profile/sessions/end', [id => sid($b)]);
	is($r->code, 403, 'without csrf: 403');
	is(session_rows_for_token($b->session), 1, '... the session is intact');
}

# end the other one
{
	my $p = $a->get('/profile/sessions');
	my $r = $a->submit($p, 'end-' . sid($b));
	is($r->code, 303, 'ending the other session: 303') or diag($r->describe);
	is($r->location_path, '/profile/sessions?ended=1', '... back to the list');
	my $l = $a->get('/profile/sessions?ended=1');
	is($l->text_of('notice'), msg_text('notice_session_ended'), '... with a notice');
	is_deeply([listed($l)], [sid($a)], '... which lists only the current one');
	ok(!$l->form('end-others-form'), '... and no "end all others" button');
	is(session_rows_for_token($b->session), 0, 'the ended session\'s row is gone');
	my $g = $b->get('/profile');
	is($g->code, 303, 'the ended session\'s cookie is signed out');
	is($g->location_path, '/login', '... to /login');
	is($a->get('/profile')->code, 200, 'the current session continues');
}

# end all others
{
	my $c = sign_in($m);
	my $d = sign_in($m);
	is(session_count($id), 3, 'three sessions');
	my $p = $a->get('/profile/sessions');
	is(scalar(my @l = listed($p)), 3, '... all listed');
	my $r = $a->submit($p, 'end-others-form');
	is($r->code, 303, 'ending all others: 303') or diag($r->describe);
	is($r->location_path, '/profile/sessions?ended=others', '... back to the list');
	is($a->get('/profile/sessions?ended=others')->text_of('notice'),
	    msg_text('notice_sessions_ended'), '... with a notice');
	is($c->get('/profile')->location_path, '/login', 'the third session is signed out');
	is($d->get('/profile')->location_path, '/login', 'the fourth too');
	is($a->get('/profile')->code, 200, 'the current one continues');
	is(session_count($id), 1, 'one row left');
	is(session_rows_for_token($oc->session), 1, 'the other member\'s session is untouched');
}

# audit
{
	my @rows = sql("SELECT action, result, details FROM audit_log WHERE target_id = $id"
	    . " AND action IN ('session_end', 'session_end_others') ORDER BY id");
	ok((grep { $_->[0] eq 'session_end' && $_->[1] eq 'ok' } @rows), 'session_end ok is audited');
	ok((grep { $_->[0] eq 'session_end' && $_->[1] eq 'none' } @rows),
	    '... the forged id as none');
	ok((grep { $_->[0] eq 'session_end_others' && $_->[1] eq 'ok'
	    && $_->[2] =~ /\b2\b/ } @rows), 'session_end_others ok with the count');
	my $all = join '|', map { @$_ } @rows;
	my $tok = $a->session;
	unlike($all, qr/\Q$tok\E/, 'no cookie token in the audit rows');
}

done_testing;
