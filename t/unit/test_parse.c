/*
 * Unit tests for lib/parse.c.
 */
#include <stdlib.h>
#include <string.h>

#include "portal.h"
#include "tap.h"

static const struct limits lim = {
	.max_body = 64,
	.max_params = 3,
	.max_field = 5,
	.max_key = 4,
};

/*
 * parse_urlencoded on the NUL-terminated s with the test limits.
 */
static enum perr
pu(struct arena *a, const char *s, struct params *p)
{
	return parse_urlencoded(a, s, strlen(s), &lim, p);
}

/*
 * Well-formed urlencoded input.
 */
static void
test_url_ok(struct arena *a)
{
	struct params	p;

	is_int(pu(a, "", &p), PERR_OK, "empty input");
	is_int(p.n, 0, "empty input no params");
	is_int(pu(a, "&&&", &p), PERR_OK, "only separators");
	is_int(p.n, 0, "only separators no params");
	is_int(pu(a, "a=1&&b=2&", &p), PERR_OK, "empty pairs skipped");
	is_int(p.n, 2, "two params");
	is_str(p.v[0].key, "a", "first key");
	is_str(p.v[0].val, "1", "first value");
	is_str(p.v[1].key, "b", "second key");
	is_str(params_get(&p, "b"), "2", "params_get");
	ok(params_get(&p, "c") == NULL, "params_get missing");
	ok(params_get(NULL, "a") == NULL, "params_get NULL params");

	is_int(pu(a, "k+y=a+b%20c", &p), PERR_OK, "plus and %20");
	is_str(p.v[0].key, "k y", "plus in key");
	is_str(p.v[0].val, "a b c", "plus and %20 in value");
	is_int(p.v[0].vlen, 5, "vlen decoded length");

	is_int(pu(a, "flag&x=", &p), PERR_OK, "pair without = and empty value");
	is_str(params_get(&p, "flag"), "", "no = gives empty value");
	is_str(params_get(&p, "x"), "", "x= gives empty value");
	is_int(p.v[1].vlen, 0, "empty vlen");

	is_int(pu(a, "e=%E6%97%A5", &p), PERR_OK, "UTF-8 escapes");
	is_str(params_get(&p, "e"), "日", "decoded Japanese");
	is_int(pu(a, "e=%e6%97%a5", &p), PERR_OK, "lower-case hex");
	is_str(params_get(&p, "e"), "日", "lower-case decodes too");
	is_int(pu(a, "a=b=c", &p), PERR_OK, "second = is part of value");
	is_str(params_get(&p, "a"), "b=c", "value with =");
	is_int(pu(a, "a=%3C%3e", &p), PERR_OK, "escaped brackets");
	is_str(params_get(&p, "a"), "<>", "escaped brackets decoded");

	/* Only the first n bytes count. */
	is_int(parse_urlencoded(a, "a=1&b=%zz", 3, &lim, &p), PERR_OK,
	    "never reads past n");
	is_int(p.n, 1, "one pair within n");
	is_str(params_get(&p, "a"), "1", "value cut at n");
	is_int(parse_urlencoded(a, "a=%4", 4, &lim, &p), PERR_ENCODING,
	    "escape cut by n is malformed");
}

/*
 * Limits: exactly at the cap passes, one over fails.
 */
static void
test_url_limits(struct arena *a)
{
	struct params	 p;
	char		 body[80];

	is_int(pu(a, "a=1&b=2&c=3", &p), PERR_OK, "3 params (max) ok");
	is_int(p.n, 3, "3 params");
	is_int(pu(a, "a=1&b=2&c=3&d=4", &p), PERR_TOO_MANY, "4 params refused");
	is_int(p.n, 0, "no params on error");
	ok(p.v == NULL, "no array on error");
	is_int(pu(a, "a=1&b=2&c=3&&", &p), PERR_OK, "empty pairs not counted");
	is_int(pu(a, "a&b&c&d", &p), PERR_TOO_MANY, "bare keys counted");

	is_int(pu(a, "abcd=12345", &p), PERR_OK, "key 4, value 5 ok");
	is_int(pu(a, "abcde=1", &p), PERR_TOO_LONG, "key 5 refused");
	is_int(pu(a, "a=123456", &p), PERR_TOO_LONG, "value 6 refused");
	is_int(pu(a, "a=%41%42%43%44%45", &p), PERR_OK,
	    "value 15 raw, 5 decoded ok");
	is_str(params_get(&p, "a"), "ABCDE", "decoded at the cap");
	is_int(pu(a, "a=%41%42%43%44%45%46", &p), PERR_TOO_LONG,
	    "value 6 decoded refused");
	is_int(pu(a, "a=%E6%97%A5AB", &p), PERR_OK,
	    "5-byte UTF-8 value ok...");
	is_str(params_get(&p, "a"), "日AB", "multibyte value at the cap");
	is_int(pu(a, "a=%E6%97%A5%E6%97", &p), PERR_UTF8,
	    "...and 5 bytes of truncated UTF-8 refused");

	memset(body, 'x', sizeof(body));
	memcpy(body, "a=", 2);
	is_int(parse_urlencoded(a, body, 64, &(struct limits){ 64, 3, 100, 4 },
	    &p), PERR_OK, "body of max_body bytes ok");
	is_int(p.v[0].vlen, 62, "62-byte value");
	is_int(parse_urlencoded(a, body, 65, &(struct limits){ 64, 3, 100, 4 },
	    &p), PERR_TOO_LONG, "body one over max_body refused");
	is_int(parse_urlencoded(a, "a=1", 3,
	    &(struct limits){ 64, 0, 5, 4 }, &p), PERR_TOO_MANY,
	    "max_params 0 refuses any pair");
}

/*
 * Malformed urlencoded input.
 */
static void
test_url_bad(struct arena *a)
{
	struct params	p;

	is_int(pu(a, "a=%", &p), PERR_ENCODING, "lone %");
	is_int(pu(a, "a=%4", &p), PERR_ENCODING, "% and one digit");
	is_int(pu(a, "a=%4g", &p), PERR_ENCODING, "bad hex digit");
	is_int(pu(a, "a=%g4", &p), PERR_ENCODING, "bad first hex digit");
	is_int(pu(a, "%zz=1", &p), PERR_ENCODING, "bad escape in key");
	is_int(pu(a, "a=%%41", &p), PERR_ENCODING, "double percent");
	is_int(pu(a, "=1", &p), PERR_ENCODING, "empty key");
	is_int(pu(a, "=", &p), PERR_ENCODING, "lone =");
	is_int(pu(a, "a=1&=2", &p), PERR_ENCODING, "empty key later");
	is_int(p.n, 0, "no params after a later error");
	is_int(pu(a, "a=%00", &p), PERR_UTF8, "%00 in value");
	is_int(pu(a, "%00=1", &p), PERR_UTF8, "%00 in key");
	is_int(parse_urlencoded(a, "a=x\0y", 5, &lim, &p), PERR_UTF8,
	    "raw NUL in value");
	is_int(pu(a, "a=%C0%AF", &p), PERR_UTF8, "overlong UTF-8");
	is_int(pu(a, "a=%ED%A0%80", &p), PERR_UTF8, "surrogate");
	is_int(pu(a, "a=%F4%90%80", &p), PERR_UTF8, "truncated 4-byte");
	is_int(pu(a, "a=%FF", &p), PERR_UTF8, "byte ff");
	is_int(pu(a, "a=\xc0\xaf", &p), PERR_UTF8, "raw overlong");
	is_int(pu(a, "a=1&a=2", &p), PERR_DUPLICATE, "duplicate key");
	is_int(pu(a, "a=1&%61=2", &p), PERR_DUPLICATE,
	    "duplicate after decoding");
	is_int(pu(a, "a&a", &p), PERR_DUPLICATE, "duplicate bare key");
	is_int(pu(a, "a=1&A=2", &p), PERR_OK, "keys are case-sensitive");
}

/*
 * Cookie header parsing.
 */
static void
test_cookies(struct arena *a)
{
	struct params	p;

	is_int(parse_cookies(a, NULL, &lim, &p), PERR_OK, "NULL header");
	is_int(p.n, 0, "NULL header no cookies");
	is_int(parse_cookies(a, "", &lim, &p), PERR_OK, "empty header");
	is_int(p.n, 0, "empty header no cookies");
	is_int(parse_cookies(a, "sid=abc; t=1", &lim, &p), PERR_OK, "two");
	is_int(p.n, 2, "two cookies");
	is_str(params_get(&p, "sid"), "abc", "first cookie");
	is_str(params_get(&p, "t"), "1", "second cookie");
	is_int(p.v[0].vlen, 3, "cookie vlen");

	is_int(parse_cookies(a, " \ta = b \t;;  ; c=\"q v\" ", &lim, &p),
	    PERR_OK, "spaces, tabs, empty segments, quotes");
	is_int(p.n, 2, "two cookies after trimming");
	is_str(params_get(&p, "a"), "b", "trimmed value");
	is_str(params_get(&p, "c"), "q v", "unquoted value");
	is_int(p.v[1].vlen, 3, "unquoted vlen");

	is_int(parse_cookies(a, "junk; x=1; also junk", &lim, &p), PERR_OK,
	    "pairs without = skipped");
	is_int(p.n, 1, "one cookie left");
	is_str(params_get(&p, "x"), "1", "the valid one");
	is_int(parse_cookies(a, "b(d=1; =2; a b=3; ok=4", &lim, &p),
	    PERR_OK, "non-token names skipped");
	is_int(p.n, 1, "only ok kept");
	is_str(p.v[0].key, "ok", "kept name");
	is_int(parse_cookies(a, "x=1; x=2", &lim, &p), PERR_OK, "duplicates");
	is_int(p.n, 2, "duplicates kept");
	is_str(params_get(&p, "x"), "1", "first duplicate wins");
	is_int(parse_cookies(a, "e=; q=\"\"; r=\"", &lim, &p), PERR_OK,
	    "empty values");
	is_str(params_get(&p, "e"), "", "empty value");
	is_str(params_get(&p, "q"), "", "empty quoted value");
	is_str(params_get(&p, "r"), "\"", "lone quote kept");
	is_int(parse_cookies(a, "v=%41", &lim, &p), PERR_OK, "no decoding");
	is_str(params_get(&p, "v"), "%41", "percent kept");

	is_int(parse_cookies(a, "a=1; b=2; c=3", &lim, &p), PERR_OK,
	    "3 cookies (max)");
	is_int(parse_cookies(a, "a=1; b=2; c=3; d=4", &lim, &p),
	    PERR_TOO_MANY, "4 cookies refused");
	is_int(p.n, 0, "no cookies on error");
	is_int(parse_cookies(a, "a=1; b=2; c=3; junk;;", &lim, &p), PERR_OK,
	    "skipped segments not counted");
	is_int(parse_cookies(a, "abcd=12345", &lim, &p), PERR_OK,
	    "name 4 value 5 ok");
	is_int(parse_cookies(a, "abcde=1", &lim, &p), PERR_TOO_LONG,
	    "name 5 refused");
	is_int(parse_cookies(a, "a=123456", &lim, &p), PERR_TOO_LONG,
	    "value 6 refused");
	is_int(parse_cookies(a, "a=\"12345\"", &lim, &p), PERR_OK,
	    "quoted value of 5 ok");
	is_int(parse_cookies(a, "a=\xc0\xaf", &lim, &p), PERR_UTF8,
	    "overlong value refused");
	is_int(parse_cookies(a, "a=\xed\xa0\x80", &lim, &p), PERR_UTF8,
	    "surrogate value refused");
	is_int(parse_cookies(a, "a=\xe6\x97\xa5", &lim, &p), PERR_OK,
	    "UTF-8 value ok");
	is_str(params_get(&p, "a"), "日", "UTF-8 value");
}

/*
 * perr_str covers every code and out-of-range values.
 */
static void
test_perr(void)
{
	int	i, good = 1;

	for (i = 0; i < PERR__MAX; i++)
		if (perr_str((enum perr)i) == NULL || *perr_str((enum perr)i) == '\0')
			good = 0;
	ok(good, "every perr has text");
	is_str(perr_str(PERR_DUPLICATE), "duplicate parameter", "duplicate text");
	is_str(perr_str(PERR__MAX), "unknown parse error", "out of range");
	is_str(perr_str((enum perr)-1), "unknown parse error", "negative");
}

/*
 * Run every test; TAP on stdout, exit status 1 if any failed.
 */
int
main(void)
{
	struct arena	a;

	arena_init(&a, 1024);
	test_url_ok(&a);
	test_url_limits(&a);
	test_url_bad(&a);
	test_cookies(&a);
	test_perr();
	arena_free(&a);
	return done_testing();
}
