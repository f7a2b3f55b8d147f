/*
 * validate.c: validators for the form keys.  Each takes a NUL-terminated
 * string as it came out of the request parser and says what is wrong with
 * it (enum verr); none of them modifies or stores anything.  Values that
 * look like attacks ("' OR '1'='1") are just data: only the shape rules
 * of each field decide.
 */
#include <string.h>

#include "portal.h"

#define NAME_MAX_CP	100
#define KANA_MAX_CP	100
#define ADDRESS_MAX_CP	200
#define EMAIL_MAX	254
#define EMAIL_LOCAL_MAX	64
#define LABEL_MAX	63
#define PHONE_MAX	16	/* bytes: 11 digits and some hyphens */

static const char *const verr_keys[VERR__MAX] = {
	NULL,			/* VERR_OK */
	"err_required",		/* VERR_REQUIRED */
	"err_too_long",		/* VERR_TOO_LONG */
	"err_too_short",	/* VERR_TOO_SHORT */
	"err_charset",		/* VERR_CHARSET */
	"err_format",		/* VERR_FORMAT */
};

/* Message catalogue key for e; NULL for VERR_OK or an unknown value. */
const char *
verr_msgkey(enum verr e)
{
	if ((unsigned)e >= VERR__MAX)
		return NULL;
	return verr_keys[e];
}

/*
 * True for code points that must not appear in a text field: C0 and C1
 * controls, DEL, line/paragraph separators and the bidirectional
 * formatting characters (which can make text display as something else).
 */
static bool
is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
	    cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	    (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* True if every code point of valid UTF-8 s is an ASCII or ideographic space. */
static bool
only_spaces(const char *s)
{
	uint32_t	cp;

	while ((cp = utf8_next(&s)) != 0)
		if (cp != ' ' && cp != 0x3000)
			return false;
	return true;
}

/*
 * Shared check of a free-text field of 1..maxcp code points: valid UTF-8,
 * no control characters, not only spaces.
 */
static enum verr
v_text(const char *s, size_t maxcp)
{
	const char	*p;
	size_t		 n;
	uint32_t	 cp;

	if (s == NULL || *s == '\0')
		return VERR_REQUIRED;
	n = strnlen(s, maxcp * 4 + 1);
	if (n > maxcp * 4)
		return VERR_TOO_LONG;
	if (!utf8_valid(s, n))
		return VERR_CHARSET;
	for (p = s; (cp = utf8_next(&p)) != 0; )
		if (is_control(cp))
			return VERR_CHARSET;
	if (utf8_count(s) > maxcp)
		return VERR_TOO_LONG;
	if (only_spaces(s))
		return VERR_REQUIRED;
	return VERR_OK;
}

/* Name: 1..100 code points, no control characters. */
enum verr
v_name(const char *s)
{
	return v_text(s, NAME_MAX_CP);
}

/* Address: 1..200 code points, no control characters. */
enum verr
v_address(const char *s)
{
	return v_text(s, ADDRESS_MAX_CP);
}

/*
 * Kana: 1..100 code points of full-width katakana (U+30A1..U+30F6), the
 * long-vowel mark U+30FC, the middle dot U+30FB and spaces (U+3000, ' ').
 */
enum verr
v_kana(const char *s)
{
	const char	*p;
	size_t		 n;
	uint32_t	 cp;

	if (s == NULL || *s == '\0')
		return VERR_REQUIRED;
	n = strnlen(s, KANA_MAX_CP * 3 + 1);
	if (n > KANA_MAX_CP * 3)
		return VERR_TOO_LONG;
	if (!utf8_valid(s, n))
		return VERR_CHARSET;
	for (p = s; (cp = utf8_next(&p)) != 0; )
		if (!((cp >= 0x30a1 && cp <= 0x30f6) || cp == 0x30fb ||
		    cp == 0x30fc || cp == 0x3000 || cp == ' '))
			return VERR_CHARSET;
	if (utf8_count(s) > KANA_MAX_CP)
		return VERR_TOO_LONG;
	if (only_spaces(s))
		return VERR_REQUIRED;
	return VERR_OK;
}

/* True for RFC 5322 atext (ALPHA / DIGIT / "!#$%&'*+-/=?^_`{|}~"). */
static bool
is_atext(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || (c != '\0' &&
	    strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* True for a letter, digit or hyphen. */
static bool
is_ldh(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-';
}

/*
 * Mail address: local@domain in ASCII, at most 254 bytes; local part a
 * dot-atom of at most 64 bytes; domain of at least two LDH labels of
 * 1..63 bytes, none starting or ending with '-', the last not all digits.
 */
enum verr
v_email(const char *s)
{
	const char	*at, *p, *label;
	size_t		 n, i;
	bool		 alpha;

	if (s == NULL || *s == '\0')
		return VERR_REQUIRED;
	n = strnlen(s, EMAIL_MAX + 1);
	if (n > EMAIL_MAX)
		return VERR_TOO_LONG;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return VERR_CHARSET;
	if ((at = strchr(s, '@')) == NULL || strchr(at + 1, '@') != NULL)
		return VERR_FORMAT;
	if ((size_t)(at - s) > EMAIL_LOCAL_MAX)
		return VERR_TOO_LONG;

	/* local part: dot-atom */
	if (at == s || s[0] == '.' || at[-1] == '.')
		return VERR_FORMAT;
	for (p = s; p < at; p++) {
		if (*p == '.') {
			if (p[1] == '.')
				return VERR_FORMAT;
		} else if (!is_atext((unsigned char)*p))
			return VERR_FORMAT;
	}

	/* domain: LDH labels, at least one dot */
	if (strchr(at + 1, '.') == NULL)
		return VERR_FORMAT;
	label = at + 1;
	for (;;) {
		alpha = false;
		for (p = label; *p != '\0' && *p != '.'; p++) {
			if (!is_ldh((unsigned char)*p))
				return VERR_FORMAT;
			if (!(*p >= '0' && *p <= '9'))
				alpha = true;
		}
		if (p == label || (size_t)(p - label) > LABEL_MAX ||
		    label[0] == '-' || p[-1] == '-')
			return VERR_FORMAT;
		if (*p == '\0')
			break;
		label = p + 1;
	}
	if (!alpha)
		return VERR_FORMAT;	/* numeric top-level label */
	return VERR_OK;
}

/* Lower-case copy of a valid address into out[0..cap); 0 or -1. */
int
email_normalize(char *out, size_t cap, const char *in)
{
	size_t	n, i;

	if (v_email(in) != VERR_OK)
		return -1;
	n = strlen(in);
	if (n >= cap)
		return -1;
	for (i = 0; i < n; i++)
		out[i] = (in[i] >= 'A' && in[i] <= 'Z') ?
		    (char)(in[i] - 'A' + 'a') : in[i];
	out[n] = '\0';
	return 0;
}

/*
 * Phone: digits and single hyphens between digits, starting with 0,
 * 10 or 11 digits in all.
 */
enum verr
v_phone(const char *s)
{
	size_t	n, i, digits = 0;

	if (s == NULL || *s == '\0')
		return VERR_REQUIRED;
	n = strnlen(s, PHONE_MAX + 1);
	for (i = 0; i < n; i++)
		if (!(s[i] >= '0' && s[i] <= '9') && s[i] != '-')
			return VERR_CHARSET;
	if (n > PHONE_MAX)
		return VERR_TOO_LONG;
	if (s[0] != '0' || s[n - 1] == '-')
		return VERR_FORMAT;
	for (i = 0; i < n; i++) {
		if (s[i] == '-' && s[i + 1] == '-')
			return VERR_FORMAT;
		if (s[i] != '-')
			digits++;
	}
	if (digits < 10 || digits > 11)
		return VERR_FORMAT;
	return VERR_OK;
}

/* Postal code: NNN-NNNN or NNNNNNN. */
enum verr
v_postal(const char *s)
{
	size_t	n, i;

	if (s == NULL || *s == '\0')
		return VERR_REQUIRED;
	n = strnlen(s, 9);
	for (i = 0; i < n; i++)
		if (!(s[i] >= '0' && s[i] <= '9') && s[i] != '-')
			return VERR_CHARSET;
	if (n == 7 && strchr(s, '-') == NULL)
		return VERR_OK;
	if (n == 8 && s[3] == '-' && strchr(s + 4, '-') == NULL &&
	    strchr(s, '-') == s + 3)
		return VERR_OK;
	return VERR_FORMAT;
}
