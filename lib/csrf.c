/*
 * csrf.c: CSRF tokens derived from the cookie token with HMAC-SHA-256
 * under csrf.key, so nothing extra is stored and a token is useless with
 * any other cookie.  Checked with a constant-time compare, plus Origin
 * and Sec-Fetch-Site when the browser sends them.
 */
#include <string.h>

#include "app.h"

void
csrf_token(const struct keyring *k, const char *cookie_token,
    char out[TOKEN_B64 + 1])
{
	unsigned char	 mac[32];

	hmac_sha256(k->csrf_key, sizeof(k->csrf_key), cookie_token,
	    strlen(cookie_token), mac);
	b64url_encode(out, TOKEN_B64 + 1, mac, sizeof(mac));
	wipe(mac, sizeof(mac));
}

bool
csrf_check(const struct keyring *k, const char *base_url,
    const char *cookie_token, const char *given, const char *origin,
    const char *fetch_site)
{
	char	 want[TOKEN_B64 + 1];
	bool	 ok;

	if (origin != NULL && origin[0] != '\0' &&
	    strcmp(origin, base_url) != 0)
		return false;
	if (fetch_site != NULL && fetch_site[0] != '\0' &&
	    strcmp(fetch_site, "same-origin") != 0 &&
	    strcmp(fetch_site, "none") != 0)
		return false;
	if (cookie_token == NULL || !session_token_ok(cookie_token) ||
	    given == NULL || strlen(given) != TOKEN_B64)
		return false;
	csrf_token(k, cookie_token, want);
	ok = ct_equal(want, given, TOKEN_B64);
	wipe(want, sizeof(want));
	return ok;
}
