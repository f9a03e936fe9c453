/*
 * kb.c - the somatic knowledge base in memory: the curated base the binary
 * carries (data/kb/curated.tsv, checked row by row as it loads) and the
 * releases imported into a database (kb_release, kb_evidence; written by
 * civic.c). Strings live in an arena owned by the base; rows are sorted by
 * (gene, alteration, tumour type) so a gene's rows are one binary search.
 */
#include "interp/kb.h"
#include "interp/oncotree.h"
#include "base/buf.h"
#include "base/error.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char ob_data_kb_curated[];

typedef struct block {
	struct block *next;
	size_t used, size;
	char data[];
} block;

typedef struct entry {
	ob_kb_row row;
	size_t seq;   /* load order: keeps equal keys in a stable order */
} entry;

struct ob_kb {
	block *arena;
	entry *e;
	ob_kb_row *rows;   /* the sorted rows, handed out */
	size_t n, cap;
	char *version;
};

static const char *intern(ob_kb *kb, const char *s)
{
	size_t len = strlen(s) + 1;
	block *b = kb->arena;

	if (!b || b->size - b->used < len) {
		size_t size = len > 65536 ? len : 65536;

		if (!(b = malloc(sizeof *b + size)))
			return NULL;
		b->next = kb->arena;
		b->used = 0;
		b->size = size;
		kb->arena = b;
	}
	memcpy(b->data + b->used, s, len);
	b->used += len;
	return b->data + b->used - len;
}

void ob_kb_free(ob_kb *kb)
{
	if (!kb)
		return;
	for (block *b = kb->arena, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	free(kb->e);
	free(kb->rows);
	free(kb->version);
	free(kb);
}

const char *ob_kb_effect_name(int effect)
{
	return effect == OB_KB_SENSITIVITY ? "sensitivity"
		: effect == OB_KB_RESISTANCE ? "resistance" : NULL;
}

int ob_kb_effect_parse(const char *word, int *effect)
{
	if (!strcmp(word, "sensitivity"))
		*effect = OB_KB_SENSITIVITY;
	else if (!strcmp(word, "resistance"))
		*effect = OB_KB_RESISTANCE;
	else
		return ob_error_set(OB_EINVALID, "'%s' is not sensitivity or resistance", word);
	return 0;
}

static bool in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return true;
	return false;
}

int ob_kb_amp_level_known(const char *level)
{
	static const char *const amp[] = { "I-A", "I-B", "II-C", "II-D", "III", "IV", NULL };

	return level && in_list(level, amp);
}

int ob_kb_oncokb_level_known(const char *level)
{
	static const char *const okb[] = { "1", "2", "3A", "3B", "4", "R1", "R2", NULL };

	return level && in_list(level, okb);
}

/* A residue and its position: "V600", "E746". Returns characters read. */
static size_t residue_pos(const char *s)
{
	size_t i = 0;

	if (!isupper((unsigned char)s[0]))
		return 0;
	for (i = 1; isdigit((unsigned char)s[i]); i++)
		;
	return i > 1 && s[1] != '0' ? i : 0;
}

static bool all_residues(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isupper((unsigned char)*s))
			return false;
	return true;
}

/* p.V600E, p.V600*, p.V600, p.E746_A750del, p.Y772_A775dup, p.P780insGHV,
 * p.T417_D419delinsY, p.I843del */
static bool protein_spec(const char *s)
{
	size_t k;

	if (strncmp(s, "p.", 2))
		return false;
	s += 2;
	if (!(k = residue_pos(s)))
		return false;
	s += k;
	if (!*s)
		return true;                                 /* codon */
	if ((isupper((unsigned char)s[0]) || s[0] == '*') && !s[1])
		return true;                                 /* exact change */
	if (*s == '_') {
		if (!(k = residue_pos(++s)))
			return false;
		s += k;
	}
	if (!strcmp(s, "del") || !strcmp(s, "dup"))
		return true;
	if (!strncmp(s, "delins", 6))
		return all_residues(s + 6);
	if (!strncmp(s, "ins", 3))
		return all_residues(s + 3);
	return false;
}

static bool gene_symbol(const char *g)
{
	if (!*g)
		return false;
	for (; *g; g++)
		if (!isupper((unsigned char)*g) && !isdigit((unsigned char)*g) && *g != '-'
		    && *g != '.' && !(*g >= 'a' && *g <= 'z'))
			return false;
	return true;
}

int ob_kb_alteration_check(const char *gene, const char *alt)
{
	static const char *const words[] = {
		"mutation", "oncogenic", "loss", "fusion", "amplification", "deletion", NULL
	};
	bool wide = !strcmp(alt, "msi-high") || !strcmp(alt, "tmb-high");

	if (wide)
		return *gene ? ob_error_set(OB_EINVALID, "%s takes no gene", alt) : 0;
	if (!*gene)
		return ob_error_set(OB_EINVALID, "'%s' needs a gene", alt);
	if (!gene_symbol(gene))
		return ob_error_set(OB_EINVALID, "'%s' is not a gene symbol", gene);
	if (in_list(alt, words) || protein_spec(alt))
		return 0;
	if (!strncmp(alt, "fusion ", 7) && gene_symbol(alt + 7))
		return 0;
	if (!strncmp(alt, "exon", 4) && isdigit((unsigned char)alt[4])) {
		const char *p = alt + 4;

		while (isdigit((unsigned char)*p))
			p++;
		if (!strcmp(p, " deletion") || !strcmp(p, " insertion") || !strcmp(p, " skipping")
		    || !strcmp(p, " mutation"))
			return 0;
	}
	return ob_error_set(OB_EINVALID, "'%s' is not an alteration specification"
		" (p.V600E, p.G12, exon19 deletion, mutation, loss, fusion, amplification ...)", alt);
}

static int add_row(ob_kb *kb, const ob_kb_row *r)
{
	entry *x;

	if (kb->n == kb->cap) {
		size_t cap = kb->cap ? kb->cap * 2 : 256;
		entry *e = realloc(kb->e, cap * sizeof *e);

		if (!e)
			return ob_error_set(OB_ERROR, "out of memory");
		kb->e = e;
		kb->cap = cap;
	}
	x = &kb->e[kb->n];
	x->seq = kb->n;
	if (!(x->row.gene = intern(kb, r->gene)) || !(x->row.alteration = intern(kb, r->alteration))
	    || !(x->row.tumor_type = intern(kb, r->tumor_type))
	    || !(x->row.drugs = intern(kb, r->drugs))
	    || !(x->row.amp_level = intern(kb, r->amp_level))
	    || !(x->row.oncokb_level = intern(kb, r->oncokb_level))
	    || !(x->row.sources = intern(kb, r->sources)))
		return ob_error_set(OB_ERROR, "out of memory");
	x->row.effect = r->effect;
	x->row.release = r->release;   /* interned by the caller, once */
	kb->n++;
	return 0;
}

enum { C_GENE, C_ALT, C_TUMOR, C_DRUGS, C_EFFECT, C_AMP, C_OKB, C_SOURCES, NCOLS };
static const char *const cols[NCOLS] = {
	"gene", "alteration", "tumor_type", "drugs", "effect", "amp_level", "oncokb_level", "sources"
};

static int bad(const char *name, int line, const char *field, const char *msg)
{
	return ob_error_set(OB_EINVALID, "%s:%d: %s: %s", name, line, field, msg);
}

/* Checks one curated row; OB_EINVALID naming the field. */
static int check_row(const char *name, int line, char **f, int *effect)
{
	char msg[256];

	if (ob_kb_alteration_check(f[C_GENE], f[C_ALT]) < 0) {
		snprintf(msg, sizeof msg, "%s", ob_error_last());
		return bad(name, line, *f[C_GENE] && strstr(msg, "gene symbol") ? "gene" : "alteration",
			msg);
	}
	if (*f[C_TUMOR] == '!') {
		/* "!A,B": any tumour type but these (a tumour-agnostic label's
		 * exceptions) */
		char code[32];
		for (const char *p = f[C_TUMOR] + 1; ; ) {
			size_t n = strcspn(p, ",");
			snprintf(code, sizeof code, "%.*s", (int)(n < sizeof code ? n : sizeof code - 1), p);
			if (!ob_oncotree_known(code)) {
				snprintf(msg, sizeof msg, "'%s' in '%s' is not an OncoTree code", code,
					f[C_TUMOR]);
				return bad(name, line, "tumor_type", msg);
			}
			if (!p[n])
				break;
			p += n + 1;
			if (*p == '!')
				p++;
		}
	} else if (*f[C_TUMOR] && !ob_oncotree_known(f[C_TUMOR])) {
		snprintf(msg, sizeof msg, "'%s' is not an OncoTree code (empty: any tumour type;"
			" !CODE,...: any but these)", f[C_TUMOR]);
		return bad(name, line, "tumor_type", msg);
	}
	if (!*f[C_DRUGS])
		return bad(name, line, "drugs", "empty");
	if (ob_kb_effect_parse(f[C_EFFECT], effect) < 0)
		return bad(name, line, "effect", ob_error_last());
	if (!ob_kb_amp_level_known(f[C_AMP]))
		return bad(name, line, "amp_level", "not one of I-A I-B II-C II-D III IV");
	if (*f[C_OKB] && !ob_kb_oncokb_level_known(f[C_OKB]))
		return bad(name, line, "oncokb_level", "not one of 1 2 3A 3B 4 R1 R2 (or empty)");
	if (*f[C_OKB] && (f[C_OKB][0] == 'R') != (*effect == OB_KB_RESISTANCE))
		return bad(name, line, "oncokb_level", "R1/R2 are for resistance, the others for sensitivity");
	if (!*f[C_SOURCES])
		return bad(name, line, "sources", "empty: every row cites a public source");
	return 0;
}

static int load_curated(ob_kb *kb, const char *text, const char *name, ob_buf *version)
{
	char *copy, *p;
	const char *release = NULL;
	int line = 0, rc = 0;
	bool header = false;

	if (!(copy = strdup(text)))
		return ob_error_set(OB_ERROR, "out of memory");
	for (p = copy; *p && rc == 0;) {
		char *eol = strchr(p, '\n'), *f[NCOLS];
		int nf = 0, effect = 0;

		line++;
		if (eol)
			*eol = '\0';
		if (line == 1) {
			if (strncmp(p, "##version=", 10) || !p[10])
				rc = bad(name, line, "version", "the first line must be ##version=VERSION");
			else if (ob_buf_printf(version, "curated %s", p + 10) < 0
			         || !(release = intern(kb, ob_buf_cstr(version))))
				rc = ob_error_set(OB_ERROR, "out of memory");
			goto next;
		}
		if (*p == '#' || (!*p && !eol))
			goto next;
		for (char *q = p; nf < NCOLS;) {
			char *tab = strchr(q, '\t');

			f[nf++] = q;
			if (!tab)
				break;
			*tab = '\0';
			q = tab + 1;
			if (nf == NCOLS) {
				rc = bad(name, line, "line", "more than 8 fields");
				break;
			}
		}
		if (rc)
			break;
		if (nf != NCOLS) {
			rc = bad(name, line, "line", "fewer than 8 fields");
			break;
		}
		if (!header) {
			for (int i = 0; i < NCOLS && rc == 0; i++)
				if (strcmp(f[i], cols[i]))
					rc = bad(name, line, cols[i], "header expected here");
			header = true;
			goto next;
		}
		if ((rc = check_row(name, line, f, &effect)) == 0) {
			ob_kb_row r = { f[C_GENE], f[C_ALT], f[C_TUMOR], f[C_DRUGS], effect,
			                f[C_AMP], f[C_OKB], f[C_SOURCES], release };

			rc = add_row(kb, &r);
		}
next:
		if (!eol)
			break;
		p = eol + 1;
	}
	if (rc == 0 && !header)
		rc = bad(name, line, "line", "no header line");
	free(copy);
	return rc;
}

static int load_releases(ob_kb *kb, ob_store *st, ob_buf *version)
{
	static const char q_rel[] =
		"SELECT name, version FROM kb_release ORDER BY id";
	static const char q_rows[] =
		"SELECT r.name, r.version, e.gene, e.alteration, e.tumor_type, e.drugs, e.effect,"
		" e.amp_level, e.oncokb_level, e.sources"
		" FROM kb_evidence e JOIN kb_release r ON r.id = e.release_id ORDER BY r.id, e.id";
	ob_stmt *s;
	ob_buf rel;
	const char *release = NULL;
	int rc;

	if ((rc = ob_store_begin_read(st)) < 0)
		return rc;
	if ((rc = ob_store_prepare(st, q_rel, &s)) < 0)
		goto out;
	while ((rc = ob_stmt_step(s)) == OB_ROW)
		if (ob_buf_printf(version, "; %s %s", ob_stmt_text(s, 0), ob_stmt_text(s, 1)) < 0) {
			rc = ob_error_set(OB_ERROR, "out of memory");
			break;
		}
	ob_stmt_reset(s);
	if (rc < 0 || (rc = ob_store_prepare(st, q_rows, &s)) < 0)
		goto out;
	ob_buf_init(&rel, 0);
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		ob_kb_row r;
		int effect = 0;

		ob_buf_clear(&rel);
		ob_buf_printf(&rel, "%s %s", ob_stmt_text(s, 0), ob_stmt_text(s, 1));
		if (!release || strcmp(release, ob_buf_cstr(&rel)))
			if (!(release = intern(kb, ob_buf_cstr(&rel)))) {
				rc = ob_error_set(OB_ERROR, "out of memory");
				break;
			}
		(void)ob_kb_effect_parse(ob_stmt_text(s, 6), &effect);
		r.gene = ob_stmt_text(s, 2);
		r.alteration = ob_stmt_text(s, 3);
		r.tumor_type = ob_stmt_text(s, 4);
		r.drugs = ob_stmt_text(s, 5);
		r.effect = effect;
		r.amp_level = ob_stmt_text(s, 7);
		r.oncokb_level = ob_stmt_is_null(s, 8) ? "" : ob_stmt_text(s, 8);
		r.sources = ob_stmt_text(s, 9);
		r.release = release;
		if ((rc = add_row(kb, &r)) < 0)
			break;
	}
	ob_stmt_reset(s);
	ob_buf_dispose(&rel);
out:
	if (rc < 0) {
		ob_store_rollback(st);
		return rc;
	}
	return ob_store_commit(st);
}

static int cmp_entry(const void *a, const void *b)
{
	const entry *x = a, *y = b;
	int c;

	if ((c = strcmp(x->row.gene, y->row.gene)) || (c = strcmp(x->row.alteration, y->row.alteration))
	    || (c = strcmp(x->row.tumor_type, y->row.tumor_type)))
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int ob_kb_open_text(ob_kb **out, const char *text, const char *name, ob_store *st)
{
	ob_kb *kb;
	ob_buf version;
	int rc;

	*out = NULL;
	if (!(kb = calloc(1, sizeof *kb)))
		return ob_error_set(OB_ERROR, "out of memory");
	ob_buf_init(&version, 0);
	if ((rc = ob_oncotree_check()) < 0)
		goto fail;
	if ((rc = load_curated(kb, text, name, &version)) < 0)
		goto fail;
	if (st && (rc = load_releases(kb, st, &version)) < 0)
		goto fail;
	qsort(kb->e, kb->n, sizeof *kb->e, cmp_entry);
	if (kb->n && !(kb->rows = malloc(kb->n * sizeof *kb->rows))) {
		rc = ob_error_set(OB_ERROR, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < kb->n; i++)
		kb->rows[i] = kb->e[i].row;
	free(kb->e);
	kb->e = NULL;
	if (!(kb->version = ob_buf_detach(&version))) {
		rc = ob_error_set(OB_ERROR, "out of memory");
		goto fail;
	}
	*out = kb;
	return 0;
fail:
	ob_buf_dispose(&version);
	ob_kb_free(kb);
	return rc;
}

int ob_kb_open(ob_kb **out, ob_store *st)
{
	return ob_kb_open_text(out, ob_data_kb_curated, "data/kb/curated.tsv", st);
}

const char *ob_kb_version(const ob_kb *kb)
{
	return kb->version;
}

const ob_kb_row *ob_kb_gene(const ob_kb *kb, const char *gene, size_t *n)
{
	size_t lo = 0, hi = kb->n, first;

	*n = 0;
	while (lo < hi) {   /* the first row whose gene is not below gene */
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(kb->rows[mid].gene, gene) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	while (lo < kb->n && !strcmp(kb->rows[lo].gene, gene))
		lo++;
	*n = lo - first;
	return *n ? kb->rows + first : NULL;
}

const ob_kb_row *ob_kb_all(const ob_kb *kb, size_t *n)
{
	*n = kb->n;
	return kb->rows;
}

void ob_kb_releases_free(ob_kb_release *r, size_t n)
{
	for (size_t i = 0; r && i < n; i++) {
		free(r[i].name);
		free(r[i].version);
		free(r[i].source_file);
		free(r[i].imported_at);
		free(r[i].imported_by);
	}
	free(r);
}

int ob_kb_releases(ob_store *st, ob_kb_release **out, size_t *n)
{
	static const char q[] =
		"SELECT name, version, source_file, imported_at, imported_by, read_count,"
		" skipped_count, mapped_count, unmapped_count, row_count FROM kb_release ORDER BY id";
	ob_kb_release *r = NULL;
	size_t cap = 0, k = 0;
	ob_stmt *s;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = ob_store_prepare(st, q, &s)) < 0)
		return rc;
	while ((rc = ob_stmt_step(s)) == OB_ROW) {
		ob_kb_release *x;

		if (k == cap) {
			ob_kb_release *g = realloc(r, (cap = cap ? cap * 2 : 8) * sizeof *g);

			if (!g) {
				rc = ob_error_set(OB_ERROR, "out of memory");
				break;
			}
			r = g;
		}
		x = &r[k++];
		memset(x, 0, sizeof *x);
		x->name = strdup(ob_stmt_text(s, 0));
		x->version = strdup(ob_stmt_text(s, 1));
		x->source_file = strdup(ob_stmt_text(s, 2));
		x->imported_at = strdup(ob_stmt_text(s, 3));
		x->imported_by = strdup(ob_stmt_text(s, 4));
		x->read = ob_stmt_int(s, 5);
		x->skipped = ob_stmt_int(s, 6);
		x->mapped = ob_stmt_int(s, 7);
		x->unmapped = ob_stmt_int(s, 8);
		x->rows = ob_stmt_int(s, 9);
		if (!x->name || !x->version || !x->source_file || !x->imported_at || !x->imported_by) {
			rc = ob_error_set(OB_ERROR, "out of memory");
			break;
		}
	}
	ob_stmt_reset(s);
	if (rc < 0) {
		ob_kb_releases_free(r, k);
		return rc;
	}
	*out = r;
	*n = k;
	return 0;
}
