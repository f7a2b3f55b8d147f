/*
 * app.c: the loop every FastCGI program runs.
 *
 * accept -> bound and parse -> route -> maintenance? -> session -> role
 * -> CSRF -> handler -> render (auto-escaping) -> security headers ->
 * release the request arena.  Process-wide state is only the context
 * (configuration, keys, the DB handle), read-only after start-up.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "app.h"

#define PATH_MAX_LEN	2048
#define RELOAD_EVERY	10	/* seconds between configuration retries */


/* Transport of one request: FastCGI streams or CGI stdio. */
struct io {
	FCGX_Request	*fr;
};

static const char *
io_param(const struct req *r, const char *name)
{
	const struct io	*io = r->io;

	if (io->fr != NULL)
		return FCGX_GetParam(name, io->fr->envp);
	return getenv(name);
}

/*
 * Read exactly n bytes of body; -1 if the client sent fewer.
 */
static int
io_read(const struct req *r, char *p, size_t n)
{
	const struct io	*io = r->io;
	size_t		 got = 0;
	int		 k;

	while (got < n) {
		if (io->fr != NULL) {
			k = FCGX_GetStr(p + got, (int)(n - got > 65536 ?
			    65536 : n - got), io->fr->in);
			if (k <= 0)
				return -1;
		} else {
			size_t m = fread(p + got, 1, n - got, stdin);

			if (m == 0)
				return -1;
			k = (int)m;
		}
		got += (size_t)k;
	}
	return 0;
}

static void
io_write(const struct req *r, const char *p, size_t n)
{
	const struct io	*io = r->io;

	if (n == 0)
		return;
	if (io->fr != NULL)
		(void)FCGX_PutStr(p, (int)n, io->fr->out);
	else
		(void)fwrite(p, 1, n, stdout);
}

/* ------------------------------------------------------------------ */
/* Helpers for handlers. */

const char *
req_param(const struct req *r, const char *key)
{
	const char	*v = NULL;

	if (r->method == M_POST)
		v = params_get(&r->form, key);
	if (v == NULL)
		v = params_get(&r->query, key);
	return v != NULL ? v : "";
}

void
req_ensure_token(struct req *r)
{
	unsigned char	 h[32];

	if (session_token_ok(r->token) || r->token_clear)
		return;
	if (token_new(r->token, h) == 0)
		r->token_set = true;
}

void
req_set(struct req *r, const char *key, const char *val)
{
	tpl_set(r->vars, key, val);
}

void
req_field_error(struct req *r, const char *field, const char *msgkey)
{
	if (r->nerrs >= sizeof(r->errs) / sizeof(r->errs[0]))
		return;
	r->errs[r->nerrs].field = field;
	r->errs[r->nerrs].msgkey = msgkey;
	r->nerrs++;
}

int
req_redirect(struct req *r, const char *path)
{
	r->location = path;
	r->tpl = NULL;
	r->status = 303;
	return 303;
}

int
req_page(struct req *r, int status, const char *tpl, const char *title_key)
{
	const char	*t = msg_get(title_key);

	r->status = status;
	r->tpl = tpl;
	req_set(r, "title", t != NULL ? t : "");
	return status;
}

int
req_error(struct req *r, int status, const char *msgkey)
{
	const char	*m = msg_get(msgkey);

	if (status == 503 && r->retry_after == 0)
		r->retry_after = r->ctx->ready ? r->ctx->conf.retry_after : 60;
	req_set(r, "message", m != NULL ? m : "");
	return req_page(r, status, "error", "title_error");
}

/* ------------------------------------------------------------------ */
/* Response. */

/*
 * Send head and body; falls back to a bare 500 if the head is refused.
 */
static void
send_response(struct req *r, const char *ctype, const char *body,
    size_t len)
{
	struct buf	 head;

	buf_init(&head, &r->a);
	if (http_head(&head, r, ctype, len) != 0) {
		plog(LOG_ERR_, "response head refused (unsafe value)");
		r->status = 500;
		r->location = NULL;
		r->token_set = r->token_clear = false;
		r->ncookies_set = 0;
		r->retry_after = 0;
		buf_init(&head, &r->a);
		(void)http_head(&head, r, "text/plain; charset=utf-8", 0);
		io_write(r, head.p, head.len);
		return;
	}
	io_write(r, head.p, head.len);
	if (r->method != M_HEAD)
		io_write(r, body, len);
}

/*
 * Render r->tpl with the variables every page has.
 */
static void
render(struct req *r)
{
	struct buf	 body;
	size_t		 i;
	const char	*m;
	char		 csrf[TOKEN_B64 + 1];

	if (r->location != NULL) {
		send_response(r, "text/html; charset=utf-8", "", 0);
		return;
	}
	if (r->text != NULL) {
		send_response(r, r->text_type != NULL ? r->text_type :
		    "text/plain; charset=utf-8", r->text,
		    strlen(r->text));
		return;
	}
	if (r->tpl == NULL)
		(void)req_error(r, 500, "err_internal");
	if (r->ctx->ready) {
		if (strcmp(r->ctx->conf.environment, "production") != 0)
			req_set(r, "env_name", r->ctx->conf.environment);
		if (session_token_ok(r->token) && !r->token_clear) {
			csrf_token(&r->ctx->keys, r->token, csrf);
			req_set(r, "csrf", arena_strdup(&r->a, csrf));
		}
	}
	if (r->sess != NULL)
		req_set(r, "signed_in", "1");
	for (i = 0; i < r->nerrs; i++) {
		m = msg_get(r->errs[i].msgkey);
		req_set(r, arena_printf(&r->a, "err_%s", r->errs[i].field),
		    m != NULL ? m : r->errs[i].msgkey);
	}
	if (r->nerrs > 0 && tpl_get(r->vars, "form_error") == NULL)
		req_set(r, "form_error", msg_get("err_form"));
	buf_init(&body, &r->a);
	if (tpl_render(&body, r->tpl, r->vars) != 0) {
		plog(LOG_ERR_, "template %s failed to render", r->tpl);
		r->status = 500;
		r->token_set = false;
		send_response(r, "text/plain; charset=utf-8",
		    "Internal Server Error\n", 22);
		return;
	}
	send_response(r, "text/html; charset=utf-8", body.p, body.len);
}

/* ------------------------------------------------------------------ */
/* Request. */

static enum method
method_parse(const char *m)
{
	if (m == NULL)
		return M_OTHER;
	if (strcmp(m, "GET") == 0)
		return M_GET;
	if (strcmp(m, "HEAD") == 0)
		return M_HEAD;
	if (strcmp(m, "POST") == 0)
		return M_POST;
	return M_OTHER;
}

/*
 * Strict decimal CONTENT_LENGTH; -1 if malformed.
 */
static long long
content_length(const char *s)
{
	long long	 n = 0;

	if (s == NULL || *s == '\0')
		return 0;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || n > (1LL << 40))
			return -1;
		n = n * 10 + (*s - '0');
	}
	return n;
}

/*
 * Read and parse the urlencoded body; an HTTP status on failure, 0 on
 * success.
 */
static int
read_form(struct req *r)
{
	const char	*ct = io_param(r, "CONTENT_TYPE");
	long long	 len = content_length(io_param(r, "CONTENT_LENGTH"));
	char		*body;
	enum perr	 pe;

	if (len < 0)
		return 400;
	if ((size_t)len > r->ctx->lim.max_body)
		return 413;
	if (len > 0 && (ct == NULL || strncmp(ct,
	    "application/x-www-form-urlencoded", 33) != 0 ||
	    (ct[33] != '\0' && ct[33] != ';')))
		return 415;
	body = arena_alloc(&r->a, (size_t)len + 1);
	if (io_read(r, body, (size_t)len) != 0)
		return 400;
	pe = parse_urlencoded(&r->a, body, (size_t)len, &r->ctx->lim,
	    &r->form);
	if (pe != PERR_OK) {
		plog(LOG_INFO_, "form refused: %s", perr_str(pe));
		return 400;
	}
	return 0;
}

/*
 * Load configuration and keys (again, if an earlier attempt failed).
 */
static void
ctx_load(struct ctx *ctx)
{
	static time_t	 last;
	const char	*path = getenv("PORTAL_CONF");
	char		 err[256];
	time_t		 now = time(NULL);

	if (ctx->ready || (last != 0 && now - last < RELOAD_EVERY))
		return;
	last = now;
	if (path == NULL)
		path = "/etc/portal/portal.conf";
	if (config_load(&ctx->conf, path, err, sizeof(err)) != 0) {
		plog(LOG_ERR_, "configuration %s: %s", path, err);
		return;
	}
	if (keyring_load(&ctx->keys, ctx->conf.key_dir, err,
	    sizeof(err)) != 0) {
		plog(LOG_ERR_, "keys: %s", err);
		return;
	}
	config_limits(&ctx->conf, &ctx->lim);
	if (setenv("TZ", ctx->conf.timezone, 1) == 0)
		tzset();
	if (ctx->db == NULL && (ctx->db = db_new(&ctx->conf, false)) == NULL)
		return;
	ctx->ready = true;
}

/*
 * Find the route for the request; sets *status to 404, or to 405 with
 * r->allow listing the methods the path has.
 */
static const struct route *
route_find(struct req *r, const struct route *routes, size_t n, int *status)
{
	size_t		 i;
	enum method	 m = r->method == M_HEAD ? M_GET : r->method;
	bool		 get = false, post = false;

	for (i = 0; i < n; i++) {
		if (strcmp(routes[i].path, r->path) != 0)
			continue;
		if (routes[i].method == m)
			return &routes[i];
		if (routes[i].method == M_GET)
			get = true;
		else if (routes[i].method == M_POST)
			post = true;
	}
	*status = get || post ? 405 : 404;
	if (get && post)
		r->allow = "GET, HEAD, POST";
	else if (get)
		r->allow = "GET, HEAD";
	else if (post)
		r->allow = "POST";
	return NULL;
}

/*
 * Everything between accept and render; returns nothing, leaves the
 * response in r.
 */
static void
handle(struct req *r, const struct route *routes, size_t n)
{
	const struct route	*rt;
	const char		*uri, *q, *ck;
	char			 maint[1024];
	struct db_res		 ping;
	enum perr		 pe;
	int			 st;
	size_t			 plen;

	r->method = method_parse(io_param(r, "REQUEST_METHOD"));
	r->remote_addr = io_param(r, "REMOTE_ADDR");
	r->user_agent = io_param(r, "HTTP_USER_AGENT");
	r->origin = io_param(r, "HTTP_ORIGIN");
	r->fetch_site = io_param(r, "HTTP_SEC_FETCH_SITE");
	r->request_id = io_param(r, "UNIQUE_ID");
	log_set_request(r->request_id);

	uri = io_param(r, "REQUEST_URI");
	if (uri == NULL)
		uri = "/";
	plen = strcspn(uri, "?");
	if (plen == 0 || plen > PATH_MAX_LEN) {
		(void)req_error(r, 400, "err_bad_request");
		return;
	}
	r->path = arena_strndup(&r->a, uri, plen);

	if (!r->ctx->ready) {
		(void)req_error(r, 503, "err_unavailable");
		return;
	}
	if (maintenance_active(r->ctx->conf.maintenance_flag, maint,
	    sizeof(maint))) {
		r->retry_after = r->ctx->conf.retry_after;
		req_set(r, "message", maint[0] != '\0' ?
		    arena_strdup(&r->a, maint) : NULL);
		(void)req_page(r, 503, "maintenance", "title_maintenance");
		return;
	}
	if ((rt = route_find(r, routes, n, &st)) == NULL) {
		(void)req_error(r, st, st == 404 ? "err_not_found" :
		    "err_method");
		return;
	}
	q = io_param(r, "QUERY_STRING");
	if (q != NULL && *q != '\0') {
		pe = parse_urlencoded(&r->a, q, strlen(q), &r->ctx->lim,
		    &r->query);
		if (pe != PERR_OK) {
			plog(LOG_INFO_, "query refused: %s", perr_str(pe));
			(void)req_error(r, 400, "err_bad_request");
			return;
		}
	}
	if (r->method == M_POST && (st = read_form(r)) != 0) {
		(void)req_error(r, st, st == 413 ? "err_too_large" :
		    "err_bad_request");
		return;
	}
	ck = io_param(r, "HTTP_COOKIE");
	if (ck != NULL && *ck != '\0') {
		pe = parse_cookies(&r->a, ck, &r->ctx->lim, &r->cookies);
		if (pe != PERR_OK) {
			plog(LOG_INFO_, "cookies refused: %s", perr_str(pe));
			(void)req_error(r, 400, "err_bad_request");
			return;
		}
		ck = params_get(&r->cookies, "__Host-portal");
		if (session_token_ok(ck))
			memcpy(r->token, ck, TOKEN_B64 + 1);
	}
	/*
	 * Every screen that needs the database checks it is there (a signed
	 * out visitor's form too: it could not be submitted otherwise).
	 */
	if (!(rt->flags & RF_NO_DB) && (session_token_ok(r->token) ?
	    session_load(r) : db_exec(r->ctx->db, &r->a, ST_PING, NULL, 0,
	    &ping)) != DB_OK) {
		plog(LOG_ERR_, "session: %s", db_errstr(r->ctx->db));
		(void)req_error(r, 503, "err_unavailable");
		return;
	}
	/* Until its TOTP step a session is signed in only for that step. */
	if (r->sess != NULL && r->sess->mfa_pending &&
	    !(rt->flags & RF_MFA_STEP))
		r->sess = NULL;
	/* Administrators and operators must enrol before anything else. */
	if (r->sess != NULL && !r->sess->mfa_pending &&
	    r->sess->role >= ROLE_OPERATOR && !r->sess->totp_enabled &&
	    !(rt->flags & RF_ENROL)) {
		(void)req_redirect(r, "/profile/mfa");
		return;
	}
	if (rt->role > ROLE_ANON &&
	    (r->sess == NULL || r->sess->role < rt->role)) {
		if (r->sess == NULL && r->method != M_POST) {
			(void)req_redirect(r, "/login");
			return;
		}
		(void)req_error(r, 403, "err_forbidden");
		return;
	}
	if (r->method == M_POST && !csrf_check(&r->ctx->keys,
	    r->ctx->conf.base_url, r->token, params_get(&r->form, "csrf"),
	    r->origin, r->fetch_site)) {
		plog(LOG_WARN_, "CSRF check failed for %s", r->path);
		(void)req_error(r, 403, "err_csrf");
		return;
	}
	r->status = rt->fn(r);
}

/*
 * Reset r for the next request, keeping its arena.
 */
static void
req_reset(struct req *r, struct ctx *ctx, struct io *io)
{
	struct arena	 a = r->a;

	arena_reset(&a);
	memset(r, 0, sizeof(*r));
	r->a = a;
	r->ctx = ctx;
	r->io = io;
	r->vars = tpl_vars_new(&r->a);
}

int
app_main(const char *prog, const struct route *routes, size_t nroutes)
{
	static struct ctx	 ctx;
	FCGX_Request		 fr;
	struct req		 r;
	struct io		 io;

	signal(SIGPIPE, SIG_IGN);
	log_set_ident(prog);
	ctx.prog = prog;
	ctx_load(&ctx);
	memset(&r, 0, sizeof(r));
	arena_init(&r.a, 64 * 1024);

	if (FCGX_IsCGI()) {
		io.fr = NULL;
		req_reset(&r, &ctx, &io);
		handle(&r, routes, nroutes);
		render(&r);
		fflush(stdout);
		arena_free(&r.a);
		return 0;
	}
	if (FCGX_Init() != 0 || FCGX_InitRequest(&fr, 0, 0) != 0) {
		plog(LOG_ERR_, "FastCGI initialisation failed");
		return 1;
	}
	io.fr = &fr;
	while (FCGX_Accept_r(&fr) >= 0) {
		ctx_load(&ctx);
		req_reset(&r, &ctx, &io);
		handle(&r, routes, nroutes);
		render(&r);
		FCGX_Finish_r(&fr);
		log_set_request(NULL);
	}
	arena_free(&r.a);
	db_free(ctx.db);
	keyring_wipe(&ctx.keys);
	return 0;
}
