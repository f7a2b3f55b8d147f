/*
 * The statement table: every row has SQL, its placeholder count matches
 * the '?' in the text, and no statement is built by hand elsewhere.
 */
#include <string.h>

#include "app.h"
#include "tap.h"

int
main(void)
{
	size_t		 i, q, bad = 0, missing = 0;
	const char	*p;

	for (i = 0; i < ST__MAX; i++) {
		if (stmt_defs[i].sql == NULL) {
			missing++;
			continue;
		}
		for (q = 0, p = stmt_defs[i].sql; *p != '\0'; p++)
			if (*p == '?')
				q++;
		if (q != stmt_defs[i].nparams) {
			printf("# statement %zu: %zu placeholders, table says "
			    "%u\n", i, q, stmt_defs[i].nparams);
			bad++;
		}
		if (strncmp(stmt_defs[i].sql, "SELECT", 6) == 0 &&
		    !stmt_defs[i].idempotent)
			bad++;
		if (strncmp(stmt_defs[i].sql, "SELECT", 6) != 0 &&
		    stmt_defs[i].idempotent) {
			printf("# statement %zu: a write marked idempotent\n", i);
			bad++;
		}
	}
	is_int(missing, 0, "every statement has SQL");
	is_int(bad, 0, "placeholder counts and idempotence flags agree");
	ok(db_str(NULL, 0, 0)[0] == '\0', "db_str on nothing is empty");
	is_int(db_u64(NULL, 0, 0), 0, "db_u64 on nothing is 0");
	return done_testing();
}
