/*
 * member.c: members and their personal data, encrypted per column with
 * the row id in the associated data (pii.c), found by mail through the
 * HMAC blind index.
 */
#include <string.h>

#include "app.h"

const char *const pii_columns[PC__MAX] = {
	"email",	/* PC_EMAIL */
	"name",		/* PC_NAME */
	"name_kana",	/* PC_KANA */
	"phone",	/* PC_PHONE */
	"postal_code",	/* PC_POSTAL */
	"address",	/* PC_ADDRESS */
};

static const char *const role_names[ROLE__MAX] = {
	"anonymous",	/* ROLE_ANON */
	"member",	/* ROLE_MEMBER */
	"operator",	/* ROLE_OPERATOR */
	"admin",	/* ROLE_ADMIN */
};

const char *
role_name(enum role r)
{
	return r < ROLE__MAX ? role_names[r] : "unknown";
}

enum role
role_parse(const char *s)
{
	size_t	 i;

	for (i = ROLE_MEMBER; i < ROLE__MAX; i++)
		if (strcmp(s, role_names[i]) == 0)
			return (enum role)i;
	return ROLE__MAX;
}

int
token_new(char text[TOKEN_B64 + 1], unsigned char hash[32])
{
	unsigned char	 raw[32];

	if (rand_bytes(raw, sizeof(raw)) != 0)
		return -1;
	if (b64url_encode(text, TOKEN_B64 + 1, raw, sizeof(raw)) != TOKEN_B64)
		return -1;
	wipe(raw, sizeof(raw));
	sha256(text, TOKEN_B64, hash);
	return 0;
}

int
token_hash(const char *text, unsigned char hash[32])
{
	if (!session_token_ok(text))
		return -1;
	sha256(text, TOKEN_B64, hash);
	return 0;
}

int
member_email_index(const struct keyring *k, const char *email,
    unsigned char out[32])
{
	char	 norm[256];

	if (email_normalize(norm, sizeof(norm), email) != 0)
		return -1;
	pii_blind_index(k, norm, out);
	return 0;
}

int
member_encrypt(struct arena *a, const struct keyring *k, uint64_t id,
    enum pii_col col, const char *v, unsigned char **out, size_t *outlen)
{
	size_t	 n = strlen(v), cap;

	cap = n + PII_OVERHEAD;
	*out = arena_alloc(a, cap);
	return pii_encrypt(k, "members", pii_columns[col], id, v, n, *out,
	    cap, outlen);
}

int
member_totp_encrypt(struct arena *a, const struct keyring *k, uint64_t id,
    const unsigned char *secret, size_t len, unsigned char **out,
    size_t *outlen)
{
	size_t	 cap = len + PII_OVERHEAD;

	*out = arena_alloc(a, cap);
	return pii_encrypt(k, "members", "totp", id, secret, len, *out, cap,
	    outlen);
}

int
member_totp_decrypt(const struct keyring *k, uint64_t id,
    const struct db_val *enc, unsigned char *key, size_t *len)
{
	char	 buf[256];
	size_t	 n;

	*len = 0;
	if (enc->null || enc->len == 0 || enc->len > sizeof(buf) ||
	    pii_decrypt(k, "members", "totp", id,
	    (const unsigned char *)enc->p, enc->len, buf, sizeof(buf),
	    &n) != 0 || n == 0 || n > TOTP_KEY_MAX) {
		wipe(buf, sizeof(buf));
		return -1;
	}
	memcpy(key, buf, n);
	*len = n;
	wipe(buf, sizeof(buf));
	return 0;
}

void
recovery_key(const struct keyring *k, unsigned char out[32])
{
	hmac_sha256(k->index_key, sizeof(k->index_key), "recovery", 8, out);
}

/*
 * Decrypt column col of row id from v into an arena string.
 */
static const char *
member_decrypt(struct arena *a, const struct keyring *k, uint64_t id,
    enum pii_col col, const struct db_val *v)
{
	char	*out;
	size_t	 n;

	out = arena_alloc(a, v->len + 1);
	if (pii_decrypt(k, "members", pii_columns[col], id,
	    (const unsigned char *)v->p, v->len, out, v->len + 1, &n) != 0)
		return NULL;
	return out;
}

int
member_load(struct db *db, struct arena *a, const struct keyring *k,
    uint64_t id, struct member *m)
{
	struct db_arg	 arg = ARG_I(id);
	struct db_res	 res;
	const char	**dst[PC__MAX];
	size_t		 i;
	int		 rc;

	memset(m, 0, sizeof(*m));
	if ((rc = db_exec(db, a, ST_MEMBER_GET, &arg, 1, &res)) != DB_OK)
		return rc;
	if (res.nrows == 0)
		return 1;
	m->id = db_u64(&res, 0, 0);
	dst[PC_EMAIL] = &m->email;
	dst[PC_NAME] = &m->name;
	dst[PC_KANA] = &m->name_kana;
	dst[PC_PHONE] = &m->phone;
	dst[PC_POSTAL] = &m->postal_code;
	dst[PC_ADDRESS] = &m->address;
	for (i = 0; i < PC__MAX; i++) {
		*dst[i] = member_decrypt(a, k, id, (enum pii_col)i,
		    db_val(&res, 0, 1 + i));
		if (*dst[i] == NULL) {
			plog(LOG_ERR_, "member %llu: %s does not decrypt",
			    (unsigned long long)id, pii_columns[i]);
			return DB_ERROR;
		}
	}
	m->role = role_parse(db_str(&res, 0, 7));
	m->state = db_str(&res, 0, 8);
	m->version = (unsigned)db_u64(&res, 0, 9);
	m->created_at = db_str(&res, 0, 10);
	return DB_OK;
}

int
member_create(struct db *db, struct arena *a, const struct keyring *k,
    const struct member *m, const char *hash, const char *state,
    uint64_t *id)
{
	struct db_arg	 args[7];
	struct db_res	 res;
	unsigned char	 idx[32], *blob[PC__MAX];
	size_t		 blen[PC__MAX], i;
	const char	*val[PC__MAX];
	int		 rc;

	if (member_email_index(k, m->email, idx) != 0)
		return DB_ERROR;
	args[0] = ARG_B(idx, sizeof(idx));
	args[1] = ARG_S(hash);
	args[2] = ARG_S(role_name(m->role));
	args[3] = ARG_S(state);
	args[4] = ARG_I(m->role == ROLE_MEMBER ? 0 : 1);
	if ((rc = db_exec(db, a, ST_MEMBER_INSERT, args, 5, &res)) != DB_OK)
		return rc;
	*id = res.insert_id;
	val[PC_EMAIL] = m->email;
	val[PC_NAME] = m->name;
	val[PC_KANA] = m->name_kana;
	val[PC_PHONE] = m->phone;
	val[PC_POSTAL] = m->postal_code;
	val[PC_ADDRESS] = m->address;
	for (i = 0; i < PC__MAX; i++) {
		if (member_encrypt(a, k, *id, (enum pii_col)i,
		    val[i] != NULL ? val[i] : "", &blob[i], &blen[i]) != 0)
			return DB_ERROR;
		args[i] = ARG_B(blob[i], blen[i]);
	}
	args[6] = ARG_I(*id);
	return db_exec(db, a, ST_MEMBER_SET_PII, args, 7, NULL);
}

int
member_self(struct req *r, struct member *m)
{
	int	 rc;

	rc = member_load(r->ctx->db, &r->a, &r->ctx->keys,
	    r->sess->member_id, m);
	if (rc == 1)
		return req_error(r, 404, "err_not_found");
	if (rc != DB_OK) {
		plog(LOG_ERR_, "member %llu: %s",
		    (unsigned long long)r->sess->member_id,
		    db_errstr(r->ctx->db));
		return req_error(r, 503, "err_unavailable");
	}
	return 0;
}

int
member_set_password(struct db *db, struct arena *a, uint64_t id,
    const char *hash, uint64_t *ended)
{
	struct db_arg	 args[2];
	struct db_res	 res;
	int		 rc;

	args[0] = ARG_S(hash);
	args[1] = ARG_I(id);
	if ((rc = db_exec(db, a, ST_MEMBER_SET_PASSWORD, args, 2, &res)) !=
	    DB_OK)
		return rc;
	if (res.affected != 1)
		return 1;
	args[0] = ARG_I(id);
	if ((rc = db_exec(db, a, ST_SESSION_DELETE_MEMBER, args, 1, &res)) !=
	    DB_OK)
		return rc;
	*ended = res.affected;
	return DB_OK;
}

uint64_t
token_member(struct db *db, struct arena *a, const char *token,
    const char *purpose, int *rc)
{
	struct db_arg	 args[2];
	struct db_res	 res;
	unsigned char	 h[32];

	*rc = DB_OK;
	if (token_hash(token, h) != 0)
		return 0;
	args[0] = ARG_B(h, sizeof(h));
	args[1] = ARG_S(purpose);
	if ((*rc = db_exec(db, a, ST_TOKEN_GET, args, 2, &res)) != DB_OK)
		return 0;
	return res.nrows > 0 ? db_u64(&res, 0, 0) : 0;
}
