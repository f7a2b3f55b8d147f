/*
 * libportal: everything the portal's FastCGI programs and portalctl share.
 *
 * One module per concern; each function's comment says what it takes,
 * returns, owns and how it fails.  Conventions:
 *  - functions returning int return 0 on success and a negative
 *    (or module-specific enum) value on failure unless stated otherwise;
 *  - memory for request data comes from a struct arena and lives until the
 *    arena is reset; nothing request-related is kept in globals;
 *  - strings are NUL-terminated UTF-8 unless a length is passed.
 */
#ifndef PORTAL_H
#define PORTAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#define PORTAL_FMT(a, b) __attribute__((format(printf, a, b)))

/* ------------------------------------------------------------------ */
/* arena.c: per-request memory; dropped in one step after the response */

struct arena_chunk;
struct arena {
	struct arena_chunk	*head;	/* newest chunk */
	size_t			 chunk;	/* default chunk size */
	size_t			 used;	/* bytes handed out since reset */
};

/* Prepare an empty arena whose chunks are at least chunk bytes. */
void	 arena_init(struct arena *, size_t chunk);
/*
 * Return n bytes aligned for any type, zeroed.  Aborts the process on
 * out-of-memory (mod_fcgid respawns it); n == 0 returns a valid pointer.
 */
void	*arena_alloc(struct arena *, size_t n);
/* As arena_alloc for nmemb * size, aborting on multiplication overflow. */
void	*arena_calloc(struct arena *, size_t nmemb, size_t size);
char	*arena_strdup(struct arena *, const char *);
char	*arena_strndup(struct arena *, const char *, size_t);
char	*arena_printf(struct arena *, const char *, ...) PORTAL_FMT(2, 3);
/* Wipe (explicit_bzero) and free everything but keep one chunk for reuse. */
void	 arena_reset(struct arena *);
/* Wipe and free everything. */
void	 arena_free(struct arena *);

/* ------------------------------------------------------------------ */
/* buf.c: growable byte buffer whose storage comes from an arena */

struct buf {
	struct arena	*a;
	char		*p;	/* always NUL-terminated when cap > 0 */
	size_t		 len;
	size_t		 cap;
};

void	 buf_init(struct buf *, struct arena *);
void	 buf_append(struct buf *, const void *, size_t);
void	 buf_puts(struct buf *, const char *);
void	 buf_putc(struct buf *, char);
void	 buf_printf(struct buf *, const char *, ...) PORTAL_FMT(2, 3);

/* ------------------------------------------------------------------ */
/* utf8.c */

/*
 * True if s[0..n) is well-formed UTF-8 (no overlong forms, surrogates or
 * code points above U+10FFFF) and contains no NUL byte.
 */
bool	 utf8_valid(const char *s, size_t n);
/* Number of code points in valid UTF-8 s. */
size_t	 utf8_count(const char *s);
/*
 * Decode one code point at *s (valid UTF-8 assumed), advance *s and return
 * the code point.
 */
uint32_t utf8_next(const char **s);

/* ------------------------------------------------------------------ */
/* escape.c: context escapers; the only way request data reaches HTML */

/* Text and attribute context: & < > " ' ` = are written as entities. */
void	 esc_html(struct buf *, const char *);
/* URL query component: everything except ALPHA / DIGIT / "-._~" as %XX. */
void	 esc_url(struct buf *, const char *);
/* JSON string body (no surrounding quotes); <, >, & as \u00XX. */
void	 esc_json(struct buf *, const char *);
/*
 * Copy printable ASCII of s (may be NULL) into dst (cap bytes, always
 * NUL-terminated); every other byte becomes '?' (browser strings in a
 * latin-only column or a mail body).
 */
void	 esc_ascii(char *dst, size_t cap, const char *s);
/* Copy s to dst (cap bytes) replacing control characters with '?'. */
void	 esc_log(char *dst, size_t cap, const char *s);

/* ------------------------------------------------------------------ */
/* parse.c: bounded parsers for query strings, urlencoded bodies, cookies */

struct limits {
	size_t	max_body;	/* bytes of a request body */
	size_t	max_params;	/* parameters in a query or body; cookies */
	size_t	max_field;	/* bytes of one decoded value */
	size_t	max_key;	/* bytes of one decoded name */
};

struct kv {
	const char	*key;
	const char	*val;
	size_t		 vlen;
};

struct params {
	struct kv	*v;
	size_t		 n;
};

enum perr {
	PERR_OK = 0,
	PERR_TOO_MANY,		/* more than max_params */
	PERR_TOO_LONG,		/* a key or value over its cap */
	PERR_ENCODING,		/* bad %XX escape or empty key */
	PERR_UTF8,		/* decoded key or value not valid UTF-8 / NUL */
	PERR_DUPLICATE,		/* same key twice (urlencoded only) */
	PERR__MAX
};

const char *perr_str(enum perr);
/*
 * Parse application/x-www-form-urlencoded s[0..n) ('+' is a space, %XX
 * escapes) into out, all memory from the arena.  Empty pairs ("a=1&&b=2")
 * are skipped; a pair without '=' has an empty value.  Keys and values are
 * decoded, NUL-terminated and checked against the limits and UTF-8.
 */
enum perr parse_urlencoded(struct arena *, const char *s, size_t n,
	    const struct limits *, struct params *out);
/*
 * Parse a Cookie header ("a=b; c=d").  Values are not percent-decoded;
 * a value in double quotes is unquoted.  Duplicate names are kept (the
 * first wins in params_get).  Limits as above.
 */
enum perr parse_cookies(struct arena *, const char *header,
	    const struct limits *, struct params *out);
/* First value for key or NULL. */
const char *params_get(const struct params *, const char *key);

/* ------------------------------------------------------------------ */
/* tpl.c: templates compiled into the programs, auto-escaping */

/*
 * Syntax (no other construct exists; there is no raw output):
 *   {{name}}          value of name, HTML-escaped (text and attribute safe)
 *   {{%name}}         value of name, URL-component escaped
 *   {{@key}}          message catalogue text for key, HTML-escaped
 *   {{#name}}..{{/name}}  list: body once per item, item scope first;
 *                     string: body once if non-empty
 *   {{^name}}..{{/name}}  body once if name is missing, empty or empty list
 *   {{>tpl}}          include another compiled template (same scope)
 *   {{! comment }}    nothing
 * A missing name renders as the empty string.
 */
struct tpl_vars;

struct tpl_source {
	const char	*name;		/* file name without .html */
	const char	*text;
};
/* Generated from templates/NAME.html at build time (templates.c). */
extern const struct tpl_source	tpl_sources[];
extern const size_t		tpl_nsources;

struct tpl_vars *tpl_vars_new(struct arena *);
/* Bind key to val in this scope (pointers kept, not copied). */
void	 tpl_set(struct tpl_vars *, const char *key, const char *val);
void	 tpl_setf(struct tpl_vars *, const char *key, const char *fmt, ...)
	    PORTAL_FMT(3, 4);
/* Append a new item scope to list key of this scope and return it. */
struct tpl_vars *tpl_add(struct tpl_vars *, const char *key);
/* Look up key in this scope, then the enclosing ones; NULL if missing. */
const char *tpl_get(const struct tpl_vars *, const char *key);
/*
 * Render template name into out.  Returns 0, or -1 if the template or a
 * partial is unknown, a section is unbalanced or nesting exceeds 16 levels;
 * on error out holds a partial rendering that must not be sent.
 */
int	 tpl_render(struct buf *out, const char *name, const struct tpl_vars *);
/* Same, rendering text directly (used by unit tests). */
int	 tpl_render_text(struct buf *out, const char *text,
	    const struct tpl_vars *);

/* ------------------------------------------------------------------ */
/* msg.c: the one message catalogue (Japanese UI text) */

/* Text for key or NULL if unknown. */
const char *msg_get(const char *key);
/* Number of entries and the key of entry i (for tests). */
size_t	 msg_count(void);
const char *msg_key(size_t i);

/* ------------------------------------------------------------------ */
/* log.c: error log lines on stderr (Apache's error log under mod_fcgid) */

enum log_level { LOG_ERR_, LOG_WARN_, LOG_INFO_, LOG_DEBUG_ };

/* Set the program name and the request id shown on each line (may be NULL). */
void	 log_set_ident(const char *prog);
void	 log_set_request(const char *request_id);
/*
 * One line: "<ISO 8601 time with offset> <prog>[pid] <level> <req> msg".
 * Control characters in the formatted message are replaced by '?'.
 */
void	 plog(enum log_level, const char *fmt, ...) PORTAL_FMT(2, 3);

/* ------------------------------------------------------------------ */
/* ptime.c */

/* Format t as "2026-11-22T09:05:00+09:00" in the process's TZ. */
void	 time_iso8601(char *out, size_t cap, time_t t);
/* Same, with microseconds: "2026-11-22T09:05:00.123456+09:00". */
void	 time_iso8601_us(char *out, size_t cap, time_t t, long usec);
/* Parse "YYYY-MM-DD HH:MM:SS[.ffffff]" (UTC, as MariaDB prints) to time_t. */
int	 time_parse_db(const char *, time_t *);

/* ------------------------------------------------------------------ */
/* config.c: portal.conf */

#define CONF_STR	256
#define CONF_PATH	1024

struct config {
	char		environment[32];	/* production|staging|development */
	char		base_url[CONF_STR];	/* https://host[:port] no slash */
	char		timezone[64];		/* display zone, Asia/Tokyo */
	/* database */
	char		db_host[CONF_STR];	/* empty: use db_socket */
	unsigned	db_port;
	char		db_socket[CONF_PATH];
	char		db_name[65];
	char		db_user[81];
	char		db_password[CONF_STR];	/* from db_password_file */
	char		db_admin_user[81];	/* portalctl's account */
	char		db_admin_password[CONF_STR];
	char		db_tls_ca[CONF_PATH];	/* non-empty: TLS to db_host */
	/* files */
	char		key_dir[CONF_PATH];
	char		sql_dir[CONF_PATH];	/* migrations, for portalctl */
	char		maintenance_flag[CONF_PATH];
	/* mail */
	char		mail_command[CONF_PATH];	/* argv split on spaces */
	char		mail_from[CONF_STR];
	char		mail_from_name[CONF_STR];
	/* sessions, seconds */
	unsigned	session_idle;
	unsigned	session_absolute;
	unsigned	admin_session_idle;
	unsigned	admin_session_absolute;
	unsigned	verify_token_ttl;
	unsigned	reset_token_ttl;	/* password reset link, s */
	unsigned	pending_ttl;	/* unverified registrations, s */
	/* lockout (per account) and throttling (per address) */
	unsigned	lockout_threshold;	/* consecutive failures */
	unsigned	lockout_minutes;	/* 0: until an admin unlocks */
	unsigned	throttle_failures;	/* failures per address ... */
	unsigned	throttle_window;	/* ... in this many seconds */
	/* passwords */
	uint32_t	argon2_m_kib;
	uint32_t	argon2_t;
	uint32_t	argon2_p;
	unsigned	password_min_length;	/* members, in characters */
	unsigned	password_max_length;	/* every role */
	unsigned	password_min_classes;	/* k of upper/lower/digit/symbol */
	unsigned	admin_password_min_length;	/* operators, admins */
	unsigned	admin_password_min_classes;
	unsigned	password_check_common;	/* 0/1: bundled common list */
	unsigned	password_check_personal; /* 0/1: mail local part, name */
	/* request limits */
	size_t		max_body;
	size_t		max_params;
	size_t		max_field;
	/* answers */
	unsigned	retry_after;	/* seconds, for 503 */
};

/* Fill with the documented defaults. */
void	 config_defaults(struct config *);
/*
 * Parse "key = value" lines ('#' starts a comment line, blank lines
 * ignored, surrounding spaces trimmed).  Unknown keys, bad numbers, values
 * too long and out-of-range settings are errors: returns -1 and writes
 * "line N: reason" into err.  Keys ending in _file (db_password_file,
 * db_admin_password_file) read the first line of that file.
 */
int	 config_parse(struct config *, const char *text, size_t n,
	    char *err, size_t errcap);
/* config_defaults + read path + config_parse. */
int	 config_load(struct config *, const char *path, char *err,
	    size_t errcap);
/* Request limits derived from the config. */
void	 config_limits(const struct config *, struct limits *);

/* ------------------------------------------------------------------ */
/* crypto.c: thin wrappers over OpenSSL */

/* Fill with CSPRNG bytes; 0 or -1. */
int	 rand_bytes(void *, size_t);
void	 sha256(const void *, size_t, unsigned char out[32]);
void	 hmac_sha256(const unsigned char *key, size_t keylen, const void *msg,
	    size_t n, unsigned char out[32]);
/* Constant-time comparison of n bytes. */
bool	 ct_equal(const void *, const void *, size_t);
/*
 * base64url without padding.  encode writes NUL-terminated output and
 * returns its length, or 0 if cap is too small.  decode returns the byte
 * count or -1 on bad input / too small a buffer.
 */
size_t	 b64url_encode(char *out, size_t cap, const void *in, size_t n);
ssize_t	 b64url_decode(void *out, size_t cap, const char *in, size_t n);
/* Standard base64 with padding (MIME); same contract as b64url_encode. */
size_t	 b64_encode(char *out, size_t cap, const void *in, size_t n);
/* Lower-case hex; out needs 2n+1 bytes. */
void	 hex_encode(char *out, const void *in, size_t n);
/* Decode exactly 2*outlen hex digits; 0 or -1. */
int	 hex_decode(void *out, size_t outlen, const char *in);
/* Wipe secrets (OPENSSL_cleanse). */
void	 wipe(void *, size_t);

/* ------------------------------------------------------------------ */
/* keys.c: key files under config key_dir */

#define KEY_ID_MAX	16
#define KEYS_MAX	16

/*
 * Files in key_dir (mode 0640 or stricter, owner root, group of the web
 * programs):
 *   data.key   lines "ID HEX64" (AES-256 keys); the first line is the active
 *              key used to encrypt, the others decrypt older rows;
 *              ID is [A-Za-z0-9_-]{1,16}
 *   index.key  one line HEX64: HMAC key of the mail blind index
 *   csrf.key   one line HEX64: HMAC key deriving CSRF tokens
 *   audit.key  one line HEX64: HMAC key of the audit chain
 */
struct datakey {
	char		id[KEY_ID_MAX + 1];
	unsigned char	key[32];
};

struct keyring {
	struct datakey	data[KEYS_MAX];
	size_t		ndata;		/* data[0] is the active key */
	unsigned char	index_key[32];
	unsigned char	csrf_key[32];
	unsigned char	audit_key[32];
};

/* Load all key files; -1 with a reason in err (never key material). */
int	 keyring_load(struct keyring *, const char *dir, char *err,
	    size_t errcap);
/*
 * Create the key files that do not exist yet with fresh random keys
 * (mode 0640, data key ID "k" + UTC date "YYYYMMDD" + "a").  Existing files
 * are never touched.  Returns the number of files created or -1.
 */
int	 keyring_init_dir(const char *dir, char *err, size_t errcap);
void	 keyring_wipe(struct keyring *);

/* ------------------------------------------------------------------ */
/* pii.c: AES-256-GCM for personal-data columns, blind index for mail */

/*
 * Ciphertext layout: 0x01 | idlen (1 byte) | key id | nonce (12) |
 * ciphertext | tag (16).  The associated data is "table\0column\0" followed
 * by the row id as 8 big-endian bytes, so a value moved to another row or
 * column fails to decrypt.
 */
#define PII_OVERHEAD	(2 + KEY_ID_MAX + 12 + 16)

/*
 * Encrypt pt with the active key.  out needs ptlen + PII_OVERHEAD bytes;
 * *outlen gets the length.  0 or -1.
 */
int	 pii_encrypt(const struct keyring *, const char *table,
	    const char *column, uint64_t rowid, const void *pt, size_t ptlen,
	    unsigned char *out, size_t outcap, size_t *outlen);
/*
 * Decrypt with the key named in the blob.  out gets the plaintext plus a
 * NUL (outcap >= inlen is always enough).  -1 on unknown key, wrong
 * table/column/row, tampering or a short blob.
 */
int	 pii_decrypt(const struct keyring *, const char *table,
	    const char *column, uint64_t rowid, const unsigned char *in,
	    size_t inlen, char *out, size_t outcap, size_t *outlen);
/* Key id used by a blob (into id, KEY_ID_MAX+1 bytes); 0 or -1. */
int	 pii_key_id(const unsigned char *in, size_t inlen, char *id);
/* HMAC-SHA-256 of the already normalised mail address under index_key. */
void	 pii_blind_index(const struct keyring *, const char *email,
	    unsigned char out[32]);

/* ------------------------------------------------------------------ */
/* password.c: argon2id */

#define PASSWORD_HASH_MAX	256

struct argon2_params {
	uint32_t	m_kib;
	uint32_t	t;
	uint32_t	p;
};

/* The parameters of new hashes: argon2_m_kib, argon2_t, argon2_p of c. */
struct argon2_params password_params(const struct config *c);
/* PHC string of argon2id over pw with a random 16-byte salt; 0 or -1. */
int	 password_hash(const struct argon2_params *, const char *pw,
	    char *out, size_t cap);
/* 0 match, 1 mismatch, -1 malformed hash or error. */
int	 password_verify(const char *encoded, const char *pw);
/* True if encoded was made with other parameters than p (or is malformed). */
bool	 password_needs_rehash(const char *encoded, const struct argon2_params *);

/* ------------------------------------------------------------------ */
/* mail.c: header-safe message building and sending */

struct mail {
	const char	*from;		/* address */
	const char	*from_name;	/* display name, may be NULL (UTF-8) */
	const char	*to;		/* address */
	const char	*subject;	/* UTF-8 */
	const char	*body;		/* UTF-8, LF line ends */
};

enum mail_err {
	MAIL_OK = 0,
	MAIL_BAD_HEADER,	/* CR, LF, NUL or invalid UTF-8 in a header value */
	MAIL_BAD_ADDRESS,	/* from/to not a valid address */
	MAIL_SPAWN,		/* command could not be started */
	MAIL_EXIT		/* command exited non-zero or by a signal */
};

/*
 * Append an RFC 5322 message to out: Date, From, To, Subject (RFC 2047
 * base64 encoded-words of at most 75 chars per line when not plain ASCII),
 * Message-ID, MIME-Version, Content-Type text/plain; charset=UTF-8,
 * Content-Transfer-Encoding 8bit; CRLF line ends; body LF -> CRLF.
 */
enum mail_err mail_build(struct buf *out, const struct mail *, time_t now);
/*
 * Run command (split on spaces into argv; no shell) with the message on
 * stdin and wait for it.  stdout/stderr of the command are discarded.
 */
enum mail_err mail_send(const char *command, const char *msg, size_t len);

/* ------------------------------------------------------------------ */
/* validate.c: field validators for form keys */

enum verr {
	VERR_OK = 0,
	VERR_REQUIRED,
	VERR_TOO_LONG,
	VERR_TOO_SHORT,
	VERR_CHARSET,		/* character not allowed for this field */
	VERR_FORMAT,		/* shape wrong (mail, phone, postal code) */
	VERR__MAX
};

/* Message catalogue key for an error, e.g. "err_required". */
const char *verr_msgkey(enum verr);
/*
 * Mail address: ASCII, local@domain, at most 254 bytes, local part at most
 * 64, dot-atom characters only, domain of LDH labels with at least one dot.
 */
enum verr v_email(const char *);
/* Lower-case copy of a valid address into out (cap); 0 or -1. */
int	 email_normalize(char *out, size_t cap, const char *in);
/* Name: 1..100 code points, no control characters. */
enum verr v_name(const char *);
/* Kana: 1..100 code points of full-width katakana, "ー", spaces. */
enum verr v_kana(const char *);
/* Phone: digits and hyphens, 10 or 11 digits, starts with 0. */
enum verr v_phone(const char *);
/* Postal code: NNN-NNNN or NNNNNNN. */
enum verr v_postal(const char *);
/* Address: 1..200 code points, no control characters. */
enum verr v_address(const char *);

/* ------------------------------------------------------------------ */
/* maint.c: maintenance flag */

/*
 * True if the flag file exists.  If msg is not NULL it gets the file's
 * first cap-1 bytes when they are valid UTF-8 (else the empty string),
 * trailing whitespace trimmed.
 */
bool	 maintenance_active(const char *flag, char *msg, size_t cap);

/* ------------------------------------------------------------------ */
/* totp.c: base32, HOTP/TOTP (RFC 4226/6238, HMAC-SHA-1), recovery codes */

#define TOTP_SECRET_LEN		20	/* bytes of a new secret (160 bits) */
#define TOTP_SECRET_B32_LEN	32	/* its base32 form, no padding */
#define TOTP_KEY_MAX		64	/* longest key the module accepts */
#define TOTP_DIGITS		6
#define TOTP_PERIOD		30	/* seconds per time step */
#define TOTP_URI_MAX		1024	/* a comfortable totp_uri() buffer */

/* Recovery codes: 10 characters of RECOVERY_ALPHABET, shown XXXXX-XXXXX. */
#define RECOVERY_ALPHABET	"23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
#define RECOVERY_CODE_LEN	10
#define RECOVERY_CODE_BUFSZ	12	/* "XXXXX-XXXXX" and its NUL */
#define RECOVERY_CODE_COUNT	10	/* codes issued per enrolment */

/*
 * RFC 4648 base32, upper case, no padding.  encode writes a NUL-terminated
 * string into out[0..cap) and returns its length, or 0 if cap is too small.
 */
size_t	 b32_encode(char *out, size_t cap, const void *in, size_t n);
/*
 * Decode in[0..n): letters in either case, spaces ignored.  Refuses '=',
 * any other character, impossible lengths and non-zero unused bits.
 * Returns the byte count or -1 (out wiped) on bad input / small buffer.
 */
ssize_t	 b32_decode(void *out, size_t cap, const char *in, size_t n);

/* Time step (counter) of time now: floor(now / 30), or -1 if now < 0. */
int64_t	 totp_step(time_t now);
/*
 * HOTP value (RFC 4226, HMAC-SHA-1, dynamic truncation) of counter step
 * under key[0..keylen), which is the TOTP value (RFC 6238) of time step
 * step.  digits is 6..8; out gets that many ASCII digits and a NUL.
 * Returns 0, or -1 on bad arguments (keylen 0 or > TOTP_KEY_MAX).
 */
int	 totp_code(const unsigned char *key, size_t keylen, uint64_t step,
	    unsigned digits, char out[9]);
/*
 * Check a 6-digit code at time now against steps -1, 0 and +1 around now.
 * All three windows are computed and compared in constant time, without
 * early exit.  Steps <= last_step (the last step accepted for this key;
 * pass -1 if none) are refused so a code is never accepted twice.
 * Returns the matched step (store it as the new last_step) or -1 if the
 * code is not exactly 6 ASCII digits, matches nothing, or is a replay.
 */
int64_t	 totp_verify(const unsigned char *key, size_t keylen,
	    const char *code, time_t now, int64_t last_step);
/* Fresh random secret of TOTP_SECRET_LEN bytes; 0 or -1 (RNG failure). */
int	 totp_secret_new(unsigned char out[TOTP_SECRET_LEN]);
/*
 * Key URI for authenticator apps into out[0..cap):
 * otpauth://totp/ISSUER:ACCOUNT?secret=B32&issuer=ISSUER&algorithm=SHA1
 * &digits=6&period=30, issuer and account percent-encoded (UTF-8 bytes as
 * %XX).  issuer and account must be non-empty valid UTF-8 without control
 * characters or ':'.  Returns the length, or -1 (out set to "") on bad
 * arguments or if cap is too small.
 */
int	 totp_uri(char *out, size_t cap, const char *issuer,
	    const char *account, const unsigned char *key, size_t keylen);

/*
 * Fill codes[0..n) with distinct fresh recovery codes, each formatted
 * "XXXXX-XXXXX".  Show them once, store only recovery_code_hash().
 * 0 or -1 (RNG failure; codes wiped).
 */
int	 recovery_codes_new(char codes[][RECOVERY_CODE_BUFSZ], size_t n);
/*
 * Normalise user input: drop spaces and hyphens, upper-case ASCII.  The
 * result must be exactly RECOVERY_CODE_LEN characters of the alphabet.
 * out gets it and a NUL; 0, or -1 (out set to "") otherwise.
 */
int	 recovery_code_normalize(char out[RECOVERY_CODE_LEN + 1],
	    const char *in);
/*
 * HMAC-SHA-256 under key[0..keylen) (a server key) of a normalised code:
 * the value stored and looked up instead of the code.
 */
void	 recovery_code_hash(const unsigned char *key, size_t keylen,
	    const char *norm, unsigned char out[32]);
/*
 * Normalise input, hash it under key and compare with stored in constant
 * time.  False for input that does not normalise.
 */
bool	 recovery_code_match(const unsigned char *key, size_t keylen,
	    const char *input, const unsigned char stored[32]);

/* ------------------------------------------------------------------ */
/* qr.c: QR codes (libqrencode) as inline SVG */

#define QR_QUIET	4	/* quiet zone in modules */
#define QR_SCALE	4	/* CSS pixels per module in width/height */
#define QR_LABEL_MAX	256	/* bytes of aria-label */

/*
 * Append to out an <svg> element showing text as a QR code
 * (QRcode_encodeString: EC level M, hint QR_MODE_8, case-sensitive,
 * smallest version): viewBox "0 0 N N" with N = modules + 8
 * (4-module quiet zone), width/height N * QR_SCALE, role="img",
 * aria-label label (attribute-escaped), a white <rect> and one black
 * <path> of merged horizontal runs ("Mx yhNv1h-Nz" per run).  Only
 * presentation attributes: no style, script or external reference.
 * Returns 0, or -1 with out unchanged if text is empty or too long for a
 * QR code, or label is empty, not valid UTF-8, has control characters
 * or is longer than QR_LABEL_MAX bytes.
 */
int	 qr_svg(struct buf *out, const char *text, const char *label);

#endif /* PORTAL_H */
