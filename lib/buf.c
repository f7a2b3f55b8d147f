/*
 * Growable byte buffer whose storage comes from an arena.  The contents
 * are always NUL-terminated; growth doubles the capacity and is
 * overflow-checked.  Out-of-memory aborts (see arena.c).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portal.h"

#define BUF_INITIAL	64

/*
 * Print why to stderr and abort.  Never returns.
 */
static void __attribute__((noreturn))
buf_die(const char *why)
{
	fprintf(stderr, "buf: %s\n", why);
	abort();
}

/*
 * Make room for n more bytes plus the terminating NUL.  The old storage
 * stays in the arena until it is reset.  Aborts on size overflow.
 */
static void
buf_reserve(struct buf *b, size_t n)
{
	size_t	 need, ncap;
	char	*np;

	if (n > SIZE_MAX - b->len - 1)
		buf_die("size overflow");
	need = b->len + n + 1;
	if (need <= b->cap)
		return;
	ncap = b->cap < BUF_INITIAL ? BUF_INITIAL : b->cap;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2) {
			ncap = need;
			break;
		}
		ncap *= 2;
	}
	np = arena_alloc(b->a, ncap);
	if (b->len > 0)
		memcpy(np, b->p, b->len);
	np[b->len] = '\0';
	b->p = np;
	b->cap = ncap;
}

/*
 * Start an empty buffer on arena a.  Storage for BUF_INITIAL bytes is
 * taken at once so that b->p is always a valid (empty) string.
 */
void
buf_init(struct buf *b, struct arena *a)
{
	b->a = a;
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
	buf_reserve(b, 0);
}

/*
 * Append n bytes of p (which may contain NUL bytes).
 */
void
buf_append(struct buf *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	buf_reserve(b, n);
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/*
 * Append the NUL-terminated string s; NULL appends nothing.
 */
void
buf_puts(struct buf *b, const char *s)
{
	if (s != NULL)
		buf_append(b, s, strlen(s));
}

/*
 * Append one byte.
 */
void
buf_putc(struct buf *b, char c)
{
	buf_append(b, &c, 1);
}

/*
 * Append printf-formatted text: vsnprintf into the free space, and once
 * more after growing if it did not fit.  Aborts on a format error.
 */
void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 len;

	buf_reserve(b, 0);
	va_start(ap, fmt);
	len = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (len < 0)
		buf_die("buf_printf: format error");
	if ((size_t)len >= b->cap - b->len) {
		buf_reserve(b, (size_t)len);
		va_start(ap, fmt);
		len = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (len < 0 || (size_t)len >= b->cap - b->len)
			buf_die("buf_printf: format changed length");
	}
	b->len += (size_t)len;
}
