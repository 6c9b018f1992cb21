/* json.c - one JSON document of an export, parsed by json-glib, each object
 * handed to the shape it has (json_shapes.c; values read by json_values.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "json_read.h"

#include <stdlib.h>
#include <string.h>

/* --- the document ---------------------------------------------------------- */

/* json-glib recurses per level: depth is checked on the bytes first. */
static gboolean nesting_ok(const char *data, gsize len, guint max)
{
    guint depth = 0;
    gboolean in_string = FALSE;
    for (gsize i = 0; i < len; i++) {
        char c = data[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = FALSE;
        } else if (c == '"') {
            in_string = TRUE;
        } else if (c == '[' || c == '{') {
            if (++depth > max)
                return FALSE;
        } else if ((c == ']' || c == '}') && depth) {
            depth--;
        }
    }
    return TRUE;
}

static void read_object(apg_doc *d, JsonObject *o, guint level);

static void read_array(apg_doc *d, JsonArray *arr, guint level)
{
    guint len = json_array_get_length(arr);
    for (guint i = 0; i < len; i++) {
        JsonNode *n = json_array_get_element(arr, i);
        if (JSON_NODE_HOLDS_OBJECT(n))
            read_object(d, json_node_get_object(n), level);
    }
}

/* An object of one shape, or a wrapper around arrays of them
 * ({"targetServer": [...]}, a list response), two levels at most. */
static void read_object(apg_doc *d, JsonObject *o, guint level)
{
    if (apg_read_target_server(d, o) || apg_read_virtual_host(d, o) || apg_read_certs(d, o) ||
        apg_read_reference(d, o) || apg_read_store(d, o)) {
        d->found++;
        return;
    }
    if (level >= 2)
        return;
    JsonObjectIter it;
    const char *key;
    JsonNode *n;
    json_object_iter_init(&it, o);
    while (json_object_iter_next(&it, &key, &n))
        if (JSON_NODE_HOLDS_ARRAY(n))
            read_array(d, json_node_get_array(n), level + 1);
}

void apg_apigee_read_json(apg_apigee *a, const char *data, gsize len, const char *file,
                          const apg_apigee_limits *limits)
{
    if (!limits)
        limits = &apg_apigee_default_limits;
    if (!nesting_ok(data, len, limits->max_nesting)) {
        apg_apigee_problem(a, limits, "%s: JSON nested deeper than %u levels: not read", file,
                           limits->max_nesting);
        return;
    }
    /* Not json_parser_new_immutable(): json-glib 1.10 (Debian 13) then aborts
     * in json_parser_get_root() on a file of two documents, whose first root
     * it leaves unsealed (found by fuzz_apigee on trixie). */
    JsonParser *parser = json_parser_new();
    GError *err = NULL;
    if (!json_parser_load_from_data(parser, data, (gssize)len, &err)) {
        apg_apigee_problem(a, limits, "%s: not valid JSON (%s)", file, err->message);
        g_error_free(err);
        g_object_unref(parser);
        return;
    }
    apg_doc d;
    apg_doc_init(&d, a, file, limits);
    JsonNode *root = json_parser_get_root(parser);
    if (root && JSON_NODE_HOLDS_OBJECT(root))
        read_object(&d, json_node_get_object(root), 0);
    else if (root && JSON_NODE_HOLDS_ARRAY(root))
        read_array(&d, json_node_get_array(root), 0);
    gboolean empty_list =
        root && JSON_NODE_HOLDS_ARRAY(root) && !json_array_get_length(json_node_get_array(root));
    if (d.found || empty_list) /* [] is a list with nothing in it, not another shape */
        a->files_read++;
    else
        a->files_ignored++;
    apg_doc_clear(&d);
    g_object_unref(parser);
}
