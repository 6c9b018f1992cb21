/* apg_config.c - the preferences' text parsed into the core's config.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_config.h"

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
    apg_truststore_free(c->truststore);
    apg_apigee_free(c->apigee);
    memset(c, 0, sizeof *c);
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

/* "0xc02f,0xc030" */
static GArray *parse_suites(apg_config *c, const char *text)
{
    GArray *list = g_array_new(FALSE, FALSE, sizeof(guint16));
    char **items = apg_split_list(text);
    for (guint i = 0; items[i]; i++) {
        guint64 v;
        gboolean hex = g_str_has_prefix(items[i], "0x") || g_str_has_prefix(items[i], "0X");
        if (g_ascii_string_to_unsigned(items[i] + (hex ? 2 : 0), hex ? 16 : 10, 0, 0xffff, &v,
                                       NULL)) {
            guint16 suite = (guint16)v;
            g_array_append_val(list, suite);
        } else {
            g_ptr_array_add(c->problems,
                            g_strdup_printf("server_suites: '%s' is not a cipher suite number "
                                            "(0xc02f or 49199); it is ignored",
                                            items[i]));
        }
    }
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

void apg_config_set_expected_hosts(apg_config *c, const char *text)
{
    char **entries = apg_split_list(text);
    for (guint i = 0; entries[i]; i++) {
        char *eq = strchr(entries[i], '=');
        apg_endpoint *server = NULL;
        if (eq) {
            *eq = '\0';
            server = parse_server(entries[i]);
        }
        if (!server || !eq[1]) {
            if (eq)
                *eq = '=';
            g_ptr_array_add(c->problems,
                            g_strdup_printf("expected_hosts: '%s' is not address:port=host "
                                            "(10.0.0.5:443=backend.example.com); it is ignored",
                                            entries[i]));
            g_free(server);
            continue;
        }
        g_hash_table_replace(c->host_by_server, server, g_strdup(eq + 1));
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
    return server_ep && c->host_by_server ? g_hash_table_lookup(c->host_by_server, server_ep)
                                          : NULL;
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
