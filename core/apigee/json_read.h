/* json_read.h - bounded readers of json-glib nodes as exports spell values
 * (booleans and numbers as strings too), and what a file's path says
 * (environment, store, the name its file gives it). Inside core/apigee only.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_APIGEE_JSON_READ_H
#define APG_APIGEE_JSON_READ_H

#include <json-glib/json-glib.h>

#include "apg_apigee.h"

#define APG_JSON_MAX_STRING 2048 /* longer strings are cut */
#define APG_JSON_MAX_LIST   256  /* items kept of a list (protocols, aliases) */

/* One document being read. */
typedef struct {
    apg_apigee *a;
    const apg_apigee_limits *limits;
    const char *file; /* as given, UTF-8 */
    char *env;        /* from the path, or NULL */
    char *store;      /* keystores/<ks>/..., truststores/<ts>/... */
    char *leaf;       /* the file's name without its extension */
    guint found;      /* things read from the document */
} apg_doc;

void apg_doc_init(apg_doc *d, apg_apigee *a, const char *file, const apg_apigee_limits *limits);
void apg_doc_clear(apg_doc *d);
apg_origin apg_doc_origin(const apg_doc *d, JsonObject *o);

/* A member by name, exact or in another case ("SSLInfo" for "sSLInfo"). */
JsonNode *apg_json_member(JsonObject *o, const char *name);
JsonObject *apg_json_object(JsonObject *o, const char *name);
/* A string (or a number written as one), bounded, valid UTF-8; g_free. */
char *apg_json_string(JsonObject *o, const char *name);
apg_tri apg_json_tri(JsonObject *o, const char *name);
/* 0..65535 from a number or a numeric string; 0 when absent or invalid. */
guint apg_json_port(JsonObject *o, const char *name);
/* Epoch milliseconds (number or string) as seconds; 0 when absent. */
gint64 apg_json_epoch_ms(JsonObject *o, const char *name);
/* An array of strings (or one string); NULL when absent. */
GPtrArray *apg_json_strings(JsonObject *o, const char *name);

/* The shapes (json_shapes.c): each reads an object if it has that shape. */
gboolean apg_read_target_server(apg_doc *d, JsonObject *o);
gboolean apg_read_virtual_host(apg_doc *d, JsonObject *o);
gboolean apg_read_certs(apg_doc *d, JsonObject *o);
gboolean apg_read_store(apg_doc *d, JsonObject *o);
gboolean apg_read_reference(apg_doc *d, JsonObject *o);

#endif /* APG_APIGEE_JSON_READ_H */
