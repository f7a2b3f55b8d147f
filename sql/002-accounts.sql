-- 002-accounts: lockout and throttling (AUTH-3), sign-in history and
-- known browsers for notices (AUTH-6), TOTP and recovery codes (AUTH-4).

ALTER TABLE members
	ADD COLUMN failed_logins	INT UNSIGNED NOT NULL DEFAULT 0,
	ADD COLUMN locked_until		DATETIME(6) NULL,
	ADD COLUMN last_login_at	DATETIME(6) NULL,
	ADD COLUMN last_login_ip	VARCHAR(45) NULL,
	ADD COLUMN failures_since_login	INT UNSIGNED NOT NULL DEFAULT 0,
	ADD COLUMN prev_login_at	DATETIME(6) NULL,
	ADD COLUMN prev_login_ip	VARCHAR(45) NULL,
	ADD COLUMN prev_login_failures	INT UNSIGNED NOT NULL DEFAULT 0,
	ADD COLUMN totp_enc		VARBINARY(200) NULL,
	ADD COLUMN totp_enabled		TINYINT(1) NOT NULL DEFAULT 0,
	ADD COLUMN totp_last_step	BIGINT NOT NULL DEFAULT -1,
	ADD COLUMN totp_failures	INT UNSIGNED NOT NULL DEFAULT 0;

-- A session whose password step is done but whose TOTP step is not.
ALTER TABLE sessions
	ADD COLUMN mfa_pending		TINYINT(1) NOT NULL DEFAULT 0;

-- Failed sign-ins per client address in a fixed window.
CREATE TABLE login_throttle (
	ip		VARCHAR(45) NOT NULL PRIMARY KEY,
	window_start	DATETIME(6) NOT NULL,
	failures	INT UNSIGNED NOT NULL DEFAULT 0,
	KEY login_throttle_window (window_start)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Browsers a member has signed in from (SHA-256 of a long-lived random
-- browser cookie), for "sign-in from a new browser" notices.
CREATE TABLE member_browsers (
	member_id	BIGINT UNSIGNED NOT NULL,
	browser_hash	BINARY(32) NOT NULL,
	first_seen	DATETIME(6) NOT NULL,
	last_seen	DATETIME(6) NOT NULL,
	PRIMARY KEY (member_id, browser_hash),
	CONSTRAINT member_browsers_member_fk FOREIGN KEY (member_id)
	    REFERENCES members (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Single-use TOTP recovery codes, stored as HMAC-SHA-256.
CREATE TABLE recovery_codes (
	member_id	BIGINT UNSIGNED NOT NULL,
	code_hash	BINARY(32) NOT NULL,
	used_at		DATETIME(6) NULL,
	PRIMARY KEY (member_id, code_hash),
	CONSTRAINT recovery_codes_member_fk FOREIGN KEY (member_id)
	    REFERENCES members (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
