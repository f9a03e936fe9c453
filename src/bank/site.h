/*
 * site.h - the network of sites: one center, sub-centers, regional centers
 * and hospitals, as a tree. A site's scope is itself and every site below it.
 */
#ifndef OB_SITE_H
#define OB_SITE_H

#include "bank/audit.h"
#include "bank/ctx.h"
#include "bank/record.h"

#include <stdint.h>

#define OB_SITE_CODE_MAX 33

/* A site's fields, in the order of its canonical audit row. retired is the
 * day the site was taken out of service (NULL while in service): a retired
 * site takes no new donors, specimens or containers; its records stay
 * readable. */
#define OB_SITE_FIELDS(X) \
	X(code, TEXT, "s.code", OB_F_ROW | OB_F_AUDIT) \
	X(name, TEXT, "s.name", OB_F_ROW | OB_F_AUDIT | OB_F_FIX) \
	X(kind, TEXT, "s.kind", OB_F_ROW | OB_F_AUDIT) \
	X(parent, TEXT, "p.code", OB_F_ROW | OB_F_AUDIT | OB_F_FIX) \
	X(retired, TEXT, "s.retired", OB_F_ROW | OB_F_AUDIT | OB_F_FIX)

typedef struct ob_site_record {
	OB_SITE_FIELDS(OB_RECORD_MEMBER)
} ob_site_record;

extern const ob_field ob_site_fields[];

/* Adds a site. kind: "center", "sub-center", "regional", "hospital";
 * parent: code of the parent site (NULL only for the center). A child's
 * kind must rank below its parent's. OB_EEXISTS when the code is taken. */
int ob_site_add(const ob_ctx *cx, const char *code, const char *name, const char *kind,
                const char *parent, int64_t *id_out);

/* Looks a site up by code: its id and materialised path ("/NCC/REG01/";
 * path may be NULL, else at least 512 bytes). */
int ob_site_lookup(const ob_ctx *cx, const char *code, int64_t *id, char *path);

/* Calls cb for each site in tree order (by path): the subtree of the site
 * under (a code), or every site when under is NULL. depth is the site's
 * level below the center (0: the center). r borrows its texts for the call
 * only. A non-zero return from cb stops the walk and is returned. */
typedef int (*ob_site_cb)(const ob_site_record *r, int depth, void *arg);
int ob_site_list(const ob_ctx *cx, const char *under, ob_site_cb cb, void *arg);

/* Normalises a kind word ("regional center", "sub_center", ...) to the stored
 * spelling; NULL when unknown. */
const char *ob_site_kind(const char *word);

/* The site by code into *out (owned: ob_record_release(ob_site_fields,
 * out)). Site codes and names are the network's public structure: no scope
 * applies. OB_ENOTFOUND "code: no site has code 'X'". */
int ob_site_get(const ob_ctx *cx, const char *code, ob_site_record *out);

/* Corrects a site: name, parent (moves it with every site below it; their
 * paths, and so every scope check, follow), retired ("yes"/"true" or a
 * date retires it, that day or today; "no"/"false"/"" puts it back in
 * service). A site sits below a site of higher rank, never below itself;
 * the center has no parent; a site is retired only when every site below
 * it is, and is put back in service only below a site in service. Needs
 * OB_ACT_SITE on the site and on a new parent. Audited ("correct", with
 * the reason). OB_EINVALID naming the field otherwise (record.h). */
int ob_site_correct(const ob_ctx *cx, const char *code, const ob_change *ch, size_t n,
                    const char *reason);

/* 0 when the site site_id takes new records; OB_ECONFLICT "FIELD: site X is
 * retired ..." when it is retired. */
int ob_site_in_service(const ob_ctx *cx, int64_t site_id, const char *field);
/* The same refusal for site code retired on day retired (a lookup that
 * read the site already). */
int ob_site_retired_error(const char *field, const char *code, const char *retired);

/* The per-field history of a site (audit.h ob_audit_changes), within the
 * caller's read scope (OB_EPERM outside it: sites are named openly). */
int ob_site_changes(const ob_ctx *cx, const char *code, ob_audit_change_cb cb, void *arg);

extern const ob_audit_entity ob_site_audit;

#endif
