/*
 * stmt.c: every SQL statement the programs run, with '?' placeholders.
 * No SQL text is ever built from request data; handlers name a row here.
 */
#include <string.h>

#include "app.h"

#define MEMBER_COLS "id, email_enc, name_enc, name_kana_enc, phone_enc, " \
	"postal_code_enc, address_enc, role, state, version, created_at"

const struct stmt_def stmt_defs[ST__MAX] = {
	/* ST_PING */
	{ "SELECT 1", 0, true },
	/* ST_MEMBER_BY_INDEX */
	{ "SELECT id, password_hash, role, state FROM members "
	  "WHERE email_idx = ?", 1, true },
	/* ST_MEMBER_INSERT: blobs are filled by ST_MEMBER_SET_PII once the
	 * id (part of the associated data) is known. */
	{ "INSERT INTO members (email_idx, email_enc, name_enc, name_kana_enc, "
	  "phone_enc, postal_code_enc, address_enc, password_hash, role, state, "
	  "must_change_password, created_at, updated_at) "
	  "VALUES (?, '', '', '', '', '', '', ?, ?, ?, ?, UTC_TIMESTAMP(6), "
	  "UTC_TIMESTAMP(6))", 5, false },
	/* ST_MEMBER_SET_PII */
	{ "UPDATE members SET email_enc = ?, name_enc = ?, name_kana_enc = ?, "
	  "phone_enc = ?, postal_code_enc = ?, address_enc = ? WHERE id = ?",
	  7, false },
	/* ST_MEMBER_GET */
	{ "SELECT " MEMBER_COLS " FROM members WHERE id = ?", 1, true },
	/* ST_MEMBER_UPDATE_PROFILE: optimistic locking on version */
	{ "UPDATE members SET name_enc = ?, name_kana_enc = ?, phone_enc = ?, "
	  "postal_code_enc = ?, address_enc = ?, version = version + 1, "
	  "updated_at = UTC_TIMESTAMP(6) WHERE id = ? AND version = ?",
	  7, false },
	/* ST_MEMBER_ACTIVATE */
	{ "UPDATE members SET state = 'active', verified_at = UTC_TIMESTAMP(6), "
	  "updated_at = UTC_TIMESTAMP(6), version = version + 1 "
	  "WHERE id = ? AND state = 'pending'", 1, false },
	/* ST_MEMBER_SET_HASH */
	{ "UPDATE members SET password_hash = ? WHERE id = ?", 2, false },
	/* ST_MEMBER_COUNT_ROLE */
	{ "SELECT COUNT(*) FROM members WHERE role = ?", 1, true },
	/* ST_MEMBER_LIST */
	{ "SELECT id, role, state, email_enc, created_at FROM members "
	  "WHERE role = ? OR ? = '' ORDER BY id", 2, true },
	/* ST_MEMBER_SET_STATE */
	{ "UPDATE members SET state = ?, updated_at = UTC_TIMESTAMP(6), "
	  "version = version + 1 WHERE id = ?", 2, false },
	/* ST_MEMBER_DELETE */
	{ "DELETE FROM members WHERE id = ?", 1, false },
	/* ST_SESSION_INSERT */
	{ "INSERT INTO sessions (token_hash, member_id, created_at, last_seen, "
	  "ip, user_agent) VALUES (?, ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), "
	  "?, ?)", 4, false },
	/* ST_SESSION_GET: ages in seconds computed by the server's clock */
	{ "SELECT s.member_id, m.role, m.state, "
	  "TIMESTAMPDIFF(SECOND, s.created_at, UTC_TIMESTAMP(6)), "
	  "TIMESTAMPDIFF(SECOND, s.last_seen, UTC_TIMESTAMP(6)), "
	  "s.mfa_pending, m.totp_enabled "
	  "FROM sessions s JOIN members m ON m.id = s.member_id "
	  "WHERE s.token_hash = ?", 1, true },
	/* ST_SESSION_TOUCH */
	{ "UPDATE sessions SET last_seen = UTC_TIMESTAMP(6) "
	  "WHERE token_hash = ?", 1, false },
	/* ST_SESSION_DELETE */
	{ "DELETE FROM sessions WHERE token_hash = ?", 1, false },
	/* ST_SESSION_DELETE_MEMBER */
	{ "DELETE FROM sessions WHERE member_id = ?", 1, false },
	/* ST_SESSION_PURGE: rows past the longest timeouts */
	{ "DELETE FROM sessions WHERE "
	  "last_seen < UTC_TIMESTAMP(6) - INTERVAL ? SECOND OR "
	  "created_at < UTC_TIMESTAMP(6) - INTERVAL ? SECOND", 2, false },
	/* ST_TOKEN_INSERT */
	{ "INSERT INTO tokens (token_hash, member_id, purpose, created_at, "
	  "expires_at) VALUES (?, ?, ?, UTC_TIMESTAMP(6), "
	  "UTC_TIMESTAMP(6) + INTERVAL ? SECOND)", 4, false },
	/* ST_TOKEN_GET */
	{ "SELECT member_id FROM tokens WHERE token_hash = ? AND purpose = ? "
	  "AND used_at IS NULL AND expires_at > UTC_TIMESTAMP(6)", 2, true },
	/* ST_TOKEN_USE */
	{ "UPDATE tokens SET used_at = UTC_TIMESTAMP(6) WHERE token_hash = ? "
	  "AND purpose = ? AND used_at IS NULL "
	  "AND expires_at > UTC_TIMESTAMP(6)", 2, false },
	/* ST_TOKEN_PURGE */
	{ "DELETE FROM tokens WHERE expires_at < UTC_TIMESTAMP(6) - "
	  "INTERVAL 7 DAY", 0, false },
	/* ST_AUDIT_INSERT */
	{ "INSERT INTO audit_log (at, actor_id, actor_role, ip, session_ref, "
	  "request_id, action, target_id, result, details) "
	  "VALUES (UTC_TIMESTAMP(6), ?, ?, ?, ?, ?, ?, ?, ?, ?)", 9, false },
	/* ST_MIGRATION_GET (portalctl) */
	{ "SELECT version FROM schema_migrations WHERE version = ?", 1, true },
	/* ST_MIGRATION_PUT (portalctl) */
	{ "INSERT INTO schema_migrations (version, name, applied_at) "
	  "VALUES (?, ?, UTC_TIMESTAMP(6))", 2, false },

	/* ---- accounts (sql/002-accounts.sql) ---- */
	/* ST_MEMBER_AUTH: what sign-in needs; column 4 is 1 while a timed
	 * lock runs */
	{ "SELECT id, password_hash, role, state, "
	  "IFNULL(locked_until > UTC_TIMESTAMP(6), 0), failed_logins, "
	  "totp_enabled FROM members WHERE email_idx = ?", 1, true },
	/* ST_MEMBER_LOGIN_FAIL: returns nothing; read failed_logins after */
	{ "UPDATE members SET failed_logins = failed_logins + 1, "
	  "failures_since_login = failures_since_login + 1 WHERE id = ?",
	  1, false },
	/* ST_MEMBER_LOCK_UNTIL: timed lock of ? seconds */
	{ "UPDATE members SET locked_until = UTC_TIMESTAMP(6) + "
	  "INTERVAL ? SECOND WHERE id = ?", 2, false },
	/* ST_MEMBER_LOCK_ADMIN: lock until an administrator unlocks */
	{ "UPDATE members SET state = 'locked', "
	  "updated_at = UTC_TIMESTAMP(6) WHERE id = ? AND state = 'active'",
	  1, false },
	/* ST_MEMBER_LOGIN_OK: the previous sign-in becomes "prev" */
	{ "UPDATE members SET failed_logins = 0, locked_until = NULL, "
	  "prev_login_at = last_login_at, prev_login_ip = last_login_ip, "
	  "prev_login_failures = failures_since_login, "
	  "failures_since_login = 0, last_login_at = UTC_TIMESTAMP(6), "
	  "last_login_ip = ? WHERE id = ?", 2, false },
	/* ST_MEMBER_UNLOCK */
	{ "UPDATE members SET failed_logins = 0, locked_until = NULL, "
	  "state = IF(state = 'locked', 'active', state), "
	  "updated_at = UTC_TIMESTAMP(6) WHERE id = ?", 1, false },
	/* ST_MEMBER_LOGIN_INFO: for the profile page and notices */
	{ "SELECT prev_login_at, prev_login_ip, prev_login_failures, "
	  "last_login_at, last_login_ip, locked_until FROM members "
	  "WHERE id = ?", 1, true },
	/* ST_MEMBER_HASH_GET */
	{ "SELECT password_hash, role, state FROM members WHERE id = ?",
	  1, true },
	/* ST_MEMBER_SET_PASSWORD: a new password also clears a lock */
	{ "UPDATE members SET password_hash = ?, failed_logins = 0, "
	  "locked_until = NULL, state = IF(state = 'locked', 'active', state), "
	  "must_change_password = 0, version = version + 1, "
	  "updated_at = UTC_TIMESTAMP(6) WHERE id = ?", 2, false },
	/* ST_MEMBER_PENDING_PURGE: unverified registrations past ? seconds */
	{ "DELETE FROM members WHERE state = 'pending' AND "
	  "created_at < UTC_TIMESTAMP(6) - INTERVAL ? SECOND", 1, false },
	/* ST_THROTTLE_GET: failures and the age of the window (seconds) */
	{ "SELECT failures, TIMESTAMPDIFF(SECOND, window_start, "
	  "UTC_TIMESTAMP(6)) FROM login_throttle WHERE ip = ?", 1, true },
	/* ST_THROTTLE_HIT: count one failure; a window older than ? seconds
	 * starts again (assignments see the old window_start) */
	{ "INSERT INTO login_throttle (ip, window_start, failures) "
	  "VALUES (?, UTC_TIMESTAMP(6), 1) ON DUPLICATE KEY UPDATE "
	  "failures = IF(window_start < UTC_TIMESTAMP(6) - INTERVAL ? SECOND, "
	  "1, failures + 1), "
	  "window_start = IF(window_start < UTC_TIMESTAMP(6) - "
	  "INTERVAL ? SECOND, UTC_TIMESTAMP(6), window_start)", 3, false },
	/* ST_THROTTLE_PURGE */
	{ "DELETE FROM login_throttle WHERE "
	  "window_start < UTC_TIMESTAMP(6) - INTERVAL ? SECOND", 1, false },
	/* ST_BROWSER_SEEN: affected rows 1 = a browser not seen before */
	{ "INSERT INTO member_browsers (member_id, browser_hash, first_seen, "
	  "last_seen) VALUES (?, ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)) "
	  "ON DUPLICATE KEY UPDATE last_seen = UTC_TIMESTAMP(6)", 2, false },
	/* ST_SESSION_LIST */
	{ "SELECT token_hash, created_at, last_seen, ip, user_agent "
	  "FROM sessions WHERE member_id = ? ORDER BY last_seen DESC",
	  1, true },
	/* ST_SESSION_DELETE_ONE: scoped to the member */
	{ "DELETE FROM sessions WHERE member_id = ? AND token_hash = ?",
	  2, false },
	/* ST_SESSION_DELETE_OTHERS */
	{ "DELETE FROM sessions WHERE member_id = ? AND token_hash <> ?",
	  2, false },
	/* ST_TOKEN_INVALIDATE: earlier links of a purpose stop working */
	{ "UPDATE tokens SET used_at = UTC_TIMESTAMP(6) WHERE member_id = ? "
	  "AND purpose = ? AND used_at IS NULL", 2, false },

	/* ---- TOTP (AUTH-4) ---- */
	/* ST_SESSION_INSERT_PENDING: password done, TOTP step to come */
	{ "INSERT INTO sessions (token_hash, member_id, created_at, last_seen, "
	  "ip, user_agent, mfa_pending) VALUES (?, ?, UTC_TIMESTAMP(6), "
	  "UTC_TIMESTAMP(6), ?, ?, 1)", 4, false },
	/* ST_MEMBER_TOTP_GET: column 2 is totp_last_step + 1 (never
	 * negative) */
	{ "SELECT totp_enc, totp_enabled, totp_last_step + 1, totp_failures "
	  "FROM members WHERE id = ?", 1, true },
	/* ST_MEMBER_TOTP_SET_PENDING: a new secret, not enabled yet */
	{ "UPDATE members SET totp_enc = ?, totp_enabled = 0, "
	  "totp_last_step = -1, totp_failures = 0 "
	  "WHERE id = ? AND totp_enabled = 0", 2, false },
	/* ST_MEMBER_TOTP_ENABLE: step of the confirming code */
	{ "UPDATE members SET totp_enabled = 1, totp_last_step = ?, "
	  "totp_failures = 0 WHERE id = ? AND totp_enabled = 0 "
	  "AND totp_enc IS NOT NULL", 2, false },
	/* ST_MEMBER_TOTP_STEP: accept step ? once (affected 0: a replay) */
	{ "UPDATE members SET totp_last_step = ?, totp_failures = 0 "
	  "WHERE id = ? AND totp_enabled = 1 AND totp_last_step < ?",
	  3, false },
	/* ST_MEMBER_TOTP_FAIL */
	{ "UPDATE members SET totp_failures = totp_failures + 1 WHERE id = ?",
	  1, false },
	/* ST_MEMBER_TOTP_FAIL_RESET */
	{ "UPDATE members SET totp_failures = 0 WHERE id = ?", 1, false },
	/* ST_MEMBER_TOTP_DISABLE */
	{ "UPDATE members SET totp_enc = NULL, totp_enabled = 0, "
	  "totp_last_step = -1, totp_failures = 0 WHERE id = ?", 1, false },
	/* ST_RECOVERY_DELETE */
	{ "DELETE FROM recovery_codes WHERE member_id = ?", 1, false },
	/* ST_RECOVERY_INSERT */
	{ "INSERT INTO recovery_codes (member_id, code_hash) VALUES (?, ?)",
	  2, false },
	/* ST_RECOVERY_USE: affected 1 = an unused code of the member */
	{ "UPDATE recovery_codes SET used_at = UTC_TIMESTAMP(6) "
	  "WHERE member_id = ? AND code_hash = ? AND used_at IS NULL",
	  2, false },
	/* ST_TOKEN_RECENT: links of a purpose made for a member lately */
	{ "SELECT COUNT(*) FROM tokens WHERE member_id = ? AND purpose = ? "
	  "AND created_at > UTC_TIMESTAMP(6) - INTERVAL ? SECOND", 3, true },
};
