/* apg_apigee_advice.h - a handshake against the user's Apigee
 * configuration: which TargetServer or virtual host it ran under (match.c),
 * and the fix that names that setting and its current value (remedy*.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_APIGEE_ADVICE_H
#define APG_APIGEE_ADVICE_H

#include "apg_apigee.h"
#include "apg_diagnosis.h"

typedef enum {
    APG_MATCHED_NONE = 0,
    APG_MATCHED_SNI,       /* host (alias) = the ClientHello's server_name, and the port */
    APG_MATCHED_ADDRESS,   /* host is the server's IP address, and the port */
    APG_MATCHED_CERT_NAME, /* host is a name of the server's certificate, and the port */
    APG_MATCHED_PORT,      /* the port alone (no SNI or certificate name): candidates say how
                            * many entries share it */
} apg_match_how;

typedef struct {
    const apg_target_server *ts; /* southbound */
    const apg_virtual_host *vh;  /* northbound */
    apg_match_how how;
    guint candidates; /* how many matched as well (the first is kept) */
} apg_apigee_match;

/* What the handshake shows that a match needs. */
typedef struct {
    apg_direction direction;
    const char *sni;      /* may be NULL */
    const apg_cert *leaf; /* the server's, may be NULL */
    const apg_endpoint *server;
} apg_match_in;

apg_apigee_match apg_apigee_match_handshake(const apg_apigee *a, const apg_match_in *in);
/* The entries by lower-case host (TargetServers also under "*.parent", IP
 * hosts in canonical form), by host alias, and by port (match.c). */
struct apg_apigee_index *apg_apigee_index_new(const apg_apigee *a);
void apg_apigee_index_free(struct apg_apigee_index *index);
/* "server_name and port", "address and port", ... */
const char *apg_match_how_text(apg_match_how how);
const char *apg_match_how_token(apg_match_how how);
const char *apg_match_env(const apg_apigee_match *m);
const char *apg_match_name(const apg_apigee_match *m);

/* A remedy that names the setting: the words, the setting's name and its
 * value as the export has it. */
typedef struct {
    apg_apigee_match match;
    char *remedy;  /* NULL: nothing the configuration adds; the playbook's fix stands */
    char *setting; /* "sSLInfo.protocols", "ssl_ciphers", "keystore ks-api alias api-cert" */
    char *value;   /* "[TLSv1.2]", "unset" */
} apg_apigee_advice;

/* Everything a remedy weighs. */
typedef struct {
    const apg_handshake *hs;
    const apg_verdict *verdict;
    const apg_diagnosis *d;
    const apg_context *ctx;
    const char *sni;
    const apg_endpoint *server;
} apg_advice_in;

void apg_apigee_advise(const apg_apigee *a, const apg_advice_in *in, apg_apigee_advice *out);
void apg_apigee_advice_clear(apg_apigee_advice *adv);

#endif /* APG_APIGEE_ADVICE_H */
