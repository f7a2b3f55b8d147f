/*
 * Pure parts of sessions: token shape, timeouts per role, new tokens.
 */
#include <string.h>

#include "app.h"
#include "tap.h"

int
main(void)
{
	struct config	 c;
	char		 t1[TOKEN_B64 + 1], t2[TOKEN_B64 + 1];
	unsigned char	 h1[32], h2[32], hh[32];

	config_defaults(&c);
	ok(session_token_ok("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
	    "43 base64url characters accepted");
	ok(session_token_ok("-_0123456789abcdefghijklmnopqrstuvwxyzABCDE"),
	    "- and _ accepted");
	ok(!session_token_ok("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
	    "42 characters refused");
	ok(!session_token_ok("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
	    "44 characters refused");
	ok(!session_token_ok("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
	    "padding refused");
	ok(!session_token_ok("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"),
	    "newline refused");
	ok(!session_token_ok("' OR '1'='1AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
	    "quote refused");
	ok(!session_token_ok(NULL), "NULL refused");
	ok(!session_token_ok(""), "empty refused");

	ok(!session_expired(&c, ROLE_MEMBER, 0, 0), "fresh member session");
	ok(!session_expired(&c, ROLE_MEMBER, 100, c.session_idle - 1),
	    "member idle one second under the limit");
	ok(session_expired(&c, ROLE_MEMBER, 100, c.session_idle),
	    "member idle at the limit expires");
	ok(session_expired(&c, ROLE_MEMBER, c.session_absolute, 0),
	    "member absolute limit expires");
	ok(!session_expired(&c, ROLE_MEMBER, c.admin_session_absolute, 10),
	    "admin absolute limit does not apply to members");
	ok(session_expired(&c, ROLE_ADMIN, c.admin_session_absolute, 10),
	    "admin absolute limit applies to admins");
	ok(session_expired(&c, ROLE_OPERATOR, 10, c.admin_session_idle),
	    "admin idle limit applies to operators");
	ok(session_expired(&c, ROLE_MEMBER, -1, 0), "negative age refused");

	ok(token_new(t1, h1) == 0 && token_new(t2, h2) == 0, "tokens made");
	ok(session_token_ok(t1) && session_token_ok(t2), "tokens well formed");
	ok(strcmp(t1, t2) != 0, "two tokens differ");
	sha256(t1, TOKEN_B64, hh);
	ok(memcmp(hh, h1, 32) == 0, "hash is SHA-256 of the text");
	ok(token_hash(t1, hh) == 0 && memcmp(hh, h1, 32) == 0,
	    "token_hash agrees");
	ok(token_hash("nope", hh) != 0, "token_hash refuses malformed text");
	is_int(role_parse("admin"), ROLE_ADMIN, "role admin parsed");
	is_int(role_parse("anonymous"), ROLE__MAX, "anonymous is not a DB role");
	is_str(role_name(ROLE_OPERATOR), "operator", "role name");
	return done_testing();
}
