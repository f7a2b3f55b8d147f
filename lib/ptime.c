/*
 * Time formatting and parsing: ISO 8601 with the local UTC offset for
 * display and logs, and MariaDB DATETIME text (UTC) to time_t.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "portal.h"

/*
 * Write t (with ".usec" if usec >= 0) as ISO 8601 in local time with
 * a "+hh:mm" offset into out.  out gets "" if cap is too small or t
 * cannot be converted; nothing is written if cap is 0.
 */
static void
iso8601(char *out, size_t cap, time_t t, long usec)
{
	struct tm	tm;
	long		off, oh, om;
	char		frac[8] = "";
	char		sign;
	int		len;

	if (out == NULL || cap == 0)
		return;
	out[0] = '\0';
	if (localtime_r(&t, &tm) == NULL)
		return;
	off = tm.tm_gmtoff;
	sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	oh = off / 3600;
	om = off % 3600 / 60;
	if (usec >= 0) {
		if (usec > 999999)
			usec = 999999;
		(void)snprintf(frac, sizeof(frac), ".%06ld", usec);
	}
	len = snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d%s%c%02ld:%02ld",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, frac, sign, oh, om);
	if (len < 0 || (size_t)len >= cap)
		out[0] = '\0';
}

/*
 * Format t as "2026-11-22T09:05:00+09:00" in the process's time zone
 * ("+00:00" in UTC).  out gets "" if cap (26 needed) is too small.
 */
void
time_iso8601(char *out, size_t cap, time_t t)
{
	iso8601(out, cap, t, -1);
}

/*
 * As time_iso8601 with microseconds ("...:00.123456+09:00"); usec is
 * clamped to 0..999999.  33 bytes are needed.
 */
void
time_iso8601_us(char *out, size_t cap, time_t t, long usec)
{
	iso8601(out, cap, t, usec < 0 ? 0 : usec);
}

/*
 * Read exactly n decimal digits at s into *v.  0 or -1.
 */
static int
digits(const char *s, size_t n, int *v)
{
	size_t	i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/*
 * Parse "YYYY-MM-DD HH:MM:SS" with an optional "." and 1 to 6 digits of
 * fraction (ignored), read as UTC, into *out.  Strict: any other shape,
 * an impossible date (month 0, 31 April, 29 February of a common year,
 * year 0) or time (hour 24, second 60) returns -1 and leaves *out alone.
 */
int
time_parse_db(const char *s, time_t *out)
{
	static const int mdays[12] =
	    { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	struct tm	tm;
	int		y, mo, d, h, mi, sec, f;
	size_t		n, nf;
	time_t		t;
	bool		leap;

	if (s == NULL || out == NULL)
		return -1;
	n = strnlen(s, 27);
	if (n < 19 || n > 26)
		return -1;
	if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
	    s[7] != '-' || digits(s + 8, 2, &d) || s[10] != ' ' ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) ||
	    s[16] != ':' || digits(s + 17, 2, &sec))
		return -1;
	if (n > 19) {
		nf = n - 20;
		if (s[19] != '.' || nf < 1 || nf > 6 ||
		    digits(s + 20, nf, &f))
			return -1;
	}
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    h > 23 || mi > 59 || sec > 59)
		return -1;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (mo == 2 && d == 29 && !leap)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	if (t == (time_t)-1 && !(y == 1969 && mo == 12 && d == 31 &&
	    h == 23 && mi == 59 && sec == 59))
		return -1;
	*out = t;
	return 0;
}
