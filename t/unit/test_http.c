/*
 * Response heads: security headers always, no header injection, safe
 * local redirects only, cookie attributes.
 */
#include <string.h>

#include "app.h"
#include "tap.h"

int
main(void)
{
	struct arena	 a;
	struct buf	 b;
	struct req	 r;

	arena_init(&a, 4096);
	memset(&r, 0, sizeof(r));
	r.status = 200;
	buf_init(&b, &a);
	ok(http_head(&b, &r, "text/html; charset=utf-8", 5) == 0, "head built");
	ok(strncmp(b.p, "Status: 200 OK\r\n", 16) == 0, "status line first");
	ok(strstr(b.p, "Content-Security-Policy: default-src 'self'; "
	    "frame-ancestors 'none'") != NULL, "CSP");
	ok(strstr(b.p, "X-Frame-Options: DENY\r\n") != NULL, "XFO");
	ok(strstr(b.p, "X-Content-Type-Options: nosniff\r\n") != NULL,
	    "nosniff");
	ok(strstr(b.p, "Referrer-Policy: same-origin\r\n") != NULL, "referrer");
	ok(strstr(b.p, "Strict-Transport-Security: max-age=63072000") != NULL,
	    "HSTS");
	ok(strstr(b.p, "Cache-Control: no-store\r\n") != NULL, "no-store");
	ok(strstr(b.p, "Content-Length: 5\r\n") != NULL, "length");
	ok(strstr(b.p, "Set-Cookie") == NULL, "no cookie unless asked");
	is_int(b.len >= 4 && strcmp(b.p + b.len - 4, "\r\n\r\n") == 0, 1,
	    "ends with a blank line");

	r.status = 303;
	r.location = "/login\r\nSet-Cookie: x=1";
	buf_init(&b, &a);
	is_int(http_head(&b, &r, "text/html", 0), -1,
	    "CR/LF in Location refused");
	r.location = "//evil.example/";
	is_int(http_head(&b, &r, "text/html", 0), -1,
	    "protocol-relative redirect refused");
	r.location = "https://evil.example/";
	is_int(http_head(&b, &r, "text/html", 0), -1,
	    "absolute redirect refused");
	r.location = "/\\evil.example";
	is_int(http_head(&b, &r, "text/html", 0), -1, "backslash refused");
	r.location = "/profile?saved=1";
	buf_init(&b, &a);
	ok(http_head(&b, &r, "text/html", 0) == 0 &&
	    strstr(b.p, "Location: /profile?saved=1\r\n") != NULL,
	    "local redirect written");
	is_str(http_reason(303), "See Other", "reason 303");
	is_str(http_reason(413), "Content Too Large", "reason 413");

	r.location = NULL;
	r.token_set = true;
	memcpy(r.token, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 44);
	buf_init(&b, &a);
	ok(http_head(&b, &r, "text/html", 0) == 0 && strstr(b.p,
	    "Set-Cookie: __Host-portal=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA;"
	    " Path=/; Secure; HttpOnly; SameSite=Lax\r\n") != NULL,
	    "session cookie with __Host- prefix and flags");
	memcpy(r.token, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n", 44);
	is_int(http_head(&b, &r, "text/html", 0), -1,
	    "malformed token never reaches Set-Cookie");
	r.token_set = false;
	r.token_clear = true;
	buf_init(&b, &a);
	ok(http_head(&b, &r, "text/html", 0) == 0 && strstr(b.p,
	    "Max-Age=0") != NULL, "logout clears the cookie");
	r.token_clear = false;
	r.retry_after = 300;
	buf_init(&b, &a);
	ok(http_head(&b, &r, "text/html", 0) == 0 &&
	    strstr(b.p, "Retry-After: 300\r\n") != NULL, "Retry-After");
	r.retry_after = 0;

	/* Further cookies besides the session cookie. */
	ok(http_cookie_name_ok("__Host-portal-browser"), "__Host- name ok");
	ok(!http_cookie_name_ok("__Host-portal"),
	    "the session cookie's name is not for http_cookie_add");
	ok(!http_cookie_name_ok("browser"), "name without __Host- refused");
	ok(!http_cookie_name_ok("__Host-"), "empty name after the prefix");
	ok(!http_cookie_name_ok("__Host-a=b"), "'=' in a name refused");
	ok(!http_cookie_name_ok("__Host-a b"), "space in a name refused");
	ok(!http_cookie_name_ok(NULL), "NULL name refused");
	ok(http_cookie_value_ok("AbC-_09"), "base64url value ok");
	ok(http_cookie_value_ok(""), "empty value ok (deletion)");
	ok(!http_cookie_value_ok("a;b"), "';' in a value refused");
	ok(!http_cookie_value_ok("a b"), "space in a value refused");
	ok(!http_cookie_value_ok("a\r\nSet-Cookie: x=1"),
	    "CR/LF in a value refused");
	ok(!http_cookie_value_ok("\"q\""), "quote in a value refused");
	ok(!http_cookie_value_ok("a,b"), "comma in a value refused");
	ok(!http_cookie_value_ok("\xe6\x97\xa5"), "non-ASCII value refused");

	arena_init(&r.a, 4096);
	r.token_set = true;
	memcpy(r.token, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 44);
	is_int(http_cookie_add(&r, "__Host-portal-browser",
	    "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", 34560000), 0,
	    "browser cookie queued");
	buf_init(&b, &a);
	ok(http_head(&b, &r, "text/html", 0) == 0, "head with two cookies");
	ok(strstr(b.p, "Set-Cookie: __Host-portal=AAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAAAAAAAAAAAA; Path=/; Secure; HttpOnly; SameSite=Lax\r\n") != NULL,
	    "... the session cookie unchanged (no Max-Age)");
	ok(strstr(b.p, "Set-Cookie: __Host-portal-browser=BBBBBBBBBBBBBBBBBBBBBB"
	    "BBBBBBBBBBBBBBBBBBBBB; Path=/; Secure; HttpOnly; SameSite=Lax; "
	    "Max-Age=34560000\r\n") != NULL,
	    "... the browser cookie with its flags and Max-Age");
	is_int(http_cookie_add(&r, "__Host-portal-browser", "CCCC", -1), 0,
	    "same name queued again");
	is_int(r.ncookies_set, 1, "... replaces the queued one");
	buf_init(&b, &a);
	ok(http_head(&b, &r, "text/html", 0) == 0 &&
	    strstr(b.p, "__Host-portal-browser=BBBB") == NULL &&
	    strstr(b.p, "Set-Cookie: __Host-portal-browser=CCCC; Path=/; "
	    "Secure; HttpOnly; SameSite=Lax\r\n") != NULL,
	    "... one Set-Cookie with the new value, no Max-Age when < 0");
	is_int(http_cookie_add(&r, "__Host-x", "a;b", 1), -1,
	    "bad value not queued");
	is_int(http_cookie_add(&r, "x", "ab", 1), -1, "bad name not queued");
	is_int(r.ncookies_set, 1, "... nothing added");
	is_int(http_cookie_add(&r, "__Host-a", "1", 0), 0, "second cookie");
	is_int(http_cookie_add(&r, "__Host-b", "2", 0), 0, "third cookie");
	is_int(http_cookie_add(&r, "__Host-c", "3", 0), 0, "fourth cookie");
	is_int(http_cookie_add(&r, "__Host-d", "4", 0), -1,
	    "more than REQ_COOKIES_MAX refused");
	buf_init(&b, &a);
	ok(http_head(&b, &r, "text/html", 0) == 0 &&
	    strstr(b.p, "Set-Cookie: __Host-a=; ") == NULL &&
	    strstr(b.p, "Set-Cookie: __Host-a=1; Path=/; Secure; HttpOnly; "
	    "SameSite=Lax; Max-Age=0\r\n") != NULL,
	    "Max-Age=0 deletes");
	r.cookies_set[1].value = "x\r\nLocation: //evil";
	is_int(http_head(&b, &r, "text/html", 0), -1,
	    "an unsafe queued value makes the head fail");
	r.cookies_set[1].value = "1";
	r.cookies_set[1].name = "__Host-portal";
	is_int(http_head(&b, &r, "text/html", 0), -1,
	    "... and so does a second session cookie");
	r.ncookies_set = 0;
	r.token_set = false;
	arena_free(&r.a);

	ok(!http_header_safe("a\nb"), "LF unsafe");
	ok(!http_header_safe("a\rb"), "CR unsafe");
	ok(!http_header_safe("\xc0\xaf"), "invalid UTF-8 unsafe");
	ok(http_header_safe("日本語"), "UTF-8 text safe");
	arena_free(&a);
	return done_testing();
}
