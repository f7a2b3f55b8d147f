/*
 * mfa.c: TOTP of portal-profile (AUTH-4), /profile/mfa.
 *
 * Enrolment: "enable" stores a fresh secret, encrypted for the member's
 * row, with totp_enabled = 0 and shows it (QR code at /profile/mfa/qr and
 * base32 text); a valid current code confirms it, which turns TOTP on,
 * records the code's time step (never accepted again) and issues
 * RECOVERY_CODE_COUNT recovery codes, shown once and stored only as
 * HMAC-SHA-256 under recovery_key().  Turning TOTP off and issuing new
 * recovery codes both need the password again.  Every change is audited
 * and turning TOTP on or off sends a notice.  Administrators and
 * operators without TOTP can reach only this screen (RF_ENROL).
 */
#include <string.h>
#include <time.h>

#include "account.h"

#define TOTP_ISSUER	"会員ポータル"

/* The member's TOTP columns. */
struct totp_row {
	struct db_val	 enc;
	bool		 enabled;
	int64_t		 last_step;
};

static int
totp_row(struct req *r, struct totp_row *t)
{
	struct db_arg	 arg = ARG_I(r->sess->member_id);
	struct db_res	 res;

	memset(t, 0, sizeof(*t));
	t->enc.null = true;
	t->last_step = -1;
	if (db_exec(r->ctx->db, &r->a, ST_MEMBER_TOTP_GET, &arg, 1,
	    &res) != DB_OK || res.nrows != 1) {
		plog(LOG_ERR_, "totp: %s", db_errstr(r->ctx->db));
		return req_error(r, 503, "err_unavailable");
	}
	t->enc = *db_val(&res, 0, 0);
	t->enabled = db_u64(&res, 0, 1) == 1;
	t->last_step = (int64_t)db_u64(&res, 0, 2) - 1;
	return 0;
}

/*
 * True if pw is the signed-in member's password (argon2id); a malformed
 * stored hash is logged and does not match.
 */
static bool
password_ok(struct req *r, const char *pw)
{
	struct db_arg	 arg = ARG_I(r->sess->member_id);
	struct db_res	 res;
	int		 v;

	if (*pw == '\0' || db_exec(r->ctx->db, &r->a, ST_MEMBER_HASH_GET,
	    &arg, 1, &res) != DB_OK || res.nrows != 1)
		return false;
	v = password_verify(db_str(&res, 0, 0), pw);
	if (v < 0)
		plog(LOG_ERR_, "mfa: stored hash of member %llu unusable",
		    (unsigned long long)r->sess->member_id);
	return v == 0;
}

static int
mfa_page(struct req *r, int status)
{
	if (r->sess->role >= ROLE_OPERATOR)
		req_set(r, "must_enrol", "1");
	return req_page(r, status, "mfa", "title_mfa");
}

/*
 * The confirmation screen of a pending secret: its base32 text (the QR
 * code is the image /profile/mfa/qr).
 */
static int
pending_page(struct req *r, int status, const struct totp_row *t)
{
	unsigned char	 key[TOTP_KEY_MAX];
	char		 b32[TOTP_KEY_MAX * 2];
	size_t		 keylen;

	if (member_totp_decrypt(&r->ctx->keys, r->sess->member_id, &t->enc,
	    key, &keylen) != 0 ||
	    b32_encode(b32, sizeof(b32), key, keylen) == 0) {
		wipe(key, sizeof(key));
		return req_redirect(r, "/profile/mfa");
	}
	wipe(key, sizeof(key));
	req_set(r, "pending", "1");
	req_set(r, "secret", arena_strdup(&r->a, b32));
	wipe(b32, sizeof(b32));
	return mfa_page(r, status);
}

/* GET /profile/mfa */
int
mfa_view(struct req *r)
{
	struct totp_row	 t;
	int		 st;

	if ((st = totp_row(r, &t)) != 0)
		return st;
	req_set(r, t.enabled ? "enabled" : "disabled", "1");
	if (strcmp(req_param(r, "off"), "1") == 0)
		req_set(r, "notice", msg_get("notice_totp_off"));
	return mfa_page(r, 200);
}

/* GET /profile/mfa/qr: the QR code of the pending secret (SVG). */
int
mfa_qr(struct req *r)
{
	struct totp_row	 t;
	struct member	 m;
	struct buf	 svg;
	unsigned char	 key[TOTP_KEY_MAX];
	char		 uri[TOTP_URI_MAX];
	size_t		 keylen;
	int		 st, n;

	if ((st = totp_row(r, &t)) != 0)
		return st;
	if (t.enabled || member_totp_decrypt(&r->ctx->keys,
	    r->sess->member_id, &t.enc, key, &keylen) != 0)
		return req_error(r, 404, "err_not_found");
	if ((st = member_self(r, &m)) != 0) {
		wipe(key, sizeof(key));
		return st;
	}
	n = totp_uri(uri, sizeof(uri), TOTP_ISSUER, m.email, key, keylen);
	wipe(key, sizeof(key));
	buf_init(&svg, &r->a);
	if (n < 0 || qr_svg(&svg, uri, msg_get("mfa_qr_label")) != 0) {
		wipe(uri, sizeof(uri));
		return req_error(r, 500, "err_internal");
	}
	wipe(uri, sizeof(uri));
	r->text = arena_strndup(&r->a, svg.p, svg.len);
	r->text_type = "image/svg+xml";
	return 200;
}

struct codes_txn {
	struct arena	*a;
	uint64_t	 id;
	int64_t		 step;		/* >= 0: enable TOTP at this step */
	unsigned char	 hash[RECOVERY_CODE_COUNT][32];
};

/* Inside a transaction: (enable TOTP and) replace the recovery codes. */
static int
codes_txn(struct db *db, void *arg)
{
	struct codes_txn	*c = arg;
	struct db_arg		 a[2];
	struct db_res		 res;
	size_t			 i;
	int			 rc;

	if (c->step >= 0) {
		a[0] = ARG_I(c->step);
		a[1] = ARG_I(c->id);
		if ((rc = db_exec(db, c->a, ST_MEMBER_TOTP_ENABLE, a, 2,
		    &res)) != DB_OK)
			return rc;
		if (res.affected != 1)
			return 1;
	}
	a[0] = ARG_I(c->id);
	if ((rc = db_exec(db, c->a, ST_RECOVERY_DELETE, a, 1, NULL)) != DB_OK)
		return rc;
	for (i = 0; i < RECOVERY_CODE_COUNT; i++) {
		a[1] = ARG_B(c->hash[i], 32);
		if ((rc = db_exec(db, c->a, ST_RECOVERY_INSERT, a, 2,
		    NULL)) != DB_OK)
			return rc;
	}
	return 0;
}

/*
 * New recovery codes for the member (and TOTP on at step when >= 0);
 * shows them once.  Returns the status of the page.
 */
static int
issue_codes(struct req *r, int64_t step)
{
	char			 codes[RECOVERY_CODE_COUNT][RECOVERY_CODE_BUFSZ];
	char			 norm[RECOVERY_CODE_LEN + 1];
	unsigned char		 rk[32];
	struct codes_txn	 c;
	struct tpl_vars		*item;
	size_t			 i;
	int			 rc;

	if (recovery_codes_new(codes, RECOVERY_CODE_COUNT) != 0)
		return req_error(r, 500, "err_internal");
	recovery_key(&r->ctx->keys, rk);
	memset(&c, 0, sizeof(c));
	c.a = &r->a;
	c.id = r->sess->member_id;
	c.step = step;
	for (i = 0; i < RECOVERY_CODE_COUNT; i++) {
		if (recovery_code_normalize(norm, codes[i]) != 0) {
			wipe(rk, sizeof(rk));
			wipe(codes, sizeof(codes));
			return req_error(r, 500, "err_internal");
		}
		recovery_code_hash(rk, sizeof(rk), norm, c.hash[i]);
	}
	wipe(rk, sizeof(rk));
	wipe(norm, sizeof(norm));
	rc = db_txn(r->ctx->db, codes_txn, &c);
	if (rc != 0) {
		wipe(codes, sizeof(codes));
		if (rc > 0)
			return req_redirect(r, "/profile/mfa");
		plog(LOG_ERR_, "recovery codes: %s", db_errstr(r->ctx->db));
		return req_error(r, 503, "err_unavailable");
	}
	for (i = 0; i < RECOVERY_CODE_COUNT; i++) {
		item = tpl_add(r->vars, "codes");
		tpl_set(item, "code", arena_strdup(&r->a, codes[i]));
	}
	wipe(codes, sizeof(codes));
	req_set(r, "enabled", "1");
	req_set(r, "show_codes", "1");
	return mfa_page(r, 200);
}

static int
do_enable(struct req *r, const struct totp_row *t)
{
	unsigned char	 secret[TOTP_SECRET_LEN], *enc;
	struct totp_row	 nt;
	struct db_arg	 a[2];
	size_t		 enclen;
	int		 rc;

	if (t->enabled)
		return req_redirect(r, "/profile/mfa");
	if (totp_secret_new(secret) != 0)
		return req_error(r, 500, "err_internal");
	rc = member_totp_encrypt(&r->a, &r->ctx->keys, r->sess->member_id,
	    secret, sizeof(secret), &enc, &enclen);
	wipe(secret, sizeof(secret));
	if (rc != 0)
		return req_error(r, 500, "err_internal");
	a[0] = ARG_B(enc, enclen);
	a[1] = ARG_I(r->sess->member_id);
	if (db_exec(r->ctx->db, &r->a, ST_MEMBER_TOTP_SET_PENDING, a, 2,
	    NULL) != DB_OK) {
		plog(LOG_ERR_, "totp enable: %s", db_errstr(r->ctx->db));
		return req_error(r, 503, "err_unavailable");
	}
	audit(r, "totp_enrol", r->sess->member_id, "ok", "secret issued");
	memset(&nt, 0, sizeof(nt));
	nt.enc.p = (const char *)enc;
	nt.enc.len = enclen;
	return pending_page(r, 200, &nt);
}

static int
do_confirm(struct req *r, const struct totp_row *t)
{
	unsigned char	 key[TOTP_KEY_MAX];
	struct member	 m;
	size_t		 keylen;
	int64_t		 step;
	int		 st;

	if (t->enabled)
		return req_redirect(r, "/profile/mfa");
	if (member_totp_decrypt(&r->ctx->keys, r->sess->member_id, &t->enc,
	    key, &keylen) != 0)
		return req_redirect(r, "/profile/mfa");
	step = totp_verify(key, keylen, req_param(r, "code"), time(NULL), -1);
	wipe(key, sizeof(key));
	if (step < 0) {
		audit(r, "totp_on", r->sess->member_id, "fail", "wrong code");
		req_field_error(r, "code", "err_totp_code");
		return pending_page(r, 422, t);
	}
	st = issue_codes(r, step);
	if (st != 200)
		return st;
	audit(r, "totp_on", r->sess->member_id, "ok", "");
	if (member_self(r, &m) == 0)
		(void)notify_event(r, m.email, "totp_on", NULL);
	req_set(r, "notice", msg_get("notice_totp_on"));
	return 200;
}

static int
do_disable(struct req *r, const struct totp_row *t)
{
	struct db_arg	 a = ARG_I(r->sess->member_id);
	struct member	 m;

	if (!t->enabled)
		return req_redirect(r, "/profile/mfa");
	if (!password_ok(r, req_param(r, "password"))) {
		audit(r, "totp_off", r->sess->member_id, "fail",
		    "wrong password");
		req_field_error(r, "password", "err_current_password");
		req_set(r, "enabled", "1");
		return mfa_page(r, 422);
	}
	if (db_exec(r->ctx->db, &r->a, ST_MEMBER_TOTP_DISABLE, &a, 1,
	    NULL) != DB_OK ||
	    db_exec(r->ctx->db, &r->a, ST_RECOVERY_DELETE, &a, 1,
	    NULL) != DB_OK) {
		plog(LOG_ERR_, "totp disable: %s", db_errstr(r->ctx->db));
		return req_error(r, 503, "err_unavailable");
	}
	audit(r, "totp_off", r->sess->member_id, "ok", "");
	if (member_self(r, &m) == 0)
		(void)notify_event(r, m.email, "totp_off", NULL);
	return req_redirect(r, "/profile/mfa?off=1");
}

static int
do_recovery(struct req *r, const struct totp_row *t)
{
	int	 st;

	if (!t->enabled)
		return req_redirect(r, "/profile/mfa");
	if (!password_ok(r, req_param(r, "password"))) {
		audit(r, "recovery_codes", r->sess->member_id, "fail",
		    "wrong password");
		req_field_error(r, "password_recovery",
		    "err_current_password");
		req_set(r, "enabled", "1");
		return mfa_page(r, 422);
	}
	st = issue_codes(r, -1);
	if (st == 200)
		audit(r, "recovery_codes", r->sess->member_id, "ok",
		    "reissued");
	return st;
}

/* POST /profile/mfa: field action is enable, confirm, disable or recovery. */
int
mfa_post(struct req *r)
{
	const char	*action = req_param(r, "action");
	struct totp_row	 t;
	int		 st;

	if ((st = totp_row(r, &t)) != 0)
		return st;
	if (strcmp(action, "enable") == 0)
		return do_enable(r, &t);
	if (strcmp(action, "confirm") == 0)
		return do_confirm(r, &t);
	if (strcmp(action, "disable") == 0)
		return do_disable(r, &t);
	if (strcmp(action, "recovery") == 0)
		return do_recovery(r, &t);
	return req_error(r, 400, "err_bad_request");
}
