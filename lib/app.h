/*
 * app.h: what the FastCGI programs and portalctl share above the pure
 * modules of portal.h: the database layer and its statement table, the
 * request/response object, sessions, CSRF, members and the audit trail.
 */
#ifndef PORTAL_APP_H
#define PORTAL_APP_H

#include "portal.h"

/* ------------------------------------------------------------------ */
/* stmt.c: the one statement table ('?' placeholders only) */

enum stmt {
	ST_PING,
	ST_MEMBER_BY_INDEX,
	ST_MEMBER_INSERT,
	ST_MEMBER_SET_PII,
	ST_MEMBER_GET,
	ST_MEMBER_UPDATE_PROFILE,
	ST_MEMBER_ACTIVATE,
	ST_MEMBER_SET_HASH,
	ST_MEMBER_COUNT_ROLE,
	ST_MEMBER_LIST,
	ST_MEMBER_SET_STATE,
	ST_MEMBER_DELETE,
	ST_SESSION_INSERT,
	ST_SESSION_GET,
	ST_SESSION_TOUCH,
	ST_SESSION_DELETE,
	ST_SESSION_DELETE_MEMBER,
	ST_SESSION_PURGE,
	ST_TOKEN_INSERT,
	ST_TOKEN_GET,
	ST_TOKEN_USE,
	ST_TOKEN_PURGE,
	ST_AUDIT_INSERT,
	ST_MIGRATION_GET,
	ST_MIGRATION_PUT,
	/* accounts (002) */
	ST_MEMBER_AUTH,
	ST_MEMBER_LOGIN_FAIL,
	ST_MEMBER_LOCK_UNTIL,
	ST_MEMBER_LOCK_ADMIN,
	ST_MEMBER_LOGIN_OK,
	ST_MEMBER_UNLOCK,
	ST_MEMBER_LOGIN_INFO,
	ST_MEMBER_HASH_GET,
	ST_MEMBER_SET_PASSWORD,
	ST_MEMBER_PENDING_PURGE,
	ST_THROTTLE_GET,
	ST_THROTTLE_HIT,
	ST_THROTTLE_PURGE,
	ST_BROWSER_SEEN,
	ST_SESSION_LIST,
	ST_SESSION_DELETE_ONE,
	ST_SESSION_DELETE_OTHERS,
	ST_TOKEN_INVALIDATE,
	/* TOTP (AUTH-4) */
	ST_SESSION_INSERT_PENDING,
	ST_MEMBER_TOTP_GET,
	ST_MEMBER_TOTP_SET_PENDING,
	ST_MEMBER_TOTP_ENABLE,
	ST_MEMBER_TOTP_STEP,
	ST_MEMBER_TOTP_FAIL,
	ST_MEMBER_TOTP_FAIL_RESET,
	ST_MEMBER_TOTP_DISABLE,
	ST_RECOVERY_DELETE,
	ST_RECOVERY_INSERT,
	ST_RECOVERY_USE,
	ST_TOKEN_RECENT,
	ST__MAX
};

struct stmt_def {
	const char	*sql;
	unsigned	 nparams;
	bool		 idempotent;	/* a read: may be retried after reconnect */
};

extern const struct stmt_def stmt_defs[ST__MAX];

/* ------------------------------------------------------------------ */
/* db.c: MariaDB Connector/C, prepared once per process */

enum db_err {
	DB_OK = 0,
	DB_UNAVAILABLE = -1,	/* cannot connect / connection lost */
	DB_RETRY = -2,		/* deadlock, lock wait timeout, Galera conflict */
	DB_DUPLICATE = -3,	/* unique key violation (1062) */
	DB_ERROR = -4		/* anything else (logged) */
};

enum db_argtype { DBA_NULL, DBA_INT, DBA_STR, DBA_BLOB };

struct db_arg {
	enum db_argtype	 t;
	long long	 i;
	const void	*p;
	size_t		 len;
};

#define ARG_I(v)	((struct db_arg){ .t = DBA_INT, .i = (long long)(v) })
#define ARG_S(s)	((struct db_arg){ .t = DBA_STR, .p = (s), .len = strlen(s) })
#define ARG_B(b, n)	((struct db_arg){ .t = DBA_BLOB, .p = (b), .len = (n) })
#define ARG_NULL	((struct db_arg){ .t = DBA_NULL })

/* One result column: bytes plus a NUL, or null. */
struct db_val {
	const char	*p;
	size_t		 len;
	bool		 null;
};

struct db_res {
	size_t		 nrows;
	size_t		 ncols;
	struct db_val	*v;		/* nrows * ncols, row-major */
	uint64_t	 affected;
	uint64_t	 insert_id;
};

struct db;

/*
 * A handle for conf (not connected yet: connection is lazy).  admin selects
 * db_admin_user instead of db_user.  Returns NULL on out-of-memory only.
 */
struct db	*db_new(const struct config *, bool admin);
void		 db_free(struct db *);
/* Connect now if not connected; DB_OK or DB_UNAVAILABLE. */
int		 db_connect(struct db *);
/*
 * Execute statement id with args (must match its placeholder count).
 * Results (if res is not NULL) are copied into the arena.  Reconnects on a
 * lost connection and retries once if the statement is idempotent and no
 * transaction is open.  Returns DB_OK or a negative enum db_err.
 */
int		 db_exec(struct db *, struct arena *, enum stmt,
		    const struct db_arg *args, size_t nargs, struct db_res *res);
/* Value at (row, col) of res; never NULL (empty string for SQL NULL). */
const char	*db_str(const struct db_res *, size_t row, size_t col);
const struct db_val *db_val(const struct db_res *, size_t row, size_t col);
/* Unsigned number at (row, col) or 0 when null/garbage. */
uint64_t	 db_u64(const struct db_res *, size_t row, size_t col);
/*
 * Run fn inside a transaction; commit when it returns 0, roll back
 * otherwise.  On DB_RETRY (deadlock, Galera certification failure) or a
 * connection lost before COMMIT the whole transaction is run again, up to
 * 3 attempts; a connection lost during COMMIT returns DB_UNAVAILABLE (the
 * outcome is unknown, so nothing is run twice).
 * Returns fn's result, or a negative enum db_err.
 */
int		 db_txn(struct db *, int (*fn)(struct db *, void *), void *arg);
/* Run trusted SQL text with several statements (migrations); admin only. */
int		 db_run_script(struct db *, const char *sql, char *err,
		    size_t errcap);
/* Last server error text (for operators' logs, never for clients). */
const char	*db_errstr(const struct db *);

/* ------------------------------------------------------------------ */
/* Process-wide context, read-only after start-up. */

enum role { ROLE_ANON = 0, ROLE_MEMBER, ROLE_OPERATOR, ROLE_ADMIN, ROLE__MAX };

const char	*role_name(enum role);
/* ROLE__MAX if s is not a role name. */
enum role	 role_parse(const char *s);

struct ctx {
	struct config	 conf;
	struct keyring	 keys;
	struct limits	 lim;
	struct db	*db;
	const char	*prog;
	bool		 ready;		/* config and keys loaded */
	char		 dummy_hash[PASSWORD_HASH_MAX];
};

/* ------------------------------------------------------------------ */
/* http.c: the request/response object */

enum method { M_GET, M_HEAD, M_POST, M_OTHER };

#define TOKEN_B64	43	/* base64url of 32 random bytes */

struct session {
	uint64_t	 member_id;
	enum role	 role;
	unsigned char	 hash[32];	/* SHA-256 of the cookie token */
	bool		 mfa_pending;	/* password done, TOTP step not yet */
	bool		 totp_enabled;	/* the member has TOTP on */
};

struct fielderr {
	const char	*field;
	const char	*msgkey;
};

/*
 * A cookie to set besides the session cookie (http_cookie_add): always
 * Path=/; Secure; HttpOnly; SameSite=Lax, so names carry the __Host-
 * prefix.  max_age < 0 gives a browser-session cookie, 0 deletes.
 */
struct cookie_set {
	const char	*name;
	const char	*value;
	long		 max_age;
};

#define REQ_COOKIES_MAX	4

struct req {
	struct arena	 a;
	struct ctx	*ctx;
	/* input */
	enum method	 method;
	const char	*path;		/* REQUEST_URI before '?' */
	const char	*remote_addr;
	const char	*user_agent;
	const char	*origin;
	const char	*fetch_site;
	const char	*request_id;
	struct params	 query;
	struct params	 form;
	struct params	 cookies;
	/* session */
	char		 token[TOKEN_B64 + 1];	/* cookie token, "" if none */
	bool		 token_set;	/* send token in Set-Cookie */
	bool		 token_clear;	/* send a deleting Set-Cookie */
	struct cookie_set cookies_set[REQ_COOKIES_MAX];	/* other cookies */
	size_t		 ncookies_set;
	struct session	*sess;		/* NULL when signed out */
	/* output */
	int		 status;
	const char	*location;	/* redirect target (path) */
	const char	*allow;		/* Allow header of a 405 */
	const char	*tpl;		/* template to render */
	const char	*text;		/* text/plain body instead */
	const char	*text_type;	/* Content-Type of text (default
					   text/plain) */
	struct tpl_vars	*vars;
	struct fielderr	 errs[16];
	size_t		 nerrs;
	unsigned	 retry_after;
	/* transport (FastCGI or CGI) */
	void		*io;
};

/* Reason phrase for a status code. */
const char	*http_reason(int status);
/*
 * True if v may be put into a response header: printable ASCII or UTF-8,
 * no CR, LF, NUL or other control character.
 */
bool		 http_header_safe(const char *v);
/*
 * A safe local redirect target: starts with one '/', not "//" or "/\",
 * header-safe, at most 1024 bytes.
 */
bool		 http_local_path(const char *p);
/*
 * Write the CGI/FastCGI response head for r into out: Status, Content-Type,
 * the security headers, Set-Cookie, Location, Retry-After, terminated by a
 * blank line.  Returns -1 (and writes nothing useful) if a value is not
 * header-safe.
 */
int		 http_head(struct buf *out, const struct req *r,
		    const char *content_type, size_t content_length);
/* The Set-Cookie value for the session token (or its deletion). */
void		 http_cookie(struct buf *out, const char *token, bool clear);
/*
 * True for a name http_cookie_add accepts: "__Host-" followed by RFC 6265
 * token characters (letters, digits, "-", "_", "."), at most 64 bytes,
 * not the session cookie's own name.
 */
bool		 http_cookie_name_ok(const char *name);
/* True for an RFC 6265 cookie-octet string of at most 256 bytes. */
bool		 http_cookie_value_ok(const char *value);
/*
 * Queue a Set-Cookie for name=value (copied into the request arena; a
 * queued cookie of the same name is replaced).  max_age in seconds, 0
 * deletes, < 0 omits Max-Age.  Returns 0, or -1 (nothing queued) for a
 * bad name or value or when REQ_COOKIES_MAX cookies are queued.
 */
int		 http_cookie_add(struct req *, const char *name,
		    const char *value, long max_age);

/* ------------------------------------------------------------------ */
/* app.c: the program loop and helpers for handlers */

enum route_flag {
	RF_NONE = 0,
	RF_NO_DB = 1 << 0,	/* handler works without the database */
	RF_TEXT = 1 << 1,	/* plain-text endpoint (healthz) */
	RF_MFA_STEP = 1 << 2,	/* a session waiting for its TOTP step is
				   seen as signed in (else as anonymous) */
	RF_ENROL = 1 << 3	/* reachable by an administrator or operator
				   without TOTP (else 303 to /profile/mfa) */
};

struct route {
	enum method	 method;
	const char	*path;
	enum role	 role;		/* least role needed */
	unsigned	 flags;
	int		(*fn)(struct req *);	/* returns an HTTP status */
};

/*
 * Run the program: read PORTAL_CONF, load keys, then serve requests
 * (FastCGI, or one CGI request when not started by a FastCGI manager)
 * until the manager stops it.  Never returns an error to the caller
 * for a bad configuration: every request then gets a 503 page.
 */
int		 app_main(const char *prog, const struct route *, size_t nroutes);

/* Form or query value (form first for POST), "" if missing. */
const char	*req_param(const struct req *, const char *key);
/* Ensure a cookie token exists (anonymous visitors get one). */
void		 req_ensure_token(struct req *);
/* Set a template variable. */
void		 req_set(struct req *, const char *key, const char *val);
/* Record a field error (msgkey from the catalogue). */
void		 req_field_error(struct req *, const char *field,
		    const char *msgkey);
/* Prepare a 303 to path. */
int		 req_redirect(struct req *, const char *path);
/* Render template tpl with title msg key; returns status. */
int		 req_page(struct req *, int status, const char *tpl,
		    const char *title_key);
/* Render the generic error page for status with message key. */
int		 req_error(struct req *, int status, const char *msgkey);

/* ------------------------------------------------------------------ */
/* session.c */

/* Load the session named by r->token into r->sess (NULL if none). */
int		 session_load(struct req *);
/*
 * Start a signed-in session for member (rotation: the old token's row is
 * deleted and a new token is issued).  DB_OK or enum db_err.
 */
int		 session_start(struct req *, uint64_t member_id, enum role);
/*
 * As session_start, but the session waits for its TOTP step
 * (mfa_pending): until session_start is called again it is signed in only
 * on routes flagged RF_MFA_STEP.
 */
int		 session_start_pending(struct req *, uint64_t member_id,
		    enum role);
/* End the current session: delete the row and clear the cookie. */
int		 session_end(struct req *);
/* Session expired by idle or absolute timeout for role (pure). */
bool		 session_expired(const struct config *, enum role,
		    long long age_s, long long idle_s);
/* A cookie token has the right shape (43 base64url characters). */
bool		 session_token_ok(const char *);

/* ------------------------------------------------------------------ */
/* csrf.c */

/* The CSRF token for a cookie token (43 chars + NUL into out). */
void		 csrf_token(const struct keyring *, const char *cookie_token,
		    char out[TOKEN_B64 + 1]);
/*
 * Check an unsafe request: the token given matches the cookie token, and
 * Origin (when present) is base_url and Sec-Fetch-Site (when present) is
 * same-origin or none.  Pure; true when the request may proceed.
 */
bool		 csrf_check(const struct keyring *, const char *base_url,
		    const char *cookie_token, const char *given,
		    const char *origin, const char *fetch_site);

/* ------------------------------------------------------------------ */
/* member.c: members and their encrypted personal data */

struct member {
	uint64_t	 id;
	enum role	 role;
	const char	*state;
	unsigned	 version;
	const char	*email;
	const char	*name;
	const char	*name_kana;
	const char	*phone;
	const char	*postal_code;
	const char	*address;
	const char	*created_at;
};

/* Personal-data columns of members, in the order of ST_MEMBER_SET_PII. */
enum pii_col { PC_EMAIL, PC_NAME, PC_KANA, PC_PHONE, PC_POSTAL, PC_ADDRESS,
	PC__MAX };
extern const char *const pii_columns[PC__MAX];

/* Blind index of a (valid) mail address. */
int		 member_email_index(const struct keyring *, const char *email,
		    unsigned char out[32]);
/* Load and decrypt member id into m (strings in the arena). */
int		 member_load(struct db *, struct arena *, const struct keyring *,
		    uint64_t id, struct member *m);
/*
 * Load the signed-in member (r->sess) into m.  Returns 0, or the status
 * of the error page it prepared (404 when the row is gone, 503 on a
 * database error).
 */
int		 member_self(struct req *, struct member *m);
/*
 * Inside a transaction: store a new password hash (which also clears a
 * lock) and end every session of member id; *ended gets how many.
 * DB_OK, 1 if the member is gone, or a negative enum db_err.
 */
int		 member_set_password(struct db *, struct arena *, uint64_t id,
		    const char *hash, uint64_t *ended);
/*
 * Create a member (inside a transaction) with all personal data encrypted;
 * *id gets the new id.  DB_DUPLICATE when the mail address exists.
 */
int		 member_create(struct db *, struct arena *, const struct keyring *,
		    const struct member *m, const char *hash, const char *state,
		    uint64_t *id);
/* Encrypt v (may be "") for member column into an arena blob. */
int		 member_encrypt(struct arena *, const struct keyring *,
		    uint64_t id, enum pii_col, const char *v,
		    unsigned char **out, size_t *outlen);
/*
 * Encrypt a raw TOTP secret for members.totp_enc of row id (column
 * "totp" in the associated data) into an arena blob.  0 or -1.
 */
int		 member_totp_encrypt(struct arena *, const struct keyring *,
		    uint64_t id, const unsigned char *secret, size_t len,
		    unsigned char **out, size_t *outlen);
/*
 * Decrypt members.totp_enc of row id into key (TOTP_KEY_MAX bytes);
 * *len gets its length.  0, or -1 (null, tampered, wrong row).
 */
int		 member_totp_decrypt(const struct keyring *, uint64_t id,
		    const struct db_val *enc, unsigned char *key, size_t *len);
/* The key recovery codes are hashed under: HMAC(index_key, "recovery"). */
void		 recovery_key(const struct keyring *, unsigned char out[32]);
/* Random token: base64url text (43) and its SHA-256. */
int		 token_new(char text[TOKEN_B64 + 1], unsigned char hash[32]);
/* Hash a token text (shape-checked); -1 if malformed. */
int		 token_hash(const char *text, unsigned char hash[32]);
/*
 * The member a live (unused, unexpired) token of purpose belongs to, or 0;
 * *rc tells a database failure (DB_OK otherwise).
 */
uint64_t	 token_member(struct db *, struct arena *, const char *token,
		    const char *purpose, int *rc);

/* ------------------------------------------------------------------ */
/* audit.c */

/*
 * Append one audit row: actor (0 = none/system), action, target (0 = none),
 * result ("ok", "fail", "denied", ...) and details (no personal data, no
 * secrets).  Failures are logged, never shown to the client.
 */
void		 audit(struct req *, const char *action, uint64_t target,
		    const char *result, const char *details);
/* Same for portalctl (actor "system" with the operator's login name). */
void		 audit_cli(struct db *, struct arena *, const char *operator_name,
		    const char *action, uint64_t target, const char *result,
		    const char *details);

/* ------------------------------------------------------------------ */
/* policy.c: the password policy (AUTH-1) */

/*
 * The rules, in the order they are reported.  Each failed rule is one bit
 * (1u << rule) of policy_failures() and one catalogue key of
 * policy_check_all().
 */
enum policy_rule {
	PR_REQUIRED,		/* empty or missing: err_required (alone) */
	PR_CHARSET,		/* invalid UTF-8 (alone) or a control char */
	PR_SHORT,		/* fewer than min_len code points */
	PR_LONG,		/* more than max_len code points */
	PR_CLASSES,		/* fewer than min_classes of the 4 classes */
	PR_COMMON,		/* on the bundled list of common passwords */
	PR_CONTAINS_ID,		/* contains the mail local part */
	PR_CONTAINS_NAME,	/* contains a word of the name or kana */
	PR__MAX
};

/*
 * One role's policy.  Classes are ASCII upper case, ASCII lower case,
 * ASCII digit and symbol (everything else: punctuation, space, any
 * non-ASCII character); lengths count code points.
 */
struct policy {
	unsigned	 min_len;
	unsigned	 max_len;
	unsigned	 min_classes;	/* 1..4 */
	bool		 check_common;
	bool		 check_personal;
};

/*
 * A procurement variant of AUTH-1.  A policy satisfies it when min_len >=
 * min_len, min_classes >= min_classes and, if needs_personal, it has
 * check_personal ("no proper nouns").
 */
struct policy_variant {
	const char	*id;		/* "000", "002 #23", "003 #14" */
	const char	*text;		/* the requirement, in English */
	unsigned	 min_len;
	unsigned	 min_classes;
	bool		 needs_personal;
};

extern const struct policy_variant	policy_variants[];
extern const size_t			policy_nvariants;

/*
 * Generated at build time from data/common-passwords.txt by
 * tools/embed-wordlist.sh (common_passwords.c): lower case, strictly
 * sorted by strcmp, each at most POLICY_COMMON_MAX bytes.
 */
#define POLICY_COMMON_MAX	64
extern const char *const	common_passwords[];
extern const size_t		common_npasswords;

/*
 * The policy of role from c: members (and ROLE_ANON, i.e. registration)
 * get password_*; operators and administrators get admin_password_*
 * raised to the member values where those are stricter, so an
 * administrator's policy is never weaker than a member's.
 */
void		 policy_for_role(const struct config *, enum role,
		    struct policy *);
/* True if p satisfies variant v (see struct policy_variant). */
bool		 policy_satisfies(const struct policy *,
		    const struct policy_variant *);
/*
 * True if pw (any case) is a common password: on the bundled list after
 * ASCII lower-casing, or a list entry with only ASCII digits and symbols
 * appended ("Password123!") or only prepended ("!!dragon").
 */
bool		 policy_is_common(const char *pw);
/*
 * Check pw against p; the bit mask (1u << enum policy_rule) of every rule
 * it breaks, 0 if acceptable.  email, name and kana may be NULL or "":
 * the mail's local part (before '@', when >= 3 characters) and each word
 * of name and kana (split on spaces, U+3000, "・" and ",.-"; words of >= 2
 * characters) must not occur in pw, ASCII letters compared without case,
 * anything else code point by code point.  An empty pw gives PR_REQUIRED
 * only, invalid UTF-8 PR_CHARSET only.  No allocation; temporary copies
 * of the password are wiped.
 */
unsigned	 policy_failures(const struct policy *, const char *pw,
		    const char *email, const char *name, const char *kana);
/* Catalogue key of a failed rule under p (PR_CLASSES depends on p). */
const char	*policy_msgkey(const struct policy *, enum policy_rule);
/*
 * As policy_failures, reporting catalogue keys: keys[0..min(n, maxkeys))
 * get the keys of the failed rules in enum order, and the number n of
 * failed rules is returned (0: acceptable).  keys may be NULL when
 * maxkeys is 0.
 */
unsigned	 policy_check_all(const struct policy *, const char *pw,
		    const char *email, const char *name, const char *kana,
		    const char *keys[], size_t maxkeys);
/*
 * Compatibility wrapper: the member policy of c, no name or kana; NULL if
 * acceptable, else the catalogue key of the first rule broken.
 */
const char	*policy_check(const struct config *, const char *pw,
		    const char *email);

/* ------------------------------------------------------------------ */
/* pwform.c: the password field of forms */

/* Set template variable password_help from policy p. */
void		 pwform_help(struct req *, const struct policy *);
/*
 * Check pw against p and report every failed rule on field: one field
 * error, and with several failures the list "<field>_failures" (items
 * with "text").  Returns the number of failed rules.
 */
unsigned	 pwform_check(struct req *, const struct policy *,
		    const char *field, const char *pw, const char *email,
		    const char *name, const char *kana);
/* Report on field (the confirmation) when pw2 is empty or differs. */
void		 pwform_confirm(struct req *, const char *field,
		    const char *pw, const char *pw2);

/* ------------------------------------------------------------------ */
/* notify.c: mails to members (catalogue text, header-safe building) */

/*
 * Send a mail to addr with subject and body from the catalogue keys
 * "mail_<kind>_subject" / "mail_<kind>_body", the body followed by link
 * (may be NULL) and the catalogue footer.  0 or -1 (logged).
 */
int		 notify(struct req *, const char *addr, const char *kind,
		    const char *link);
/*
 * A security notice (AUTH-6) to addr: "mail_<kind>_subject" and
 * "mail_<kind>_body", then what happened when (now, ISO 8601 with the
 * configured zone's offset) and from which address (the request's), then
 * extra (may be NULL, e.g. the end of a lock) and the catalogue text
 * "mail_notice_advice" (what to do if it was not the member).  0 or -1.
 */
int		 notify_event(struct req *, const char *addr, const char *kind,
		    const char *extra);

#endif /* PORTAL_APP_H */
