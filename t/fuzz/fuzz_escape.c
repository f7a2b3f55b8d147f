/*
 * libFuzzer target: the escapers.  esc_html output never holds a raw
 * markup character, esc_url output only unreserved characters and %XX,
 * esc_log output no control character; utf8 functions agree.
 */
#include <stdlib.h>
#include <string.h>

#include "portal.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	 a;
	struct buf	 b;
	char		*s, log[128];
	const char	*p;
	size_t		 i, n;

	arena_init(&a, 4096);
	s = arena_strndup(&a, (const char *)data, size);
	n = strlen(s);
	buf_init(&b, &a);
	esc_html(&b, s);
	if (strpbrk(b.p, "<>\"'`=") != NULL)
		abort();
	buf_init(&b, &a);
	esc_url(&b, s);
	for (i = 0; i < b.len; i++)
		if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789-._~%", b.p[i]) == NULL)
			abort();
	buf_init(&b, &a);
	esc_json(&b, s);
	if (strpbrk(b.p, "<>\"\n\r") != NULL && strchr(b.p, '"') != NULL) {
		for (p = b.p; (p = strchr(p, '"')) != NULL; p++)
			if (p == b.p || p[-1] != '\\')
				abort();
	}
	esc_log(log, sizeof(log), s);
	for (i = 0; log[i] != '\0'; i++)
		if ((unsigned char)log[i] < 0x20 || log[i] == 0x7f)
			abort();
	if (utf8_valid(s, n)) {
		size_t	 count = 0;

		for (p = s; *p != '\0'; count++)
			(void)utf8_next(&p);
		if (count != utf8_count(s))
			abort();
	}
	arena_free(&a);
	return 0;
}
