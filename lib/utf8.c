/*
 * Strict UTF-8 (RFC 3629, Unicode table 3-7): no overlong forms, no
 * surrogates, nothing above U+10FFFF, no truncated sequences, and (for
 * our purposes) no NUL byte.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "portal.h"

/*
 * True if s[0..n) is well-formed UTF-8 without NUL bytes.  Never reads
 * beyond s[n - 1].  n == 0 is valid.
 */
bool
utf8_valid(const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, len, k;
	unsigned char		 c, lo, hi;

	if (n > 0 && s == NULL)
		return false;
	while (i < n) {
		c = p[i];
		if (c == 0x00)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		lo = 0x80;
		hi = 0xbf;
		if (c >= 0xc2 && c <= 0xdf)
			len = 2;
		else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			if (c == 0xe0)
				lo = 0xa0;	/* overlong */
			else if (c == 0xed)
				hi = 0x9f;	/* surrogates */
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			if (c == 0xf0)
				lo = 0x90;	/* overlong */
			else if (c == 0xf4)
				hi = 0x8f;	/* above U+10FFFF */
		} else
			return false;	/* 80..c1, f5..ff */
		if (n - i < len)
			return false;
		if (p[i + 1] < lo || p[i + 1] > hi)
			return false;
		for (k = 2; k < len; k++)
			if (p[i + k] < 0x80 || p[i + k] > 0xbf)
				return false;
		i += len;
	}
	return true;
}

/*
 * Number of code points in the NUL-terminated valid UTF-8 string s
 * (bytes that are not continuation bytes).  0 for NULL.
 */
size_t
utf8_count(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n = 0;

	if (s == NULL)
		return 0;
	for (; *p != '\0'; p++)
		if ((*p & 0xc0) != 0x80)
			n++;
	return n;
}

/*
 * Decode the code point at *s and advance *s past it.  At the end of the
 * string returns 0 without advancing.  Although valid input is assumed,
 * a malformed sequence yields U+FFFD and advances by one byte; the
 * decoder never reads past a NUL.
 */
uint32_t
utf8_next(const char **s)
{
	const unsigned char	*p = (const unsigned char *)*s;
	uint32_t		 cp, min;
	size_t			 len, k;

	if (p[0] == 0x00)
		return 0;
	if (p[0] < 0x80) {
		*s += 1;
		return p[0];
	}
	if ((p[0] & 0xe0) == 0xc0) {
		len = 2;
		cp = p[0] & 0x1f;
		min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		len = 3;
		cp = p[0] & 0x0f;
		min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		len = 4;
		cp = p[0] & 0x07;
		min = 0x10000;
	} else {
		*s += 1;
		return 0xfffd;
	}
	for (k = 1; k < len; k++) {
		if ((p[k] & 0xc0) != 0x80) {
			*s += 1;
			return 0xfffd;
		}
		cp = (cp << 6) | (p[k] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
		*s += 1;
		return 0xfffd;
	}
	*s += len;
	return cp;
}
