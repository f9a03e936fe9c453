/*
 * arena.c - texts freed together (arena.h).
 */
#include "base/arena.h"

#include <stdlib.h>
#include <string.h>

#define BLOCK 4096

struct ob_arena_block {
	ob_arena_block *next;
	size_t used, size;
	char data[];
};

char *ob_arena_strdup(ob_arena *a, const char *s)
{
	ob_arena_block *b = a->head;
	size_t n;
	char *d;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	if (!b || b->size - b->used < n) {
		size_t size = n > BLOCK ? n : BLOCK;
		if (!(b = malloc(sizeof *b + size))) {
			a->failed = true;
			return NULL;
		}
		b->size = size;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	d = b->data + b->used;
	memcpy(d, s, n);
	b->used += n;
	return d;
}

void ob_arena_free(ob_arena *a)
{
	for (ob_arena_block *b = a->head, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
	a->failed = false;
}
