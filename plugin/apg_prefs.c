/* apg_prefs.c - preferences, parsed once when they change.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_prefs.h"

#include <string.h>

#include <epan/prefs.h>
#include <epan/range.h>
#include <wsutil/report_message.h>

#include "apg_addr.h"

#define MAX_ROUTER_PORTS 1024

static const char *pref_router_addrs = "";
static range_t *pref_router_ports;
static const char *pref_mp_addrs = "";
static const char *pref_server_suites = "";
static const char *pref_expected_hosts = "";
static const char *pref_truststore = "";
static guint pref_expiry_warning_days = 30;

static apg_roles roles;
static apg_addr_list *router_list, *mp_list;
static guint16 router_ports[MAX_ROUTER_PORTS];
static GPtrArray *problems; /* char*: what could not be used, for the user */
static GArray *suites_for_all;       /* guint16 */
static GHashTable *suites_by_server; /* "addr:port" -> GArray of guint16 */
static GHashTable *host_by_server;   /* "addr:port" -> host name */
static apg_truststore *truststore;

static void add_port(guint32 port, gpointer user _U_)
{
    if (roles.n_router_ports < MAX_ROUTER_PORTS)
        router_ports[roles.n_router_ports++] = (guint16)port;
}

/* "0xc02f,0xc030" */
static GArray *parse_suites(const char *text)
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
            g_ptr_array_add(problems, g_strdup_printf("server_suites: '%s' is not a cipher suite "
                                                      "number (0xc02f or 49199); it is ignored",
                                                      items[i]));
        }
    }
    g_strfreev(items);
    return list;
}

/* "0xc02f,0xc030" for every server, or "10.0.0.5:443=0xc02f,0xc030; ..." */
static void parse_server_suites(const char *text)
{
    char **entries = g_strsplit(text ? text : "", ";", -1);
    for (guint i = 0; entries[i]; i++) {
        char *entry = g_strstrip(entries[i]);
        char *eq = strchr(entry, '=');
        if (!*entry)
            continue;
        if (!eq) {
            g_array_free(suites_for_all, TRUE);
            suites_for_all = parse_suites(entry);
            continue;
        }
        *eq = '\0';
        char *server = apg_endpoint_normalize(g_strstrip(entry));
        if (!server) {
            g_ptr_array_add(problems, g_strdup_printf("server_suites: '%s' is not an address:port "
                                                      "(10.0.0.5:443, [2001:db8::5]:443); its "
                                                      "suites are ignored",
                                                      entry));
            continue;
        }
        g_hash_table_replace(suites_by_server, server, parse_suites(eq + 1));
    }
    g_strfreev(entries);
}

static void free_parsed(void)
{
    apg_addr_list_free(router_list);
    apg_addr_list_free(mp_list);
    router_list = mp_list = NULL;
    memset(&roles, 0, sizeof roles);
    if (problems)
        g_ptr_array_free(problems, TRUE);
    problems = g_ptr_array_new_with_free_func(g_free);
    if (suites_for_all)
        g_array_free(suites_for_all, TRUE);
    if (suites_by_server)
        g_hash_table_destroy(suites_by_server);
    if (host_by_server)
        g_hash_table_destroy(host_by_server);
    apg_truststore_free(truststore);
    truststore = NULL;
}

/* "10.0.0.5:443=backend.example.com; 10.0.0.6:8443=other.example.com" */
static void parse_expected_hosts(const char *text)
{
    char **entries = apg_split_list(text);
    for (guint i = 0; entries[i]; i++) {
        char *eq = strchr(entries[i], '=');
        char *server = NULL;
        if (eq) {
            *eq = '\0';
            server = apg_endpoint_normalize(entries[i]);
        }
        if (!server || !eq[1]) {
            if (eq)
                *eq = '=';
            g_ptr_array_add(problems,
                            g_strdup_printf("expected_hosts: '%s' is not address:port=host "
                                            "(10.0.0.5:443=backend.example.com); it is ignored",
                                            entries[i]));
            g_free(server);
            continue;
        }
        g_hash_table_replace(host_by_server, server, g_strdup(eq + 1));
    }
    g_strfreev(entries);
}

static void load_truststore(const char *path)
{
    char *error = NULL;
    if (!path || !*path)
        return;
    truststore = apg_truststore_load(path, &error);
    if (!truststore) {
        const char *why = error ? error : "unknown error";
        if (g_str_has_prefix(why, path) && g_str_has_prefix(why + strlen(path), ": "))
            why += strlen(path) + 2; /* the path is said once */
        g_ptr_array_add(problems, g_strdup_printf("truststore %s could not be read (%s): trust "
                                                  "not checked",
                                                  path, why));
        g_free(error);
    }
}

/* Says once, where the user looks (a dialog in the GUI, stderr in tshark),
 * what could not be used; the tree repeats it on every handshake. */
static void report_problems(void)
{
    if (!problems->len)
        return;
    GString *text = g_string_new("Apigee handshake diagnosis: some preferences could not be "
                                 "used:");
    for (guint i = 0; i < problems->len; i++)
        g_string_append_printf(text, "\n- %s", (const char *)g_ptr_array_index(problems, i));
    report_failure("%s", text->str);
    g_string_free(text, TRUE);
}

static void apply_prefs(void)
{
    free_parsed();
    router_list = apg_addr_list_parse(pref_router_addrs, "router_addrs", problems);
    mp_list = apg_addr_list_parse(pref_mp_addrs, "mp_addrs", problems);
    roles.router_addrs = router_list;
    roles.mp_addrs = mp_list;
    roles.router_ports = router_ports;
    if (pref_router_ports)
        range_foreach(pref_router_ports, add_port, NULL);
    suites_for_all = g_array_new(FALSE, FALSE, sizeof(guint16));
    suites_by_server =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_array_unref);
    parse_server_suites(pref_server_suites);
    host_by_server = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    parse_expected_hosts(pref_expected_hosts);
    load_truststore(pref_truststore);
    report_problems();
}

const GPtrArray *apg_prefs_problems(void)
{
    return problems;
}

const char *apg_prefs_expected_host(const char *server_ep)
{
    return server_ep ? g_hash_table_lookup(host_by_server, server_ep) : NULL;
}

const apg_truststore *apg_prefs_truststore(void)
{
    return truststore;
}

guint apg_prefs_expiry_warning_days(void)
{
    return pref_expiry_warning_days;
}

const apg_roles *apg_prefs_roles(void)
{
    return &roles;
}

const GArray *apg_prefs_server_suites(const char *server_ep)
{
    const GArray *own = server_ep ? g_hash_table_lookup(suites_by_server, server_ep) : NULL;
    if (own)
        return own;
    return suites_for_all->len ? suites_for_all : NULL;
}

void apg_prefs_register(int proto)
{
    module_t *m = prefs_register_protocol(proto, apply_prefs);
    prefs_register_string_preference(
        m, "router_addrs", "Edge Router addresses",
        "Addresses or CIDR ranges (IPv4 or IPv6) of the Edge Routers, separated by commas, "
        "semicolons or spaces: 10.0.0.5, 10.1.0.0/16, 2001:db8::/32. A handshake whose server "
        "is one of them (on a Router port, when those are set) is northbound.",
        &pref_router_addrs);
    pref_router_ports = range_empty(wmem_epan_scope());
    prefs_register_range_preference(
        m, "router_ports", "Edge Router ports",
        "TLS ports of the Routers' virtual hosts, e.g. 443,9001. With no Router address, any "
        "server on these ports is taken for a Router.",
        &pref_router_ports, 65535);
    prefs_register_string_preference(
        m, "mp_addrs", "Message Processor addresses",
        "Addresses or CIDR ranges (IPv4 or IPv6) of the Message Processors, separated by "
        "commas, semicolons or spaces. A handshake whose client is one of them is southbound.",
        &pref_mp_addrs);
    prefs_register_string_preference(
        m, "server_suites", "Servers' cipher suites",
        "The suites a server accepts, as numbers: 0xc02f,0xc030 for every server, or "
        "10.0.0.5:443=0xc02f,0xc030;10.0.0.6:8443=0x1301 per server. Used to judge a cipher "
        "suite mismatch.",
        &pref_server_suites);
    prefs_register_string_preference(
        m, "expected_hosts", "Expected server host names",
        "The host a client means when it sends no SNI, per server: "
        "10.0.0.5:443=backend.example.com;10.0.0.6:8443=other.example.com (the TargetEndpoint "
        "URL's host). Used to check the certificate's name.",
        &pref_expected_hosts);
    prefs_register_filename_preference(
        m, "truststore", "Truststore (PEM bundle)",
        "Trusted roots to judge server chains against, e.g. exported from the Message "
        "Processor's or the Router's truststore, or /etc/ssl/certs/ca-certificates.crt.",
        &pref_truststore, FALSE);
    prefs_register_uint_preference(
        m, "expiry_warning_days", "Warn about certificates expiring within (days)",
        "An established handshake whose chain expires within this many days of the capture "
        "gets a warning; 0 turns it off.",
        10, &pref_expiry_warning_days);
    apply_prefs();
}
