/*
 * Unit tests for lib/utf8.c.
 */
#include <string.h>

#include "portal.h"
#include "tap.h"

#define V(s)	utf8_valid((s), sizeof(s) - 1)

/*
 * Well-formed input, boundaries of every sequence length.
 */
static void
test_valid(void)
{
	ok(utf8_valid("", 0), "empty");
	ok(utf8_valid(NULL, 0), "NULL with length 0");
	ok(V("hello"), "ASCII");
	ok(V("\x01\x7f"), "ASCII controls other than NUL");
	ok(V("\xc2\x80"), "U+0080 smallest 2-byte");
	ok(V("\xdf\xbf"), "U+07FF largest 2-byte");
	ok(V("\xe0\xa0\x80"), "U+0800 smallest 3-byte");
	ok(V("\xed\x9f\xbf"), "U+D7FF before surrogates");
	ok(V("\xee\x80\x80"), "U+E000 after surrogates");
	ok(V("\xef\xbf\xbf"), "U+FFFF");
	ok(V("\xf0\x90\x80\x80"), "U+10000 smallest 4-byte");
	ok(V("\xf4\x8f\xbf\xbf"), "U+10FFFF largest");
	ok(V("日本語テキスト"), "Japanese");
	ok(utf8_valid("abc\xc3", 3), "length bounds the check");
}

/*
 * Every kind of malformation.
 */
static void
test_invalid(void)
{
	ok(!V("a\0b"), "NUL byte");
	ok(!utf8_valid("\0", 1), "lone NUL");
	ok(!V("\xc0\xaf"), "overlong '/' (c0 af)");
	ok(!V("\xc1\xbf"), "overlong c1");
	ok(!V("\xe0\x80\xaf"), "overlong 3-byte");
	ok(!V("\xe0\x9f\xbf"), "overlong 3-byte top (U+07FF)");
	ok(!V("\xf0\x80\x80\xaf"), "overlong 4-byte");
	ok(!V("\xf0\x8f\xbf\xbf"), "overlong 4-byte top (U+FFFF)");
	ok(!V("\xc0\x80"), "modified UTF-8 NUL");
	ok(!V("\xed\xa0\x80"), "surrogate U+D800");
	ok(!V("\xed\xbf\xbf"), "surrogate U+DFFF");
	ok(!V("\xed\xa0\xbd\xed\xb8\x80"), "CESU-8 surrogate pair");
	ok(!V("\xf4\x90\x80\x80"), "U+110000");
	ok(!V("\xf5\x80\x80\x80"), "lead f5");
	ok(!V("\xff"), "byte ff");
	ok(!V("\xfe"), "byte fe");
	ok(!V("\x80"), "lone continuation");
	ok(!V("a\xbf"), "continuation after ASCII");
	ok(!V("\xc3"), "truncated 2-byte");
	ok(!V("\xe3\x81"), "truncated 3-byte");
	ok(!V("\xf0\x9f\x98"), "truncated 4-byte");
	ok(!utf8_valid("\xe3\x81\x82", 2), "truncated by n");
	ok(!V("\xc3\x28"), "bad continuation");
	ok(!V("\xe3\x81\x41"), "bad third byte");
	ok(!V("\xf0\x9f\x98\x41"), "bad fourth byte");
	ok(!V("ok\xe3\x81\xc3\xa9"), "lead where continuation expected");
	ok(!utf8_valid(NULL, 1), "NULL with length");
}

/*
 * utf8_count and utf8_next.
 */
static void
test_decode(void)
{
	const char	*s;
	const char	*bad = "\xc0\xaf" "A";
	const char	*trunc = "\xe3\x81";

	is_int(utf8_count(""), 0, "count empty");
	is_int(utf8_count(NULL), 0, "count NULL");
	is_int(utf8_count("abc"), 3, "count ASCII");
	is_int(utf8_count("aé日\xf0\x9f\x98\x80"), 4, "count mixed widths");

	s = "aé日\xf4\x8f\xbf\xbf";
	is_int(utf8_next(&s), 'a', "next ASCII");
	is_int(utf8_next(&s), 0xe9, "next 2-byte");
	is_int(utf8_next(&s), 0x65e5, "next 3-byte");
	is_int(utf8_next(&s), 0x10ffff, "next 4-byte max");
	is_int(utf8_next(&s), 0, "next at end returns 0");
	is_int(utf8_next(&s), 0, "and stays there");
	ok(*s == '\0', "pointer at the terminator");

	s = bad;
	is_int(utf8_next(&s), 0xfffd, "overlong gives U+FFFD");
	ok(s == bad + 1, "and advances one byte");
	s = trunc;
	is_int(utf8_next(&s), 0xfffd, "truncated gives U+FFFD");
	ok(s == trunc + 1, "without reading past NUL");
	s = "\xed\xa0\x80";
	is_int(utf8_next(&s), 0xfffd, "surrogate gives U+FFFD");
	s = "\xf4\x90\x80\x80";
	is_int(utf8_next(&s), 0xfffd, "above U+10FFFF gives U+FFFD");
}

/*
 * Run every test; TAP on stdout, exit status 1 if any failed.
 */
int
main(void)
{
	test_valid();
	test_invalid();
	test_decode();
	return done_testing();
}
