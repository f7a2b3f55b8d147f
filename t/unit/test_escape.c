/*
 * Unit tests for lib/escape.c.
 */
#include <string.h>

#include "portal.h"
#include "tap.h"

enum ctx { HTML, URL, JSON };

/*
 * Escape s in context c into a fresh buffer on a and return the text.
 */
static const char *
esc(struct arena *a, enum ctx c, const char *s)
{
	struct buf	b;

	buf_init(&b, a);
	if (c == HTML)
		esc_html(&b, s);
	else if (c == URL)
		esc_url(&b, s);
	else
		esc_json(&b, s);
	return b.p;
}

/*
 * HTML text and attribute escaping, XSS payloads.
 */
static void
test_html(struct arena *a)
{
	is_str(esc(a, HTML, ""), "", "html empty");
	is_str(esc(a, HTML, NULL), "", "html NULL");
	is_str(esc(a, HTML, "plain 日本"), "plain 日本", "html plain kept");
	is_str(esc(a, HTML, "&<>\"'`="),
	    "&amp;&lt;&gt;&quot;&#39;&#96;&#61;", "html all seven");
	is_str(esc(a, HTML, "<script>alert(1)</script>"),
	    "&lt;script&gt;alert(1)&lt;/script&gt;", "html script tag");
	is_str(esc(a, HTML, "\" onmouseover=\"alert(1)"),
	    "&quot; onmouseover&#61;&quot;alert(1)", "html attribute break");
	is_str(esc(a, HTML, "' autofocus onfocus='x"),
	    "&#39; autofocus onfocus&#61;&#39;x", "html single-quote break");
	is_str(esc(a, HTML, "x onload=`y`"), "x onload&#61;&#96;y&#96;",
	    "html unquoted attribute break");
	is_str(esc(a, HTML, "&amp;"), "&amp;amp;", "html escapes entities again");
}

/*
 * URL component escaping.
 */
static void
test_url(struct arena *a)
{
	is_str(esc(a, URL, ""), "", "url empty");
	is_str(esc(a, URL, NULL), "", "url NULL");
	is_str(esc(a, URL, "AZaz09-._~"), "AZaz09-._~", "url unreserved kept");
	is_str(esc(a, URL, "a b&c=d/e?f#g+h%"),
	    "a%20b%26c%3Dd%2Fe%3Ff%23g%2Bh%25", "url reserved escaped");
	is_str(esc(a, URL, "日"), "%E6%97%A5", "url UTF-8 upper-case hex");
	is_str(esc(a, URL, "\x01\x7f\xff"), "%01%7F%FF", "url controls");
	is_str(esc(a, URL, "javascript:alert(1)"),
	    "javascript%3Aalert%281%29", "url javascript: scheme broken");
	is_str(esc(a, URL, "\"><"), "%22%3E%3C", "url quote and brackets");
}

/*
 * JSON string escaping.
 */
static void
test_json(struct arena *a)
{
	is_str(esc(a, JSON, ""), "", "json empty");
	is_str(esc(a, JSON, NULL), "", "json NULL");
	is_str(esc(a, JSON, "abc 日本"), "abc 日本", "json plain kept");
	is_str(esc(a, JSON, "\"\\/"), "\\\"\\\\/", "json quote, backslash");
	is_str(esc(a, JSON, "\b\f\n\r\t"), "\\b\\f\\n\\r\\t", "json short forms");
	is_str(esc(a, JSON, "\x01\x1f\x7f"), "\\u0001\\u001F\\u007F",
	    "json other controls");
	is_str(esc(a, JSON, "</script><!--&'"),
	    "\\u003C/script\\u003E\\u003C!--\\u0026\\u0027",
	    "json script breakout");
	is_str(esc(a, JSON, "a\xe2\x80\xa8" "b\xe2\x80\xa9" "c\xe2\x80\xa6"),
	    "a\\u2028b\\u2029c\xe2\x80\xa6", "json U+2028/2029, U+2026 kept");
	is_str(esc(a, JSON, "\xe2\x80"), "\xe2\x80", "json truncated seq safe");
}

/*
 * Log escaping: control characters, bounds, UTF-8 boundaries.
 */
static void
test_log(void)
{
	char	d[16];
	char	small[5];
	char	one[1];

	esc_log(d, sizeof(d), "ok text");
	is_str(d, "ok text", "log plain");
	esc_log(d, sizeof(d), "a\nb\rc\td\x1b[e\x7f");
	is_str(d, "a?b?c?d?[e?", "log controls to ?");
	esc_log(d, sizeof(d), "");
	is_str(d, "", "log empty");
	esc_log(d, sizeof(d), NULL);
	is_str(d, "", "log NULL");
	esc_log(d, sizeof(d), "0123456789abcdef");
	is_str(d, "0123456789abcde", "log 16 bytes cut to 15");
	esc_log(d, sizeof(d), "0123456789abcde");
	is_str(d, "0123456789abcde", "log exactly 15 fits");
	esc_log(small, sizeof(small), "a日");
	is_str(small, "a日", "log multibyte exactly fits");
	esc_log(small, sizeof(small), "ab日");
	is_str(small, "ab", "log does not split a character");
	esc_log(d, sizeof(d), "x\xc0\xafy\xed\xa0\x80z\xff");
	is_str(d, "x??y???z?", "log invalid UTF-8 bytes to ?");
	esc_log(d, sizeof(d), "\xc2\x9b" "1m\xc2\xa0");
	is_str(d, "?1m\xc2\xa0", "log C1 control CSI to ?, NBSP kept");
	esc_log(d, sizeof(d), "\xe3\x81");
	is_str(d, "??", "log truncated sequence");
	one[0] = 'x';
	esc_log(one, sizeof(one), "abc");
	is_str(one, "", "log cap 1 gives empty string");
	esc_log(one, 0, "abc");
	ok(one[0] == '\0', "log cap 0 writes nothing");
}

/*
 * Run every test; TAP on stdout, exit status 1 if any failed.
 */
int
main(void)
{
	struct arena	a;

	arena_init(&a, 1024);
	test_html(&a);
	test_url(&a);
	test_json(&a);
	test_log();
	arena_free(&a);
	{
		char	 d[8];

		esc_ascii(d, sizeof(d), "Mozilla");
		is_str(d, "Mozilla", "esc_ascii keeps printable ASCII");
		esc_ascii(d, sizeof(d), "a\r\nb\x7f\xe6\x97");
		is_str(d, "a??b???", "esc_ascii replaces controls and non-ASCII");
		esc_ascii(d, sizeof(d), "0123456789");
		is_str(d, "0123456", "esc_ascii bounded by cap");
		esc_ascii(d, sizeof(d), NULL);
		is_str(d, "", "esc_ascii of NULL is empty");
	}
	return done_testing();
}
