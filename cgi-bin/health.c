/*
 * portal-health: GET /healthz answers "ok" when the configuration, the
 * keys and the database are usable, 503 otherwise.  No personal data.
 */
#include "app.h"

static int
healthz(struct req *r)
{
	struct db_res	 res;

	if (db_exec(r->ctx->db, &r->a, ST_PING, NULL, 0, &res) != DB_OK ||
	    res.nrows != 1) {
		plog(LOG_ERR_, "healthz: %s", db_errstr(r->ctx->db));
		r->text = "unavailable\n";
		r->retry_after = r->ctx->conf.retry_after;
		return 503;
	}
	r->text = "ok\n";
	return 200;
}

static const struct route routes[] = {
	{ M_GET, "/healthz", ROLE_ANON, RF_NO_DB | RF_TEXT, healthz },
};

int
main(void)
{
	return app_main("portal-health", routes,
	    sizeof(routes) / sizeof(routes[0]));
}
