/*
 * notify.c: mails to members.  Text comes from the message catalogue;
 * headers are built by mail_build, which refuses CR/LF in any value.
 */
#include <string.h>
#include <time.h>

#include "app.h"

/*
 * Build and send one mail: subject and body from the catalogue, then
 * the lines of extra text, then the footer.
 */
static int
send_text(struct req *r, const char *addr, const char *kind,
    const char *extra)
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
	if (extra != NULL) {
		buf_puts(&text, extra);
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

int
notify(struct req *r, const char *addr, const char *kind, const char *link)
{
	return send_text(r, addr, kind, link);
}

int
notify_event(struct req *r, const char *addr, const char *kind,
    const char *extra)
{
	struct buf	 b;
	char		 when[40];

	time_iso8601(when, sizeof(when), time(NULL));
	buf_init(&b, &r->a);
	buf_printf(&b, "%s%s\n%s%s\n", msg_get("mail_notice_when"), when,
	    msg_get("mail_notice_from"), r->remote_addr != NULL ?
	    r->remote_addr : "-");
	if (extra != NULL)
		buf_printf(&b, "%s\n", extra);
	buf_printf(&b, "\n%s", msg_get("mail_notice_advice"));
	return send_text(r, addr, kind, b.p);
}
