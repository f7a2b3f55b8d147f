/*
 * The bundled list of common passwords (common_passwords.c, generated from
 * data/common-passwords.txt by tools/embed-wordlist.sh): large enough,
 * strictly sorted for bsearch, lower case, short, valid UTF-8, and holding
 * the passwords everybody knows.
 */
#include <string.h>

#include "app.h"
#include "tap.h"

int
main(void)
{
	static const char *const known[] = {
		"123456", "password", "12345678", "qwerty", "123456789",
		"iloveyou", "dragon", "monkey", "letmein", "baseball",
		"abc123", "1234567890", "qwertyuiop", "sakura",
	};
	size_t		 i, n = common_npasswords, bad;
	const char	*w;

	ok(n >= 10000, "at least 10,000 entries (%zu)", n);
	ok(n >= 20000, "at least the top 20,000 (%zu)", n);

	for (i = 1; i < n; i++)
		if (strcmp(common_passwords[i - 1], common_passwords[i]) >= 0)
			break;
	is_int(i, n, "strictly sorted by strcmp (no duplicates)");

	for (bad = 0, i = 0; i < n; i++) {
		w = common_passwords[i];
		if (*w == '\0' || strlen(w) > POLICY_COMMON_MAX ||
		    strpbrk(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != NULL ||
		    !utf8_valid(w, strlen(w)))
			bad++;
	}
	is_int(bad, 0, "every entry non-empty, lower case, <= 64 bytes, UTF-8");

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		ok(policy_is_common(known[i]), "'%s' is on the list", known[i]);
	ok(policy_is_common(common_passwords[0]), "first entry found");
	ok(policy_is_common(common_passwords[n - 1]), "last entry found");
	ok(policy_is_common(common_passwords[n / 2]), "middle entry found");
	ok(!policy_is_common("Kx7#mQ2$vL9@pR4!"), "random password absent");
	return done_testing();
}
