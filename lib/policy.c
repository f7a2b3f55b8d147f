/*
 * policy.c: the password policy (AUTH-1).
 *
 * Every rule comes from portal.conf (see policy_for_role): length limits
 * in code points, "at least k of the 4 classes" (ASCII upper case, ASCII
 * lower case, ASCII digit, symbol = anything else), the bundled list of
 * common passwords (compiled in from data/common-passwords.txt, looked up
 * with bsearch) and no mail local part, name or kana inside the password.
 * policy_failures reports every rule broken at once so the form can name
 * them all next to the field.  Nothing here allocates or keeps state;
 * lower-cased copies of the password are wiped after use.
 */
#include <stdlib.h>
#include <string.h>

#include "app.h"

/*
 * The procurement variants of AUTH-1 (docs/REQUIREMENTS.md).  000 asks
 * for "letters, digits and symbols": with k-of-4 counting only k = 4
 * guarantees all three kinds (3 of 4 may be upper, lower and digit), so
 * it needs 4 classes like 002.  003 "no proper nouns" is met by the
 * personal-data rule (mail local part, name and kana refused).
 */
const struct policy_variant policy_variants[] = {
	{ "000", ">= 16 characters of letters, digits and symbols",
	    16, 4, false },
	{ "002 #23", ">= 10 characters with upper, lower, digit and symbol",
	    10, 4, false },
	{ "003 #14", ">= 8 characters with 3 of 4 classes, no proper nouns",
	    8, 3, true },
};
const size_t policy_nvariants =
    sizeof(policy_variants) / sizeof(policy_variants[0]);

/* Catalogue keys of the rules (PR_CLASSES: see policy_msgkey). */
static const char *const policy_keys[PR__MAX] = {
	"err_required",			/* PR_REQUIRED */
	"err_charset",			/* PR_CHARSET */
	"err_password_short",		/* PR_SHORT */
	"err_password_long",		/* PR_LONG */
	"err_password_classes",		/* PR_CLASSES */
	"err_password_common",		/* PR_COMMON */
	"err_password_contains_id",	/* PR_CONTAINS_ID */
	"err_password_contains_name",	/* PR_CONTAINS_NAME */
};

/* ASCII-only lower-casing (no locale). */
static unsigned char
lc(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/*
 * True for a byte that may be appended to or prepended before a common
 * password: an ASCII digit, space or printable symbol.
 */
static bool
is_affix(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && !(lc(c) >= 'a' && lc(c) <= 'z');
}

/* Set the members (and registration) or administrators' policy of c. */
void
policy_for_role(const struct config *c, enum role role, struct policy *p)
{
	p->min_len = c->password_min_length;
	p->max_len = c->password_max_length;
	p->min_classes = c->password_min_classes;
	p->check_common = c->password_check_common != 0;
	p->check_personal = c->password_check_personal != 0;
	if (role == ROLE_ANON || role == ROLE_MEMBER)
		return;
	/* operators, administrators and anything unknown: the stricter */
	if (c->admin_password_min_length > p->min_len)
		p->min_len = c->admin_password_min_length;
	if (c->admin_password_min_classes > p->min_classes)
		p->min_classes = c->admin_password_min_classes;
}

/* True if p meets variant v's length, classes and proper-noun rule. */
bool
policy_satisfies(const struct policy *p, const struct policy_variant *v)
{
	return p->min_len >= v->min_len && p->min_classes >= v->min_classes &&
	    (!v->needs_personal || p->check_personal);
}

/* bsearch comparison: key is a string, elem a const char *const *. */
static int
common_cmp(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

/*
 * True if s[0..n), lower-cased, is on the common list.  The copy is
 * wiped.
 */
static bool
common_has(const char *s, size_t n)
{
	char	buf[POLICY_COMMON_MAX + 1];
	size_t	i;
	bool	found;

	if (n == 0 || n > POLICY_COMMON_MAX)
		return false;
	for (i = 0; i < n; i++)
		buf[i] = (char)lc((unsigned char)s[i]);
	buf[n] = '\0';
	found = bsearch(buf, common_passwords, common_npasswords,
	    sizeof(common_passwords[0]), common_cmp) != NULL;
	wipe(buf, sizeof(buf));
	return found;
}

/*
 * True if pw is a common password: the whole of it, or what is left after
 * removing any number of trailing (else leading) ASCII digits, spaces and
 * symbols, is on the list.  Affixes are ASCII, so no cut falls inside a
 * UTF-8 sequence.
 */
bool
policy_is_common(const char *pw)
{
	size_t	n, k, i;

	if (pw == NULL)
		return false;
	n = strlen(pw);
	for (k = n;; k--) {
		if (common_has(pw, k))
			return true;
		if (k == 0 || !is_affix((unsigned char)pw[k - 1]))
			break;
	}
	for (i = 0; i < n && is_affix((unsigned char)pw[i]); i++)
		if (common_has(pw + i + 1, n - i - 1))
			return true;
	return false;
}

/*
 * True if needle[0..m) (m > 0) occurs in the NUL-terminated hay, ASCII
 * letters compared without case and every other byte exactly (UTF-8 is
 * self-synchronising, so a byte match of valid UTF-8 is a code point
 * match).
 */
static bool
contains_ci(const char *hay, const char *needle, size_t m)
{
	size_t	n = strlen(hay), i, j;

	if (m == 0 || m > n)
		return false;
	for (i = 0; i + m <= n; i++) {
		for (j = 0; j < m; j++)
			if (lc((unsigned char)hay[i + j]) !=
			    lc((unsigned char)needle[j]))
				break;
		if (j == m)
			return true;
	}
	return false;
}

/* True if pw contains the local part of email when it has >= 3 bytes. */
static bool
contains_local(const char *pw, const char *email)
{
	const char	*at;

	if (email == NULL || (at = strchr(email, '@')) == NULL ||
	    at - email < 3)
		return false;
	return contains_ci(pw, email, (size_t)(at - email));
}

/* True for a code point that separates the words of a name. */
static bool
is_name_sep(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == ',' || cp == '.' ||
	    cp == '-' || cp == 0x3000 /* ideographic space */ ||
	    cp == 0x30fb /* katakana middle dot */ ||
	    cp == 0xff65 /* halfwidth katakana middle dot */;
}

/*
 * True if pw contains a word of at least 2 code points of the name s
 * (NULL, empty or invalid UTF-8: false).
 */
static bool
contains_words(const char *pw, const char *s)
{
	const char	*p, *start = NULL, *prev;
	size_t		 chars = 0;
	uint32_t	 cp;

	if (s == NULL || !utf8_valid(s, strlen(s)))
		return false;
	for (p = s;;) {
		prev = p;
		cp = *p == '\0' ? 0 : utf8_next(&p);
		if (cp == 0 || is_name_sep(cp)) {
			if (start != NULL && chars >= 2 &&
			    contains_ci(pw, start, (size_t)(prev - start)))
				return true;
			start = NULL;
			chars = 0;
			if (cp == 0)
				return false;
			continue;
		}
		if (start == NULL)
			start = prev;
		chars++;
	}
}

/* Every rule of p that pw breaks, as a mask of 1u << enum policy_rule. */
unsigned
policy_failures(const struct policy *p, const char *pw, const char *email,
    const char *name, const char *kana)
{
	const char	*s;
	unsigned	 f = 0, cls;
	size_t		 n = 0;
	uint32_t	 cp;
	bool		 up = false, lo = false, dg = false, sy = false;

	if (pw == NULL || *pw == '\0')
		return 1u << PR_REQUIRED;
	if (!utf8_valid(pw, strlen(pw)))
		return 1u << PR_CHARSET;
	for (s = pw; *s != '\0'; n++) {
		cp = utf8_next(&s);
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			f |= 1u << PR_CHARSET;	/* C0, DEL, C1 controls */
		else if (cp >= 'A' && cp <= 'Z')
			up = true;
		else if (cp >= 'a' && cp <= 'z')
			lo = true;
		else if (cp >= '0' && cp <= '9')
			dg = true;
		else
			sy = true;
	}
	if (n < p->min_len)
		f |= 1u << PR_SHORT;
	if (n > p->max_len)
		f |= 1u << PR_LONG;
	cls = (unsigned)up + (unsigned)lo + (unsigned)dg + (unsigned)sy;
	if (cls < p->min_classes)
		f |= 1u << PR_CLASSES;
	if (p->check_common && policy_is_common(pw))
		f |= 1u << PR_COMMON;
	if (p->check_personal) {
		if (contains_local(pw, email))
			f |= 1u << PR_CONTAINS_ID;
		if (contains_words(pw, name) || contains_words(pw, kana))
			f |= 1u << PR_CONTAINS_NAME;
	}
	return f;
}

/*
 * Catalogue key of rule r; a class failure under a k-of-4 policy with
 * k < 4 has its own key (the text must not say "each of the four").
 */
const char *
policy_msgkey(const struct policy *p, enum policy_rule r)
{
	if ((unsigned)r >= PR__MAX)
		return "err_internal";
	if (r == PR_CLASSES && p->min_classes < 4)
		return "err_password_classes_k";
	return policy_keys[r];
}

/* Keys of the failed rules into keys[0..maxkeys); the number failed. */
unsigned
policy_check_all(const struct policy *p, const char *pw, const char *email,
    const char *name, const char *kana, const char *keys[], size_t maxkeys)
{
	unsigned	f, n = 0, r;

	f = policy_failures(p, pw, email, name, kana);
	for (r = 0; r < PR__MAX; r++) {
		if (!(f & (1u << r)))
			continue;
		if (n < maxkeys)
			keys[n] = policy_msgkey(p, (enum policy_rule)r);
		n++;
	}
	return n;
}

/* The member policy of c, first failure only (older callers). */
const char *
policy_check(const struct config *c, const char *pw, const char *email)
{
	struct policy	 p;
	const char	*key[1];

	policy_for_role(c, ROLE_MEMBER, &p);
	if (policy_check_all(&p, pw, email, NULL, NULL, key, 1) == 0)
		return NULL;
	return key[0];
}
