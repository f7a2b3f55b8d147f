/*
 * http.c: the response head.  Every header value passes http_header_safe,
 * so request data can never split a header (IPA: HTTP header injection).
 */
#include <string.h>
#include <unistd.h>

#include "app.h"

#define SESSION_COOKIE	"__Host-portal"

/* Security headers on every dynamic response (DESIGN.md). */
static const char *const sec_headers[] = {
	"Content-Security-Policy: default-src 'self'; frame-ancestors 'none'; "
	    "form-action 'self'; base-uri 'none'; object-src 'none'",
	"X-Frame-Options: DENY",
	"X-Content-Type-Options: nosniff",
	"Referrer-Policy: same-origin",
	"Strict-Transport-Security: max-age=63072000; includeSubDomains",
	"Cross-Origin-Opener-Policy: same-origin",
	"Cross-Origin-Resource-Policy: same-origin",
	"Permissions-Policy: camera=(), microphone=(), geolocation=(), "
	    "payment=()",
	"Cache-Control: no-store",
};

static const struct {
	int		 code;
	const char	*reason;
} reasons[] = {
	{ 200, "OK" },
	{ 303, "See Other" },
	{ 400, "Bad Request" },
	{ 401, "Unauthorized" },
	{ 403, "Forbidden" },
	{ 404, "Not Found" },
	{ 405, "Method Not Allowed" },
	{ 409, "Conflict" },
	{ 413, "Content Too Large" },
	{ 415, "Unsupported Media Type" },
	{ 422, "Unprocessable Content" },
	{ 429, "Too Many Requests" },
	{ 500, "Internal Server Error" },
	{ 503, "Service Unavailable" },
};

const char *
http_reason(int status)
{
	size_t	 i;

	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].code == status)
			return reasons[i].reason;
	return "Unknown";
}

bool
http_header_safe(const char *v)
{
	const unsigned char	*p;

	if (v == NULL)
		return false;
	for (p = (const unsigned char *)v; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return utf8_valid(v, strlen(v));
}

bool
http_local_path(const char *p)
{
	if (p == NULL || p[0] != '/' || p[1] == '/' || p[1] == '\\')
		return false;
	if (strlen(p) > 1024 || strchr(p, '\\') != NULL)
		return false;
	return http_header_safe(p);
}

/*
 * One Set-Cookie value with the attributes every cookie of ours has;
 * Max-Age only when max_age >= 0.
 */
static void
cookie_write(struct buf *out, const char *name, const char *value,
    long max_age)
{
	buf_printf(out, "%s=%s; Path=/; Secure; HttpOnly; SameSite=Lax", name,
	    value);
	if (max_age >= 0)
		buf_printf(out, "; Max-Age=%ld", max_age);
}

void
http_cookie(struct buf *out, const char *token, bool clear)
{
	if (clear)
		cookie_write(out, SESSION_COOKIE, "", 0);
	else
		cookie_write(out, SESSION_COOKIE, token, -1);
}

bool
http_cookie_name_ok(const char *name)
{
	size_t	 n, i;
	char	 c;

	if (name == NULL || strncmp(name, "__Host-", 7) != 0 ||
	    strcmp(name, SESSION_COOKIE) == 0)
		return false;
	n = strlen(name);
	if (n == 7 || n > 64)
		return false;
	for (i = 7; i < n; i++) {
		c = name[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.'))
			return false;
	}
	return true;
}

bool
http_cookie_value_ok(const char *value)
{
	const unsigned char	*p;

	if (value == NULL || strlen(value) > 256)
		return false;
	/* cookie-octet: %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E */
	for (p = (const unsigned char *)value; *p != '\0'; p++)
		if (*p < 0x21 || *p > 0x7e || *p == '"' || *p == ',' ||
		    *p == ';' || *p == '\\')
			return false;
	return true;
}

int
http_cookie_add(struct req *r, const char *name, const char *value,
    long max_age)
{
	struct cookie_set	*c = NULL;
	size_t			 i;

	if (!http_cookie_name_ok(name) || !http_cookie_value_ok(value))
		return -1;
	for (i = 0; i < r->ncookies_set; i++)
		if (strcmp(r->cookies_set[i].name, name) == 0)
			c = &r->cookies_set[i];
	if (c == NULL) {
		if (r->ncookies_set >= REQ_COOKIES_MAX)
			return -1;
		c = &r->cookies_set[r->ncookies_set++];
	}
	c->name = arena_strdup(&r->a, name);
	c->value = arena_strdup(&r->a, value);
	c->max_age = max_age;
	return 0;
}

int
http_head(struct buf *out, const struct req *r, const char *content_type,
    size_t content_length)
{
	const struct cookie_set	*c;
	size_t			 i;

	if (!http_header_safe(content_type))
		return -1;
	buf_printf(out, "Status: %d %s\r\n", r->status,
	    http_reason(r->status));
	buf_printf(out, "Content-Type: %s\r\n", content_type);
	buf_printf(out, "Content-Length: %zu\r\n", content_length);
	for (i = 0; i < sizeof(sec_headers) / sizeof(sec_headers[0]); i++)
		buf_printf(out, "%s\r\n", sec_headers[i]);
	if (r->location != NULL) {
		if (!http_local_path(r->location))
			return -1;
		buf_printf(out, "Location: %s\r\n", r->location);
	}
	if (r->allow != NULL && http_header_safe(r->allow))
		buf_printf(out, "Allow: %s\r\n", r->allow);
	if (r->retry_after > 0)
		buf_printf(out, "Retry-After: %u\r\n", r->retry_after);
	if (r->token_clear || r->token_set) {
		if (!r->token_clear && !session_token_ok(r->token))
			return -1;
		buf_puts(out, "Set-Cookie: ");
		http_cookie(out, r->token, r->token_clear);
		buf_puts(out, "\r\n");
	}
	for (i = 0; i < r->ncookies_set && i < REQ_COOKIES_MAX; i++) {
		c = &r->cookies_set[i];
		if (!http_cookie_name_ok(c->name) ||
		    !http_cookie_value_ok(c->value))
			return -1;
		buf_puts(out, "Set-Cookie: ");
		cookie_write(out, c->name, c->value, c->max_age);
		buf_puts(out, "\r\n");
	}
	if (r->ctx != NULL && r->ctx->ready &&
	    strcmp(r->ctx->conf.environment, "development") == 0)
		buf_printf(out, "X-Portal-Process: %ld\r\n", (long)getpid());
	/* Noted into the access log by Apache, then removed (never sent). */
	if (r->sess != NULL)
		buf_printf(out, "X-Portal-Member: %llu\r\n",
		    (unsigned long long)r->sess->member_id);
	else
		buf_puts(out, "X-Portal-Member: -\r\n");
	buf_puts(out, "\r\n");
	return 0;
}
