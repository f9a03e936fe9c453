/*
 * study_internal.h - what study.c and study_worklist.c share; not for
 * callers outside src/bank.
 */
#ifndef OB_STUDY_INTERNAL_H
#define OB_STUDY_INTERNAL_H

#include "bank/access.h"
#include "bank/ctx.h"

#include <stddef.h>
#include <stdint.h>

/* The study called key (code, else exact title) for act: the role is
 * checked first (a study researcher reads without OB_ACT_READ); a study
 * researcher reaches only the studies they are a member of, another is
 * answered as absent: OB_ENOTFOUND "FIELD: no study 'X'". status (may be
 * NULL) gets its status. */
int ob_study_lookup(const ob_ctx *cx, ob_action act, const char *field, const char *key,
                    int64_t *id, char *status, size_t n);

/* 0 when ppid matches format whole (NULL or "": any); OB_EINVALID
 * "ppid: 'X' does not match the study's format 'F'". */
int ob_study_ppid_check(const char *format, const char *ppid);

#endif
