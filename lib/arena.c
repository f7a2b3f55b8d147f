/*
 * Per-request memory arena: a linked list of chunks handed out in 16-byte
 * aligned pieces and dropped in one step (arena_reset, arena_free).
 * Out-of-memory and size overflow abort the process; mod_fcgid respawns it.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portal.h"

#define ARENA_ALIGN	16
#define ARENA_MIN	256
#define ARENA_DEFAULT	8192

struct arena_chunk {
	struct arena_chunk	*next;	/* older chunk */
	size_t			 size;	/* usable bytes in data */
	size_t			 off;	/* bytes handed out */
	unsigned char		*data;	/* ARENA_ALIGN-aligned, after header */
};

/* Header size rounded up so that data stays aligned. */
#define CHUNK_HDR	\
	((sizeof(struct arena_chunk) + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1))

/*
 * Print why to stderr and abort.  Never returns.
 */
static void __attribute__((noreturn))
arena_die(const char *why)
{
	fprintf(stderr, "arena: %s\n", why);
	abort();
}

/*
 * Round n up to a multiple of ARENA_ALIGN, at least ARENA_ALIGN.
 * Aborts if the result does not fit a size_t.
 */
static size_t
arena_round(size_t n)
{
	if (n == 0)
		return ARENA_ALIGN;
	if (n > SIZE_MAX - (ARENA_ALIGN - 1))
		arena_die("allocation size overflow");
	return (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
}

/*
 * Allocate a chunk with size usable bytes (a multiple of ARENA_ALIGN).
 * Returns the chunk, not yet linked; aborts on out-of-memory.
 */
static struct arena_chunk *
chunk_new(size_t size)
{
	struct arena_chunk	*c;
	unsigned char		*mem;

	if (size > SIZE_MAX - CHUNK_HDR)
		arena_die("allocation size overflow");
	mem = aligned_alloc(ARENA_ALIGN, CHUNK_HDR + size);
	if (mem == NULL)
		arena_die("out of memory");
	c = (struct arena_chunk *)(void *)mem;
	c->next = NULL;
	c->size = size;
	c->off = 0;
	c->data = mem + CHUNK_HDR;
	return c;
}

/*
 * Wipe the bytes of c that were handed out and free it.
 */
static void
chunk_free(struct arena_chunk *c)
{
	explicit_bzero(c->data, c->off);
	free(c);
}

/*
 * Prepare an empty arena.  chunk is the default chunk size; it is raised
 * to ARENA_MIN (0 selects ARENA_DEFAULT) and rounded to the alignment.
 * No memory is allocated until the first arena_alloc.
 */
void
arena_init(struct arena *a, size_t chunk)
{
	if (chunk == 0)
		chunk = ARENA_DEFAULT;
	if (chunk < ARENA_MIN)
		chunk = ARENA_MIN;
	a->head = NULL;
	a->chunk = arena_round(chunk);
	a->used = 0;
}

/*
 * Return n zeroed bytes aligned to 16 that live until the next reset.
 * n == 0 returns a valid (16-byte) piece.  Requests larger than half a
 * chunk get a chunk of their own, linked behind the current one so its
 * free space stays in use.  Aborts on out-of-memory or overflow.
 */
void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk	*c;
	void			*p;

	n = arena_round(n);
	c = a->head;
	if (c == NULL || c->size - c->off < n) {
		if (n > a->chunk / 2) {
			c = chunk_new(n);
			if (a->head == NULL)
				a->head = c;
			else {
				c->next = a->head->next;
				a->head->next = c;
			}
		} else {
			c = chunk_new(a->chunk);
			c->next = a->head;
			a->head = c;
		}
	}
	p = c->data + c->off;
	c->off += n;
	if (a->used <= SIZE_MAX - n)
		a->used += n;
	memset(p, 0, n);
	return p;
}

/*
 * As arena_alloc for nmemb * size bytes; aborts if the product overflows.
 */
void *
arena_calloc(struct arena *a, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size)
		arena_die("calloc size overflow");
	return arena_alloc(a, nmemb * size);
}

/*
 * Copy of the NUL-terminated s in the arena; NULL if s is NULL.
 */
char *
arena_strdup(struct arena *a, const char *s)
{
	if (s == NULL)
		return NULL;
	return arena_strndup(a, s, strlen(s));
}

/*
 * Copy of at most n bytes of s (stopping at a NUL), NUL-terminated, in
 * the arena; NULL if s is NULL.  Aborts on overflow or out-of-memory.
 */
char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char	*p;
	size_t	 len;

	if (s == NULL)
		return NULL;
	len = strnlen(s, n);
	if (len == SIZE_MAX)
		arena_die("string size overflow");
	p = arena_alloc(a, len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

/*
 * printf into a new NUL-terminated string in the arena: vsnprintf once
 * to measure, once to write.  Aborts if formatting fails (a bug in the
 * caller's format) or on out-of-memory.
 */
char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list	 ap;
	char	*p;
	int	 len, len2;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0)
		arena_die("arena_printf: format error");
	p = arena_alloc(a, (size_t)len + 1);
	va_start(ap, fmt);
	len2 = vsnprintf(p, (size_t)len + 1, fmt, ap);
	va_end(ap);
	if (len2 != len)
		arena_die("arena_printf: format changed length");
	return p;
}

/*
 * Wipe and free every chunk but one of the default size, which is wiped
 * and kept for the next request.  Pointers handed out become invalid.
 */
void
arena_reset(struct arena *a)
{
	struct arena_chunk	*c, *next, *keep = NULL;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		if (keep == NULL && c->size == a->chunk) {
			keep = c;
			continue;
		}
		chunk_free(c);
	}
	if (keep != NULL) {
		explicit_bzero(keep->data, keep->off);
		keep->off = 0;
		keep->next = NULL;
	}
	a->head = keep;
	a->used = 0;
}

/*
 * Wipe and free every chunk.  The arena may be used again afterwards.
 */
void
arena_free(struct arena *a)
{
	struct arena_chunk	*c, *next;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		chunk_free(c);
	}
	a->head = NULL;
	a->used = 0;
}
