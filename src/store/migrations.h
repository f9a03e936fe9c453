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

#endif
