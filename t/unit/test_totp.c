/*
 * test_totp.c: totp.c against published vectors (RFC 4648 base32,
 * RFC 4226 Appendix D HOTP, RFC 6238 Appendix B TOTP SHA-1), the +-1 step
 * window and replay refusal of totp_verify, the key URI and recovery codes.
 */
#include <string.h>

#include "portal.h"
#include "tap.h"

/* RFC 4226 / RFC 6238 SHA-1 seed. */
static const unsigned char seed[] = "12345678901234567890";
#define SEEDLEN	20

/* RFC 4648 section 10 vectors, both ways, plus case, spaces and errors. */
static void
test_b32(void)
{
	static const char *const in[] = {
	    "", "f", "fo", "foo", "foob", "fooba", "foobar" };
	static const char *const enc[] = {
	    "", "MY", "MZXQ", "MZXW6", "MZXW6YQ", "MZXW6YTB", "MZXW6YTBOI" };
	char		 out[64];
	unsigned char	 dec[64];
	size_t		 i, r;
	ssize_t		 d;

	for (i = 0; i < 7; i++) {
		r = b32_encode(out, sizeof(out), in[i], strlen(in[i]));
		is_str(out, enc[i], "b32_encode RFC 4648 vector");
		is_int(r, strlen(enc[i]), "b32_encode length");
		d = b32_decode(dec, sizeof(dec), enc[i], strlen(enc[i]));
		ok(d == (ssize_t)strlen(in[i]) &&
		    memcmp(dec, in[i], strlen(in[i])) == 0,
		    "b32_decode round trip %zu", i);
	}
	b32_encode(out, sizeof(out), seed, SEEDLEN);
	is_str(out, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "b32 of RFC seed");

	/* every length 0..64 and every byte value survive a round trip */
	{
		unsigned char	all[256], bigdec[256];
		char		big[420];
		int		good = 1;

		for (i = 0; i < 256; i++)
			all[i] = (unsigned char)(i * 167 + 13);
		for (i = 0; i <= 64; i++) {
			r = b32_encode(big, sizeof(big), all, i);
			d = b32_decode(dec, i, big, r);
			good &= r == (i * 8 + 4) / 5 && d == (ssize_t)i &&
			    memcmp(dec, all, i) == 0;
		}
		ok(good, "b32 round trip lengths 0..64 with exact caps");
		r = b32_encode(big, sizeof(big), all, 256);
		d = b32_decode(bigdec, sizeof(bigdec), big, r);
		ok(d == 256 && memcmp(bigdec, all, 256) == 0,
		    "b32 round trip all 256 byte values");
	}

	d = b32_decode(dec, sizeof(dec), "mzxw 6ytb oi", 12);
	ok(d == 6 && memcmp(dec, "foobar", 6) == 0,
	    "b32_decode lower case with spaces");
	d = b32_decode(dec, sizeof(dec), "gezd gnbv gy3t qojq gezd gnbv gy3t "
	    "qojq", 39);
	ok(d == SEEDLEN && memcmp(dec, seed, SEEDLEN) == 0,
	    "b32_decode grouped secret as apps show it");
	is_int(b32_decode(dec, sizeof(dec), "    ", 4), 0, "only spaces");

	/* capacity */
	is_int(b32_encode(out, 3, "f", 1), 2, "encode exact cap");
	is_int(b32_encode(out, 2, "f", 1), 0, "encode one short refused");
	is_str(out, "", "refused encode output empty");
	is_int(b32_decode(dec, 5, "MZXW6YTBOI", 10), -1, "decode cap short");
	is_int(b32_decode(dec, 6, "MZXW6YTBOI", 10), 6, "decode exact cap");

	/* bad input */
	is_int(b32_decode(dec, sizeof(dec), "MY======", 8), -1, "refuse =");
	is_int(b32_decode(dec, sizeof(dec), "MZXW1", 5), -1, "refuse 1");
	is_int(b32_decode(dec, sizeof(dec), "MZXW0", 5), -1, "refuse 0");
	is_int(b32_decode(dec, sizeof(dec), "MZXW8", 5), -1, "refuse 8");
	is_int(b32_decode(dec, sizeof(dec), "MZ-XW", 5), -1, "refuse -");
	is_int(b32_decode(dec, sizeof(dec), "MZ\tXW", 5), -1, "refuse tab");
	is_int(b32_decode(dec, sizeof(dec), "MZ\0XW", 5), -1, "refuse NUL");
	is_int(b32_decode(dec, sizeof(dec), "MZX\xc3\xa9", 5), -1,
	    "refuse non-ASCII");
	is_int(b32_decode(dec, sizeof(dec), "M", 1), -1, "refuse 1 digit");
	is_int(b32_decode(dec, sizeof(dec), "MZX", 3), -1, "refuse 3 digits");
	is_int(b32_decode(dec, sizeof(dec), "MZXW6Y", 6), -1,
	    "refuse 6 digits");
	is_int(b32_decode(dec, sizeof(dec), "MZ", 2), -1,
	    "refuse non-canonical tail");
	is_int(b32_decode(dec, sizeof(dec), "MZXR", 4), -1,
	    "refuse non-canonical 4-digit tail");
}

/* RFC 4226 Appendix D: HOTP values for counters 0..9. */
static void
test_hotp(void)
{
	static const char *const want[] = {
	    "755224", "287082", "359152", "969429", "338314",
	    "254676", "287922", "162583", "399871", "520489" };
	char		out[9];
	uint64_t	c;

	for (c = 0; c < 10; c++) {
		is_int(totp_code(seed, SEEDLEN, c, 6, out), 0, "totp_code ok");
		is_str(out, want[c], "RFC 4226 HOTP vector");
	}
	is_int(totp_code(seed, SEEDLEN, 0, 5, out), -1, "5 digits refused");
	is_str(out, "", "refused output empty");
	is_int(totp_code(seed, SEEDLEN, 0, 9, out), -1, "9 digits refused");
	is_int(totp_code(seed, 0, 0, 6, out), -1, "empty key refused");
	is_int(totp_code(NULL, 20, 0, 6, out), -1, "NULL key refused");
	is_int(totp_code(seed, TOTP_KEY_MAX + 1, 0, 6, out), -1,
	    "over-long key refused");
	is_int(totp_code(seed, SEEDLEN, 1, 7, out), 0, "7 digits");
	is_int(strlen(out), 7, "7 digits long");
}

/* RFC 6238 Appendix B, SHA-1 rows (8 digits). */
static void
test_totp_vectors(void)
{
	static const struct {
		time_t		 t;
		const char	*code;
	} v[] = {
	    { 59, "94287082" },
	    { 1111111109, "07081804" },
	    { 1111111111, "14050471" },
	    { 1234567890, "89005924" },
	    { 2000000000, "69279037" },
	    { (time_t)20000000000LL, "65353130" },
	};
	char	out[9];
	size_t	i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		totp_code(seed, SEEDLEN, (uint64_t)totp_step(v[i].t), 8, out);
		is_str(out, v[i].code, "RFC 6238 SHA-1 vector");
	}
	is_int(totp_step(59), 1, "step of 59");
	is_int(totp_step(60), 2, "step of 60");
	is_int(totp_step(0), 0, "step of 0");
	is_int(totp_step(-1), -1, "step before epoch");
	is_int(totp_step((time_t)20000000000LL), 666666666, "step year 2603");
}

/* The verify window, replay refusal and malformed codes. */
static void
test_verify(void)
{
	const time_t	 now = 1111111111;
	const int64_t	 s = 1111111111 / 30;
	char		 c[5][9], x[9];
	int		 i;

	for (i = 0; i < 5; i++)
		totp_code(seed, SEEDLEN, (uint64_t)(s - 2 + i), 6, c[i]);

	is_int(totp_verify(seed, SEEDLEN, c[2], now, -1), s, "current step");
	is_int(totp_verify(seed, SEEDLEN, c[1], now, -1), s - 1,
	    "previous step accepted");
	is_int(totp_verify(seed, SEEDLEN, c[3], now, -1), s + 1,
	    "next step accepted");
	is_int(totp_verify(seed, SEEDLEN, c[0], now, -1), -1,
	    "two steps back refused");
	is_int(totp_verify(seed, SEEDLEN, c[4], now, -1), -1,
	    "two steps ahead refused");
	is_int(totp_verify(seed, SEEDLEN, c[2], now + 29 - now % 30, -1), s,
	    "last second of the step");

	/* replay */
	is_int(totp_verify(seed, SEEDLEN, c[2], now, s), -1,
	    "same step again refused (replay)");
	is_int(totp_verify(seed, SEEDLEN, c[2], now + 30, s), -1,
	    "replay refused in the next step too");
	is_int(totp_verify(seed, SEEDLEN, c[1], now, s), -1,
	    "older step after newer refused");
	is_int(totp_verify(seed, SEEDLEN, c[3], now, s), s + 1,
	    "newer step after last accepted");
	is_int(totp_verify(seed, SEEDLEN, c[2], now, s - 1), s,
	    "step after last accepted");

	/* wrong key */
	is_int(totp_verify((const unsigned char *)"another key", 11, c[2],
	    now, -1), -1, "other key refused");
	is_int(totp_verify(seed, 0, c[2], now, -1), -1, "empty key refused");

	/* malformed */
	memcpy(x, c[2], sizeof(x));
	x[5] = '\0';
	is_int(totp_verify(seed, SEEDLEN, x, now, -1), -1, "5 digits");
	memcpy(x, c[2], 6);
	x[6] = '0';
	x[7] = '\0';
	is_int(totp_verify(seed, SEEDLEN, x, now, -1), -1, "7 digits");
	x[6] = '\n';
	is_int(totp_verify(seed, SEEDLEN, x, now, -1), -1, "trailing LF");
	x[6] = ' ';
	is_int(totp_verify(seed, SEEDLEN, x, now, -1), -1, "trailing space");
	is_int(totp_verify(seed, SEEDLEN, "", now, -1), -1, "empty");
	is_int(totp_verify(seed, SEEDLEN, NULL, now, -1), -1, "NULL");
	is_int(totp_verify(seed, SEEDLEN, "12a456", now, -1), -1, "letter");
	is_int(totp_verify(seed, SEEDLEN, "+12345", now, -1), -1, "sign");
	is_int(totp_verify(seed, SEEDLEN, "\xef\xbc\x91" "23456", now, -1), -1,
	    "full-width digit");
	is_int(totp_verify(seed, SEEDLEN, c[2], -1, -1), -1, "before epoch");

	/* at the epoch there is no previous step */
	totp_code(seed, SEEDLEN, 0, 6, x);
	is_int(totp_verify(seed, SEEDLEN, x, 10, -1), 0, "step 0 at t=10");
	is_int(totp_verify(seed, SEEDLEN, x, 40, -1), 0, "step 0 at t=40");
	is_int(totp_verify(seed, SEEDLEN, x, 10, 0), -1, "step 0 replay");
}

/* Fresh secrets and the otpauth URI. */
static void
test_secret_uri(void)
{
	unsigned char	a[TOTP_SECRET_LEN], b[TOTP_SECRET_LEN];
	char		b32[TOTP_SECRET_B32_LEN + 1], uri[TOTP_URI_MAX];
	const char	*want;
	int		n;

	is_int(totp_secret_new(a), 0, "secret a");
	is_int(totp_secret_new(b), 0, "secret b");
	ok(memcmp(a, b, sizeof(a)) != 0, "secrets differ");
	is_int(b32_encode(b32, sizeof(b32), a, sizeof(a)),
	    TOTP_SECRET_B32_LEN, "secret is 32 base32 digits");

	want = "otpauth://totp/%E4%BC%9A%E5%93%A1%E3%83%9D%E3%83%BC%E3%82%BF"
	    "%E3%83%AB:taro.yamada%2Btest%40example.jp?secret="
	    "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=%E4%BC%9A%E5%93%A1%E3%83"
	    "%9D%E3%83%BC%E3%82%BF%E3%83%AB&algorithm=SHA1&digits=6&period=30";
	n = totp_uri(uri, sizeof(uri), "会員ポータル",
	    "taro.yamada+test@example.jp", seed, SEEDLEN);
	is_str(uri, want, "URI with UTF-8 issuer percent-encoded");
	is_int(n, strlen(want), "URI length returned");
	n = totp_uri(uri, strlen(want) + 1, "会員ポータル",
	    "taro.yamada+test@example.jp", seed, SEEDLEN);
	is_int(n, strlen(want), "exact capacity fits");
	n = totp_uri(uri, strlen(want), "会員ポータル",
	    "taro.yamada+test@example.jp", seed, SEEDLEN);
	is_int(n, -1, "one short refused");
	is_str(uri, "", "refused URI is empty");

	n = totp_uri(uri, sizeof(uri), "A B&C", "x/y?z#", seed, SEEDLEN);
	ok(n > 0, "URI with reserved characters");
	is_str(uri, "otpauth://totp/A%20B%26C:x%2Fy%3Fz%23?secret="
	    "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=A%20B%26C"
	    "&algorithm=SHA1&digits=6&period=30", "reserved characters escaped");
	is_int(totp_uri(uri, sizeof(uri), "Ex:ample", "a", seed, SEEDLEN), -1,
	    "colon in issuer refused");
	is_int(totp_uri(uri, sizeof(uri), "Example", "a:b", seed, SEEDLEN), -1,
	    "colon in account refused");
	is_int(totp_uri(uri, sizeof(uri), "", "a", seed, SEEDLEN), -1,
	    "empty issuer refused");
	is_int(totp_uri(uri, sizeof(uri), "Example", "", seed, SEEDLEN), -1,
	    "empty account refused");
	is_int(totp_uri(uri, sizeof(uri), NULL, "a", seed, SEEDLEN), -1,
	    "NULL issuer refused");
	is_int(totp_uri(uri, sizeof(uri), "Ex\nample", "a", seed, SEEDLEN),
	    -1, "control character refused");
	is_int(totp_uri(uri, sizeof(uri), "Ex\xff", "a", seed, SEEDLEN), -1,
	    "invalid UTF-8 refused");
	is_int(totp_uri(uri, sizeof(uri), "Example", "a", seed, 0), -1,
	    "empty key refused");
	is_int(totp_uri(uri, 0, "Example", "a", seed, SEEDLEN), -1,
	    "zero capacity refused");
}

/* True if s is "XXXXX-XXXXX" over the recovery alphabet. */
static int
code_shape_ok(const char *s)
{
	size_t	i;

	if (strlen(s) != 11 || s[5] != '-')
		return 0;
	for (i = 0; i < 11; i++)
		if (i != 5 && strchr(RECOVERY_ALPHABET, s[i]) == NULL)
			return 0;
	return 1;
}

/* Recovery codes: generation, normalisation, hashing, matching. */
static void
test_recovery(void)
{
	char		codes[RECOVERY_CODE_COUNT][RECOVERY_CODE_BUFSZ];
	char		norm[RECOVERY_CODE_LEN + 1];
	unsigned char	key[32], h[32], h2[32];
	size_t		i, j;
	int		shape = 1, distinct = 1;

	is_int(strlen(RECOVERY_ALPHABET), 32, "alphabet has 32 characters");
	ok(strpbrk(RECOVERY_ALPHABET, "01IO") == NULL,
	    "alphabet has no 0 1 I O");
	is_int(recovery_codes_new(codes, RECOVERY_CODE_COUNT), 0,
	    "recovery_codes_new");
	for (i = 0; i < RECOVERY_CODE_COUNT; i++) {
		shape &= code_shape_ok(codes[i]);
		for (j = 0; j < i; j++)
			distinct &= strcmp(codes[i], codes[j]) != 0;
	}
	ok(shape, "every code is XXXXX-XXXXX over the alphabet");
	ok(distinct, "codes are distinct");

	is_int(recovery_code_normalize(norm, "abcde-fghjk"), 0, "lower+hyphen");
	is_str(norm, "ABCDEFGHJK", "normalised");
	is_int(recovery_code_normalize(norm, " AB CD E-F-GHJK  "), 0,
	    "spaces and hyphens dropped");
	is_str(norm, "ABCDEFGHJK", "normalised again");
	is_int(recovery_code_normalize(norm, "ABCDE-FGHJ"), -1, "9 chars");
	is_str(norm, "", "refused output empty");
	is_int(recovery_code_normalize(norm, "ABCDE-FGHJKL"), -1, "11 chars");
	is_int(recovery_code_normalize(norm, "ABCDE-FGHJO"), -1, "O refused");
	is_int(recovery_code_normalize(norm, "ABCDE-FGHJ0"), -1, "0 refused");
	is_int(recovery_code_normalize(norm, "ABCDE-FGHJ1"), -1, "1 refused");
	is_int(recovery_code_normalize(norm, "ABCDE_FGHJK"), -1, "_ refused");
	is_int(recovery_code_normalize(norm, "ABCDE\tFGHJK"), -1,
	    "tab refused");
	is_int(recovery_code_normalize(norm, "ＡBCDE-FGHJK"), -1,
	    "full-width refused");
	is_int(recovery_code_normalize(norm, ""), -1, "empty refused");
	is_int(recovery_code_normalize(norm, NULL), -1, "NULL refused");

	memset(key, 0x5a, sizeof(key));
	recovery_code_hash(key, sizeof(key), "ABCDEFGHJK", h);
	hmac_sha256(key, sizeof(key), "ABCDEFGHJK", 10, h2);
	ok(memcmp(h, h2, 32) == 0, "hash is HMAC-SHA-256 of the code");
	ok(recovery_code_match(key, sizeof(key), "abcde fghjk", h),
	    "typed input matches stored hash");
	ok(!recovery_code_match(key, sizeof(key), "ABCDE-FGHJM", h),
	    "other code does not match");
	ok(!recovery_code_match(key, sizeof(key), "garbage", h),
	    "malformed input does not match");
	key[0] ^= 1;
	ok(!recovery_code_match(key, sizeof(key), "ABCDE-FGHJK", h),
	    "other server key does not match");
	key[0] ^= 1;

	ok(recovery_code_normalize(norm, codes[0]) == 0 &&
	    strlen(norm) == RECOVERY_CODE_LEN, "generated code normalises");
	recovery_code_hash(key, sizeof(key), norm, h);
	ok(recovery_code_match(key, sizeof(key), codes[0], h),
	    "generated code matches its hash");
	ok(!recovery_code_match(key, sizeof(key), codes[1], h),
	    "another generated code does not");
}

int
main(void)
{
	test_b32();
	test_hotp();
	test_totp_vectors();
	test_verify();
	test_secret_uri();
	test_recovery();
	return done_testing();
}
