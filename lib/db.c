/*
 * db.c: the database layer over MariaDB Connector/C.
 *
 * One connection per process, opened lazily; every statement of the table
 * in stmt.c is prepared on first use and kept.  A lost connection (2006,
 * 2013, ...) closes everything; idempotent reads are retried once on a new
 * connection, transactions are retried whole (also on deadlocks, so a
 * Galera cluster's certification failures are handled the same way).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>

#include "app.h"

#define DB_MAX_COLS	32
#define DB_MAX_ARGS	16
#define DB_TXN_TRIES	3

struct db {
	const struct config	*conf;
	bool			 admin;
	MYSQL			*my;
	MYSQL_STMT		*st[ST__MAX];
	bool			 in_txn;
	char			 err[256];
};

/*
 * Classify a MariaDB error number.
 */
static int
db_classify(unsigned int no)
{
	switch (no) {
	case CR_SERVER_GONE_ERROR:
	case CR_SERVER_LOST:
	case CR_CONNECTION_ERROR:
	case CR_CONN_HOST_ERROR:
	case CR_SERVER_LOST_EXTENDED:
	case ER_CONNECTION_KILLED:
	case ER_SERVER_SHUTDOWN:
	case 4031:	/* ER_CLIENT_INTERACTION_TIMEOUT */
		return DB_UNAVAILABLE;
	case ER_LOCK_DEADLOCK:
	case ER_LOCK_WAIT_TIMEOUT:
	case 1180:	/* ER_ERROR_DURING_COMMIT (Galera) */
		return DB_RETRY;
	case ER_DUP_ENTRY:
		return DB_DUPLICATE;
	default:
		return DB_ERROR;
	}
}

/*
 * Close the statements and the connection.
 */
static void
db_close(struct db *db)
{
	size_t	 i;

	for (i = 0; i < ST__MAX; i++) {
		if (db->st[i] != NULL)
			mysql_stmt_close(db->st[i]);
		db->st[i] = NULL;
	}
	if (db->my != NULL)
		mysql_close(db->my);
	db->my = NULL;
	db->in_txn = false;
}

struct db *
db_new(const struct config *conf, bool admin)
{
	struct db	*db;

	if ((db = calloc(1, sizeof(*db))) == NULL)
		return NULL;
	db->conf = conf;
	db->admin = admin;
	return db;
}

void
db_free(struct db *db)
{
	if (db == NULL)
		return;
	db_close(db);
	free(db);
}

const char *
db_errstr(const struct db *db)
{
	return db->err;
}

/*
 * Remember the error of the connection or statement for the log.
 */
static int
db_fail(struct db *db, MYSQL_STMT *st, const char *what)
{
	unsigned int	 no;
	const char	*msg;
	char		 clean[200];
	int		 rc;

	if (st != NULL) {
		no = mysql_stmt_errno(st);
		msg = mysql_stmt_error(st);
	} else if (db->my != NULL) {
		no = mysql_errno(db->my);
		msg = mysql_error(db->my);
	} else {
		no = CR_CONNECTION_ERROR;
		msg = "not connected";
	}
	esc_log(clean, sizeof(clean), msg);
	snprintf(db->err, sizeof(db->err), "%s: %u %s", what, no, clean);
	rc = db_classify(no);
	if (rc == DB_UNAVAILABLE)
		db_close(db);
	return rc;
}

int
db_connect(struct db *db)
{
	const struct config	*c = db->conf;
	unsigned int		 timeout = 3, rwtimeout = 15;
	my_bool			 off = 0, on = 1;
	const char		*user, *pass, *host, *sock;

	if (db->my != NULL)
		return DB_OK;
	if ((db->my = mysql_init(NULL)) == NULL) {
		snprintf(db->err, sizeof(db->err), "mysql_init failed");
		return DB_UNAVAILABLE;
	}
	mysql_optionsv(db->my, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_optionsv(db->my, MYSQL_OPT_READ_TIMEOUT, &rwtimeout);
	mysql_optionsv(db->my, MYSQL_OPT_WRITE_TIMEOUT, &rwtimeout);
	mysql_optionsv(db->my, MYSQL_OPT_RECONNECT, &off);
	mysql_optionsv(db->my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_optionsv(db->my, MYSQL_INIT_COMMAND,
	    "SET time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,"
	    "NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
	    "NO_ENGINE_SUBSTITUTION'");
	if (c->db_tls_ca[0] != '\0') {
		mysql_optionsv(db->my, MYSQL_OPT_SSL_CA, c->db_tls_ca);
		mysql_optionsv(db->my, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &on);
	}
	user = db->admin ? c->db_admin_user : c->db_user;
	pass = db->admin ? c->db_admin_password : c->db_password;
	host = c->db_host[0] != '\0' ? c->db_host : "localhost";
	sock = c->db_host[0] != '\0' ? NULL : c->db_socket;
	if (mysql_real_connect(db->my, host, user,
	    pass[0] != '\0' ? pass : NULL, c->db_name, c->db_port, sock,
	    db->admin ? CLIENT_MULTI_STATEMENTS : 0) == NULL) {
		db_fail(db, NULL, "connect");
		db_close(db);
		return DB_UNAVAILABLE;
	}
	return DB_OK;
}

/*
 * The prepared statement for id, preparing it on first use.
 */
static MYSQL_STMT *
db_stmt(struct db *db, enum stmt id, int *rc)
{
	MYSQL_STMT	*st;
	my_bool		 on = 1;

	if (db->st[id] != NULL)
		return db->st[id];
	if ((st = mysql_stmt_init(db->my)) == NULL) {
		*rc = db_fail(db, NULL, "stmt_init");
		return NULL;
	}
	mysql_stmt_attr_set(st, STMT_ATTR_UPDATE_MAX_LENGTH, &on);
	if (mysql_stmt_prepare(st, stmt_defs[id].sql,
	    strlen(stmt_defs[id].sql)) != 0) {
		*rc = db_fail(db, st, "prepare");
		mysql_stmt_close(st);
		return NULL;
	}
	if (mysql_stmt_param_count(st) != stmt_defs[id].nparams) {
		snprintf(db->err, sizeof(db->err),
		    "statement %d: placeholder count mismatch", (int)id);
		mysql_stmt_close(st);
		*rc = DB_ERROR;
		return NULL;
	}
	db->st[id] = st;
	return st;
}

/*
 * Fetch all rows of an executed statement into res (arena copies).
 */
static int
db_fetch(struct db *db, MYSQL_STMT *st, struct arena *a, struct db_res *res)
{
	MYSQL_RES	*meta;
	MYSQL_FIELD	*f;
	MYSQL_BIND	 b[DB_MAX_COLS];
	unsigned long	 len[DB_MAX_COLS];
	my_bool		 isnull[DB_MAX_COLS], trunc[DB_MAX_COLS];
	size_t		 ncols, nrows, i, r, cap[DB_MAX_COLS];
	int		 frc;

	if ((meta = mysql_stmt_result_metadata(st)) == NULL)
		return DB_OK;
	ncols = mysql_num_fields(meta);
	f = mysql_fetch_fields(meta);
	if (ncols > DB_MAX_COLS) {
		mysql_free_result(meta);
		snprintf(db->err, sizeof(db->err), "too many columns");
		return DB_ERROR;
	}
	if (mysql_stmt_store_result(st) != 0) {
		mysql_free_result(meta);
		return db_fail(db, st, "store_result");
	}
	nrows = (size_t)mysql_stmt_num_rows(st);
	memset(b, 0, sizeof(b));
	for (i = 0; i < ncols; i++) {
		cap[i] = f[i].max_length > 63 ? f[i].max_length + 1 : 64;
		b[i].buffer_type = MYSQL_TYPE_STRING;
		b[i].buffer = arena_alloc(a, cap[i]);
		b[i].buffer_length = cap[i];
		b[i].length = &len[i];
		b[i].is_null = &isnull[i];
		b[i].error = &trunc[i];
	}
	mysql_free_result(meta);
	res->ncols = ncols;
	res->nrows = 0;
	res->v = arena_calloc(a, nrows * ncols + 1, sizeof(struct db_val));
	if (ncols > 0 && mysql_stmt_bind_result(st, b) != 0)
		return db_fail(db, st, "bind_result");
	for (r = 0; r < nrows; r++) {
		frc = mysql_stmt_fetch(st);
		if (frc == MYSQL_NO_DATA)
			break;
		if (frc == 1)
			return db_fail(db, st, "fetch");
		for (i = 0; i < ncols; i++) {
			struct db_val	*v = &res->v[r * ncols + i];
			char		*p;

			if (isnull[i]) {
				v->p = "";
				v->null = true;
				continue;
			}
			p = arena_alloc(a, (size_t)len[i] + 1);
			if (len[i] <= cap[i] && !trunc[i]) {
				memcpy(p, b[i].buffer, len[i]);
			} else {
				MYSQL_BIND	 one;
				unsigned long	 l2 = 0;

				memset(&one, 0, sizeof(one));
				one.buffer_type = MYSQL_TYPE_STRING;
				one.buffer = p;
				one.buffer_length = (unsigned long)len[i] + 1;
				one.length = &l2;
				if (mysql_stmt_fetch_column(st, &one,
				    (unsigned int)i, 0) != 0)
					return db_fail(db, st, "fetch_column");
			}
			p[len[i]] = '\0';
			v->p = p;
			v->len = len[i];
		}
		res->nrows++;
	}
	mysql_stmt_free_result(st);
	return DB_OK;
}

/*
 * One attempt at running statement id.
 */
static int
db_exec_once(struct db *db, struct arena *a, enum stmt id,
    const struct db_arg *args, size_t nargs, struct db_res *res)
{
	MYSQL_BIND	 b[DB_MAX_ARGS];
	my_bool		 isnull = 1;
	MYSQL_STMT	*st;
	size_t		 i;
	int		 rc = DB_ERROR;

	if (db_connect(db) != DB_OK)
		return DB_UNAVAILABLE;
	if ((st = db_stmt(db, id, &rc)) == NULL)
		return rc;
	memset(b, 0, sizeof(b));
	for (i = 0; i < nargs; i++) {
		switch (args[i].t) {
		case DBA_NULL:
			b[i].buffer_type = MYSQL_TYPE_NULL;
			b[i].is_null = &isnull;
			break;
		case DBA_INT:
			b[i].buffer_type = MYSQL_TYPE_LONGLONG;
			b[i].buffer = (void *)&args[i].i;
			break;
		case DBA_STR:
			b[i].buffer_type = MYSQL_TYPE_STRING;
			b[i].buffer = (void *)args[i].p;
			b[i].buffer_length = (unsigned long)args[i].len;
			break;
		case DBA_BLOB:
			b[i].buffer_type = MYSQL_TYPE_BLOB;
			b[i].buffer = (void *)args[i].p;
			b[i].buffer_length = (unsigned long)args[i].len;
			break;
		}
	}
	if (nargs > 0 && mysql_stmt_bind_param(st, b) != 0)
		return db_fail(db, st, "bind_param");
	if (mysql_stmt_execute(st) != 0)
		return db_fail(db, st, "execute");
	if (res != NULL) {
		memset(res, 0, sizeof(*res));
		res->affected = mysql_stmt_affected_rows(st);
		res->insert_id = mysql_stmt_insert_id(st);
		if ((rc = db_fetch(db, st, a, res)) != DB_OK)
			return rc;
		if (res->ncols > 0)
			res->affected = res->nrows;
	} else if (mysql_stmt_field_count(st) > 0)
		mysql_stmt_free_result(st);
	return DB_OK;
}

int
db_exec(struct db *db, struct arena *a, enum stmt id,
    const struct db_arg *args, size_t nargs, struct db_res *res)
{
	int	 rc;
	bool	 was_txn = db->in_txn;

	if (id >= ST__MAX || nargs != stmt_defs[id].nparams ||
	    nargs > DB_MAX_ARGS) {
		snprintf(db->err, sizeof(db->err),
		    "statement %d: bad argument count", (int)id);
		return DB_ERROR;
	}
	rc = db_exec_once(db, a, id, args, nargs, res);
	if (rc == DB_UNAVAILABLE && stmt_defs[id].idempotent && !was_txn)
		rc = db_exec_once(db, a, id, args, nargs, res);
	return rc;
}

const struct db_val *
db_val(const struct db_res *res, size_t row, size_t col)
{
	static const struct db_val	 none = { "", 0, true };

	if (res == NULL || row >= res->nrows || col >= res->ncols)
		return &none;
	return &res->v[row * res->ncols + col];
}

const char *
db_str(const struct db_res *res, size_t row, size_t col)
{
	return db_val(res, row, col)->p;
}

uint64_t
db_u64(const struct db_res *res, size_t row, size_t col)
{
	const struct db_val	*v = db_val(res, row, col);
	unsigned long long	 n;
	char			*end;

	if (v->null || v->len == 0 || v->p[0] < '0' || v->p[0] > '9')
		return 0;
	errno = 0;
	n = strtoull(v->p, &end, 10);
	if (errno != 0 || *end != '\0')
		return 0;
	return (uint64_t)n;
}

/*
 * Run a statement that is not in the table (transaction control only).
 */
static int
db_simple(struct db *db, const char *sql)
{
	if (db_connect(db) != DB_OK)
		return DB_UNAVAILABLE;
	if (mysql_real_query(db->my, sql, strlen(sql)) != 0)
		return db_fail(db, NULL, sql);
	return DB_OK;
}

int
db_txn(struct db *db, int (*fn)(struct db *, void *), void *arg)
{
	int	 rc = DB_ERROR, attempt;

	for (attempt = 0; attempt < DB_TXN_TRIES; attempt++) {
		if ((rc = db_simple(db, "START TRANSACTION")) != DB_OK) {
			if (rc == DB_UNAVAILABLE && attempt == 0)
				continue;
			return rc;
		}
		db->in_txn = true;
		rc = fn(db, arg);
		if (rc == 0) {
			rc = db_simple(db, "COMMIT");
			db->in_txn = false;
			if (rc == DB_OK)
				return 0;
			/*
			 * A connection lost during COMMIT leaves the outcome
			 * unknown: running fn again could apply it twice.
			 * A deadlock or certification failure at COMMIT is a
			 * definite rollback and is retried below.
			 */
			if (rc == DB_UNAVAILABLE)
				return rc;
		} else if (db->my != NULL) {
			(void)db_simple(db, "ROLLBACK");
			db->in_txn = false;
		}
		db->in_txn = false;
		if (rc != DB_RETRY && rc != DB_UNAVAILABLE)
			return rc;
		plog(LOG_WARN_, "transaction retry %d: %s", attempt + 1,
		    db->err);
	}
	return rc;
}

int
db_run_script(struct db *db, const char *sql, char *err, size_t errcap)
{
	int	 st;

	if (db_connect(db) != DB_OK) {
		snprintf(err, errcap, "%s", db->err);
		return DB_UNAVAILABLE;
	}
	if (mysql_real_query(db->my, sql, strlen(sql)) != 0) {
		db_fail(db, NULL, "script");
		snprintf(err, errcap, "%s", db->err);
		return DB_ERROR;
	}
	do {
		MYSQL_RES *r = mysql_store_result(db->my);

		if (r != NULL)
			mysql_free_result(r);
		else if (mysql_field_count(db->my) != 0) {
			db_fail(db, NULL, "script result");
			snprintf(err, errcap, "%s", db->err);
			return DB_ERROR;
		}
		st = mysql_next_result(db->my);
		if (st > 0) {
			db_fail(db, NULL, "script");
			snprintf(err, errcap, "%s", db->err);
			return DB_ERROR;
		}
	} while (st == 0);
	return DB_OK;
}
