/*
 * static.c - the web UI's files, served from a web root directory by
 * `oncobank serve` (server.h). "/" is index.html; other files go out with
 * the MIME type of their extension. A path with "..", a backslash, a
 * percent sign left after decoding or any control character is refused
 * before the file system is asked, and the resolved file must still lie
 * inside the root (so no symbolic link leads out). Directories are never
 * listed.
 */
#include "http/server.h"
#include "base/error.h"
#include "base/util.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
	const char *ext, *mime;
} types[] = {
	{ "html", "text/html; charset=utf-8" },
	{ "htm", "text/html; charset=utf-8" },
	{ "css", "text/css; charset=utf-8" },
	{ "js", "text/javascript; charset=utf-8" },
	{ "mjs", "text/javascript; charset=utf-8" },
	{ "json", "application/json" },
	{ "svg", "image/svg+xml" },
	{ "png", "image/png" },
	{ "jpg", "image/jpeg" },
	{ "jpeg", "image/jpeg" },
	{ "gif", "image/gif" },
	{ "ico", "image/x-icon" },
	{ "webp", "image/webp" },
	{ "woff", "font/woff" },
	{ "woff2", "font/woff2" },
	{ "txt", "text/plain; charset=utf-8" },
	{ "csv", "text/csv; charset=utf-8" },
	{ "pdf", "application/pdf" },
	{ "map", "application/json" },
};

static const char *mime_of(const char *path)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');

	if (dot && (!slash || dot > slash))
		for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
			if (ob_streq_ci(dot + 1, types[i].ext))
				return types[i].mime;
	return "application/octet-stream";
}

/* Refuses what no file of the UI is named like: traversal, encodings that
 * survived decoding, control characters, hidden files. */
static int path_check(const char *path)
{
	if (path[0] != '/')
		return ob_error_set(OB_EPERM, "path: must start with '/'");
	for (const char *p = path; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c == 0x7f || c == '\\' || c == '%')
			return ob_error_set(OB_EPERM, "path: refused");
		/* A segment starting with '.' covers "..", "." and dot-files. */
		if (c == '/' && p[1] == '.')
			return ob_error_set(OB_EPERM, "path: refused");
	}
	return 0;
}

int ob_http_static_open(const char *root, const char *path, int *fd, uint64_t *size,
                        const char **mime)
{
	char want[PATH_MAX], real[PATH_MAX];
	size_t rlen = strlen(root);
	struct stat sb;
	int rc, f;

	*fd = -1;
	if ((rc = path_check(path)) < 0)
		return rc;
	if (!strcmp(path, "/"))
		path = "/index.html";
	if ((size_t)snprintf(want, sizeof want, "%s%s", root, path) >= sizeof want)
		return ob_error_set(OB_ENOTFOUND, "path: too long");
	if (!realpath(want, real))
		return ob_error_set(OB_ENOTFOUND, "no such file");
	if (strncmp(real, root, rlen) || (real[rlen] != '/' && real[rlen] != '\0'))
		return ob_error_set(OB_EPERM, "path: outside the web root");
	f = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (f < 0)
		return ob_error_set(OB_ENOTFOUND, "no such file");
	if (fstat(f, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		close(f);
		return ob_error_set(OB_ENOTFOUND, "no such file");
	}
	*fd = f;
	*size = (uint64_t)sb.st_size;
	*mime = mime_of(real);
	return 0;
}
