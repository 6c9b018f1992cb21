/* apg_config.h - the preferences as the core uses them: parsed from the text
 * the user typed into the core's own struct (the glue reads Wireshark's
 * preferences into it), with a sentence for each value that could not be used.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_CONFIG_H
#define APG_CONFIG_H

#include "apg_apigee.h"
#include "apg_diagnosis.h"

#define APG_MAX_ROUTER_PORTS 1024

typedef struct {
    apg_roles roles; /* points into the fields below */
    apg_addr_list *router_list, *mp_list;
    guint16 router_ports[APG_MAX_ROUTER_PORTS];
    GArray *suites_for_all;       /* guint16 */
    GHashTable *suites_by_server; /* apg_endpoint* -> GArray of guint16 */
    GHashTable *host_by_server;   /* apg_endpoint* (port 0: any port) -> host name */
    char *default_host;           /* for servers without an entry; NULL: none */
    apg_truststore *truststore;   /* NULL: trust not checked */
    guint expiry_warning_days;    /* 0: no expiry warning */
    apg_suite_namer suite_name;   /* may be NULL: no weak-suite analysis */
    apg_suite_namer group_name;   /* names of key-exchange groups; may be NULL */
    apg_apigee *apigee;           /* the user's Apigee export; NULL: none given */
    GPtrArray *problems;          /* char*: what could not be used */
} apg_config;

/* The problems as they are shown, once every preference is set: printable
 * (a preference may hold any bytes), the first APG_CONFIG_SHOWN_PROBLEMS and
 * a line counting the rest (100,000 bad entries are one line, not 100,000
 * in every tree). */
#define APG_CONFIG_SHOWN_PROBLEMS 5
void apg_config_tidy_problems(apg_config *c);

/* Empties the config (no roles, no suites, no truststore, no problems). */
void apg_config_init(apg_config *c);
void apg_config_clear(apg_config *c);

void apg_config_set_router_addrs(apg_config *c, const char *text);
void apg_config_add_router_port(apg_config *c, guint16 port);
void apg_config_set_mp_addrs(apg_config *c, const char *text);
/* "0xc02f,0xc030" for every server, or "10.0.0.5:443=0xc02f,0xc030; ..." */
void apg_config_set_server_suites(apg_config *c, const char *text);
/* "10.0.0.5:443=backend.example.com; 10.0.0.6=other.example.com;
 * default.example.com": per address and port, per address (any port), and
 * a default for every other server ("*=host" too). */
void apg_config_set_expected_hosts(apg_config *c, const char *text);
/* A PEM bundle; an empty path means none. */
void apg_config_set_truststore(apg_config *c, const char *path);

/* A folder of Apigee exports (an empty path means none) and the product
 * ("edge-opdk-4.53", "edge-cloud", "x", "hybrid"; empty: not said): what
 * cannot be read is a problem, the rest is used. A product without a folder
 * is kept alone (c->apigee with no folder). */
void apg_config_set_apigee(apg_config *c, const char *dir, const char *product);

/* The suites configured for a server endpoint, else those for every
 * server; NULL when none. */
const GArray *apg_config_server_suites(const apg_config *c, const apg_endpoint *server_ep);
/* The host a client means when it sends no SNI, or NULL. */
const char *apg_config_expected_host(const apg_config *c, const apg_endpoint *server_ep);

#endif /* APG_CONFIG_H */
