/*
 * password.c: argon2id password hashes (PHC strings) through libargon2.
 *
 * Hashes are "$argon2id$v=19$m=M,t=T,p=P$SALT$TAG" with a random 16-byte
 * salt and a 32-byte tag.  Stored strings are parsed strictly before
 * libargon2 sees them, and absurd cost parameters are refused so a bad
 * row cannot make one verification eat the machine.
 */
#include <limits.h>
#include <string.h>

#include <argon2.h>

#include "portal.h"

#define PW_SALT		16
#define PW_TAG		32
#define PW_M_MAX	4194304		/* 4 GiB, the config's ceiling */
#define PW_T_MAX	100
#define PW_P_MAX	64

struct phc {
	uint32_t	m, t, p;
	size_t		saltlen;	/* base64 characters */
	size_t		taglen;
};

/*
 * Parse a decimal number without sign, leading zero or overflow from *s
 * up to the first character that is not a digit; advance *s.  0 or -1.
 */
static int
phc_num(const char **s, uint32_t max, uint32_t *out)
{
	const char	*p = *s;
	uint64_t	 v = 0;

	if (*p < '0' || *p > '9' || (*p == '0' && p[1] >= '0' && p[1] <= '9'))
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > max)
			return -1;
	}
	*out = (uint32_t)v;
	*s = p;
	return 0;
}

/* Advance *s over standard base64 digits (no padding). */
static void
phc_b64(const char **s)
{
	const char	*p = *s;

	while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
	    (*p >= '0' && *p <= '9') || *p == '+' || *p == '/')
		p++;
	*s = p;
}

/*
 * Parse an argon2id v=19 PHC string strictly into ph: salt of 8..64
 * bytes, tag of exactly 32.  0 or -1 if any part is missing, out of range
 * or followed by junk.
 */
static int
phc_parse(const char *s, struct phc *ph)
{
	const char	*start;

	if (s == NULL || strncmp(s, "$argon2id$v=19$m=", 17) != 0)
		return -1;
	s += 17;
	if (phc_num(&s, PW_M_MAX, &ph->m) == -1 || strncmp(s, ",t=", 3) != 0)
		return -1;
	s += 3;
	if (phc_num(&s, PW_T_MAX, &ph->t) == -1 || strncmp(s, ",p=", 3) != 0)
		return -1;
	s += 3;
	if (phc_num(&s, PW_P_MAX, &ph->p) == -1 || *s != '$')
		return -1;
	if (ph->t < 1 || ph->p < 1 || ph->m < 8 * ph->p)
		return -1;
	start = ++s;
	phc_b64(&s);
	ph->saltlen = (size_t)(s - start);
	if (*s != '$')
		return -1;
	start = ++s;
	phc_b64(&s);
	ph->taglen = (size_t)(s - start);
	if (*s != '\0')
		return -1;
	/* salt 8..64 bytes, tag exactly PW_TAG bytes */
	if (ph->saltlen < 11 || ph->saltlen > 86 || ph->saltlen % 4 == 1 ||
	    ph->taglen != (PW_TAG * 4 + 2) / 3)
		return -1;
	return 0;
}

/*
 * Hash pw with argon2id under params and a fresh 16-byte salt; write the
 * PHC string into out[0..cap).  0, or -1 on bad parameters, a small
 * buffer or a library failure.
 */
int
password_hash(const struct argon2_params *params, const char *pw, char *out,
    size_t cap)
{
	unsigned char	salt[PW_SALT];
	size_t		need;
	int		r;

	if (cap > 0)
		out[0] = '\0';
	if (params == NULL || pw == NULL || params->t < 1 ||
	    params->t > PW_T_MAX || params->p < 1 || params->p > PW_P_MAX ||
	    params->m_kib < 8 * params->p || params->m_kib > PW_M_MAX)
		return -1;
	need = argon2_encodedlen(params->t, params->m_kib, params->p, PW_SALT,
	    PW_TAG, Argon2_id);
	if (need == 0 || need > cap)
		return -1;
	if (rand_bytes(salt, sizeof(salt)) == -1)
		return -1;
	r = argon2id_hash_encoded(params->t, params->m_kib, params->p, pw,
	    strlen(pw), salt, sizeof(salt), PW_TAG, out, cap);
	wipe(salt, sizeof(salt));
	if (r != ARGON2_OK) {
		wipe(out, cap);
		return -1;
	}
	return 0;
}

/*
 * Check pw against the PHC string encoded.  0 on a match, 1 on a
 * mismatch, -1 if encoded is malformed (not argon2id v=19 as we write it)
 * or the library fails.  The tag compare inside libargon2 is
 * constant-time.
 */
int
password_verify(const char *encoded, const char *pw)
{
	struct phc	ph;
	int		r;

	if (pw == NULL || phc_parse(encoded, &ph) == -1)
		return -1;
	r = argon2id_verify(encoded, pw, strlen(pw));
	if (r == ARGON2_OK)
		return 0;
	if (r == ARGON2_VERIFY_MISMATCH)
		return 1;
	return -1;
}

/*
 * True if encoded is malformed or was made with other cost parameters
 * than params, so it should be replaced at the next successful sign-in.
 */
bool
password_needs_rehash(const char *encoded, const struct argon2_params *params)
{
	struct phc	ph;

	if (params == NULL || phc_parse(encoded, &ph) == -1)
		return true;
	return ph.m != params->m_kib || ph.t != params->t ||
	    ph.p != params->p;
}

struct argon2_params
password_params(const struct config *c)
{
	struct argon2_params	 p = { c->argon2_m_kib, c->argon2_t,
	    c->argon2_p };

	return p;
}
