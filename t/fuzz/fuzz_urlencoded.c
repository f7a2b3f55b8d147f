/*
 * libFuzzer target: parse_urlencoded.  On success every key and value is
 * NUL-terminated valid UTF-8 within the limits and the count is bounded.
 */
#include <stdlib.h>
#include <string.h>

#include "portal.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct limits	 lim = { 4096, 16, 256, 32 };
	struct arena			 a;
	struct params			 p;
	size_t				 i;

	arena_init(&a, 4096);
	if (parse_urlencoded(&a, (const char *)data, size, &lim, &p) ==
	    PERR_OK) {
		if (p.n > lim.max_params)
			abort();
		for (i = 0; i < p.n; i++) {
			if (strlen(p.v[i].key) > lim.max_key ||
			    p.v[i].vlen > lim.max_field ||
			    strlen(p.v[i].val) != p.v[i].vlen ||
			    !utf8_valid(p.v[i].key, strlen(p.v[i].key)) ||
			    !utf8_valid(p.v[i].val, p.v[i].vlen))
				abort();
			if (params_get(&p, p.v[i].key) == NULL)
				abort();
		}
	}
	arena_free(&a);
	return 0;
}
