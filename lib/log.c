/*
 * Error log lines on stderr (Apache's error log under mod_fcgid):
 * "<ISO 8601 time> <prog>[pid] <LEVEL> <request id> <message>", one
 * write(2) per line of at most LOG_LINE bytes, control characters and
 * invalid UTF-8 replaced by '?'.
 *
 * The program name and request id are process-wide context kept in
 * static storage: a FastCGI process serves one request at a time and
 * sets the id at the start of each (and clears it at the end).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "portal.h"

#define LOG_LINE	2048
#define LOG_IDENT	64
#define LOG_REQID	64

static char	log_ident[LOG_IDENT] = "portal";
static char	log_reqid[LOG_REQID] = "-";

static const char *const log_words[] = {
	"ERR",		/* LOG_ERR_ */
	"WARN",		/* LOG_WARN_ */
	"INFO",		/* LOG_INFO_ */
	"DEBUG",	/* LOG_DEBUG_ */
};

/*
 * Copy s (escaped, truncated, spaces made '_' so the line stays
 * parseable) into dst of cap bytes, or dflt if s is NULL or empty.
 */
static void
set_word(char *dst, size_t cap, const char *s, const char *dflt)
{
	char	*p;

	if (s == NULL || *s == '\0')
		s = dflt;
	esc_log(dst, cap, s);
	for (p = dst; *p != '\0'; p++)
		if (*p == ' ')
			*p = '_';
}

/*
 * Set the program name shown on each line (copied; NULL: "portal").
 */
void
log_set_ident(const char *prog)
{
	set_word(log_ident, sizeof(log_ident), prog, "portal");
}

/*
 * Set the request id shown on each line (copied; NULL or "": "-").
 */
void
log_set_request(const char *request_id)
{
	set_word(log_reqid, sizeof(log_reqid), request_id, "-");
}

/*
 * Format and write one log line to stderr.  The message is truncated (on
 * a character boundary) so that the line, newline included, fits
 * LOG_LINE bytes.  errno is preserved, so "%m" may be used; write errors
 * are ignored.
 */
void
plog(enum log_level level, const char *fmt, ...)
{
	char		 raw[LOG_LINE], line[LOG_LINE];
	char		 ts[40];
	const char	*word;
	va_list		 ap;
	int		 len, saved = errno;
	ssize_t		 w;
	size_t		 off, n;

	va_start(ap, fmt);
	len = vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	if (len < 0)
		(void)snprintf(raw, sizeof(raw), "(log format error)");
	time_iso8601(ts, sizeof(ts), time(NULL));
	word = (unsigned)level < sizeof(log_words) / sizeof(log_words[0]) ?
	    log_words[level] : "?";
	/* The prefix is at most about 200 bytes: it always fits. */
	len = snprintf(line, sizeof(line), "%s %s[%ld] %s %s ", ts,
	    log_ident, (long)getpid(), word, log_reqid);
	if (len < 0 || (size_t)len >= sizeof(line))
		len = 0;
	esc_log(line + len, sizeof(line) - (size_t)len, raw);
	n = (size_t)len + strlen(line + len);
	line[n++] = '\n';	/* replaces the NUL; written by length */
	for (off = 0; off < n; off += (size_t)w) {
		w = write(STDERR_FILENO, line + off, n - off);
		if (w < 0 && errno == EINTR) {
			w = 0;
			continue;
		}
		if (w <= 0)
			break;
	}
	errno = saved;
}
