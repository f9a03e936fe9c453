/*
 * arena.h - texts that live and die together (a record read with its
 * relatives and events): copied into a few blocks, freed at once, instead
 * of one allocation each.
 */
#ifndef OB_ARENA_H
#define OB_ARENA_H

#include <stdbool.h>
#include <stddef.h>

typedef struct ob_arena_block ob_arena_block;

typedef struct ob_arena {
	ob_arena_block *head;  /* the block being filled, then the older ones */
	bool failed;           /* an allocation failed (sticky) */
} ob_arena;

#define OB_ARENA_INIT { NULL, false }

/* A copy of s in the arena; NULL for NULL, or when out of memory (failed
 * is then set). */
char *ob_arena_strdup(ob_arena *a, const char *s);

/* Frees every copy; the arena is empty and usable again. */
void ob_arena_free(ob_arena *a);

#endif
