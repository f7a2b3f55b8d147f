/*
 * Context escapers: the only way request data reaches HTML, URLs, JSON
 * and log lines.  Every function accepts NULL as the empty string.
 */
#include <stddef.h>
#include <string.h>

#include "portal.h"

static const char hexdig[] = "0123456789ABCDEF";

/*
 * HTML text and attribute context (quoted or not): & < > " ' ` = become
 * entities, everything else is copied.  Appends to b.
 */
void
esc_html(struct buf *b, const char *s)
{
	const char	*p, *run;
	const char	*ent;

	if (s == NULL)
		return;
	for (run = p = s; *p != '\0'; p++) {
		switch (*p) {
		case '&':
			ent = "&amp;";
			break;
		case '<':
			ent = "&lt;";
			break;
		case '>':
			ent = "&gt;";
			break;
		case '"':
			ent = "&quot;";
			break;
		case '\'':
			ent = "&#39;";
			break;
		case '`':
			ent = "&#96;";
			break;
		case '=':
			ent = "&#61;";
			break;
		default:
			continue;
		}
		buf_append(b, run, (size_t)(p - run));
		buf_puts(b, ent);
		run = p + 1;
	}
	buf_append(b, run, (size_t)(p - run));
}

/*
 * URL query component: ALPHA / DIGIT / "-" / "." / "_" / "~" are kept,
 * every other byte is written as %XX with upper-case hex.  Appends to b.
 */
void
esc_url(struct buf *b, const char *s)
{
	const unsigned char	*p;
	char			 enc[3];

	if (s == NULL)
		return;
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~') {
			buf_putc(b, (char)*p);
			continue;
		}
		enc[0] = '%';
		enc[1] = hexdig[*p >> 4];
		enc[2] = hexdig[*p & 0x0f];
		buf_append(b, enc, sizeof(enc));
	}
}

/*
 * JSON string body without the surrounding quotes: " and \ are
 * backslash-escaped, control characters use \b \f \n \r \t or \u00XX,
 * < > & ' become \u003C \u003E \u0026 \u0027 so the result is safe inside
 * <script> and HTML attributes, and U+2028/U+2029 become \u2028/\u2029
 * (JavaScript line terminators).  Appends to b.
 */
void
esc_json(struct buf *b, const char *s)
{
	const unsigned char	*p;
	char			 enc[6];

	if (s == NULL)
		return;
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '"':
			buf_puts(b, "\\\"");
			continue;
		case '\\':
			buf_puts(b, "\\\\");
			continue;
		case '\b':
			buf_puts(b, "\\b");
			continue;
		case '\f':
			buf_puts(b, "\\f");
			continue;
		case '\n':
			buf_puts(b, "\\n");
			continue;
		case '\r':
			buf_puts(b, "\\r");
			continue;
		case '\t':
			buf_puts(b, "\\t");
			continue;
		case '<':
		case '>':
		case '&':
		case '\'':
			break;
		default:
			if (*p == 0xe2 && p[1] == 0x80 &&
			    (p[2] == 0xa8 || p[2] == 0xa9)) {
				buf_puts(b, p[2] == 0xa8 ? "\\u2028" : "\\u2029");
				p += 2;
				continue;
			}
			if (*p >= 0x20 && *p != 0x7f) {
				buf_putc(b, (char)*p);
				continue;
			}
			break;
		}
		enc[0] = '\\';
		enc[1] = 'u';
		enc[2] = '0';
		enc[3] = '0';
		enc[4] = hexdig[*p >> 4];
		enc[5] = hexdig[*p & 0x0f];
		buf_append(b, enc, sizeof(enc));
	}
}

/*
 * Length of the valid UTF-8 sequence starting at the non-ASCII byte *p,
 * or 0 if it is malformed.  Stops at a NUL, never reading past it.
 */
static size_t
seq_len(const char *p)
{
	unsigned char	c = (unsigned char)*p;
	size_t		len;

	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (strnlen(p, len) < len || !utf8_valid(p, len))
		return 0;
	return len;
}

/*
 * Copy s into dst (cap bytes, always NUL-terminated when cap > 0) for a
 * log line: control characters (< 0x20, 0x7f and the C1 controls
 * U+0080..U+009F) and bytes that are not part of valid UTF-8 become '?'.  Output is truncated at cap - 1 bytes
 * without splitting a multi-byte character.  NULL copies as "".
 */
void
esc_log(char *dst, size_t cap, const char *s)
{
	size_t		 i = 0, len;
	unsigned char	 c;

	if (dst == NULL || cap == 0)
		return;
	if (s == NULL) {
		dst[0] = '\0';
		return;
	}
	while (*s != '\0') {
		c = (unsigned char)*s;
		if (c < 0x80) {
			if (i + 1 >= cap)
				break;
			dst[i++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
			s++;
			continue;
		}
		len = seq_len(s);
		if (len == 2 && c == 0xc2 && (unsigned char)s[1] < 0xa0) {
			/* C1 control, U+0080..U+009F: one '?' */
			if (i + 1 >= cap)
				break;
			dst[i++] = '?';
			s += 2;
			continue;
		}
		if (len == 0) {
			if (i + 1 >= cap)
				break;
			dst[i++] = '?';
			s++;
			continue;
		}
		if (i + len >= cap)
			break;
		memcpy(dst + i, s, len);
		i += len;
		s += len;
	}
	dst[i] = '\0';
}

void
esc_ascii(char *dst, size_t cap, const char *s)
{
	size_t	 i = 0;

	if (cap == 0)
		return;
	for (; s != NULL && *s != '\0' && i + 1 < cap; s++, i++)
		dst[i] = (*s >= 0x20 && *s < 0x7f) ? *s : '?';
	dst[i] = '\0';
}
