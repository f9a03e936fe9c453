-- 004_accounts: user accounts, their sessions and the login attempts that
-- rate-limit guessing (src/bank/user.c). Times are ISO 8601 UTC text.

-- An account belongs to a site (it acts on that site and the sites below
-- it) or, with site_id NULL, to the whole network. role is a role word
-- ("administrator", "technician", ...; src/bank/access.h). password_hash
-- is an Argon2id string (libsodium crypto_pwhash_str): never the password.
CREATE TABLE app_user (
	id @PK@,
	username TEXT NOT NULL UNIQUE,
	site_id BIGINT REFERENCES site (id),
	role TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	active INTEGER NOT NULL DEFAULT 1,
	created_at TEXT NOT NULL
);

-- A session is known by the SHA-256 (hex) of its token; the token itself is
-- shown once to the client and never stored. It lives 12 hours unless
-- ended (logout, account disabled, password changed).
CREATE TABLE app_session (
	id @PK@,
	token_hash TEXT NOT NULL UNIQUE,
	user_id BIGINT NOT NULL REFERENCES app_user (id),
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	ended_at TEXT
);
CREATE INDEX app_session_user ON app_session (user_id);

-- Every login attempt, for the limit of 5 failures per account or per
-- address in 15 minutes. username is as typed (it may name no account).
CREATE TABLE login_attempt (
	id @PK@,
	username TEXT NOT NULL,
	address TEXT NOT NULL,
	at TEXT NOT NULL,
	ok INTEGER NOT NULL
);
CREATE INDEX login_attempt_user ON login_attempt (username, at);
CREATE INDEX login_attempt_address ON login_attempt (address, at);
