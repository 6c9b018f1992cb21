/* apg_diagnosis.h - why a handshake failed, as the playbook reasons: the
 * version first, then SNI, then cipher suites, then certificates; with how
 * sure the wire makes us, the evidence, and the fix (core/playbook/). The
 * leg is apg_leg.h, what a server did apg_profile.h, the warnings of an
 * established handshake apg_warnings.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_DIAGNOSIS_H
#define APG_DIAGNOSIS_H

#include "apg_cert.h"
#include "apg_leg.h"
#include "apg_profile.h"
#include "apg_verdict.h"
#include "apg_warnings.h"

typedef enum {
    APG_CONFIDENCE_CERTAIN = 0, /* the wire settles it */
    APG_CONFIDENCE_LIKELY,      /* the best reading; the summary names the alternatives */
    APG_CONFIDENCE_POSSIBLE,    /* one of several readings the wire allows */
} apg_confidence;

/* What a finding rests on besides plain, read evidence. Any of these caps
 * its confidence at likely: certain needs the deciding evidence on the wire,
 * read. */
enum {
    APG_BASIS_ENCRYPTED_ALERT = 1 << 0, /* an alert that could not be read */
    APG_BASIS_ENCRYPTED_CERT = 1 << 1,  /* the certificate rode in an encrypted flight */
    APG_BASIS_RECORD_SIZES = 1 << 2,    /* record sizes and positions stood for messages */
    APG_BASIS_TIMING = 1 << 3,          /* how long something took */
    APG_BASIS_NO_CLIENT_HELLO = 1 << 4, /* the offer is not in the capture */
    APG_BASIS_ONE_DIRECTION = 1 << 5,   /* a direction of the conversation is missing */
    APG_BASIS_PROFILE = 1 << 6,         /* what the server did in other handshakes */
    APG_BASIS_ELIMINATION = 1 << 7,     /* other causes ruled out, this one not seen */
    APG_BASIS_ROLES = 1 << 8,           /* which side is the client: guessed, or not known */
    APG_BASIS_COUNT_BITS = 9,
};
/* "the certificate (encrypted: no key log)" for one basis bit. */
const char *apg_basis_text(guint bit);

/* What a finding compared: the facts its rule weighed, so that its words
 * state no comparison it did not make. */
enum {
    APG_COMPARED_ALERT = 1 << 0,        /* the alert's description, read */
    APG_COMPARED_VERSIONS = 1 << 1,     /* the offered versions against the server's */
    APG_COMPARED_SNI = 1 << 2,          /* whether the ClientHello named a server */
    APG_COMPARED_SUITES = 1 << 3,       /* the offered suites against the server's */
    APG_COMPARED_KEY_EXCHANGE = 1 << 4, /* the server's DHE group */
    APG_COMPARED_SERVER_CERT = 1 << 5,  /* the server's certificate's findings */
    APG_COMPARED_CLIENT_CERT = 1 << 6,  /* the client's certificate, or its absence */
    APG_COMPARED_TIMING = 1 << 7,       /* how long the server took */
    APG_COMPARED_RECORDS = 1 << 8,      /* the count and sizes of encrypted records */
    APG_COMPARED_CLIENT_DATA = 1 << 9,  /* whether the client sent data after the handshake */
    APG_COMPARED_ALPN = 1 << 10,        /* the offered application protocols */
    APG_COMPARED_GROUPS = 1 << 11,      /* the offered groups against the server's */
    APG_COMPARED_SIGNATURES = 1 << 12,  /* the offered signature algorithms against its key */
    APG_COMPARED_CA_NAMES = 1 << 13,    /* the client's chain against the CAs the server lists */
};

typedef const char *(*apg_suite_namer)(guint16 suite);

typedef struct {
    apg_direction direction;
    const apg_server_profile *profile; /* may be NULL */
    const guint16 *server_suites;      /* configured by the user, may be NULL */
    guint n_server_suites;
    apg_suite_namer suite_name;           /* may be NULL: no weak-suite analysis */
    apg_suite_namer group_name;           /* may be NULL: groups by number */
    const apg_chain_report *chain;        /* the server's certificates checked, may be NULL */
    const apg_chain_report *client_chain; /* two-way TLS: the client's, may be NULL */
    const apg_ca_match *ca_match;         /* the CertificateRequest's CAs; may be NULL */
    const char *proxy_target;             /* the host:port of the conversation's CONNECT */
} apg_context;

typedef struct {
    apg_cause cause;
    apg_confidence confidence;
    char *summary;               /* one sentence naming the evidence; g_free */
    const char *remedy;          /* static text */
    guint warnings;              /* APG_WARN_* on an established handshake */
    gboolean has_overlap;        /* overlap was computed against a server suite list */
    guint overlap;               /* offered suites the server is known to accept */
    guint known_suites;          /* size of that list */
    gboolean weak_offer;         /* every offered suite is legacy or weak */
    gboolean client_certificate; /* the cause names the client's certificate (two-way TLS) */
    gboolean left_at_once;       /* established, but the client left without any data */
    gboolean abandoned; /* ... over the certificate (the client leaving over the server's, the
                         * server over the client's): a failed call (apg_verdict_abandoned) */
    apg_cause_set alternatives; /* other causes the evidence leaves open */
    guint basis;                /* APG_BASIS_*: what the finding rests on besides read evidence */
    guint32 evidence[6];        /* the frames the finding cites, in order */
    guint n_evidence;
    guint compared;   /* APG_COMPARED_*: what the deciding rule weighed */
    const char *rule; /* the playbook rule that decided ("version.offered"), static */
} apg_diagnosis;

apg_diagnosis apg_diagnose(const apg_handshake *hs, const apg_verdict *v, const apg_context *ctx);
void apg_diagnosis_clear(apg_diagnosis *d);

const char *apg_confidence_token(apg_confidence c);
const char *apg_remedy_text(apg_cause cause, apg_direction direction);
/* The fix when the cause names the client's own certificate. */
const char *apg_client_cert_remedy_text(apg_cause cause, apg_direction direction);
#endif /* APG_DIAGNOSIS_H */
