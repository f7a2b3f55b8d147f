-- 001-init: members, sessions, one-time tokens and the audit trail.
-- Times are UTC (DATETIME(6)); personal data columns hold AES-256-GCM blobs
-- (see lib/pii.c); mail look-ups use the HMAC blind index email_idx.

CREATE TABLE members (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	email_idx	BINARY(32) NOT NULL,
	email_enc	VARBINARY(600) NOT NULL,
	name_enc	VARBINARY(1000) NOT NULL,
	name_kana_enc	VARBINARY(1000) NOT NULL,
	phone_enc	VARBINARY(200) NOT NULL,
	postal_code_enc	VARBINARY(200) NOT NULL,
	address_enc	VARBINARY(2000) NOT NULL,
	password_hash	VARCHAR(255) NOT NULL,
	role		ENUM('member', 'operator', 'admin') NOT NULL DEFAULT 'member',
	state		ENUM('pending', 'active', 'locked', 'disabled') NOT NULL DEFAULT 'pending',
	must_change_password TINYINT(1) NOT NULL DEFAULT 0,
	version		INT UNSIGNED NOT NULL DEFAULT 1,
	created_at	DATETIME(6) NOT NULL,
	updated_at	DATETIME(6) NOT NULL,
	verified_at	DATETIME(6) NULL,
	UNIQUE KEY members_email_idx (email_idx),
	KEY members_role (role, state)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE sessions (
	token_hash	BINARY(32) NOT NULL PRIMARY KEY,
	member_id	BIGINT UNSIGNED NOT NULL,
	created_at	DATETIME(6) NOT NULL,
	last_seen	DATETIME(6) NOT NULL,
	ip		VARCHAR(45) NOT NULL,
	user_agent	VARCHAR(255) NOT NULL,
	KEY sessions_member (member_id),
	KEY sessions_last_seen (last_seen),
	CONSTRAINT sessions_member_fk FOREIGN KEY (member_id)
	    REFERENCES members (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE tokens (
	token_hash	BINARY(32) NOT NULL PRIMARY KEY,
	member_id	BIGINT UNSIGNED NOT NULL,
	purpose		ENUM('verify', 'reset') NOT NULL,
	created_at	DATETIME(6) NOT NULL,
	expires_at	DATETIME(6) NOT NULL,
	used_at		DATETIME(6) NULL,
	KEY tokens_member (member_id, purpose),
	KEY tokens_expires (expires_at),
	CONSTRAINT tokens_member_fk FOREIGN KEY (member_id)
	    REFERENCES members (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Append-only for the web programs (sql/grants.sql gives them SELECT and
-- INSERT only).  The HMAC chain columns are filled from issue 4 on.
CREATE TABLE audit_log (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	at		DATETIME(6) NOT NULL,
	actor_id	BIGINT UNSIGNED NULL,
	actor_role	VARCHAR(16) NOT NULL,
	ip		VARCHAR(45) NOT NULL,
	session_ref	CHAR(16) NOT NULL,
	request_id	VARCHAR(64) NOT NULL,
	action		VARCHAR(64) NOT NULL,
	target_id	BIGINT UNSIGNED NULL,
	result		VARCHAR(16) NOT NULL,
	details		VARCHAR(1024) NOT NULL,
	chain		BINARY(32) NULL,
	KEY audit_at (at),
	KEY audit_actor (actor_id, at),
	KEY audit_target (target_id, at),
	KEY audit_action (action, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
