/*
 * Unit tests for lib/log.c: stderr is redirected to a temporary file and
 * the lines read back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "portal.h"
#include "tap.h"

static char	line[4096];

static long	nread;

/*
 * Run one plog call with stderr on a temporary file; leave the written
 * bytes (NUL-terminated) in line and their count (or -1) in nread.
 */
#define CAPTURE(call) do {						\
	int saved_ = capture_start();					\
	call;								\
	nread = capture_end(saved_);					\
} while (0)

/*
 * Redirect stderr to a new temporary file; returns the saved descriptor
 * of the old stderr, or -1.
 */
static int
capture_start(void)
{
	FILE	*f;
	int	 saved;

	if ((f = tmpfile()) == NULL)
		return -1;
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(fileno(f), STDERR_FILENO);
	fclose(f);
	return saved;
}

/*
 * Read back what was written since capture_start and restore stderr.
 */
static long
capture_end(int saved)
{
	ssize_t	n;

	if (saved == -1)
		return -1;
	lseek(STDERR_FILENO, 0, SEEK_SET);
	n = read(STDERR_FILENO, line, sizeof(line) - 1);
	dup2(saved, STDERR_FILENO);
	close(saved);
	line[n < 0 ? 0 : n] = '\0';
	return (long)n;
}

/*
 * Line layout, level words, request id, ident.
 */
static void
test_format(void)
{
	char	want[256];
	long	n;

	setenv("TZ", "JST-9", 1);
	tzset();
	log_set_ident("portal-auth");
	log_set_request(NULL);
	CAPTURE(plog(LOG_ERR_, "db down: %s (%d)", "timeout", 3));
	n = nread;
	ok(n > 0, "something written");
	ok(strlen(line) >= 25 && line[4] == '-' && line[10] == 'T' &&
	    strncmp(line + 19, "+09:00 ", 7) == 0, "ISO 8601 with offset");
	snprintf(want, sizeof(want), "portal-auth[%ld] ERR - db down: timeout (3)\n",
	    (long)getpid());
	is_str(line + 26, want, "ident, pid, level, no request, message");

	log_set_request("req-42");
	CAPTURE(plog(LOG_WARN_, "w"));
	snprintf(want, sizeof(want), "portal-auth[%ld] WARN req-42 w\n",
	    (long)getpid());
	is_str(line + 26, want, "WARN with request id");
	CAPTURE(plog(LOG_INFO_, "i"));
	ok(strstr(line, "] INFO req-42 i\n") != NULL, "INFO");
	CAPTURE(plog(LOG_DEBUG_, "d"));
	ok(strstr(line, "] DEBUG req-42 d\n") != NULL, "DEBUG");
	CAPTURE(plog((enum log_level)9, "q"));
	ok(strstr(line, "] ? req-42 q\n") != NULL, "unknown level");
	log_set_request("");
	CAPTURE(plog(LOG_INFO_, "x"));
	ok(strstr(line, "] INFO - x\n") != NULL, "empty request id is -");
	log_set_request("a b\nc");
	CAPTURE(plog(LOG_INFO_, "x"));
	ok(strstr(line, "] INFO a_b?c x\n") != NULL, "request id escaped");
	log_set_request(NULL);
	log_set_ident(NULL);
	CAPTURE(plog(LOG_INFO_, "x"));
	ok(strstr(line, " portal[") != NULL, "NULL ident is portal");
}

/*
 * Injection: control characters in the message, one line only.
 */
static void
test_escape(void)
{
	char	*nl;

	CAPTURE(plog(LOG_ERR_, "user=%s", "evil\n2026-01-01 FAKE\r\x1b[31m"));
	nl = strchr(line, '\n');
	ok(nl != NULL && nl[1] == '\0', "exactly one line");
	ok(strstr(line, "user=evil?2026-01-01 FAKE??[31m\n") != NULL,
	    "CR, LF, ESC replaced");
	CAPTURE(plog(LOG_ERR_, "bad \xc0\xaf utf8 \xe6\x97\xa5"));
	ok(strstr(line, "bad ?? utf8 \xe6\x97\xa5\n") != NULL,
	    "invalid UTF-8 replaced, valid kept");
	errno = ENOENT;
	CAPTURE(plog(LOG_ERR_, "open: %m"));
	ok(strstr(line, "open: No such file or directory\n") != NULL,
	    "%%m sees the caller's errno");
	errno = EACCES;
	CAPTURE(plog(LOG_ERR_, "x"));
	is_int(errno, EACCES, "errno preserved");
}

/*
 * Bound: a long message is cut so the line is at most 2048 bytes.
 */
static void
test_bound(void)
{
	char	*big;
	long	 n;

	big = malloc(10000);
	if (big == NULL)
		return;
	memset(big, 'a', 9999);
	big[9999] = '\0';
	CAPTURE(plog(LOG_ERR_, "%s", big));
	n = nread;
	is_int(n, 2048, "line capped at 2048 bytes");
	ok(n > 2 && line[n - 1] == '\n' && line[n - 2] == 'a',
	    "ends with a newline");
	ok(n > 2 && strchr(line, '\n') == line + n - 1, "still one line");
	for (n = 0; n + 3 < 9999; n += 3)
		memcpy(big + n, "\xe6\x97\xa5", 3);
	big[n] = '\0';
	CAPTURE(plog(LOG_ERR_, "%s", big));
	n = nread;
	ok(n > 2000 && n <= 2048, "multibyte line within 2048 bytes");
	ok(n > 0 && utf8_valid(line, (size_t)n),
	    "no character split at the cut");
	free(big);
}

/*
 * Run every test; TAP on stdout, exit status 1 if any failed.
 */
int
main(void)
{
	test_format();
	test_escape();
	test_bound();
	return done_testing();
}
