/*
 * store.h - the one door to the database.
 *
 * Domain code sees only this header. A store is opened from a URL: a file
 * path or "sqlite:PATH" selects the embedded SQLite backend; a
 * "postgresql://" (or "postgres://") URL the PostgreSQL backend
 * (store_pg.c, libpq; docs/storage.md). SQL text is
 * written once, with PostgreSQL-style numbered parameters ($1, $2, ...); each
 * backend adapts it (SQLite receives ?1, ?2, so numbering never depends on
 * order of appearance). Statements are prepared once per connection and
 * cached by the address of their SQL text, which must therefore be a string
 * literal or otherwise live as long as the store.
 *
 * Status codes: 0 ok; OB_ROW (1) from ob_stmt_step() when a row is ready;
 * OB_ERETRY when the database is busy and the store's wait budget is spent
 * (see "Busy database" below);
 * OB_EEXISTS on a unique-key violation; OB_ECONFLICT on another constraint;
 * OB_ERROR otherwise. Each sets the last-error message.
 */
#ifndef OB_STORE_H
#define OB_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ob_store ob_store;
typedef struct ob_stmt ob_stmt;

#define OB_ROW 1

/* Opens the database named by url (creating an SQLite file if needed) and
 * applies pending migrations. *out is owned by the caller: ob_store_free(). */
int ob_store_open(ob_store **out, const char *url);
/* Opens without migrating (for tools that inspect a database as it is). */
int ob_store_open_raw(ob_store **out, const char *url);
void ob_store_free(ob_store *st);

/* Applies the embedded migrations not yet applied, each in a transaction. */
int ob_store_migrate(ob_store *st);
/* The highest applied migration version, or 0. */
int ob_store_schema_version(ob_store *st, int *out);

/* Backend name: "sqlite" or "postgresql". */
const char *ob_store_backend(const ob_store *st);

/* Transactions nest: only the outermost begin/commit reach the database. A
 * rollback at any depth dooms the transaction: the outermost commit then
 * rolls back and returns OB_ERROR. */
int ob_store_begin(ob_store *st);
int ob_store_commit(ob_store *st);
void ob_store_rollback(ob_store *st);
bool ob_store_in_txn(const ob_store *st);
/* Begins a read-only snapshot: many statements see one state of the
 * database and pay for locking once; readers do not hold writers up (SQLite:
 * a deferred transaction). Ends with ob_store_commit() or
 * ob_store_rollback(); nests like ob_store_begin() (inside a write
 * transaction it joins that one). */
int ob_store_begin_read(ob_store *st);
/* Increments at every outermost begin: lets callers cache per transaction. */
uint64_t ob_store_txn_serial(const ob_store *st);

/* ---- Busy database: bounded waits and whole-transaction retries ----
 *
 * One writer at a time (SQLite BEGIN IMMEDIATE, PostgreSQL an advisory
 * lock taken by the begin), so a busy database shows where an outermost
 * write transaction begins: ob_store_begin() then tries again with jittered
 * exponential back-off (1 ms doubling to 100 ms) until the store's wait
 * budget is spent, and only then returns OB_ERETRY. Nothing of the
 * transaction has run yet, so retrying the begin is retrying the whole
 * transaction. A busy that appears later (a read snapshot that writes after
 * another commit; a PostgreSQL serialization failure or deadlock) rolls the
 * transaction back: ob_store_txn() and the HTTP dispatcher run the whole
 * unit again within the same budget (docs/storage.md). */

/* The default budget of a store: how long a write waits for another. */
#define OB_STORE_WAIT_DEFAULT_MS 10000u

/* Sets how long (ms) st waits for a busy database before OB_ERETRY; 0 does
 * not wait. */
void ob_store_set_wait(ob_store *st, unsigned ms);
unsigned ob_store_wait(const ob_store *st);
/* fn(arg, budget_ms) is called once each time st starts waiting for a busy
 * database (the CLI prints a line); NULL for none. */
void ob_store_on_wait(ob_store *st, void (*fn)(void *arg, unsigned budget_ms), void *arg);

/* Busy retries of every store of the process since it started (a begin or
 * a whole transaction tried again); thread-safe. */
uint64_t ob_store_busy_retries(void);

/* The state of one retry loop; zero it before the first run. */
typedef struct ob_store_retry {
	uint64_t start_ns;  /* monotonic time of the first failure, 0 before */
	unsigned attempt;
} ob_store_retry;

/* After a run that failed with OB_ERETRY and left no transaction open:
 * counts a busy retry, sleeps with jittered exponential back-off and
 * returns true when the caller should run again; false (no sleep, and
 * OB_ERETRY's message says how long it waited) when st's budget is spent,
 * counted from r's first failure, or a begin in the run already spent it. */
bool ob_store_retry_wait(ob_store *st, ob_store_retry *r);

/* Runs fn(st, arg) in a write transaction and commits; on OB_ERETRY from fn
 * or the commit, rolls back and runs it again (ob_store_retry_wait). Inside
 * an open transaction fn just runs: the outermost unit is what retries. fn
 * must have no effect outside the transaction. Returns fn's code. */
int ob_store_txn(ob_store *st, int (*fn)(ob_store *st, void *arg), void *arg);

/* Outermost transactions committed on st: a unit of work that saw no
 * commit of its own between two readings can be run again after OB_ERETRY. */
uint64_t ob_store_commits(const ob_store *st);

/* Runs SQL with no parameters and no result rows (may hold several
 * statements). */
int ob_store_exec(ob_store *st, const char *sql);

/* The cached statement for sql, reset and with its bindings cleared.
 * Borrowed: valid until the store is freed; do not step it in two loops at
 * once. */
int ob_store_prepare(ob_store *st, const char *sql, ob_stmt **out);

/* One-value look-ups: run sql with key bound to $1 and read column 0 of
 * the first row. 0 when found; OB_ENOTFOUND when there is no row (no
 * message set: the caller names what was missing); an error otherwise.
 * get_text copies into out (n bytes) and fails with OB_ERROR if it does
 * not fit or the value is NULL. */
int ob_store_get_int(ob_store *st, const char *sql, const char *key, int64_t *out);
int ob_store_get_text(ob_store *st, const char *sql, const char *key, char *out, size_t n);

/* Writes v exactly as ob_stmt_text() would return it for a DOUBLE
 * PRECISION column holding v (n >= 32), so text built before a write can be
 * compared with what is read back. */
void ob_store_format_double(const ob_store *st, double v, char *out, size_t n);

/* Binds parameter idx (1-based). Text is copied. A NULL text binds NULL.
 * A failed bind (an index out of range, out of memory) also makes the
 * statement's next ob_stmt_step() return that error, until a reset: call
 * sites need not check binds one by one. */
int ob_stmt_bind_int(ob_stmt *s, int idx, int64_t v);
int ob_stmt_bind_double(ob_stmt *s, int idx, double v);
int ob_stmt_bind_text(ob_stmt *s, int idx, const char *v);
int ob_stmt_bind_null(ob_stmt *s, int idx);
/* Binds v, or NULL when v is NaN. */
int ob_stmt_bind_double_or_null(ob_stmt *s, int idx, double v);

/* Executes an INSERT (no rows returned) and gives the key the database
 * assigned to the new row. Cheaper than INSERT ... RETURNING on SQLite,
 * which builds a temporary table per call. */
int ob_stmt_insert(ob_stmt *s, int64_t *id);

/* Executes or advances: OB_ROW when a row is ready, 0 when done, or an
 * error code. */
int ob_stmt_step(ob_stmt *s);
/* Steps a statement expected to return no rows; then resets it. */
int ob_stmt_exec(ob_stmt *s);
void ob_stmt_reset(ob_stmt *s);

/* Column accessors for the current row (0-based). Text is borrowed until the
 * next step or reset; NULL for SQL NULL. */
bool ob_stmt_is_null(ob_stmt *s, int col);
int64_t ob_stmt_int(ob_stmt *s, int col);
double ob_stmt_double(ob_stmt *s, int col);   /* NaN for SQL NULL */
const char *ob_stmt_text(ob_stmt *s, int col);
int ob_stmt_column_count(ob_stmt *s);
const char *ob_stmt_column_name(ob_stmt *s, int col);

/* ---- operations: health, size, backup (docs/operations.md) ---- */

/* The schema's state: *have the highest applied migration, *want the
 * highest this binary embeds, *pending how many embedded migrations are not
 * applied (a gap counts: 0 means current). */
int ob_store_schema_status(ob_store *st, int *have, int *want, int *pending);
/* The bytes the database occupies (SQLite: pages x page size, the WAL
 * aside; PostgreSQL: pg_database_size). */
int ob_store_size(ob_store *st, int64_t *bytes);
/* Checks the database's structure (SQLite: PRAGMA integrity_check). 0 when
 * sound; OB_ECONFLICT "integrity: ..." naming the first problem;
 * OB_EINVALID where the backend has no check (PostgreSQL). */
int ob_store_integrity(ob_store *st);
/* Copies the whole database, as it is at one moment while others go on
 * writing, into the file path (created; a single file in rollback-journal
 * mode). SQLite only: OB_EINVALID on PostgreSQL (pg_dump does it). */
int ob_store_backup_to(ob_store *st, const char *path);
/* Replaces the whole database by the SQLite database file path, in one
 * transaction. SQLite only, as ob_store_backup_to(). */
int ob_store_restore_from(ob_store *st, const char *path);
/* Makes the database a single self-contained file once it is closed (SQLite:
 * rollback-journal mode, so a copy opens on read-only media too; it turns
 * back to WAL when opened for use). No-op on PostgreSQL. */
int ob_store_seal(ob_store *st);

#endif
