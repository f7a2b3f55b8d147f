/*
 * test_crypto.c: crypto.c against published vectors (FIPS 180-2 SHA-256,
 * RFC 4231 HMAC-SHA-256, RFC 4648 base64) and hand-derived edge cases.
 */
#include <string.h>

#include "portal.h"
#include "tap.h"

/* Hex of a 32-byte digest into out (65 bytes). */
static void
hex32(char out[65], const unsigned char d[32])
{
	hex_encode(out, d, 32);
}

/* SHA-256 of "abc" and "" (FIPS 180-2 / well-known). */
static void
test_sha256(void)
{
	unsigned char	d[32];
	char		h[65];

	sha256("abc", 3, d);
	hex32(h, d);
	is_str(h, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad", "sha256(abc)");
	sha256("", 0, d);
	hex32(h, d);
	is_str(h, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855", "sha256(empty)");
}

/* RFC 4231 test cases 1 and 2. */
static void
test_hmac(void)
{
	unsigned char	key[20], d[32];
	char		h[65];

	memset(key, 0x0b, sizeof(key));
	hmac_sha256(key, sizeof(key), "Hi There", 8, d);
	hex32(h, d);
	is_str(h, "b0344c61d8db38535ca8afceaf0bf12b"
	    "881dc200c9833da726e9376c2e32cff7", "RFC 4231 case 1");
	hmac_sha256((const unsigned char *)"Jefe", 4,
	    "what do ya want for nothing?", 28, d);
	hex32(h, d);
	is_str(h, "5bdcc146bf60754e6a042426089575c7"
	    "5a003f089d2739839dec58b964ec3843", "RFC 4231 case 2");
}

/* ct_equal and wipe. */
static void
test_ct(void)
{
	unsigned char	a[8] = "abcdefg", b[8] = "abcdefg";

	ok(ct_equal(a, b, 8), "ct_equal equal");
	b[7] = 1;
	ok(!ct_equal(a, b, 8), "ct_equal differs in last byte");
	ok(ct_equal(a, b, 7), "ct_equal prefix");
	ok(ct_equal(a, b, 0), "ct_equal zero length");
	wipe(a, sizeof(a));
	ok(memcmp(a, "\0\0\0\0\0\0\0\0", 8) == 0, "wipe zeroes");
}

/* RFC 4648 section 10 vectors, padded and url/unpadded. */
static void
test_b64(void)
{
	static const char *const in[] = {
	    "", "f", "fo", "foo", "foob", "fooba", "foobar" };
	static const char *const std[] = {
	    "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };
	static const char *const url[] = {
	    "", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy" };
	char		 out[32];
	unsigned char	 dec[32];
	size_t		 i, r;
	ssize_t		 d;

	for (i = 0; i < 7; i++) {
		r = b64_encode(out, sizeof(out), in[i], strlen(in[i]));
		is_str(out, std[i], "b64_encode RFC 4648 vector");
		is_int(r, strlen(std[i]), "b64_encode length");
		r = b64url_encode(out, sizeof(out), in[i], strlen(in[i]));
		is_str(out, url[i], "b64url_encode RFC 4648 vector");
		is_int(r, strlen(url[i]), "b64url_encode length");
		d = b64url_decode(dec, sizeof(dec), url[i], strlen(url[i]));
		ok(d == (ssize_t)strlen(in[i]) &&
		    memcmp(dec, in[i], strlen(in[i])) == 0,
		    "b64url_decode round trip %zu", i);
	}

	/* 0xfb 0xff: the two alphabets differ in digits 62 and 63. */
	b64_encode(out, sizeof(out), "\xfb\xff", 2);
	is_str(out, "+/8=", "b64 uses +/");
	b64url_encode(out, sizeof(out), "\xfb\xff", 2);
	is_str(out, "-_8", "b64url uses -_");
	d = b64url_decode(dec, sizeof(dec), "-_8", 3);
	ok(d == 2 && dec[0] == 0xfb && dec[1] == 0xff, "decode -_8");

	/* capacity */
	is_int(b64_encode(out, 5, "foo", 3), 4, "exact capacity fits");
	is_int(b64_encode(out, 4, "foo", 3), 0, "one short is refused");
	is_str(out, "", "refused output is empty");
	is_int(b64url_encode(out, 3, "fo", 2), 0, "url one short refused");
	is_int(b64url_decode(dec, 2, "Zm9v", 4), -1, "decode cap too small");
	is_int(b64url_decode(dec, 3, "Zm9v", 4), 3, "decode exact cap");

	/* bad input */
	is_int(b64url_decode(dec, sizeof(dec), "Zg==", 4), -1, "refuse =");
	is_int(b64url_decode(dec, sizeof(dec), "Zm9vY", 5), -1,
	    "refuse len%4==1");
	is_int(b64url_decode(dec, sizeof(dec), "Z", 1), -1, "refuse 1 char");
	is_int(b64url_decode(dec, sizeof(dec), "Zm+v", 4), -1, "refuse +");
	is_int(b64url_decode(dec, sizeof(dec), "Zm/v", 4), -1, "refuse /");
	is_int(b64url_decode(dec, sizeof(dec), "Zm9 ", 4), -1, "refuse space");
	is_int(b64url_decode(dec, sizeof(dec), "Zm\0v", 4), -1, "refuse NUL");
	is_int(b64url_decode(dec, sizeof(dec), "Zh", 2), -1,
	    "refuse non-canonical 2-digit tail");
	is_int(b64url_decode(dec, sizeof(dec), "Zm9", 3), -1,
	    "refuse non-canonical 3-digit tail");
	is_int(b64url_decode(dec, sizeof(dec), "", 0), 0, "empty decodes");
}

/* Hex both ways. */
static void
test_hex(void)
{
	unsigned char	b[4];
	char		h[9];

	hex_encode(h, "\x00\x9f\xab\xff", 4);
	is_str(h, "009fabff", "hex_encode lower case");
	ok(hex_decode(b, 4, "009FabFF") == 0 &&
	    memcmp(b, "\x00\x9f\xab\xff", 4) == 0, "hex_decode mixed case");
	is_int(hex_decode(b, 4, "009fabf"), -1, "hex_decode short");
	is_int(hex_decode(b, 4, "009fabff0"), -1, "hex_decode long");
	is_int(hex_decode(b, 4, "009fabfg"), -1, "hex_decode bad digit");
	is_int(hex_decode(b, 4, "0x9fabff"), -1, "hex_decode 0x");
	is_int(hex_decode(b, 0, ""), 0, "hex_decode empty");
}

/* Random bytes are filled and differ. */
static void
test_rand(void)
{
	unsigned char	a[32], b[32], z[32];

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	memset(z, 0, sizeof(z));
	is_int(rand_bytes(a, sizeof(a)), 0, "rand_bytes ok");
	is_int(rand_bytes(b, sizeof(b)), 0, "rand_bytes ok again");
	ok(memcmp(a, b, 32) != 0 && memcmp(a, z, 32) != 0,
	    "rand_bytes output differs");
	is_int(rand_bytes(a, 0), 0, "rand_bytes zero length");
}

int
main(void)
{
	test_sha256();
	test_hmac();
	test_ct();
	test_b64();
	test_hex();
	test_rand();
	return done_testing();
}
