/*
 * portalctl: the operators' command line.
 *
 *   portalctl [-c portal.conf] COMMAND [ARGS]
 *
 * Every command has --help, exits non-zero with a clear message on error
 * and records what it changed in the audit trail.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"

#define DEFAULT_CONF	"/etc/portal/portal.conf"
#define MAX_MIGRATIONS	256
#define SQL_MAX		(4 * 1024 * 1024)

struct cli {
	struct config	 conf;
	struct keyring	 keys;
	struct arena	 a;
	struct db	*db;
	const char	*conf_path;
	char		 operator_name[64];
};

static _Noreturn void	die(const char *fmt, ...) PORTAL_FMT(1, 2);

/*
 * Print "portalctl: MESSAGE" on stderr and exit 1.
 */
static void
die(const char *fmt, ...)
{
	va_list	 ap;

	fputs("portalctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void
usage(FILE *f)
{
	fputs("usage: portalctl [-c portal.conf] COMMAND [ARGS]\n"
	    "\n"
	    "commands:\n"
	    "  migrate                       apply pending sql/NNN-*.sql and sql/grants.sql\n"
	    "  keys init                     create missing key files in key_dir\n"
	    "  user add [--admin|--operator] EMAIL\n"
	    "                                create an active account with a one-time password\n"
	    "  user list [--role ROLE]       list accounts (id, role, state, mail, created)\n"
	    "  user lock|unlock EMAIL        lock (and sign out) or unlock an account\n"
	    "                                (unlock also ends a lock after failed sign-ins)\n"
	    "  user delete EMAIL --yes       delete an account and everything it owns\n"
	    "  maintenance on [--message TEXT] | off | status\n"
	    "                                switch the maintenance page\n"
	    "  policy show                   print the password policies, the AUTH-1\n"
	    "                                variants they satisfy and argon2id\n"
	    "  retention                     delete unverified registrations, expired\n"
	    "                                sessions, old throttling rows and tokens\n"
	    "\n"
	    "The configuration is -c FILE, else $PORTAL_CONF, else " DEFAULT_CONF ".\n"
	    "Every command accepts --help.\n", f);
}

/*
 * Print a command's usage: on stdout when asked for (--help), on stderr
 * when the command was incomplete.  Returns the exit status.
 */
static int
say_usage(bool incomplete, const char *text)
{
	FILE	*f = incomplete ? stderr : stdout;

	fputs(text, f);
	fputc('\n', f);
	return incomplete ? 1 : 0;
}

static bool
is_help(int argc, char **argv)
{
	int	 i;

	for (i = 0; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0)
			return true;
	return false;
}

/*
 * Load the configuration (and the keys when needed).
 */
static void
cli_load(struct cli *c, bool keys)
{
	char		 err[256];
	struct passwd	*pw;
	const char	*who;

	if (config_load(&c->conf, c->conf_path, err, sizeof(err)) != 0)
		die("%s: %s", c->conf_path, err);
	if (setenv("TZ", c->conf.timezone, 1) == 0)
		tzset();
	if (keys && keyring_load(&c->keys, c->conf.key_dir, err,
	    sizeof(err)) != 0)
		die("keys: %s", err);
	who = getenv("SUDO_USER");
	if (who == NULL && (pw = getpwuid(getuid())) != NULL)
		who = pw->pw_name;
	esc_log(c->operator_name, sizeof(c->operator_name),
	    who != NULL ? who : "unknown");
}

static struct db *
cli_db(struct cli *c)
{
	if (c->db == NULL && (c->db = db_new(&c->conf, true)) == NULL)
		die("out of memory");
	if (db_connect(c->db) != DB_OK)
		die("database: %s", db_errstr(c->db));
	return c->db;
}

/* ------------------------------------------------------------------ */
/* migrate */

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Read a whole SQL file (at most SQL_MAX bytes) into the arena.
 */
static char *
read_file(struct arena *a, const char *path)
{
	FILE	*f;
	char	*p;
	size_t	 n;

	if ((f = fopen(path, "re")) == NULL)
		die("%s: %s", path, strerror(errno));
	p = arena_alloc(a, SQL_MAX + 1);
	n = fread(p, 1, SQL_MAX + 1, f);
	if (ferror(f) || n > SQL_MAX)
		die("%s: unreadable or larger than %d bytes", path, SQL_MAX);
	fclose(f);
	p[n] = '\0';
	return p;
}

/*
 * True for "NNN-name.sql".
 */
static bool
migration_name(const char *n, unsigned *version)
{
	size_t	 len = strlen(n);

	if (len < 9 || n[0] < '0' || n[0] > '9' || n[1] < '0' || n[1] > '9' ||
	    n[2] < '0' || n[2] > '9' || n[3] != '-' ||
	    strcmp(n + len - 4, ".sql") != 0)
		return false;
	*version = (unsigned)((n[0] - '0') * 100 + (n[1] - '0') * 10 +
	    (n[2] - '0'));
	return true;
}

static int
cmd_migrate(struct cli *c, int argc, char **argv)
{
	DIR		*d;
	struct dirent	*e;
	char		*names[MAX_MIGRATIONS], err[512], path[CONF_PATH + 300];
	size_t		 n = 0, i, applied = 0;
	unsigned	 v;
	struct db	*db;
	struct db_res	 res;
	struct db_arg	 args[2];

	if (is_help(argc, argv)) {
		puts("usage: portalctl migrate\n"
		    "Apply the migrations in sql_dir that are not applied yet, in order,\n"
		    "then sql_dir/grants.sql (privileges of the web programs' account).");
		return 0;
	}
	cli_load(c, false);
	db = cli_db(c);
	if (db_run_script(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    "version INT UNSIGNED NOT NULL PRIMARY KEY, "
	    "name VARCHAR(255) NOT NULL, applied_at DATETIME(6) NOT NULL) "
	    "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
	    err, sizeof(err)) != DB_OK)
		die("schema_migrations: %s", err);
	if ((d = opendir(c->conf.sql_dir)) == NULL)
		die("%s: %s", c->conf.sql_dir, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		if (!migration_name(e->d_name, &v))
			continue;
		if (n == MAX_MIGRATIONS)
			die("too many migrations");
		names[n++] = arena_strdup(&c->a, e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), name_cmp);
	for (i = 0; i < n; i++) {
		(void)migration_name(names[i], &v);
		if (i > 0 && strncmp(names[i], names[i - 1], 3) == 0)
			die("two migrations numbered %.3s", names[i]);
		args[0] = ARG_I(v);
		if (db_exec(db, &c->a, ST_MIGRATION_GET, args, 1, &res) != DB_OK)
			die("schema_migrations: %s", db_errstr(db));
		if (res.nrows > 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", c->conf.sql_dir,
		    names[i]);
		printf("applying %s\n", names[i]);
		if (db_run_script(db, read_file(&c->a, path), err,
		    sizeof(err)) != DB_OK)
			die("%s: %s", names[i], err);
		args[1] = ARG_S(names[i]);
		if (db_exec(db, &c->a, ST_MIGRATION_PUT, args, 2, NULL) != DB_OK)
			die("schema_migrations: %s", db_errstr(db));
		audit_cli(db, &c->a, c->operator_name, "migrate", 0, "ok",
		    names[i]);
		applied++;
	}
	snprintf(path, sizeof(path), "%s/grants.sql", c->conf.sql_dir);
	if (access(path, R_OK) == 0 && db_run_script(db,
	    read_file(&c->a, path), err, sizeof(err)) != DB_OK)
		die("grants.sql: %s", err);
	printf("%zu migration(s) applied, schema is current\n", applied);
	return 0;
}

/* ------------------------------------------------------------------ */
/* keys */

static int
cmd_keys(struct cli *c, int argc, char **argv)
{
	char	 err[256];
	int	 n;

	if (argc < 2 || is_help(argc, argv)) {
		return say_usage(argc < 2,
		    "usage: portalctl keys init\n"
		    "Create the key files that do not exist yet in key_dir\n"
		    "(data.key, index.key, csrf.key, audit.key; mode 0640).\n"
		    "Existing keys are never overwritten.");
	}
	if (strcmp(argv[1], "init") != 0)
		die("keys: unknown subcommand '%s' (see --help)", argv[1]);
	cli_load(c, false);
	if ((n = keyring_init_dir(c->conf.key_dir, err, sizeof(err))) < 0)
		die("keys init: %s", err);
	printf("%d key file(s) created in %s\n", n, c->conf.key_dir);
	return 0;
}

/* ------------------------------------------------------------------ */
/* user */

/*
 * A uniform random number in [0, n) (n <= 256) by rejection sampling,
 * so no value is more likely than another.
 */
static size_t
uniform(size_t n)
{
	unsigned char	 b;
	unsigned	 limit = 256 - (256 % (unsigned)n);

	do {
		if (rand_bytes(&b, 1) != 0)
			die("random source failed");
	} while (b >= limit);
	return b % n;
}

/*
 * A random one-time password of n characters with all four classes.
 */
static void
one_time_password(char *out, size_t cap, size_t n)
{
	static const char	*sets[4] = {
		"ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz",
		"23456789", "!#%+-=?@_~"
	};
	static const char	 all[] = "ABCDEFGHJKLMNPQRSTUVWXYZ"
	    "abcdefghijkmnopqrstuvwxyz23456789!#%+-=?@_~";
	size_t			 i, j;
	char			 t;

	if (n < 4 || cap < n + 1)
		die("one-time password buffer too small");
	for (i = 0; i < n; i++) {
		const char *s = i < 4 ? sets[i] : all;

		out[i] = s[uniform(strlen(s))];
	}
	out[n] = '\0';
	for (i = n - 1; i > 0; i--) {	/* shuffle the fixed classes in */
		j = uniform(i + 1);
		t = out[i];
		out[i] = out[j];
		out[j] = t;
	}
}

/*
 * The id of the member with mail address email, or 0.
 */
static uint64_t
find_member(struct cli *c, const char *email)
{
	unsigned char	 idx[32];
	struct db_arg	 arg;
	struct db_res	 res;

	if (v_email(email) != VERR_OK ||
	    member_email_index(&c->keys, email, idx) != 0)
		die("'%s' is not a valid mail address", email);
	arg = ARG_B(idx, sizeof(idx));
	if (db_exec(cli_db(c), &c->a, ST_MEMBER_BY_INDEX, &arg, 1,
	    &res) != DB_OK)
		die("database: %s", db_errstr(c->db));
	return res.nrows > 0 ? db_u64(&res, 0, 0) : 0;
}

static int
user_add(struct cli *c, int argc, char **argv)
{
	struct argon2_params	 p;
	struct member		 m;
	const char		*email = NULL;
	char			 pw[129], hash[PASSWORD_HASH_MAX];
	struct policy		 pol;
	uint64_t		 id;
	int			 i, rc;

	memset(&m, 0, sizeof(m));
	m.role = ROLE_MEMBER;
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--admin") == 0)
			m.role = ROLE_ADMIN;
		else if (strcmp(argv[i], "--operator") == 0)
			m.role = ROLE_OPERATOR;
		else if (argv[i][0] == '-')
			die("user add: unknown option '%s'", argv[i]);
		else if (email == NULL)
			email = argv[i];
		else
			die("user add: one mail address only");
	}
	if (email == NULL)
		die("user add: mail address missing (see --help)");
	cli_load(c, true);
	if (find_member(c, email) != 0)
		die("user add: an account with this mail address exists");
	p = password_params(&c->conf);
	/* At least 24 characters, longer if the policy asks for more. */
	policy_for_role(&c->conf, m.role, &pol);
	one_time_password(pw, sizeof(pw), pol.min_len > 24 ?
	    (pol.min_len < sizeof(pw) - 1 ? pol.min_len : sizeof(pw) - 1) : 24);
	if (password_hash(&p, pw, hash, sizeof(hash)) != 0)
		die("password hashing failed");
	m.email = email;
	m.name = m.name_kana = m.phone = m.postal_code = m.address = "";
	rc = member_create(cli_db(c), &c->a, &c->keys, &m, hash, "active",
	    &id);
	if (rc != DB_OK)
		die("user add: %s", db_errstr(c->db));
	audit_cli(c->db, &c->a, c->operator_name, "user_add", id, "ok",
	    role_name(m.role));
	printf("email: %s\nrole: %s\npassword: %s\n", email, role_name(m.role),
	    pw);
	wipe(pw, sizeof(pw));
	wipe(hash, sizeof(hash));
	return 0;
}

static int
user_list(struct cli *c, int argc, char **argv)
{
	const char	*role = "";
	struct db_arg	 args[2];
	struct db_res	 res;
	const struct db_val *v;
	size_t		 i;
	uint64_t	 id;
	char		*mail, when[40];
	size_t		 n;
	time_t		 t;

	if (argc == 4 && strcmp(argv[2], "--role") == 0) {
		role = argv[3];
		if (role_parse(role) == ROLE__MAX)
			die("user list: unknown role '%s'", role);
	} else if (argc != 2)
		die("user list: usage: user list [--role ROLE]");
	cli_load(c, true);
	args[0] = ARG_S(role);
	args[1] = ARG_S(role);
	if (db_exec(cli_db(c), &c->a, ST_MEMBER_LIST, args, 2, &res) != DB_OK)
		die("database: %s", db_errstr(c->db));
	for (i = 0; i < res.nrows; i++) {
		id = db_u64(&res, i, 0);
		v = db_val(&res, i, 3);
		mail = arena_alloc(&c->a, v->len + 1);
		if (pii_decrypt(&c->keys, "members", "email", id,
		    (const unsigned char *)v->p, v->len, mail, v->len + 1,
		    &n) != 0)
			mail = "(undecryptable)";
		if (time_parse_db(db_str(&res, i, 4), &t) == 0)
			time_iso8601(when, sizeof(when), t);
		else
			snprintf(when, sizeof(when), "-");
		printf("%llu\t%s\t%s\t%s\t%s\n", (unsigned long long)id,
		    db_str(&res, i, 1), db_str(&res, i, 2), mail, when);
	}
	return 0;
}

static int
user_state(struct cli *c, int argc, char **argv)
{
	const char	*what = argv[1];
	struct db_arg	 args[2];
	uint64_t	 id;
	bool		 yes = argc == 4 && strcmp(argv[3], "--yes") == 0;

	if (argc < 3 || (argc > 3 && !yes))
		die("user %s: usage: user %s EMAIL%s", what, what,
		    strcmp(what, "delete") == 0 ? " --yes" : "");
	cli_load(c, true);
	if ((id = find_member(c, argv[2])) == 0)
		die("user %s: no account with this mail address", what);
	if (strcmp(what, "delete") == 0) {
		if (!yes)
			die("user delete: deletes the account, its sessions "
			    "and tokens for good; add --yes to confirm");
		args[0] = ARG_I(id);
		if (db_exec(c->db, &c->a, ST_MEMBER_DELETE, args, 1,
		    NULL) != DB_OK)
			die("database: %s", db_errstr(c->db));
	} else if (strcmp(what, "lock") == 0) {
		args[0] = ARG_S("locked");
		args[1] = ARG_I(id);
		if (db_exec(c->db, &c->a, ST_MEMBER_SET_STATE, args, 2,
		    NULL) != DB_OK)
			die("database: %s", db_errstr(c->db));
		args[0] = ARG_I(id);
		if (db_exec(c->db, &c->a, ST_SESSION_DELETE_MEMBER, args, 1,
		    NULL) != DB_OK)
			die("database: %s", db_errstr(c->db));
	} else {
		/*
		 * Ends an administrator's lock and a running timed lock
		 * (failed sign-ins) alike; an unverified account stays
		 * unverified.
		 */
		args[0] = ARG_I(id);
		if (db_exec(c->db, &c->a, ST_MEMBER_UNLOCK, args, 1,
		    NULL) != DB_OK)
			die("database: %s", db_errstr(c->db));
	}
	audit_cli(c->db, &c->a, c->operator_name,
	    arena_printf(&c->a, "user_%s", what), id, "ok", "");
	printf("account %llu: %s done\n", (unsigned long long)id, what);
	return 0;
}

static int
cmd_user(struct cli *c, int argc, char **argv)
{
	if (argc < 2 || is_help(argc, argv)) {
		return say_usage(argc < 2,
		    "usage: portalctl user add [--admin|--operator] EMAIL\n"
		    "       portalctl user list [--role member|operator|admin]\n"
		    "       portalctl user lock|unlock EMAIL\n"
		    "       portalctl user delete EMAIL --yes\n"
		    "add prints a one-time password once; store it nowhere.");
	}
	if (strcmp(argv[1], "add") == 0)
		return user_add(c, argc, argv);
	if (strcmp(argv[1], "list") == 0)
		return user_list(c, argc, argv);
	if (strcmp(argv[1], "lock") == 0 || strcmp(argv[1], "unlock") == 0 ||
	    strcmp(argv[1], "delete") == 0)
		return user_state(c, argc, argv);
	die("user: unknown subcommand '%s' (see --help)", argv[1]);
}

/* ------------------------------------------------------------------ */
/* maintenance */

/*
 * Record a maintenance switch in the audit trail.  Maintenance is often
 * switched on because the database is being worked on, so an unreachable
 * database only warns: the switch itself must always work.
 */
static void
audit_maintenance(struct cli *c, const char *action, const char *details)
{
	if (c->db == NULL && (c->db = db_new(&c->conf, true)) == NULL)
		return;
	if (db_connect(c->db) != DB_OK) {
		fprintf(stderr, "portalctl: warning: audit row not written "
		    "(%s)\n", db_errstr(c->db));
		return;
	}
	audit_cli(c->db, &c->a, c->operator_name, action, 0, "ok", details);
}

static int
cmd_maintenance(struct cli *c, int argc, char **argv)
{
	const char	*msg = "";
	char		 cur[1024], tmp[CONF_PATH + 16];
	int		 fd;
	size_t		 len;

	if (argc < 2 || is_help(argc, argv)) {
		return say_usage(argc < 2,
		    "usage: portalctl maintenance on [--message TEXT] | off | status\n"
		    "on writes the flag file (maintenance_flag): every screen answers\n"
		    "503 with the maintenance page showing TEXT; off removes it.");
	}
	cli_load(c, false);
	if (strcmp(argv[1], "status") == 0) {
		if (maintenance_active(c->conf.maintenance_flag, cur,
		    sizeof(cur)))
			printf("on%s%s\n", cur[0] != '\0' ? ": " : "", cur);
		else
			puts("off");
		return 0;
	}
	if (strcmp(argv[1], "off") == 0) {
		if (unlink(c->conf.maintenance_flag) != 0 && errno != ENOENT)
			die("%s: %s", c->conf.maintenance_flag,
			    strerror(errno));
		audit_maintenance(c, "maintenance_off", "");
		puts("maintenance off");
		return 0;
	}
	if (strcmp(argv[1], "on") != 0)
		die("maintenance: unknown subcommand '%s'", argv[1]);
	if (argc == 4 && strcmp(argv[2], "--message") == 0)
		msg = argv[3];
	else if (argc != 2)
		die("maintenance on: usage: maintenance on [--message TEXT]");
	len = strlen(msg);
	if (len >= sizeof(cur) || !utf8_valid(msg, len))
		die("maintenance: message must be UTF-8 and under %zu bytes",
		    sizeof(cur));
	snprintf(tmp, sizeof(tmp), "%s.tmp", c->conf.maintenance_flag);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
	    O_NOFOLLOW, 0644)) < 0)
		die("%s: %s", tmp, strerror(errno));
	if (write(fd, msg, len) != (ssize_t)len || fchmod(fd, 0644) != 0 ||
	    close(fd) != 0)
		die("%s: %s", tmp, strerror(errno));
	if (rename(tmp, c->conf.maintenance_flag) != 0)
		die("%s: %s", c->conf.maintenance_flag, strerror(errno));
	audit_maintenance(c, "maintenance_on", arena_printf(&c->a,
	    "message_bytes=%zu", len));
	puts("maintenance on");
	return 0;
}

/* ------------------------------------------------------------------ */
/* policy */

/*
 * Print the rules of one role's policy p under the heading title.
 */
static void
policy_print(const char *title, const struct policy *p)
{
	printf("%s\n", title);
	printf("  length              %u to %u characters\n", p->min_len,
	    p->max_len);
	printf("  character classes   at least %u of 4 (upper case, lower "
	    "case, digit, symbol)\n", p->min_classes);
	if (p->check_common)
		printf("  common passwords    refused: %zu bundled entries, also "
		    "with digits or\n"
		    "                      symbols only appended or only "
		    "prepended\n", common_npasswords);
	else
		puts("  common passwords    not checked");
	if (p->check_personal)
		puts("  personal data       refused: mail local part (>= 3 "
		    "characters), each word\n"
		    "                      of name and kana (>= 2 characters)");
	else
		puts("  personal data       not checked");
}

/*
 * policy show: the member and administrator policies from the
 * configuration, which AUTH-1 variant each satisfies, and the argon2id
 * parameters.  Reads only the configuration; changes nothing.
 */
static int
cmd_policy(struct cli *c, int argc, char **argv)
{
	struct policy	 member, admin;
	size_t		 i;

	if (argc < 2 || is_help(argc, argv)) {
		return say_usage(argc < 2,
		    "usage: portalctl policy show\n"
		    "Print the active password policies (members; operators and\n"
		    "administrators) from the configuration, whether each satisfies\n"
		    "the procurement variants of AUTH-1, and the argon2id parameters.\n"
		    "Keys: password_min_length, password_max_length,\n"
		    "password_min_classes, admin_password_min_length,\n"
		    "admin_password_min_classes, password_check_common,\n"
		    "password_check_personal, argon2_m_kib, argon2_t, argon2_p.");
	}
	if (strcmp(argv[1], "show") != 0 || argc != 2)
		die("policy: usage: portalctl policy show (see --help)");
	cli_load(c, false);
	policy_for_role(&c->conf, ROLE_MEMBER, &member);
	policy_for_role(&c->conf, ROLE_ADMIN, &admin);
	printf("configuration       %s\n\n", c->conf_path);
	policy_print("member policy (registration, members)", &member);
	putchar('\n');
	policy_print("administrator policy (operators, administrators)", &admin);
	printf("\n%-65s%s\n", "AUTH-1 variants", "member  admin");
	for (i = 0; i < policy_nvariants; i++)
		printf("  %-8s %-53s %-7s %s\n", policy_variants[i].id,
		    policy_variants[i].text,
		    policy_satisfies(&member, &policy_variants[i]) ?
		    "yes" : "NO",
		    policy_satisfies(&admin, &policy_variants[i]) ?
		    "yes" : "NO");
	printf("\nargon2id            m = %u KiB, t = %u, p = %u (hashes made "
	    "with other\n"
	    "                    parameters are upgraded at the next "
	    "sign-in)\n", (unsigned)c->conf.argon2_m_kib,
	    (unsigned)c->conf.argon2_t, (unsigned)c->conf.argon2_p);
	return 0;
}

/* ------------------------------------------------------------------ */
/* retention */

/*
 * Run one purge statement; the number of rows it deleted.  Dies on a
 * database error.
 */
static unsigned long long
purge(struct cli *c, enum stmt st, const struct db_arg *args, size_t n)
{
	struct db_res	 res;

	if (db_exec(cli_db(c), &c->a, st, args, n, &res) != DB_OK)
		die("retention: %s", db_errstr(c->db));
	return (unsigned long long)res.affected;
}

static unsigned
umax(unsigned a, unsigned b)
{
	return a > b ? a : b;
}

/*
 * retention: delete unverified registrations older than pending_ttl (with
 * their tokens), sessions past the longest idle or absolute timeout of
 * any role, throttling rows whose window ended, and one-time tokens a
 * week after they expired (used or not).  Prints the counts and writes
 * one audit row with them (no personal data).  Safe to run at any time
 * and as often as wanted (a daily timer).
 */
static int
cmd_retention(struct cli *c, int argc, char **argv)
{
	struct db_arg		 args[2];
	unsigned long long	 pending, sessions, throttle, tokens;
	unsigned		 idle, absolute;

	if (is_help(argc, argv)) {
		return say_usage(false,
		    "usage: portalctl retention\n"
		    "Delete what the portal keeps no longer (AUTH-5; run it daily):\n"
		    "  - registrations never verified, older than pending_ttl seconds\n"
		    "    (their verification links with them);\n"
		    "  - sessions idle longer than max(session_idle, admin_session_idle)\n"
		    "    or older than max(session_absolute, admin_session_absolute);\n"
		    "  - per-address sign-in throttling rows older than throttle_window;\n"
		    "  - one-time links (verification, reset) 7 days after they expired.\n"
		    "Prints the number of rows deleted of each kind and records them in\n"
		    "the audit trail (action retention, no personal data).");
	}
	if (argc != 1)
		die("retention: no arguments expected (see --help)");
	cli_load(c, false);
	args[0] = ARG_I(c->conf.pending_ttl);
	pending = purge(c, ST_MEMBER_PENDING_PURGE, args, 1);
	idle = umax(c->conf.session_idle, c->conf.admin_session_idle);
	absolute = umax(c->conf.session_absolute,
	    c->conf.admin_session_absolute);
	args[0] = ARG_I(idle);
	args[1] = ARG_I(absolute);
	sessions = purge(c, ST_SESSION_PURGE, args, 2);
	args[0] = ARG_I(c->conf.throttle_window);
	throttle = purge(c, ST_THROTTLE_PURGE, args, 1);
	tokens = purge(c, ST_TOKEN_PURGE, NULL, 0);
	printf("unverified registrations deleted: %llu\n"
	    "expired sessions deleted:         %llu\n"
	    "throttling rows deleted:          %llu\n"
	    "expired tokens deleted:           %llu\n",
	    pending, sessions, throttle, tokens);
	audit_cli(c->db, &c->a, c->operator_name, "retention", 0, "ok",
	    arena_printf(&c->a, "pending=%llu sessions=%llu throttle=%llu "
	    "tokens=%llu", pending, sessions, throttle, tokens));
	return 0;
}

/* ------------------------------------------------------------------ */

static const struct {
	const char	*name;
	int		(*fn)(struct cli *, int, char **);
} cmds[] = {
	{ "keys", cmd_keys },
	{ "maintenance", cmd_maintenance },
	{ "migrate", cmd_migrate },
	{ "policy", cmd_policy },
	{ "retention", cmd_retention },
	{ "user", cmd_user },
};

int
main(int argc, char **argv)
{
	static struct cli	 c;
	size_t			 i;
	int			 rc;

	c.conf_path = getenv("PORTAL_CONF");
	if (c.conf_path == NULL)
		c.conf_path = DEFAULT_CONF;
	log_set_ident("portalctl");
	arena_init(&c.a, 64 * 1024);
	argc--, argv++;
	if (argc >= 2 && strcmp(argv[0], "-c") == 0) {
		c.conf_path = argv[1];
		argc -= 2, argv += 2;
	}
	if (argc < 1 || strcmp(argv[0], "--help") == 0 ||
	    strcmp(argv[0], "-h") == 0 || strcmp(argv[0], "help") == 0) {
		usage(argc < 1 ? stderr : stdout);
		return argc < 1 ? 1 : 0;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(argv[0], cmds[i].name) != 0)
			continue;
		rc = cmds[i].fn(&c, argc, argv);
		db_free(c.db);
		keyring_wipe(&c.keys);
		arena_free(&c.a);
		return rc;
	}
	die("unknown command '%s' (see portalctl --help)", argv[0]);
}
