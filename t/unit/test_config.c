/*
 * test_config.c: defaults, a full valid file, every kind of error,
 * password files (in a mkdtemp directory), config_load and limits.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "portal.h"
#include "tap.h"

static char	dir[64];

/* Write text (n bytes) to dir/name; returns the path in a static buffer. */
static const char *
put(const char *name, const char *text, size_t n)
{
	static char	 path[PATH_MAX];
	FILE		*f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL || fwrite(text, 1, n, f) != n ||
	    fclose(f) == EOF) {
		printf("Bail out! cannot write %s\n", path);
		exit(1);
	}
	return path;
}

/* Parse the string text over defaults; err gets the error. */
static int
parse(struct config *c, const char *text, char *err, size_t cap)
{
	config_defaults(c);
	return config_parse(c, text, strlen(text), err, cap);
}

/* text must be refused with an error that contains want. */
static void
refused(const char *text, const char *want)
{
	struct config	c;
	char		err[256] = "";

	ok(parse(&c, text, err, sizeof(err)) == -1 &&
	    strstr(err, want) != NULL, "refused: %s", err);
	if (strstr(err, want) == NULL)
		printf("#   want \"%s\"\n", want);
}

/* text must be accepted. */
static bool
accepted(struct config *c, const char *text, const char *name)
{
	char	err[256] = "";
	int	r;

	r = parse(c, text, err, sizeof(err));
	ok(r == 0, "%s", name);
	if (r != 0)
		printf("#   %s\n", err);
	return r == 0;
}

static void
test_defaults(void)
{
	struct config	c;

	memset(&c, 0xa5, sizeof(c));
	config_defaults(&c);
	is_str(c.environment, "production", "environment");
	is_str(c.base_url, "https://localhost", "base_url");
	is_str(c.timezone, "Asia/Tokyo", "timezone");
	is_str(c.db_host, "", "db_host");
	is_int(c.db_port, 3306, "db_port");
	is_str(c.db_socket, "/run/mysqld/mysqld.sock", "db_socket");
	is_str(c.db_name, "portal", "db_name");
	is_str(c.db_user, "portal_web", "db_user");
	is_str(c.db_password, "", "db_password");
	is_str(c.db_admin_user, "root", "db_admin_user");
	is_str(c.db_admin_password, "", "db_admin_password");
	is_str(c.db_tls_ca, "", "db_tls_ca");
	is_str(c.key_dir, "/etc/portal/keys", "key_dir");
	is_str(c.sql_dir, "/usr/share/portal/sql", "sql_dir");
	is_str(c.maintenance_flag, "/var/lib/portal/maintenance",
	    "maintenance_flag");
	is_str(c.mail_command, "/usr/sbin/sendmail -t -i", "mail_command");
	is_str(c.mail_from, "noreply@localhost.localdomain", "mail_from");
	is_str(c.mail_from_name, "会員ポータル", "mail_from_name");
	is_int(c.session_idle, 1800, "session_idle");
	is_int(c.session_absolute, 43200, "session_absolute");
	is_int(c.admin_session_idle, 900, "admin_session_idle");
	is_int(c.admin_session_absolute, 14400, "admin_session_absolute");
	is_int(c.verify_token_ttl, 86400, "verify_token_ttl");
	is_int(c.argon2_m_kib, 19456, "argon2_m_kib");
	is_int(c.argon2_t, 2, "argon2_t");
	is_int(c.argon2_p, 1, "argon2_p");
	is_int(c.password_min_length, 16, "password_min_length");
	is_int(c.password_max_length, 128, "password_max_length");
	is_int(c.password_min_classes, 4, "password_min_classes");
	is_int(c.admin_password_min_length, 16, "admin_password_min_length");
	is_int(c.admin_password_min_classes, 4, "admin_password_min_classes");
	is_int(c.password_check_common, 1, "password_check_common");
	is_int(c.password_check_personal, 1, "password_check_personal");
	is_int(c.max_body, 65536, "max_body");
	is_int(c.max_params, 64, "max_params");
	is_int(c.max_field, 8192, "max_field");
	is_int(c.retry_after, 300, "retry_after");
}

static void
test_full(void)
{
	struct config	 c;
	struct limits	 l;
	char		 text[8192], err[256];
	char		 pw[128], apw[128];

	snprintf(pw, sizeof(pw), "%s",
	    put("db.pw", "s3cr3t = pass word\nsecond line\n", 31));
	snprintf(apw, sizeof(apw), "%s", put("admin.pw", "adm1n\r\n", 7));
	snprintf(text, sizeof(text),
	    "# portal.conf\n"
	    "\n"
	    "   # indented comment\n"
	    "environment = staging\n"
	    "base_url=https://portal.example.jp:8443\n"
	    "timezone\t=\tUTC\n"
	    "db_host = db1.example.jp\r\n"
	    "db_port = 13306\n"
	    "db_socket = /var/run/db.sock\n"
	    "db_name = portal_test\n"
	    "db_user = web\n"
	    "db_password_file = %s\n"
	    "db_admin_user = admin\n"
	    "db_admin_password_file = %s\n"
	    "db_tls_ca = /etc/ssl/ca.pem\n"
	    "key_dir = /srv/keys\n"
	    "sql_dir = /srv/sql\n"
	    "maintenance_flag = /srv/maint\n"
	    "mail_command = /usr/sbin/sendmail -t -i -f bounce=x@example.jp\n"
	    "mail_from = info@example.jp\n"
	    "mail_from_name =   会員 = ポータル  (テスト)   \n"
	    "session_idle = 600\n"
	    "session_absolute = 3600\n"
	    "admin_session_idle = 300\n"
	    "admin_session_absolute = 1200\n"
	    "verify_token_ttl = 3600\n"
	    "argon2_m_kib = 65536\n"
	    "argon2_t = 3\n"
	    "argon2_p = 4\n"
	    "password_min_length = 12\n"
	    "password_max_length = 256\n"
	    "password_min_classes = 3\n"
	    "admin_password_min_length = 20\n"
	    "admin_password_min_classes = 2\n"
	    "password_check_common = 0\n"
	    "password_check_personal = 0\n"
	    "max_body = 1048576\n"
	    "max_params = 100\n"
	    "max_field = 16384\n"
	    "retry_after = 60", pw, apw);
	if (!accepted(&c, text, "full valid file"))
		return;
	is_str(c.environment, "staging", "environment set");
	is_str(c.base_url, "https://portal.example.jp:8443", "base_url set");
	is_str(c.timezone, "UTC", "tabs around '='");
	is_str(c.db_host, "db1.example.jp", "CRLF line end");
	is_int(c.db_port, 13306, "db_port set");
	is_str(c.db_socket, "/var/run/db.sock", "db_socket set");
	is_str(c.db_name, "portal_test", "db_name set");
	is_str(c.db_user, "web", "db_user set");
	is_str(c.db_password, "s3cr3t = pass word", "password file line 1");
	is_str(c.db_admin_user, "admin", "db_admin_user set");
	is_str(c.db_admin_password, "adm1n", "admin password, CR stripped");
	is_str(c.db_tls_ca, "/etc/ssl/ca.pem", "db_tls_ca set");
	is_str(c.key_dir, "/srv/keys", "key_dir set");
	is_str(c.sql_dir, "/srv/sql", "sql_dir set");
	is_str(c.maintenance_flag, "/srv/maint", "maintenance_flag set");
	is_str(c.mail_command, "/usr/sbin/sendmail -t -i -f bounce=x@example.jp",
	    "value with '=' and spaces");
	is_str(c.mail_from, "info@example.jp", "mail_from set");
	is_str(c.mail_from_name, "会員 = ポータル  (テスト)",
	    "UTF-8 value trimmed, inner spaces kept");
	is_int(c.session_idle, 600, "session_idle set");
	is_int(c.session_absolute, 3600, "session_absolute set");
	is_int(c.admin_session_idle, 300, "admin_session_idle set");
	is_int(c.admin_session_absolute, 1200, "admin_session_absolute set");
	is_int(c.verify_token_ttl, 3600, "verify_token_ttl set");
	is_int(c.argon2_m_kib, 65536, "argon2_m_kib set");
	is_int(c.argon2_t, 3, "argon2_t set");
	is_int(c.argon2_p, 4, "argon2_p set");
	is_int(c.password_min_length, 12, "password_min_length set");
	is_int(c.password_max_length, 256, "password_max_length set");
	is_int(c.password_min_classes, 3, "password_min_classes set");
	is_int(c.admin_password_min_length, 20, "admin_password_min_length set");
	is_int(c.admin_password_min_classes, 2, "admin_password_min_classes set");
	is_int(c.password_check_common, 0, "password_check_common set");
	is_int(c.password_check_personal, 0, "password_check_personal set");
	is_int(c.max_body, 1048576, "max_body set");
	is_int(c.max_params, 100, "max_params set");
	is_int(c.max_field, 16384, "max_field set");
	is_int(c.retry_after, 60, "last line without newline");

	config_limits(&c, &l);
	ok(l.max_body == 1048576 && l.max_params == 100 &&
	    l.max_field == 16384 && l.max_key == 64, "config_limits");

	accepted(&c, "", "empty text");
	accepted(&c, "\n\n# only comments\n   \n\t\n", "blank and comments");
	accepted(&c, "db_host =\n", "empty db_host allowed");
	is_str(c.db_host, "", "db_host empty");
	accepted(&c, "base_url = http://127.0.0.1:8080\n", "http base_url");
	accepted(&c, "session_idle = 60\nsession_absolute = 300\n",
	    "minimum values");
	accepted(&c, "session_idle = 86400\nsession_absolute = 604800\n",
	    "maximum values");
	accepted(&c, "max_body = 16777216\nargon2_m_kib = 4194304\n",
	    "large maxima");
	is_int(c.max_body, 16777216, "max_body at max");
	accepted(&c, "password_min_length = 8\npassword_max_length = 64\n"
	    "password_min_classes = 1\nadmin_password_min_length = 8\n"
	    "admin_password_min_classes = 1\n", "password minima");
	accepted(&c, "password_min_length = 128\npassword_max_length = 1024\n"
	    "password_min_classes = 4\nadmin_password_min_length = 128\n"
	    "admin_password_min_classes = 4\npassword_check_common = 1\n"
	    "password_check_personal = 1\n", "password maxima");
	is_int(c.password_max_length, 1024, "password_max_length 1024");
	accepted(&c, "password_min_length = 10\n", "variant 002: 10+ / 4");
	accepted(&c, "password_min_length = 8\npassword_min_classes = 3\n",
	    "variant 003: 8+ / 3 of 4");
	accepted(&c, "password_min_length = 64\npassword_max_length = 64\n",
	    "min = max allowed");
	accepted(&c, "db_name = 0123456789012345678901234567890123456789"
	    "012345678901234567890123\n", "64-byte db_name fits");
	(void)err;
}

static void
test_errors(void)
{
	char	text[2048], name[1100];

	refused("nosuchkey = 1\n", "line 1: unknown key 'nosuchkey'");
	refused("# c\n\nenvironment = production\nDB_PORT = 1\n",
	    "line 4: unknown key 'DB_PORT'");
	refused("db_port = 1\ndb_port = 2\n", "line 2: duplicate key 'db_port'");
	refused("db_port 3306\n", "line 1: expected 'key = value'");
	refused(" = 3306\n", "line 1: missing key");
	refused("environment = prod\n", "line 1: environment: must be");
	refused("environment = Production\n", "environment: must be");
	refused("base_url = ftp://x.jp\n", "base_url: must start with");
	refused("base_url = https://x.jp/\n", "base_url: must not end with");
	refused("base_url = https://x.jp/portal\n", "base_url: must be");
	refused("base_url = https://user@x.jp\n", "base_url: must be");
	refused("base_url = https://\n", "base_url: has no host");
	refused("base_url = localhost\n", "base_url: must start with");
	refused("timezone = ../../etc/passwd\n", "timezone: is not");
	refused("timezone = /etc/localtime\n", "timezone: is not");
	refused("key_dir = keys\n", "line 1: key_dir: must be an absolute");
	refused("db_tls_ca = ca.pem\n", "db_tls_ca: must be an absolute");
	refused("mail_from = not-an-address\n", "mail_from: is not a valid");
	refused("mail_command = sendmail -t\n", "mail_command: must start");
	refused("mail_command = /a 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n",
	    "mail_command: has more than 16 words");
	refused("db_name =\n", "db_name: empty value");
	refused("key_dir =   \n", "key_dir: empty value");
	refused("db_port =\n", "db_port: empty value");

	/* numbers */
	refused("db_port = +5\n", "db_port: not a decimal number");
	refused("db_port = -1\n", "db_port: not a decimal number");
	refused("db_port = 33O6\n", "db_port: not a decimal");
	refused("db_port = 3306x\n", "db_port: not a decimal");
	refused("db_port = 0x10\n", "db_port: not a decimal");
	refused("db_port = 3 306\n", "db_port: not a decimal");
	refused("db_port = 03306\n", "db_port: not a decimal");
	refused("db_port = 3306.0\n", "db_port: not a decimal");
	refused("max_body = 18446744073709551616\n", "max_body: not a decimal");
	refused("max_body = 99999999999999999999999999\n",
	    "max_body: not a decimal");
	refused("max_body = 18446744073709551615\n", "max_body: out of range");
	refused("db_port = 0\n", "db_port: out of range (1..65535)");
	refused("db_port = 65536\n", "db_port: out of range");
	refused("session_idle = 59\n", "session_idle: out of range");
	refused("session_idle = 86401\n", "session_idle: out of range");
	refused("session_absolute = 604801\n", "session_absolute: out of");
	refused("verify_token_ttl = 299\n", "verify_token_ttl: out of range");
	refused("verify_token_ttl = 2592001\n", "verify_token_ttl: out of");
	refused("argon2_m_kib = 7\n", "argon2_m_kib: out of range");
	refused("argon2_m_kib = 4194305\n", "argon2_m_kib: out of range");
	refused("argon2_t = 0\n", "argon2_t: out of range");
	refused("argon2_t = 101\n", "argon2_t: out of range");
	refused("argon2_p = 65\n", "argon2_p: out of range");
	refused("password_min_length = 7\n", "password_min_length: out of");
	refused("password_max_length = 1025\n", "password_max_length: out of");
	refused("password_max_length = 63\n", "password_max_length: out of "
	    "range (64..1024)");
	refused("password_min_length = 129\n", "password_min_length: out of");
	refused("password_min_classes = 0\n", "password_min_classes: out of "
	    "range (1..4)");
	refused("password_min_classes = 5\n", "password_min_classes: out of");
	refused("admin_password_min_length = 7\n",
	    "admin_password_min_length: out of range (8..128)");
	refused("admin_password_min_length = 129\n",
	    "admin_password_min_length: out of");
	refused("admin_password_min_classes = 0\n",
	    "admin_password_min_classes: out of range (1..4)");
	refused("admin_password_min_classes = 5\n",
	    "admin_password_min_classes: out of");
	refused("password_check_common = 2\n", "password_check_common: out of "
	    "range (0..1)");
	refused("password_check_common = yes\n", "password_check_common: not a "
	    "decimal");
	refused("password_check_personal = 2\n", "password_check_personal: out "
	    "of range (0..1)");
	refused("password_check_personal =\n", "password_check_personal: empty");
	refused("max_body = 1023\n", "max_body: out of range");
	refused("max_body = 16777217\n", "max_body: out of range");
	refused("max_params = 0\n", "max_params: out of range");
	refused("max_params = 1025\n", "max_params: out of range");
	refused("max_field = 63\n", "max_field: out of range");
	refused("max_field = 1048577\n", "max_field: out of range");
	refused("retry_after = 0\n", "retry_after: out of range");
	refused("retry_after = 86401\n", "retry_after: out of range");

	/* relations */
	refused("session_idle = 3600\nsession_absolute = 1800\n",
	    "line 2: session_idle exceeds session_absolute");
	refused("admin_session_idle = 20000\n",
	    "line 1: admin_session_idle exceeds");
	refused("password_min_length = 100\npassword_max_length = 64\n",
	    "line 2: password_min_length exceeds");
	refused("admin_password_min_length = 100\npassword_max_length = 64\n",
	    "line 2: admin_password_min_length exceeds password_max_length");
	refused("password_max_length = 64\n\nadmin_password_min_length = 65\n",
	    "line 3: admin_password_min_length exceeds");
	refused("argon2_p = 8\nargon2_m_kib = 32\n",
	    "line 2: argon2_m_kib must be at least 8 * argon2_p");

	/* lengths and bytes */
	refused("db_name = 0123456789012345678901234567890123456789"
	    "0123456789012345678901234\n", "db_name: value too long (at most 64");
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	snprintf(text, sizeof(text), "mail_from_name = %s\n", name);
	refused(text, "mail_from_name: value too long");
	refused("mail_from_name = a\tb\n", "mail_from_name: control char");
	refused("mail_from_name = a\x1b[31mb\n", "mail_from_name: control");
	refused("mail_from_name = a\rb\n", "mail_from_name: control");
	refused("mail_from_name = \xe4\xbc\n", "mail_from_name: value is not "
	    "valid UTF-8");
	refused("\xff = 1\n", "line 1: unknown key '?'");
	{
		struct config	c;
		char		err[256] = "";
		static const char nul[] = "db_port = 1\ndb_name = a\0b\n";

		config_defaults(&c);
		ok(config_parse(&c, nul, sizeof(nul) - 1, err, sizeof(err))
		    == -1 && strstr(err, "line 2: NUL byte") != NULL,
		    "NUL byte refused: %s", err);
		config_defaults(&c);
		ok(config_parse(&c, "db_port = 1\n", 12, NULL, 0) == 0,
		    "NULL err buffer tolerated");
		ok(config_parse(&c, "x = 1\n", 6, NULL, 0) == -1,
		    "NULL err buffer on error");
	}
}

static void
test_secret_files(void)
{
	struct config	 c;
	char		 text[PATH_MAX + 64], err[512], longpw[400];
	const char	*p;

	p = put("nonl.pw", "no-newline", 10);
	snprintf(text, sizeof(text), "db_password_file = %s\n", p);
	if (accepted(&c, text, "password file without newline"))
		is_str(c.db_password, "no-newline", "read");

	p = put("empty.pw", "", 0);
	snprintf(text, sizeof(text), "db_password_file = %s\n", p);
	if (accepted(&c, text, "empty password file"))
		is_str(c.db_password, "", "empty password");

	snprintf(text, sizeof(text), "db_password_file = %s/missing.pw\n",
	    dir);
	refused(text, "line 1: db_password_file: cannot open");
	accepted(&c, "db_password_file = \n", "empty db_password_file: no password");
	is_str(c.db_password, "", "no password set");
	snprintf(text, sizeof(text), "db_admin_password_file = %s\n", dir);
	refused(text, "db_admin_password_file: cannot read");

	memset(longpw, 'Q', sizeof(longpw));
	p = put("long.pw", longpw, sizeof(longpw));
	snprintf(text, sizeof(text), "\ndb_password_file = %s\n", p);
	parse(&c, text, err, sizeof(err));
	ok(strstr(err, "line 2: db_password_file: first line too long") !=
	    NULL && strstr(err, "QQQ") == NULL,
	    "too long password refused, not shown: %s", err);
	p = put("256.pw", longpw, 256);
	snprintf(text, sizeof(text), "db_password_file = %s\n", p);
	refused(text, "first line too long");
	p = put("255.pw", longpw, 255);
	snprintf(text, sizeof(text), "db_password_file = %s\n", p);
	if (accepted(&c, text, "255-byte password fits"))
		is_int(strlen(c.db_password), 255, "255 bytes read");

	p = put("nul.pw", "SECRETX\0Y\n", 10);
	snprintf(text, sizeof(text), "db_password_file = %s\n", p);
	parse(&c, text, err, sizeof(err));
	ok(strstr(err, "NUL byte") != NULL && strstr(err, "SECRETX") == NULL,
	    "NUL in password refused, not shown: %s", err);

	/* an error after a password was read wipes it */
	p = put("ok.pw", "TOPSECRET\n", 10);
	snprintf(text, sizeof(text), "db_password_file = %s\nbogus = 1\n", p);
	parse(&c, text, err, sizeof(err));
	ok(c.db_password[0] == '\0' && strstr(err, "TOPSECRET") == NULL,
	    "password wiped on a later error");
}

static void
test_load(void)
{
	struct config	 c;
	char		 err[512] = "";
	const char	*p;

	p = put("portal.conf", "environment = development\nmax_params = 10\n",
	    strlen("environment = development\nmax_params = 10\n"));
	is_int(config_load(&c, p, err, sizeof(err)), 0, "config_load");
	is_str(c.environment, "development", "loaded value");
	is_int(c.max_params, 10, "loaded number");
	is_int(c.session_idle, 1800, "defaults kept");

	p = put("bad.conf", "environment = development\nmax_params = x\n", 41);
	is_int(config_load(&c, p, err, sizeof(err)), -1, "bad file");
	ok(strstr(err, "bad.conf: line 2: max_params: not a decimal") != NULL,
	    "error names file and line: %s", err);
	is_int(config_load(&c, "/nonexistent/portal.conf", err, sizeof(err)),
	    -1, "missing file");
	ok(strstr(err, "/nonexistent/portal.conf: ") != NULL, "%s", err);
	is_int(config_load(&c, dir, err, sizeof(err)), -1, "directory");
}

/* Remove what the tests wrote. */
static void
cleanup(void)
{
	static const char *const names[] = {
	    "db.pw", "admin.pw", "nonl.pw", "empty.pw", "long.pw", "256.pw",
	    "255.pw", "nul.pw", "ok.pw", "portal.conf", "bad.conf" };
	char	path[PATH_MAX];
	size_t	i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

int
main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/test_config.XXXXXX");
	if (mkdtemp(dir) == NULL) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	test_defaults();
	test_full();
	test_errors();
	test_secret_files();
	test_load();
	cleanup();
	return done_testing();
}
