/*
 * session.c: server-side sessions.  The cookie carries 256 random bits;
 * the database stores only their SHA-256.  A new token is issued at
 * sign-in (no fixation), rows die at logout and after the idle and
 * absolute timeouts of the member's role.
 */
#include <string.h>

#include "app.h"

/* last_seen is written at most this often (seconds). */
#define TOUCH_EVERY	60

bool
session_token_ok(const char *t)
{
	size_t	 i;

	if (t == NULL)
		return false;
	for (i = 0; t[i] != '\0'; i++) {
		char c = t[i];

		if (i >= TOKEN_B64)
			return false;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return i == TOKEN_B64;
}

bool
session_expired(const struct config *c, enum role role, long long age_s,
    long long idle_s)
{
	unsigned	 idle, abs;

	if (role == ROLE_ADMIN || role == ROLE_OPERATOR) {
		idle = c->admin_session_idle;
		abs = c->admin_session_absolute;
	} else {
		idle = c->session_idle;
		abs = c->session_absolute;
	}
	return age_s < 0 || idle_s < 0 || age_s >= (long long)abs ||
	    idle_s >= (long long)idle;
}

/*
 * Replace the cookie token with a fresh anonymous one.
 */
static void
session_new_anonymous(struct req *r)
{
	unsigned char	 h[32];

	if (token_new(r->token, h) == 0)
		r->token_set = true;
	else
		r->token[0] = '\0';
}

int
session_load(struct req *r)
{
	struct db_arg	 arg;
	struct db_res	 res;
	unsigned char	 h[32];
	enum role	 role;
	long long	 age, idle;
	int		 rc;

	r->sess = NULL;
	if (!session_token_ok(r->token))
		return DB_OK;
	sha256(r->token, TOKEN_B64, h);
	arg = ARG_B(h, sizeof(h));
	rc = db_exec(r->ctx->db, &r->a, ST_SESSION_GET, &arg, 1, &res);
	if (rc != DB_OK)
		return rc;
	if (res.nrows == 0)
		return DB_OK;
	role = role_parse(db_str(&res, 0, 1));
	age = (long long)db_u64(&res, 0, 3);
	idle = (long long)db_u64(&res, 0, 4);
	if (role == ROLE__MAX || strcmp(db_str(&res, 0, 2), "active") != 0 ||
	    session_expired(&r->ctx->conf, role, age, idle)) {
		rc = db_exec(r->ctx->db, &r->a, ST_SESSION_DELETE, &arg, 1,
		    NULL);
		session_new_anonymous(r);
		return rc;
	}
	r->sess = arena_alloc(&r->a, sizeof(*r->sess));
	r->sess->member_id = db_u64(&res, 0, 0);
	r->sess->role = role;
	r->sess->mfa_pending = db_u64(&res, 0, 5) != 0;
	r->sess->totp_enabled = db_u64(&res, 0, 6) != 0;
	memcpy(r->sess->hash, h, sizeof(h));
	if (idle >= TOUCH_EVERY)
		rc = db_exec(r->ctx->db, &r->a, ST_SESSION_TOUCH, &arg, 1,
		    NULL);
	return rc;
}

static int
start(struct req *r, uint64_t member_id, enum role role, bool pending)
{
	struct db_arg	 args[4];
	unsigned char	 h[32];
	char		 ua[256], text[TOKEN_B64 + 1];
	int		 rc;

	if (session_token_ok(r->token)) {
		sha256(r->token, TOKEN_B64, h);
		args[0] = ARG_B(h, sizeof(h));
		rc = db_exec(r->ctx->db, &r->a, ST_SESSION_DELETE, args, 1,
		    NULL);
		if (rc != DB_OK)
			return rc;
	}
	if (token_new(text, h) != 0)
		return DB_ERROR;
	esc_ascii(ua, sizeof(ua), r->user_agent);
	args[0] = ARG_B(h, sizeof(h));
	args[1] = ARG_I(member_id);
	args[2] = ARG_S(r->remote_addr != NULL ? r->remote_addr : "");
	args[3] = ARG_S(ua);
	rc = db_exec(r->ctx->db, &r->a, pending ? ST_SESSION_INSERT_PENDING :
	    ST_SESSION_INSERT, args, 4, NULL);
	if (rc != DB_OK)
		return rc;
	memcpy(r->token, text, sizeof(text));
	r->token_set = true;
	r->token_clear = false;
	r->sess = arena_alloc(&r->a, sizeof(*r->sess));
	r->sess->member_id = member_id;
	r->sess->role = role;
	r->sess->mfa_pending = pending;
	r->sess->totp_enabled = pending;
	memcpy(r->sess->hash, h, sizeof(h));
	return DB_OK;
}

int
session_start(struct req *r, uint64_t member_id, enum role role)
{
	return start(r, member_id, role, false);
}

int
session_start_pending(struct req *r, uint64_t member_id, enum role role)
{
	return start(r, member_id, role, true);
}

int
session_end(struct req *r)
{
	struct db_arg	 arg;
	unsigned char	 h[32];
	int		 rc = DB_OK;

	if (session_token_ok(r->token)) {
		sha256(r->token, TOKEN_B64, h);
		arg = ARG_B(h, sizeof(h));
		rc = db_exec(r->ctx->db, &r->a, ST_SESSION_DELETE, &arg, 1,
		    NULL);
	}
	r->sess = NULL;
	r->token[0] = '\0';
	r->token_set = false;
	r->token_clear = true;
	return rc;
}
