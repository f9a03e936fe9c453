/*
 * site.h - the network of sites: one center, sub-centers, regional centers
 * and hospitals, as a tree. A site's scope is itself and every site below it.
 */
#ifndef OB_SITE_H
#define OB_SITE_H

#include "bank/audit.h"
#include "bank/ctx.h"
#include "base/buf.h"

#include <stdint.h>

#define OB_SITE_CODE_MAX 33

/* Adds a site. kind: "center", "sub-center", "regional", "hospital";
 * parent: code of the parent site (NULL only for the center). A child's
 * kind must rank below its parent's. OB_EEXISTS when the code is taken. */
int ob_site_add(const ob_ctx *cx, const char *code, const char *name, const char *kind,
                const char *parent, int64_t *id_out);

/* Looks a site up by code: its id and materialised path ("/NCC/REG01/";
 * path may be NULL, else at least 512 bytes). */
int ob_site_lookup(const ob_ctx *cx, const char *code, int64_t *id, char *path);

/* Appends the sites as a JSON array [{"code","name","kind","parent"}] or,
 * when json is false, as aligned text lines; under is a site code whose
 * subtree to list, or NULL for all. */
int ob_site_list(const ob_ctx *cx, const char *under, int json, ob_buf *out);

/* Normalises a kind word ("regional center", "sub_center", ...) to the stored
 * spelling; NULL when unknown. */
const char *ob_site_kind(const char *word);

extern const ob_audit_entity ob_site_audit;

#endif
