/*
 * libFuzzer target: config_parse on arbitrary text (bounded error text).
 */
#include <stdlib.h>
#include <string.h>

#include "portal.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config	 c;
	char		 err[256];

	config_defaults(&c);
	err[0] = '\0';
	if (config_parse(&c, (const char *)data, size, err, sizeof(err)) != 0 &&
	    (err[0] == '\0' || memchr(err, '\0', sizeof(err)) == NULL))
		abort();
	return 0;
}
