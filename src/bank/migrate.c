/*
 * migrate.c - the code steps of schema migrations (store/migrations.h): a
 * migration that rewrites audited rows checks them against the audit trail
 * first and records what it changed in the trail after.
 */
#include "store/migrations.h"

#include <stddef.h>

const ob_migration_step ob_migration_steps[] = {
	{ 0, NULL, NULL }
};
