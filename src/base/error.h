/*
 * error.h - oncobank's error codes and the thread-local last-error message.
 *
 * Every library function returns int: 0 on success, one of the negative
 * codes below on failure. The codes are append-only: never renumber one.
 * A failing function sets a one-line message with ob_error_set(); input
 * errors name the place (FILE:LINE: column: message, or the JSON field).
 * The library never prints or exits; main() maps codes to exit statuses.
 */
#ifndef OB_ERROR_H
#define OB_ERROR_H

#include <stddef.h>

enum {
	OB_OK = 0,
	OB_ERROR = -1,     /* internal error: I/O, database, out of memory */
	OB_EINVALID = -2,  /* bad input: the message names the field */
	OB_ENOTFOUND = -3, /* a named thing does not exist */
	OB_EEXISTS = -4,   /* it exists already (duplicate key) */
	OB_ECONFLICT = -5, /* the state forbids it (position taken, status) */
	OB_EPERM = -6,     /* the acting user may not do it */
	OB_ERETRY = -7,    /* transient (database busy): retry the transaction */
	OB_EUSAGE = -8,    /* command-line usage error */
	OB_EAUTH = -9,     /* not authenticated: no, bad or expired credentials */
	OB_ELIMIT = -10,   /* too many attempts: try again later */
	OB_ETOOBIG = -11   /* input larger than allowed */
};

/* Sets the last-error message (printf format) and returns code unchanged,
 * so callers can write `return ob_error_set(OB_EINVALID, "...")`. */
int ob_error_set(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The last message set on this thread ("" when none). Borrowed; valid until
 * the next ob_error_set() on this thread. */
const char *ob_error_last(void);

/* The code given with the last message (OB_OK when none). */
int ob_error_code(void);

/* Forgets the last message. */
void ob_error_clear(void);

/* A short name for a code: "invalid", "not found", ... */
const char *ob_error_name(int code);

/* Process exit status for a code (documented in docs/cli.md):
 * 0 ok, 1 usage, 2 bad input, 3 not found, 4 conflict or exists,
 * 5 internal, 6 permission denied or not authenticated, 7 too many
 * attempts, 8 database busy (OB_ERETRY: another writer held it beyond the
 * wait budget). OB_ETOOBIG counts as bad input (2). */
int ob_error_exit_status(int code);

#endif
