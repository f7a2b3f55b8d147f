/*
 * mail.c: build RFC 5322 messages from validated values only, and hand
 * them to a sendmail-compatible command without a shell.
 *
 * Header values must be valid UTF-8 without control characters (so no
 * CR, LF or NUL can start a header of its own); addresses must pass
 * v_email.  Non-ASCII subjects and display names become RFC 2047 "B"
 * encoded-words of at most 75 characters, one per line, never splitting
 * a UTF-8 character, so no header line exceeds 78 characters unless an
 * address alone is longer.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "portal.h"

#define LINE_MAX_HDR	78	/* RFC 5322 "SHOULD" line length */
#define LINE_MAX_BODY	998	/* RFC 5322 "MUST" line length */
#define EW_MAX		75	/* RFC 2047 encoded-word length */
#define EW_OVERHEAD	12	/* "=?UTF-8?B?" + "?=" */
#define MAIL_ARGV_MAX	16

extern char **environ;

static const char *const wdays[7] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};
static const char *const months[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

/*
 * True if s may go into a header: valid UTF-8, no NUL, no C0 control
 * character (CR, LF, TAB, ...) and no DEL.
 */
static bool
header_ok(const char *s)
{
	const unsigned char	*p;

	if (s == NULL || !utf8_valid(s, strlen(s)))
		return false;
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

/*
 * True if the body is valid UTF-8 without NUL and no line (between line
 * ends, CR or LF) exceeds what 8bit transfer allows.
 */
static bool
body_ok(const char *s)
{
	size_t	n, col = 0, i;

	if (s == NULL)
		return false;
	n = strlen(s);
	if (!utf8_valid(s, n))
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] == '\r' || s[i] == '\n')
			col = 0;
		else if (++col > LINE_MAX_BODY)
			return false;
	}
	return true;
}

/* True if s is printable ASCII only and holds no "=?" (looks encoded). */
static bool
plain_ascii(const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p > 0x7e)
			return false;
	return strstr(s, "=?") == NULL;
}

/*
 * True if s can be a display name as is: RFC 5322 atext and single
 * spaces, neither leading nor trailing.
 */
static bool
plain_phrase(const char *s)
{
	const char	*p;

	if (*s == '\0' || *s == ' ' || s[strlen(s) - 1] == ' ')
		return false;
	for (p = s; *p != '\0'; p++) {
		if (*p == ' ') {
			if (p[1] == ' ')
				return false;
		} else if (!((*p >= 'A' && *p <= 'Z') ||
		    (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    strchr("!#$%&'*+-/=?^_`{|}~", *p) != NULL))
			return false;
	}
	return true;
}

/* Bytes of the UTF-8 sequence whose lead byte is c (valid input). */
static size_t
utf8_seqlen(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c < 0xe0)
		return 2;
	if (c < 0xf0)
		return 3;
	return 4;
}

/*
 * Append s as RFC 2047 encoded-words starting at column *col of the
 * current line.  Each word is as long as fits the line (and 75
 * characters), holds whole UTF-8 characters only and, after the first,
 * starts a folded line ("CRLF SP").  *col is updated.
 */
static void
put_encoded(struct buf *out, const char *s, size_t *col)
{
	char	 b64[EW_MAX + 1];
	size_t	 room, raw, take, cl, n;

	n = strlen(s);
	do {
		room = LINE_MAX_HDR - *col;
		if (room > EW_MAX)
			room = EW_MAX;
		raw = room < EW_OVERHEAD ? 0 : (room - EW_OVERHEAD) / 4 * 3;
		take = 0;
		while (take < n) {
			cl = utf8_seqlen((unsigned char)s[take]);
			if (take + cl > raw)
				break;
			take += cl;
		}
		if (take == 0 && n > 0) {
			/* not even one character fits here: fold first */
			buf_puts(out, "\r\n ");
			*col = 1;
			continue;
		}
		b64_encode(b64, sizeof(b64), s, take);
		buf_printf(out, "=?UTF-8?B?%s?=", b64);
		*col += EW_OVERHEAD + strlen(b64);
		s += take;
		n -= take;
		if (n > 0) {
			buf_puts(out, "\r\n ");
			*col = 1;
		}
	} while (n > 0);
}

/* Append "Date: ..." for now in the process's time zone. */
static void
put_date(struct buf *out, time_t now)
{
	struct tm	tm;
	long		off;
	char		sign = '+';

	if (localtime_r(&now, &tm) == NULL) {
		now = 0;
		gmtime_r(&now, &tm);
		tm.tm_gmtoff = 0;
	}
	off = tm.tm_gmtoff / 60;
	if (off < 0) {
		sign = '-';
		off = -off;
	}
	buf_printf(out, "Date: %s, %02d %s %04d %02d:%02d:%02d %c%02ld%02ld"
	    "\r\n", wdays[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec, sign,
	    off / 60, off % 60);
}

/* Append the body with every line end (LF, CRLF or CR) as CRLF. */
static void
put_body(struct buf *out, const char *s)
{
	const char	*p;
	size_t		 n;

	while (*s != '\0') {
		n = strcspn(s, "\r\n");
		buf_append(out, s, n);
		buf_puts(out, "\r\n");
		p = s + n;
		if (*p == '\r' && p[1] == '\n')
			p += 2;
		else if (*p != '\0')
			p++;
		s = p;
	}
}

/*
 * Append the message m, dated now, to out.  Nothing is appended unless
 * every value is acceptable: MAIL_BAD_HEADER for a control character or
 * invalid UTF-8 in a header value or in the body, MAIL_BAD_ADDRESS for
 * an address v_email refuses.  Aborts if the random generator fails.
 */
enum mail_err
mail_build(struct buf *out, const struct mail *m, time_t now)
{
	unsigned char	 rnd[16];
	char		 mid[33];
	const char	*name;
	size_t		 col;

	if (!header_ok(m->from) || !header_ok(m->to) ||
	    !header_ok(m->subject) ||
	    (m->from_name != NULL && !header_ok(m->from_name)) ||
	    !body_ok(m->body))
		return MAIL_BAD_HEADER;
	if (v_email(m->from) != VERR_OK || v_email(m->to) != VERR_OK)
		return MAIL_BAD_ADDRESS;
	if (rand_bytes(rnd, sizeof(rnd)) == -1)
		abort();
	hex_encode(mid, rnd, sizeof(rnd));

	put_date(out, now);

	name = m->from_name;
	if (name == NULL || *name == '\0')
		buf_printf(out, "From: %s\r\n", m->from);
	else {
		buf_puts(out, "From: ");
		col = 6;
		if (plain_phrase(name) && col + strlen(name) <= LINE_MAX_HDR) {
			buf_puts(out, name);
			col += strlen(name);
		} else
			put_encoded(out, name, &col);
		if (col + 3 + strlen(m->from) > LINE_MAX_HDR)
			buf_puts(out, "\r\n");
		buf_printf(out, " <%s>\r\n", m->from);
	}
	buf_printf(out, "To: %s\r\n", m->to);

	buf_puts(out, "Subject: ");
	col = 9;
	if (plain_ascii(m->subject) &&
	    col + strlen(m->subject) <= LINE_MAX_HDR)
		buf_puts(out, m->subject);
	else
		put_encoded(out, m->subject, &col);
	buf_puts(out, "\r\n");

	buf_printf(out, "Message-ID: <%s@%s>\r\n", mid,
	    strchr(m->from, '@') + 1);
	buf_puts(out, "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n"
	    "\r\n");
	put_body(out, m->body);
	return MAIL_OK;
}

/*
 * Write msg[0..len) to fd with SIGPIPE blocked, so a reader that exits
 * early gives EPIPE instead of killing us; a SIGPIPE raised here is
 * consumed before the old mask is restored.  0 or -1.
 */
static int
write_msg(int fd, const char *msg, size_t len)
{
	sigset_t		 pipeset, oldmask, pending;
	const struct timespec	 zero = { 0, 0 };
	bool			 was_pending;
	ssize_t			 r;
	int			 rc = 0;

	sigemptyset(&pipeset);
	sigaddset(&pipeset, SIGPIPE);
	sigpending(&pending);
	was_pending = sigismember(&pending, SIGPIPE) == 1;
	sigprocmask(SIG_BLOCK, &pipeset, &oldmask);
	while (len > 0) {
		r = write(fd, msg, len);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			rc = -1;
			break;
		}
		msg += r;
		len -= (size_t)r;
	}
	if (rc == -1 && errno == EPIPE && !was_pending) {
		while (sigtimedwait(&pipeset, NULL, &zero) == -1 &&
		    errno == EINTR)
			continue;
	}
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	return rc;
}

/*
 * Run command (split on spaces into at most 16 arguments; the first is
 * the program's path, no shell, no PATH search) with msg on its stdin and
 * stdout/stderr on /dev/null, then wait for it.  MAIL_SPAWN if it cannot
 * be started, MAIL_EXIT if it does not take the whole message or exits
 * non-zero or by a signal.
 */
enum mail_err
mail_send(const char *command, const char *msg, size_t len)
{
	posix_spawn_file_actions_t	 fa;
	posix_spawnattr_t		 attr;
	sigset_t			 sigs;
	char				 cmd[CONF_PATH];
	char				*argv[MAIL_ARGV_MAX + 1], *p, *save;
	size_t				 argc = 0;
	pid_t				 pid;
	int				 fds[2], status, werr;
	enum mail_err			 rc;

	if (command == NULL || strlen(command) >= sizeof(cmd))
		return MAIL_SPAWN;
	memcpy(cmd, command, strlen(command) + 1);
	for (p = strtok_r(cmd, " ", &save); p != NULL;
	    p = strtok_r(NULL, " ", &save)) {
		if (argc == MAIL_ARGV_MAX)
			return MAIL_SPAWN;
		argv[argc++] = p;
	}
	argv[argc] = NULL;
	if (argc == 0)
		return MAIL_SPAWN;

	if (pipe2(fds, O_CLOEXEC) == -1)
		return MAIL_SPAWN;
	if (posix_spawn_file_actions_init(&fa) != 0) {
		close(fds[0]);
		close(fds[1]);
		return MAIL_SPAWN;
	}
	if (posix_spawnattr_init(&attr) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		close(fds[0]);
		close(fds[1]);
		return MAIL_SPAWN;
	}
	rc = MAIL_SPAWN;
	sigemptyset(&sigs);
	if (posix_spawn_file_actions_adddup2(&fa, fds[0], STDIN_FILENO) != 0 ||
	    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null",
	    O_WRONLY, 0) != 0 ||
	    posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO,
	    STDERR_FILENO) != 0 ||
	    posix_spawn_file_actions_addclosefrom_np(&fa, 3) != 0 ||
	    posix_spawnattr_setsigmask(&attr, &sigs) != 0 ||
	    sigaddset(&sigs, SIGPIPE) != 0 ||
	    posix_spawnattr_setsigdefault(&attr, &sigs) != 0 ||
	    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF) != 0 ||
	    posix_spawn(&pid, argv[0], &fa, &attr, argv, environ) != 0) {
		close(fds[0]);
		close(fds[1]);
		goto out;
	}
	close(fds[0]);
	werr = write_msg(fds[1], msg, len);
	close(fds[1]);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			rc = MAIL_EXIT;
			goto out;
		}
	if (werr == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		rc = MAIL_OK;
	else
		rc = MAIL_EXIT;
out:
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}
