/* dn.c - distinguished names as Apigee prints them (Java's "CN=x, O=\"a,
 * b\"") against GnuTLS's RFC 4514 text ("CN=x,O=a\, b"): the same name when
 * the same attribute=value pairs appear, in any order.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_apigee.h"

#include <string.h>

#define DN_MAX_PARTS 32

/* Java and GnuTLS spell a few attribute types differently. */
static const char *type_alias(const char *t)
{
    if (!strcmp(t, "emailaddress"))
        return "email";
    if (!strcmp(t, "s"))
        return "st";
    return t;
}

/* One "type=value" with quotes and escapes undone, lower case. */
static char *normal_part(const char *part)
{
    const char *eq = strchr(part, '=');
    if (!eq)
        return NULL;
    char *raw_type = g_strndup(part, eq - part);
    char *type = g_ascii_strdown(g_strstrip(raw_type), -1);
    g_free(raw_type);
    GString *v = g_string_new(NULL);
    for (const char *p = eq + 1; *p; p++) {
        if (*p == '\\' && p[1])
            g_string_append_c(v, *++p);
        else if (*p != '"')
            g_string_append_c(v, *p);
    }
    char *value = g_ascii_strdown(g_strstrip(v->str), -1);
    char *out = g_strdup_printf("%s=%s", type_alias(g_strstrip(type)), value);
    g_free(type);
    g_free(value);
    g_string_free(v, TRUE);
    return out;
}

/* Splits at separators outside quotes and escapes; NULL if too many parts. */
static GPtrArray *dn_parts(const char *dn)
{
    GPtrArray *parts = g_ptr_array_new_with_free_func(g_free);
    gboolean quoted = FALSE;
    const char *start = dn;
    for (const char *p = dn;; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            continue;
        }
        if (*p == '"')
            quoted = !quoted;
        if (*p && (quoted || (*p != ',' && *p != '+' && *p != ';')))
            continue;
        char *raw = g_strndup(start, p - start);
        char *part = normal_part(raw);
        g_free(raw);
        if (part)
            g_ptr_array_add(parts, part);
        if (!*p || parts->len > DN_MAX_PARTS)
            break;
        start = p + 1;
    }
    if (parts->len > DN_MAX_PARTS) {
        g_ptr_array_free(parts, TRUE);
        return NULL;
    }
    return parts;
}

static gint by_text(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

gboolean apg_dn_equal(const char *a, const char *b)
{
    if (!a || !b)
        return FALSE;
    GPtrArray *pa = dn_parts(a), *pb = dn_parts(b);
    gboolean same = pa && pb && pa->len && pa->len == pb->len;
    if (same) {
        g_ptr_array_sort(pa, by_text);
        g_ptr_array_sort(pb, by_text);
        for (guint i = 0; same && i < pa->len; i++)
            same = !strcmp(pa->pdata[i], pb->pdata[i]);
    }
    if (pa)
        g_ptr_array_free(pa, TRUE);
    if (pb)
        g_ptr_array_free(pb, TRUE);
    return same;
}
