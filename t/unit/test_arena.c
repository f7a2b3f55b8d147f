/*
 * Unit tests for lib/arena.c.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "portal.h"
#include "tap.h"

/*
 * True if every one of n bytes at p is zero.
 */
static int
all_zero(const void *p, size_t n)
{
	const unsigned char	*c = p;
	size_t			 i;

	for (i = 0; i < n; i++)
		if (c[i] != 0)
			return 0;
	return 1;
}

/*
 * Small allocations: aligned, zeroed, distinct, counted in used.
 */
static void
test_alloc(void)
{
	struct arena	 a;
	unsigned char	*p, *q, *z1, *z2;
	size_t		 i;
	int		 aligned = 1, zero = 1;

	arena_init(&a, 1024);
	ok(a.head == NULL, "init allocates nothing");
	is_int(a.chunk, 1024, "chunk size kept");
	for (i = 1; i < 200; i++) {
		p = arena_alloc(&a, i);
		if ((uintptr_t)p % 16 != 0)
			aligned = 0;
		if (!all_zero(p, i))
			zero = 0;
		memset(p, 0xa5, i);
	}
	ok(aligned, "199 allocations of 1..199 bytes are 16-byte aligned");
	ok(zero, "every allocation is zeroed");
	ok(a.head != NULL, "chunks allocated");
	arena_free(&a);

	arena_init(&a, 1024);
	p = arena_alloc(&a, 1);
	q = arena_alloc(&a, 1);
	is_int(q - p, 16, "1-byte allocations are 16 bytes apart");
	is_int(a.used, 32, "used counts rounded sizes");
	z1 = arena_alloc(&a, 0);
	z2 = arena_alloc(&a, 0);
	ok(z1 != NULL && z2 != NULL && z1 != z2,
	    "n == 0 gives distinct valid pointers");
	arena_free(&a);
	ok(a.head == NULL && a.used == 0, "arena_free empties the arena");

	arena_init(&a, 0);
	is_int(a.chunk, 8192, "chunk 0 selects the default 8192");
	arena_init(&a, 1);
	is_int(a.chunk, 256, "tiny chunk raised to 256");
	arena_init(&a, 1000);
	is_int(a.chunk, 1008, "chunk rounded up to 16");
}

/*
 * Big allocations get their own chunk and the current chunk keeps
 * serving small ones.
 */
static void
test_big(void)
{
	struct arena	 a;
	char		*s1, *big, *s2;

	arena_init(&a, 256);
	s1 = arena_alloc(&a, 16);
	big = arena_alloc(&a, 100000);
	ok(big != NULL && (uintptr_t)big % 16 == 0, "big allocation aligned");
	ok(all_zero(big, 100000), "big allocation zeroed");
	memset(big, 'x', 100000);
	s2 = arena_alloc(&a, 16);
	is_int(s2 - s1, 16, "small allocation after a big one reuses chunk");
	big = arena_alloc(&a, 129);
	ok(big != NULL, "allocation just over half a chunk");
	memset(big, 'y', 129);
	big = arena_alloc(&a, 300);
	memset(big, 'z', 300);
	is_int(a.used, 16 + 100000 + 16 + 144 + 304, "used after big ones");
	arena_free(&a);

	arena_init(&a, 256);
	big = arena_alloc(&a, 5000);
	ok(big != NULL, "big allocation as the very first one");
	s1 = arena_alloc(&a, 10);
	ok(s1 != NULL, "small allocation after a first big one");
	arena_free(&a);
}

/*
 * strdup, strndup, printf and calloc.
 */
static void
test_strings(void)
{
	struct arena	 a;
	char		*s;
	int		*v;
	char		 longer[3000];

	arena_init(&a, 256);
	is_str(arena_strdup(&a, "héllo"), "héllo", "strdup");
	is_str(arena_strdup(&a, ""), "", "strdup empty");
	ok(arena_strdup(&a, NULL) == NULL, "strdup NULL gives NULL");
	is_str(arena_strndup(&a, "abcdef", 3), "abc", "strndup cuts at n");
	is_str(arena_strndup(&a, "ab", 10), "ab", "strndup stops at NUL");
	is_str(arena_strndup(&a, "abc", 0), "", "strndup 0");
	s = arena_printf(&a, "%s-%d-%05.1f", "x", -42, 3.14159);
	is_str(s, "x--42-003.1", "printf");
	is_str(arena_printf(&a, "%s", ""), "", "printf empty");
	memset(longer, 'q', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	s = arena_printf(&a, "<%s>", longer);
	is_int(strlen(s), 3001, "printf longer than a chunk");
	ok(s[0] == '<' && s[3000] == '>' && s[1500] == 'q',
	    "printf long content");
	v = arena_calloc(&a, 100, sizeof(int));
	ok(v != NULL && all_zero(v, 100 * sizeof(int)), "calloc zeroed");
	ok(arena_calloc(&a, 0, 8) != NULL, "calloc 0 members");
	arena_free(&a);
}

/*
 * Reset keeps exactly one chunk, wiped, and the arena works after it.
 */
static void
test_reset(void)
{
	struct arena	 a;
	char		*p, *q;
	int		 i;

	arena_init(&a, 256);
	p = arena_alloc(&a, 64);
	memcpy(p, "secret", 7);
	for (i = 0; i < 50; i++)
		memset(arena_alloc(&a, 100), 'x', 100);
	memset(arena_alloc(&a, 10000), 'y', 10000);
	arena_reset(&a);
	is_int(a.used, 0, "reset clears used");
	ok(a.head != NULL, "reset keeps one chunk");
	q = arena_alloc(&a, 64);
	ok(all_zero(q, 64), "memory after reset is zero");
	is_int(a.used, 64, "used counts again after reset");
	arena_reset(&a);
	arena_reset(&a);
	ok(a.head != NULL && a.used == 0, "reset twice is harmless");
	arena_free(&a);
	arena_free(&a);
	ok(a.head == NULL, "free twice is harmless");

	arena_init(&a, 256);
	arena_alloc(&a, 5000);
	arena_reset(&a);
	ok(a.head == NULL, "reset with only a big chunk keeps nothing");
	ok(arena_alloc(&a, 8) != NULL, "arena usable after that reset");
	arena_free(&a);
}

/*
 * Run f in a child with stderr closed; true if it died of SIGABRT.
 */
static int
aborts(void (*f)(void))
{
	pid_t	pid;
	int	st;

	fflush(stdout);
	if ((pid = fork()) == -1)
		return 0;
	if (pid == 0) {
		if (freopen("/dev/null", "w", stderr) == NULL)
			_exit(3);
		f();
		_exit(0);
	}
	if (waitpid(pid, &st, 0) == -1)
		return 0;
	return WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT;
}

/*
 * Child body: calloc whose product overflows.
 */
static void
calloc_overflow(void)
{
	struct arena	a;

	arena_init(&a, 256);
	(void)arena_calloc(&a, SIZE_MAX / 2, 4);
}

/*
 * Child body: allocation size that overflows when rounded.
 */
static void
alloc_overflow(void)
{
	struct arena	a;

	arena_init(&a, 256);
	(void)arena_alloc(&a, SIZE_MAX - 3);
}

/*
 * Overflowing or impossible sizes abort the process.
 */
static void
test_overflow(void)
{
	ok(aborts(calloc_overflow), "calloc overflow aborts");
	ok(aborts(alloc_overflow), "alloc rounding overflow aborts");
}

/*
 * Run every test; TAP on stdout, exit status 1 if any failed.
 */
int
main(void)
{
	test_alloc();
	test_big();
	test_strings();
	test_reset();
	test_overflow();
	return done_testing();
}
