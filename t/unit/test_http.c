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
	ok(!http_header_safe("a\nb"), "LF unsafe");
	ok(!http_header_safe("a\rb"), "CR unsafe");
	ok(!http_header_safe("\xc0\xaf"), "invalid UTF-8 unsafe");
	ok(http_header_safe("日本語"), "UTF-8 text safe");
	arena_free(&a);
	return done_testing();
}
