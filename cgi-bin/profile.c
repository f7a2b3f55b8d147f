/*
 * portal-profile: a member sees and edits their own data (/profile); the
 * account screens (/profile/password, /profile/sessions, /profile/withdraw)
 * are in account.c, routed from the table below.
 * The member id always comes from the session, never from the request,
 * so one member cannot name another's row.  Edits use optimistic locking
 * (version) so a concurrent change is never overwritten silently.
 */
#include <string.h>
#include <time.h>

#include "account.h"

static const struct {
	const char	*key;
	enum verr	(*check)(const char *);
	enum pii_col	 col;
} fields[] = {
	{ "name", v_name, PC_NAME },
	{ "name_kana", v_kana, PC_KANA },
	{ "phone", v_phone, PC_PHONE },
	{ "postal_code", v_postal, PC_POSTAL },
	{ "address", v_address, PC_ADDRESS },
};
#define NFIELDS	(sizeof(fields) / sizeof(fields[0]))

/*
 * Set the "last sign-in" part of the page (AUTH-6): the sign-in before
 * the current one (time in the configured zone, address) and the failed
 * attempts between the two, or nothing for a first sign-in.  The part is
 * left out when the row cannot be read (logged).
 */
static void
login_vars(struct req *r, uint64_t id)
{
	struct db_arg	 arg = ARG_I(id);
	struct db_res	 res;
	char		 iso[40];
	time_t		 t;
	uint64_t	 failures;

	if (db_exec(r->ctx->db, &r->a, ST_MEMBER_LOGIN_INFO, &arg, 1,
	    &res) != DB_OK || res.nrows != 1) {
		plog(LOG_ERR_, "profile login info: %s", db_errstr(r->ctx->db));
		return;
	}
	req_set(r, "login_info", "1");
	if (db_val(&res, 0, 0)->null ||
	    time_parse_db(db_str(&res, 0, 0), &t) != 0)
		return;
	time_iso8601(iso, sizeof(iso), t);
	req_set(r, "last_login_at", arena_strdup(&r->a, iso));
	req_set(r, "last_login_ip", db_str(&res, 0, 1));
	failures = db_u64(&res, 0, 2);
	tpl_setf(r->vars, "last_login_failures", "%llu",
	    (unsigned long long)failures);
	if (failures > 0)
		req_set(r, "last_login_warning", "1");
}

/*
 * Set the account part of the page (mail, registration time, version,
 * last sign-in).
 */
static void
account_vars(struct req *r, const struct member *m)
{
	char	 iso[40];
	time_t	 t;

	req_set(r, "email", m->email);
	if (time_parse_db(m->created_at, &t) == 0) {
		time_iso8601(iso, sizeof(iso), t);
		req_set(r, "created_at", arena_strdup(&r->a, iso));
	}
	tpl_setf(r->vars, "version", "%u", m->version);
	login_vars(r, m->id);
}

static int
profile_view(struct req *r)
{
	struct member	 m;
	int		 st;

	if ((st = member_self(r, &m)) != 0)
		return st;
	account_vars(r, &m);
	req_set(r, "name", m.name);
	req_set(r, "name_kana", m.name_kana);
	req_set(r, "phone", m.phone);
	req_set(r, "postal_code", m.postal_code);
	req_set(r, "address", m.address);
	if (strcmp(req_param(r, "saved"), "1") == 0)
		req_set(r, "notice", msg_get("notice_saved"));
	else if (strcmp(req_param(r, "password_changed"), "1") == 0)
		req_set(r, "notice", msg_get("notice_password_changed"));
	return req_page(r, 200, "profile", "title_profile");
}

/*
 * Strict decimal version from the form; 0 if malformed.
 */
static unsigned
parse_version(const char *s)
{
	unsigned long	 n = 0;

	if (*s == '\0' || strlen(s) > 9)
		return 0;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		n = n * 10 + (unsigned long)(*s - '0');
	}
	return (unsigned)n;
}

static int
profile_save(struct req *r)
{
	struct ctx	*ctx = r->ctx;
	struct member	 m;
	struct db_arg	 args[7];
	struct db_res	 res;
	const char	*val[NFIELDS];
	unsigned char	*blob;
	size_t		 blen, i;
	unsigned	 version;
	enum verr	 e;
	int		 st, rc;

	if ((st = member_self(r, &m)) != 0)
		return st;
	for (i = 0; i < NFIELDS; i++) {
		val[i] = req_param(r, fields[i].key);
		req_set(r, fields[i].key, val[i]);
		if ((e = fields[i].check(val[i])) != VERR_OK)
			req_field_error(r, fields[i].key, verr_msgkey(e));
	}
	version = parse_version(req_param(r, "version"));
	if (r->nerrs > 0 || version == 0) {
		account_vars(r, &m);
		if (version != 0)
			tpl_setf(r->vars, "version", "%u", version);
		return req_page(r, 422, "profile", "title_profile");
	}
	for (i = 0; i < NFIELDS; i++) {
		if (member_encrypt(&r->a, &ctx->keys, m.id, fields[i].col,
		    val[i], &blob, &blen) != 0)
			return req_error(r, 500, "err_internal");
		args[i] = ARG_B(blob, blen);
	}
	args[5] = ARG_I(m.id);
	args[6] = ARG_I(version);
	rc = db_exec(ctx->db, &r->a, ST_MEMBER_UPDATE_PROFILE, args, 7, &res);
	if (rc != DB_OK) {
		plog(LOG_ERR_, "profile save: %s", db_errstr(ctx->db));
		return req_error(r, 503, "err_unavailable");
	}
	if (res.affected != 1) {
		/* Changed elsewhere since the form was shown. */
		audit(r, "profile_update", m.id, "conflict", "stale version");
		account_vars(r, &m);
		req_set(r, "form_error", msg_get("err_conflict"));
		return req_page(r, 409, "profile", "title_profile");
	}
	audit(r, "profile_update", m.id, "ok", "");
	return req_redirect(r, "/profile?saved=1");
}

static const struct route routes[] = {
	{ M_GET, "/profile", ROLE_MEMBER, RF_NONE, profile_view },
	{ M_GET, "/profile/mfa", ROLE_MEMBER, RF_ENROL, mfa_view },
	{ M_POST, "/profile/mfa", ROLE_MEMBER, RF_ENROL, mfa_post },
	{ M_GET, "/profile/mfa/qr", ROLE_MEMBER, RF_ENROL, mfa_qr },
	{ M_POST, "/profile", ROLE_MEMBER, RF_NONE, profile_save },
	/* cgi-bin/account.c */
	{ M_GET, "/profile/password", ROLE_MEMBER, RF_NONE,
	    account_password_form },
	{ M_POST, "/profile/password", ROLE_MEMBER, RF_NONE,
	    account_password_post },
	{ M_GET, "/profile/sessions", ROLE_MEMBER, RF_NONE, account_sessions },
	{ M_POST, "/profile/sessions/end", ROLE_MEMBER, RF_NONE,
	    account_session_end },
	{ M_POST, "/profile/sessions/end-others", ROLE_MEMBER, RF_NONE,
	    account_sessions_end_others },
	{ M_GET, "/profile/withdraw", ROLE_MEMBER, RF_NONE,
	    account_withdraw_form },
	{ M_POST, "/profile/withdraw", ROLE_MEMBER, RF_NONE,
	    account_withdraw_post },
};

int
main(void)
{
	return app_main("portal-profile", routes,
	    sizeof(routes) / sizeof(routes[0]));
}
