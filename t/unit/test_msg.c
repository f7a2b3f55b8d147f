/*
 * The message catalogue: sorted, every entry non-NULL, and every {{@key}}
 * used by a compiled template exists; every template renders.
 */
#include <string.h>

#include "portal.h"
#include "tap.h"

int
main(void)
{
	struct arena	 a;
	struct buf	 out;
	struct tpl_vars	*v;
	size_t		 i, n = msg_count(), missing = 0;
	const char	*p, *e;
	char		 key[128];

	arena_init(&a, 4096);
	ok(n > 50, "catalogue has %zu entries", n);
	for (i = 1; i < n; i++)
		if (strcmp(msg_key(i - 1), msg_key(i)) >= 0)
			break;
	is_int(i, n, "catalogue keys strictly sorted");
	is_str(msg_get("site_name"), "会員ポータル", "lookup by key");
	ok(msg_get("no_such_key") == NULL, "unknown key gives NULL");
	ok(msg_get(NULL) == NULL, "NULL key gives NULL");
	ok(msg_get(msg_key(0)) != NULL, "first key found");
	ok(msg_get(msg_key(n - 1)) != NULL, "last key found");

	ok(tpl_nsources >= 10, "%zu templates compiled in", tpl_nsources);
	for (i = 0; i < tpl_nsources; i++) {
		for (p = tpl_sources[i].text; (p = strstr(p, "{{@")) != NULL;
		    p = e) {
			p += 3;
			if ((e = strstr(p, "}}")) == NULL ||
			    (size_t)(e - p) >= sizeof(key))
				break;
			memcpy(key, p, (size_t)(e - p));
			key[e - p] = '\0';
			if (msg_get(key) == NULL) {
				printf("# %s: unknown message %s\n",
				    tpl_sources[i].name, key);
				missing++;
			}
		}
		v = tpl_vars_new(&a);
		tpl_set(v, "title", "<t>");
		buf_init(&out, &a);
		ok(tpl_render(&out, tpl_sources[i].name, v) == 0 &&
		    strstr(out.p, "<t>") == NULL, "template %s renders, escaped",
		    tpl_sources[i].name);
	}
	is_int(missing, 0, "every {{@key}} in the templates exists");
	arena_free(&a);
	return done_testing();
}
