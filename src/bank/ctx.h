/*
 * ctx.h - who acts, and on which store: the first argument of every domain
 * function that reads or changes the biobank.
 */
#ifndef OB_CTX_H
#define OB_CTX_H

typedef struct ob_store ob_store;

typedef struct ob_ctx {
	ob_store *st;
	const char *actor;       /* user name recorded in the audit trail */
	const char *actor_site;  /* the actor's site code, or NULL */
	const char *reason;      /* why: recorded with the audit events written
	                            while it is set (a distribution's project, a
	                            destruction's cause); NULL when none */
} ob_ctx;

#endif
