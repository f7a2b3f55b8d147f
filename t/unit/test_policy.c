/*
 * The password policy (AUTH-1): every rule, the three procurement
 * variants accepted and refused as configured, per-role policies, the
 * common-password list, mail local part / name / kana with Japanese
 * names, all failures reported at once, and the policy_check wrapper.
 */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "tap.h"

#define F(r)	(1u << (r))

/* Policy from "key = value" text over the defaults; bails out if refused. */
static void
conf(struct config *c, const char *text, enum role role, struct policy *p)
{
	char	err[256] = "";

	config_defaults(c);
	if (config_parse(c, text, strlen(text), err, sizeof(err)) != 0) {
		printf("Bail out! config: %s\n", err);
		exit(1);
	}
	policy_for_role(c, role, p);
}

/* pw must fail exactly the rules in want under p (no personal data). */
static void
expect(const struct policy *p, const char *pw, unsigned want,
    const char *name)
{
	unsigned	got = policy_failures(p, pw, NULL, NULL, NULL);

	if (!ok(got == want, "%s", name))
		printf("#   got mask %#x, want %#x\n", got, want);
}

/* The compatibility wrapper keeps its old contract. */
static void
test_wrapper(void)
{
	struct config	 c;
	char		 long_pw[1100];

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
	is_str(policy_check(&c, "Abcdefgh1234567!\xc2\x85", NULL), "err_charset",
	    "C1 control (U+0085) refused");
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
	is_str(policy_check(&c, "Password1234567!", NULL), "err_password_common",
	    "common password refused by the wrapper");
	c.password_min_length = 8;
	ok(policy_check(&c, "Kx7#mQ2v", NULL) == NULL, "configured minimum");
	is_str(policy_check(&c, "Abcd123!", NULL), "err_password_common",
	    "Abcd123! is abcd123 + \"!\": common");

	/* password_max_length may be raised to 1024 */
	c.password_max_length = 1024;
	memset(long_pw, 'a', sizeof(long_pw));
	memcpy(long_pw, "A1!", 3);
	long_pw[1024] = '\0';
	ok(policy_check(&c, long_pw, NULL) == NULL, "1024 characters accepted");
	long_pw[1024] = 'a';
	long_pw[1025] = '\0';
	is_str(policy_check(&c, long_pw, NULL), "err_password_long",
	    "1025 characters refused");
}

/* Members and administrators get their own policies from the config. */
static void
test_roles(void)
{
	struct config	c;
	struct policy	m, a, o, anon;

	conf(&c, "", ROLE_MEMBER, &m);
	ok(m.min_len == 16 && m.max_len == 128 && m.min_classes == 4 &&
	    m.check_common && m.check_personal, "member defaults 16..128, 4 "
	    "classes, common and personal checks");
	policy_for_role(&c, ROLE_ADMIN, &a);
	ok(a.min_len == 16 && a.min_classes == 4, "admin defaults");

	conf(&c, "password_min_length = 8\npassword_min_classes = 3\n"
	    "admin_password_min_length = 20\nadmin_password_min_classes = 4\n",
	    ROLE_MEMBER, &m);
	policy_for_role(&c, ROLE_ADMIN, &a);
	policy_for_role(&c, ROLE_OPERATOR, &o);
	policy_for_role(&c, ROLE_ANON, &anon);
	ok(m.min_len == 8 && m.min_classes == 3, "member policy 8 / 3 of 4");
	ok(a.min_len == 20 && a.min_classes == 4, "admin policy 20 / 4 of 4");
	ok(o.min_len == 20 && o.min_classes == 4, "operators use the admin "
	    "policy");
	ok(anon.min_len == 8 && anon.min_classes == 3, "registration uses the "
	    "member policy");
	expect(&m, "Kx7mQ2vLpR4w", 0, "12 chars, 3 classes: member accepts");
	expect(&a, "Kx7mQ2vLpR4w", F(PR_SHORT) | F(PR_CLASSES),
	    "... admin refuses (short and classes)");
	expect(&a, "Kx7#mQ2$vL9@pR4!wZ3%", 0, "20 chars, 4 classes: admin "
	    "accepts");

	conf(&c, "admin_password_min_length = 8\nadmin_password_min_classes = 2\n",
	    ROLE_ADMIN, &a);
	ok(a.min_len == 16 && a.min_classes == 4, "admin settings weaker "
	    "than the member's are raised to them");

	conf(&c, "password_check_common = 0\npassword_check_personal = 0\n",
	    ROLE_ADMIN, &a);
	ok(!a.check_common && !a.check_personal, "checks can be switched off");
}

/*
 * The AUTH-1 variants: 000 (16+, all four), 002 #23 (10+, all four),
 * 003 #14 (8+, 3 of 4, no proper nouns), each configured in portal.conf.
 */
static void
test_variants(void)
{
	struct config	 c;
	struct policy	 p;
	const char	*keys[PR__MAX];
	bool		 sat[3];
	size_t		 i;

	is_int(policy_nvariants, 3, "three variants");
	is_str(policy_variants[0].id, "000", "variant 000");
	is_str(policy_variants[1].id, "002 #23", "variant 002 #23");
	is_str(policy_variants[2].id, "003 #14", "variant 003 #14");

	/* 16+ with all four: the default */
	conf(&c, "", ROLE_MEMBER, &p);
	expect(&p, "Kx7#mQ2$vL9@pR4!", 0, "16+/4: 16 chars, 4 classes accepted");
	expect(&p, "Kx7#mQ2$vL9@pR4", F(PR_SHORT), "16+/4: 15 chars refused");
	expect(&p, "kx7#mq2$vl9@pr4!", F(PR_CLASSES),
	    "16+/4: no upper case refused");
	expect(&p, "Kx7mQ2vL9pR4wZ3y", F(PR_CLASSES),
	    "16+/4: 3 classes refused");
	expect(&p, "Kx7#mQ2$vL", F(PR_SHORT), "16+/4: a 10+/4 password refused");
	for (i = 0; i < 3; i++)
		sat[i] = policy_satisfies(&p, &policy_variants[i]);
	ok(sat[0] && sat[1] && sat[2], "16+/4 satisfies 000, 002 and 003");
	is_int(policy_check_all(&p, "Kx7#mQ2$vL9@pR4", NULL, NULL, NULL,
	    keys, PR__MAX), 1, "one failure");
	is_str(keys[0], "err_password_short", "... short");

	/* 10+ with all four */
	conf(&c, "password_min_length = 10\n", ROLE_MEMBER, &p);
	expect(&p, "Kx7#mQ2$vL", 0, "10+/4: 10 chars, 4 classes accepted");
	expect(&p, "Kx7#mQ2$v", F(PR_SHORT), "10+/4: 9 chars refused");
	expect(&p, "Kx7mQ2vL9p", F(PR_CLASSES), "10+/4: no symbol refused");
	expect(&p, "KX7#MQ2$VL", F(PR_CLASSES), "10+/4: no lower case refused");
	for (i = 0; i < 3; i++)
		sat[i] = policy_satisfies(&p, &policy_variants[i]);
	ok(!sat[0] && sat[1] && sat[2], "10+/4 satisfies 002 and 003, not 000");

	/* 8+ with 3 of 4, no proper nouns */
	conf(&c, "password_min_length = 8\npassword_min_classes = 3\n",
	    ROLE_MEMBER, &p);
	expect(&p, "Kx7mQ2vL", 0, "8+/3: 8 chars, 3 classes accepted");
	expect(&p, "kx7#mq2$", 0, "8+/3: lower, digit, symbol accepted");
	expect(&p, "Kx7mQ2v", F(PR_SHORT), "8+/3: 7 chars refused");
	expect(&p, "kxamqzvl", F(PR_CLASSES), "8+/3: 1 class refused");
	expect(&p, "Kx#mQ$vL", 0, "8+/3: upper, lower, symbol accepted");
	expect(&p, "kx7mq2vl", F(PR_CLASSES), "8+/3: 2 classes refused");
	is_int(policy_check_all(&p, "kx7mq2vl", NULL, NULL, NULL, keys,
	    PR__MAX), 1, "one failure");
	is_str(keys[0], "err_password_classes_k", "... k-of-4 message key");
	ok(policy_failures(&p, "Taro7mQ2", NULL, "Taro Yamada", NULL) ==
	    F(PR_CONTAINS_NAME), "8+/3: proper noun (own name) refused");
	for (i = 0; i < 3; i++)
		sat[i] = policy_satisfies(&p, &policy_variants[i]);
	ok(!sat[0] && !sat[1] && sat[2], "8+/3 satisfies 003 only");
	p.check_personal = false;
	ok(!policy_satisfies(&p, &policy_variants[2]),
	    "8+/3 without the personal check does not satisfy 003");

	/* a 3-class 16-character password is fine under 8+/3 only */
	expect(&p, "Kx7mQ2vL9pR4wZ3y", 0, "8+/3: 16 chars, 3 classes accepted");
}

/* The bundled list and how a password is matched against it. */
static void
test_common(void)
{
	struct config	 c;
	struct policy	 p;
	const char	*keys[PR__MAX];

	ok(common_npasswords >= 10000, "%zu common passwords", common_npasswords);
	ok(policy_is_common("password"), "password");
	ok(policy_is_common("PASSWORD"), "PASSWORD (any case)");
	ok(policy_is_common("Password123!"), "Password123! (trailing digits "
	    "and symbols)");
	ok(policy_is_common("123456789012"), "123456789012 (123456789 + 012)");
	ok(policy_is_common("!!Dragon"), "!!Dragon (leading symbols)");
	ok(policy_is_common("qwertyuiop"), "qwertyuiop");
	ok(policy_is_common("iloveyou 2024"), "iloveyou 2024");
	ok(!policy_is_common("Kx7#mQ2$vL9@pR4!"), "random password not common");
	ok(!policy_is_common("!password!x"), "affixes on both sides: not "
	    "matched (documented)");
	ok(!policy_is_common("passwordx"), "letters appended: not matched");
	ok(!policy_is_common(""), "empty string not common");
	ok(!policy_is_common(NULL), "NULL not common");

	conf(&c, "password_min_length = 8\npassword_min_classes = 3\n",
	    ROLE_MEMBER, &p);
	expect(&p, "Password123!", F(PR_COMMON), "8+/3: Password123! refused "
	    "as common only");
	expect(&p, "password", F(PR_CLASSES) | F(PR_COMMON),
	    "8+/3: password refused (classes, common)");
	expect(&p, "123456789012", F(PR_CLASSES) | F(PR_COMMON),
	    "8+/3: 123456789012 refused (classes, common)");
	is_int(policy_check_all(&p, "Password123!", NULL, NULL, NULL, keys,
	    PR__MAX), 1, "one key");
	is_str(keys[0], "err_password_common", "err_password_common");
	conf(&c, "password_min_length = 8\npassword_min_classes = 3\n"
	    "password_check_common = 0\n", ROLE_MEMBER, &p);
	expect(&p, "Password123!", 0, "password_check_common = 0: accepted");
}

/* Mail local part, name and kana, with Japanese names. */
static void
test_personal(void)
{
	struct config	 c;
	struct policy	 p;
	const char	*pw;

	conf(&c, "", ROLE_MEMBER, &p);
	ok(policy_failures(&p, "Xy7!Taro.Yamada#2", "taro.yamada@example.jp",
	    NULL, NULL) == F(PR_CONTAINS_ID), "local part refused");
	ok(policy_failures(&p, "Xy7!TARO.YAMADA#2", "taro.yamada@example.jp",
	    NULL, NULL) == F(PR_CONTAINS_ID), "local part, other case");
	ok(policy_failures(&p, "Xy7!Taro-Yamada#2", "taro.yamada@example.jp",
	    NULL, NULL) == 0, "different local part accepted");
	ok(policy_failures(&p, "Kx7#abmQ2$vL9@pR4!", "ab@example.jp", NULL,
	    NULL) == 0, "2-character local part not checked");
	ok(policy_failures(&p, "Kx7#abcmQ2$vL9@pR4!", "abc@example.jp", NULL,
	    NULL) == F(PR_CONTAINS_ID), "3-character local part checked");
	ok(policy_failures(&p, "Kx7#abcmQ2$vL9@pR4!", "abc", NULL,
	    NULL) == 0, "address without '@' ignored");

	pw = "Kx7#山田mQ2$vL9@pR4!";
	ok(policy_failures(&p, pw, NULL, "山田 太郎", NULL) ==
	    F(PR_CONTAINS_NAME), "family name (kanji) refused");
	ok(policy_failures(&p, "Kx7#太郎mQ2$vL9@pR4!", NULL, "山田　太郎",
	    NULL) == F(PR_CONTAINS_NAME), "given name after U+3000 refused");
	ok(policy_failures(&p, "Kx7#山mQ2$vL9@pR4!", NULL, "山田 太郎", NULL) ==
	    0, "one character of the name accepted");
	ok(policy_failures(&p, "Kx7#田太mQ2$vL9@pR4!", NULL, "山田 太郎", NULL) ==
	    0, "characters across two words accepted");
	ok(policy_failures(&p, pw, NULL, "山田太郎", NULL) == 0,
	    "name without space: only the whole name is a word");
	ok(policy_failures(&p, "Kx7#山田太郎$vL9@pR4!", NULL, "山田太郎", NULL) ==
	    F(PR_CONTAINS_NAME), "... and the whole name is refused");
	ok(policy_failures(&p, "Kx7#ヤマダmQ2$vL9@pR4!", NULL, "山田 太郎",
	    "ヤマダ タロウ") == F(PR_CONTAINS_NAME), "kana refused");
	ok(policy_failures(&p, "Kx7#タロウmQ2$vL9@pR4!", NULL, NULL,
	    "ヤマダ　タロウ") == F(PR_CONTAINS_NAME), "kana given name refused");
	ok(policy_failures(&p, "Kx7#スミスmQ2$vL9@pR4!", NULL, NULL,
	    "ジョン・スミス") == F(PR_CONTAINS_NAME), "words split on ・");
	ok(policy_failures(&p, "Kx7#やまだmQ2$vL9@pR4!", NULL, NULL,
	    "ヤマダ タロウ") == 0, "hiragana is another code point: accepted");
	ok(policy_failures(&p, "Kx7#SMITHmQ2$vL9@pR4!", NULL, "J. Smith",
	    NULL) == F(PR_CONTAINS_NAME), "ASCII name, any case");
	ok(policy_failures(&p, "Kx7#JmQ2$vL9@pR4!", NULL, "J Smith", NULL) == 0,
	    "one-letter word ignored");
	ok(policy_failures(&p, "Kx7#ＴＡＲＯmQ2$vL9@pR4!", NULL, "ＴＡＲＯ",
	    NULL) == F(PR_CONTAINS_NAME), "full-width name matched exactly");
	ok(policy_failures(&p, "Kx7#ｔａｒｏmQ2$vL9@pR4!", NULL, "ＴＡＲＯ",
	    NULL) == 0, "no case folding beyond ASCII");
	ok(policy_failures(&p, pw, NULL, "\xe5\xb1\xb1\xff", NULL) == 0,
	    "invalid UTF-8 name ignored");
	ok(policy_failures(&p, pw, NULL, "", "") == 0, "empty name ignored");
	ok(policy_failures(&p, pw, NULL, " 　・", NULL) == 0,
	    "name of separators only ignored");

	conf(&c, "password_check_personal = 0\n", ROLE_MEMBER, &p);
	ok(policy_failures(&p, pw, "kx7@example.jp", "山田 太郎", NULL) == 0,
	    "password_check_personal = 0: nothing personal checked");
}

/* Every broken rule is reported, in enum order, and keys are capped. */
static void
test_all_failures(void)
{
	struct config	 c;
	struct policy	 p;
	const char	*keys[PR__MAX], *two[3];
	unsigned	 n, r;

	conf(&c, "", ROLE_MEMBER, &p);
	n = policy_check_all(&p, "password", "password@example.jp", NULL, NULL,
	    keys, PR__MAX);
	is_int(n, 4, "four rules broken at once");
	if (n == 4) {
		is_str(keys[0], "err_password_short", "short");
		is_str(keys[1], "err_password_classes", "classes");
		is_str(keys[2], "err_password_common", "common");
		is_str(keys[3], "err_password_contains_id", "contains id");
	}
	n = policy_check_all(&p, "yamada\x01", "yamada@example.jp", "山田 Yamada",
	    "ヤマダ", keys, PR__MAX);
	is_int(n, 5, "charset, short, classes, id and name at once");
	if (n == 5) {
		is_str(keys[0], "err_charset", "charset first");
		is_str(keys[4], "err_password_contains_name", "name last");
	}
	two[0] = two[1] = two[2] = NULL;
	n = policy_check_all(&p, "password", "password@example.jp", NULL, NULL,
	    two, 2);
	ok(n == 4 && two[0] != NULL && two[1] != NULL &&
	    strcmp(two[1], "err_password_classes") == 0 && two[2] == NULL,
	    "count is total, keys capped at maxkeys");
	is_int(policy_check_all(&p, "password", NULL, NULL, NULL, NULL, 0), 3,
	    "NULL keys with maxkeys 0");
	is_int(policy_check_all(&p, "", "a@b.jp", NULL, NULL, keys, PR__MAX),
	    1, "empty: required only");
	is_str(keys[0], "err_required", "err_required");
	is_int(policy_check_all(&p, "pass\xffword", NULL, NULL, NULL, keys,
	    PR__MAX), 1, "invalid UTF-8: charset only");
	is_str(keys[0], "err_charset", "err_charset");
	is_int(policy_check_all(&p, "Kx7#mQ2$vL9@pR4!", "taro@example.jp",
	    "山田 太郎", "ヤマダ タロウ", keys, PR__MAX), 0, "good password: 0");

	for (r = 0; r < PR__MAX; r++)
		ok(msg_get(policy_msgkey(&p, (enum policy_rule)r)) != NULL,
		    "catalogue has %s", policy_msgkey(&p, (enum policy_rule)r));
	p.min_classes = 3;
	ok(msg_get(policy_msgkey(&p, PR_CLASSES)) != NULL,
	    "catalogue has %s", policy_msgkey(&p, PR_CLASSES));
	ok(msg_get("help_password_classes_a") != NULL &&
	    msg_get("help_password_classes_b") != NULL &&
	    msg_get("help_password_common") != NULL &&
	    msg_get("help_password_personal") != NULL, "help texts exist");
}

int
main(void)
{
	test_wrapper();
	test_roles();
	test_variants();
	test_common();
	test_personal();
	test_all_failures();
	return done_testing();
}
