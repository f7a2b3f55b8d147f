/*
 * Unit tests for lib/buf.c.
 */
#include <string.h>

#include "portal.h"
#include "tap.h"

/*
 * Initial state, appends of every kind, NUL termination.
 */
static void
test_basic(void)
{
	struct arena	a;
	struct buf	b;

	arena_init(&a, 256);
	buf_init(&b, &a);
	ok(b.p != NULL && b.cap > 0, "init gives storage");
	is_str(b.p, "", "init is the empty string");
	is_int(b.len, 0, "init len 0");
	buf_puts(&b, "abc");
	buf_putc(&b, '-');
	buf_append(&b, "xyz123", 3);
	buf_puts(&b, NULL);
	buf_puts(&b, "");
	buf_append(&b, NULL, 0);
	buf_printf(&b, "[%d|%s]", 42, "q");
	is_str(b.p, "abc-xyz[42|q]", "mixed appends");
	is_int(b.len, 13, "len after appends");
	ok(b.p[b.len] == '\0', "NUL-terminated");
	buf_printf(&b, "%s", "");
	is_int(b.len, 13, "empty printf adds nothing");
	buf_append(&b, "a\0b", 3);
	is_int(b.len, 16, "append with NUL byte counts it");
	ok(memcmp(b.p + 13, "a\0b", 4) == 0, "embedded NUL kept, then NUL");
	arena_free(&a);
}

/*
 * Growth by doubling across many appends and big printf.
 */
static void
test_grow(void)
{
	struct arena	 a;
	struct buf	 b;
	char		 big[5000];
	size_t		 i, cap;
	int		 good = 1;

	arena_init(&a, 256);
	buf_init(&b, &a);
	cap = b.cap;
	is_int(cap, 64, "initial capacity 64");
	for (i = 0; i < 63; i++)
		buf_putc(&b, 'a');
	is_int(b.cap, 64, "63 bytes + NUL fit in 64");
	buf_putc(&b, 'b');
	is_int(b.cap, 128, "64th byte doubles to 128");
	for (i = 0; i < 10000; i++)
		buf_putc(&b, (char)('0' + i % 10));
	is_int(b.len, 10064, "len after 10064 bytes");
	is_int(b.cap, 16384, "capacity doubled to 16384");
	for (i = 0; i < 10000; i++)
		if (b.p[64 + i] != (char)('0' + i % 10))
			good = 0;
	ok(good, "contents kept across growth");
	ok(b.p[b.len] == '\0', "NUL after growth");

	buf_init(&b, &a);
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	buf_puts(&b, "<<");
	buf_printf(&b, "%s|%d", big, 7);
	is_int(b.len, 2 + 4999 + 2, "printf larger than capacity");
	ok(b.p[0] == '<' && b.p[2] == 'z' && b.p[5001] == '|' &&
	    b.p[5002] == '7' && b.p[5003] == '\0', "printf content after grow");
	buf_init(&b, &a);
	buf_printf(&b, "%062d", 5);
	is_int(b.len, 62, "printf of exactly cap - 2");
	buf_printf(&b, "%d", 1);
	is_int(b.cap, 64, "exactly cap - 1 bytes fits");
	buf_printf(&b, "%d", 2);
	is_int(b.cap, 128, "one more grows");
	is_str(b.p + 60, "0512", "content at the edge");
	arena_free(&a);
}

/*
 * Run every test; TAP on stdout, exit status 1 if any failed.
 */
int
main(void)
{
	test_basic();
	test_grow();
	return done_testing();
}
