/*
 * portal-auth: "/", sign-in and sign-out.
 *
 * Unknown accounts cost one argon2id verification like known ones, and
 * every failure gives the same 401 message, so neither timing nor text
 * tells whether an address is registered (AUTH-3).
 *
 * Lockout (per account): lockout_threshold consecutive wrong passwords
 * lock the account for lockout_minutes (0: until an administrator unlocks
 * it); the owner gets one mail.  A lock answers like any other failure.
 * Throttling (per client address): throttle_failures failed sign-ins in a
 * window of throttle_window seconds make further attempts answer 429 with
 * Retry-After, before any hash is computed.
 * Notices (AUTH-6): a long-lived random cookie names the browser; the
 * first sign-in of a member from a browser not seen before sends a mail.
 */
#include <string.h>
#include <time.h>

#include "app.h"

/* The browser cookie: 400 days, the longest lifetime browsers keep. */
#define BROWSER_COOKIE	"__Host-portal-browser"
#define BROWSER_MAX_AGE	(400L * 86400L)
#define IP_MAX		45	/* login_throttle.ip, members.last_login_ip */
#define UA_MAX		200	/* User-Agent shown in a notice mail */
#define MFA_MAX_FAILURES 5	/* wrong codes before a pending session ends */

/* Columns of ST_MEMBER_AUTH. */
enum { AU_ID, AU_HASH, AU_ROLE, AU_STATE, AU_LOCKED, AU_FAILED, AU_TOTP };

/*
 * A hash with the current parameters to verify against when the account
 * does not exist or is locked (made once per process).
 */
static const char *
dummy_hash(struct ctx *ctx)
{
	struct argon2_params	 p = password_params(&ctx->conf);

	if (ctx->dummy_hash[0] == '\0' &&
	    password_hash(&p, "portal-dummy-password-for-timing",
	    ctx->dummy_hash, sizeof(ctx->dummy_hash)) != 0)
		ctx->dummy_hash[0] = '\0';
	return ctx->dummy_hash;
}

/*
 * The client address as stored (at most IP_MAX bytes; "" if unknown),
 * in the request arena.
 */
static const char *
client_ip(struct req *r)
{
	const char	*ip = r->remote_addr != NULL ? r->remote_addr : "";

	return arena_strndup(&r->a, ip, strnlen(ip, IP_MAX));
}

/*
 * Display form (ISO 8601 in the configured zone) of a DATETIME column,
 * or NULL if it is null or malformed.
 */
static const char *
db_time(struct req *r, const struct db_res *res, size_t col)
{
	char	 iso[40];
	time_t	 t;

	if (res->nrows == 0 || db_val(res, 0, col)->null ||
	    time_parse_db(db_str(res, 0, col), &t) != 0)
		return NULL;
	time_iso8601(iso, sizeof(iso), t);
	return iso[0] != '\0' ? arena_strdup(&r->a, iso) : NULL;
}

/*
 * Mail a security notice of kind to the member's address (decrypted
 * from the row, never taken from the request).  Failures are logged.
 */
static void
notice(struct req *r, uint64_t id, const char *kind, const char *extra)
{
	struct member	 m;

	if (member_load(r->ctx->db, &r->a, &r->ctx->keys, id, &m) != DB_OK) {
		plog(LOG_ERR_, "notice %s: member %llu not loaded", kind,
		    (unsigned long long)id);
		return;
	}
	(void)notify_event(r, m.email, kind, extra);
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
	else if (strcmp(req_param(r, "reset"), "1") == 0)
		req_set(r, "notice", msg_get("notice_password_reset"));
	else if (strcmp(req_param(r, "withdrawn"), "1") == 0)
		req_set(r, "notice", msg_get("notice_withdrawn"));
	req_ensure_token(r);
	return req_page(r, 200, "login", "title_login");
}

/* ------------------------------------------------------------------ */
/* Throttling per address */

/*
 * Seconds left in ip's window if it has reached throttle_failures, else
 * 0.  A database error counts as not throttled (the sign-in itself then
 * meets the same error).
 */
static unsigned
throttle_left(struct req *r, const char *ip)
{
	const struct config	*c = &r->ctx->conf;
	struct db_arg		 arg = ARG_S(ip);
	struct db_res		 res;
	uint64_t		 failures, age;

	if (db_exec(r->ctx->db, &r->a, ST_THROTTLE_GET, &arg, 1,
	    &res) != DB_OK) {
		plog(LOG_ERR_, "throttle: %s", db_errstr(r->ctx->db));
		return 0;
	}
	if (res.nrows == 0)
		return 0;
	failures = db_u64(&res, 0, 0);
	age = db_u64(&res, 0, 1);
	if (failures < c->throttle_failures || age >= c->throttle_window)
		return 0;
	return c->throttle_window - (unsigned)age;
}

/*
 * Count one failed sign-in from ip (a window that has ended starts
 * again).
 */
static void
throttle_hit(struct req *r, const char *ip)
{
	unsigned	 w = r->ctx->conf.throttle_window;
	struct db_arg	 args[3] = { ARG_S(ip), ARG_I(w), ARG_I(w) };

	if (db_exec(r->ctx->db, &r->a, ST_THROTTLE_HIT, args, 3,
	    NULL) != DB_OK)
		plog(LOG_ERR_, "throttle hit: %s", db_errstr(r->ctx->db));
}

/* ------------------------------------------------------------------ */
/* Lockout per account */

/*
 * Lock account id (timed or until an administrator unlocks it), record
 * it and mail the owner once.  failures is the count that reached the
 * threshold (for the audit row).
 */
static void
lock_account(struct req *r, uint64_t id, uint64_t failures)
{
	const struct config	*c = &r->ctx->conf;
	struct db_arg		 args[2];
	struct db_res		 res;
	const char		*until, *extra;
	char			 when[40];
	int			 rc;

	if (c->lockout_minutes > 0) {
		args[0] = ARG_I((long long)c->lockout_minutes * 60);
		args[1] = ARG_I(id);
		rc = db_exec(r->ctx->db, &r->a, ST_MEMBER_LOCK_UNTIL, args, 2,
		    &res);
	} else {
		args[0] = ARG_I(id);
		rc = db_exec(r->ctx->db, &r->a, ST_MEMBER_LOCK_ADMIN, args, 1,
		    &res);
	}
	if (rc != DB_OK) {
		plog(LOG_ERR_, "lock: %s", db_errstr(r->ctx->db));
		return;
	}
	if (res.affected != 1)
		return;		/* not active (pending, disabled): no lock */
	if (c->lockout_minutes > 0) {
		audit(r, "lock", id, "ok", arena_printf(&r->a,
		    "failures=%llu minutes=%u", (unsigned long long)failures,
		    c->lockout_minutes));
		args[0] = ARG_I(id);
		until = NULL;
		if (db_exec(r->ctx->db, &r->a, ST_MEMBER_LOGIN_INFO, args, 1,
		    &res) == DB_OK)
			until = db_time(r, &res, 5);
		if (until == NULL) {
			time_iso8601(when, sizeof(when), time(NULL) +
			    (time_t)c->lockout_minutes * 60);
			until = when;
		}
		extra = arena_printf(&r->a, "%s%s", msg_get("mail_lock_until"),
		    until);
	} else {
		audit(r, "lock", id, "ok", arena_printf(&r->a,
		    "failures=%llu until_unlocked", (unsigned long long)failures));
		extra = msg_get("mail_lock_admin");
	}
	notice(r, id, "lock", extra);
}

/*
 * True if account id has a timed lock that has ended (locked_until is
 * set; the caller knows it is not running any more).
 */
static bool
lock_ended(struct req *r, uint64_t id)
{
	struct db_arg	 arg = ARG_I(id);
	struct db_res	 res;

	if (db_exec(r->ctx->db, &r->a, ST_MEMBER_LOGIN_INFO, &arg, 1,
	    &res) != DB_OK) {
		plog(LOG_ERR_, "lock expiry: %s", db_errstr(r->ctx->db));
		return false;
	}
	return res.nrows == 1 && !db_val(&res, 0, 5)->null;
}

/*
 * A wrong password for account id, which had failed failed_before
 * times in a row: count it and lock the account when the count reaches
 * lockout_threshold.  A count already at the threshold without a running
 * lock means a timed lock has ended: the count starts again.
 */
static void
count_failure(struct req *r, uint64_t id, const unsigned char idx[32],
    uint64_t failed_before)
{
	struct ctx	*ctx = r->ctx;
	struct db_arg	 arg;
	struct db_res	 res;
	uint64_t	 failed;

	arg = ARG_I(id);
	if (failed_before >= ctx->conf.lockout_threshold && lock_ended(r, id) &&
	    db_exec(ctx->db, &r->a, ST_MEMBER_UNLOCK, &arg, 1, NULL) != DB_OK)
		plog(LOG_ERR_, "lock expiry: %s", db_errstr(ctx->db));
	if (db_exec(ctx->db, &r->a, ST_MEMBER_LOGIN_FAIL, &arg, 1,
	    NULL) != DB_OK) {
		plog(LOG_ERR_, "login fail count: %s", db_errstr(ctx->db));
		return;
	}
	/* Read the count back: concurrent failures each see their own. */
	arg = ARG_B(idx, 32);
	if (db_exec(ctx->db, &r->a, ST_MEMBER_AUTH, &arg, 1, &res) != DB_OK ||
	    res.nrows != 1 || db_u64(&res, 0, AU_ID) != id) {
		plog(LOG_ERR_, "login fail count: %s", db_errstr(ctx->db));
		return;
	}
	failed = db_u64(&res, 0, AU_FAILED);
	if (failed < ctx->conf.lockout_threshold ||
	    db_u64(&res, 0, AU_LOCKED) == 1 ||
	    strcmp(db_str(&res, 0, AU_STATE), "locked") == 0)
		return;
	lock_account(r, id, failed);
}

/* ------------------------------------------------------------------ */
/* Known browsers */

/*
 * Note the browser of a successful sign-in of member id: its cookie (a
 * new random one if it has none) is renewed, and the first sign-in of
 * the member from it sends a notice naming the browser.
 */
static void
browser_seen(struct req *r, uint64_t id)
{
	const char	*ck = params_get(&r->cookies, BROWSER_COOKIE);
	char		 text[TOKEN_B64 + 1], ua[UA_MAX + 1];
	unsigned char	 h[32];
	struct db_arg	 args[2];
	struct db_res	 res;

	if (ck != NULL && token_hash(ck, h) == 0)
		memcpy(text, ck, sizeof(text));
	else if (token_new(text, h) != 0) {
		plog(LOG_ERR_, "browser cookie: no random bytes");
		return;
	}
	if (http_cookie_add(r, BROWSER_COOKIE, text, BROWSER_MAX_AGE) != 0)
		plog(LOG_ERR_, "browser cookie refused");
	args[0] = ARG_I(id);
	args[1] = ARG_B(h, sizeof(h));
	if (db_exec(r->ctx->db, &r->a, ST_BROWSER_SEEN, args, 2,
	    &res) != DB_OK) {
		plog(LOG_ERR_, "browser seen: %s", db_errstr(r->ctx->db));
		return;
	}
	if (res.affected != 1)
		return;		/* 2: the row existed (last_seen updated) */
	esc_ascii(ua, sizeof(ua), r->user_agent);
	notice(r, id, "login_new_browser", arena_printf(&r->a, "%s%s",
	    msg_get("mail_notice_browser"), ua[0] != '\0' ? ua : "-"));
}

/* ------------------------------------------------------------------ */
/* Sign-in */

/*
 * The one answer for every failed sign-in; the failure counts against
 * the client's address.
 */
static int
login_failed(struct req *r, const char *ip, uint64_t target, const char *why)
{
	throttle_hit(r, ip);
	audit(r, "login", target, "fail", why);
	req_set(r, "form_error", msg_get("err_login_failed"));
	return req_page(r, 401, "login", "title_login");
}

/*
 * Bookkeeping of a complete sign-in (password, and the code when TOTP
 * is on) of member id, whose signed-in session exists: the failure
 * counter restarts, this sign-in becomes the last one, the browser is
 * noted.
 */
static int
login_done(struct req *r, uint64_t id, const char *ip, const char *how)
{
	struct db_arg	 a2[2] = { ARG_S(ip), ARG_I(id) };

	if (db_exec(r->ctx->db, &r->a, ST_MEMBER_LOGIN_OK, a2, 2,
	    NULL) != DB_OK) {
		plog(LOG_ERR_, "login ok: %s", db_errstr(r->ctx->db));
		return req_error(r, 503, "err_unavailable");
	}
	browser_seen(r, id);
	audit(r, "login", id, "ok", how);
	return req_redirect(r, "/profile");
}

static int
login_post(struct req *r)
{
	struct ctx		*ctx = r->ctx;
	struct argon2_params	 p = password_params(&ctx->conf);
	const char		*email = req_param(r, "email");
	const char		*pw = req_param(r, "password");
	const char		*ip = client_ip(r);
	const char		*hash, *state;
	unsigned char		 idx[32];
	struct db_arg		 arg;
	struct db_res		 res;
	char			 newhash[PASSWORD_HASH_MAX];
	uint64_t		 id;
	enum role		 role;
	unsigned		 left;
	int			 rc, v;

	if ((left = throttle_left(r, ip)) > 0) {
		audit(r, "login", 0, "denied", "throttled");
		r->retry_after = left;
		return req_error(r, 429, "err_throttled");
	}
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
		rc = db_exec(ctx->db, &r->a, ST_MEMBER_AUTH, &arg, 1, &res);
		if (rc != DB_OK) {
			plog(LOG_ERR_, "login: %s", db_errstr(ctx->db));
			return req_error(r, 503, "err_unavailable");
		}
	}
	if (res.nrows == 0) {
		(void)password_verify(dummy_hash(ctx), pw);
		return login_failed(r, ip, 0, "unknown account");
	}
	id = db_u64(&res, 0, AU_ID);
	hash = db_str(&res, 0, AU_HASH);
	role = role_parse(db_str(&res, 0, AU_ROLE));
	state = db_str(&res, 0, AU_STATE);
	if (db_u64(&res, 0, AU_LOCKED) == 1 || strcmp(state, "locked") == 0) {
		/* Same cost and answer; the password is not even checked. */
		(void)password_verify(dummy_hash(ctx), pw);
		return login_failed(r, ip, id, "locked");
	}
	if (strlen(pw) > ctx->conf.password_max_length * 4) {
		(void)password_verify(dummy_hash(ctx), pw);
		v = 1;
	} else
		v = password_verify(hash, pw);
	if (v != 0) {
		count_failure(r, id, idx, db_u64(&res, 0, AU_FAILED));
		return login_failed(r, ip, id, v < 0 ? "bad stored hash" :
		    "wrong password");
	}
	if (strcmp(state, "pending") == 0) {
		throttle_hit(r, ip);
		audit(r, "login", id, "fail", "not verified");
		req_set(r, "form_error", msg_get("err_not_verified"));
		return req_page(r, 401, "login", "title_login");
	}
	if (strcmp(state, "active") != 0 || role == ROLE__MAX)
		return login_failed(r, ip, id, state);
	if (password_needs_rehash(hash, &p) &&
	    password_hash(&p, pw, newhash, sizeof(newhash)) == 0) {
		struct db_arg	 a2[2] = { ARG_S(newhash), ARG_I(id) };

		if (db_exec(ctx->db, &r->a, ST_MEMBER_SET_HASH, a2, 2,
		    NULL) != DB_OK)
			plog(LOG_WARN_, "rehash not stored: %s",
			    db_errstr(ctx->db));
		wipe(newhash, sizeof(newhash));
	}
	if (db_u64(&res, 0, AU_TOTP) == 1) {
		/*
		 * Second step: the session is not signed in until a code;
		 * each pending session gets MFA_MAX_FAILURES tries.
		 */
		arg = ARG_I(id);
		if (db_exec(ctx->db, &r->a, ST_MEMBER_TOTP_FAIL_RESET, &arg, 1,
		    NULL) != DB_OK || session_start_pending(r, id, role) != DB_OK) {
			plog(LOG_ERR_, "session start: %s", db_errstr(ctx->db));
			return req_error(r, 503, "err_unavailable");
		}
		audit(r, "login_password", id, "ok", "totp step next");
		return req_redirect(r, "/login/mfa");
	}
	if (session_start(r, id, role) != DB_OK) {
		plog(LOG_ERR_, "session start: %s", db_errstr(ctx->db));
		return req_error(r, 503, "err_unavailable");
	}
	return login_done(r, id, ip, "");
}

/* ------------------------------------------------------------------ */
/* The TOTP step (AUTH-4) */

static int
mfa_page(struct req *r, int status)
{
	return req_page(r, status, "login_mfa", "title_login_mfa");
}

/* GET /login/mfa: the code form of a session waiting for it. */
static int
login_mfa_form(struct req *r)
{
	if (r->sess == NULL)
		return req_redirect(r, "/login");
	if (!r->sess->mfa_pending)
		return req_redirect(r, "/profile");
	return mfa_page(r, 200);
}

/*
 * MFA_MAX_FAILURES wrong codes: the pending session ends and the attempt
 * counts as one failed sign-in of the account (lockout) and the address.
 */
static int
mfa_give_up(struct req *r, uint64_t id, const char *ip)
{
	struct ctx	*ctx = r->ctx;
	struct member	 m;
	unsigned char	 idx[32];
	struct db_arg	 arg = ARG_I(id);
	struct db_res	 res;

	if (db_exec(ctx->db, &r->a, ST_MEMBER_TOTP_FAIL_RESET, &arg, 1,
	    NULL) != DB_OK)
		plog(LOG_ERR_, "totp failures: %s", db_errstr(ctx->db));
	if (session_end(r) != DB_OK)
		plog(LOG_ERR_, "mfa end: %s", db_errstr(ctx->db));
	if (member_load(ctx->db, &r->a, &ctx->keys, id, &m) == DB_OK &&
	    member_email_index(&ctx->keys, m.email, idx) == 0) {
		arg = ARG_B(idx, sizeof(idx));
		if (db_exec(ctx->db, &r->a, ST_MEMBER_AUTH, &arg, 1,
		    &res) == DB_OK && res.nrows == 1 &&
		    db_u64(&res, 0, AU_ID) == id)
			count_failure(r, id, idx, db_u64(&res, 0, AU_FAILED));
	}
	return login_failed(r, ip, id, "too many wrong codes");
}

/*
 * POST /login/mfa: a 6-digit code (each time step accepted once) or an
 * unused recovery code (then used up).  Success rotates the token.
 */
static int
login_mfa_post(struct req *r)
{
	struct ctx	*ctx = r->ctx;
	const char	*code = req_param(r, "code");
	const char	*ip = client_ip(r);
	unsigned char	 key[TOTP_KEY_MAX], rk[32], h[32];
	char		 norm[RECOVERY_CODE_LEN + 1];
	struct db_arg	 args[3];
	struct db_res	 res;
	size_t		 keylen;
	int64_t		 step, last;
	uint64_t	 id;
	enum role	 role;
	unsigned	 left;
	const char	*how = NULL;

	if (r->sess == NULL)
		return req_redirect(r, "/login");
	if (!r->sess->mfa_pending)
		return req_redirect(r, "/profile");
	if ((left = throttle_left(r, ip)) > 0) {
		audit(r, "login", r->sess->member_id, "denied", "throttled");
		r->retry_after = left;
		return req_error(r, 429, "err_throttled");
	}
	id = r->sess->member_id;
	role = r->sess->role;
	if (*code == '\0') {
		req_field_error(r, "code", "err_required");
		return mfa_page(r, 422);
	}
	args[0] = ARG_I(id);
	if (db_exec(ctx->db, &r->a, ST_MEMBER_TOTP_GET, args, 1, &res) !=
	    DB_OK || res.nrows != 1) {
		plog(LOG_ERR_, "mfa: %s", db_errstr(ctx->db));
		return req_error(r, 503, "err_unavailable");
	}
	last = (int64_t)db_u64(&res, 0, 2) - 1;
	if (db_u64(&res, 0, 1) != 1 || member_totp_decrypt(&ctx->keys, id,
	    db_val(&res, 0, 0), key, &keylen) != 0) {
		plog(LOG_ERR_, "mfa: member %llu has no usable secret",
		    (unsigned long long)id);
		(void)session_end(r);
		return req_redirect(r, "/login");
	}
	step = totp_verify(key, keylen, code, time(NULL), last);
	wipe(key, sizeof(key));
	if (step >= 0) {
		args[0] = ARG_I(step);
		args[1] = ARG_I(id);
		args[2] = ARG_I(step);
		if (db_exec(ctx->db, &r->a, ST_MEMBER_TOTP_STEP, args, 3,
		    &res) != DB_OK)
			return req_error(r, 503, "err_unavailable");
		if (res.affected == 1)
			how = "totp";
	} else if (recovery_code_normalize(norm, code) == 0) {
		recovery_key(&ctx->keys, rk);
		recovery_code_hash(rk, sizeof(rk), norm, h);
		wipe(rk, sizeof(rk));
		args[0] = ARG_I(id);
		args[1] = ARG_B(h, sizeof(h));
		if (db_exec(ctx->db, &r->a, ST_RECOVERY_USE, args, 2,
		    &res) != DB_OK)
			return req_error(r, 503, "err_unavailable");
		if (res.affected == 1) {
			how = "recovery code";
			args[0] = ARG_I(id);
			(void)db_exec(ctx->db, &r->a, ST_MEMBER_TOTP_FAIL_RESET,
			    args, 1, NULL);
		}
	}
	if (how == NULL) {
		args[0] = ARG_I(id);
		if (db_exec(ctx->db, &r->a, ST_MEMBER_TOTP_FAIL, args, 1,
		    NULL) != DB_OK ||
		    db_exec(ctx->db, &r->a, ST_MEMBER_TOTP_GET, args, 1,
		    &res) != DB_OK || res.nrows != 1)
			return req_error(r, 503, "err_unavailable");
		audit(r, "login_code", id, "fail", "wrong code");
		if (db_u64(&res, 0, 3) >= MFA_MAX_FAILURES)
			return mfa_give_up(r, id, ip);
		req_field_error(r, "code", "err_totp_code");
		return mfa_page(r, 401);
	}
	/* Rotation: the pending token dies, a signed-in one is issued. */
	if (session_start(r, id, role) != DB_OK) {
		plog(LOG_ERR_, "session start: %s", db_errstr(ctx->db));
		return req_error(r, 503, "err_unavailable");
	}
	return login_done(r, id, ip, how);
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
	{ M_GET, "/login/mfa", ROLE_ANON, RF_MFA_STEP, login_mfa_form },
	{ M_POST, "/login/mfa", ROLE_ANON, RF_MFA_STEP, login_mfa_post },
	{ M_POST, "/logout", ROLE_ANON, RF_MFA_STEP | RF_ENROL, logout },
};

int
main(void)
{
	return app_main("portal-auth", routes,
	    sizeof(routes) / sizeof(routes[0]));
}
