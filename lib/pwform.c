/*
 * pwform.c: the password field of the registration, change and reset
 * forms: the help text composed from the active policy, and every failed
 * rule listed next to the field (AUTH-1).
 */
#include <string.h>

#include "app.h"

void
pwform_help(struct req *r, const struct policy *p)
{
	struct buf	 b;

	buf_init(&b, &r->a);
	buf_printf(&b, "%s%u%s%u%s", msg_get("help_password_a"), p->min_len,
	    msg_get("help_password_b"), p->max_len, msg_get("help_password_len"));
	if (p->min_classes >= 4)
		buf_puts(&b, msg_get("help_password_c"));
	else
		buf_printf(&b, "%s%u%s", msg_get("help_password_classes_a"),
		    p->min_classes, msg_get("help_password_classes_b"));
	if (p->check_common)
		buf_puts(&b, msg_get("help_password_common"));
	if (p->check_personal)
		buf_puts(&b, msg_get("help_password_personal"));
	req_set(r, "password_help", b.p);
}

unsigned
pwform_check(struct req *r, const struct policy *p, const char *field,
    const char *pw, const char *email, const char *name, const char *kana)
{
	const char	*keys[PR__MAX];
	struct tpl_vars	*item;
	unsigned	 n, i;

	n = policy_check_all(p, pw, email, name, kana, keys, PR__MAX);
	if (n == 0)
		return 0;
	if (n == 1) {
		req_field_error(r, field, keys[0]);
		return 1;
	}
	req_field_error(r, field, "err_password_rules");
	for (i = 0; i < n && i < PR__MAX; i++) {
		item = tpl_add(r->vars, arena_printf(&r->a, "%s_failures",
		    field));
		tpl_set(item, "text", msg_get(keys[i]));
	}
	return n;
}

void
pwform_confirm(struct req *r, const char *field, const char *pw,
    const char *pw2)
{
	if (*pw2 == '\0')
		req_field_error(r, field, "err_required");
	else if (strcmp(pw, pw2) != 0)
		req_field_error(r, field, "err_password_mismatch");
}
