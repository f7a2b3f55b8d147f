/*
 * portal-auth: "/", sign-in and sign-out.
 *
 * Unknown accounts cost one argon2id verification like known ones, and
 * every failure gives the same 401 message, so neither timing nor text
 * tells whether an address is registered.
 */
#include <string.h>

#include "app.h"

/*
 * Parameters of new hashes, from portal.conf.
 */
static struct argon2_params
hash_params(const struct config *c)
{
	struct argon2_params	 p = { c->argon2_m_kib, c->argon2_t,
	    c->argon2_p };

	return p;
}

/*
 * A hash with the current parameters to verify against when the account
 * does not exist (made once per process).
 */
static const char *
dummy_hash(struct ctx *ctx)
{
	struct argon2_params	 p = hash_params(&ctx->conf);

	if (ctx->dummy_hash[0] == '\0' &&
	    password_hash(&p, "portal-dummy-password-for-timing",
	    ctx->dummy_hash, sizeof(ctx->dummy_hash)) != 0)
		ctx->dummy_hash[0] = '\0';
	return ctx->dummy_hash;
}

static int
root(struct req *r)
{
	return req_redirect(r, r->sess != NULL ? "/profile" : "/login");
}

static int
login_form(struct req *r)
{
	if (r->sess != NULL)
		return req_redirect(r, "/profile");
	if (strcmp(req_param(r, "verified"), "1") == 0)
		req_set(r, "notice", msg_get("notice_verified"));
	req_ensure_token(r);
	return req_page(r, 200, "login", "title_login");
}

/*
 * The one answer for every failed sign-in.
 */
static int
login_failed(struct req *r, uint64_t target, const char *why)
{
	audit(r, "login", target, "fail", why);
	req_set(r, "form_error", msg_get("err_login_failed"));
	return req_page(r, 401, "login", "title_login");
}

static int
login_post(struct req *r)
{
	struct ctx		*ctx = r->ctx;
	struct argon2_params	 p = hash_params(&ctx->conf);
	const char		*email = req_param(r, "email");
	const char		*pw = req_param(r, "password");
	const char		*hash, *state;
	unsigned char		 idx[32];
	struct db_arg		 arg;
	struct db_res		 res;
	char			 newhash[PASSWORD_HASH_MAX];
	uint64_t		 id;
	enum role		 role;
	int			 rc, v;

	req_set(r, "email", email);
	if (*email == '\0')
		req_field_error(r, "email", "err_required");
	if (*pw == '\0')
		req_field_error(r, "password", "err_required");
	if (r->nerrs > 0)
		return req_page(r, 422, "login", "title_login");

	res.nrows = 0;
	if (v_email(email) == VERR_OK &&
	    member_email_index(&ctx->keys, email, idx) == 0) {
		arg = ARG_B(idx, sizeof(idx));
		rc = db_exec(ctx->db, &r->a, ST_MEMBER_BY_INDEX, &arg, 1,
		    &res);
		if (rc != DB_OK) {
			plog(LOG_ERR_, "login: %s", db_errstr(ctx->db));
			return req_error(r, 503, "err_unavailable");
		}
	}
	if (res.nrows == 0 || strlen(pw) > ctx->conf.password_max_length * 4) {
		(void)password_verify(dummy_hash(ctx), pw);
		return login_failed(r, 0, "unknown account");
	}
	id = db_u64(&res, 0, 0);
	hash = db_str(&res, 0, 1);
	role = role_parse(db_str(&res, 0, 2));
	state = db_str(&res, 0, 3);
	if ((v = password_verify(hash, pw)) != 0)
		return login_failed(r, id, v < 0 ? "bad stored hash" :
		    "wrong password");
	if (strcmp(state, "pending") == 0) {
		audit(r, "login", id, "fail", "not verified");
		req_set(r, "form_error", msg_get("err_not_verified"));
		return req_page(r, 401, "login", "title_login");
	}
	if (strcmp(state, "active") != 0 || role == ROLE__MAX)
		return login_failed(r, id, state);
	if (password_needs_rehash(hash, &p) &&
	    password_hash(&p, pw, newhash, sizeof(newhash)) == 0) {
		struct db_arg	 a2[2] = { ARG_S(newhash), ARG_I(id) };

		if (db_exec(ctx->db, &r->a, ST_MEMBER_SET_HASH, a2, 2,
		    NULL) != DB_OK)
			plog(LOG_WARN_, "rehash not stored: %s",
			    db_errstr(ctx->db));
		wipe(newhash, sizeof(newhash));
	}
	if (session_start(r, id, role) != DB_OK) {
		plog(LOG_ERR_, "session start: %s", db_errstr(ctx->db));
		return req_error(r, 503, "err_unavailable");
	}
	audit(r, "login", id, "ok", "");
	return req_redirect(r, "/profile");
}

static int
logout(struct req *r)
{
	if (r->sess != NULL)
		audit(r, "logout", r->sess->member_id, "ok", "");
	if (session_end(r) != DB_OK)
		plog(LOG_ERR_, "logout: %s", db_errstr(r->ctx->db));
	return req_redirect(r, "/login");
}

static const struct route routes[] = {
	{ M_GET, "/", ROLE_ANON, RF_NONE, root },
	{ M_GET, "/login", ROLE_ANON, RF_NONE, login_form },
	{ M_POST, "/login", ROLE_ANON, RF_NONE, login_post },
	{ M_POST, "/logout", ROLE_ANON, RF_NONE, logout },
};

int
main(void)
{
	return app_main("portal-auth", routes,
	    sizeof(routes) / sizeof(routes[0]));
}
