/*
 * Unit tests for lib/maint.c, on files in a fresh temporary directory.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "portal.h"
#include "tap.h"

static char	dir[64];
static char	path[128];

/*
 * Path of name inside the test directory (static storage).
 */
static const char *
p(const char *name)
{
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

/*
 * Create name with the n bytes of data; 0 or -1.
 */
static int
put(const char *name, const char *data, size_t n)
{
	int	fd, rc = 0;

	fd = open(p(name), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd == -1)
		return -1;
	if (write(fd, data, n) != (ssize_t)n)
		rc = -1;
	close(fd);
	return rc;
}

#define PUT(name, lit)	put((name), (lit), sizeof(lit) - 1)

/*
 * Messages: trimming, UTF-8, NUL, caps.
 */
static void
test_messages(void)
{
	char	msg[64], small[8], one[1];

	strcpy(msg, "junk");
	ok(!maintenance_active(p("missing"), msg, sizeof(msg)),
	    "missing file: false");
	is_str(msg, "", "missing file: empty message");
	ok(!maintenance_active(NULL, msg, sizeof(msg)), "NULL path: false");
	ok(!maintenance_active("", msg, sizeof(msg)), "empty path: false");
	ok(!maintenance_active(p("missing/x"), msg, sizeof(msg)),
	    "missing directory: false");

	PUT("flag", "メンテナンス中です。\n  \t\r\n");
	ok(maintenance_active(p("flag"), msg, sizeof(msg)), "flag: true");
	is_str(msg, "メンテナンス中です。", "message, whitespace trimmed");
	PUT("flag", "  a b  \n");
	maintenance_active(p("flag"), msg, sizeof(msg));
	is_str(msg, "  a b", "leading whitespace kept");
	PUT("flag", "");
	ok(maintenance_active(p("flag"), msg, sizeof(msg)), "empty file: true");
	is_str(msg, "", "empty file: empty message");
	PUT("flag", "\n\n");
	maintenance_active(p("flag"), msg, sizeof(msg));
	is_str(msg, "", "only whitespace: empty message");
	PUT("flag", "bad \xc0\xaf here");
	ok(maintenance_active(p("flag"), msg, sizeof(msg)),
	    "invalid UTF-8: still true");
	is_str(msg, "", "invalid UTF-8: empty message");
	PUT("flag", "sur\xed\xa0\x80");
	maintenance_active(p("flag"), msg, sizeof(msg));
	is_str(msg, "", "surrogate: empty message");
	PUT("flag", "nul\0inside");
	maintenance_active(p("flag"), msg, sizeof(msg));
	is_str(msg, "", "NUL byte: empty message");
	PUT("flag", "hi");
	ok(maintenance_active(p("flag"), NULL, 0), "msg NULL: true");
	ok(maintenance_active(p("flag"), one, 0), "cap 0: true");
	one[0] = 'x';
	maintenance_active(p("flag"), one, sizeof(one));
	is_str(one, "", "cap 1: empty message");

	PUT("flag", "1234567");
	maintenance_active(p("flag"), small, sizeof(small));
	is_str(small, "1234567", "exactly cap - 1 bytes");
	PUT("flag", "12345678");
	maintenance_active(p("flag"), small, sizeof(small));
	is_str(small, "1234567", "one over: first cap - 1 bytes");
	PUT("flag", "12345日");
	maintenance_active(p("flag"), small, sizeof(small));
	is_str(small, "12345", "character cut by the cap dropped");
	PUT("flag", "1日本");
	maintenance_active(p("flag"), small, sizeof(small));
	is_str(small, "1日本", "two characters fit exactly");
	PUT("flag", "12345 \n9");
	maintenance_active(p("flag"), small, sizeof(small));
	is_str(small, "12345", "trimmed after the cut");
}

/*
 * Things that are not plain readable files.
 */
static void
test_special(void)
{
	char	msg[64], target[128];
	int	fd;

	PUT("target", "secret");
	snprintf(target, sizeof(target), "%s", p("target"));
	if (symlink(target, p("link")) == 0) {
		strcpy(msg, "junk");
		ok(maintenance_active(p("link"), msg, sizeof(msg)),
		    "symlink: true");
		is_str(msg, "", "symlink not followed");
	} else
		ok(0, "symlink could not be made");
	if (symlink("/nonexistent/flag", p("dangling")) == 0)
		ok(maintenance_active(p("dangling"), msg, sizeof(msg)),
		    "dangling symlink: true");
	else
		ok(0, "dangling symlink could not be made");
	if (mkdir(p("sub"), 0700) == 0) {
		ok(maintenance_active(p("sub"), msg, sizeof(msg)),
		    "directory: true");
		is_str(msg, "", "directory: empty message");
	} else
		ok(0, "directory could not be made");
	if (mkfifo(p("fifo"), 0600) == 0) {
		ok(maintenance_active(p("fifo"), msg, sizeof(msg)),
		    "FIFO without writer: true, no hang");
		is_str(msg, "", "FIFO: empty message");
	} else
		ok(0, "FIFO could not be made");
	PUT("locked", "text");
	chmod(p("locked"), 0);
	fd = open(p("locked"), O_RDONLY);
	if (fd == -1) {
		ok(maintenance_active(p("locked"), msg, sizeof(msg)),
		    "unreadable: true");
		is_str(msg, "", "unreadable: empty message");
	} else {
		close(fd);
		ok(1, "running as root: unreadable case skipped");
	}
}

/*
 * Remove the test directory's entries and the directory.
 */
static void
cleanup(void)
{
	static const char *const names[] = { "flag", "target", "link",
	    "dangling", "fifo", "locked" };
	size_t	i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unlink(p(names[i]));
	rmdir(p("sub"));
	rmdir(dir);
}

/*
 * Run every test; TAP on stdout, exit status 1 if any failed.
 */
int
main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/test_maint.XXXXXX");
	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp");
		return done_testing();
	}
	test_messages();
	test_special();
	cleanup();
	return done_testing();
}
