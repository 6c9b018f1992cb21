/* model.c - the configuration read from an export: its lifetime, product,
 * references and store lookups.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_apigee.h"

#include "apg_apigee_advice.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const apg_apigee_limits apg_apigee_default_limits = {
    .max_entries = 20000,
    .max_depth = 8,
    .max_file = 8u << 20,
    .max_total = 256u << 20,
    .max_nesting = 64,
    .max_problems = 50,
};

static void origin_clear(apg_origin *o)
{
    g_free(o->file);
    g_free(o->env);
}

static void ssl_info_clear(apg_ssl_info *s)
{
    g_free(s->key_store);
    g_free(s->key_alias);
    g_free(s->trust_store);
    g_free(s->common_name);
    if (s->protocols)
        g_ptr_array_free(s->protocols, TRUE);
    if (s->ciphers)
        g_ptr_array_free(s->ciphers, TRUE);
}

static void target_server_free(gpointer p)
{
    apg_target_server *t = p;
    origin_clear(&t->from);
    g_free(t->name);
    g_free(t->host);
    ssl_info_clear(&t->ssl);
    g_free(t);
}

static void virtual_host_free(gpointer p)
{
    apg_virtual_host *v = p;
    origin_clear(&v->from);
    g_free(v->name);
    if (v->host_aliases)
        g_ptr_array_free(v->host_aliases, TRUE);
    ssl_info_clear(&v->ssl);
    g_free(v->ssl_ciphers);
    g_free(v->ssl_protocols);
    g_free(v);
}

static void store_cert_free(gpointer p)
{
    apg_store_cert *c = p;
    origin_clear(&c->from);
    g_free(c->store);
    g_free(c->alias);
    g_free(c->cert_name);
    g_free(c->subject);
    g_free(c->issuer);
    g_free(c->serial);
    g_free(c);
}

static void reference_free(gpointer p)
{
    apg_reference *r = p;
    origin_clear(&r->from);
    g_free(r->name);
    g_free(r->refers);
    g_free(r);
}

apg_apigee *apg_apigee_new(void)
{
    apg_apigee *a = g_new0(apg_apigee, 1);
    a->target_servers = g_ptr_array_new_with_free_func(target_server_free);
    a->virtual_hosts = g_ptr_array_new_with_free_func(virtual_host_free);
    a->certs = g_ptr_array_new_with_free_func(store_cert_free);
    a->stores = g_ptr_array_new_with_free_func(g_free);
    a->references = g_ptr_array_new_with_free_func(reference_free);
    a->problems = g_ptr_array_new_with_free_func(g_free);
    a->notes = g_ptr_array_new_with_free_func(g_free);
    a->cert_links = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    a->cert_cache = apg_cert_cache_new();
    return a;
}

void apg_apigee_free(apg_apigee *a)
{
    if (!a)
        return;
    g_ptr_array_free(a->target_servers, TRUE);
    g_ptr_array_free(a->virtual_hosts, TRUE);
    g_ptr_array_free(a->certs, TRUE);
    g_ptr_array_free(a->stores, TRUE);
    g_ptr_array_free(a->references, TRUE);
    g_ptr_array_free(a->problems, TRUE);
    g_ptr_array_free(a->notes, TRUE);
    g_ptr_array_free(a->cert_links, TRUE);
    apg_cert_cache_free(a->cert_cache);
    g_free(a->folder);
    apg_apigee_index_free(a->index);
    g_free(a);
}

void apg_apigee_problem(apg_apigee *a, const apg_apigee_limits *limits, const char *fmt, ...)
{
    guint max = limits ? limits->max_problems : apg_apigee_default_limits.max_problems;
    if (a->problems->len > max)
        return;
    if (a->problems->len == max) {
        g_ptr_array_add(a->problems, g_strdup("more problems in the Apigee configuration "
                                              "(only the first ones are listed)"));
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    g_ptr_array_add(a->problems, g_strdup_vprintf(fmt, ap));
    va_end(ap);
}

static const struct {
    apg_product product;
    const char *token;
} products[] = {
    {APG_PRODUCT_EDGE_OPDK, "edge-opdk"},
    {APG_PRODUCT_EDGE_CLOUD, "edge-cloud"},
    {APG_PRODUCT_X, "x"},
    {APG_PRODUCT_HYBRID, "hybrid"},
};

const char *apg_product_name(apg_product p)
{
    switch (p) {
    case APG_PRODUCT_EDGE_OPDK: return "Edge for Private Cloud";
    case APG_PRODUCT_EDGE_CLOUD: return "Edge (public cloud)";
    case APG_PRODUCT_X: return "Apigee X";
    case APG_PRODUCT_HYBRID: return "Apigee hybrid";
    default: return "Apigee (product not set)";
    }
}

/* "4.53", "4.53.01" after "edge-opdk-". */
static gboolean parse_version(const char *text, guint v[3])
{
    unsigned a = 0, b = 0, c = 0;
    char tail = 0;
    int n = sscanf(text, "%u.%u.%u%c", &a, &b, &c, &tail);
    if ((n != 2 && n != 3) || a > 99 || b > 99 || c > 99)
        return FALSE;
    v[0] = a, v[1] = b, v[2] = c;
    return TRUE;
}

gboolean apg_apigee_set_product(apg_apigee *a, const char *text)
{
    a->product = APG_PRODUCT_UNSET;
    memset(a->version, 0, sizeof a->version);
    if (!text || !*text)
        return TRUE;
    for (guint i = 0; i < G_N_ELEMENTS(products); i++) {
        size_t n = strlen(products[i].token);
        if (g_ascii_strncasecmp(text, products[i].token, n))
            continue;
        if (!text[n]) {
            a->product = products[i].product;
            return TRUE;
        }
        if (products[i].product == APG_PRODUCT_EDGE_OPDK && text[n] == '-' &&
            parse_version(text + n + 1, a->version)) {
            a->product = products[i].product;
            return TRUE;
        }
    }
    return FALSE;
}

gboolean apg_apigee_version_at_least(const apg_apigee *a, guint major, guint minor)
{
    if (!a->version[0])
        return FALSE;
    return a->version[0] > major || (a->version[0] == major && a->version[1] >= minor);
}

static gboolean same_env(const char *want, const char *have)
{
    return !want || !have || !strcmp(want, have);
}

const char *apg_apigee_resolve(const apg_apigee *a, const char *name, const char *env)
{
    if (!name || strncmp(name, "ref://", 6))
        return name;
    const char *ref = name + 6;
    for (guint i = 0; i < a->references->len; i++) {
        const apg_reference *r = a->references->pdata[i];
        if (r->name && !strcmp(r->name, ref) && same_env(env, r->from.env) && r->refers)
            return r->refers;
    }
    return NULL; /* a reference the export does not resolve */
}

GPtrArray *apg_apigee_store_certs(const apg_apigee *a, const char *store, const char *alias,
                                  const char *env)
{
    GPtrArray *out = g_ptr_array_new();
    for (guint i = 0; store && i < a->certs->len; i++) {
        const apg_store_cert *c = a->certs->pdata[i];
        if (!c->store || strcmp(c->store, store) || !same_env(env, c->from.env))
            continue;
        if (alias && !(c->alias && !strcmp(c->alias, alias)) &&
            !(c->cert_name && !strcmp(c->cert_name, alias)))
            continue;
        g_ptr_array_add(out, (gpointer)c);
    }
    return out;
}

gboolean apg_apigee_has_store(const apg_apigee *a, const char *store)
{
    for (guint i = 0; store && i < a->stores->len; i++)
        if (!strcmp(a->stores->pdata[i], store))
            return TRUE;
    return FALSE;
}

/* "07:BC:a7" and "0007bca7" alike. */
static gboolean same_serial(const char *a, const char *b)
{
    while (*a == '0')
        a++;
    while (*b == '0')
        b++;
    return a[0] && !g_ascii_strcasecmp(a, b);
}

const apg_store_cert *apg_apigee_find_cert(const apg_apigee *a, const GPtrArray *in,
                                           const apg_cert *wire)
{
    (void)a;
    if (!wire || wire->malformed || !wire->serial)
        return NULL;
    char *serial = g_ascii_strdown(wire->serial, -1);
    const apg_store_cert *found = NULL;
    for (guint i = 0; !found && i < in->len; i++) {
        const apg_store_cert *c = in->pdata[i];
        if (c->serial && same_serial(c->serial, serial) &&
            (!c->not_after || c->not_after == wire->not_after))
            found = c;
    }
    g_free(serial);
    return found;
}

void apg_apigee_finish(apg_apigee *a)
{
    apg_apigee_index_free(a->index);
    a->index = apg_apigee_index_new(a);
    for (guint i = 0; i < a->certs->len; i++) {
        apg_store_cert *c = a->certs->pdata[i];
        for (guint j = 0; !c->alias && c->cert_name && j < a->cert_links->len; j++) {
            char **link = a->cert_links->pdata[j];
            if (c->store && !strcmp(link[0], c->store) && !strcmp(link[1], c->cert_name))
                c->alias = g_strdup(link[2]);
        }
    }
}

char *apg_list_text(const GPtrArray *list)
{
    if (!list || !list->len)
        return g_strdup("unset");
    GString *s = g_string_new("[");
    for (guint i = 0; i < list->len; i++)
        g_string_append_printf(s, "%s%s", i ? ", " : "", (const char *)list->pdata[i]);
    g_string_append_c(s, ']');
    return g_string_free(s, FALSE);
}
