/*
 * Unit tests for lib/ptime.c.  Time zones are POSIX TZ strings so that
 * no tzdata is needed.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "portal.h"
#include "tap.h"

/*
 * Switch the process's time zone.
 */
static void
set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

/*
 * Formatting in several zones, with and without microseconds.
 */
static void
test_format(void)
{
	char	out[64];
	char	small[26];
	time_t	t = 1795305900;	/* 2026-11-22 00:05:00 UTC */

	set_tz("JST-9");
	time_iso8601(out, sizeof(out), t);
	is_str(out, "2026-11-22T09:05:00+09:00", "JST");
	time_iso8601_us(out, sizeof(out), t, 123456);
	is_str(out, "2026-11-22T09:05:00.123456+09:00", "JST with usec");
	time_iso8601_us(out, sizeof(out), t, 7);
	is_str(out, "2026-11-22T09:05:00.000007+09:00", "usec zero-padded");
	time_iso8601_us(out, sizeof(out), t, 5000000);
	is_str(out, "2026-11-22T09:05:00.999999+09:00", "usec clamped high");
	time_iso8601_us(out, sizeof(out), t, -1);
	is_str(out, "2026-11-22T09:05:00.000000+09:00", "usec clamped low");

	set_tz("UTC0");
	time_iso8601(out, sizeof(out), t);
	is_str(out, "2026-11-22T00:05:00+00:00", "UTC is +00:00");
	time_iso8601(out, sizeof(out), 0);
	is_str(out, "1970-01-01T00:00:00+00:00", "epoch");

	set_tz("<-0330>3:30");
	time_iso8601(out, sizeof(out), t);
	is_str(out, "2026-11-21T20:35:00-03:30", "negative half-hour offset");

	set_tz("JST-9");
	time_iso8601(small, sizeof(small), t);
	is_str(small, "2026-11-22T09:05:00+09:00", "cap 26 exactly fits");
	time_iso8601(small, 25, t);
	is_str(small, "", "cap 25 gives empty, not a cut timestamp");
	time_iso8601_us(small, sizeof(small), t, 1);
	is_str(small, "", "usec form does not fit 26");
	small[0] = 'x';
	time_iso8601(small, 0, t);
	ok(small[0] == 'x', "cap 0 writes nothing");
}

/*
 * Parse s and return the time, or -2 if time_parse_db failed.
 */
static long long
pd(const char *s)
{
	time_t	t = 12345;

	if (time_parse_db(s, &t) != 0)
		return t == 12345 ? -2 : -3;
	return (long long)t;
}

/*
 * DATETIME parsing: valid forms, then every kind of malformation.
 */
static void
test_parse(void)
{
	set_tz("JST-9");	/* must not matter: input is UTC */
	is_int(pd("2026-11-22 00:05:00"), 1795305900, "plain");
	is_int(pd("2026-11-22 00:05:00.123456"), 1795305900, "6 fraction digits");
	is_int(pd("2026-11-22 00:05:00.1"), 1795305900, "1 fraction digit");
	is_int(pd("1970-01-01 00:00:00"), 0, "epoch");
	is_int(pd("1969-12-31 23:59:59"), -1, "one second before epoch");
	is_int(pd("2000-01-01 00:00:00"), 946684800, "2000");
	is_int(pd("2024-02-29 23:59:59"), 1709251199, "leap day");
	is_int(pd("2000-02-29 00:00:00"), 951782400, "leap day 2000");
	is_int(pd("9999-12-31 23:59:59"), 253402300799LL, "max");

	is_int(pd(""), -2, "empty");
	is_int(pd(NULL), -2, "NULL");
	is_int(pd("2026-11-22"), -2, "date only");
	is_int(pd("2026-11-22T00:05:00"), -2, "T separator");
	is_int(pd("2026-11-22 00:05:00Z"), -2, "trailing Z");
	is_int(pd("2026-11-22 00:05:00 "), -2, "trailing space");
	is_int(pd(" 2026-11-22 00:05:00"), -2, "leading space");
	is_int(pd("2026-11-22 00:05:00."), -2, "dot without digits");
	is_int(pd("2026-11-22 00:05:00.1234567"), -2, "7 fraction digits");
	is_int(pd("2026-11-22 00:05:00.12a"), -2, "bad fraction digit");
	is_int(pd("2026-11-22 00:05:00,123"), -2, "comma fraction");
	is_int(pd("2026-1-22 00:05:00"), -2, "one-digit month");
	is_int(pd("+026-11-22 00:05:00"), -2, "sign in year");
	is_int(pd("2026-11-22 0:05:00"), -2, "one-digit hour");
	is_int(pd("0000-00-00 00:00:00"), -2, "MariaDB zero date");
	is_int(pd("2026-00-10 00:00:00"), -2, "month 0");
	is_int(pd("2026-13-10 00:00:00"), -2, "month 13");
	is_int(pd("2026-04-31 00:00:00"), -2, "31 April");
	is_int(pd("2026-04-00 00:00:00"), -2, "day 0");
	is_int(pd("2026-02-29 00:00:00"), -2, "29 February, common year");
	is_int(pd("1900-02-29 00:00:00"), -2, "29 February 1900");
	is_int(pd("2026-11-22 24:00:00"), -2, "hour 24");
	is_int(pd("2026-11-22 23:60:00"), -2, "minute 60");
	is_int(pd("2026-11-22 23:59:60"), -2, "second 60");
	is_int(pd("2026/11/22 00:05:00"), -2, "slashes");
}

/*
 * Run every test; TAP on stdout, exit status 1 if any failed.
 */
int
main(void)
{
	test_format();
	test_parse();
	return done_testing();
}
