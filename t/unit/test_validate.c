/*
 * test_validate.c: every validator with good and bad values, injection
 * strings, CR/LF, and the length limits at exactly the cap and one over.
 */
#include <string.h>

#include "portal.h"
#include "tap.h"

/* s repeated n times into out (cap bytes). */
static char *
rep(char *out, size_t cap, const char *s, size_t n)
{
	size_t	i;

	out[0] = '\0';
	for (i = 0; i < n && strlen(out) + strlen(s) < cap; i++)
		strcat(out, s);
	return out;
}

static void
test_msgkey(void)
{
	is_str(verr_msgkey(VERR_OK), NULL, "VERR_OK has no key");
	is_str(verr_msgkey(VERR_REQUIRED), "err_required", "required");
	is_str(verr_msgkey(VERR_TOO_LONG), "err_too_long", "too long");
	is_str(verr_msgkey(VERR_TOO_SHORT), "err_too_short", "too short");
	is_str(verr_msgkey(VERR_CHARSET), "err_charset", "charset");
	is_str(verr_msgkey(VERR_FORMAT), "err_format", "format");
	is_str(verr_msgkey(VERR__MAX), NULL, "out of range");
}

static void
test_email(void)
{
	char	buf[512], local[100], dom[300], out[300];

	is_int(v_email("taro@example.jp"), VERR_OK, "plain address");
	is_int(v_email("Taro.Yamada+tag@mail.example.co.jp"), VERR_OK,
	    "dots, plus, sub-domains");
	is_int(v_email("o'brien@example.com"), VERR_OK, "apostrophe is atext");
	is_int(v_email("a@b-c.jp"), VERR_OK, "hyphen inside label");
	is_int(v_email(""), VERR_REQUIRED, "empty");
	is_int(v_email(NULL), VERR_REQUIRED, "NULL");
	is_int(v_email("' OR '1'='1"), VERR_CHARSET, "SQL injection string");
	is_int(v_email("a@b.jp' OR '1'='1"), VERR_CHARSET, "SQLi suffix");
	is_int(v_email("a'--@b.jp"), VERR_OK, "quote+dashes are atext: data");
	is_int(v_email("<script>@b.jp"), VERR_FORMAT, "angle brackets");
	is_int(v_email("a@b.jp\r\nBcc: x@y.jp"), VERR_CHARSET, "CRLF inject");
	is_int(v_email("a@b.jp\n"), VERR_CHARSET, "trailing LF");
	is_int(v_email("a@b.jp\r"), VERR_CHARSET, "trailing CR");
	is_int(v_email("a b@c.jp"), VERR_CHARSET, "space");
	is_int(v_email("tarō@example.jp"), VERR_CHARSET, "non-ASCII local");
	is_int(v_email("taro@例え.jp"), VERR_CHARSET, "non-ASCII domain");
	is_int(v_email("taro.example.jp"), VERR_FORMAT, "no @");
	is_int(v_email("a@b@c.jp"), VERR_FORMAT, "two @");
	is_int(v_email("@example.jp"), VERR_FORMAT, "empty local");
	is_int(v_email("taro@"), VERR_FORMAT, "empty domain");
	is_int(v_email("taro@localhost"), VERR_FORMAT, "domain without dot");
	is_int(v_email(".taro@example.jp"), VERR_FORMAT, "leading dot");
	is_int(v_email("taro.@example.jp"), VERR_FORMAT, "trailing dot");
	is_int(v_email("ta..ro@example.jp"), VERR_FORMAT, "double dot");
	is_int(v_email("taro@example..jp"), VERR_FORMAT, "empty label");
	is_int(v_email("taro@.example.jp"), VERR_FORMAT, "leading dot dom");
	is_int(v_email("taro@example.jp."), VERR_FORMAT, "trailing dot dom");
	is_int(v_email("taro@-example.jp"), VERR_FORMAT, "label starts -");
	is_int(v_email("taro@example-.jp"), VERR_FORMAT, "label ends -");
	is_int(v_email("taro@ex_ample.jp"), VERR_FORMAT, "underscore domain");
	is_int(v_email("taro@[127.0.0.1]"), VERR_FORMAT, "address literal");
	is_int(v_email("taro@127.0.0.1"), VERR_FORMAT, "numeric TLD");
	is_int(v_email("\"taro\"@example.jp"), VERR_FORMAT, "quoted local");

	/* local part: 64 ok, 65 too long */
	rep(local, sizeof(local), "a", 64);
	snprintf(buf, sizeof(buf), "%s@example.jp", local);
	is_int(v_email(buf), VERR_OK, "64-byte local part");
	rep(local, sizeof(local), "a", 65);
	snprintf(buf, sizeof(buf), "%s@example.jp", local);
	is_int(v_email(buf), VERR_TOO_LONG, "65-byte local part");
	/* label 63 ok, 64 not */
	snprintf(buf, sizeof(buf), "a@%s.jp", rep(dom, sizeof(dom), "b", 63));
	is_int(v_email(buf), VERR_OK, "63-byte label");
	snprintf(buf, sizeof(buf), "a@%s.jp", rep(dom, sizeof(dom), "b", 64));
	is_int(v_email(buf), VERR_FORMAT, "64-byte label");
	/* total 254 ok, 255 too long: 64 + 1 + 189 */
	rep(local, sizeof(local), "a", 64);
	{
		char	c[64], d[64], e[64];

		snprintf(dom, sizeof(dom), "%s.%s.%s.jp",
		    rep(c, sizeof(c), "c", 60), rep(d, sizeof(d), "d", 60),
		    rep(e, sizeof(e), "e", 63));
	}
	/* dom is 60+1+60+1+63+1+2 = 188 bytes; add one letter */
	snprintf(buf, sizeof(buf), "%s@x%s", local, dom);
	is_int(strlen(buf), 254, "built a 254-byte address");
	is_int(v_email(buf), VERR_OK, "254 bytes accepted");
	snprintf(buf, sizeof(buf), "%s@xy%s", local, dom);
	is_int(v_email(buf), VERR_TOO_LONG, "255 bytes refused");

	is_int(email_normalize(out, sizeof(out), "Taro.YAMADA@Example.JP"), 0,
	    "normalize");
	is_str(out, "taro.yamada@example.jp", "lower-cased");
	is_int(email_normalize(out, 7, "a@b.jp"), 0, "exact capacity");
	is_int(email_normalize(out, 6, "a@b.jp"), -1, "capacity one short");
	is_int(email_normalize(out, sizeof(out), "bad"), -1, "invalid refused");
}

static void
test_name(void)
{
	char	buf[1024];

	is_int(v_name("山田 太郎"), VERR_OK, "Japanese name");
	is_int(v_name("' OR '1'='1"), VERR_OK, "SQLi string is data for names");
	is_int(v_name("<script>alert(1)</script>"), VERR_OK,
	    "markup is data (escaped on output)");
	is_int(v_name("Robert'); DROP TABLE members;--"), VERR_OK, "Bobby");
	is_int(v_name("𠮷野家"), VERR_OK, "4-byte character");
	is_int(v_name(""), VERR_REQUIRED, "empty");
	is_int(v_name(NULL), VERR_REQUIRED, "NULL");
	is_int(v_name("   "), VERR_REQUIRED, "spaces only");
	is_int(v_name("\xe3\x80\x80"), VERR_REQUIRED, "ideographic space only");
	is_int(v_name("Taro\r\nBcc: x@y.jp"), VERR_CHARSET, "CRLF");
	is_int(v_name("Taro\n"), VERR_CHARSET, "LF");
	is_int(v_name("Taro\r"), VERR_CHARSET, "CR");
	is_int(v_name("Ta\tro"), VERR_CHARSET, "tab");
	is_int(v_name("Ta\x7fro"), VERR_CHARSET, "DEL");
	is_int(v_name("Ta\xc2\x85ro"), VERR_CHARSET, "C1 NEL");
	is_int(v_name("Ta\xe2\x80\xaero"), VERR_CHARSET, "bidi override");
	is_int(v_name("Ta\xe2\x80\xa8ro"), VERR_CHARSET, "line separator");
	is_int(v_name("Ta\xffro"), VERR_CHARSET, "invalid UTF-8");
	is_int(v_name("\xc0\xaf"), VERR_CHARSET, "overlong");
	is_int(v_name("\xed\xa0\x80"), VERR_CHARSET, "surrogate");
	is_int(v_name(rep(buf, sizeof(buf), "あ", 100)), VERR_OK,
	    "100 code points");
	is_int(v_name(rep(buf, sizeof(buf), "あ", 101)), VERR_TOO_LONG,
	    "101 code points");
	is_int(v_name(rep(buf, sizeof(buf), "a", 100)), VERR_OK, "100 ASCII");
	is_int(v_name(rep(buf, sizeof(buf), "a", 101)), VERR_TOO_LONG,
	    "101 ASCII");
	is_int(v_name(rep(buf, sizeof(buf), "𠮷", 100)), VERR_OK,
	    "100 4-byte code points");
	is_int(v_name(rep(buf, sizeof(buf), "𠮷", 101)), VERR_TOO_LONG,
	    "101 4-byte code points");
}

static void
test_address(void)
{
	char	buf[1024];

	is_int(v_address("東京都千代田区千代田1-1 ○○ビル 101号室"), VERR_OK,
	    "address");
	is_int(v_address("' OR '1'='1"), VERR_OK, "SQLi string is data");
	is_int(v_address(""), VERR_REQUIRED, "empty");
	is_int(v_address("東京都\n千代田区"), VERR_CHARSET, "LF");
	is_int(v_address("東京都\r千代田区"), VERR_CHARSET, "CR");
	is_int(v_address(rep(buf, sizeof(buf), "東", 200)), VERR_OK, "200");
	is_int(v_address(rep(buf, sizeof(buf), "東", 201)), VERR_TOO_LONG,
	    "201");
}

static void
test_kana(void)
{
	char	buf[1024];

	is_int(v_kana("ヤマダ タロウ"), VERR_OK, "kana with ASCII space");
	is_int(v_kana("ヤマダ　タロウ"), VERR_OK, "kana with U+3000");
	is_int(v_kana("ジョン・スミス"), VERR_OK, "middle dot");
	is_int(v_kana("ラーメン"), VERR_OK, "long vowel mark");
	is_int(v_kana("ァヶ"), VERR_OK, "U+30A1 and U+30F6");
	is_int(v_kana("ヷ"), VERR_CHARSET, "U+30F7 outside range");
	is_int(v_kana("゠"), VERR_CHARSET, "U+30A0 outside range");
	is_int(v_kana("やまだ"), VERR_CHARSET, "hiragana");
	is_int(v_kana("ﾔﾏﾀﾞ"), VERR_CHARSET, "half-width katakana");
	is_int(v_kana("山田"), VERR_CHARSET, "kanji");
	is_int(v_kana("YAMADA"), VERR_CHARSET, "ASCII letters");
	is_int(v_kana("' OR '1'='1"), VERR_CHARSET, "SQLi string");
	is_int(v_kana("ヤマダ\r\n"), VERR_CHARSET, "CRLF");
	is_int(v_kana("ヤマダ\n"), VERR_CHARSET, "LF");
	is_int(v_kana(""), VERR_REQUIRED, "empty");
	is_int(v_kana(" 　"), VERR_REQUIRED, "spaces only");
	is_int(v_kana("\xe3\x82"), VERR_CHARSET, "truncated UTF-8");
	is_int(v_kana(rep(buf, sizeof(buf), "ア", 100)), VERR_OK, "100");
	is_int(v_kana(rep(buf, sizeof(buf), "ア", 101)), VERR_TOO_LONG, "101");
}

static void
test_phone(void)
{
	is_int(v_phone("0312345678"), VERR_OK, "10 digits");
	is_int(v_phone("09012345678"), VERR_OK, "11 digits");
	is_int(v_phone("03-1234-5678"), VERR_OK, "hyphenated 10");
	is_int(v_phone("090-1234-5678"), VERR_OK, "hyphenated 11");
	is_int(v_phone("0120-123-456"), VERR_OK, "toll-free");
	is_int(v_phone(""), VERR_REQUIRED, "empty");
	is_int(v_phone("031234567"), VERR_FORMAT, "9 digits");
	is_int(v_phone("090123456789"), VERR_FORMAT, "12 digits");
	is_int(v_phone("1312345678"), VERR_FORMAT, "not starting with 0");
	is_int(v_phone("-0312345678"), VERR_FORMAT, "leading hyphen");
	is_int(v_phone("0312345678-"), VERR_FORMAT, "trailing hyphen");
	is_int(v_phone("03--12345678"), VERR_FORMAT, "double hyphen");
	is_int(v_phone("+81312345678"), VERR_CHARSET, "plus");
	is_int(v_phone("03 1234 5678"), VERR_CHARSET, "spaces");
	is_int(v_phone("０３１２３４５６７８"), VERR_CHARSET, "full-width");
	is_int(v_phone("0312345678\r\n"), VERR_CHARSET, "CRLF");
	is_int(v_phone("0312345678\n"), VERR_CHARSET, "LF");
	is_int(v_phone("' OR '1'='1"), VERR_CHARSET, "SQLi");
	is_int(v_phone("0-1-2-3-4-5-6-7-8-9"), VERR_TOO_LONG, "long");
	is_int(v_phone("0-1-2-3-4-5-6789"), VERR_OK, "16 bytes is the cap");
	is_int(v_phone("0-1-2-3-4-5-6-789"), VERR_TOO_LONG, "17 bytes");
}

static void
test_postal(void)
{
	is_int(v_postal("100-0001"), VERR_OK, "NNN-NNNN");
	is_int(v_postal("1000001"), VERR_OK, "NNNNNNN");
	is_int(v_postal(""), VERR_REQUIRED, "empty");
	is_int(v_postal("1000-001"), VERR_FORMAT, "hyphen misplaced");
	is_int(v_postal("100-00001"), VERR_FORMAT, "too many digits");
	is_int(v_postal("10000001"), VERR_FORMAT, "8 digits");
	is_int(v_postal("100001"), VERR_FORMAT, "6 digits");
	is_int(v_postal("100--001"), VERR_FORMAT, "two hyphens");
	is_int(v_postal("-1000001"), VERR_FORMAT, "leading hyphen");
	is_int(v_postal("100-000a"), VERR_CHARSET, "letter");
	is_int(v_postal("１００-０００１"), VERR_CHARSET, "full-width");
	is_int(v_postal("100-0001\n"), VERR_CHARSET, "LF");
	is_int(v_postal("100-0001\r\n"), VERR_CHARSET, "CRLF");
	is_int(v_postal("' OR '1'='1"), VERR_CHARSET, "SQLi");
}

int
main(void)
{
	test_msgkey();
	test_email();
	test_name();
	test_address();
	test_kana();
	test_phone();
	test_postal();
	return done_testing();
}
