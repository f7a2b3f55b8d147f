/*
 * account.c: the account screens of portal-profile (AUTH-1, AUTH-5,
 * AUTH-6): password change (/profile/password), the member's sessions
 * (/profile/sessions) and withdrawal (/profile/withdraw).
 *
 * Every statement is scoped to the member named by the session, never by
 * the request: a session id posted to /profile/sessions/end is deleted
 * only together with the session's member id, so one member can never
 * end another's session.  Passwords are compared only by argon2id
 * verification; they reach neither the audit trail nor a log.
 */
#include <string.h>
#include <time.h>

#include "account.h"

/*
 * Check pw against the signed-in member's stored hash: *match is true
 * when it matches (a malformed stored hash is logged and counts as a
 * mismatch).  Returns 0, or the status of the error page it prepared.
 */
static int
self_verify(struct req *r, const char *pw, bool *match)
{
	struct db_arg	 arg = ARG_I(r->sess->member_id);
	struct db_res	 res;
	int		 v;

	*match = false;
	if (db_exec(r->ctx->db, &r->a, ST_MEMBER_HASH_GET, &arg, 1,
	    &res) != DB_OK) {
		plog(LOG_ERR_, "account: %s", db_errstr(r->ctx->db));
		return req_error(r, 503, "err_unavailable");
	}
	if (res.nrows == 0)
		return req_error(r, 404, "err_not_found");
	v = password_verify(db_str(&res, 0, 0), pw);
	if (v < 0)
		plog(LOG_ERR_, "account: stored hash of member %llu unusable",
		    (unsigned long long)r->sess->member_id);
	*match = v == 0;
	return 0;
}

/*
 * A MariaDB DATETIME (UTC) as ISO 8601 in the configured zone, in the
 * arena; "" if it does not parse.
 */
static const char *
db_time(struct req *r, const char *v)
{
	char	 iso[40];
	time_t	 t;

	if (time_parse_db(v, &t) != 0)
		return "";
	time_iso8601(iso, sizeof(iso), t);
	return arena_strdup(&r->a, iso);
}

/* ------------------------------------------------------------------ */
/* /profile/password */

static int
password_page(struct req *r, int status)
{
	struct policy	 p;

	policy_for_role(&r->ctx->conf, r->sess->role, &p);
	pwform_help(r, &p);
	return req_page(r, status, "password", "title_password");
}

int
account_password_form(struct req *r)
{
	return password_page(r, 200);
}

/* What the change transaction needs and returns. */
struct pwchange {
	struct req	*r;
	const char	*hash;
	uint64_t	 id;
	enum role	 role;
	uint64_t	 ended;		/* other sessions ended */
};

/*
 * Store the new hash, end every session of the member and start a new
 * one for this browser.  Deleting all rows (not "all but this one") keeps
 * a retried transaction correct: the old row is gone in every attempt.
 * Returns 0, 1 if the member is gone, or an enum db_err.
 */
static int
pwchange_txn(struct db *db, void *arg)
{
	struct pwchange	*c = arg;
	uint64_t	 ended;
	int		 rc;

	rc = member_set_password(db, &c->r->a, c->id, c->hash, &ended);
	if (rc != DB_OK)
		return rc;
	/* Not counting this browser's own session. */
	c->ended = ended > 0 ? ended - 1 : 0;
	return session_start(c->r, c->id, c->role);
}

int
account_password_post(struct req *r)
{
	struct ctx		*ctx = r->ctx;
	struct argon2_params	 p = password_params(&ctx->conf);
	const char		*cur = req_param(r, "current_password");
	const char		*pw = req_param(r, "new_password");
	const char		*pw2 = req_param(r, "new_password_confirm");
	struct session		*old_sess = r->sess;
	bool			 old_set = r->token_set, match = false;
	char			 old_token[TOKEN_B64 + 1];
	char			 hash[PASSWORD_HASH_MAX];
	struct policy		 pol;
	struct member		 m;
	struct pwchange		 c;
	int			 st, rc;

	if ((st = member_self(r, &m)) != 0)
		return st;
	if (*cur == '\0')
		req_field_error(r, "current_password", "err_required");
	else {
		if ((st = self_verify(r, cur, &match)) != 0)
			return st;
		if (!match)
			req_field_error(r, "current_password",
			    "err_current_password");
	}
	policy_for_role(&ctx->conf, r->sess->role, &pol);
	if (pwform_check(r, &pol, "new_password", pw, m.email, m.name,
	    m.name_kana) == 0 && match && strcmp(pw, cur) == 0)
		req_field_error(r, "new_password", "err_password_same");
	pwform_confirm(r, "new_password_confirm", pw, pw2);
	if (r->nerrs > 0) {
		audit(r, "password_change", m.id, "fail", match ?
		    "new password refused" : "current password wrong");
		return password_page(r, 422);
	}

	if (password_hash(&p, pw, hash, sizeof(hash)) != 0)
		return req_error(r, 500, "err_internal");
	memcpy(old_token, r->token, sizeof(old_token));
	memset(&c, 0, sizeof(c));
	c.r = r;
	c.hash = hash;
	c.id = m.id;
	c.role = r->sess->role;
	rc = db_txn(ctx->db, pwchange_txn, &c);
	wipe(hash, sizeof(hash));
	if (rc != 0) {
		/* Nothing changed: keep the browser on its old session. */
		memcpy(r->token, old_token, sizeof(old_token));
		r->token_set = old_set;
		r->sess = old_sess;
		if (rc == 1)
			return req_error(r, 404, "err_not_found");
		plog(LOG_ERR_, "password change: %s", db_errstr(ctx->db));
		return req_error(r, 503, "err_unavailable");
	}
	audit(r, "password_change", m.id, "ok", arena_printf(&r->a,
	    "other sessions ended: %llu", (unsigned long long)c.ended));
	/* The password is changed either way; notify logs its failure. */
	(void)notify_event(r, m.email, "password_changed", NULL);
	return req_redirect(r, "/profile?password_changed=1");
}

/* ------------------------------------------------------------------ */
/* /profile/sessions */

/* Notices of /profile/sessions?ended=... */
static const struct {
	const char	*value;
	const char	*msgkey;
} ended_notices[] = {
	{ "0", "notice_session_gone" },
	{ "1", "notice_session_ended" },
	{ "others", "notice_sessions_ended" },
};

int
account_sessions(struct req *r)
{
	const struct config	*conf = &r->ctx->conf;
	struct db_arg		 arg = ARG_I(r->sess->member_id);
	struct db_res		 res;
	struct tpl_vars		*item;
	const struct db_val	*h;
	const char		*ended = req_param(r, "ended");
	char			 hex[65];
	time_t			 now = time(NULL), t0, t1;
	size_t			 i, others = 0;

	if (db_exec(r->ctx->db, &r->a, ST_SESSION_LIST, &arg, 1,
	    &res) != DB_OK) {
		plog(LOG_ERR_, "sessions: %s", db_errstr(r->ctx->db));
		return req_error(r, 503, "err_unavailable");
	}
	for (i = 0; i < res.nrows; i++) {
		h = db_val(&res, i, 0);
		if (h->null || h->len != 32 ||
		    time_parse_db(db_str(&res, i, 1), &t0) != 0 ||
		    time_parse_db(db_str(&res, i, 2), &t1) != 0)
			continue;
		/* Rows past a timeout are dead already (purged later). */
		if (session_expired(conf, r->sess->role, (long long)(now - t0),
		    (long long)(now - t1)))
			continue;
		hex_encode(hex, h->p, 32);
		item = tpl_add(r->vars, "sessions");
		tpl_set(item, "id", arena_strdup(&r->a, hex));
		tpl_set(item, "started", db_time(r, db_str(&res, i, 1)));
		tpl_set(item, "last_seen", db_time(r, db_str(&res, i, 2)));
		tpl_set(item, "ip", db_str(&res, i, 3));
		tpl_set(item, "browser", db_str(&res, i, 4));
		if (memcmp(h->p, r->sess->hash, 32) == 0)
			tpl_set(item, "current", "1");
		else
			others++;
	}
	if (others > 0)
		req_set(r, "has_others", "1");
	for (i = 0; i < sizeof(ended_notices) / sizeof(ended_notices[0]); i++)
		if (strcmp(ended, ended_notices[i].value) == 0)
			req_set(r, "notice", msg_get(ended_notices[i].msgkey));
	return req_page(r, 200, "sessions", "title_sessions");
}

int
account_session_end(struct req *r)
{
	const char	*id = req_param(r, "id");
	unsigned char	 h[32];
	struct db_arg	 args[2];
	struct db_res	 res;

	if (strlen(id) != 64 || hex_decode(h, sizeof(h), id) != 0) {
		audit(r, "session_end", r->sess->member_id, "fail",
		    "malformed id");
		return req_error(r, 400, "err_bad_request");
	}
	if (memcmp(h, r->sess->hash, sizeof(h)) == 0) {
		/* The current session ends with "log out", not here. */
		audit(r, "session_end", r->sess->member_id, "fail",
		    "current session");
		return req_error(r, 400, "err_session_current");
	}
	args[0] = ARG_I(r->sess->member_id);
	args[1] = ARG_B(h, sizeof(h));
	if (db_exec(r->ctx->db, &r->a, ST_SESSION_DELETE_ONE, args, 2,
	    &res) != DB_OK) {
		plog(LOG_ERR_, "session end: %s", db_errstr(r->ctx->db));
		return req_error(r, 503, "err_unavailable");
	}
	if (res.affected != 1) {
		/* Gone already, or not this member's: nothing happened. */
		audit(r, "session_end", r->sess->member_id, "none",
		    "no such session of the member");
		return req_redirect(r, "/profile/sessions?ended=0");
	}
	audit(r, "session_end", r->sess->member_id, "ok", arena_printf(&r->a,
	    "session %.16s", id));
	return req_redirect(r, "/profile/sessions?ended=1");
}

int
account_sessions_end_others(struct req *r)
{
	struct db_arg	 args[2];
	struct db_res	 res;

	args[0] = ARG_I(r->sess->member_id);
	args[1] = ARG_B(r->sess->hash, sizeof(r->sess->hash));
	if (db_exec(r->ctx->db, &r->a, ST_SESSION_DELETE_OTHERS, args, 2,
	    &res) != DB_OK) {
		plog(LOG_ERR_, "sessions end: %s", db_errstr(r->ctx->db));
		return req_error(r, 503, "err_unavailable");
	}
	audit(r, "session_end_others", r->sess->member_id, "ok",
	    arena_printf(&r->a, "sessions ended: %llu",
	    (unsigned long long)res.affected));
	return req_redirect(r, "/profile/sessions?ended=others");
}

/* ------------------------------------------------------------------ */
/* /profile/withdraw */

/*
 * Operators and administrators are removed by another administrator
 * (portalctl user delete), so that the last administrator cannot lock
 * everybody out by accident; their page only explains that.
 */
static int
withdraw_page(struct req *r, int status)
{
	if (r->sess->role != ROLE_MEMBER)
		req_set(r, "staff", "1");
	return req_page(r, status, "withdraw", "title_withdraw");
}

int
account_withdraw_form(struct req *r)
{
	return withdraw_page(r, 200);
}

/*
 * The farewell mail: what happened and when; the address is used once
 * more after the row is gone and then forgotten with the request.
 */
static void
withdraw_mail(struct req *r, const char *addr)
{
	char	 when[40];

	time_iso8601(when, sizeof(when), time(NULL));
	(void)notify(r, addr, "withdrawn", arena_printf(&r->a, "%s%s",
	    msg_get("mail_notice_when"), when));
}

int
account_withdraw_post(struct req *r)
{
	const char	*pw = req_param(r, "password");
	struct db_arg	 arg;
	struct db_res	 res;
	struct member	 m;
	uint64_t	 id;
	bool		 match = false;
	int		 st;

	if (r->sess->role != ROLE_MEMBER) {
		audit(r, "withdraw", r->sess->member_id, "denied",
		    "staff account");
		return req_error(r, 403, "err_withdraw_staff");
	}
	if ((st = member_self(r, &m)) != 0)
		return st;
	if (*pw == '\0')
		req_field_error(r, "password", "err_required");
	else {
		if ((st = self_verify(r, pw, &match)) != 0)
			return st;
		if (!match)
			req_field_error(r, "password", "err_password_wrong");
	}
	if (strcmp(req_param(r, "confirm"), "1") != 0)
		req_field_error(r, "confirm", "err_withdraw_confirm");
	if (r->nerrs > 0) {
		audit(r, "withdraw", m.id, "fail", match ?
		    "not confirmed" : "password wrong");
		return withdraw_page(r, 422);
	}

	/* Sessions, tokens, browsers and recovery codes go with the row. */
	id = m.id;
	arg = ARG_I(id);
	if (db_exec(r->ctx->db, &r->a, ST_MEMBER_DELETE, &arg, 1,
	    &res) != DB_OK) {
		plog(LOG_ERR_, "withdraw: %s", db_errstr(r->ctx->db));
		return req_error(r, 503, "err_unavailable");
	}
	if (res.affected != 1)
		return req_error(r, 404, "err_not_found");
	/* The audit row keeps only the member id (actor and target). */
	audit(r, "withdraw", id, "ok", "");
	(void)session_end(r);
	withdraw_mail(r, m.email);
	return req_redirect(r, "/login?withdrawn=1");
}
