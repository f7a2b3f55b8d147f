/*
 * http.c: the response head.  Every header value passes http_header_safe,
 * so request data can never split a header (IPA: HTTP header injection).
 */
#include <string.h>
#include <unistd.h>

#include "app.h"

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

void
http_cookie(struct buf *out, const char *token, bool clear)
{
	if (clear)
		buf_puts(out, "__Host-portal=; Path=/; Secure; HttpOnly; "
		    "SameSite=Lax; Max-Age=0");
	else
		buf_printf(out, "__Host-portal=%s; Path=/; Secure; HttpOnly; "
		    "SameSite=Lax", token);
}

int
http_head(struct buf *out, const struct req *r, const char *content_type,
    size_t content_length)
{
	size_t	 i;

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
