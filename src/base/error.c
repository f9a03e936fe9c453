/*
 * error.c - the thread-local last-error message behind error.h.
 */
#include "base/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char last_msg[1024];
static _Thread_local int last_code;

int ob_error_set(int code, const char *fmt, ...)
{
	char tmp[sizeof last_msg];
	va_list ap;

	/* Format apart first: callers may pass ob_error_last() as an argument. */
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	memcpy(last_msg, tmp, sizeof last_msg);
	last_code = code;
	return code;
}

const char *ob_error_last(void)
{
	return last_msg;
}

int ob_error_code(void)
{
	return last_code;
}

void ob_error_clear(void)
{
	last_msg[0] = '\0';
	last_code = OB_OK;
}

const char *ob_error_name(int code)
{
	switch (code) {
	case OB_OK: return "ok";
	case OB_EINVALID: return "invalid";
	case OB_ENOTFOUND: return "not found";
	case OB_EEXISTS: return "exists";
	case OB_ECONFLICT: return "conflict";
	case OB_EPERM: return "permission denied";
	case OB_ERETRY: return "busy";
	case OB_EUSAGE: return "usage";
	case OB_EAUTH: return "not authenticated";
	case OB_ELIMIT: return "too many attempts";
	case OB_ETOOBIG: return "too large";
	default: return "internal error";
	}
}

int ob_error_exit_status(int code)
{
	switch (code) {
	case OB_OK: return 0;
	case OB_EUSAGE: return 1;
	case OB_EINVALID:
	case OB_ETOOBIG: return 2;
	case OB_ENOTFOUND: return 3;
	case OB_EEXISTS:
	case OB_ECONFLICT: return 4;
	case OB_EPERM:
	case OB_EAUTH: return 6;
	case OB_ELIMIT: return 7;
	case OB_ERETRY: return 8;
	default: return 5;
	}
}
