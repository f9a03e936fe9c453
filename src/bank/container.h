/*
 * container.h - storage: freezers and LN2 tanks (with temperature) holding
 * racks and shelves holding boxes of rows x columns positions; one specimen
 * per position; moving, swapping, emptying a box into another, box maps
 * and the freezer report (everything a freezer holds, for a failure).
 *
 * Containers form a tree. Freezers, LN2 tanks and refrigerators stand at the
 * top (no parent); shelves, racks and boxes sit inside another container; a
 * box holds specimens only, never containers. A container belongs to the
 * site of its parent. Each row keeps its materialised chain of ids in
 * `path` ("/12/40/77/"), so everything below a container is one prefix
 * match. Specimens are stored in boxes, one per position.
 *
 * Position naming schemes of a box: "A1" (rows as letters A..Z, then AA..,
 * columns as numbers 1..; the default), "1-1" (row-column numbers), "1"
 * (positions numbered 1..rows*cols row by row). Positions are stored in
 * their normalised spelling ("a01" is stored as "A1").
 *
 * Implemented in container.c (tree, positions), container_move.c (moves)
 * and container_report.c (listing, maps, the freezer report).
 */
#ifndef OB_CONTAINER_H
#define OB_CONTAINER_H

#include "bank/audit.h"
#include "bank/ctx.h"
#include "bank/record.h"
#include "bank/site.h"
#include "base/buf.h"
#include "base/util.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OB_POSITION_MAX 16
#define OB_CONTAINER_BARCODE_MAX 33  /* 1-32 characters of A-Z a-z 0-9 . _ - */
#define OB_CONTAINER_NAME_MAX 201    /* at most 200 bytes */
#define OB_CONTAINER_DIM_MAX 100     /* rows and columns of a box */

typedef struct ob_container_new {
	const char *barcode;     /* unique; also its handle on the command line */
	const char *name;        /* default: the barcode */
	const char *kind;        /* freezer, ln2_tank, refrigerator, shelf, rack, box */
	const char *site;        /* site code; default: the parent's site */
	const char *parent;      /* parent container barcode; NULL for a freezer/tank */
	double temperature;      /* degrees C; NaN unknown (freezers, tanks) */
	int rows, cols;          /* boxes only */
	const char *scheme;      /* boxes: "A1" (default), "1-1", "1" */
} ob_container_new;

/* One container as stored. */
typedef struct ob_container_info {
	int64_t id;
	int64_t parent_id;                     /* 0 at the top */
	char barcode[OB_CONTAINER_BARCODE_MAX];
	char name[OB_CONTAINER_NAME_MAX];
	char kind[16];
	char site[OB_SITE_CODE_MAX];           /* site code */
	char parent[OB_CONTAINER_BARCODE_MAX]; /* parent barcode, "" at the top */
	double temperature;                    /* its own setting; NaN when none */
	int rows, cols;                        /* 0 unless a box */
	char scheme[8];                        /* "" unless a box */
} ob_container_info;

/* A container's fields, in the order of its canonical audit row (nrows and
 * ncols: a box's rows and columns, 0 for other kinds). */
#define OB_CONTAINER_FIELDS(X) \
	X(barcode, TEXT, "c.barcode", OB_F_ROW | OB_F_AUDIT) \
	X(name, TEXT, "c.name", OB_F_ROW | OB_F_AUDIT | OB_F_FIX) \
	X(kind, TEXT, "c.kind", OB_F_ROW | OB_F_AUDIT) \
	X(site, TEXT, "s.code", OB_F_ROW | OB_F_AUDIT) \
	X(parent, TEXT, "p.barcode", OB_F_ROW | OB_F_AUDIT | OB_F_FIX) \
	X(temperature, REAL, "c.temperature", OB_F_ROW | OB_F_AUDIT | OB_F_FIX) \
	X(nrows, INT, "c.nrows", OB_F_ROW | OB_F_AUDIT) \
	X(ncols, INT, "c.ncols", OB_F_ROW | OB_F_AUDIT) \
	X(scheme, TEXT, "c.scheme", OB_F_ROW | OB_F_AUDIT)

typedef struct ob_container_record {
	OB_CONTAINER_FIELDS(OB_RECORD_MEMBER)
} ob_container_record;

extern const ob_field ob_container_fields[];

/* Sets every field to unknown (NULL / NaN / 0). */
void ob_container_new_init(ob_container_new *c);

/* Adds a container. Checks the barcode (form, uniqueness: OB_EEXISTS), the
 * kind, the parent (exists, is not a box; top-level kinds have none, the
 * others need one), the site (exists; must equal the parent's), a box's
 * rows and cols (1..100) and scheme, the temperature (-273..100). Audited
 * ("create"). id_out may be NULL. OB_EINVALID names the field. */
int ob_container_add(const ob_ctx *cx, const ob_container_new *in, int64_t *id_out);

/* The container's id by barcode, within the caller's read scope
 * (scope.h); OB_ENOTFOUND when none, or when it lies outside the scope. */
int ob_container_lookup(const ob_ctx *cx, const char *barcode, int64_t *id);

/* The stored container by barcode into *out, within the caller's read
 * scope (scope.h); OB_ENOTFOUND when none, or when it lies outside. */
int ob_container_get(const ob_ctx *cx, const char *barcode, ob_container_info *out);

/* True for a known container kind; true for the top-level kinds (freezer,
 * ln2_tank, refrigerator). */
bool ob_container_kind_valid(const char *kind);
bool ob_container_kind_top(const char *kind);

/* True for "A1", "1-1" or "1". */
bool ob_position_scheme_valid(const char *scheme);

/* Parses a position written in scheme (case and leading zeros ignored:
 * "a01" is A1) into 1-based row and col; cols is the box's column count
 * (the "1" scheme numbers positions row by row). Does not check the upper
 * bounds: the caller compares row and col with the box's size. OB_EINVALID
 * (no message set) when text is not a position of the scheme. */
int ob_position_parse(const char *scheme, int cols, const char *text, int *row, int *col);

/* Writes the normalised name of row/col (1-based) in scheme. OB_EINVALID
 * when row or col is out of 1..OB_CONTAINER_DIM_MAX or the scheme unknown. */
int ob_position_name(const char *scheme, int cols, int row, int col, char out[OB_POSITION_MAX]);

/* Checks that container is a box and position names one of its positions
 * (normalised into pos_out, e.g. "a01" -> "A1"); does not look at
 * occupancy. OB_EINVALID naming the field otherwise ("position: 'K11' is
 * outside box BOX-1 (10 x 10, A1..J10)"); OB_ENOTFOUND when there is no such
 * container. container_id may be NULL. */
int ob_container_check_position(const ob_ctx *cx, const char *container, const char *position,
                                int64_t *container_id, char pos_out[OB_POSITION_MAX]);
/* The same for a box already resolved (ob_scope_container). */
int ob_box_position(const ob_container_info *box, const char *position,
                    char pos_out[OB_POSITION_MAX]);

/* The temperature of the nearest container up the tree that has one (NaN
 * when none does): the long-term storage temperature of its contents. */
int ob_container_temperature(const ob_ctx *cx, int64_t container_id, double *temp);

/* Appends "FREEZER-01 > RACK-3 > BOX-12" for a container id to out. */
int ob_container_path_text(const ob_ctx *cx, int64_t container_id, ob_buf *out);

/* Moves a specimen to box container at position (container NULL: out of
 * storage, position then NULL too). A specimen that is
 * distributed, depleted or destroyed is not put into storage (OB_ECONFLICT).
 * OB_ECONFLICT when the position is taken ("position A1 of BOX-1 is taken
 * by SP-2"). Audited ("move"); a move to where it already is changes
 * nothing. */
int ob_specimen_move(const ob_ctx *cx, const char *barcode, const char *container,
                     const char *position);
/* Exchanges the places of two stored specimens. Both audited ("swap"). */
int ob_specimen_swap(const ob_ctx *cx, const char *a, const char *b);
/* Moves every specimen of box from into box to, keeping each position
 * (same row and column, named in the target's scheme) where the target has
 * it free, else filling the target's first free positions in order; all or
 * nothing (OB_ECONFLICT when to lacks room). Each move audited ("move").
 * moved (may be NULL) receives the count. */
int ob_container_empty_into(const ob_ctx *cx, const char *from, const char *to, int64_t *moved);

/* A container of a list: as stored, with its path of barcodes ("FRZ-1 >
 * RACK-1"), its depth below the shallowest of the list (0), the
 * temperature its contents are kept at (its own, else its nearest
 * ancestor's; NaN when none) and how many specimens it holds. */
typedef struct ob_container_row {
	ob_container_info c;
	char *path;
	int depth;
	double storage;
	int64_t specimens;
} ob_container_row;

/* Containers depth first, siblings by barcode; ob_container_tree_free()
 * releases them. */
typedef struct ob_container_tree {
	ob_container_row *v;
	size_t n;
} ob_container_tree;

void ob_container_tree_free(ob_container_tree *t);

/* Lists containers into *out, read in one snapshot: a subtree when under
 * is a barcode, a site's and its sub-sites' when site is a code (both
 * NULL: all; a user's list is their part of the network). out is released
 * on failure and must be freed after success. */
int ob_container_list(const ob_ctx *cx, const char *site, const char *under,
                      ob_container_tree *out);

/* A specimen in a box: its barcode ("(another site)" when the reader may
 * not see it) and its position as stored (NULL: none). */
typedef struct ob_box_place {
	char *specimen;
	char *position;
} ob_box_place;

/* A box's map, read in one snapshot: the box, its path of barcodes, its
 * storage temperature (NaN: none), the grid of rows x cols cells row by
 * row (cell[(row - 1) * cols + col - 1]: the barcode as in ob_box_place,
 * NULL when free), how many are used, and the specimens whose stored
 * position is not on the grid. ob_box_map_free() releases it. */
typedef struct ob_box_map {
	ob_container_info box;
	char *path;
	double temperature;
	char **cell;
	size_t used;
	ob_box_place *stray;
	size_t nstray;
} ob_box_map;

/* Reads the map of box within the reader's scope (OB_ENOTFOUND outside
 * it); OB_EINVALID when box is not a box. m is released on failure and
 * must be freed after success. */
int ob_container_map(const ob_ctx *cx, const char *box, ob_box_map *m);
void ob_box_map_free(ob_box_map *m);

/* A specimen of the freezer report. Texts are "" when unknown, and the
 * barcode "(another site)" and donor, donor_site and unit "" (quantity
 * NaN) for another site's material the reader may not see. in is the
 * container holding it, a row of the report's tree. */
typedef struct ob_report_item {
	char *barcode, *type, *status, *donor, *donor_site, *site, *position, *unit;
	double quantity;
	const ob_container_row *in;
} ob_report_item;

/* How many specimens of one type. */
typedef struct ob_type_count {
	const char *type;
	size_t n;
} ob_type_count;

/* The freezer-failure report of a container, read in one snapshot: the
 * tree below it (root is its first row), when it was read, every specimen
 * held anywhere below it ordered by location (container depth first, then
 * row and column), how many donors they come from and the count per type
 * in order of first appearance. ob_freezer_report_free() releases it. */
typedef struct ob_freezer_report {
	ob_container_tree tree;
	const ob_container_row *root;
	char generated_at[OB_TIME_LEN];
	ob_report_item *v;
	size_t n;
	int64_t donors;
	ob_type_count *by_type;
	size_t ntypes;
} ob_freezer_report;

/* Reads the report of container (a freezer, tank, rack or box) within the
 * reader's scope (OB_ENOTFOUND outside it). r is released on failure and
 * must be freed after success. */
int ob_container_report(const ob_ctx *cx, const char *container, ob_freezer_report *r);
void ob_freezer_report_free(ob_freezer_report *r);

/* Corrects a container: name, temperature (degrees C, -273..100; "" clears
 * it: the container then keeps its contents at its nearest ancestor's) and
 * parent, which moves a shelf, rack or box with everything inside it to
 * another container of the same site: not into a box, not into itself or
 * below itself, within the tree's depth; the paths of it and of every
 * container below it follow, specimens keep their positions. Needs
 * OB_ACT_CONTAINER; the container and a new parent are resolved within the
 * actor's scope (outside: OB_ENOTFOUND, as absent). Audited ("correct",
 * with the reason). OB_EINVALID naming the field otherwise (record.h). */
int ob_container_correct(const ob_ctx *cx, const char *barcode, const ob_change *ch, size_t n,
                         const char *reason);

/* The per-field history of a container (audit.h ob_audit_changes), within
 * the caller's read scope. */
int ob_container_changes(const ob_ctx *cx, const char *barcode, ob_audit_change_cb cb, void *arg);

extern const ob_audit_entity ob_container_audit;

#endif
