/* match.c - which TargetServer (southbound) or virtual host (northbound) a
 * handshake ran under: by the name the client asked for and the port, by
 * address when the host is an IP, by the certificate's names; by the port
 * alone when nothing names the server (the count of entries on that port
 * says whether that is a guess).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_apigee_advice.h"

#include <string.h>

static const struct {
    const char *token, *text;
} hows[] = {
    [APG_MATCHED_NONE] = {"none", "nothing in the configuration matched"},
    [APG_MATCHED_SNI] = {"sni_port", "by the server_name the client sent and the port"},
    [APG_MATCHED_ADDRESS] = {"address_port", "by the server's IP address and port"},
    [APG_MATCHED_CERT_NAME] = {"cert_name_port",
                               "by a name of the server's certificate and the port (no SNI)"},
    [APG_MATCHED_PORT] = {"port", "by the port alone (no SNI or certificate name to go by)"},
};

const char *apg_match_how_text(apg_match_how how)
{
    return hows[how].text;
}

const char *apg_match_how_token(apg_match_how how)
{
    return hows[how].token;
}

const char *apg_match_env(const apg_apigee_match *m)
{
    return m->ts ? m->ts->from.env : m->vh ? m->vh->from.env : NULL;
}

const char *apg_match_name(const apg_apigee_match *m)
{
    return m->ts ? m->ts->name : m->vh ? m->vh->name : NULL;
}

/* "*.example.com" covers one label. */
static gboolean name_covers(const char *pattern, const char *host)
{
    if (!pattern || !host)
        return FALSE;
    if (!g_ascii_strcasecmp(pattern, host))
        return TRUE;
    if (strncmp(pattern, "*.", 2))
        return FALSE;
    const char *dot = strchr(host, '.');
    return dot && dot != host && !g_ascii_strcasecmp(pattern + 1, dot);
}

static gboolean cert_names(const apg_cert *leaf, const char *host)
{
    if (!leaf || leaf->malformed)
        return FALSE;
    for (guint i = 0; leaf->san_dns && i < leaf->san_dns->len; i++)
        if (name_covers(leaf->san_dns->pdata[i], host))
            return TRUE;
    return !leaf->n_sans && !leaf->cn_has_nul && name_covers(leaf->cn, host);
}

static gboolean host_is_address(const char *host, const apg_endpoint *server)
{
    char *text = strchr(host, ':') ? g_strdup_printf("[%s]:%u", host, server->port)
                                   : g_strdup_printf("%s:%u", host, server->port);
    apg_endpoint ep;
    gboolean same = apg_endpoint_parse(text, &ep) && apg_endpoint_equal(&ep, server);
    g_free(text);
    return same;
}

static apg_match_how ts_how(const apg_target_server *t, const apg_match_in *in)
{
    if (!t->host || (t->port && t->port != in->server->port))
        return APG_MATCHED_NONE;
    if (in->sni && !g_ascii_strcasecmp(t->host, in->sni))
        return APG_MATCHED_SNI;
    if (host_is_address(t->host, in->server))
        return APG_MATCHED_ADDRESS;
    if (!in->sni && cert_names(in->leaf, t->host))
        return APG_MATCHED_CERT_NAME;
    return !in->sni && t->port ? APG_MATCHED_PORT : APG_MATCHED_NONE;
}

/* "api.example.com" or "api.example.com:9443". */
static gboolean alias_is(const char *alias, const char *sni, guint port)
{
    const char *colon = strrchr(alias, ':');
    if (!colon)
        return !g_ascii_strcasecmp(alias, sni);
    char *name = g_strndup(alias, colon - alias);
    gboolean same = !g_ascii_strcasecmp(name, sni) && (guint)atoi(colon + 1) == port;
    g_free(name);
    return same;
}

static apg_match_how vh_how(const apg_virtual_host *v, const apg_match_in *in)
{
    if (v->port && v->port != in->server->port)
        return APG_MATCHED_NONE;
    for (guint i = 0; in->sni && i < v->host_aliases->len; i++)
        if (alias_is(v->host_aliases->pdata[i], in->sni, in->server->port))
            return APG_MATCHED_SNI;
    return in->sni ? APG_MATCHED_NONE : APG_MATCHED_PORT;
}

/* The best way anything matched; ties counted. */
static void best_of(GPtrArray *things, gboolean servers, const apg_match_in *in,
                    apg_apigee_match *m)
{
    for (guint i = 0; i < things->len; i++) {
        apg_match_how how = servers ? ts_how(things->pdata[i], in) : vh_how(things->pdata[i], in);
        if (!how || (m->how && how > m->how))
            continue;
        if (how == m->how) {
            m->candidates++;
            continue;
        }
        m->how = how;
        m->candidates = 1;
        m->ts = servers ? things->pdata[i] : NULL;
        m->vh = servers ? NULL : things->pdata[i];
    }
}

/* --- the index: a match costs a few lookups, whatever the export's size --- */

struct apg_apigee_index {
    GHashTable *ts_by_host, *vh_by_alias; /* lower-case name -> GPtrArray of borrowed entries */
    GHashTable *ts_by_port, *vh_by_port;  /* port -> the same */
};

/* An endpoint's address as text, without the port: "127.0.2.1", "::1". */
static char *endpoint_address(const apg_endpoint *ep)
{
    char buf[APG_ENDPOINT_TEXT_LEN];
    const char *text = apg_endpoint_format(ep, buf);
    const char *colon = strrchr(text, ':');
    gboolean v6 = text[0] == '[';
    return g_strndup(text + v6, (gsize)(colon - text) - 2 * v6);
}

/* The same for a host that is an IP address literal; else NULL. */
static char *address_key(const char *host)
{
    apg_endpoint ep;
    char *text =
        strchr(host, ':') ? g_strdup_printf("[%s]:1", host) : g_strdup_printf("%s:1", host);
    gboolean ip = apg_endpoint_parse(text, &ep);
    g_free(text);
    return ip ? endpoint_address(&ep) : NULL;
}

/* Adds an entry under a key; the table owns string keys. */
static void put(GHashTable *t, gpointer key, gpointer entry, gboolean owned)
{
    GPtrArray *list = g_hash_table_lookup(t, key);
    if (!list) {
        list = g_ptr_array_new();
        g_hash_table_insert(t, key, list);
    } else if (owned) {
        g_free(key);
    }
    if (!list->len || list->pdata[list->len - 1] != entry)
        g_ptr_array_add(list, entry);
}

static void index_target_server(struct apg_apigee_index *x, apg_target_server *t)
{
    if (!t->host)
        return;
    char *addr = address_key(t->host);
    put(x->ts_by_host, addr ? addr : g_ascii_strdown(t->host, -1), t, TRUE);
    const char *dot = strchr(t->host, '.');
    if (!addr && dot && dot != t->host) { /* a wildcard certificate's name covers it */
        char *wild = g_strconcat("*", dot, NULL);
        put(x->ts_by_host, g_ascii_strdown(wild, -1), t, TRUE);
        g_free(wild);
    }
    if (t->port)
        put(x->ts_by_port, GUINT_TO_POINTER(t->port), t, FALSE);
}

static void index_virtual_host(struct apg_apigee_index *x, apg_virtual_host *v)
{
    for (guint i = 0; i < v->host_aliases->len; i++) {
        const char *alias = v->host_aliases->pdata[i];
        const char *colon = strrchr(alias, ':');
        char *name = colon ? g_strndup(alias, colon - alias) : g_strdup(alias);
        put(x->vh_by_alias, g_ascii_strdown(name, -1), v, TRUE);
        g_free(name);
    }
    put(x->vh_by_port, GUINT_TO_POINTER(v->port), v, FALSE); /* 0: any port */
}

struct apg_apigee_index *apg_apigee_index_new(const apg_apigee *a)
{
    struct apg_apigee_index *x = g_new0(struct apg_apigee_index, 1);
    GDestroyNotify list_free = (GDestroyNotify)g_ptr_array_unref;
    x->ts_by_host = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, list_free);
    x->vh_by_alias = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, list_free);
    x->ts_by_port = g_hash_table_new_full(NULL, NULL, NULL, list_free);
    x->vh_by_port = g_hash_table_new_full(NULL, NULL, NULL, list_free);
    for (guint i = 0; i < a->target_servers->len; i++)
        index_target_server(x, a->target_servers->pdata[i]);
    for (guint i = 0; i < a->virtual_hosts->len; i++)
        index_virtual_host(x, a->virtual_hosts->pdata[i]);
    return x;
}

void apg_apigee_index_free(struct apg_apigee_index *x)
{
    if (!x)
        return;
    g_hash_table_destroy(x->ts_by_host);
    g_hash_table_destroy(x->vh_by_alias);
    g_hash_table_destroy(x->ts_by_port);
    g_hash_table_destroy(x->vh_by_port);
    g_free(x);
}

static void add_list(GPtrArray *into, GHashTable *t, gconstpointer key)
{
    GPtrArray *list = key ? g_hash_table_lookup(t, key) : NULL;
    for (guint i = 0; list && i < list->len; i++)
        if (!g_ptr_array_find(into, list->pdata[i], NULL))
            g_ptr_array_add(into, list->pdata[i]);
}

static void add_name(GPtrArray *into, GHashTable *t, const char *name)
{
    char *key = name ? g_ascii_strdown(name, -1) : NULL;
    add_list(into, t, key);
    g_free(key);
}

/* The TargetServers the handshake's names and address can match (a few). */
static GPtrArray *ts_candidates(const struct apg_apigee_index *x, const apg_match_in *in)
{
    GPtrArray *c = g_ptr_array_new();
    add_name(c, x->ts_by_host, in->sni);
    char *addr = endpoint_address(in->server);
    add_list(c, x->ts_by_host, addr);
    g_free(addr);
    const apg_cert *leaf = in->leaf;
    for (guint i = 0;
         !in->sni && leaf && !leaf->malformed && leaf->san_dns && i < leaf->san_dns->len; i++)
        add_name(c, x->ts_by_host, leaf->san_dns->pdata[i]);
    if (!in->sni && leaf && !leaf->malformed && !leaf->n_sans)
        add_name(c, x->ts_by_host, leaf->cn);
    return c;
}

/* No name matched and none was sent: the port alone, counted, not walked. */
static void ts_by_port(const struct apg_apigee_index *x, const apg_match_in *in,
                       apg_apigee_match *m)
{
    GPtrArray *list = g_hash_table_lookup(x->ts_by_port, GUINT_TO_POINTER(in->server->port));
    if (in->sni || !list)
        return;
    m->how = APG_MATCHED_PORT;
    m->ts = list->pdata[0];
    m->candidates = list->len;
}

static void match_indexed(const apg_apigee *a, const apg_match_in *in, apg_apigee_match *m)
{
    const struct apg_apigee_index *x = a->index;
    if (in->direction != APG_DIRECTION_NORTHBOUND) {
        GPtrArray *c = ts_candidates(x, in);
        best_of(c, TRUE, in, m);
        g_ptr_array_free(c, TRUE);
        if (!m->how || m->how == APG_MATCHED_PORT) { /* every entry on the port counts */
            memset(m, 0, sizeof *m);
            ts_by_port(x, in, m);
        }
    }
    if (m->how || in->direction == APG_DIRECTION_SOUTHBOUND)
        return;
    if (!in->sni) { /* the port alone: counted, not walked */
        GPtrArray *on = g_hash_table_lookup(x->vh_by_port, GUINT_TO_POINTER(in->server->port));
        GPtrArray *any = g_hash_table_lookup(x->vh_by_port, GUINT_TO_POINTER(0));
        guint n = (on ? on->len : 0) + (any ? any->len : 0);
        if (n)
            *m = (apg_apigee_match){
                .vh = on ? on->pdata[0] : any->pdata[0], .how = APG_MATCHED_PORT, .candidates = n};
        return;
    }
    GPtrArray *c = g_ptr_array_new();
    add_name(c, x->vh_by_alias, in->sni);
    best_of(c, FALSE, in, m);
    g_ptr_array_free(c, TRUE);
}

apg_apigee_match apg_apigee_match_handshake(const apg_apigee *a, const apg_match_in *in)
{
    apg_apigee_match m = {0};
    if (!a || !in->server)
        return m;
    if (a->index) {
        match_indexed(a, in, &m);
        return m;
    }
    if (in->direction != APG_DIRECTION_NORTHBOUND) /* not indexed yet: every entry */
        best_of(a->target_servers, TRUE, in, &m);
    if (!m.how && in->direction != APG_DIRECTION_SOUTHBOUND)
        best_of(a->virtual_hosts, FALSE, in, &m);
    return m;
}
