/*
 * backup.c - checked whole-database copies and restores (backup.h).
 */
#include "bank/backup.h"
#include "bank/access.h"
#include "bank/audit.h"
#include "base/error.h"
#include "base/util.h"
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The file of an SQLite URL ("sqlite:PATH" or PATH); NULL for a server's. */
static const char *sqlite_file(const char *url)
{
	if (!strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11))
		return NULL;
	return strncmp(url, "sqlite:", 7) ? url : url + 7;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* A new empty file beside path, for what will be renamed onto it. */
static int tmp_beside(const char *path, char *out, size_t n)
{
	int fd;

	if ((size_t)snprintf(out, n, "%s.tmp-XXXXXX", path) >= n)
		return ob_error_set(OB_EINVALID, "%s: path too long", path);
	if ((fd = mkstemp(out)) < 0)
		return ob_error_set(OB_EINVALID, "%s: cannot create a file beside it: %s", path,
			strerror(errno));
	close(fd);
	return 0;
}

/* Removes an SQLite file and what SQLite may keep beside it. */
static void remove_db(const char *path)
{
	static const char *const ext[] = { "", "-wal", "-shm", "-journal" };
	char p[PATH_MAX + 16];

	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		snprintf(p, sizeof p, "%s%s", path, ext[i]);
		unlink(p);
	}
}

/* Makes a rename in dir durable. */
static void sync_dir_of(const char *path)
{
	char dir[PATH_MAX];
	const char *s = strrchr(path, '/');
	int fd;

	if (!s)
		ob_strlcpy(dir, ".", sizeof dir);
	else if (s == path)
		ob_strlcpy(dir, "/", sizeof dir);
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(s - path), path);
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY)) >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* Checks the SQLite file path: structure, then the audit trail; gives the
 * head. With migrate, first brings its schema to this binary's (a private
 * copy only). Messages name shown: the file the user named, not a private
 * copy of it. */
static int check_file(const char *path, const char *shown, bool migrate, bool seal,
                      int64_t *events, char hash[OB_AUDIT_HASH_HEX])
{
	ob_store *st = NULL;
	ob_buf sum = OB_BUF_INIT;
	int rc;

	*events = 0;
	if ((rc = ob_store_open_raw(&st, path)) < 0)
		return ob_error_set(OB_ECONFLICT, "%s: not a database: %s", shown, ob_error_last());
	ob_ctx cx = { .st = st, .actor = "backup check" };
	rc = ob_store_integrity(st);
	if (rc == 0 && migrate)
		rc = ob_store_migrate(st);
	if (rc == 0)
		rc = ob_audit_verify(&cx, &sum);
	if (rc == 0)
		rc = ob_audit_head(&cx, events, hash);
	if (rc == 0 && seal)
		rc = ob_store_seal(st);
	if (rc < 0)
		rc = ob_error_set(rc == OB_ERROR ? OB_ECONFLICT : rc, "%s: %s", shown, ob_error_last());
	ob_buf_dispose(&sum);
	ob_store_free(st);
	return rc;
}

/* Appends an event on the whole database ("backup", "restore"). */
static int record(const ob_ctx *cx, const char *action, const char *file, int64_t events,
                  const char *hash)
{
	ob_buf after = OB_BUF_INIT;
	int rc;

	ob_buf_puts(&after, "{\"file\":");
	ob_buf_json_str(&after, file);
	ob_buf_printf(&after, ",\"events\":\"%lld\",\"hash\":\"%s\"}", (long long)events, hash);
	if (after.failed) {
		ob_buf_dispose(&after);
		return ob_error_set(OB_ERROR, "out of memory");
	}
	if ((rc = ob_store_begin(cx->st)) == 0) {
		rc = ob_audit_append(cx, action, "database", 0, file, NULL, ob_buf_cstr(&after));
		if (rc == 0)
			rc = ob_store_commit(cx->st);
		else
			ob_store_rollback(cx->st);
	}
	ob_buf_dispose(&after);
	return rc;
}

static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev
	       && sa.st_ino == sb.st_ino;
}

static int backup_sqlite(const ob_ctx *cx, const char *db, const char *path, ob_buf *out)
{
	char tmp[PATH_MAX], hash[OB_AUDIT_HASH_HEX];
	int64_t events;
	int rc;

	if (same_file(db, path))
		return ob_error_set(OB_EINVALID, "FILE: %s is the database itself", path);
	if ((rc = tmp_beside(path, tmp, sizeof tmp)) < 0)
		return rc;
	if ((rc = ob_store_backup_to(cx->st, tmp)) < 0
	    || (rc = check_file(tmp, path, false, true, &events, hash)) < 0) {
		char msg[1024];
		ob_strlcpy(msg, ob_error_last(), sizeof msg);
		remove_db(tmp);
		return ob_error_set(rc == OB_ERETRY ? rc : OB_ECONFLICT, "backup: the copy failed"
			" its check and was removed: %s", msg);
	}
	if (rename(tmp, path) < 0) {
		rc = ob_error_set(OB_ERROR, "%s: %s", path, strerror(errno));
		remove_db(tmp);
		return rc;
	}
	sync_dir_of(path);
	ob_buf_printf(out, "backup %s: integrity ok, audit trail intact, %lld events, head %s\n",
		path, (long long)events, hash);
	return record(cx, "backup", base_name(path), events, hash);
}

/* ---- PostgreSQL: pg_dump and pg_restore --list ------------------------ */

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
		: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* url without the password of its user info (into bare), the password
 * percent-decoded into pw ("" when none). */
static int split_password(const char *url, char *bare, size_t bn, char *pw, size_t pn)
{
	const char *p = strstr(url, "://"), *at, *slash, *colon;
	size_t k = 0;

	pw[0] = '\0';
	if ((size_t)snprintf(bare, bn, "%s", url) >= bn)
		return ob_error_set(OB_EINVALID, "db: URL too long");
	/* pg_dump gets the URL on its command line, which others may see. */
	if (strstr(url, "password="))
		return ob_error_set(OB_EINVALID, "db: backup hands the URL to pg_dump; give the"
			" password as USER:PASSWORD@ (passed in PGPASSWORD), in PGPASSWORD or in"
			" ~/.pgpass, not as password=");
	if (!p)
		return 0;
	p += 3;
	slash = strchr(p, '/');
	at = strchr(p, '@');
	if (!at || (slash && slash < at) || !(colon = memchr(p, ':', (size_t)(at - p))))
		return 0;
	for (const char *q = colon + 1; q < at; q++) {
		int c = (unsigned char)*q;
		if (*q == '%' && q + 2 < at && hexval(q[1]) >= 0 && hexval(q[2]) >= 0) {
			c = hexval(q[1]) * 16 + hexval(q[2]);
			q += 2;
		}
		if (k + 1 >= pn)
			return ob_error_set(OB_EINVALID, "db: password too long");
		pw[k++] = (char)c;
	}
	pw[k] = '\0';
	snprintf(bare, bn, "%.*s%s", (int)(colon - url), url, at);
	return 0;
}

/* Runs argv (a PostgreSQL tool found on PATH) with PGPASSWORD set to pw
 * when given; its first line of complaint becomes the message. */
static int run_tool(char *const argv[], const char *pw)
{
	int errp[2], status;
	char msg[512];
	ssize_t n;
	pid_t pid;

	if (pipe(errp) < 0)
		return ob_error_set(OB_ERROR, "%s: %s", argv[0], strerror(errno));
	if ((pid = fork()) < 0) {
		close(errp[0]);
		close(errp[1]);
		return ob_error_set(OB_ERROR, "%s: %s", argv[0], strerror(errno));
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 1);
		dup2(errp[1], 2);
		close(errp[0]);
		if (pw && *pw)
			setenv("PGPASSWORD", pw, 1);
		execvp(argv[0], argv);
		dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(errp[1]);
	n = read(errp[0], msg, sizeof msg - 1);
	msg[n > 0 ? n : 0] = '\0';
	/* Drain the rest so the tool never blocks on a full pipe. */
	{
		char sink[512];
		while (read(errp[0], sink, sizeof sink) > 0)
			;
	}
	close(errp[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	msg[strcspn(msg, "\n")] = '\0';
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return ob_error_set(OB_ERROR, "%s failed: %s", argv[0], *msg ? msg : "no message");
	return 0;
}

static int backup_pg(const ob_ctx *cx, const char *url, const char *path, ob_buf *out)
{
	char tmp[PATH_MAX], bare[2048], pw[512], hash[OB_AUDIT_HASH_HEX], file_arg[PATH_MAX + 8];
	char db_arg[2048 + 16];
	ob_buf sum = OB_BUF_INIT;
	int64_t events;
	int rc;

	if ((rc = split_password(url, bare, sizeof bare, pw, sizeof pw)) < 0)
		return rc;
	/* The trail first: a dump of a broken trail is refused. The dump is
	 * a later snapshot; the event recorded below names the head seen. */
	if ((rc = ob_audit_verify(cx, &sum)) < 0 || (rc = ob_audit_head(cx, &events, hash)) < 0)
		goto out;
	if ((rc = tmp_beside(path, tmp, sizeof tmp)) < 0)
		goto out;
	snprintf(file_arg, sizeof file_arg, "--file=%s", tmp);
	snprintf(db_arg, sizeof db_arg, "--dbname=%s", bare);
	{
		char *dump[] = { "pg_dump", "--format=custom", "--no-owner", file_arg, db_arg, NULL };
		char *list[] = { "pg_restore", "--list", tmp, NULL };
		if ((rc = run_tool(dump, pw)) < 0 || (rc = run_tool(list, NULL)) < 0) {
			unlink(tmp);
			goto out;
		}
	}
	if (rename(tmp, path) < 0) {
		rc = ob_error_set(OB_ERROR, "%s: %s", path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	sync_dir_of(path);
	ob_buf_printf(out, "backup %s: pg_dump custom archive, read back by pg_restore --list;"
		" the database's audit trail intact (%lld events, head %s). Not checked: the"
		" archive restored - do that in a restore drill (docs/operations.md)\n", path,
		(long long)events, hash);
	rc = record(cx, "backup", base_name(path), events, hash);
out:
	memset(pw, 0, sizeof pw);
	ob_buf_dispose(&sum);
	return rc;
}

int ob_backup_create(const ob_ctx *cx, const char *db_url, const char *path, ob_buf *out)
{
	const char *db = sqlite_file(db_url);
	int rc;

	if (!path || !*path)
		return ob_error_set(OB_EINVALID, "FILE: a backup file is needed");
	if ((rc = ob_access_check(cx, OB_ACT_AUDIT, NULL)) < 0)
		return rc;
	return db ? backup_sqlite(cx, db, path, out) : backup_pg(cx, db_url, path, out);
}

/* ---- restore ------------------------------------------------------------ */

static int copy_bytes(const char *from, const char *to)
{
	char buf[65536];
	int in, outfd, rc = 0;
	ssize_t n;

	if ((in = open(from, O_RDONLY)) < 0)
		return ob_error_set(OB_EINVALID, "FILE: cannot read %s: %s", from, strerror(errno));
	if ((outfd = open(to, O_WRONLY | O_TRUNC)) < 0) {
		close(in);
		return ob_error_set(OB_ERROR, "%s: %s", to, strerror(errno));
	}
	while (rc == 0 && (n = read(in, buf, sizeof buf)) != 0) {
		if (n < 0) {
			if (errno != EINTR)
				rc = ob_error_set(OB_ERROR, "%s: %s", from, strerror(errno));
			continue;
		}
		for (ssize_t done = 0; rc == 0 && done < n;) {
			ssize_t w = write(outfd, buf + done, (size_t)(n - done));
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				rc = ob_error_set(OB_ERROR, "%s: %s", to, strerror(errno));
			else
				done += w;
		}
	}
	if (rc == 0 && fsync(outfd) < 0)
		rc = ob_error_set(OB_ERROR, "%s: %s", to, strerror(errno));
	close(in);
	if (close(outfd) < 0 && rc == 0)
		rc = ob_error_set(OB_ERROR, "%s: %s", to, strerror(errno));
	return rc;
}

/* Whether path starts as every SQLite database file does. */
static bool sqlite_header(const char *path)
{
	static const char magic[16] = "SQLite format 3";
	char head[16];
	int fd = open(path, O_RDONLY);
	bool yes = fd >= 0 && read(fd, head, sizeof head) == (ssize_t)sizeof head
		   && !memcmp(head, magic, sizeof magic);

	if (fd >= 0)
		close(fd);
	return yes;
}

int ob_backup_restore(const char *path, const char *target_url, bool force, const char *actor,
                      ob_buf *out)
{
	const char *target = target_url ? sqlite_file(target_url) : NULL;
	char tmp[PATH_MAX], wal[PATH_MAX + 8], hash[OB_AUDIT_HASH_HEX], hash2[OB_AUDIT_HASH_HEX];
	struct stat sb;
	ob_store *st = NULL;
	bool exists;
	int64_t events, events2;
	int rc;

	if (!path || !*path)
		return ob_error_set(OB_EINVALID, "FILE: a backup file is needed");
	if (!target || !*target)
		return ob_error_set(OB_EINVALID, "target: restore writes SQLite files only (a"
			" PostgreSQL dump is restored with pg_restore, docs/operations.md)");
	if (stat(path, &sb) < 0 || !S_ISREG(sb.st_mode))
		return ob_error_set(OB_EINVALID, "FILE: %s is not a readable file", path);
	if (same_file(path, target))
		return ob_error_set(OB_EINVALID, "target: %s is the backup itself", target);
	exists = stat(target, &sb) == 0 && sb.st_size > 0;
	if (exists && !force)
		return ob_error_set(OB_ECONFLICT, "target: %s exists and is not empty; --force"
			" replaces it", target);
	snprintf(wal, sizeof wal, "%s-wal", target);
	if (!exists && access(wal, F_OK) == 0)
		return ob_error_set(OB_ECONFLICT, "target: %s has a stray %s beside it; remove it"
			" first", target, wal);
	/* A private copy is checked (and migrated): the backup stays as it is. */
	if ((rc = tmp_beside(target, tmp, sizeof tmp)) < 0)
		return rc;
	if ((rc = copy_bytes(path, tmp)) < 0
	    || (rc = check_file(tmp, path, true, false, &events, hash)) < 0) {
		char msg[1024];
		ob_strlcpy(msg, ob_error_last(), sizeof msg);
		remove_db(tmp);
		return ob_error_set(rc, "restore: the backup failed its check, nothing was"
			" changed: %s", msg);
	}
	if (!exists) {
		if (rename(tmp, target) < 0) {
			rc = ob_error_set(OB_ERROR, "%s: %s", target, strerror(errno));
			remove_db(tmp);
			return rc;
		}
		sync_dir_of(target);
	} else if (!sqlite_header(target)) {
		/* Not a database (any more): nothing a server could be reading,
		 * so the checked copy takes its place as a new target would. */
		snprintf(wal, sizeof wal, "%s-wal", target);
		unlink(wal);
		snprintf(wal, sizeof wal, "%s-shm", target);
		unlink(wal);
		if (rename(tmp, target) < 0) {
			rc = ob_error_set(OB_ERROR, "%s: %s", target, strerror(errno));
			remove_db(tmp);
			return rc;
		}
		sync_dir_of(target);
	} else {
		if ((rc = ob_store_open_raw(&st, target)) == 0)
			rc = ob_store_restore_from(st, tmp);
		ob_store_free(st);
		st = NULL;
		remove_db(tmp);
		if (rc < 0)
			return rc;
	}
	if ((rc = check_file(target, target, false, false, &events2, hash2)) < 0)
		return ob_error_set(rc, "restore: the restored database failed its check: %s",
			ob_error_last());
	if (events2 != events || strcmp(hash, hash2))
		return ob_error_set(OB_ECONFLICT, "restore: %s ends at event %lld (hash %.16s...),"
			" the backup at %lld (hash %.16s...)", target, (long long)events2, hash2,
			(long long)events, hash);
	if ((rc = ob_store_open_raw(&st, target)) < 0)
		return rc;
	ob_ctx cx = { .st = st, .actor = actor ? actor : "unknown" };
	rc = record(&cx, "restore", base_name(path), events, hash);
	ob_store_free(st);
	if (rc == 0)
		ob_buf_printf(out, "restored %s into %s: integrity ok, audit trail intact, %lld events,"
			" head %s\n", path, target, (long long)events, hash);
	return rc;
}
