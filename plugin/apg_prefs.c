/* apg_prefs.c - preferences, parsed once when they change.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_prefs.h"

#include <string.h>

#include <epan/prefs.h>
#include <epan/range.h>
#include <wsutil/report_message.h>

static const char *pref_router_addrs = "";
static range_t *pref_router_ports;
static const char *pref_mp_addrs = "";
static const char *pref_server_suites = "";
static const char *pref_expected_hosts = "";
static const char *pref_truststore = "";
static guint pref_expiry_warning_days = 30;
static const char *pref_apigee_config = "";
static gint pref_apigee_product = APG_PRODUCT_UNSET;
static const char *pref_apigee_version = "";

static const enum_val_t product_values[] = {
    {"unset", "Not set (remedies for every product)", APG_PRODUCT_UNSET},
    {"edge-opdk", "Edge for Private Cloud", APG_PRODUCT_EDGE_OPDK},
    {"edge-cloud", "Edge (public cloud)", APG_PRODUCT_EDGE_CLOUD},
    {"x", "Apigee X", APG_PRODUCT_X},
    {"hybrid", "Apigee hybrid", APG_PRODUCT_HYBRID},
    {NULL, NULL, 0},
};

/* The preferences read into the core's own config; one struct for the
 * program's life, so a capture's pointer to it stays good. */
static apg_config config;

static void add_port(guint32 port, gpointer user _U_)
{
    apg_config_add_router_port(&config, (guint16)port);
}

/* Says once, where the user looks (a dialog in the GUI, stderr in tshark),
 * what could not be used; the tree repeats it on every verdict frame. */
static void report_problems(void)
{
    if (!config.problems->len)
        return;
    GString *text = g_string_new("Apigee handshake diagnosis: some preferences could not be "
                                 "used:");
    for (guint i = 0; i < config.problems->len; i++)
        g_string_append_printf(text, "\n- %s", (const char *)g_ptr_array_index(config.problems, i));
    report_failure("%s", text->str);
    g_string_free(text, TRUE);
}

/* The product as the core reads it: "edge-opdk-4.53", "x", or "". */
static void apply_apigee(void)
{
    const char *token = "";
    for (const enum_val_t *e = product_values; e->name; e++)
        if (e->value == pref_apigee_product && e->value != APG_PRODUCT_UNSET)
            token = e->name;
    gboolean versioned = pref_apigee_product == APG_PRODUCT_EDGE_OPDK && *pref_apigee_version;
    char *product =
        versioned ? g_strdup_printf("%s-%s", token, pref_apigee_version) : g_strdup(token);
    apg_config_set_apigee(&config, pref_apigee_config, product);
    g_free(product);
}

static void apply_prefs(void)
{
    /* set at handoff, kept across applies */
    apg_suite_namer namer = config.suite_name, group_namer = config.group_name;
    apg_config_clear(&config);
    apg_config_init(&config);
    config.suite_name = namer;
    config.group_name = group_namer;
    apg_config_set_router_addrs(&config, pref_router_addrs);
    apg_config_set_mp_addrs(&config, pref_mp_addrs);
    if (pref_router_ports)
        range_foreach(pref_router_ports, add_port, NULL);
    apg_config_set_server_suites(&config, pref_server_suites);
    apg_config_set_expected_hosts(&config, pref_expected_hosts);
    apg_config_set_truststore(&config, pref_truststore);
    config.expiry_warning_days = pref_expiry_warning_days;
    apply_apigee();
    apg_config_tidy_problems(&config);
    report_problems();
}

apg_config *apg_prefs_config(void)
{
    return &config;
}

static void register_apigee_prefs(module_t *m);

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
        "The suites a server accepts: 0xc02f,0xc030 for every server, or "
        "10.0.0.5:443=0xc02f,0xc030;10.0.0.6:8443=0x1301 per server. Numbers, IANA or JSSE "
        "names (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256) or OpenSSL names and cipher strings "
        "as nginx's ssl_ciphers takes them (ECDHE-RSA-AES128-GCM-SHA256:HIGH:!aNULL). Used to "
        "judge a cipher suite mismatch.",
        &pref_server_suites);
    prefs_register_string_preference(
        m, "expected_hosts", "Expected server host names",
        "The host a client means when it sends no SNI (the TargetEndpoint URL's host): per "
        "server 10.0.0.5:443=backend.example.com, per address (any port) "
        "10.0.0.6=other.example.com or [2001:db8::6]=other.example.com, and a default for "
        "the others: default.example.com (or *=default.example.com). Used to check the "
        "certificate's name.",
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
    register_apigee_prefs(m);
    apply_prefs();
}

static void register_apigee_prefs(module_t *m)
{
    prefs_register_directory_preference(
        m, "apigee_config", "Apigee configuration (folder of exports)",
        "A folder of the Apigee configuration's JSON exports (TargetServers, virtual hosts, "
        "keystore and truststore certificates, references: management API bodies, apigeecli, "
        "apigee-sackmesser or apigee-config-maven-plugin files) and PEM certificates. Each "
        "handshake is matched to its TargetServer or virtual host, and the remedy names the "
        "setting to change (docs/apigee-config.md).",
        &pref_apigee_config);
    prefs_register_enum_preference(
        m, "apigee_product", "Apigee product",
        "The product the configuration runs on: the defaults moved between them (SNI on the "
        "Message Processor, TLS 1.3 southbound from Edge 4.51).",
        &pref_apigee_product, product_values, FALSE);
    prefs_register_string_preference(
        m, "apigee_version", "Edge for Private Cloud version",
        "The version of Edge for Private Cloud, e.g. 4.53.01 (with the product edge-opdk).",
        &pref_apigee_version);
}
