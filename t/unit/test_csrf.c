/*
 * CSRF tokens: derived from the cookie token, differ between cookies and
 * keys, and the check refuses missing, wrong, other-session and
 * cross-origin requests.
 */
#include <string.h>

#include "app.h"
#include "tap.h"

int
main(void)
{
	struct keyring	 k, k2;
	const char	*c1 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
	const char	*c2 = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
	const char	*base = "https://portal.example.jp";
	char		 t1[TOKEN_B64 + 1], t2[TOKEN_B64 + 1], t3[TOKEN_B64 + 1];
	unsigned char	 mac[32];
	char		 want[TOKEN_B64 + 1];

	memset(&k, 0, sizeof(k));
	memset(&k2, 0, sizeof(k2));
	memset(k.csrf_key, 0x11, sizeof(k.csrf_key));
	memset(k2.csrf_key, 0x22, sizeof(k2.csrf_key));
	csrf_token(&k, c1, t1);
	csrf_token(&k, c2, t2);
	csrf_token(&k2, c1, t3);
	is_int(strlen(t1), TOKEN_B64, "token is 43 characters");
	hmac_sha256(k.csrf_key, 32, c1, strlen(c1), mac);
	b64url_encode(want, sizeof(want), mac, sizeof(mac));
	is_str(t1, want, "token is HMAC-SHA-256(csrf_key, cookie)");
	ok(strcmp(t1, t2) != 0, "other cookie, other token");
	ok(strcmp(t1, t3) != 0, "other key, other token");

	ok(csrf_check(&k, base, c1, t1, NULL, NULL), "right token passes");
	ok(csrf_check(&k, base, c1, t1, base, "same-origin"),
	    "same origin passes");
	ok(csrf_check(&k, base, c1, t1, "", "none"), "user-initiated passes");
	ok(!csrf_check(&k, base, c1, NULL, NULL, NULL), "missing token refused");
	ok(!csrf_check(&k, base, c1, "", NULL, NULL), "empty token refused");
	ok(!csrf_check(&k, base, c1, t2, NULL, NULL),
	    "other session's token refused");
	ok(!csrf_check(&k, base, NULL, t1, NULL, NULL), "no cookie refused");
	ok(!csrf_check(&k, base, "short", t1, NULL, NULL),
	    "malformed cookie refused");
	ok(!csrf_check(&k, base, c1, t1, "https://evil.example", NULL),
	    "cross origin refused");
	ok(!csrf_check(&k, base, c1, t1, "https://portal.example.jp.evil.example",
	    NULL), "origin with our name as prefix refused");
	ok(!csrf_check(&k, base, c1, t1, NULL, "cross-site"),
	    "Sec-Fetch-Site cross-site refused");
	ok(!csrf_check(&k, base, c1, t1, NULL, "same-site"),
	    "Sec-Fetch-Site same-site refused");
	t2[0] = t1[0] == 'A' ? 'B' : 'A';
	memcpy(t2 + 1, t1 + 1, TOKEN_B64);
	ok(!csrf_check(&k, base, c1, t2, NULL, NULL),
	    "one character changed refused");
	return done_testing();
}
