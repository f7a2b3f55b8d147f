/*
 * qr.c: QR codes as inline SVG for the TOTP enrolment page.  libqrencode
 * builds the module matrix; this file writes it as one <path> of merged
 * horizontal runs, with a quiet zone and only SVG presentation attributes
 * (no style attribute, script or external reference), so the element
 * passes a strict Content-Security-Policy (default-src 'self').
 */
#include <stdbool.h>
#include <string.h>

#include <qrencode.h>

#include "portal.h"

/*
 * True if label is non-empty valid UTF-8 of at most QR_LABEL_MAX bytes
 * without control characters (C0, DEL).
 */
static bool
qr_label_ok(const char *label)
{
	const unsigned char	*p;
	size_t			 n;

	if (label == NULL || (n = strlen(label)) == 0 || n > QR_LABEL_MAX ||
	    !utf8_valid(label, n))
		return false;
	for (p = (const unsigned char *)label; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

/*
 * Render text as an SVG QR code onto out (see portal.h).  Everything is
 * checked and encoded before the first byte is appended, so on -1 out is
 * unchanged.  The QRcode is freed on every path.
 */
int
qr_svg(struct buf *out, const char *text, const char *label)
{
	QRcode			*qr;
	const unsigned char	*row;
	int			 w, n, x, y, run;

	if (out == NULL || text == NULL || *text == '\0' ||
	    !qr_label_ok(label))
		return -1;
	if ((qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1))
	    == NULL)
		return -1;
	w = qr->width;
	if (w <= 0 || w > 177) {
		QRcode_free(qr);
		return -1;
	}
	n = w + 2 * QR_QUIET;

	buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
	    "role=\"img\" aria-label=\"", n, n, n * QR_SCALE, n * QR_SCALE);
	esc_html(out, label);
	buf_printf(out, "\" shape-rendering=\"crispEdges\">"
	    "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
	    "<path fill=\"#000\" d=\"", n, n);
	for (y = 0; y < w; y++) {
		row = qr->data + (size_t)y * (size_t)w;
		for (x = 0; x < w; x = run) {
			if ((row[x] & 1) == 0) {
				run = x + 1;
				continue;
			}
			for (run = x; run < w && (row[run] & 1) != 0; run++)
				continue;
			buf_printf(out, "M%d %dh%dv1h-%dz", x + QR_QUIET,
			    y + QR_QUIET, run - x, run - x);
		}
	}
	buf_puts(out, "\"/></svg>");
	QRcode_free(qr);
	return 0;
}
