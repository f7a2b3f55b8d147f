/*
 * account.h: the account screens of portal-profile (cgi-bin/account.c):
 * password change, the member's sessions and withdrawal (AUTH-1, AUTH-5,
 * AUTH-6).  Each handler takes the request of a signed-in member (the
 * route declares ROLE_MEMBER), acts only on the member named by the
 * session, and returns an HTTP status.
 */
#ifndef PORTAL_ACCOUNT_H
#define PORTAL_ACCOUNT_H

#include "app.h"

/* GET /profile/password: the change form. */
int	account_password_form(struct req *);
/* POST /profile/password: verify, check the policy, store, rotate. */
int	account_password_post(struct req *);
/* GET /profile/sessions: the member's sessions. */
int	account_sessions(struct req *);
/* POST /profile/sessions/end: end one other session (field id). */
int	account_session_end(struct req *);
/* POST /profile/sessions/end-others: end every other session. */
int	account_sessions_end_others(struct req *);
/* GET /profile/withdraw: what withdrawal does, and the form. */
int	account_withdraw_form(struct req *);
/* POST /profile/withdraw: password and confirmation, then delete. */
int	account_withdraw_post(struct req *);

/* mfa.c: GET /profile/mfa: TOTP status and the forms. */
int	mfa_view(struct req *);
/* GET /profile/mfa/qr: the QR code of a secret being enrolled (SVG). */
int	mfa_qr(struct req *);
/* POST /profile/mfa: enable, confirm, disable, recovery (field action). */
int	mfa_post(struct req *);

#endif /* PORTAL_ACCOUNT_H */
