/*
 * ctx.h - who acts, and on which store: the first argument of every domain
 * function that reads or changes the biobank.
 */
#ifndef OB_CTX_H
#define OB_CTX_H

typedef struct ob_store ob_store;

/* Roles, as bits so that a set of them is a mask (see access.h). */
enum {
	OB_ROLE_ADMIN = 1,        /* administrator */
	OB_ROLE_MANAGER = 2,      /* biobank manager */
	OB_ROLE_TECHNICIAN = 4,
	OB_ROLE_PATHOLOGIST = 8,
	OB_ROLE_RESEARCHER = 16,
	OB_ROLE_AUDITOR = 32,
	OB_ROLE_STUDY = 64        /* study researcher: no site role; sees the
	                             studies they are a member of and their
	                             specimens only (docs/studies.md) */
};

typedef struct ob_ctx {
	ob_store *st;
	const char *actor;       /* user name recorded in the audit trail */
	const char *actor_site;  /* the actor's site code, or NULL */
	unsigned role;           /* one OB_ROLE_*; 0: the local operator of the
	                            database file (command line without an
	                            account), who may do everything */
	const char *scope;       /* the actor's site path ("/NCC/REG01/"): they act
	                            on that site and the sites below it; NULL or
	                            "" with role 0, or for the center */
	const char *reason;      /* why: recorded with the audit events written
	                            while it is set (a distribution's project, a
	                            destruction's cause); NULL when none */
	/* The request this context serves, recorded with a refusal (access.h):
	 * never a token, a password or a query string. */
	const char *method;      /* "GET", "POST", ...; "cli" on the command line */
	const char *path;        /* "/api/specimens/OB..."; the command words */
	const char *client;      /* the client's address; "local" on the command line */
} ob_ctx;

#endif
