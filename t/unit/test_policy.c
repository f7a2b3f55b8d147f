/*
 * The password policy: length limits from the configuration, all four
 * character classes, no mail local part, valid UTF-8 without controls.
 */
#include <string.h>

#include "app.h"
#include "tap.h"

int
main(void)
{
	struct config	 c;
	char		 long_pw[200];

	config_defaults(&c);
	ok(policy_check(&c, "Abcdefgh1234567!", NULL) == NULL,
	    "16 characters with all classes accepted");
	is_str(policy_check(&c, "Abcdefgh123456!", NULL), "err_password_short",
	    "15 characters refused");
	is_str(policy_check(&c, "", NULL), "err_required", "empty refused");
	is_str(policy_check(&c, NULL, NULL), "err_required", "NULL refused");
	is_str(policy_check(&c, "abcdefgh1234567!", NULL),
	    "err_password_classes", "no upper case refused");
	is_str(policy_check(&c, "ABCDEFGH1234567!", NULL),
	    "err_password_classes", "no lower case refused");
	is_str(policy_check(&c, "Abcdefghijklmno!", NULL),
	    "err_password_classes", "no digit refused");
	is_str(policy_check(&c, "Abcdefgh12345678", NULL),
	    "err_password_classes", "no symbol refused");
	ok(policy_check(&c, "Abcdefgh1234567 ", NULL) == NULL,
	    "space counts as a symbol");
	ok(policy_check(&c, "パスワードはAbc1!です長い文字列ですよ", NULL) == NULL,
	    "Japanese characters count as symbols, length in characters");
	is_str(policy_check(&c, "Ab1!パスワード", NULL), "err_password_short",
	    "length counted in characters, not bytes");
	is_str(policy_check(&c, "Abcdefgh1234567!\n", NULL), "err_charset",
	    "newline refused");
	is_str(policy_check(&c, "Abcdefgh1234567!\xc0\xaf", NULL), "err_charset",
	    "invalid UTF-8 refused");
	memset(long_pw, 'a', sizeof(long_pw));
	memcpy(long_pw, "A1!", 3);
	long_pw[c.password_max_length] = '\0';
	ok(policy_check(&c, long_pw, NULL) == NULL, "maximum length accepted");
	long_pw[c.password_max_length] = 'a';
	long_pw[c.password_max_length + 1] = '\0';
	is_str(policy_check(&c, long_pw, NULL), "err_password_long",
	    "one over the maximum refused");
	is_str(policy_check(&c, "xTaroYamada99!xyz", "taroyamada@example.jp"),
	    "err_password_contains_id", "mail local part refused (any case)");
	ok(policy_check(&c, "xTaroYamada99!xyz", "hanako@example.jp") == NULL,
	    "other local part accepted");
	ok(policy_check(&c, "Abcdefgh1234567!", "ab@example.jp") == NULL,
	    "local parts under 3 characters are not checked");
	c.password_min_length = 8;
	ok(policy_check(&c, "Abcd123!", NULL) == NULL, "configured minimum");
	return done_testing();
}
