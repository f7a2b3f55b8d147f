/*
 * test_password.c: argon2id hashing, verification against PHC strings
 * made by the argon2(1) command-line tool, strict parsing, rehash logic.
 * Small cost parameters keep it fast.
 */
#include <string.h>

#include "portal.h"
#include "tap.h"

/*
 * Made with:
 *   echo -n "correct horse battery staple" |
 *     argon2 saltsaltsaltsalt -id -m 8 -t 1 -p 1 -l 32 -e
 *   echo -n "パスワード" | argon2 somesalt12345678 -id -m 8 -t 2 -p 2 -l 32 -e
 */
#define CLI1 "$argon2id$v=19$m=256,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$" \
	"Lejp34+fKlnoQK89TKVEbwu+JnpSDhOqh05yG+16Bow"
#define CLI2 "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQxMjM0NTY3OA$" \
	"ptM9vVIVy+xLVmo70knYfXJuBxZZMpJ98uvFa34ir5E"

static const struct argon2_params small = { 256, 1, 1 };

static void
test_known(void)
{
	is_int(password_verify(CLI1, "correct horse battery staple"), 0,
	    "argon2 CLI hash verifies");
	is_int(password_verify(CLI1, "correct horse battery stapl"), 1,
	    "wrong password is a mismatch");
	is_int(password_verify(CLI1, ""), 1, "empty password mismatch");
	is_int(password_verify(CLI2, "パスワード"), 0,
	    "UTF-8 password, t=2 p=2 verifies");
	is_int(password_verify(CLI2, "パスワー"), 1, "UTF-8 mismatch");
	ok(!password_needs_rehash(CLI1, &small), "CLI1 matches m=256 t=1 p=1");
	ok(password_needs_rehash(CLI2, &small), "CLI2 needs rehash");
}

static void
test_round_trip(void)
{
	char	h1[PASSWORD_HASH_MAX], h2[PASSWORD_HASH_MAX];
	struct argon2_params	p2 = small;

	is_int(password_hash(&small, "Pa55-word!Pa55-word", h1, sizeof(h1)),
	    0, "hash");
	ok(strncmp(h1, "$argon2id$v=19$m=256,t=1,p=1$", 29) == 0,
	    "PHC prefix: %s", h1);
	/* 16-byte salt = 22 digits, 32-byte tag = 43 digits */
	is_int(strlen(h1), 29 + 22 + 1 + 43, "salt and tag lengths");
	is_int(password_verify(h1, "Pa55-word!Pa55-word"), 0, "verify own");
	is_int(password_verify(h1, "Pa55-word!Pa55-worD"), 1, "mismatch");
	is_int(password_hash(&small, "Pa55-word!Pa55-word", h2, sizeof(h2)),
	    0, "hash again");
	ok(strcmp(h1, h2) != 0, "random salt: hashes differ");
	ok(!password_needs_rehash(h1, &small), "same params: no rehash");
	p2.m_kib = 512;
	ok(password_needs_rehash(h1, &p2), "other m: rehash");
	p2 = small;
	p2.t = 2;
	ok(password_needs_rehash(h1, &p2), "other t: rehash");
	p2 = small;
	p2.p = 2;
	ok(password_needs_rehash(h1, &p2), "other p: rehash");

	is_int(password_hash(&small, "x", h2, 60), -1, "small buffer fails");
	p2 = small;
	p2.t = 0;
	is_int(password_hash(&p2, "x", h2, sizeof(h2)), -1, "t=0 refused");
	p2 = small;
	p2.m_kib = 4;
	is_int(password_hash(&p2, "x", h2, sizeof(h2)), -1, "m<8p refused");
}

static void
test_malformed(void)
{
	static const char *const bad[] = {
	    "",
	    "plain",
	    "$argon2i$v=19$m=256,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$"
		"Lejp34+fKlnoQK89TKVEbwu+JnpSDhOqh05yG+16Bow",
	    "$argon2id$v=16$m=256,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$"
		"Lejp34+fKlnoQK89TKVEbwu+JnpSDhOqh05yG+16Bow",
	    "$argon2id$m=256,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$"
		"Lejp34+fKlnoQK89TKVEbwu+JnpSDhOqh05yG+16Bow",
	    "$argon2id$v=19$m=0256,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$"
		"Lejp34+fKlnoQK89TKVEbwu+JnpSDhOqh05yG+16Bow",
	    "$argon2id$v=19$m=+256,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$"
		"Lejp34+fKlnoQK89TKVEbwu+JnpSDhOqh05yG+16Bow",
	    "$argon2id$v=19$m=256,p=1,t=1$c2FsdHNhbHRzYWx0c2FsdA$"
		"Lejp34+fKlnoQK89TKVEbwu+JnpSDhOqh05yG+16Bow",
	    "$argon2id$v=19$m=99999999999,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$"
		"Lejp34+fKlnoQK89TKVEbwu+JnpSDhOqh05yG+16Bow",
	    "$argon2id$v=19$m=256,t=0,p=1$c2FsdHNhbHRzYWx0c2FsdA$"
		"Lejp34+fKlnoQK89TKVEbwu+JnpSDhOqh05yG+16Bow",
	    "$argon2id$v=19$m=256,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA=$"
		"Lejp34+fKlnoQK89TKVEbwu+JnpSDhOqh05yG+16Bow",
	    "$argon2id$v=19$m=256,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$"
		"Lejp34+fKlnoQK89TKVEbwu+JnpSDhOqh05yG+16Bow=",
	    "$argon2id$v=19$m=256,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$"
		"Lejp34+fKlnoQK89TKVEbwu+JnpSDhOqh05yG+16Bow$",
	    "$argon2id$v=19$m=256,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$"
		"Lejp34+fKlnoQK89TKVEbwu+JnpSDhOqh05yG+16Bow ",
	    "$argon2id$v=19$m=256,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA",
	    "$argon2id$v=19$m=256,t=1,p=1$$"
		"Lejp34+fKlnoQK89TKVEbwu+JnpSDhOqh05yG+16Bow",
	    "$argon2id$v=19$m=256,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$Lejp",
	    "$argon2id$v=19$m=256,t=1,p=1$c2Fsd-NhbHRzYWx0c2FsdA$"
		"Lejp34+fKlnoQK89TKVEbwu+JnpSDhOqh05yG+16Bow",
	    "$argon2id$v=19$m=256,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$"
		"Lejp34+fKlnoQK89TKVEbwu+JnpSDhOqh05yG+16Bo",
	};
	size_t	i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		is_int(password_verify(bad[i], "correct horse battery staple"),
		    -1, "malformed hash is -1, not a mismatch");
		ok(password_needs_rehash(bad[i], &small),
		    "malformed hash needs rehash");
	}
	is_int(password_verify(NULL, "x"), -1, "NULL hash");
	is_int(password_verify(CLI1, NULL), -1, "NULL password");
}

int
main(void)
{
	test_known();
	test_round_trip();
	test_malformed();
	{
		struct config		 c;
		struct argon2_params	 p;

		config_defaults(&c);
		c.argon2_m_kib = 65536;
		c.argon2_t = 3;
		c.argon2_p = 2;
		p = password_params(&c);
		ok(p.m_kib == 65536 && p.t == 3 && p.p == 2,
		    "password_params takes m, t, p from the configuration");
	}
	return done_testing();
}
