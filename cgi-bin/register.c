/*
 * portal-register: registration (/register, /register/sent) and mail
 * verification (/verify).
 *
 * The answer to a registration is the same whether the address is new or
 * not (no account enumeration): a new address gets a verification link,
 * a pending one a fresh link, an active one a notice to its owner.
 * GET /verify only shows a button; POST activates, so a mail scanner
 * that follows links activates nothing.
 */
#include <string.h>

#include "app.h"

/* Form keys of the profile part, with their validators. */
static const struct {
	const char	*key;
	enum verr	(*check)(const char *);
} fields[] = {
	{ "name", v_name },
	{ "name_kana", v_kana },
	{ "phone", v_phone },
	{ "postal_code", v_postal },
	{ "address", v_address },
};

/*
 * Variables every rendering of the form needs.
 */
static int
register_page(struct req *r, int status)
{
	struct policy	 p;

	policy_for_role(&r->ctx->conf, ROLE_MEMBER, &p);
	pwform_help(r, &p);
	req_ensure_token(r);
	return req_page(r, status, "register", "title_register");
}

static int
register_form(struct req *r)
{
	if (r->sess != NULL)
		return req_redirect(r, "/profile");
	return register_page(r, 200);
}

static int
register_sent(struct req *r)
{
	return req_page(r, 200, "register_sent", "title_register_sent");
}

/* What the registration transaction needs and returns. */
struct reg {
	struct req	*r;
	struct member	 m;
	const char	*hash;
	uint64_t	 id;
	char		 token[TOKEN_B64 + 1];
};

/*
 * Insert a verification token for member id; the text goes to out.
 */
static int
verify_token_insert(struct db *db, struct req *r, uint64_t id,
    char out[TOKEN_B64 + 1])
{
	struct db_arg	 args[4];
	unsigned char	 h[32];

	if (token_new(out, h) != 0)
		return DB_ERROR;
	args[0] = ARG_B(h, sizeof(h));
	args[1] = ARG_I(id);
	args[2] = ARG_S("verify");
	args[3] = ARG_I(r->ctx->conf.verify_token_ttl);
	return db_exec(db, &r->a, ST_TOKEN_INSERT, args, 4, NULL);
}

static int
reg_txn(struct db *db, void *arg)
{
	struct reg	*g = arg;
	int		 rc;

	rc = member_create(db, &g->r->a, &g->r->ctx->keys, &g->m, g->hash,
	    "pending", &g->id);
	if (rc != DB_OK)
		return rc;
	return verify_token_insert(db, g->r, g->id, g->token);
}

/*
 * The address is known: a fresh link if still pending, else a notice.
 */
static int
register_existing(struct req *r, const char *email, uint64_t id,
    const char *state)
{
	char	 tok[TOKEN_B64 + 1];
	int	 rc;

	if (strcmp(state, "pending") == 0) {
		rc = verify_token_insert(r->ctx->db, r, id, tok);
		if (rc != DB_OK) {
			plog(LOG_ERR_, "register: %s", db_errstr(r->ctx->db));
			return req_error(r, 503, "err_unavailable");
		}
		if (notify(r, email, "verify", arena_printf(&r->a,
		    "%s/verify?token=%s", r->ctx->conf.base_url, tok)) != 0)
			return req_error(r, 503, "err_mail");
		audit(r, "register", id, "resent", "pending address");
	} else {
		if (notify(r, email, "exists", arena_printf(&r->a,
		    "%s/login", r->ctx->conf.base_url)) != 0)
			return req_error(r, 503, "err_mail");
		audit(r, "register", id, "duplicate", "address in use");
	}
	return req_redirect(r, "/register/sent");
}

static int
register_post(struct req *r)
{
	struct ctx		*ctx = r->ctx;
	struct argon2_params	 p = password_params(&ctx->conf);
	const char		*email = req_param(r, "email");
	const char		*pw = req_param(r, "password");
	const char		*pw2 = req_param(r, "password_confirm");
	const char		*val[sizeof(fields) / sizeof(fields[0])];
	struct policy		 pol;
	char			 hash[PASSWORD_HASH_MAX];
	unsigned char		 idx[32];
	struct db_arg		 arg;
	struct db_res		 res;
	struct reg		 g;
	enum verr		 e;
	size_t			 i;
	int			 rc;

	if (r->sess != NULL)
		return req_redirect(r, "/profile");
	req_set(r, "email", email);
	if ((e = v_email(email)) != VERR_OK)
		req_field_error(r, "email", verr_msgkey(e));
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		val[i] = req_param(r, fields[i].key);
		req_set(r, fields[i].key, val[i]);
		if ((e = fields[i].check(val[i])) != VERR_OK)
			req_field_error(r, fields[i].key, verr_msgkey(e));
	}
	policy_for_role(&ctx->conf, ROLE_MEMBER, &pol);
	(void)pwform_check(r, &pol, "password", pw, email, val[0], val[1]);
	pwform_confirm(r, "password_confirm", pw, pw2);
	if (r->nerrs > 0)
		return register_page(r, 422);

	if (member_email_index(&ctx->keys, email, idx) != 0)
		return req_error(r, 500, "err_internal");
	arg = ARG_B(idx, sizeof(idx));
	if (db_exec(ctx->db, &r->a, ST_MEMBER_BY_INDEX, &arg, 1,
	    &res) != DB_OK) {
		plog(LOG_ERR_, "register: %s", db_errstr(ctx->db));
		return req_error(r, 503, "err_unavailable");
	}
	if (res.nrows > 0)
		return register_existing(r, email, db_u64(&res, 0, 0),
		    db_str(&res, 0, 3));

	if (password_hash(&p, pw, hash, sizeof(hash)) != 0)
		return req_error(r, 500, "err_internal");
	memset(&g, 0, sizeof(g));
	g.r = r;
	g.hash = hash;
	g.m.role = ROLE_MEMBER;
	g.m.email = email;
	g.m.name = val[0];
	g.m.name_kana = val[1];
	g.m.phone = val[2];
	g.m.postal_code = val[3];
	g.m.address = val[4];
	rc = db_txn(ctx->db, reg_txn, &g);
	wipe(hash, sizeof(hash));
	if (rc == DB_DUPLICATE) {
		/* Registered by a concurrent request: answer the same. */
		audit(r, "register", 0, "duplicate", "concurrent");
		return req_redirect(r, "/register/sent");
	}
	if (rc != 0) {
		plog(LOG_ERR_, "register: %s", db_errstr(ctx->db));
		return req_error(r, 503, "err_unavailable");
	}
	audit(r, "register", g.id, "ok", "");
	if (notify(r, email, "verify", arena_printf(&r->a,
	    "%s/verify?token=%s", ctx->conf.base_url, g.token)) != 0)
		return req_error(r, 503, "err_mail");
	return req_redirect(r, "/register/sent");
}

static int
verify_invalid(struct req *r)
{
	req_set(r, "form_error", msg_get("err_verify_invalid"));
	return req_page(r, 400, "verify_invalid", "title_verify");
}

static int
verify_form(struct req *r)
{
	const char	*token = req_param(r, "token");
	int		 rc;

	if (token_member(r->ctx->db, &r->a, token, "verify", &rc) == 0) {
		if (rc != DB_OK)
			return req_error(r, 503, "err_unavailable");
		return verify_invalid(r);
	}
	req_set(r, "token", token);
	req_ensure_token(r);
	return req_page(r, 200, "verify", "title_verify");
}

struct ver {
	struct req	*r;
	const char	*token;
	uint64_t	 id;
};

static int
verify_txn(struct db *db, void *arg)
{
	struct ver	*v = arg;
	struct db_arg	 args[2];
	struct db_res	 res;
	unsigned char	 h[32];
	int		 rc;

	v->id = token_member(db, &v->r->a, v->token, "verify", &rc);
	if (v->id == 0)
		return rc != DB_OK ? rc : 1;
	(void)token_hash(v->token, h);
	args[0] = ARG_B(h, sizeof(h));
	args[1] = ARG_S("verify");
	if ((rc = db_exec(db, &v->r->a, ST_TOKEN_USE, args, 2, &res)) != DB_OK)
		return rc;
	if (res.affected != 1)
		return 1;
	args[0] = ARG_I(v->id);
	return db_exec(db, &v->r->a, ST_MEMBER_ACTIVATE, args, 1, NULL);
}

static int
verify_post(struct req *r)
{
	struct ver	 v = { r, req_param(r, "token"), 0 };
	int		 rc;

	rc = db_txn(r->ctx->db, verify_txn, &v);
	if (rc == 1) {
		audit(r, "verify", 0, "fail", "invalid token");
		return verify_invalid(r);
	}
	if (rc != 0) {
		plog(LOG_ERR_, "verify: %s", db_errstr(r->ctx->db));
		return req_error(r, 503, "err_unavailable");
	}
	audit(r, "verify", v.id, "ok", "");
	return req_redirect(r, "/login?verified=1");
}

static const struct route routes[] = {
	{ M_GET, "/register", ROLE_ANON, RF_NONE, register_form },
	{ M_POST, "/register", ROLE_ANON, RF_NONE, register_post },
	{ M_GET, "/register/sent", ROLE_ANON, RF_NONE, register_sent },
	{ M_GET, "/verify", ROLE_ANON, RF_NONE, verify_form },
	{ M_POST, "/verify", ROLE_ANON, RF_NONE, verify_post },
};

int
main(void)
{
	return app_main("portal-register", routes,
	    sizeof(routes) / sizeof(routes[0]));
}
