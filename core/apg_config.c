/* apg_config.c - the preferences' text parsed into the core's config.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_config.h"
#include "apg_suites.h"
#include "apg_text.h"

#include <string.h>

void apg_config_init(apg_config *c)
{
    memset(c, 0, sizeof *c);
    c->roles.router_ports = c->router_ports;
    c->suites_for_all = g_array_new(FALSE, FALSE, sizeof(guint16));
    c->suites_by_server = g_hash_table_new_full(apg_endpoint_hash, apg_endpoint_equal_func, g_free,
                                                (GDestroyNotify)g_array_unref);
    c->host_by_server =
        g_hash_table_new_full(apg_endpoint_hash, apg_endpoint_equal_func, g_free, g_free);
    c->problems = g_ptr_array_new_with_free_func(g_free);
}

void apg_config_clear(apg_config *c)
{
    apg_addr_list_free(c->router_list);
    apg_addr_list_free(c->mp_list);
    if (c->suites_for_all)
        g_array_free(c->suites_for_all, TRUE);
    if (c->suites_by_server)
        g_hash_table_destroy(c->suites_by_server);
    if (c->host_by_server)
        g_hash_table_destroy(c->host_by_server);
    if (c->problems)
        g_ptr_array_free(c->problems, TRUE);
    g_free(c->default_host);
    apg_truststore_free(c->truststore);
    apg_apigee_free(c->apigee);
    memset(c, 0, sizeof *c);
}

void apg_config_tidy_problems(apg_config *c)
{
    GPtrArray *p = c->problems;
    guint more = p->len > APG_CONFIG_SHOWN_PROBLEMS ? p->len - APG_CONFIG_SHOWN_PROBLEMS : 0;
    if (more)
        g_ptr_array_remove_range(p, APG_CONFIG_SHOWN_PROBLEMS, more);
    for (guint i = 0; i < p->len; i++) {
        char *shown = apg_text_printable(p->pdata[i]);
        g_free(p->pdata[i]);
        p->pdata[i] = shown;
    }
    if (more)
        g_ptr_array_add(p, g_strdup_printf("and %u more problems (the first %u are shown)", more,
                                           APG_CONFIG_SHOWN_PROBLEMS));
}

void apg_config_set_router_addrs(apg_config *c, const char *text)
{
    apg_addr_list_free(c->router_list);
    c->router_list = apg_addr_list_parse(text, "router_addrs", c->problems);
    c->roles.router_addrs = c->router_list;
}

void apg_config_add_router_port(apg_config *c, guint16 port)
{
    if (c->roles.n_router_ports < APG_MAX_ROUTER_PORTS)
        c->router_ports[c->roles.n_router_ports++] = port;
}

void apg_config_set_mp_addrs(apg_config *c, const char *text)
{
    apg_addr_list_free(c->mp_list);
    c->mp_list = apg_addr_list_parse(text, "mp_addrs", c->problems);
    c->roles.mp_addrs = c->mp_list;
}

/* One item of a suite list: a number (0xc02f, 49199), an IANA or JSSE name
 * (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, SSL_RSA_WITH_...), or an OpenSSL
 * name or cipher string (ECDHE-RSA-AES128-GCM-SHA256, HIGH:!aNULL), as
 * nginx's ssl_ciphers and the Router's properties take them, evaluated by
 * this machine's OpenSSL. FALSE when it is none of these. */
static gboolean parse_suite_item(const char *item, GArray *list)
{
    guint64 v;
    guint16 id;
    gboolean hex = g_str_has_prefix(item, "0x") || g_str_has_prefix(item, "0X");
    if (g_ascii_string_to_unsigned(item + (hex ? 2 : 0), hex ? 16 : 10, 0, 0xffff, &v, NULL)) {
        id = (guint16)v;
        g_array_append_val(list, id);
        return TRUE;
    }
    if (apg_standard_suite_id(item, &id)) {
        g_array_append_val(list, id);
        return TRUE;
    }
    GArray *openssl = apg_openssl_cipher_list(item);
    gboolean named = openssl->len > 0;
    g_array_append_vals(list, openssl->data, openssl->len);
    g_array_free(openssl, TRUE);
    return named;
}

/* "0xc02f,0xc030", "TLS_AES_128_GCM_SHA256 ECDHE-RSA-AES128-GCM-SHA256" */
static GArray *parse_suites(apg_config *c, const char *text)
{
    GArray *list = g_array_new(FALSE, FALSE, sizeof(guint16));
    char **items = apg_split_list(text);
    for (guint i = 0; items[i]; i++)
        if (!parse_suite_item(items[i], list))
            g_ptr_array_add(c->problems,
                            g_strdup_printf("server_suites: '%s' is not a cipher suite number "
                                            "(0xc02f or 49199), IANA or JSSE name "
                                            "(TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256) or OpenSSL "
                                            "name or cipher string (ECDHE-RSA-AES128-GCM-SHA256); "
                                            "it is ignored",
                                            items[i]));
    g_strfreev(items);
    return list;
}

/* A server endpoint key, or NULL; g_free. */
static apg_endpoint *parse_server(const char *text)
{
    apg_endpoint ep;
    return apg_endpoint_parse(text, &ep) ? g_memdup2(&ep, sizeof ep) : NULL;
}

void apg_config_set_server_suites(apg_config *c, const char *text)
{
    char **entries = g_strsplit(text ? text : "", ";", -1);
    for (guint i = 0; entries[i]; i++) {
        char *entry = g_strstrip(entries[i]);
        char *eq = strchr(entry, '=');
        if (!*entry)
            continue;
        if (!eq) {
            g_array_free(c->suites_for_all, TRUE);
            c->suites_for_all = parse_suites(c, entry);
            continue;
        }
        *eq = '\0';
        apg_endpoint *server = parse_server(g_strstrip(entry));
        if (!server) {
            g_ptr_array_add(c->problems,
                            g_strdup_printf("server_suites: '%s' is not an address:port "
                                            "(10.0.0.5:443, [2001:db8::5]:443); its suites are "
                                            "ignored",
                                            entry));
            continue;
        }
        g_hash_table_replace(c->suites_by_server, server, parse_suites(c, eq + 1));
    }
    g_strfreev(entries);
}

/* A host name as a client would put it in SNI: letters, digits, '-', '.'. */
static gboolean is_host_name(const char *s)
{
    apg_endpoint ep;
    if (!*s || strlen(s) > 253 || apg_endpoint_parse(s, &ep) || apg_address_parse(s, &ep))
        return FALSE;
    for (const char *p = s; *p; p++)
        if (!g_ascii_isalnum(*p) && *p != '-' && *p != '.' && *p != '_')
            return FALSE;
    return TRUE;
}

/* "10.0.0.5:443", "10.0.0.5" or "[2001:db8::5]" (any port: port 0); NULL if
 * neither; g_free. */
static apg_endpoint *parse_host_key(const char *text)
{
    apg_endpoint ep;
    if (apg_address_parse(text, &ep) || apg_endpoint_parse(text, &ep))
        return g_memdup2(&ep, sizeof ep);
    return NULL;
}

static void expected_host_problem(apg_config *c, const char *entry)
{
    g_ptr_array_add(c->problems,
                    g_strdup_printf("expected_hosts: '%s' is not address:port=host, address=host "
                                    "or a default host name (10.0.0.5:443=backend.example.com, "
                                    "10.0.0.5=backend.example.com, backend.example.com); it is "
                                    "ignored",
                                    entry));
}

void apg_config_set_expected_hosts(apg_config *c, const char *text)
{
    char **entries = apg_split_list(text);
    for (guint i = 0; entries[i]; i++) {
        char *entry = entries[i], *eq = strchr(entry, '=');
        const char *host = eq ? eq + 1 : entry;
        if (eq)
            *eq = '\0';
        gboolean is_default = !eq || !strcmp(entry, "*");
        apg_endpoint *server = is_default ? NULL : parse_host_key(entry);
        if (eq)
            *eq = '=';
        if ((!is_default && !server) || !is_host_name(host)) {
            expected_host_problem(c, entry);
            g_free(server);
        } else if (is_default) {
            g_free(c->default_host);
            c->default_host = g_strdup(host);
        } else {
            g_hash_table_replace(c->host_by_server, server, g_strdup(host));
        }
    }
    g_strfreev(entries);
}

void apg_config_set_truststore(apg_config *c, const char *path)
{
    char *error = NULL;
    apg_truststore_free(c->truststore);
    c->truststore = NULL;
    if (!path || !*path)
        return;
    c->truststore = apg_truststore_load(path, &error);
    if (c->truststore)
        return;
    const char *why = error ? error : "unknown error";
    if (g_str_has_prefix(why, path) && g_str_has_prefix(why + strlen(path), ": "))
        why += strlen(path) + 2; /* the path is said once */
    g_ptr_array_add(
        c->problems,
        g_strdup_printf("truststore %s could not be read (%s): trust not checked", path, why));
    g_free(error);
}

const GArray *apg_config_server_suites(const apg_config *c, const apg_endpoint *server_ep)
{
    const GArray *own = server_ep && c->suites_by_server
                            ? g_hash_table_lookup(c->suites_by_server, server_ep)
                            : NULL;
    if (own)
        return own;
    return c->suites_for_all && c->suites_for_all->len ? c->suites_for_all : NULL;
}

const char *apg_config_expected_host(const apg_config *c, const apg_endpoint *server_ep)
{
    if (!server_ep || !c->host_by_server)
        return c->default_host;
    const char *own = g_hash_table_lookup(c->host_by_server, server_ep);
    apg_endpoint any_port = *server_ep;
    any_port.port = 0;
    if (!own)
        own = g_hash_table_lookup(c->host_by_server, &any_port);
    return own ? own : c->default_host;
}

void apg_config_set_apigee(apg_config *c, const char *dir, const char *product)
{
    apg_apigee_free(c->apigee);
    c->apigee = NULL;
    if ((!dir || !*dir) && (!product || !*product))
        return;
    /* the product alone still says what applies to it */
    c->apigee = dir && *dir ? apg_apigee_load(dir, NULL) : apg_apigee_new();
    if (!apg_apigee_set_product(c->apigee, product))
        g_ptr_array_add(c->problems,
                        g_strdup_printf("apigee_product: '%s' is not edge-opdk, edge-opdk-4.53 "
                                        "(with the version), edge-cloud, x or hybrid; the "
                                        "remedies say what applies to every product",
                                        product));
    for (guint i = 0; i < c->apigee->problems->len; i++)
        g_ptr_array_add(c->problems, g_strdup_printf("apigee_config: %s",
                                                     (char *)c->apigee->problems->pdata[i]));
}
