/*
 * notify.c: mails to members.  Text comes from the message catalogue;
 * headers are built by mail_build, which refuses CR/LF in any value.
 */
#include <string.h>
#include <time.h>

#include "app.h"

int
notify(struct req *r, const char *addr, const char *kind, const char *link)
{
	const struct config	*c = &r->ctx->conf;
	const char		*subject, *body, *foot;
	struct buf		 text, msg;
	struct mail		 m;
	enum mail_err		 e;

	subject = msg_get(arena_printf(&r->a, "mail_%s_subject", kind));
	body = msg_get(arena_printf(&r->a, "mail_%s_body", kind));
	foot = msg_get("mail_footer");
	if (subject == NULL || body == NULL || foot == NULL) {
		plog(LOG_ERR_, "mail %s: catalogue text missing", kind);
		return -1;
	}
	buf_init(&text, &r->a);
	buf_puts(&text, body);
	buf_puts(&text, "\n\n");
	if (link != NULL) {
		buf_puts(&text, link);
		buf_puts(&text, "\n\n");
	}
	buf_puts(&text, foot);
	buf_puts(&text, "\n");
	memset(&m, 0, sizeof(m));
	m.from = c->mail_from;
	m.from_name = c->mail_from_name;
	m.to = addr;
	m.subject = subject;
	m.body = text.p;
	buf_init(&msg, &r->a);
	if ((e = mail_build(&msg, &m, time(NULL))) != MAIL_OK) {
		plog(LOG_ERR_, "mail %s refused by the builder (%d)", kind,
		    (int)e);
		return -1;
	}
	if ((e = mail_send(c->mail_command, msg.p, msg.len)) != MAIL_OK) {
		plog(LOG_ERR_, "mail %s not sent: command failed (%d)", kind,
		    (int)e);
		return -1;
	}
	return 0;
}
