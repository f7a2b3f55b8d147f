/*
 * audit.c: one audit_log row per state change (LOG-1, LOG-3).  Details
 * never hold personal data, passwords or tokens; the session is named by
 * a short reference derived from its hash, not by its token.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"

/*
 * Insert the row; failures go to the error log only.
 */
static void
audit_insert(struct db *db, struct arena *a, uint64_t actor,
    const char *role, const char *ip, const char *sref, const char *reqid,
    const char *action, uint64_t target, const char *result,
    const char *details)
{
	struct db_arg	 args[9];
	int		 rc;

	args[0] = actor != 0 ? ARG_I(actor) : ARG_NULL;
	args[1] = ARG_S(role);
	args[2] = ARG_S(ip);
	args[3] = ARG_S(sref);
	args[4] = ARG_S(reqid);
	args[5] = ARG_S(action);
	args[6] = target != 0 ? ARG_I(target) : ARG_NULL;
	args[7] = ARG_S(result);
	args[8] = ARG_S(details);
	rc = db_exec(db, a, ST_AUDIT_INSERT, args, 9, NULL);
	if (rc != DB_OK)
		plog(LOG_ERR_, "audit %s/%s not recorded: %s", action, result,
		    db_errstr(db));
}

void
audit(struct req *r, const char *action, uint64_t target, const char *result,
    const char *details)
{
	char	 sref[17] = "-";

	if (r->sess != NULL)
		hex_encode(sref, r->sess->hash, 8);
	audit_insert(r->ctx->db, &r->a, r->sess != NULL ? r->sess->member_id :
	    0, role_name(r->sess != NULL ? r->sess->role : ROLE_ANON),
	    r->remote_addr != NULL ? r->remote_addr : "",
	    sref, r->request_id != NULL ? r->request_id : "-", action, target,
	    result, details != NULL ? details : "");
}

void
audit_cli(struct db *db, struct arena *a, const char *operator_name,
    const char *action, uint64_t target, const char *result,
    const char *details)
{
	char	 d[1024];

	snprintf(d, sizeof(d), "operator=%s%s%s", operator_name,
	    details != NULL && details[0] != '\0' ? " " : "",
	    details != NULL ? details : "");
	audit_insert(db, a, 0, "system", "local", "cli", "-", action, target,
	    result, d);
}
