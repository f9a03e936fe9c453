/*
 * migrations.h - the numbered schema migrations embedded in the binary
 * (generated from migrations/NNN_name.sql by scripts/embed-sql).
 *
 * Migration SQL is shared by the backends. The token @PK@ stands for an
 * auto-assigned 64-bit primary key column type; each backend substitutes
 * its own spelling.
 */
#ifndef OB_MIGRATIONS_H
#define OB_MIGRATIONS_H

typedef struct ob_migration {
	int version;
	const char *name;
	const char *sql;
} ob_migration;

/* Ends with an entry whose name is NULL. */
extern const ob_migration ob_migrations[];

typedef struct ob_store ob_store;

/* The code a migration runs besides its SQL, inside the same transaction:
 * before (may be NULL) runs before the SQL, after (may be NULL) once it
 * ran. A migration that rewrites audited rows checks them against the
 * audit trail before, and records what it changed in the trail after, so
 * that the chain of an upgraded database stays intact and tells the change.
 * Defined by the bank (src/bank/migrate.c); ends with version 0. */
typedef struct ob_migration_step {
	int version;
	int (*before)(ob_store *st);
	int (*after)(ob_store *st);
} ob_migration_step;

extern const ob_migration_step ob_migration_steps[];

#endif
