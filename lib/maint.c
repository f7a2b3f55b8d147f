/*
 * Maintenance flag: while the file exists the programs answer 503 with
 * the file's text (if any) as the message.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "portal.h"

/*
 * Drop an incomplete UTF-8 sequence that a read of exactly len bytes may
 * have cut at the end of s.  Returns the new length.
 */
static size_t
drop_cut_sequence(const char *s, size_t len)
{
	size_t		back, need;
	unsigned char	c;

	for (back = 1; back <= 3 && back <= len; back++) {
		c = (unsigned char)s[len - back];
		if ((c & 0xc0) == 0x80)
			continue;	/* continuation byte: look further */
		if (c < 0x80)
			return len;
		need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
		return need > back ? len - back : len;
	}
	return len;
}

/*
 * True if the flag file exists (even if it cannot be read, is not a
 * regular file or is a symbolic link, which is not followed).  If msg is
 * not NULL and cap > 0, msg gets the file's first cap - 1 bytes, trailing
 * whitespace trimmed, when they are valid UTF-8 without NUL (a character
 * cut by the cap is dropped), else the empty string.  The file is opened
 * with O_NONBLOCK so a FIFO cannot block the process.
 */
bool
maintenance_active(const char *flag, char *msg, size_t cap)
{
	struct stat	 st;
	size_t		 got = 0;
	ssize_t		 r;
	int		 fd;

	if (msg != NULL && cap > 0)
		msg[0] = '\0';
	if (flag == NULL || *flag == '\0')
		return false;
	fd = open(flag, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd == -1)
		return lstat(flag, &st) == 0;
	if (msg == NULL || cap == 0 || fstat(fd, &st) == -1 ||
	    !S_ISREG(st.st_mode)) {
		close(fd);
		return true;
	}
	while (got < cap - 1) {
		r = read(fd, msg + got, cap - 1 - got);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (got == cap - 1)
		got = drop_cut_sequence(msg, got);
	if (!utf8_valid(msg, got))
		got = 0;
	while (got > 0 && strchr(" \t\r\n\v\f", msg[got - 1]) != NULL)
		got--;
	msg[got] = '\0';
	return true;
}
