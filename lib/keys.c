/*
 * keys.c: the key files under key_dir (see portal.h for their format).
 *
 * Files are opened without following symbolic links, must be regular
 * files that neither "other" can read or write nor the group can write,
 * and are parsed strictly.  Error strings name the file and line and
 * never contain key material; every buffer that held a key is wiped.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "portal.h"

#define KEYFILE_MAX	4096	/* larger than any valid key file */

enum keyfile {
	KF_DATA,
	KF_INDEX,
	KF_CSRF,
	KF_AUDIT,
	KF__MAX
};

static const char *const keyfile_names[KF__MAX] = {
	"data.key",	/* KF_DATA */
	"index.key",	/* KF_INDEX */
	"csrf.key",	/* KF_CSRF */
	"audit.key",	/* KF_AUDIT */
};

/* Join dir and name into out (PATH_MAX); 0 or -1 if it does not fit. */
static int
key_path(char *out, const char *dir, const char *name)
{
	int	n;

	n = snprintf(out, PATH_MAX, "%s/%s", dir, name);
	return (n < 0 || n >= PATH_MAX) ? -1 : 0;
}

/*
 * Read the key file path into buf (KEYFILE_MAX bytes, NUL-terminated)
 * after checking it is a regular file with safe permissions.  Returns the
 * length, or -1 with a reason in err.  The caller wipes buf.
 */
static ssize_t
key_read(const char *path, char *buf, char *err, size_t errcap)
{
	struct stat	 st;
	size_t		 len = 0;
	ssize_t		 r;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errcap, "%s: not a regular file", path);
		goto fail;
	}
	if ((st.st_mode & 007) != 0 || (st.st_mode & 020) != 0) {
		snprintf(err, errcap, "%s: mode %04o is unsafe (want 0640 or "
		    "stricter)", path, (unsigned)(st.st_mode & 07777));
		goto fail;
	}
	for (;;) {
		r = read(fd, buf + len, KEYFILE_MAX - 1 - len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			snprintf(err, errcap, "%s: %s", path, strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len == KEYFILE_MAX - 1) {
			snprintf(err, errcap, "%s: file too large", path);
			goto fail;
		}
	}
	buf[len] = '\0';
	close(fd);
	return (ssize_t)len;
fail:
	close(fd);
	return -1;
}

/*
 * Split the next line off *p (which ends at end): returns its start,
 * NUL-terminates it and sets *linelen, or NULL at the end of the text.
 * A final newline does not start another line.
 */
static char *
next_line(char **p, char *end, size_t *linelen)
{
	char	*s = *p, *nl;

	if (s >= end)
		return NULL;
	if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL)
		nl = end;
	*nl = '\0';
	*linelen = (size_t)(nl - s);
	*p = nl + 1;
	return s;
}

/* True if s is a key ID: [A-Za-z0-9_-]{1,KEY_ID_MAX}. */
static bool
valid_key_id(const char *s, size_t n)
{
	size_t	i;

	if (n == 0 || n > KEY_ID_MAX)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char	c = (unsigned char)s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* Parse data.key text (len bytes) into kr; -1 with a reason in err. */
static int
parse_data(struct keyring *kr, const char *path, char *text, size_t len,
    char *err, size_t errcap)
{
	char	*p = text, *end = text + len, *line, *sp;
	size_t	 n, lineno = 0, i;

	kr->ndata = 0;
	while ((line = next_line(&p, end, &n)) != NULL) {
		lineno++;
		if (kr->ndata == KEYS_MAX) {
			snprintf(err, errcap, "%s line %zu: more than %d keys",
			    path, lineno, KEYS_MAX);
			return -1;
		}
		if ((sp = memchr(line, ' ', n)) == NULL) {
			snprintf(err, errcap, "%s line %zu: expected "
			    "\"ID HEX64\"", path, lineno);
			return -1;
		}
		if (!valid_key_id(line, (size_t)(sp - line))) {
			snprintf(err, errcap, "%s line %zu: bad key ID",
			    path, lineno);
			return -1;
		}
		if (hex_decode(kr->data[kr->ndata].key, 32, sp + 1) == -1) {
			snprintf(err, errcap, "%s line %zu: key is not 64 hex "
			    "digits", path, lineno);
			return -1;
		}
		memcpy(kr->data[kr->ndata].id, line, (size_t)(sp - line));
		kr->data[kr->ndata].id[sp - line] = '\0';
		for (i = 0; i < kr->ndata; i++)
			if (strcmp(kr->data[i].id, kr->data[kr->ndata].id)
			    == 0) {
				snprintf(err, errcap, "%s line %zu: duplicate "
				    "key ID", path, lineno);
				return -1;
			}
		kr->ndata++;
	}
	if (kr->ndata == 0) {
		snprintf(err, errcap, "%s: no key", path);
		return -1;
	}
	return 0;
}

/* Parse a one-line HEX64 file into key; -1 with a reason in err. */
static int
parse_single(unsigned char key[32], const char *path, char *text,
    size_t len, char *err, size_t errcap)
{
	char	*p = text, *end = text + len, *line;
	size_t	 n;

	if ((line = next_line(&p, end, &n)) == NULL) {
		snprintf(err, errcap, "%s: no key", path);
		return -1;
	}
	if (hex_decode(key, 32, line) == -1) {
		snprintf(err, errcap, "%s line 1: key is not 64 hex digits",
		    path);
		return -1;
	}
	if (next_line(&p, end, &n) != NULL) {
		snprintf(err, errcap, "%s line 2: extra line", path);
		return -1;
	}
	return 0;
}

/*
 * Load every key file of dir into kr.  Returns 0, or -1 with a reason in
 * err (file and line, never key material); on failure kr is wiped.
 */
int
keyring_load(struct keyring *kr, const char *dir, char *err, size_t errcap)
{
	char		 path[PATH_MAX], text[KEYFILE_MAX];
	unsigned char	*single[KF__MAX];
	ssize_t		 len;
	int		 i, rc = -1;

	single[KF_DATA] = NULL;
	single[KF_INDEX] = kr->index_key;
	single[KF_CSRF] = kr->csrf_key;
	single[KF_AUDIT] = kr->audit_key;
	memset(kr, 0, sizeof(*kr));

	for (i = 0; i < KF__MAX; i++) {
		if (key_path(path, dir, keyfile_names[i]) == -1) {
			snprintf(err, errcap, "%s: key directory path too "
			    "long", keyfile_names[i]);
			goto out;
		}
		if ((len = key_read(path, text, err, errcap)) == -1)
			goto out;
		if (memchr(text, '\0', (size_t)len) != NULL) {
			snprintf(err, errcap, "%s: NUL byte in file", path);
			goto out;
		}
		if (i == KF_DATA) {
			if (parse_data(kr, path, text, (size_t)len, err,
			    errcap) == -1)
				goto out;
		} else if (parse_single(single[i], path, text, (size_t)len,
		    err, errcap) == -1)
			goto out;
		wipe(text, sizeof(text));
	}
	rc = 0;
out:
	wipe(text, sizeof(text));
	if (rc == -1)
		keyring_wipe(kr);
	return rc;
}

/* Write all of p[0..n) to fd, retrying on EINTR; 0 or -1. */
static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t	r;

	while (n > 0) {
		if ((r = write(fd, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/*
 * Create path exclusively with mode 0640 holding the NUL-terminated
 * content.  Returns 1 if created, 0 if the file already existed, -1 on
 * error (a partly written file is removed).
 */
static int
create_key_file(const char *path, const char *content, char *err,
    size_t errcap)
{
	int	fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0640);
	if (fd == -1) {
		if (errno == EEXIST)
			return 0;
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fchmod(fd, 0640) == -1 ||
	    write_all(fd, content, strlen(content)) == -1 ||
	    fsync(fd) == -1) {
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	if (close(fd) == -1) {
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		unlink(path);
		return -1;
	}
	return 1;
}

/*
 * Create the key files of dir that do not exist with fresh random keys.
 * Returns how many were created, or -1 with a reason in err.
 */
int
keyring_init_dir(const char *dir, char *err, size_t errcap)
{
	char		 path[PATH_MAX], content[KEY_ID_MAX + 80];
	size_t		 n;
	char		 id[KEY_ID_MAX + 1];
	unsigned char	 key[32];
	struct tm	 tm;
	time_t		 now;
	int		 i, r, created = 0, rc = -1;

	now = time(NULL);
	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(id, sizeof(id), "k%Y%m%da", &tm) == 0) {
		snprintf(err, errcap, "cannot format the key ID date");
		return -1;
	}
	for (i = 0; i < KF__MAX; i++) {
		if (key_path(path, dir, keyfile_names[i]) == -1) {
			snprintf(err, errcap, "%s: key directory path too "
			    "long", keyfile_names[i]);
			goto out;
		}
		if (rand_bytes(key, sizeof(key)) == -1) {
			snprintf(err, errcap, "%s: random generator failed",
			    path);
			goto out;
		}
		/* "ID HEX64\n" for data.key, "HEX64\n" for the others. */
		n = 0;
		if (i == KF_DATA) {
			n = strlen(id);
			memcpy(content, id, n);
			content[n++] = ' ';
		}
		hex_encode(content + n, key, 32);
		content[n + 64] = '\n';
		content[n + 65] = '\0';
		r = create_key_file(path, content, err, errcap);
		wipe(content, sizeof(content));
		if (r == -1)
			goto out;
		created += r;
	}
	rc = created;
out:
	wipe(key, sizeof(key));
	wipe(content, sizeof(content));
	return rc;
}

/* Wipe every key of kr. */
void
keyring_wipe(struct keyring *kr)
{
	wipe(kr, sizeof(*kr));
}
