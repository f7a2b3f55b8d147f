/*
 * db_layer: drives lib/db.c against the real MariaDB for
 * t/integration/95-db-layer.t (built by "make check", not run by it).
 *
 *   db_layer portal.conf
 *
 * Uses the admin account of portal.conf (db_new(conf, true): root over the
 * socket in the dev instance) and only the statements of lib/stmt.c;
 * the one exception is "tag", which takes a named user lock so that the
 * test can find this process's connection from outside (IS_USED_LOCK).
 *
 * Linked with -Wl,--wrap for mysql_stmt_prepare, mysql_stmt_execute and
 * mysql_real_connect, so "stats" reports exactly how often lib/db.c
 * prepared, executed and connected.
 *
 * Commands on stdin, one per line; every command answers one line on
 * stdout ("ok ..." or "err rc=N ..."):
 *   connect              connect now
 *   tag NAME             GET_LOCK(NAME) on this connection ([a-z0-9_]+)
 *   ping N               ST_PING N times (each result checked)
 *   stats                "ok prepares=P executes=E connects=C"
 *   setup N              a member (state disabled) with N sessions:
 *                        "ok MEMBER_ID HASH1 ... HASHN" (hex token hashes)
 *   touch HASH           ST_SESSION_TOUCH (not idempotent)
 *   dup HASH MEMBER_ID   ST_SESSION_INSERT of an existing hash
 *   cleanup MEMBER_ID    ST_MEMBER_DELETE (sessions go with it)
 *   txn                  db_txn(): prints "txn attempt N" at each attempt,
 *                        then reads touch, ping, commit (fn returns 0) or
 *                        abort (fn returns 1); a failing statement ends
 *                        the attempt with its enum db_err, as handlers do.
 *                        Finally "txn done rc=R attempts=N".
 *   quit
 * lib/db.c's own log lines ("transaction retry ...") go to stderr.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mysql.h>

#include "app.h"

#define LINE_MAX_	512
#define SESSIONS_MAX	16

/* ------------------------------------------------------------------ */
/* Counters of the Connector/C calls lib/db.c makes (-Wl,--wrap). */

static unsigned long	 n_prepare, n_execute, n_connect;

int	 __real_mysql_stmt_prepare(MYSQL_STMT *, const char *, unsigned long);
int	 __wrap_mysql_stmt_prepare(MYSQL_STMT *, const char *, unsigned long);
int	 __real_mysql_stmt_execute(MYSQL_STMT *);
int	 __wrap_mysql_stmt_execute(MYSQL_STMT *);
MYSQL	*__real_mysql_real_connect(MYSQL *, const char *, const char *,
	    const char *, const char *, unsigned int, const char *,
	    unsigned long);
MYSQL	*__wrap_mysql_real_connect(MYSQL *, const char *, const char *,
	    const char *, const char *, unsigned int, const char *,
	    unsigned long);

int
__wrap_mysql_stmt_prepare(MYSQL_STMT *st, const char *q, unsigned long n)
{
	n_prepare++;
	return __real_mysql_stmt_prepare(st, q, n);
}

int
__wrap_mysql_stmt_execute(MYSQL_STMT *st)
{
	n_execute++;
	return __real_mysql_stmt_execute(st);
}

MYSQL *
__wrap_mysql_real_connect(MYSQL *my, const char *host, const char *user,
    const char *pass, const char *db, unsigned int port, const char *sock,
    unsigned long flags)
{
	n_connect++;
	return __real_mysql_real_connect(my, host, user, pass, db, port, sock,
	    flags);
}

/* ------------------------------------------------------------------ */

struct t {
	struct config	 conf;
	struct db	*db;
	struct arena	 a;
	unsigned	 attempts;	/* of the running db_txn */
};

static void PORTAL_FMT(1, 2)
say(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static void
say_err(struct t *t, int rc)
{
	say("err rc=%d %s", rc, db_errstr(t->db));
}

/*
 * Next command line without its newline into buf; false on EOF.
 */
static bool
next_line(char *buf, size_t cap)
{
	size_t	 n;

	if (fgets(buf, (int)cap, stdin) == NULL)
		return false;
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	return true;
}

/*
 * A 64-digit hex token hash into h; false if malformed.
 */
static bool
arg_hash(const char *s, unsigned char h[32])
{
	return s != NULL && strlen(s) == 64 && hex_decode(h, 32, s) == 0;
}

/*
 * A positive decimal number (test input, not request data); 0 if bad.
 */
static unsigned long
arg_num(const char *s)
{
	char		*end;
	unsigned long	 v;

	if (s == NULL || *s < '0' || *s > '9')
		return 0;
	v = strtoul(s, &end, 10);
	return *end == '\0' ? v : 0;
}

static int
do_ping(struct t *t, unsigned long n)
{
	struct db_res	 res;
	unsigned long	 i;
	int		 rc;

	for (i = 0; i < n; i++) {
		arena_reset(&t->a);
		rc = db_exec(t->db, &t->a, ST_PING, NULL, 0, &res);
		if (rc != DB_OK)
			return rc;
		if (res.nrows != 1 || res.ncols != 1 ||
		    strcmp(db_str(&res, 0, 0), "1") != 0) {
			say("err rc=0 ping %lu: unexpected result", i);
			return 1;
		}
	}
	return DB_OK;
}

static int
do_touch(struct t *t, const char *hex)
{
	unsigned char	 h[32];
	struct db_arg	 arg;
	struct db_res	 res;
	int		 rc;

	if (!arg_hash(hex, h)) {
		say("err rc=0 touch: bad hash");
		return 1;
	}
	arg = ARG_B(h, sizeof(h));
	arena_reset(&t->a);
	if ((rc = db_exec(t->db, &t->a, ST_SESSION_TOUCH, &arg, 1,
	    &res)) != DB_OK) {
		say_err(t, rc);
		return rc;
	}
	say("ok affected=%llu", (unsigned long long)res.affected);
	return DB_OK;
}

static void
do_setup(struct t *t, unsigned long n)
{
	unsigned char	 idx[32], h[32];
	struct db_arg	 args[5];
	struct db_res	 res;
	struct buf	 out;
	char		 hex[65];
	uint64_t	 id;
	unsigned long	 i;
	int		 rc;

	arena_reset(&t->a);
	if (n == 0 || n > SESSIONS_MAX || rand_bytes(idx, sizeof(idx)) != 0) {
		say("err rc=0 setup: bad count or no randomness");
		return;
	}
	args[0] = ARG_B(idx, sizeof(idx));
	args[1] = ARG_S("db_layer-test-no-password");
	args[2] = ARG_S("member");
	args[3] = ARG_S("disabled");
	args[4] = ARG_I(0);
	if ((rc = db_exec(t->db, &t->a, ST_MEMBER_INSERT, args, 5,
	    &res)) != DB_OK) {
		say_err(t, rc);
		return;
	}
	id = res.insert_id;
	buf_init(&out, &t->a);
	buf_printf(&out, "ok %llu", (unsigned long long)id);
	for (i = 0; i < n; i++) {
		if (rand_bytes(h, sizeof(h)) != 0) {
			say("err rc=0 setup: no randomness");
			return;
		}
		args[0] = ARG_B(h, sizeof(h));
		args[1] = ARG_I(id);
		args[2] = ARG_S("127.0.0.1");
		args[3] = ARG_S("db_layer");
		if ((rc = db_exec(t->db, &t->a, ST_SESSION_INSERT, args, 4,
		    NULL)) != DB_OK) {
			say_err(t, rc);
			return;
		}
		hex_encode(hex, h, sizeof(h));
		buf_printf(&out, " %s", hex);
	}
	say("%s", out.p);
}

static void
do_dup(struct t *t, const char *hex, const char *member)
{
	unsigned char	 h[32];
	struct db_arg	 args[4];
	int		 rc;

	if (!arg_hash(hex, h) || arg_num(member) == 0) {
		say("err rc=0 dup: bad arguments");
		return;
	}
	args[0] = ARG_B(h, sizeof(h));
	args[1] = ARG_I(arg_num(member));
	args[2] = ARG_S("127.0.0.1");
	args[3] = ARG_S("db_layer");
	arena_reset(&t->a);
	rc = db_exec(t->db, &t->a, ST_SESSION_INSERT, args, 4, NULL);
	if (rc == DB_OK)
		say("ok inserted");
	else
		say_err(t, rc);
}

static void
do_cleanup(struct t *t, const char *member)
{
	struct db_arg	 arg;
	struct db_res	 res;
	int		 rc;

	if (arg_num(member) == 0) {
		say("err rc=0 cleanup: bad member id");
		return;
	}
	arg = ARG_I(arg_num(member));
	arena_reset(&t->a);
	if ((rc = db_exec(t->db, &t->a, ST_MEMBER_DELETE, &arg, 1,
	    &res)) != DB_OK)
		say_err(t, rc);
	else
		say("ok affected=%llu", (unsigned long long)res.affected);
}

/*
 * The body of db_txn: statements as the test sends them.
 */
static int
txn_body(struct db *db, void *arg)
{
	struct t	*t = arg;
	char		 line[LINE_MAX_], *cmd, *a1, *save;
	int		 rc;

	(void)db;
	say("txn attempt %u", ++t->attempts);
	while (next_line(line, sizeof(line))) {
		cmd = strtok_r(line, " ", &save);
		a1 = strtok_r(NULL, " ", &save);
		if (cmd == NULL)
			continue;
		if (strcmp(cmd, "commit") == 0)
			return 0;
		if (strcmp(cmd, "abort") == 0)
			return 1;
		if (strcmp(cmd, "touch") == 0) {
			if ((rc = do_touch(t, a1)) != DB_OK)
				return rc;
		} else if (strcmp(cmd, "ping") == 0) {
			if ((rc = do_ping(t, 1)) != DB_OK) {
				if (rc < 0)
					say_err(t, rc);
				return rc;
			}
			say("ok");
		} else
			say("err rc=0 unknown command in a transaction");
	}
	return 1;
}

int
main(int argc, char **argv)
{
	static struct t	 t;
	char		 line[LINE_MAX_], err[256], *cmd, *a1, *a2, *save;
	int		 rc;

	signal(SIGPIPE, SIG_IGN);
	log_set_ident("db_layer");
	if (argc != 2) {
		fprintf(stderr, "usage: db_layer portal.conf\n");
		return 64;
	}
	if (config_load(&t.conf, argv[1], err, sizeof(err)) != 0) {
		fprintf(stderr, "db_layer: %s: %s\n", argv[1], err);
		return 1;
	}
	if ((t.db = db_new(&t.conf, true)) == NULL)
		return 1;
	arena_init(&t.a, 16 * 1024);
	setvbuf(stdout, NULL, _IOLBF, 0);
	say("ready");

	while (next_line(line, sizeof(line))) {
		cmd = strtok_r(line, " ", &save);
		a1 = strtok_r(NULL, " ", &save);
		a2 = strtok_r(NULL, " ", &save);
		if (cmd == NULL)
			continue;
		if (strcmp(cmd, "quit") == 0)
			break;
		if (strcmp(cmd, "connect") == 0) {
			if ((rc = db_connect(t.db)) == DB_OK)
				say("ok");
			else
				say_err(&t, rc);
		} else if (strcmp(cmd, "tag") == 0) {
			char	 sql[128];

			if (a1 == NULL || a1[0] == '\0' || strlen(a1) > 64 ||
			    strspn(a1, "abcdefghijklmnopqrstuvwxyz0123456789_") !=
			    strlen(a1)) {
				say("err rc=0 tag: bad name");
				continue;
			}
			/* Test-only SQL: the name is checked above. */
			snprintf(sql, sizeof(sql), "SELECT GET_LOCK('%s', 0)",
			    a1);
			if (db_run_script(t.db, sql, err, sizeof(err)) == DB_OK)
				say("ok");
			else
				say("err rc=%d %s", DB_ERROR, err);
		} else if (strcmp(cmd, "ping") == 0) {
			unsigned long n = a1 != NULL ? arg_num(a1) : 1;

			if ((rc = do_ping(&t, n)) == DB_OK)
				say("ok %lu", n);
			else if (rc < 0)
				say_err(&t, rc);
		} else if (strcmp(cmd, "stats") == 0) {
			say("ok prepares=%lu executes=%lu connects=%lu",
			    n_prepare, n_execute, n_connect);
		} else if (strcmp(cmd, "setup") == 0) {
			do_setup(&t, arg_num(a1));
		} else if (strcmp(cmd, "touch") == 0) {
			(void)do_touch(&t, a1);
		} else if (strcmp(cmd, "dup") == 0) {
			do_dup(&t, a1, a2);
		} else if (strcmp(cmd, "cleanup") == 0) {
			do_cleanup(&t, a1);
		} else if (strcmp(cmd, "txn") == 0) {
			t.attempts = 0;
			rc = db_txn(t.db, txn_body, &t);
			say("txn done rc=%d attempts=%u", rc, t.attempts);
		} else
			say("err rc=0 unknown command");
	}
	db_free(t.db);
	arena_free(&t.a);
	return 0;
}
