/*
 * totp.c: the TOTP second factor.  RFC 4648 base32 for secrets, HOTP
 * (RFC 4226) and TOTP (RFC 6238) with HMAC-SHA-1 through OpenSSL's
 * one-shot HMAC(), the otpauth:// key URI for authenticator apps, and
 * single-use recovery codes that are stored only as HMAC-SHA-256.
 * No state is kept here: the caller stores the secret (encrypted) and the
 * last accepted time step, and passes them in.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "portal.h"

static const char b32abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
static const char recabc[] = RECOVERY_ALPHABET;

/* Room for the widest code we produce (8 digits) and its NUL. */
#define CODE_BUF	9

/*
 * RFC 4648 base32 of in[0..n) without padding into out[0..cap) with a
 * NUL.  Returns the length, or 0 (out set to "" when cap > 0) if cap is
 * too small.
 */
size_t
b32_encode(char *out, size_t cap, const void *in, size_t n)
{
	const unsigned char	*p = in;
	size_t			 need, i, o = 0;
	uint32_t		 acc = 0;
	unsigned		 bits = 0;

	if (n > (SIZE_MAX - 8) / 8)
		goto toosmall;
	need = (n * 8 + 4) / 5;
	if (cap == 0 || need > cap - 1)
		goto toosmall;
	for (i = 0; i < n; i++) {
		acc = (acc << 8 | p[i]) & 0xfff;	/* at most 12 bits live */
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out[o++] = b32abc[acc >> bits & 31];
		}
	}
	if (bits > 0)
		out[o++] = b32abc[acc << (5 - bits) & 31];
	out[o] = '\0';
	return o;

toosmall:
	if (cap > 0)
		out[0] = '\0';
	return 0;
}

/* Value of a base32 digit in either case, or -1. */
static int
b32_val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a';
	if (c >= '2' && c <= '7')
		return c - '2' + 26;
	return -1;
}

/*
 * Decode base32 in[0..n) (either case, spaces skipped, no padding) into
 * out[0..cap).  A digit count of 1, 3 or 6 mod 8 cannot come from any
 * input and the unused low bits of the last digit must be zero, so each
 * byte string has one accepted spelling (up to case and spaces).
 * Returns the byte count or -1 (out wiped) on bad input / small buffer.
 */
ssize_t
b32_decode(void *out, size_t cap, const char *in, size_t n)
{
	unsigned char	*o = out;
	size_t		 i, digits = 0, j = 0;
	uint32_t	 acc = 0;
	unsigned	 bits = 0;
	int		 v;

	for (i = 0; i < n; i++) {
		if (in[i] == ' ')
			continue;
		if (b32_val((unsigned char)in[i]) < 0)
			return -1;
		digits++;
	}
	switch (digits % 8) {
	case 1:
	case 3:
	case 6:
		return -1;
	default:
		break;
	}
	if (digits > SIZE_MAX / 5 || digits * 5 / 8 > cap ||
	    digits * 5 / 8 > (size_t)SSIZE_MAX)
		return -1;

	for (i = 0; i < n; i++) {
		if (in[i] == ' ')
			continue;
		v = b32_val((unsigned char)in[i]);
		acc = (acc << 5 | (uint32_t)v) & 0xfff;	/* at most 12 live */
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			o[j++] = (unsigned char)(acc >> bits);
		}
	}
	/* Left-over bits (fewer than 5) must be zero padding. */
	if ((acc & ((1u << bits) - 1)) != 0) {
		wipe(out, j);
		return -1;
	}
	return (ssize_t)j;
}

/* Time step of now (Unix time, T0 = 0, X = 30 s), or -1 before 1970. */
int64_t
totp_step(time_t now)
{
	if (now < 0)
		return -1;
	return (int64_t)(now / TOTP_PERIOD);
}

/*
 * HOTP(key, step) with digits 6..8 into out (see portal.h).  The HMAC and
 * counter bytes are wiped before returning.
 */
int
totp_code(const unsigned char *key, size_t keylen, uint64_t step,
    unsigned digits, char out[9])
{
	static const uint32_t	 mod[] = { 1000000, 10000000, 100000000 };
	unsigned char		 msg[8], md[EVP_MAX_MD_SIZE];
	unsigned int		 mdlen = 0;
	uint32_t		 bin;
	unsigned		 off, i;

	if (out != NULL)
		out[0] = '\0';
	if (key == NULL || keylen == 0 || keylen > TOTP_KEY_MAX ||
	    digits < 6 || digits > 8 || out == NULL)
		return -1;
	for (i = 0; i < 8; i++)
		msg[i] = (unsigned char)(step >> (56 - 8 * i));
	if (HMAC(EVP_sha1(), key, (int)keylen, msg, sizeof(msg), md,
	    &mdlen) == NULL || mdlen != 20) {
		wipe(md, sizeof(md));
		return -1;
	}
	off = md[19] & 0xf;
	bin = (uint32_t)(md[off] & 0x7f) << 24 | (uint32_t)md[off + 1] << 16 |
	    (uint32_t)md[off + 2] << 8 | (uint32_t)md[off + 3];
	bin %= mod[digits - 6];
	for (i = digits; i > 0; i--) {
		out[i - 1] = (char)('0' + bin % 10);
		bin /= 10;
	}
	out[digits] = '\0';
	wipe(md, sizeof(md));
	wipe(msg, sizeof(msg));
	return 0;
}

/*
 * Verify code at now against steps s-1, s, s+1 (see portal.h).  The three
 * candidates are always computed and compared with ct_equal; the first
 * window (oldest first) that matches and is newer than last_step wins.
 */
int64_t
totp_verify(const unsigned char *key, size_t keylen, const char *code,
    time_t now, int64_t last_step)
{
	char		 want[CODE_BUF], cand[CODE_BUF];
	int64_t		 s, step, found = -1;
	size_t		 i;
	int		 w;
	bool		 eq, fresh, bad = false;

	if (code == NULL || (s = totp_step(now)) < 0)
		return -1;
	for (i = 0; i < TOTP_DIGITS; i++)
		if (code[i] < '0' || code[i] > '9')
			return -1;
	if (code[TOTP_DIGITS] != '\0')
		return -1;
	memcpy(want, code, TOTP_DIGITS + 1);

	for (w = -1; w <= 1; w++) {
		step = s + w;
		if (step < 0) {
			/* Only at the epoch; compare anyway for even timing. */
			step = 0;
		}
		if (totp_code(key, keylen, (uint64_t)step, TOTP_DIGITS,
		    cand) != 0) {
			bad = true;
			continue;
		}
		eq = ct_equal(cand, want, TOTP_DIGITS);
		fresh = step > last_step && s + w >= 0;
		if (eq && fresh && found < 0)
			found = step;
	}
	wipe(cand, sizeof(cand));
	wipe(want, sizeof(want));
	return bad ? -1 : found;
}

/* New random secret; 0 or -1. */
int
totp_secret_new(unsigned char out[TOTP_SECRET_LEN])
{
	return rand_bytes(out, TOTP_SECRET_LEN);
}

/*
 * True if s is a non-empty, valid UTF-8 label without control characters
 * (C0, DEL) or ':' (the key URI's issuer/account separator).
 */
static bool
uri_label_ok(const char *s)
{
	const unsigned char	*p;

	if (s == NULL || *s == '\0' || !utf8_valid(s, strlen(s)))
		return false;
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f || *p == ':')
			return false;
	return true;
}

/* Appender over a fixed buffer: fails once, then stays failed. */
struct sbuf {
	char	*p;
	size_t	 cap;
	size_t	 len;
	bool	 err;
};

/* Append the NUL-terminated s; the result stays NUL-terminated. */
static void
sb_puts(struct sbuf *b, const char *s)
{
	size_t	n = strlen(s);

	if (b->err || n >= b->cap - b->len) {
		b->err = true;
		return;
	}
	memcpy(b->p + b->len, s, n + 1);
	b->len += n;
}

/* Append s percent-encoded: all but ALPHA / DIGIT / "-._~" as %XX. */
static void
sb_pct(struct sbuf *b, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p;
	char			 t[4];

	for (p = (const unsigned char *)s; *p != '\0' && !b->err; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~') {
			t[0] = (char)*p;
			t[1] = '\0';
		} else {
			t[0] = '%';
			t[1] = hex[*p >> 4];
			t[2] = hex[*p & 15];
			t[3] = '\0';
		}
		sb_puts(b, t);
	}
}

/* otpauth:// key URI (see portal.h); returns the length or -1. */
int
totp_uri(char *out, size_t cap, const char *issuer, const char *account,
    const unsigned char *key, size_t keylen)
{
	char		secret[TOTP_KEY_MAX * 8 / 5 + 2];
	struct sbuf	b = { out, cap, 0, false };

	if (out == NULL || cap == 0)
		return -1;
	out[0] = '\0';
	if (cap > INT_MAX || !uri_label_ok(issuer) ||
	    !uri_label_ok(account) || key == NULL || keylen == 0 ||
	    keylen > TOTP_KEY_MAX ||
	    b32_encode(secret, sizeof(secret), key, keylen) == 0)
		return -1;

	sb_puts(&b, "otpauth://totp/");
	sb_pct(&b, issuer);
	sb_puts(&b, ":");
	sb_pct(&b, account);
	sb_puts(&b, "?secret=");
	sb_puts(&b, secret);
	sb_puts(&b, "&issuer=");
	sb_pct(&b, issuer);
	sb_puts(&b, "&algorithm=SHA1&digits=6&period=30");
	wipe(secret, sizeof(secret));
	if (b.err) {
		wipe(out, cap);
		out[0] = '\0';
		return -1;
	}
	return (int)b.len;
}

/*
 * Fill code with RECOVERY_CODE_LEN random characters of the 32-character
 * alphabet (5 bits of each random byte: no modulo bias) formatted
 * "XXXXX-XXXXX".  0 or -1.
 */
static int
recovery_code_one(char code[RECOVERY_CODE_BUFSZ])
{
	unsigned char	r[RECOVERY_CODE_LEN];
	size_t		i, o = 0;

	if (rand_bytes(r, sizeof(r)) != 0)
		return -1;
	for (i = 0; i < RECOVERY_CODE_LEN; i++) {
		if (i == RECOVERY_CODE_LEN / 2)
			code[o++] = '-';
		code[o++] = recabc[r[i] & 31];
	}
	code[o] = '\0';
	wipe(r, sizeof(r));
	return 0;
}

/*
 * n distinct codes (see portal.h).  A duplicate (chance about n^2 / 2^51)
 * is simply drawn again.
 */
int
recovery_codes_new(char codes[][RECOVERY_CODE_BUFSZ], size_t n)
{
	size_t	i, j;

	for (i = 0; i < n; i++) {
		if (recovery_code_one(codes[i]) != 0) {
			wipe(codes, i * sizeof(codes[0]));
			return -1;
		}
		for (j = 0; j < i; j++)
			if (strcmp(codes[i], codes[j]) == 0) {
				i--;	/* draw codes[i] again */
				break;
			}
	}
	return 0;
}

/* Normalise typed input to the bare code (see portal.h); 0 or -1. */
int
recovery_code_normalize(char out[RECOVERY_CODE_LEN + 1], const char *in)
{
	size_t		 o = 0;
	unsigned char	 c;

	out[0] = '\0';
	if (in == NULL)
		return -1;
	for (; *in != '\0'; in++) {
		c = (unsigned char)*in;
		if (c == ' ' || c == '-')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (unsigned char)(c - 'a' + 'A');
		/* c != NUL here, so strchr cannot match the terminator. */
		if (o == RECOVERY_CODE_LEN || strchr(recabc, c) == NULL)
			goto bad;
		out[o++] = (char)c;
	}
	if (o != RECOVERY_CODE_LEN)
		goto bad;
	out[o] = '\0';
	return 0;
bad:
	wipe(out, RECOVERY_CODE_LEN + 1);
	return -1;
}

/* HMAC-SHA-256 of the normalised code under key. */
void
recovery_code_hash(const unsigned char *key, size_t keylen,
    const char *norm, unsigned char out[32])
{
	hmac_sha256(key, keylen, norm, strlen(norm), out);
}

/* Normalise, hash and compare in constant time (see portal.h). */
bool
recovery_code_match(const unsigned char *key, size_t keylen,
    const char *input, const unsigned char stored[32])
{
	char		norm[RECOVERY_CODE_LEN + 1];
	unsigned char	h[32];
	bool		eq;

	if (recovery_code_normalize(norm, input) != 0)
		return false;
	recovery_code_hash(key, keylen, norm, h);
	eq = ct_equal(h, stored, sizeof(h));
	wipe(norm, sizeof(norm));
	wipe(h, sizeof(h));
	return eq;
}
