/*
 * test_mail.c: mail_build (exact headers, header injection refused,
 * RFC 2047 encoding decodable and folded) and mail_send through small
 * scripts in a temporary directory (no shell involved in the call).
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "portal.h"
#include "tap.h"

static char		tmpdir[64];
static struct arena	arena;

/* Build m at now into a fresh buffer; returns the code, *msg the text. */
static enum mail_err
build(const struct mail *m, time_t now, const char **msg)
{
	struct buf	b;
	enum mail_err	e;

	buf_init(&b, &arena);
	e = mail_build(&b, m, now);
	*msg = b.p;
	return e;
}

/*
 * Unfolded value of header name in msg (header part only) into out,
 * with folding CRLF removed (the SP kept), or NULL.
 */
static char *
header(const char *msg, const char *name, char *out, size_t cap)
{
	const char	*p = msg, *e;
	size_t		 nl = strlen(name), o = 0;

	for (;;) {
		if (strncmp(p, "\r\n", 2) == 0)
			return NULL;	/* end of headers */
		if (strncmp(p, name, nl) == 0 && p[nl] == ':' &&
		    p[nl + 1] == ' ')
			break;
		if ((p = strstr(p, "\r\n")) == NULL)
			return NULL;
		p += 2;
	}
	p += nl + 2;
	for (;;) {
		e = strstr(p, "\r\n");
		if (e == NULL || o + (size_t)(e - p) >= cap)
			return NULL;
		memcpy(out + o, p, (size_t)(e - p));
		o += (size_t)(e - p);
		p = e + 2;
		if (*p != ' ')
			break;
	}
	out[o] = '\0';
	return out;
}

/*
 * Decode a value made of "=?UTF-8?B?...?=" words separated by single
 * spaces into out.  Each word must be at most 75 characters and decode
 * on its own to valid UTF-8.  Returns 0 or -1.
 */
static int
decode_words(const char *v, char *out, size_t cap)
{
	char		 word[128];
	size_t		 o = 0, n, i;
	const char	*end;
	ssize_t		 d;

	while (*v != '\0') {
		if (strncmp(v, "=?UTF-8?B?", 10) != 0)
			return -1;
		if ((end = strstr(v + 10, "?=")) == NULL)
			return -1;
		if ((size_t)(end + 2 - v) > 75)
			return -1;
		n = (size_t)(end - (v + 10));
		if (n >= sizeof(word))
			return -1;
		/* standard base64 to url alphabet, drop padding */
		for (i = 0; i < n; i++) {
			char	c = v[10 + i];

			word[i] = c == '+' ? '-' : c == '/' ? '_' : c;
		}
		while (n > 0 && word[n - 1] == '=')
			n--;
		d = b64url_decode(out + o, cap - o - 1, word, n);
		if (d < 0 || !utf8_valid(out + o, (size_t)d))
			return -1;
		o += (size_t)d;
		v = end + 2;
		if (*v == ' ')
			v++;
	}
	out[o] = '\0';
	return 0;
}

/* Longest line (without CRLF) of the header part of msg. */
static size_t
max_header_line(const char *msg)
{
	const char	*p = msg, *e;
	size_t		 max = 0;

	while ((e = strstr(p, "\r\n")) != NULL && e != p) {
		if ((size_t)(e - p) > max)
			max = (size_t)(e - p);
		p = e + 2;
	}
	return max;
}

static const struct mail base = {
	"noreply@example.jp", NULL, "taro@example.jp", "Hello",
	"line 1\nline 2\n"
};

static void
test_exact(void)
{
	struct mail	 m = base;
	const char	*msg, *mid;
	char		 v[256];
	size_t		 i;

	setenv("TZ", "JST-9", 1);
	tzset();
	is_int(build(&m, 1700000000, &msg), MAIL_OK, "build plain");
	mid = strstr(msg, "Message-ID: <");
	ok(mid != NULL, "has Message-ID");
	if (mid == NULL)
		return;
	mid += 13;
	for (i = 0; i < 32; i++)
		if (!((mid[i] >= '0' && mid[i] <= '9') ||
		    (mid[i] >= 'a' && mid[i] <= 'f')))
			break;
	is_int(i, 32, "Message-ID has 32 hex digits");
	ok(strncmp(mid + 32, "@example.jp>\r\n", 14) == 0,
	    "Message-ID domain of From");
	snprintf(v, sizeof(v), "%.32s", mid);
	{
		char	want[1024];

		snprintf(want, sizeof(want),
		    "Date: Wed, 15 Nov 2023 07:13:20 +0900\r\n"
		    "From: noreply@example.jp\r\n"
		    "To: taro@example.jp\r\n"
		    "Subject: Hello\r\n"
		    "Message-ID: <%s@example.jp>\r\n"
		    "MIME-Version: 1.0\r\n"
		    "Content-Type: text/plain; charset=UTF-8\r\n"
		    "Content-Transfer-Encoding: 8bit\r\n"
		    "\r\n"
		    "line 1\r\nline 2\r\n", v);
		is_str(msg, want, "whole message");
	}
	build(&m, 1700000000, &msg);
	ok(strstr(msg, v) == NULL, "Message-ID is random");

	setenv("TZ", "EST5", 1);
	tzset();
	build(&m, 1700000000, &msg);
	ok(strncmp(msg, "Date: Tue, 14 Nov 2023 17:13:20 -0500\r\n", 39) == 0,
	    "negative offset");
	setenv("TZ", "IST-5:30", 1);
	tzset();
	build(&m, 1700000000, &msg);
	ok(strncmp(msg, "Date: Wed, 15 Nov 2023 03:43:20 +0530\r\n", 39) == 0,
	    "half-hour offset");
	setenv("TZ", "JST-9", 1);
	tzset();

	m.body = "a\r\nb\rc\n\nd";
	build(&m, 0, &msg);
	ok(strstr(msg, "\r\n\r\na\r\nb\r\nc\r\n\r\nd\r\n") != NULL &&
	    msg[strlen(msg) - 1] == '\n',
	    "body line ends normalised to CRLF, final CRLF added");
	m.body = "本文です。\n";
	build(&m, 0, &msg);
	ok(strstr(msg, "\r\n\r\n本文です。\r\n") != NULL, "UTF-8 body 8bit");
}

static void
test_injection(void)
{
	struct mail	 m;
	const char	*msg;
	char		 longline[1100];

	m = base;
	m.to = "a@b.jp\r\nBcc: x@y.jp";
	is_int(build(&m, 0, &msg), MAIL_BAD_HEADER, "CRLF in To");
	m.to = "a@b.jp\nBcc: x@y.jp";
	is_int(build(&m, 0, &msg), MAIL_BAD_HEADER, "LF in To");
	m.to = "a@b.jp, x@y.jp";
	is_int(build(&m, 0, &msg), MAIL_BAD_ADDRESS, "two addresses in To");
	m.to = "not an address";
	is_int(build(&m, 0, &msg), MAIL_BAD_ADDRESS, "bad To");
	m = base;
	m.from = "noreply@example.jp\r\nBcc: x@y.jp";
	is_int(build(&m, 0, &msg), MAIL_BAD_HEADER, "CRLF in From");
	m.from = "noreply";
	is_int(build(&m, 0, &msg), MAIL_BAD_ADDRESS, "bad From");
	m = base;
	m.subject = "Hi\nBcc: x@y.jp";
	is_int(build(&m, 0, &msg), MAIL_BAD_HEADER, "LF in Subject");
	m.subject = "Hi\r";
	is_int(build(&m, 0, &msg), MAIL_BAD_HEADER, "CR in Subject");
	m.subject = "Hi\tthere";
	is_int(build(&m, 0, &msg), MAIL_BAD_HEADER, "TAB in Subject");
	m.subject = "\xe4\xbc";
	is_int(build(&m, 0, &msg), MAIL_BAD_HEADER, "bad UTF-8 Subject");
	m.subject = NULL;
	is_int(build(&m, 0, &msg), MAIL_BAD_HEADER, "NULL Subject");
	m = base;
	m.from_name = "Portal\rBcc: x@y.jp";
	is_int(build(&m, 0, &msg), MAIL_BAD_HEADER, "CR in from_name");
	m.from_name = "会員\xff";
	is_int(build(&m, 0, &msg), MAIL_BAD_HEADER, "bad UTF-8 from_name");
	m = base;
	m.body = "\xc0\xaf";
	is_int(build(&m, 0, &msg), MAIL_BAD_HEADER, "bad UTF-8 body");
	m.body = NULL;
	is_int(build(&m, 0, &msg), MAIL_BAD_HEADER, "NULL body");
	memset(longline, 'x', 999);
	longline[999] = '\0';
	m.body = longline;
	is_int(build(&m, 0, &msg), MAIL_BAD_HEADER, "999-octet body line");
	longline[998] = '\0';
	is_int(build(&m, 0, &msg), MAIL_OK, "998-octet body line");
}

static void
test_encoding(void)
{
	static const char	 longsubj[] =
	    "【会員ポータル】パスワード再設定のご案内：お手続きは24時間以内"
	    "に完了してください。ご不明な点はサポート窓口までお問い合わせ"
	    "ください🍣🍣🍣";
	struct mail		 m = base;
	const char		*msg;
	char			 v[2048], dec[2048];

	m.subject = "会員登録のご確認";
	is_int(build(&m, 0, &msg), MAIL_OK, "Japanese subject");
	ok(strstr(msg, "\r\nSubject: =?UTF-8?B?5Lya5ZOh55m76Yyy44Gu44GU56K66KqN"
	    "?=\r\n") != NULL, "subject encoded (base64 from Python)");
	ok(header(msg, "Subject", v, sizeof(v)) != NULL &&
	    decode_words(v, dec, sizeof(dec)) == 0 &&
	    strcmp(dec, "会員登録のご確認") == 0, "subject decodes back");

	m.subject = longsubj;
	is_int(build(&m, 0, &msg), MAIL_OK, "long Japanese subject");
	ok(max_header_line(msg) <= 78, "no header line over 78 (%zu)",
	    max_header_line(msg));
	ok(strstr(msg, "?=\r\n =?UTF-8?B?") != NULL, "folded with CRLF SP");
	ok(header(msg, "Subject", v, sizeof(v)) != NULL &&
	    decode_words(v, dec, sizeof(dec)) == 0 &&
	    strcmp(dec, longsubj) == 0,
	    "folded subject decodes back, no character split");

	m = base;
	m.from_name = "会員ポータル";
	build(&m, 0, &msg);
	ok(strstr(msg, "\r\nFrom: =?UTF-8?B?5Lya5ZOh44Od44O844K/44Or?= "
	    "<noreply@example.jp>\r\n") != NULL, "From with encoded name");
	m.from_name = "Member Portal";
	build(&m, 0, &msg);
	ok(strstr(msg, "\r\nFrom: Member Portal <noreply@example.jp>\r\n")
	    != NULL, "plain ASCII name as is");
	m.from_name = "Portal, Inc. <evil@x.jp>";
	build(&m, 0, &msg);
	ok(header(msg, "From", v, sizeof(v)) != NULL &&
	    strncmp(v, "=?UTF-8?B?", 10) == 0 &&
	    strstr(v, "evil") == NULL, "name with specials is encoded: %s", v);
	m.from_name = longsubj;
	build(&m, 0, &msg);
	ok(max_header_line(msg) <= 78, "long From name folded (%zu)",
	    max_header_line(msg));
	ok(header(msg, "From", v, sizeof(v)) != NULL &&
	    strlen(v) > 21 && strcmp(v + strlen(v) - 21,
	    " <noreply@example.jp>") == 0, "address after folded name");
	*strrchr(v, ' ') = '\0';
	ok(decode_words(v, dec, sizeof(dec)) == 0 &&
	    strcmp(dec, longsubj) == 0, "long From name decodes back");

	m = base;
	m.subject = "Your code: 12345 (valid for 10 minutes) & more";
	build(&m, 0, &msg);
	ok(strstr(msg, "\r\nSubject: Your code: 12345 (valid for 10 minutes) "
	    "& more\r\n") != NULL, "printable ASCII subject as is");
	m.subject = "=?UTF-8?B?5Lya?=";
	build(&m, 0, &msg);
	ok(header(msg, "Subject", v, sizeof(v)) != NULL &&
	    decode_words(v, dec, sizeof(dec)) == 0 &&
	    strcmp(dec, "=?UTF-8?B?5Lya?=") == 0,
	    "subject that looks encoded is itself encoded");
	m.subject = "This subject is plain ASCII but far too long to fit on "
	    "one header line of 78 characters";
	build(&m, 0, &msg);
	ok(max_header_line(msg) <= 78 && header(msg, "Subject", v, sizeof(v))
	    != NULL && decode_words(v, dec, sizeof(dec)) == 0 &&
	    strcmp(dec, m.subject) == 0, "long ASCII subject encoded, folded");
}

/* Write an executable script dir/name with text. */
static void
script(const char *name, const char *text, char *path, size_t cap)
{
	FILE	*f;

	snprintf(path, cap, "%s/%s", tmpdir, name);
	if ((f = fopen(path, "w")) == NULL || fputs(text, f) == EOF ||
	    fclose(f) == EOF || chmod(path, 0700) == -1) {
		printf("Bail out! cannot write %s\n", path);
		exit(1);
	}
}

/* Read file path into out (cap); length or -1. */
static ssize_t
slurp(const char *path, char *out, size_t cap)
{
	ssize_t	n;
	int	fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		return -1;
	n = read(fd, out, cap - 1);
	close(fd);
	if (n >= 0)
		out[n] = '\0';
	return n;
}

static void
test_send(void)
{
	struct mail	 m = base;
	const char	*msg;
	char		 copy[PATH_MAX], fail[PATH_MAX], args[PATH_MAX];
	char		 quit[PATH_MAX], outf[PATH_MAX], cmd[3 * PATH_MAX];
	char		 got[8192], *big;
	size_t		 i;

	script("copy", "#!/bin/sh\nexec cat > \"$1\"\n", copy, sizeof(copy));
	script("fail", "#!/bin/sh\ncat > /dev/null\nexit 1\n", fail,
	    sizeof(fail));
	script("args", "#!/bin/sh\nout=$1\nshift\n"
	    "printf '[%s]' \"$#\" \"$@\" > \"$out\"\ncat > /dev/null\n", args,
	    sizeof(args));
	script("quit", "#!/bin/sh\nexit 0\n", quit, sizeof(quit));
	snprintf(outf, sizeof(outf), "%s/out.eml", tmpdir);

	m.subject = "会員登録のご確認";
	build(&m, 0, &msg);
	snprintf(cmd, sizeof(cmd), "%s %s", copy, outf);
	is_int(mail_send(cmd, msg, strlen(msg)), MAIL_OK, "send via script");
	ok(slurp(outf, got, sizeof(got)) == (ssize_t)strlen(msg) &&
	    strcmp(got, msg) == 0, "command got the exact message on stdin");
	unlink(outf);

	snprintf(cmd, sizeof(cmd), "%s  %s   -t -i ;rm$(x) `y` |z", args,
	    outf);
	is_int(mail_send(cmd, "x", 1), MAIL_OK, "send with odd arguments");
	ok(slurp(outf, got, sizeof(got)) > 0 &&
	    strcmp(got, "[5][-t][-i][;rm$(x)][`y`][|z]") == 0,
	    "split on spaces, no shell: %s", got);
	unlink(outf);

	snprintf(cmd, sizeof(cmd), "%s %s 1 2 3 4 5 6 7 8 9 10 11 12 13 14",
	    args, outf);
	is_int(mail_send(cmd, "x", 1), MAIL_OK, "16 arguments allowed");
	unlink(outf);
	snprintf(cmd, sizeof(cmd), "%s %s 1 2 3 4 5 6 7 8 9 10 11 12 13 14 "
	    "15", args, outf);
	is_int(mail_send(cmd, "x", 1), MAIL_SPAWN, "17 arguments refused");
	ok(access(outf, F_OK) == -1, "  and nothing ran");

	is_int(mail_send(fail, msg, strlen(msg)), MAIL_EXIT, "exit 1");
	is_int(mail_send("/nonexistent/sendmail -t -i", msg, strlen(msg)),
	    MAIL_SPAWN, "nonexistent command");
	is_int(mail_send("sh -c true", "x", 1), MAIL_SPAWN,
	    "no PATH search");
	is_int(mail_send("", "x", 1), MAIL_SPAWN, "empty command");
	is_int(mail_send("   ", "x", 1), MAIL_SPAWN, "blank command");

	/* a reader that quits early: EPIPE, not a SIGPIPE death */
	big = malloc(4 << 20);
	if (big != NULL) {
		for (i = 0; i < (4u << 20); i++)
			big[i] = 'a';
		is_int(mail_send(quit, big, 4u << 20), MAIL_EXIT,
		    "command that does not read: MAIL_EXIT, we survive");
		free(big);
	}
	unlink(copy);
	unlink(fail);
	unlink(args);
	unlink(quit);
	rmdir(tmpdir);
}

int
main(void)
{
	arena_init(&arena, 8192);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_mail.XXXXXX");
	if (mkdtemp(tmpdir) == NULL) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	test_exact();
	test_injection();
	test_encoding();
	test_send();
	arena_free(&arena);
	return done_testing();
}
