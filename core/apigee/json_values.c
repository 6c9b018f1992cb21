/* json_values.c - what a document's path says (environment, store, the
 * name its file gives), and json-glib values read within bounds as exports
 * spell them (booleans and numbers as strings too).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "json_read.h"

#include <string.h>

/* --- what the path says --------------------------------------------------- */

static char *after(char **parts, guint i, guint n)
{
    return i + 1 < n && parts[i + 1][0] ? g_strdup(parts[i + 1]) : NULL;
}

void apg_doc_init(apg_doc *d, apg_apigee *a, const char *file, const apg_apigee_limits *limits)
{
    memset(d, 0, sizeof *d);
    d->a = a;
    d->limits = limits;
    d->file = file;
    char **parts = g_strsplit(file, "/", 64);
    guint n = g_strv_length(parts);
    for (guint i = 0; i + 1 < n; i++) { /* the last part is the file itself */
        if (!d->env && (!strcmp(parts[i], "environments") || !strcmp(parts[i], "env")) && i + 2 < n)
            d->env = after(parts, i, n);
        if (!d->store && (!strcmp(parts[i], "keystores") || !strcmp(parts[i], "truststores")) &&
            i + 2 < n)
            d->store = after(parts, i, n);
    }
    const char *base = n ? parts[n - 1] : file;
    const char *dot = strrchr(base, '.');
    d->leaf = g_strndup(base, dot && dot != base ? (gsize)(dot - base) : strlen(base));
    g_strfreev(parts);
}

void apg_doc_clear(apg_doc *d)
{
    g_free(d->env);
    g_free(d->store);
    g_free(d->leaf);
}

apg_origin apg_doc_origin(const apg_doc *d, JsonObject *o)
{
    char *env = apg_json_string(o, "environment");
    return (apg_origin){g_strdup(d->file), env ? env : g_strdup(d->env)};
}

/* --- values ---------------------------------------------------------------- */

JsonNode *apg_json_member(JsonObject *o, const char *name)
{
    if (!o)
        return NULL;
    JsonNode *n = json_object_get_member(o, name);
    if (n)
        return n;
    JsonObjectIter it;
    const char *key;
    json_object_iter_init(&it, o);
    while (json_object_iter_next(&it, &key, &n))
        if (!g_ascii_strcasecmp(key, name))
            return n;
    return NULL;
}

JsonObject *apg_json_object(JsonObject *o, const char *name)
{
    JsonNode *n = apg_json_member(o, name);
    return n && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

static char *bounded(const char *s)
{
    gsize len = strlen(s);
    char *cut = g_strndup(s, MIN(len, APG_JSON_MAX_STRING));
    char *valid = g_utf8_make_valid(cut, -1);
    g_free(cut);
    return valid;
}

static char *node_text(JsonNode *n)
{
    if (!n || !JSON_NODE_HOLDS_VALUE(n))
        return NULL;
    switch (json_node_get_value_type(n)) {
    case G_TYPE_STRING: return bounded(json_node_get_string(n));
    case G_TYPE_INT64: return g_strdup_printf("%" G_GINT64_FORMAT, json_node_get_int(n));
    case G_TYPE_BOOLEAN: return g_strdup(json_node_get_boolean(n) ? "true" : "false");
    default: return NULL;
    }
}

char *apg_json_string(JsonObject *o, const char *name)
{
    return node_text(apg_json_member(o, name));
}

apg_tri apg_json_tri(JsonObject *o, const char *name)
{
    char *t = apg_json_string(o, name);
    apg_tri v = !t                                ? APG_TRI_UNSET
                : !g_ascii_strcasecmp(t, "true")  ? APG_TRI_TRUE
                : !g_ascii_strcasecmp(t, "false") ? APG_TRI_FALSE
                                                  : APG_TRI_UNSET;
    g_free(t);
    return v;
}

static gboolean parse_u64(const char *t, guint64 max, guint64 *out)
{
    return t && g_ascii_string_to_unsigned(t, 10, 0, max, out, NULL);
}

guint apg_json_port(JsonObject *o, const char *name)
{
    char *t = apg_json_string(o, name);
    guint64 v = 0;
    if (!parse_u64(t, 65535, &v))
        v = 0;
    g_free(t);
    return (guint)v;
}

gint64 apg_json_epoch_ms(JsonObject *o, const char *name)
{
    char *t = apg_json_string(o, name);
    guint64 v = 0;
    if (!parse_u64(t, G_GUINT64_CONSTANT(253402300799999), &v)) /* up to year 9999 */
        v = 0;
    g_free(t);
    return (gint64)(v / 1000);
}

GPtrArray *apg_json_strings(JsonObject *o, const char *name)
{
    JsonNode *n = apg_json_member(o, name);
    if (!n)
        return NULL;
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    if (JSON_NODE_HOLDS_ARRAY(n)) {
        JsonArray *arr = json_node_get_array(n);
        guint len = MIN(json_array_get_length(arr), APG_JSON_MAX_LIST);
        for (guint i = 0; i < len; i++) {
            char *t = node_text(json_array_get_element(arr, i));
            if (t)
                g_ptr_array_add(out, t);
        }
    } else if (JSON_NODE_HOLDS_OBJECT(n)) { /* {"protocol": [...]}, as XML turned JSON */
        JsonObjectIter it;
        const char *key;
        JsonNode *inner;
        json_object_iter_init(&it, json_node_get_object(n));
        if (json_object_iter_next(&it, &key, &inner)) {
            g_ptr_array_free(out, TRUE);
            return apg_json_strings(json_node_get_object(n), key);
        }
    } else {
        char *t = node_text(n);
        if (t)
            g_ptr_array_add(out, t);
    }
    return out;
}
