/* json_shapes.c - the objects an export holds, recognised by their keys,
 * not by file names: TargetServers (Edge and X, sSLInfo or tlsInfo),
 * virtual hosts, certInfo bodies, keystore bodies and references. Unknown
 * keys are ignored.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "json_read.h"

#include <string.h>

static void add_store(apg_apigee *a, const char *name)
{
    if (name && *name && !apg_apigee_has_store(a, name))
        g_ptr_array_add(a->stores, g_strdup(name));
}

/* X: commonName {value, wildcardMatch}; deployed tlsInfo: {name, matchWildCards}. */
static void read_common_name(apg_ssl_info *s, JsonObject *o)
{
    JsonObject *cn = apg_json_object(o, "commonName");
    if (!cn)
        return;
    s->common_name = apg_json_string(cn, "value");
    if (!s->common_name)
        s->common_name = apg_json_string(cn, "name");
    s->common_name_wildcard = apg_json_tri(cn, "wildcardMatch");
    if (!s->common_name_wildcard)
        s->common_name_wildcard = apg_json_tri(cn, "matchWildCards");
}

static void read_ssl_info(apg_ssl_info *s, JsonObject *parent)
{
    JsonObject *o = apg_json_object(parent, "sSLInfo");
    if (!o)
        o = apg_json_object(parent, "tlsInfo");
    if (!o)
        return;
    s->present = TRUE;
    s->enabled = apg_json_tri(o, "enabled");
    s->client_auth = apg_json_tri(o, "clientAuthEnabled");
    s->ignore_validation = apg_json_tri(o, "ignoreValidationErrors");
    s->enforce = apg_json_tri(o, "enforce");
    s->key_store = apg_json_string(o, "keyStore");
    s->key_alias = apg_json_string(o, "keyAlias");
    if (!s->key_alias) /* the deployed shape: keyAliasReference {aliasId, reference} */
        s->key_alias = apg_json_string(apg_json_object(o, "keyAliasReference"), "aliasId");
    s->trust_store = apg_json_string(o, "trustStore");
    s->protocols = apg_json_strings(o, "protocols");
    s->ciphers = apg_json_strings(o, "ciphers");
    read_common_name(s, o);
}

/* X's deployed configuration names a target by its resource:
 * organizations/o/environments/prod/targetservers/orders. */
static void name_from_resource(apg_target_server *t)
{
    const char *ts = t->name ? strstr(t->name, "/targetservers/") : NULL;
    if (!ts)
        return;
    const char *env = strstr(t->name, "environments/");
    if (env && !t->from.env) {
        env += strlen("environments/");
        t->from.env = g_strndup(env, strcspn(env, "/"));
    }
    char *name = g_strdup(ts + strlen("/targetservers/"));
    g_free(t->name);
    t->name = name;
}

gboolean apg_read_target_server(apg_doc *d, JsonObject *o)
{
    JsonNode *host = apg_json_member(o, "host");
    if (!host || !JSON_NODE_HOLDS_VALUE(host) || apg_json_member(o, "hostAliases"))
        return FALSE;
    apg_target_server *t = g_new0(apg_target_server, 1);
    t->from = apg_doc_origin(d, o);
    t->name = apg_json_string(o, "name");
    if (!t->name)
        t->name = g_strdup(d->leaf);
    name_from_resource(t);
    t->host = apg_json_string(o, "host");
    t->port = apg_json_port(o, "port");
    t->is_enabled = apg_json_tri(o, "isEnabled");
    read_ssl_info(&t->ssl, o);
    g_ptr_array_add(d->a->target_servers, t);
    return TRUE;
}

/* properties {"property": [{"name", "value"}]} (Edge), or {"ssl_ciphers": ...}. */
static char *property(JsonObject *o, const char *name)
{
    JsonObject *props = apg_json_object(o, "properties");
    JsonNode *list = apg_json_member(props, "property");
    if (list && JSON_NODE_HOLDS_ARRAY(list)) {
        JsonArray *arr = json_node_get_array(list);
        guint len = MIN(json_array_get_length(arr), APG_JSON_MAX_LIST);
        for (guint i = 0; i < len; i++) {
            JsonNode *n = json_array_get_element(arr, i);
            if (!JSON_NODE_HOLDS_OBJECT(n))
                continue;
            char *key = apg_json_string(json_node_get_object(n), "name");
            gboolean hit = key && !strcmp(key, name);
            g_free(key);
            if (hit)
                return apg_json_string(json_node_get_object(n), "value");
        }
        return NULL;
    }
    return apg_json_string(props, name);
}

gboolean apg_read_virtual_host(apg_doc *d, JsonObject *o)
{
    GPtrArray *aliases = apg_json_strings(o, "hostAliases");
    if (!aliases)
        return FALSE;
    apg_virtual_host *v = g_new0(apg_virtual_host, 1);
    v->from = apg_doc_origin(d, o);
    v->name = apg_json_string(o, "name");
    if (!v->name)
        v->name = g_strdup(d->leaf);
    v->host_aliases = aliases;
    v->port = apg_json_port(o, "port");
    read_ssl_info(&v->ssl, o);
    v->ssl_ciphers = property(o, "ssl_ciphers");
    v->ssl_protocols = property(o, "ssl_protocols");
    g_ptr_array_add(d->a->virtual_hosts, v);
    return TRUE;
}

/* "07:BC:A7:39" as the export prints serials, "7bca739" as GnuTLS does. */
static char *normal_serial(const char *text)
{
    if (!text)
        return NULL;
    GString *s = g_string_new(NULL);
    for (const char *p = text; *p; p++)
        if (g_ascii_isxdigit(*p) && (s->len || *p != '0'))
            g_string_append_c(s, g_ascii_tolower(*p));
    return g_string_free(s, FALSE);
}

static void add_cert(apg_doc *d, JsonObject *info, const char *alias, const char *cert_name)
{
    apg_store_cert *c = g_new0(apg_store_cert, 1);
    c->from = apg_doc_origin(d, info);
    c->store = g_strdup(d->store);
    c->alias = g_strdup(alias);
    c->cert_name = g_strdup(cert_name);
    c->subject = apg_json_string(info, "subject");
    c->issuer = apg_json_string(info, "issuer");
    char *serial = apg_json_string(info, "serialNumber");
    c->serial = normal_serial(serial);
    g_free(serial);
    c->not_before = apg_json_epoch_ms(info, "validFrom");
    c->not_after = apg_json_epoch_ms(info, "expiryDate");
    c->is_valid = apg_json_tri(info, "isValid");
    if (!c->is_valid) { /* "Yes"/"No" */
        char *v = apg_json_string(info, "isValid");
        c->is_valid = !v                              ? APG_TRI_UNSET
                      : !g_ascii_strcasecmp(v, "yes") ? APG_TRI_TRUE
                                                      : APG_TRI_FALSE;
        g_free(v);
    }
    g_ptr_array_add(d->a->certs, c);
}

/* {"certInfo": [...], "certName"} (a cert), or {"alias", "certsInfo": {...}}
 * (an alias, Edge and X): every certificate of it, the leaf first. */
gboolean apg_read_certs(apg_doc *d, JsonObject *o)
{
    JsonObject *holder = apg_json_object(o, "certsInfo");
    JsonNode *list = apg_json_member(holder ? holder : o, "certInfo");
    if (!list || !JSON_NODE_HOLDS_ARRAY(list))
        return FALSE;
    char *alias = apg_json_string(o, "alias");
    char *cert_name = apg_json_string(holder ? holder : o, "certName");
    if (!alias && !cert_name)
        alias = g_strdup(d->leaf); /* sackmesser: keystores/<ks>/<alias>.json */
    add_store(d->a, d->store);
    JsonArray *arr = json_node_get_array(list);
    guint len = MIN(json_array_get_length(arr), APG_JSON_MAX_LIST);
    for (guint i = 0; i < len; i++) {
        JsonNode *n = json_array_get_element(arr, i);
        if (JSON_NODE_HOLDS_OBJECT(n))
            add_cert(d, json_node_get_object(n), alias, cert_name);
    }
    g_free(alias);
    g_free(cert_name);
    return TRUE;
}

/* Edge's keystore body: aliases [{"aliasName", "cert": [...]}]; X's:
 * aliases ["a1"]. The maven plugin's keystores.json: [{"name"}]. */
gboolean apg_read_store(apg_doc *d, JsonObject *o)
{
    char *name = apg_json_string(o, "name");
    JsonNode *aliases = apg_json_member(o, "aliases");
    gboolean maven = !strcmp(d->leaf, "keystores") || !strcmp(d->leaf, "truststores");
    if (!name || (!aliases && !apg_json_member(o, "certs") && !maven)) {
        g_free(name);
        return FALSE;
    }
    add_store(d->a, name);
    guint len = aliases && JSON_NODE_HOLDS_ARRAY(aliases)
                    ? MIN(json_array_get_length(json_node_get_array(aliases)), APG_JSON_MAX_LIST)
                    : 0;
    for (guint i = 0; i < len; i++) {
        JsonNode *n = json_array_get_element(json_node_get_array(aliases), i);
        if (!JSON_NODE_HOLDS_OBJECT(n))
            continue;
        JsonObject *al = json_node_get_object(n);
        char *alias = apg_json_string(al, "aliasName");
        GPtrArray *certs = apg_json_strings(al, "cert");
        for (guint j = 0; alias && certs && j < certs->len; j++) {
            char **link = g_new0(char *, 4);
            link[0] = g_strdup(name), link[1] = g_strdup(certs->pdata[j]),
            link[2] = g_strdup(alias);
            g_ptr_array_add(d->a->cert_links, link);
        }
        g_free(alias);
        if (certs)
            g_ptr_array_free(certs, TRUE);
    }
    g_free(name);
    return TRUE;
}

gboolean apg_read_reference(apg_doc *d, JsonObject *o)
{
    char *refers = apg_json_string(o, "refers");
    if (!refers)
        return FALSE;
    apg_reference *r = g_new0(apg_reference, 1);
    r->from = apg_doc_origin(d, o);
    r->name = apg_json_string(o, "name");
    if (!r->name)
        r->name = g_strdup(d->leaf);
    r->refers = refers;
    g_ptr_array_add(d->a->references, r);
    return TRUE;
}
