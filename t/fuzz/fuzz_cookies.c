/*
 * libFuzzer target: parse_cookies on a NUL-terminated header.  On success
 * every name and value is valid UTF-8 within the limits.
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
	char				*hdr;
	size_t				 i;

	arena_init(&a, 4096);
	hdr = arena_strndup(&a, (const char *)data, size);
	if (parse_cookies(&a, hdr, &lim, &p) == PERR_OK) {
		if (p.n > lim.max_params)
			abort();
		for (i = 0; i < p.n; i++)
			if (strlen(p.v[i].key) > lim.max_key ||
			    p.v[i].vlen > lim.max_field ||
			    !utf8_valid(p.v[i].val, p.v[i].vlen))
				abort();
	}
	arena_free(&a);
	return 0;
}
