-- grants.sql: privileges of the account of the web programs, applied by
-- "portalctl migrate" after the numbered migrations, as db_admin_user,
-- in the database named by db_name (default portal).
--
-- Least privilege (STYLE.md principle 4): the FastCGI programs connect as
-- portal_web@localhost and may only read and write the rows they serve.
-- They can append to audit_log but never change or delete an audit row, and
-- they can read schema_migrations (to check the schema version) but not
-- change it.  No DDL, no FILE, no PROCESS, no GRANT OPTION.
--
-- Idempotent: every run first revokes whatever the account holds and then
-- grants exactly the list below, so a privilege added by hand is removed by
-- the next migrate.  The account itself is created by the installer
-- (dev.sh, or the operator in production) together with its password,
-- because a password does not belong in a file under version control.
-- Table names are unqualified: they refer to the current database.

REVOKE ALL PRIVILEGES, GRANT OPTION FROM 'portal_web'@'localhost';

GRANT SELECT, INSERT, UPDATE, DELETE ON members TO 'portal_web'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON sessions TO 'portal_web'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON tokens TO 'portal_web'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON login_throttle TO 'portal_web'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON member_browsers TO 'portal_web'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON recovery_codes TO 'portal_web'@'localhost';
GRANT SELECT, INSERT ON audit_log TO 'portal_web'@'localhost';
GRANT SELECT ON schema_migrations TO 'portal_web'@'localhost';
