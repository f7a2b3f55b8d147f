/*
 * crypto.c: thin wrappers over OpenSSL 3 (random bytes, SHA-256,
 * HMAC-SHA-256, constant-time compare) and the encoders the portal needs
 * (base64url without padding, MIME base64, hex).  No home-made crypto.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "portal.h"

static const char b64std[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/*
 * Fill buf with n bytes from OpenSSL's CSPRNG, in slices that fit an int.
 * Returns 0, or -1 (buf wiped) if the generator fails.
 */
int
rand_bytes(void *buf, size_t n)
{
	unsigned char	*p = buf;
	size_t		 chunk;

	while (n > 0) {
		chunk = n > INT_MAX ? INT_MAX : n;
		if (RAND_bytes(p, (int)chunk) != 1) {
			OPENSSL_cleanse(buf, (size_t)(p - (unsigned char *)buf));
			return -1;
		}
		p += chunk;
		n -= chunk;
	}
	return 0;
}

/*
 * SHA-256 of in[0..n) into out.  The digest cannot fail short of a broken
 * library; if it does the process aborts rather than return garbage.
 */
void
sha256(const void *in, size_t n, unsigned char out[32])
{
	static const unsigned char	 empty[1];
	unsigned int			 len = 0;

	if (in == NULL)
		in = empty;
	if (EVP_Digest(in, n, out, &len, EVP_sha256(), NULL) != 1 ||
	    len != 32)
		abort();
}

/*
 * HMAC-SHA-256 of msg[0..n) under key[0..keylen) into out (OpenSSL's
 * one-shot HMAC(), not deprecated in 3.0).  Aborts if the library fails.
 */
void
hmac_sha256(const unsigned char *key, size_t keylen, const void *msg,
    size_t n, unsigned char out[32])
{
	static const unsigned char	 empty[1];
	unsigned int			 len = 0;

	if (key == NULL)
		key = empty;
	if (msg == NULL)
		msg = empty;
	if (keylen > INT_MAX ||
	    HMAC(EVP_sha256(), key, (int)keylen, msg, n, out, &len) == NULL ||
	    len != 32)
		abort();
}

/* True if a[0..n) equals b[0..n); the time taken depends only on n. */
bool
ct_equal(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}

/*
 * Shared base64 encoder: alphabet abc, '=' padding if pad.  Writes a
 * NUL-terminated string into out[0..cap) and returns its length, or 0
 * (out set to "" when cap > 0) if cap is too small or n absurdly large.
 */
static size_t
b64_encode_with(const char *abc, bool pad, char *out, size_t cap,
    const void *in, size_t n)
{
	const unsigned char	*p = in;
	size_t			 need, i, o = 0;
	uint32_t		 v;

	if (n / 3 >= (SIZE_MAX - 8) / 4)
		goto toosmall;
	if (pad)
		need = (n + 2) / 3 * 4;
	else
		need = n / 3 * 4 + (n % 3 == 0 ? 0 : n % 3 + 1);
	if (cap == 0 || need > cap - 1)
		goto toosmall;

	for (i = 0; i + 3 <= n; i += 3) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		out[o++] = abc[v >> 18 & 63];
		out[o++] = abc[v >> 12 & 63];
		out[o++] = abc[v >> 6 & 63];
		out[o++] = abc[v & 63];
	}
	if (n - i == 1) {
		v = (uint32_t)p[i] << 16;
		out[o++] = abc[v >> 18 & 63];
		out[o++] = abc[v >> 12 & 63];
		if (pad) {
			out[o++] = '=';
			out[o++] = '=';
		}
	} else if (n - i == 2) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
		out[o++] = abc[v >> 18 & 63];
		out[o++] = abc[v >> 12 & 63];
		out[o++] = abc[v >> 6 & 63];
		if (pad)
			out[o++] = '=';
	}
	out[o] = '\0';
	return o;

toosmall:
	if (cap > 0)
		out[0] = '\0';
	return 0;
}

/* base64url without padding; see portal.h. */
size_t
b64url_encode(char *out, size_t cap, const void *in, size_t n)
{
	return b64_encode_with(b64url, false, out, cap, in, n);
}

/* Standard base64 with '=' padding; see portal.h. */
size_t
b64_encode(char *out, size_t cap, const void *in, size_t n)
{
	return b64_encode_with(b64std, true, out, cap, in, n);
}

/* Value of a base64url digit, or -1 for anything else (including '='). */
static int
b64url_val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

/*
 * Decode unpadded base64url in[0..n) into out[0..cap).  Refuses '=',
 * characters outside the alphabet, a length that no input can have
 * (n % 4 == 1) and non-zero unused bits in the last digit, so every byte
 * string has exactly one accepted encoding.  Returns the byte count or -1
 * (out wiped) on bad input or too small a buffer.
 */
ssize_t
b64url_decode(void *out, size_t cap, const char *in, size_t n)
{
	unsigned char	*o = out;
	size_t		 need, i, j = 0, rem;
	uint32_t	 v;
	int		 d[4];
	size_t		 k;

	if (n % 4 == 1 || n / 4 > (size_t)SSIZE_MAX / 3)
		return -1;
	rem = n % 4;
	need = n / 4 * 3 + (rem == 0 ? 0 : rem - 1);
	if (need > cap)
		return -1;

	for (i = 0; i < n; i += 4) {
		k = n - i < 4 ? n - i : 4;
		for (size_t m = 0; m < 4; m++) {
			d[m] = 0;
			if (m < k && (d[m] = b64url_val((unsigned char)
			    in[i + m])) < 0)
				goto bad;
		}
		v = (uint32_t)d[0] << 18 | (uint32_t)d[1] << 12 |
		    (uint32_t)d[2] << 6 | (uint32_t)d[3];
		o[j++] = (unsigned char)(v >> 16);
		if (k == 2) {
			if ((v & 0xffff) != 0)
				goto bad;	/* non-canonical tail */
			break;
		}
		o[j++] = (unsigned char)(v >> 8);
		if (k == 3) {
			if ((v & 0xff) != 0)
				goto bad;
			break;
		}
		o[j++] = (unsigned char)v;
	}
	return (ssize_t)j;

bad:
	OPENSSL_cleanse(out, need);
	return -1;
}

/* Lower-case hex of in[0..n) into out, which needs 2n+1 bytes. */
void
hex_encode(char *out, const void *in, size_t n)
{
	static const char	 digits[] = "0123456789abcdef";
	const unsigned char	*p = in;
	size_t			 i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

/* Value of a hex digit (either case) or -1. */
static int
hex_val(unsigned char c)
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
 * Decode in, which must be exactly 2*outlen hex digits (either case)
 * followed by its NUL, into out.  Returns 0, or -1 (out wiped) if a
 * character is not a hex digit or the string is shorter or longer.
 */
int
hex_decode(void *out, size_t outlen, const char *in)
{
	unsigned char	*o = out;
	size_t		 i;
	int		 hi, lo;

	for (i = 0; i < outlen; i++) {
		if ((hi = hex_val((unsigned char)in[2 * i])) < 0 ||
		    (lo = hex_val((unsigned char)in[2 * i + 1])) < 0)
			goto bad;
		o[i] = (unsigned char)(hi << 4 | lo);
	}
	if (in[2 * outlen] != '\0')
		goto bad;
	return 0;
bad:
	OPENSSL_cleanse(out, outlen);
	return -1;
}

/* Overwrite p[0..n) in a way the compiler cannot drop. */
void
wipe(void *p, size_t n)
{
	if (p != NULL && n > 0)
		OPENSSL_cleanse(p, n);
}
