/*
 * portal-reset: password reset by mail (AUTH-1, AUTH-3, AUTH-6): /reset,
 * /reset/sent and /reset/confirm.
 *
 * The answer to a request is the same 303 to /reset/sent whether the
 * address is registered or not; neither path hashes a password and both
 * answer after the same minimum time (ANSWER_MS), so the time taken does
 * not tell either.  Only an active or locked member
 * gets a mail (a reset clears a lock).  The link carries 256 random bits;
 * the database keeps only their SHA-256, the link works once and for
 * reset_token_ttl seconds, and a new request voids the earlier links.
 * GET /reset/confirm only shows the form; the POST checks the member's
 * password policy, stores the new hash, uses the token in the same
 * transaction and ends every session of the member.  A member with TOTP
 * still gives a code at the next sign-in: nothing here signs anyone in.
 * Hashing, so this program is its own mod_fcgid class.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "app.h"

#define PURPOSE	"reset"

/*
 * Every well-formed request is answered after at least this long, so the
 * extra work for a known address (a transaction and the mail command,
 * about 10 ms here) does not show in the response time.  Only this
 * program's processes wait (its own mod_fcgid class).
 */
#define ANSWER_MS	100
/* Reset links one member can be sent in an hour. */
#define RESET_PER_HOUR	5

/* A member in this state may reset: active, or locked (the reset unlocks). */
static bool
may_reset(const char *state)
{
	return strcmp(state, "active") == 0 || strcmp(state, "locked") == 0;
}

/* ------------------------------------------------------------------ */
/* /reset, /reset/sent */

/* Milliseconds of the monotonic clock. */
static long long
now_ms(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Redirect to /reset/sent once ANSWER_MS have passed since start: the
 * one answer to every well-formed request.
 */
static int
request_done(struct req *r, long long start)
{
	struct timespec	 ts;
	long long	 left = start + ANSWER_MS - now_ms();

	if (start > 0 && left > 0 && left <= ANSWER_MS) {
		ts.tv_sec = (time_t)(left / 1000);
		ts.tv_nsec = (long)(left % 1000) * 1000000L;
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			continue;
	}
	return req_redirect(r, "/reset/sent");
}

static int
request_page(struct req *r, int status)
{
	req_ensure_token(r);
	return req_page(r, status, "reset", "title_reset");
}

static int
request_form(struct req *r)
{
	return request_page(r, 200);
}

static int
request_sent(struct req *r)
{
	return req_page(r, 200, "reset_sent", "title_reset_sent");
}

/* What the request transaction needs and returns. */
struct rq {
	struct req	*r;
	uint64_t	 id;
	char		 token[TOKEN_B64 + 1];
};

/*
 * Void the member's earlier reset links and insert a new one (its text
 * into q->token).  DB_OK or an enum db_err.
 */
static int
request_txn(struct db *db, void *arg)
{
	struct rq	*q = arg;
	struct db_arg	 args[4];
	unsigned char	 h[32];
	int		 rc;

	args[0] = ARG_I(q->id);
	args[1] = ARG_S(PURPOSE);
	rc = db_exec(db, &q->r->a, ST_TOKEN_INVALIDATE, args, 2, NULL);
	if (rc != DB_OK)
		return rc;
	if (token_new(q->token, h) != 0)
		return DB_ERROR;
	args[0] = ARG_B(h, sizeof(h));
	args[1] = ARG_I(q->id);
	args[2] = ARG_S(PURPOSE);
	args[3] = ARG_I(q->r->ctx->conf.reset_token_ttl);
	return db_exec(db, &q->r->a, ST_TOKEN_INSERT, args, 4, NULL);
}

/*
 * A registered member asked for a reset: a new link by mail.  Whatever
 * happens, the client gets the same answer as for an unknown address.
 */
static int
request_known(struct req *r, uint64_t id, long long start)
{
	struct ctx	*ctx = r->ctx;
	struct member	 m;
	struct rq	 q;
	struct db_arg	 args[3];
	struct db_res	 res;
	char		 until[40];
	int		 rc;

	rc = member_load(ctx->db, &r->a, &ctx->keys, id, &m);
	if (rc != DB_OK) {
		plog(LOG_ERR_, "reset request: member %llu not loaded (%d)",
		    (unsigned long long)id, rc);
		return request_done(r, start);
	}
	/* At most RESET_PER_HOUR links an hour, so nobody can flood a
	 * member's mailbox; the answer stays the same. */
	args[0] = ARG_I(id);
	args[1] = ARG_S(PURPOSE);
	args[2] = ARG_I(3600);
	if (db_exec(ctx->db, &r->a, ST_TOKEN_RECENT, args, 3, &res) !=
	    DB_OK) {
		plog(LOG_ERR_, "reset request: %s", db_errstr(ctx->db));
		return request_done(r, start);
	}
	if (db_u64(&res, 0, 0) >= RESET_PER_HOUR) {
		audit(r, "reset_request", id, "ignored", "too many requests");
		return request_done(r, start);
	}
	memset(&q, 0, sizeof(q));
	q.r = r;
	q.id = id;
	if ((rc = db_txn(ctx->db, request_txn, &q)) != 0) {
		plog(LOG_ERR_, "reset request: %s", db_errstr(ctx->db));
		audit(r, "reset_request", id, "fail", "token not stored");
		return request_done(r, start);
	}
	time_iso8601(until, sizeof(until), time(NULL) +
	    (time_t)ctx->conf.reset_token_ttl);
	if (notify(r, m.email, "reset", arena_printf(&r->a,
	    "%s/reset/confirm?token=%s\n\n%s%s", ctx->conf.base_url, q.token,
	    msg_get("mail_reset_expires"), until)) != 0)
		rc = -1;
	wipe(q.token, sizeof(q.token));
	if (rc != 0) {
		audit(r, "reset_request", id, "fail", "mail not sent");
		return request_done(r, start);
	}
	audit(r, "reset_request", id, "ok", "link sent");
	return request_done(r, start);
}

static int
request_post(struct req *r)
{
	struct ctx	*ctx = r->ctx;
	const char	*email = req_param(r, "email");
	long long	 start = now_ms();
	unsigned char	 idx[32];
	struct db_arg	 arg;
	struct db_res	 res;
	enum verr	 e;

	req_set(r, "email", email);
	if ((e = v_email(email)) != VERR_OK) {
		req_field_error(r, "email", verr_msgkey(e));
		return request_page(r, 422);
	}
	if (member_email_index(&ctx->keys, email, idx) != 0)
		return req_error(r, 500, "err_internal");
	arg = ARG_B(idx, sizeof(idx));
	if (db_exec(ctx->db, &r->a, ST_MEMBER_BY_INDEX, &arg, 1,
	    &res) != DB_OK) {
		plog(LOG_ERR_, "reset request: %s", db_errstr(ctx->db));
		return req_error(r, 503, "err_unavailable");
	}
	if (res.nrows == 0) {
		audit(r, "reset_request", 0, "ignored", "unknown address");
		return request_done(r, start);
	}
	if (!may_reset(db_str(&res, 0, 3))) {
		audit(r, "reset_request", db_u64(&res, 0, 0), "ignored",
		    arena_printf(&r->a, "state %s", db_str(&res, 0, 3)));
		return request_done(r, start);
	}
	return request_known(r, db_u64(&res, 0, 0), start);
}

/* ------------------------------------------------------------------ */
/* /reset/confirm */

/*
 * Load into m the member of a live token who may still reset.  Returns
 * 0, 1 when the link is not (or no longer) usable, or an enum db_err.
 */
static int
confirm_member(struct req *r, const char *token, struct member *m)
{
	uint64_t	 id;
	int		 rc;

	if ((id = token_member(r->ctx->db, &r->a, token, PURPOSE, &rc)) == 0)
		return rc != DB_OK ? rc : 1;
	rc = member_load(r->ctx->db, &r->a, &r->ctx->keys, id, m);
	if (rc != DB_OK)
		return rc;
	return may_reset(m->state) ? 0 : 1;
}

static int
confirm_invalid(struct req *r)
{
	req_set(r, "form_error", msg_get("err_reset_invalid"));
	return req_page(r, 400, "reset_invalid", "title_reset_confirm");
}

static int
confirm_page(struct req *r, int status, const struct member *m,
    const char *token)
{
	struct policy	 p;

	policy_for_role(&r->ctx->conf, m->role, &p);
	pwform_help(r, &p);
	req_set(r, "token", token);
	req_ensure_token(r);
	return req_page(r, status, "reset_confirm", "title_reset_confirm");
}

static int
confirm_form(struct req *r)
{
	const char	*token = req_param(r, "token");
	struct member	 m;
	int		 rc;

	if ((rc = confirm_member(r, token, &m)) == 1)
		return confirm_invalid(r);
	if (rc != 0) {
		plog(LOG_ERR_, "reset confirm: %s", db_errstr(r->ctx->db));
		return req_error(r, 503, "err_unavailable");
	}
	return confirm_page(r, 200, &m, token);
}

/* What the confirm transaction needs and returns. */
struct cf {
	struct req	*r;
	const char	*token;
	const char	*hash;
	uint64_t	 id;
	uint64_t	 ended;		/* sessions ended */
};

/*
 * Use the token (it must still be live and the member's), store the
 * hash (which also clears a lock), void the other reset links and end
 * every session.  Returns 0, 1 if the token is no longer usable, or an
 * enum db_err.
 */
static int
confirm_txn(struct db *db, void *arg)
{
	struct cf	*c = arg;
	struct db_arg	 args[2];
	struct db_res	 res;
	unsigned char	 h[32];
	int		 rc;

	if (token_member(db, &c->r->a, c->token, PURPOSE, &rc) != c->id)
		return rc != DB_OK ? rc : 1;
	(void)token_hash(c->token, h);
	args[0] = ARG_B(h, sizeof(h));
	args[1] = ARG_S(PURPOSE);
	if ((rc = db_exec(db, &c->r->a, ST_TOKEN_USE, args, 2, &res)) != DB_OK)
		return rc;
	if (res.affected != 1)
		return 1;
	args[0] = ARG_I(c->id);
	args[1] = ARG_S(PURPOSE);
	rc = db_exec(db, &c->r->a, ST_TOKEN_INVALIDATE, args, 2, NULL);
	if (rc != DB_OK)
		return rc;
	return member_set_password(db, &c->r->a, c->id, c->hash, &c->ended);
}

static int
confirm_post(struct req *r)
{
	struct ctx		*ctx = r->ctx;
	struct argon2_params	 p = password_params(&ctx->conf);
	const char		*token = req_param(r, "token");
	const char		*pw = req_param(r, "new_password");
	const char		*pw2 = req_param(r, "new_password_confirm");
	char			 hash[PASSWORD_HASH_MAX];
	struct policy		 pol;
	struct member		 m;
	struct cf		 c;
	int			 rc;

	if ((rc = confirm_member(r, token, &m)) == 1) {
		audit(r, "password_reset", 0, "fail", "invalid token");
		return confirm_invalid(r);
	}
	if (rc != 0) {
		plog(LOG_ERR_, "reset confirm: %s", db_errstr(ctx->db));
		return req_error(r, 503, "err_unavailable");
	}
	policy_for_role(&ctx->conf, m.role, &pol);
	(void)pwform_check(r, &pol, "new_password", pw, m.email, m.name,
	    m.name_kana);
	pwform_confirm(r, "new_password_confirm", pw, pw2);
	if (r->nerrs > 0) {
		audit(r, "password_reset", m.id, "fail",
		    "new password refused");
		return confirm_page(r, 422, &m, token);
	}

	if (password_hash(&p, pw, hash, sizeof(hash)) != 0)
		return req_error(r, 500, "err_internal");
	memset(&c, 0, sizeof(c));
	c.r = r;
	c.token = token;
	c.hash = hash;
	c.id = m.id;
	rc = db_txn(ctx->db, confirm_txn, &c);
	wipe(hash, sizeof(hash));
	if (rc == 1) {
		audit(r, "password_reset", m.id, "fail", "token used meanwhile");
		return confirm_invalid(r);
	}
	if (rc != 0) {
		plog(LOG_ERR_, "reset confirm: %s", db_errstr(ctx->db));
		return req_error(r, 503, "err_unavailable");
	}
	audit(r, "password_reset", m.id, "ok", arena_printf(&r->a,
	    "sessions ended: %llu", (unsigned long long)c.ended));
	/* This browser's session, if it was the member's, is gone too. */
	if (r->sess != NULL && r->sess->member_id == m.id)
		(void)session_end(r);
	(void)notify_event(r, m.email, "password_reset", NULL);
	return req_redirect(r, "/login?reset=1");
}

static const struct route routes[] = {
	{ M_GET, "/reset", ROLE_ANON, RF_NONE, request_form },
	{ M_POST, "/reset", ROLE_ANON, RF_NONE, request_post },
	{ M_GET, "/reset/sent", ROLE_ANON, RF_NONE, request_sent },
	{ M_GET, "/reset/confirm", ROLE_ANON, RF_NONE, confirm_form },
	{ M_POST, "/reset/confirm", ROLE_ANON, RF_NONE, confirm_post },
};

int
main(void)
{
	return app_main("portal-reset", routes,
	    sizeof(routes) / sizeof(routes[0]));
}
