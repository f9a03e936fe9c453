/*
 * user.h - user accounts and sessions.
 *
 * Passwords are hashed with Argon2id (libsodium crypto_pwhash_str) and never
 * stored or logged in clear. A session token is 32 random bytes shown once
 * to the client (hex); the database keeps only its SHA-256, with an expiry
 * (12 hours) and a revocation time.
 *
 * Password checks (logins, and the current password asked again before a
 * change) are limited per (address, account) pair with back-off, and per
 * account: see docs/access.md for the numbers. The limit holds under
 * concurrency: a check reserves its attempt in a write transaction before
 * the password is verified. Every login, failed login, limited attempt
 * and logout is an audit event; no password or token is ever recorded.
 *
 * Who may manage which account: an administrator, for accounts whose site
 * lies in their scope and whose role gives no more reach than their own
 * (auditors and network-wide accounts only by a center administrator); a
 * site or account outside the actor's scope answers OB_ENOTFOUND, as one
 * that does not exist, and is recorded as a "denied" event.
 */
#ifndef OB_USER_H
#define OB_USER_H

#include "bank/ctx.h"
#include "bank/site.h"
#include "base/buf.h"

#include <stdbool.h>
#include <stdint.h>

#define OB_USERNAME_MAX 64
#define OB_TOKEN_HEX 65   /* 64 hex digits + NUL */

typedef struct ob_user {
	int64_t id;
	char username[OB_USERNAME_MAX];
	char site[OB_SITE_CODE_MAX];
	char site_path[512];
	unsigned role;      /* one OB_ROLE_* */
	int active;
	char identifiers[24];  /* the day the account was granted the right to see
	                          direct identifiers (identifier.h), "" when not */
} ob_user;

/* Adds an account (administrators and the local operator only). role is a
 * role word; password at least 10 characters; site NULL for a network-wide
 * account. OB_EEXISTS when taken; OB_ENOTFOUND when the site does not
 * exist or is outside the actor's scope; OB_EPERM beyond the actor's reach
 * (see above). */
int ob_user_add(const ob_ctx *cx, const char *username, const char *site, const char *role,
                const char *password);
/* Sets a new password (the user themself, or an administrator within
 * reach) and ends the account's sessions. OB_ENOTFOUND for an account
 * outside the actor's scope as for a nonexistent one. */
int ob_user_set_password(const ob_ctx *cx, const char *username, const char *password);
/* Deactivates an account and ends its sessions (the same rules). */
int ob_user_disable(const ob_ctx *cx, const char *username);
/* Grants (grant true) or revokes the permission to see and change the
 * direct identifiers kept by the sites of the account's scope
 * (identifier.h): the same rules as disabling it (an administrator within
 * reach). Audited ("grant_identifiers", "revoke_identifiers"); nothing
 * happens when the account is already so. OB_ECONFLICT granting a
 * disabled account. */
int ob_user_grant_identifiers(const ob_ctx *cx, const char *username, bool grant);
/* The account, when the actor may read it (OB_ENOTFOUND otherwise). */
int ob_user_get(const ob_ctx *cx, const char *username, ob_user *out);
/* Calls cb for each account within the actor's scope, by username (u has
 * no id or site path; site "" for a network-wide account); a non-zero
 * return stops the walk and is returned. */
typedef int (*ob_user_cb)(const ob_user *u, void *arg);
int ob_user_list(const ob_ctx *cx, ob_user_cb cb, void *arg);
/* True when no account exists yet (first run). */
int ob_user_none(const ob_ctx *cx, int *none);

/* Checks the password and opens a session: token (hex) and the user.
 * OB_EAUTH for an unknown user, a wrong password or a disabled account (one
 * message for all three); OB_ELIMIT when attempts are limited, with
 * *retry_after (may be NULL) the seconds to wait. address is the client's
 * ("cli" from the command line). Audited either way. */
int ob_session_login(const ob_ctx *cx, const char *username, const char *password,
                     const char *address, char token[OB_TOKEN_HEX], ob_user *user,
                     unsigned *retry_after);
/* The acting account (cx->actor) changes its own password, giving the
 * current one again: checked under the same limit as a login from address
 * (OB_ELIMIT, *retry_after); OB_EINVALID "current_password: ..." when it
 * is wrong, "password: ..." when the new one is refused (checked first, so
 * a refused new password costs no attempt). Opens no session; the
 * account's sessions end. */
int ob_user_change_own_password(const ob_ctx *cx, const char *current, const char *password,
                                const char *address, unsigned *retry_after);
/* The user of a live session; OB_EAUTH when unknown, expired or ended. */
int ob_session_check(const ob_ctx *cx, const char *token, ob_user *user);
int ob_session_logout(const ob_ctx *cx, const char *token);

/* Makes cx act as user u (actor, site, role, scope); u must outlive cx. */
void ob_ctx_as(ob_ctx *cx, const ob_user *u);

/* Accounts as audited rows: username, site, role, active (never the
 * password hash). Logins and logouts are "session" events. */
extern const ob_audit_entity ob_user_audit;

#endif
