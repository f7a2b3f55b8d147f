/*
 * test_qr.c: qr.c renders well-formed, CSP-safe SVG whose path, parsed
 * back into a module matrix, equals the matrix libqrencode produces for
 * the same text; labels are escaped; bad input leaves the buffer alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "portal.h"
#include "tap.h"

static const char uri[] = "otpauth://totp/%E4%BC%9A%E5%93%A1%E3%83%9D%E3%83"
    "%BC%E3%82%BF%E3%83%AB:taro%40example.jp?secret="
    "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=%E4%BC%9A%E5%93%A1%E3%83%9D"
    "%E3%83%BC%E3%82%BF%E3%83%AB&algorithm=SHA1&digits=6&period=30";

/* Number of non-overlapping occurrences of needle in hay. */
static size_t
count(const char *hay, const char *needle)
{
	size_t	n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* True if s ends with suffix. */
static int
ends_with(const char *s, const char *suffix)
{
	size_t	a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/*
 * Read a non-negative decimal at *p into *v and advance *p; 0, or -1 if
 * there is no digit or the value is over 10000.
 */
static int
num(const char **p, int *v)
{
	char	*end;
	long	 l;

	if (**p < '0' || **p > '9')
		return -1;
	l = strtol(*p, &end, 10);
	if (l > 10000)
		return -1;
	*v = (int)l;
	*p = end;
	return 0;
}

/* Expect literal s at *p and advance past it; 0 or -1. */
static int
lit(const char **p, const char *s)
{
	size_t	n = strlen(s);

	if (strncmp(*p, s, n) != 0)
		return -1;
	*p += n;
	return 0;
}

/*
 * Parse one run "Mx yhNv1h-Nz" at *p into x, y, w and advance *p;
 * 0, or -1 on any other syntax or if the two widths differ.
 */
static int
run(const char **p, int *x, int *y, int *w)
{
	int	w2;

	if (lit(p, "M") || num(p, x) || lit(p, " ") || num(p, y) ||
	    lit(p, "h") || num(p, w) || lit(p, "v1h-") || num(p, &w2) ||
	    lit(p, "z") || *w != w2)
		return -1;
	return 0;
}

/*
 * Parse the d attribute of svg's only path ("Mx yhNv1h-Nz" runs) into
 * grid (side x side, zeroed by the caller), marking dark modules.
 * Returns 0, or -1 if the syntax is off, a run leaves the grid or two
 * runs overlap.
 */
static int
parse_path(const char *svg, unsigned char *grid, int side)
{
	const char	*p, *end;
	int		 x, y, w, i;

	if ((p = strstr(svg, " d=\"")) == NULL)
		return -1;
	p += 4;
	if ((end = strchr(p, '"')) == NULL)
		return -1;
	while (p < end) {
		if (run(&p, &x, &y, &w) != 0)
			return -1;
		if (w <= 0 || x < 0 || y < 0 || y >= side ||
		    x + w > side)
			return -1;
		for (i = x; i < x + w; i++) {
			if (grid[y * side + i])
				return -1;
			grid[y * side + i] = 1;
		}
	}
	return p == end ? 0 : -1;
}

/* Structure, attributes and the picture itself for a TOTP URI. */
static void
test_render(void)
{
	struct arena	 a;
	struct buf	 b;
	QRcode		*qr;
	unsigned char	*grid;
	char		 want[128];
	int		 n, x, y, same = 1, quiet = 1;

	arena_init(&a, 4096);
	buf_init(&b, &a);
	is_int(qr_svg(&b, uri, "二要素認証の QR コード"), 0, "qr_svg ok");
	ok(strncmp(b.p, "<svg ", 5) == 0, "starts with <svg");
	ok(ends_with(b.p, "</svg>"), "ends with </svg>");
	is_int(strlen(b.p), b.len, "length matches, no NUL inside");
	is_int(count(b.p, "<path"), 1, "exactly one <path");
	is_int(count(b.p, "<svg"), 1, "one <svg");
	ok(strstr(b.p, "script") == NULL, "no script");
	ok(strstr(b.p, "style") == NULL, "no style attribute or element");
	ok(strstr(b.p, "href") == NULL, "no href");
	ok(strstr(b.p, "url(") == NULL, "no url()");
	ok(strstr(b.p, " on") == NULL, "no event handler attribute");
	ok(strstr(b.p, "role=\"img\"") != NULL, "role=img");
	ok(strstr(b.p, "aria-label=\"二要素認証の QR コード\"") != NULL,
	    "aria-label");
	ok(strstr(b.p, "fill=\"#000\"") != NULL, "presentation fill");

	qr = QRcode_encodeString(uri, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!ok(qr != NULL, "libqrencode encodes the URI"))
		goto out;
	n = qr->width + 8;
	snprintf(want, sizeof(want), "viewBox=\"0 0 %d %d\"", n, n);
	ok(strstr(b.p, want) != NULL, "viewBox is modules + 8 (%d)", n);
	snprintf(want, sizeof(want), "width=\"%d\" height=\"%d\"",
	    n * QR_SCALE, n * QR_SCALE);
	ok(strstr(b.p, want) != NULL, "width/height attributes");
	snprintf(want, sizeof(want), "<rect width=\"%d\" height=\"%d\" "
	    "fill=\"#fff\"/>", n, n);
	ok(strstr(b.p, want) != NULL, "light background covers quiet zone");

	if ((grid = calloc((size_t)n * (size_t)n, 1)) == NULL) {
		ok(0, "calloc");
		QRcode_free(qr);
		goto out;
	}
	is_int(parse_path(b.p, grid, n), 0, "path parses, runs disjoint");
	for (y = 0; y < n; y++)
		for (x = 0; x < n; x++) {
			int	inner = x >= 4 && y >= 4 && x < n - 4 &&
			    y < n - 4;
			int	dark = inner ? qr->data[(y - 4) * qr->width +
			    (x - 4)] & 1 : 0;

			if (!inner && grid[y * n + x])
				quiet = 0;
			if (grid[y * n + x] != dark)
				same = 0;
		}
	ok(quiet, "quiet zone of 4 modules is empty");
	ok(same, "matrix from the path equals libqrencode's");
	free(grid);
	QRcode_free(qr);

	/* the buffer is appended to, not reset */
	buf_init(&b, &a);
	buf_puts(&b, "<p>");
	is_int(qr_svg(&b, "A", "x"), 0, "short text");
	ok(strncmp(b.p, "<p><svg ", 8) == 0, "appends after existing text");
	ok(strstr(b.p, "viewBox=\"0 0 29 29\"") != NULL, "version 1 is 21+8");
out:
	arena_free(&a);
}

/* Runs are maximal: no run ends where the next on the same row starts. */
static void
test_runs_merged(void)
{
	struct arena	 a;
	struct buf	 b;
	const char	*p;
	int		 x, y, w, px = -1, py = -1, pend = -1;
	int		 merged = 1, nruns = 0;

	arena_init(&a, 4096);
	buf_init(&b, &a);
	is_int(qr_svg(&b, uri, "qr"), 0, "render again");
	p = strstr(b.p, " d=\"") + 4;
	while (*p == 'M' && run(&p, &x, &y, &w) == 0) {
		if (y == py && x <= pend)
			merged = 0;
		if (y < py || (y == py && x < px))
			merged = 0;	/* out of order */
		px = x;
		py = y;
		pend = x + w;
		nruns++;
	}
	ok(merged, "runs are maximal and in row order");
	ok(nruns > 100, "plausible run count (%d)", nruns);
	arena_free(&a);
}

/* Label escaping and refusals. */
static void
test_label_errors(void)
{
	struct arena	 a;
	struct buf	 b;
	char		 big[4000], lab[QR_LABEL_MAX + 2];

	arena_init(&a, 4096);
	buf_init(&b, &a);
	is_int(qr_svg(&b, "text", "a\"<>&'b`="), 0, "label with specials");
	ok(strstr(b.p, "aria-label=\"a&quot;&lt;&gt;&amp;&#39;b&#96;&#61;\"")
	    != NULL, "label escaped for an XML attribute");
	ok(strchr(strstr(b.p, "aria-label=\"") + 12, '<') >
	    strchr(strstr(b.p, "aria-label=\"") + 12, '"'),
	    "no raw < inside the attribute");

	buf_init(&b, &a);
	buf_puts(&b, "keep");
	is_int(qr_svg(&b, "", "x"), -1, "empty text refused");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	is_int(qr_svg(&b, big, "x"), -1, "text too long for a QR code");
	is_int(qr_svg(&b, NULL, "x"), -1, "NULL text refused");
	is_int(qr_svg(&b, "t", NULL), -1, "NULL label refused");
	is_int(qr_svg(&b, "t", "a\nb"), -1, "LF in label refused");
	is_int(qr_svg(&b, "t", "a\x7f"), -1, "DEL in label refused");
	is_int(qr_svg(&b, "t", "a\xc3"), -1, "invalid UTF-8 label refused");
	memset(lab, 'l', sizeof(lab) - 1);
	lab[sizeof(lab) - 1] = '\0';
	is_int(qr_svg(&b, "t", lab), -1, "over-long label refused");
	lab[QR_LABEL_MAX] = '\0';
	is_str(b.p, "keep", "buffer unchanged by refusals");
	is_int(qr_svg(&b, "t", lab), 0, "label of QR_LABEL_MAX bytes ok");
	buf_init(&b, &a);
	is_int(qr_svg(&b, "t", ""), -1, "empty label refused");
	is_int(b.len, 0, "nothing appended");
	arena_free(&a);
}

int
main(void)
{
	test_render();
	test_runs_merged();
	test_label_errors();
	return done_testing();
}
