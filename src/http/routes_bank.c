/*
 * routes_bank.c - the biobank's routes: sites, donors, specimens,
 * containers, import and export, labels, statistics (docs/api.md).
 */
#include "http/http.h"

#include <stddef.h>

const ob_http_route ob_http_routes_bank[] = {
	{ NULL, NULL, NULL, 0, 0, NULL }
};
