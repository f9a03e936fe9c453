/*
 * oncotree.c - the OncoTree tumour-type hierarchy, read from the table the
 * binary carries (data/oncotree/oncotree.tsv: code, name, main_type,
 * tissue, parent of release oncotree_2025_10_03). The table is parsed once,
 * on first use (pthread_once, so server workers may race for it), into an
 * array sorted by code; look-ups are binary searches. The parsed tree lives
 * until the process ends.
 */
#include "interp/oncotree.h"
#include "base/error.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char ob_data_oncotree_oncotree[];

enum { F_CODE, F_NAME, F_MAIN, F_TISSUE, F_PARENT, NFIELDS };

typedef struct node {
	const char *f[NFIELDS];
	int parent;  /* index of the parent node, -1 at the root */
} node;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static node *nodes;
static size_t nnodes;
static char *text;           /* a copy of the table, tabs and newlines as NULs */
static int load_rc;          /* 0, or the error of the first load */
static char load_msg[256];

static int cmp_node(const void *a, const void *b)
{
	return strcmp(((const node *)a)->f[F_CODE], ((const node *)b)->f[F_CODE]);
}

static int find(const char *code)
{
	size_t lo = 0, hi = nnodes;

	if (!code)
		return -1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(code, nodes[mid].f[F_CODE]);

		if (c == 0)
			return (int)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

static int fail(int line, const char *field, const char *msg)
{
	snprintf(load_msg, sizeof load_msg, "data/oncotree/oncotree.tsv:%d: %s: %s", line, field, msg);
	return OB_EINVALID;
}

static const char *const names[NFIELDS] = { "code", "name", "main_type", "tissue", "parent" };

static int parse(void)
{
	size_t cap = 0;
	char *p;
	int line = 0;
	bool header = false;

	if (!(text = strdup(ob_data_oncotree_oncotree)))
		return OB_ERROR;
	for (p = text; *p;) {
		char *eol = strchr(p, '\n'), *f[NFIELDS];
		int nf = 0;

		line++;
		if (eol)
			*eol = '\0';
		if (*p == '#')
			goto next;
		for (char *q = p;; ) {
			char *tab = strchr(q, '\t');

			if (nf == NFIELDS)
				return fail(line, "line", "more than 5 fields");
			f[nf++] = q;
			if (!tab)
				break;
			*tab = '\0';
			q = tab + 1;
		}
		if (nf != NFIELDS)
			return fail(line, "line", "fewer than 5 fields");
		if (!header) {
			for (int i = 0; i < NFIELDS; i++)
				if (strcmp(f[i], names[i]))
					return fail(line, names[i], "header expected here");
			header = true;
			goto next;
		}
		if (!*f[F_CODE])
			return fail(line, "code", "empty");
		if (!*f[F_NAME])
			return fail(line, "name", "empty");
		if (nnodes == cap) {
			node *n = realloc(nodes, (cap = cap ? cap * 2 : 1024) * sizeof *n);

			if (!n)
				return OB_ERROR;
			nodes = n;
		}
		for (int i = 0; i < NFIELDS; i++)
			nodes[nnodes].f[i] = f[i];
		nodes[nnodes++].parent = -1;
next:
		if (!eol)
			break;
		p = eol + 1;
	}
	if (!header || nnodes == 0)
		return fail(line, "line", "no rows");
	qsort(nodes, nnodes, sizeof *nodes, cmp_node);
	for (size_t i = 1; i < nnodes; i++)
		if (!strcmp(nodes[i - 1].f[F_CODE], nodes[i].f[F_CODE]))
			return fail(0, "code", "a code appears twice");
	for (size_t i = 0; i < nnodes; i++) {
		const char *par = nodes[i].f[F_PARENT];

		if (!*par)
			continue;
		if ((nodes[i].parent = find(par)) < 0)
			return fail(0, "parent", "names a code that is not in the table");
	}
	/* a cycle would make the walks below endless */
	for (size_t i = 0; i < nnodes; i++) {
		int k = nodes[i].parent;

		for (size_t steps = 0; k >= 0; k = nodes[k].parent)
			if (++steps > nnodes)
				return fail(0, "parent", "the parents form a cycle");
	}
	return 0;
}

static void load(void)
{
	if ((load_rc = parse()) < 0) {
		if (load_rc == OB_ERROR)
			snprintf(load_msg, sizeof load_msg, "OncoTree: out of memory");
		free(nodes);
		nodes = NULL;
		nnodes = 0;
	}
}

static void ensure(void)
{
	pthread_once(&once, load);
}

int ob_oncotree_check(void)
{
	ensure();
	if (load_rc < 0)
		return ob_error_set(load_rc, "%s", load_msg);
	return 0;
}

size_t ob_oncotree_count(void)
{
	ensure();
	return nnodes;
}

int ob_oncotree_known(const char *code)
{
	ensure();
	return find(code) >= 0;
}

static const char *field(const char *code, int f)
{
	int i;

	ensure();
	if ((i = find(code)) < 0)
		return NULL;
	return nodes[i].f[f];
}

const char *ob_oncotree_name(const char *code)
{
	return field(code, F_NAME);
}

const char *ob_oncotree_main_type(const char *code)
{
	return field(code, F_MAIN);
}

const char *ob_oncotree_tissue(const char *code)
{
	return field(code, F_TISSUE);
}

const char *ob_oncotree_parent(const char *code)
{
	int i;

	ensure();
	/* the tissue roots (LUNG, BREAST...) have no parent: TISSUE above
	 * them is the table's root, not a tumour type */
	if ((i = find(code)) < 0 || nodes[i].parent < 0
	    || !strcmp(nodes[nodes[i].parent].f[F_CODE], OB_ONCOTREE_ROOT))
		return NULL;
	return nodes[nodes[i].parent].f[F_CODE];
}

int ob_oncotree_distance(const char *code, const char *ancestor)
{
	int i, a, d = 0;

	ensure();
	if ((i = find(code)) < 0 || (a = find(ancestor)) < 0)
		return -1;
	for (; i >= 0; i = nodes[i].parent, d++)
		if (i == a)
			return d;
	return -1;
}
