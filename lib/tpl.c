/*
 * Template engine: a small Mustache-like language (see portal.h) in which
 * every value is escaped on output; there is no raw construct.  Templates
 * are compiled into the programs (tpl_sources[], generated) and parsed on
 * the fly at each rendering.  A template's structure is checked in full
 * before any of it is rendered, so a mistake in a branch that is not
 * taken still fails.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portal.h"

#define TPL_MAX_DEPTH	16

struct tpl_item {
	struct tpl_vars		*vars;
	struct tpl_item		*next;
};

struct tpl_entry {
	const char		*key;
	const char		*val;	/* string value, or NULL for a list */
	struct tpl_item		*first;	/* list items in order */
	struct tpl_item		*last;
	size_t			 nitems;
	struct tpl_entry	*next;
};

struct tpl_vars {
	struct arena		*a;
	const struct tpl_vars	*parent;
	struct tpl_entry	*head;
};

enum tag_kind {
	TAG_VAR,	/* {{name}} */
	TAG_URL,	/* {{%name}} */
	TAG_MSG,	/* {{@key}} */
	TAG_OPEN,	/* {{#name}} */
	TAG_INV,	/* {{^name}} */
	TAG_CLOSE,	/* {{/name}} */
	TAG_PARTIAL,	/* {{>tpl}} */
	TAG_COMMENT	/* {{! ... }} */
};

#define TPL_NAME_MAX	64

struct tag {
	enum tag_kind	 kind;
	char		 name[TPL_NAME_MAX + 1];
	size_t		 namelen;
	const char	*start;	/* the opening "{{" */
	const char	*end;	/* just past the closing "}}" */
};

/*
 * New empty scope without parent, in arena a.
 */
struct tpl_vars *
tpl_vars_new(struct arena *a)
{
	struct tpl_vars	*v;

	v = arena_alloc(a, sizeof(*v));
	v->a = a;
	v->parent = NULL;
	v->head = NULL;
	return v;
}

/*
 * Entry for key in this scope only, or NULL.
 */
static struct tpl_entry *
entry_find(const struct tpl_vars *v, const char *key)
{
	struct tpl_entry	*e;

	for (e = v->head; e != NULL; e = e->next)
		if (strcmp(e->key, key) == 0)
			return e;
	return NULL;
}

/*
 * Entry for key in this scope, created (empty, no value) if missing.
 */
static struct tpl_entry *
entry_get(struct tpl_vars *v, const char *key)
{
	struct tpl_entry	*e;

	if ((e = entry_find(v, key)) != NULL)
		return e;
	e = arena_alloc(v->a, sizeof(*e));
	e->key = key;
	e->next = v->head;
	v->head = e;
	return e;
}

/*
 * Bind key to val in this scope, replacing an earlier string or list.
 * Both pointers are kept (not copied); val NULL is stored as "".
 */
void
tpl_set(struct tpl_vars *v, const char *key, const char *val)
{
	struct tpl_entry	*e;

	if (v == NULL || key == NULL)
		return;
	e = entry_get(v, key);
	e->val = val != NULL ? val : "";
	e->first = e->last = NULL;
	e->nitems = 0;
}

/*
 * Bind key to a printf-formatted string copied into the scope's arena
 * (vsnprintf once to measure, once to write).  Aborts on a format error.
 */
void
tpl_setf(struct tpl_vars *v, const char *key, const char *fmt, ...)
{
	va_list	 ap;
	char	*p;
	int	 len;

	if (v == NULL || key == NULL)
		return;
	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0) {
		fprintf(stderr, "tpl_setf: format error\n");
		abort();
	}
	p = arena_alloc(v->a, (size_t)len + 1);
	va_start(ap, fmt);
	(void)vsnprintf(p, (size_t)len + 1, fmt, ap);
	va_end(ap);
	tpl_set(v, key, p);
}

/*
 * Append a new item scope to list key of v (replacing a string bound to
 * key) and return it; its parent is v.  NULL if v or key is NULL.
 */
struct tpl_vars *
tpl_add(struct tpl_vars *v, const char *key)
{
	struct tpl_entry	*e;
	struct tpl_item		*it;

	if (v == NULL || key == NULL)
		return NULL;
	e = entry_get(v, key);
	e->val = NULL;
	it = arena_alloc(v->a, sizeof(*it));
	it->vars = tpl_vars_new(v->a);
	it->vars->parent = v;
	if (e->last != NULL)
		e->last->next = it;
	else
		e->first = it;
	e->last = it;
	e->nitems++;
	return it->vars;
}

/*
 * Entry for key in v or the nearest enclosing scope that binds it.
 */
static const struct tpl_entry *
lookup(const struct tpl_vars *v, const char *key)
{
	const struct tpl_entry	*e;

	for (; v != NULL; v = v->parent)
		if ((e = entry_find(v, key)) != NULL)
			return e;
	return NULL;
}

/*
 * String bound to key in v or an enclosing scope; NULL if key is missing
 * or bound to a list.
 */
const char *
tpl_get(const struct tpl_vars *v, const char *key)
{
	const struct tpl_entry	*e;

	if (key == NULL || (e = lookup(v, key)) == NULL)
		return NULL;
	return e->val;
}

/*
 * True if c may appear in a variable, message or template name.
 */
static bool
name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

/*
 * Find the next tag in [p, end).  Returns 1 and fills t, 0 if there is
 * none, or -1 on a "{{" without "}}", an empty or malformed name.
 */
static int
next_tag(const char *p, const char *end, struct tag *t)
{
	const char	*o, *c, *s, *e;

	for (o = p; o + 1 < end; o++)
		if (o[0] == '{' && o[1] == '{')
			break;
	if (o + 1 >= end)
		return 0;
	for (c = o + 2; c + 1 < end; c++)
		if (c[0] == '}' && c[1] == '}')
			break;
	if (c + 1 >= end)
		return -1;
	t->start = o;
	t->end = c + 2;
	t->name[0] = '\0';
	t->namelen = 0;
	s = o + 2;
	e = c;
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	if (s < e && *s == '!') {
		t->kind = TAG_COMMENT;
		return 1;
	}
	t->kind = TAG_VAR;
	if (s < e) {
		switch (*s) {
		case '%':
			t->kind = TAG_URL;
			break;
		case '@':
			t->kind = TAG_MSG;
			break;
		case '#':
			t->kind = TAG_OPEN;
			break;
		case '^':
			t->kind = TAG_INV;
			break;
		case '/':
			t->kind = TAG_CLOSE;
			break;
		case '>':
			t->kind = TAG_PARTIAL;
			break;
		default:
			break;
		}
		if (t->kind != TAG_VAR)
			s++;
	}
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (s == e || (size_t)(e - s) > TPL_NAME_MAX)
		return -1;
	for (; s < e; s++) {
		if (!name_char(*s))
			return -1;
		t->name[t->namelen++] = *s;
	}
	t->name[t->namelen] = '\0';
	return 1;
}

/*
 * Text of the compiled template name, or NULL if there is none.
 */
static const char *
find_source(const char *name)
{
	size_t	i;

	for (i = 0; i < tpl_nsources; i++)
		if (strcmp(tpl_sources[i].name, name) == 0)
			return tpl_sources[i].text;
	return NULL;
}

/*
 * Check the structure of text[0..n): every tag well formed, sections
 * balanced and at most TPL_MAX_DEPTH deep, partials known.  0 or -1.
 */
static int
check(const char *text, size_t n)
{
	const char	*p = text, *end = text + n;
	char		 stack[TPL_MAX_DEPTH][TPL_NAME_MAX + 1];
	size_t		 depth = 0;
	struct tag	 t;
	int		 rc;

	while ((rc = next_tag(p, end, &t)) == 1) {
		p = t.end;
		switch (t.kind) {
		case TAG_OPEN:
		case TAG_INV:
			if (depth >= TPL_MAX_DEPTH)
				return -1;
			memcpy(stack[depth++], t.name, t.namelen + 1);
			break;
		case TAG_CLOSE:
			if (depth == 0 || strcmp(stack[--depth], t.name) != 0)
				return -1;
			break;
		case TAG_PARTIAL:
			if (find_source(t.name) == NULL)
				return -1;
			break;
		default:
			break;
		}
	}
	if (rc < 0 || depth != 0)
		return -1;
	return 0;
}

/*
 * Given the body of a section that starts at p (just after its opening
 * tag), find its closing tag in the already checked [p, end); fill close.
 * 0 or -1.
 */
static int
find_close(const char *p, const char *end, struct tag *close)
{
	size_t	depth = 0;

	while (next_tag(p, end, close) == 1) {
		p = close->end;
		if (close->kind == TAG_OPEN || close->kind == TAG_INV)
			depth++;
		else if (close->kind == TAG_CLOSE) {
			if (depth == 0)
				return 0;
			depth--;
		}
	}
	return -1;
}

static int render(struct buf *, const char *, const char *,
    const struct tpl_vars *, size_t);

/*
 * Render the checked template text over [p, end) into out with scope v;
 * depth counts the sections and partials entered so far.  0 or -1.
 */
static int
render(struct buf *out, const char *p, const char *end,
    const struct tpl_vars *v, size_t depth)
{
	const struct tpl_entry	*e;
	const struct tpl_item	*it;
	const char		*src;
	struct tag		 t, close;
	bool			 empty;

	while (next_tag(p, end, &t) == 1) {
		buf_append(out, p, (size_t)(t.start - p));
		p = t.end;
		switch (t.kind) {
		case TAG_VAR:
			esc_html(out, tpl_get(v, t.name));
			break;
		case TAG_URL:
			esc_url(out, tpl_get(v, t.name));
			break;
		case TAG_MSG:
			esc_html(out, msg_get(t.name));
			break;
		case TAG_COMMENT:
			break;
		case TAG_CLOSE:
			return -1;	/* unbalanced; check() prevents it */
		case TAG_PARTIAL:
			if (depth + 1 > TPL_MAX_DEPTH)
				return -1;
			if ((src = find_source(t.name)) == NULL ||
			    check(src, strlen(src)) == -1 ||
			    render(out, src, src + strlen(src), v,
			    depth + 1) == -1)
				return -1;
			break;
		case TAG_OPEN:
		case TAG_INV:
			if (depth + 1 > TPL_MAX_DEPTH)
				return -1;
			if (find_close(p, end, &close) == -1)
				return -1;
			e = lookup(v, t.name);
			if (t.kind == TAG_INV) {
				empty = e == NULL ||
				    (e->val != NULL && e->val[0] == '\0') ||
				    (e->val == NULL && e->nitems == 0);
				if (empty && render(out, p, close.start, v,
				    depth + 1) == -1)
					return -1;
			} else if (e != NULL && e->val != NULL) {
				if (e->val[0] != '\0' && render(out, p,
				    close.start, v, depth + 1) == -1)
					return -1;
			} else if (e != NULL) {
				for (it = e->first; it != NULL; it = it->next)
					if (render(out, p, close.start,
					    it->vars, depth + 1) == -1)
						return -1;
			}
			p = close.end;
			break;
		}
	}
	buf_append(out, p, (size_t)(end - p));
	return 0;
}

/*
 * Render the NUL-terminated template text into out with scope v (may be
 * NULL: every name missing).  Returns 0, or -1 on a malformed template
 * (unclosed "{{", bad name, unbalanced section, nesting over 16 levels,
 * unknown partial); out then holds a partial rendering not to be sent.
 */
int
tpl_render_text(struct buf *out, const char *text, const struct tpl_vars *v)
{
	size_t	n;

	if (text == NULL)
		return -1;
	n = strlen(text);
	if (check(text, n) == -1)
		return -1;
	return render(out, text, text + n, v, 0);
}

/*
 * Render the compiled template name into out with scope v.  Returns -1
 * if name is unknown, otherwise as tpl_render_text.
 */
int
tpl_render(struct buf *out, const char *name, const struct tpl_vars *v)
{
	const char	*src;

	if (name == NULL || (src = find_source(name)) == NULL)
		return -1;
	return tpl_render_text(out, src, v);
}
