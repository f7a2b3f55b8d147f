/*
 * Bounded parsers for query strings, urlencoded bodies and Cookie
 * headers.  Every limit is checked before memory is spent on it; input is
 * never read past its length; results live in the caller's arena.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "portal.h"

static const char *const perr_strs[PERR__MAX] = {
	"success",				/* PERR_OK */
	"too many parameters",			/* PERR_TOO_MANY */
	"parameter too long",			/* PERR_TOO_LONG */
	"malformed encoding",			/* PERR_ENCODING */
	"invalid UTF-8",			/* PERR_UTF8 */
	"duplicate parameter",			/* PERR_DUPLICATE */
};

/*
 * Fixed English description of e (for logs, never for clients).
 */
const char *
perr_str(enum perr e)
{
	if ((unsigned)e >= PERR__MAX)
		return "unknown parse error";
	return perr_strs[e];
}

/*
 * Value of the hex digit c, or -1.
 */
static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decode the urlencoded s[0..n) ('+' is a space, %XX an escape) into a
 * new NUL-terminated arena string *out of length *outlen.  Fails with
 * PERR_TOO_LONG as soon as the decoded length would exceed max, with
 * PERR_ENCODING on a bad escape and PERR_UTF8 if the result is not valid
 * UTF-8 or contains NUL.  Allocates at most min(n, max) + 1 bytes.
 */
static enum perr
url_decode(struct arena *a, const char *s, size_t n, size_t max,
    char **out, size_t *outlen)
{
	char	*d;
	size_t	 i, len = 0;
	int	 hi, lo;

	d = arena_alloc(a, (n < max ? n : max) + 1);
	for (i = 0; i < n; i++) {
		if (len >= max)
			return PERR_TOO_LONG;
		if (s[i] == '+')
			d[len++] = ' ';
		else if (s[i] == '%') {
			if (n - i < 3)
				return PERR_ENCODING;
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return PERR_ENCODING;
			d[len++] = (char)(hi << 4 | lo);
			i += 2;
		} else
			d[len++] = s[i];
	}
	d[len] = '\0';
	if (!utf8_valid(d, len))
		return PERR_UTF8;
	*out = d;
	*outlen = len;
	return PERR_OK;
}

/*
 * Parse application/x-www-form-urlencoded s[0..n) into out (see
 * portal.h).  The input must be at most max_body bytes and hold at most
 * max_params non-empty pairs (counted before anything is allocated);
 * keys at most max_key and values at most max_field decoded bytes.
 * On error out is empty (n == 0) and the error is returned.
 */
enum perr
parse_urlencoded(struct arena *a, const char *s, size_t n,
    const struct limits *lim, struct params *out)
{
	const char	*pair, *end, *eq, *amp;
	struct kv	*v;
	size_t		 count = 0, i, k, vlen, klen;
	char		*key, *val;
	enum perr	 e;

	out->v = NULL;
	out->n = 0;
	if (n == 0)
		return PERR_OK;
	if (s == NULL)
		return PERR_ENCODING;
	if (n > lim->max_body)
		return PERR_TOO_LONG;

	/* Count non-empty pairs first so too many costs no memory. */
	for (i = 0; i < n; i++) {
		if (s[i] != '&' && (i == 0 || s[i - 1] == '&')) {
			if (count >= lim->max_params)
				return PERR_TOO_MANY;
			count++;
		}
	}
	if (count == 0)
		return PERR_OK;
	v = arena_calloc(a, count, sizeof(*v));

	end = s + n;
	k = 0;
	for (pair = s; pair < end; pair = amp + 1) {
		amp = memchr(pair, '&', (size_t)(end - pair));
		if (amp == NULL)
			amp = end;
		if (amp == pair)
			continue;
		eq = memchr(pair, '=', (size_t)(amp - pair));
		if (eq == NULL)
			eq = amp;
		if (eq == pair)
			return PERR_ENCODING;
		e = url_decode(a, pair, (size_t)(eq - pair), lim->max_key,
		    &key, &klen);
		if (e != PERR_OK)
			return e;
		if (klen == 0)
			return PERR_ENCODING;
		for (i = 0; i < k; i++)
			if (strcmp(v[i].key, key) == 0)
				return PERR_DUPLICATE;
		if (eq == amp) {
			val = arena_alloc(a, 1);
			vlen = 0;
		} else {
			e = url_decode(a, eq + 1, (size_t)(amp - eq - 1),
			    lim->max_field, &val, &vlen);
			if (e != PERR_OK)
				return e;
		}
		v[k].key = key;
		v[k].val = val;
		v[k].vlen = vlen;
		k++;
		if (amp == end)
			break;
	}
	out->v = v;
	out->n = k;
	return PERR_OK;
}

/*
 * True if c may appear in a cookie name (an RFC 6265 / RFC 2616 token:
 * visible ASCII except separators).
 */
static bool
is_tchar(unsigned char c)
{
	if (c <= 0x20 || c >= 0x7f)
		return false;
	return strchr("()<>@,;:\\\"/[]?={}", c) == NULL;
}

/*
 * Parse a Cookie header into out (see portal.h): pairs split on ';',
 * surrounding spaces and tabs trimmed, pairs without '=' or with a name
 * that is not a token skipped.  A value in double quotes is unquoted and
 * must be valid UTF-8.  Names over max_key or values over max_field give
 * PERR_TOO_LONG, more than max_params pairs PERR_TOO_MANY.  On error out
 * is empty.  A NULL header is an empty list.
 */
enum perr
parse_cookies(struct arena *a, const char *header, const struct limits *lim,
    struct params *out)
{
	const char	*seg, *end, *semi, *eq, *ns, *ne, *vs, *ve;
	const char	*p;
	struct kv	*v;
	size_t		 nseg = 1, cap, k = 0;

	out->v = NULL;
	out->n = 0;
	if (header == NULL || *header == '\0')
		return PERR_OK;
	for (p = header; *p != '\0'; p++)
		if (*p == ';')
			nseg++;
	end = p;
	cap = nseg < lim->max_params ? nseg : lim->max_params;
	v = arena_calloc(a, cap, sizeof(*v));

	for (seg = header; seg < end; seg = semi + 1) {
		semi = memchr(seg, ';', (size_t)(end - seg));
		if (semi == NULL)
			semi = end;
		eq = memchr(seg, '=', (size_t)(semi - seg));
		if (eq == NULL)
			goto next;
		/* Name: trimmed, a non-empty token. */
		for (ns = seg; ns < eq && (*ns == ' ' || *ns == '\t'); ns++)
			continue;
		for (ne = eq; ne > ns && (ne[-1] == ' ' || ne[-1] == '\t'); ne--)
			continue;
		if (ne == ns)
			goto next;
		for (p = ns; p < ne; p++)
			if (!is_tchar((unsigned char)*p))
				break;
		if (p < ne)
			goto next;
		/* Value: trimmed, then unquoted. */
		for (vs = eq + 1; vs < semi && (*vs == ' ' || *vs == '\t'); vs++)
			continue;
		for (ve = semi; ve > vs && (ve[-1] == ' ' || ve[-1] == '\t'); ve--)
			continue;
		if (ve - vs >= 2 && *vs == '"' && ve[-1] == '"') {
			vs++;
			ve--;
		}
		if (k >= lim->max_params)
			return PERR_TOO_MANY;
		if ((size_t)(ne - ns) > lim->max_key ||
		    (size_t)(ve - vs) > lim->max_field)
			return PERR_TOO_LONG;
		if (!utf8_valid(vs, (size_t)(ve - vs)))
			return PERR_UTF8;
		v[k].key = arena_strndup(a, ns, (size_t)(ne - ns));
		v[k].val = arena_strndup(a, vs, (size_t)(ve - vs));
		v[k].vlen = (size_t)(ve - vs);
		k++;
next:
		if (semi == end)
			break;
	}
	if (k > 0) {
		out->v = v;
		out->n = k;
	}
	return PERR_OK;
}

/*
 * First value for key in p, or NULL if absent (or p or key is NULL).
 */
const char *
params_get(const struct params *p, const char *key)
{
	size_t	i;

	if (p == NULL || key == NULL)
		return NULL;
	for (i = 0; i < p->n; i++)
		if (strcmp(p->v[i].key, key) == 0)
			return p->v[i].val;
	return NULL;
}
