/* apg_apigee.h - the user's own Apigee configuration, read from a folder of
 * exports (management API bodies, apigeecli, apigee-sackmesser and
 * apigee-config-maven-plugin files, PEM certificates): TargetServers,
 * virtual hosts, keystore and truststore certificates, references. Read
 * with json-glib (core/apigee/load.c, json.c), matched to a handshake
 * (match.c), turned into remedies that name the setting (remedy*.c) and
 * checked alone (audit.c).
 *
 * Everything in it comes from files the user may not have written: strings
 * are bounded and valid UTF-8, and what cannot be read is a problem line,
 * never an error.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_APIGEE_H
#define APG_APIGEE_H

#include <glib.h>

#include "apg_addr.h"
#include "apg_cert.h"

/* The product the configuration runs on: the defaults moved between them. */
typedef enum {
    APG_PRODUCT_UNSET = 0,
    APG_PRODUCT_EDGE_OPDK,  /* Edge for Private Cloud (the version matters) */
    APG_PRODUCT_EDGE_CLOUD, /* Edge public cloud: Apigee runs the MPs */
    APG_PRODUCT_X,
    APG_PRODUCT_HYBRID,
} apg_product;

/* A boolean as exports spell it: true, "true", false, "false", or absent. */
typedef enum { APG_TRI_UNSET = 0, APG_TRI_FALSE, APG_TRI_TRUE } apg_tri;

/* sSLInfo (Edge, X) or tlsInfo (X's deployed configuration). */
typedef struct {
    gboolean present;
    apg_tri enabled, client_auth, ignore_validation, enforce;
    char *key_store, *key_alias, *trust_store; /* as written: may be "ref://name" */
    GPtrArray *protocols, *ciphers;            /* char*, as written */
    char *common_name;                         /* X: commonName.value / .name */
    apg_tri common_name_wildcard;
} apg_ssl_info;

/* Where a thing was read: the file (relative to the folder, UTF-8) and the
 * environment its path or body names (NULL: not said). */
typedef struct {
    char *file, *env;
} apg_origin;

typedef struct {
    apg_origin from;
    char *name, *host; /* host: a name or an IP address literal */
    guint port;        /* 0: not given */
    apg_tri is_enabled;
    apg_ssl_info ssl;
} apg_target_server;

typedef struct {
    apg_origin from;
    char *name;
    GPtrArray *host_aliases; /* char*, as written ("api.example.com" or "host:port") */
    guint port;
    apg_ssl_info ssl;
    char *ssl_ciphers, *ssl_protocols; /* properties (OpenSSL syntax), NULL when unset */
} apg_virtual_host;

/* One certificate of a keystore or truststore: from a certInfo body (its
 * text fields) or a PEM file (the parsed certificate). */
typedef struct {
    apg_origin from;
    char *store, *alias, *cert_name; /* alias or cert_name may be NULL */
    char *subject, *issuer;          /* as written (Java's "CN=x, O=y") or RFC 4514 */
    char *serial;                    /* lower-case hex, no colons or leading zeros */
    gint64 not_before, not_after;    /* seconds since the epoch; 0: unknown */
    apg_tri is_valid;
    const apg_cert *pem; /* parsed from a PEM file, else NULL */
} apg_store_cert;

typedef struct {
    apg_origin from;
    char *name, *refers;
} apg_reference;

typedef struct {
    GPtrArray *target_servers; /* apg_target_server* */
    GPtrArray *virtual_hosts;  /* apg_virtual_host* */
    GPtrArray *certs;          /* apg_store_cert* */
    GPtrArray *stores;         /* char*: keystores and truststores named by the export */
    GPtrArray *references;     /* apg_reference* */
    GPtrArray *cert_links;     /* char**: {store, cert name, alias} from keystore bodies */
    GPtrArray *problems;       /* char*: what could not be read, one sentence each */
    GPtrArray *notes;          /* char*: what was read but not used (other exports: KVMs...) */
    guint files_read, files_ignored;
    apg_product product;
    guint version[3]; /* Edge for Private Cloud: 4, 53, 0; zeros when unknown */
    apg_cert_cache *cert_cache;
    char *folder;                   /* where it was read; NULL: no export, only the product */
    struct apg_apigee_index *index; /* hosts, aliases and ports (match.c), or NULL */
} apg_apigee;

/* The bounds of a folder's reading: what a shared drive or a hostile
 * export may hold. */
typedef struct {
    guint max_entries;  /* directory entries visited, all folders together */
    guint max_depth;    /* folders below the top */
    gsize max_file;     /* bytes of one file */
    gsize max_total;    /* bytes of all files read */
    guint max_nesting;  /* JSON arrays and objects inside each other */
    guint max_problems; /* problem lines kept (the rest are counted) */
} apg_apigee_limits;
extern const apg_apigee_limits apg_apigee_default_limits;

apg_apigee *apg_apigee_new(void);
void apg_apigee_free(apg_apigee *a);
/* Reads every file under dir; problems say what was skipped and why. */
apg_apigee *apg_apigee_load(const char *dir, const apg_apigee_limits *limits);
/* Reads one JSON document (for the tests and the fuzzers): file is the path
 * it would have in the folder (environment and store names come from it). */
void apg_apigee_read_json(apg_apigee *a, const char *data, gsize len, const char *file,
                          const apg_apigee_limits *limits);
/* Names each certificate's alias from the keystore bodies read, and indexes
 * the entries by host and port so a match costs a few lookups however large
 * the export (call once every document is read; apg_apigee_load does). */
void apg_apigee_finish(apg_apigee *a);
/* Reads PEM certificates as aliases of the store the path names. */
void apg_apigee_read_pem(apg_apigee *a, const char *data, gsize len, const char *file);
/* Adds a problem line, bounded by limits->max_problems. */
void apg_apigee_problem(apg_apigee *a, const apg_apigee_limits *limits, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

/* "edge-opdk-4.53", "edge-cloud", "x", "hybrid"; FALSE when not one of them. */
gboolean apg_apigee_set_product(apg_apigee *a, const char *text);
const char *apg_product_name(apg_product p);
/* Whether the version is known and at least major.minor. */
gboolean apg_apigee_version_at_least(const apg_apigee *a, guint major, guint minor);

/* A store name as written, with a "ref://" reference followed (once). */
const char *apg_apigee_resolve(const apg_apigee *a, const char *name, const char *env);
/* The certificates of a store (and alias, when not NULL) in the export. */
GPtrArray *apg_apigee_store_certs(const apg_apigee *a, const char *store, const char *alias,
                                  const char *env);
/* Whether the export lists the store (by a body, a folder or a certificate). */
gboolean apg_apigee_has_store(const apg_apigee *a, const char *store);
/* A certificate on the wire found in a store: same serial and notAfter, or
 * the same bytes for PEM files. */
const apg_store_cert *apg_apigee_find_cert(const apg_apigee *a, const GPtrArray *in,
                                           const apg_cert *wire);
/* "[TLSv1.2, TLSv1.3]" (a list as the export has it), or "unset"; g_free. */
char *apg_list_text(const GPtrArray *list);
/* Two distinguished names equal as sets of attribute=value, in either
 * spelling ("CN=a, O=b" or "O=b,CN=a"), case-insensitive. */
gboolean apg_dn_equal(const char *a, const char *b);

#endif /* APG_APIGEE_H */
