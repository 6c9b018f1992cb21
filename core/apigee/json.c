/* json.c - the JSON documents of an export file, parsed by json-glib, each object
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

/* --- the documents of a file ------------------------------------------------ */

/* json-glib reads a file of several documents one after the other ({...}{...},
 * what `curl ... >> all.json` makes) without an error and gives only the first
 * as its root: each object or array the parser ends at the top level is kept
 * here, so that every document is read. */
typedef struct {
    guint depth;
    GPtrArray *nodes; /* JsonNode *, one per top-level object or array */
} apg_json_docs;

static void on_container_start(JsonParser *parser, gpointer user)
{
    (void)parser;
    ((apg_json_docs *)user)->depth++;
}

static gboolean at_top_level_end(apg_json_docs *docs)
{
    return docs->depth && --docs->depth == 0;
}

static void on_object_end(JsonParser *parser, JsonObject *object, gpointer user)
{
    (void)parser;
    if (at_top_level_end(user))
        g_ptr_array_add(((apg_json_docs *)user)->nodes,
                        json_node_init_object(json_node_alloc(), object));
}

static void on_array_end(JsonParser *parser, JsonArray *array, gpointer user)
{
    (void)parser;
    if (at_top_level_end(user))
        g_ptr_array_add(((apg_json_docs *)user)->nodes,
                        json_node_init_array(json_node_alloc(), array));
}

static void collect_documents(JsonParser *parser, apg_json_docs *docs)
{
    g_signal_connect(parser, "object-start", G_CALLBACK(on_container_start), docs);
    g_signal_connect(parser, "array-start", G_CALLBACK(on_container_start), docs);
    g_signal_connect(parser, "object-end", G_CALLBACK(on_object_end), docs);
    g_signal_connect(parser, "array-end", G_CALLBACK(on_array_end), docs);
}

/* A file counts as read when one of its documents had a shape we know, or is
 * an empty list ([]: a list with nothing in it, not another shape). */
static void read_documents(apg_apigee *a, GPtrArray *nodes, const char *file,
                           const apg_apigee_limits *limits)
{
    apg_doc d;
    apg_doc_init(&d, a, file, limits);
    gboolean empty_list = FALSE;
    for (guint i = 0; i < nodes->len; i++) {
        JsonNode *node = nodes->pdata[i];
        if (JSON_NODE_HOLDS_OBJECT(node)) {
            read_object(&d, json_node_get_object(node), 0);
        } else {
            JsonArray *arr = json_node_get_array(node);
            empty_list |= json_array_get_length(arr) == 0;
            read_array(&d, arr, 0);
        }
    }
    if (d.found || empty_list)
        a->files_read++;
    else
        a->files_ignored++;
    apg_doc_clear(&d);
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
    apg_json_docs docs = {0, g_ptr_array_new_with_free_func((GDestroyNotify)json_node_unref)};
    collect_documents(parser, &docs);
    GError *err = NULL;
    if (!json_parser_load_from_data(parser, data, (gssize)len, &err)) {
        apg_apigee_problem(a, limits, "%s: not valid JSON (%s)", file, err->message);
        g_error_free(err);
    } else {
        read_documents(a, docs.nodes, file, limits);
    }
    g_ptr_array_free(docs.nodes, TRUE);
    g_object_unref(parser);
}
