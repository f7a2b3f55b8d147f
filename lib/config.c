/*
 * config.c: portal.conf, "key = value" lines.
 *
 * Every setting is one row of conf_keys[]: its name, its type, where it
 * lives in struct config, its limits and its default (as text, set by
 * the same code that parses the file).  Adding a setting is adding a
 * row.  Values are checked strictly; errors say "line N: reason" and may
 * name a key but never show the contents of a *_password_file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "portal.h"

#define CONF_FILE_MAX	(1024 * 1024)	/* bytes of portal.conf */
#define CONF_MAX_KEY	64		/* limits.max_key */

enum conf_type {
	CT_STR,		/* text, copied if it fits */
	CT_PATH,	/* absolute path */
	CT_UINT,	/* decimal in [min, max], stored by field size */
	CT_SECRET,	/* path of a file whose first line is the value */
};

#define CF_EMPTY	0x01	/* empty value allowed */

/* Extra check of a value; NULL if fine, else the reason. */
typedef const char *(*conf_check)(const char *);

struct conf_key {
	const char	*name;
	enum conf_type	 type;
	size_t		 off;	/* offsetof(struct config, field) */
	size_t		 size;	/* sizeof the field */
	uint64_t	 min;
	uint64_t	 max;
	unsigned	 flags;
	conf_check	 check;
	const char	*def;	/* default as text; NULL: all zero */
};

static const char *check_environment(const char *);
static const char *check_base_url(const char *);
static const char *check_timezone(const char *);
static const char *check_email(const char *);
static const char *check_command(const char *);

#define FSIZE(f)	sizeof(((struct config *)NULL)->f)
#define STR(f, fl, ck, d) \
	{ #f, CT_STR, offsetof(struct config, f), FSIZE(f), 0, 0, fl, ck, d }
#define PATH(f, fl, d) \
	{ #f, CT_PATH, offsetof(struct config, f), FSIZE(f), 0, 0, fl, NULL, d }
#define UINT(f, lo, hi, d) \
	{ #f, CT_UINT, offsetof(struct config, f), FSIZE(f), lo, hi, 0, NULL, d }
#define SECRET(k, f) \
	{ k, CT_SECRET, offsetof(struct config, f), FSIZE(f), 0, 0, CF_EMPTY, \
	    NULL, NULL }

static const struct conf_key conf_keys[] = {
	STR(environment, 0, check_environment, "production"),
	STR(base_url, 0, check_base_url, "https://localhost"),
	STR(timezone, 0, check_timezone, "Asia/Tokyo"),
	STR(db_host, CF_EMPTY, NULL, ""),
	UINT(db_port, 1, 65535, "3306"),
	PATH(db_socket, 0, "/run/mysqld/mysqld.sock"),
	STR(db_name, 0, NULL, "portal"),
	STR(db_user, 0, NULL, "portal_web"),
	SECRET("db_password_file", db_password),
	STR(db_admin_user, 0, NULL, "root"),
	SECRET("db_admin_password_file", db_admin_password),
	PATH(db_tls_ca, CF_EMPTY, ""),
	PATH(key_dir, 0, "/etc/portal/keys"),
	PATH(sql_dir, 0, "/usr/share/portal/sql"),
	PATH(maintenance_flag, 0, "/var/lib/portal/maintenance"),
	STR(mail_command, 0, check_command, "/usr/sbin/sendmail -t -i"),
	STR(mail_from, 0, check_email, "noreply@localhost.localdomain"),
	STR(mail_from_name, CF_EMPTY, NULL, "会員ポータル"),
	UINT(session_idle, 60, 86400, "1800"),
	UINT(session_absolute, 300, 604800, "43200"),
	UINT(admin_session_idle, 60, 86400, "900"),
	UINT(admin_session_absolute, 300, 604800, "14400"),
	UINT(verify_token_ttl, 300, 2592000, "86400"),
	UINT(argon2_m_kib, 8, 4194304, "19456"),
	UINT(argon2_t, 1, 100, "2"),
	UINT(argon2_p, 1, 64, "1"),
	UINT(password_min_length, 8, 128, "16"),
	UINT(password_max_length, 64, 1024, "128"),
	UINT(password_min_classes, 1, 4, "4"),
	UINT(admin_password_min_length, 8, 128, "16"),
	UINT(admin_password_min_classes, 1, 4, "4"),
	UINT(password_check_common, 0, 1, "1"),
	UINT(password_check_personal, 0, 1, "1"),
	UINT(max_body, 1024, 16777216, "65536"),
	UINT(max_params, 1, 1024, "64"),
	UINT(max_field, 64, 1048576, "8192"),
	UINT(retry_after, 1, 86400, "300"),
	UINT(lockout_threshold, 1, 100, "5"),
	UINT(lockout_minutes, 0, 10080, "30"),
	UINT(throttle_failures, 1, 100000, "20"),
	UINT(throttle_window, 10, 86400, "600"),
	UINT(reset_token_ttl, 300, 86400, "1800"),
	UINT(pending_ttl, 3600, 31536000, "604800"),
};

#define NKEYS	(sizeof(conf_keys) / sizeof(conf_keys[0]))

/* Write "line N: ..." (or just "..." when line is 0) into err. */
static void PORTAL_FMT(4, 5)
conf_err(char *err, size_t cap, size_t line, const char *fmt, ...)
{
	va_list	ap;
	int	n = 0;

	if (err == NULL || cap == 0)
		return;
	if (line > 0)
		n = snprintf(err, cap, "line %zu: ", line);
	if (n < 0 || (size_t)n >= cap)
		return;
	va_start(ap, fmt);
	vsnprintf(err + n, cap - (size_t)n, fmt, ap);
	va_end(ap);
}

/* environment: production, staging or development. */
static const char *
check_environment(const char *v)
{
	if (strcmp(v, "production") == 0 || strcmp(v, "staging") == 0 ||
	    strcmp(v, "development") == 0)
		return NULL;
	return "must be production, staging or development";
}

/*
 * base_url: "https://" or "http://", then a host[:port] of letters,
 * digits, '-', '.', ':' and brackets (IPv6), with no path, no slash at
 * the end, no user info, query or fragment.
 */
static const char *
check_base_url(const char *v)
{
	const char	*h;

	if (strncmp(v, "https://", 8) == 0)
		h = v + 8;
	else if (strncmp(v, "http://", 7) == 0)
		h = v + 7;
	else
		return "must start with https:// or http://";
	if (*h == '\0')
		return "has no host";
	if (v[strlen(v) - 1] == '/')
		return "must not end with a slash";
	if (h[strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789-.:[]")] != '\0')
		return "must be scheme://host[:port] only";
	return NULL;
}

/* timezone: a tz database name such as Asia/Tokyo or UTC. */
static const char *
check_timezone(const char *v)
{
	if (v[strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789/_+-")] != '\0' || v[0] == '/' || strstr(v, "..") ||
	    strstr(v, "//"))
		return "is not a time zone name";
	return NULL;
}

/*
 * mail_from: a valid address (mail_build refuses anything else).
 */
static const char *
check_email(const char *v)
{
	return v_email(v) == VERR_OK ? NULL : "is not a valid mail address";
}

/* mail_command: absolute program path, at most 16 words. */
static const char *
check_command(const char *v)
{
	size_t	words = 0;
	bool	in = false;

	if (v[0] != '/')
		return "must start with an absolute program path";
	for (; *v != '\0'; v++) {
		if (*v == ' ')
			in = false;
		else if (!in) {
			in = true;
			words++;
		}
	}
	return words > 16 ? "has more than 16 words" : NULL;
}

/*
 * Parse a decimal number: digits only, no sign or leading zero, no
 * overflow.  0 or -1.
 */
static int
parse_uint(const char *s, uint64_t *out)
{
	uint64_t	v = 0;

	if (*s < '0' || *s > '9' || (s[0] == '0' && s[1] != '\0'))
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

/* Store v into the integer field of size bytes at p. */
static void
store_uint(void *p, size_t size, uint64_t v)
{
	uint32_t	v32;

	if (size == sizeof(uint32_t)) {
		v32 = (uint32_t)v;
		memcpy(p, &v32, sizeof(v32));
	} else
		memcpy(p, &v, sizeof(v));
}

/*
 * Read the first line of the file path (without its line end) into
 * out[0..cap).  NULL on success, else the reason (errno text or a fixed
 * string; never the contents).  Temporary buffers are wiped.
 */
static const char *
read_secret(const char *path, char *out, size_t cap, int *errnum)
{
	char		 buf[CONF_STR + 2];
	const char	*why = NULL;
	size_t		 len = 0, n;
	ssize_t		 r;
	char		*nl;
	int		 fd;

	*errnum = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		*errnum = errno;
		return "cannot open";
	}
	while (len < sizeof(buf) - 1) {
		r = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			*errnum = errno;
			why = "cannot read";
			goto out;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (memchr(buf, '\n', len) != NULL)
			break;
	}
	nl = memchr(buf, '\n', len);
	n = nl != NULL ? (size_t)(nl - buf) : len;
	if (nl == NULL && len == sizeof(buf) - 1) {
		why = "first line too long";
		goto out;
	}
	if (memchr(buf, '\0', n) != NULL) {
		why = "NUL byte in first line";
		goto out;
	}
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	if (n >= cap) {
		why = "first line too long";
		goto out;
	}
	memcpy(out, buf, n + 1);
out:
	wipe(buf, sizeof(buf));
	close(fd);
	return why;
}

/*
 * Set key k of c from the text value v (already trimmed).  Returns 0,
 * or -1 with "line N: key: reason" in err.
 */
static int
conf_set(struct config *c, const struct conf_key *k, const char *v,
    size_t line, char *err, size_t errcap)
{
	unsigned char	*field = (unsigned char *)c + k->off;
	const char	*why;
	uint64_t	 num;
	size_t		 n = strlen(v), i;
	int		 errnum;

	for (i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f) {
			conf_err(err, errcap, line, "%s: control character "
			    "in value", k->name);
			return -1;
		}
	if (!utf8_valid(v, n)) {
		conf_err(err, errcap, line, "%s: value is not valid UTF-8",
		    k->name);
		return -1;
	}
	if (n == 0 && !(k->flags & CF_EMPTY)) {
		conf_err(err, errcap, line, "%s: empty value", k->name);
		return -1;
	}

	switch (k->type) {
	case CT_UINT:
		if (parse_uint(v, &num) == -1) {
			conf_err(err, errcap, line, "%s: not a decimal number",
			    k->name);
			return -1;
		}
		if (num < k->min || num > k->max) {
			conf_err(err, errcap, line, "%s: out of range "
			    "(%llu..%llu)", k->name,
			    (unsigned long long)k->min,
			    (unsigned long long)k->max);
			return -1;
		}
		store_uint(field, k->size, num);
		return 0;
	case CT_SECRET:
		if (n == 0) {		/* no password (e.g. unix_socket) */
			((char *)field)[0] = '\0';
			return 0;
		}
		why = read_secret(v, (char *)field, k->size, &errnum);
		if (why != NULL) {
			if (errnum != 0)
				conf_err(err, errcap, line, "%s: %s '%s': %s",
				    k->name, why, v, strerror(errnum));
			else
				conf_err(err, errcap, line, "%s: %s", k->name,
				    why);
			return -1;
		}
		return 0;
	case CT_PATH:
		if (n > 0 && v[0] != '/') {
			conf_err(err, errcap, line, "%s: must be an absolute "
			    "path", k->name);
			return -1;
		}
		break;
	case CT_STR:
		break;
	}
	if (n >= k->size) {
		conf_err(err, errcap, line, "%s: value too long (at most %zu "
		    "bytes)", k->name, k->size - 1);
		return -1;
	}
	if (k->check != NULL && (why = k->check(v)) != NULL) {
		conf_err(err, errcap, line, "%s: %s", k->name, why);
		return -1;
	}
	memcpy(field, v, n + 1);
	return 0;
}

/* Fill c with the defaults of conf_keys[] (aborts if a default is bad). */
void
config_defaults(struct config *c)
{
	char	err[128];
	size_t	i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < NKEYS; i++)
		if (conf_keys[i].def != NULL &&
		    conf_set(c, &conf_keys[i], conf_keys[i].def, 0, err,
		    sizeof(err)) == -1) {
			fprintf(stderr, "config: bad default: %s\n", err);
			abort();
		}
}

/* Row of conf_keys[] named key[0..n), or NULL. */
static const struct conf_key *
conf_find(const char *key, size_t n)
{
	size_t	i;

	for (i = 0; i < NKEYS; i++)
		if (strlen(conf_keys[i].name) == n &&
		    memcmp(conf_keys[i].name, key, n) == 0)
			return &conf_keys[i];
	return NULL;
}

/* Copy key[0..n) into out (cap) for an error message, '?' for odd bytes. */
static void
safe_key(char *out, size_t cap, const char *key, size_t n)
{
	size_t	i;

	if (n > cap - 4) {
		n = cap - 4;
		memcpy(out + n, "...", 4);
	} else
		out[n] = '\0';
	for (i = 0; i < n; i++)
		out[i] = (key[i] > 0x20 && key[i] < 0x7f) ? key[i] : '?';
}

/* Line of the later of two settings (0 if neither was in the file). */
static size_t
later(const size_t *lines, const char *a, const char *b)
{
	size_t	la, lb;

	la = lines[conf_find(a, strlen(a)) - conf_keys];
	lb = lines[conf_find(b, strlen(b)) - conf_keys];
	return la > lb ? la : lb;
}

/*
 * Check settings that depend on each other; -1 with the reason (at the
 * line of the later of the two) in err.
 */
static int
conf_cross(const struct config *c, const size_t *lines, char *err,
    size_t errcap)
{
	if (c->session_idle > c->session_absolute) {
		conf_err(err, errcap, later(lines, "session_idle",
		    "session_absolute"), "session_idle exceeds "
		    "session_absolute");
		return -1;
	}
	if (c->admin_session_idle > c->admin_session_absolute) {
		conf_err(err, errcap, later(lines, "admin_session_idle",
		    "admin_session_absolute"), "admin_session_idle exceeds "
		    "admin_session_absolute");
		return -1;
	}
	if (c->password_min_length > c->password_max_length) {
		conf_err(err, errcap, later(lines, "password_min_length",
		    "password_max_length"), "password_min_length exceeds "
		    "password_max_length");
		return -1;
	}
	if (c->admin_password_min_length > c->password_max_length) {
		conf_err(err, errcap, later(lines, "admin_password_min_length",
		    "password_max_length"), "admin_password_min_length exceeds "
		    "password_max_length");
		return -1;
	}
	if (c->argon2_m_kib < 8 * c->argon2_p) {
		conf_err(err, errcap, later(lines, "argon2_m_kib",
		    "argon2_p"), "argon2_m_kib must be at least 8 * argon2_p");
		return -1;
	}
	return 0;
}

/* Trim spaces and tabs from both ends of s[0..*n); returns the start. */
static const char *
trim(const char *s, size_t *n)
{
	while (*n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		(*n)--;
	}
	while (*n > 0 && (s[*n - 1] == ' ' || s[*n - 1] == '\t'))
		(*n)--;
	return s;
}

/*
 * Parse text[0..n) over c (normally filled by config_defaults).  Returns
 * 0, or -1 with "line N: reason" in err; on failure the passwords in c
 * are wiped and c must not be used.
 */
int
config_parse(struct config *c, const char *text, size_t n, char *err,
    size_t errcap)
{
	const struct conf_key	*k;
	const char		*p = text, *end = text + n, *nl, *line;
	const char		*key, *val, *eq;
	char			 vbuf[CONF_PATH + 1], kbuf[48];
	size_t			 lines[NKEYS], lineno = 0, len, klen, vlen;
	int			 rc = -1;

	memset(lines, 0, sizeof(lines));
	if (err != NULL && errcap > 0)
		err[0] = '\0';
	while (p < end) {
		lineno++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		line = p;
		len = (size_t)(nl - p);
		p = nl + 1;
		if (memchr(line, '\0', len) != NULL) {
			conf_err(err, errcap, lineno, "NUL byte");
			goto out;
		}
		if (len > 0 && line[len - 1] == '\r')
			len--;
		line = trim(line, &len);
		if (len == 0 || line[0] == '#')
			continue;
		if ((eq = memchr(line, '=', len)) == NULL) {
			conf_err(err, errcap, lineno, "expected 'key = value'");
			goto out;
		}
		klen = (size_t)(eq - line);
		key = trim(line, &klen);
		vlen = len - (size_t)(eq + 1 - line);
		val = trim(eq + 1, &vlen);
		if (klen == 0) {
			conf_err(err, errcap, lineno, "missing key before '='");
			goto out;
		}
		if ((k = conf_find(key, klen)) == NULL) {
			safe_key(kbuf, sizeof(kbuf), key, klen);
			conf_err(err, errcap, lineno, "unknown key '%s'", kbuf);
			goto out;
		}
		if (lines[k - conf_keys] != 0) {
			conf_err(err, errcap, lineno, "duplicate key '%s' "
			    "(first on line %zu)", k->name,
			    lines[k - conf_keys]);
			goto out;
		}
		lines[k - conf_keys] = lineno;
		if (vlen >= sizeof(vbuf)) {
			conf_err(err, errcap, lineno, "%s: value too long",
			    k->name);
			goto out;
		}
		memcpy(vbuf, val, vlen);
		vbuf[vlen] = '\0';
		if (conf_set(c, k, vbuf, lineno, err, errcap) == -1)
			goto out;
	}
	if (conf_cross(c, lines, err, errcap) == -1)
		goto out;
	rc = 0;
out:
	wipe(vbuf, sizeof(vbuf));
	if (rc == -1) {
		wipe(c->db_password, sizeof(c->db_password));
		wipe(c->db_admin_password, sizeof(c->db_admin_password));
	}
	return rc;
}

/*
 * config_defaults, then read the file path (a regular file of at most
 * 1 MiB) and config_parse it.  0, or -1 with the reason in err.
 */
int
config_load(struct config *c, const char *path, char *err, size_t errcap)
{
	struct stat	 st;
	char		*text = NULL;
	size_t		 len = 0;
	ssize_t		 r;
	int		 fd, rc = -1;

	config_defaults(c);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		conf_err(err, errcap, 0, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		conf_err(err, errcap, 0, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > CONF_FILE_MAX) {
		conf_err(err, errcap, 0, "%s: not a regular file of at most "
		    "%d bytes", path, CONF_FILE_MAX);
		goto out;
	}
	if ((text = malloc(CONF_FILE_MAX + 1)) == NULL) {
		conf_err(err, errcap, 0, "%s: out of memory", path);
		goto out;
	}
	for (;;) {
		r = read(fd, text + len, CONF_FILE_MAX + 1 - len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			conf_err(err, errcap, 0, "%s: %s", path,
			    strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len > CONF_FILE_MAX) {
			conf_err(err, errcap, 0, "%s: file too large", path);
			goto out;
		}
	}
	if (config_parse(c, text, len, err, errcap) == -1) {
		/* prefix the file name to "line N: ..." */
		char	tmp[512];

		if (err != NULL && errcap > 0) {
			snprintf(tmp, sizeof(tmp), "%s", err);
			conf_err(err, errcap, 0, "%s: %s", path, tmp);
		}
		goto out;
	}
	rc = 0;
out:
	if (text != NULL) {
		wipe(text, len);
		free(text);
	}
	close(fd);
	return rc;
}

/* Request limits from c; max_key is fixed. */
void
config_limits(const struct config *c, struct limits *l)
{
	l->max_body = c->max_body;
	l->max_params = c->max_params;
	l->max_field = c->max_field;
	l->max_key = CONF_MAX_KEY;
}
