/* apg_cert.h - what a server's certificate chain says, read with GnuTLS:
 * names, dates, keys, and the playbook's checks (host name, chain, validity
 * at the capture's time, trust).
 *
 * Everything in a certificate is chosen by whoever made it: strings are
 * escaped for display and bounded, and a certificate GnuTLS cannot parse is
 * a finding, not an error.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_CERT_H
#define APG_CERT_H

#include <glib.h>

#define APG_CERT_MAX_SANS 64 /* kept for display; all are used for the host check */

typedef struct apg_cert apg_cert;

/* One parsed certificate. Strings are escaped (no control bytes, no NUL). */
struct apg_cert {
    gboolean malformed; /* GnuTLS could not parse it; only error is set */
    char *error;
    char *subject, *issuer;       /* RFC 4514 DNs */
    char *cn;                     /* subject CN, NULL if none */
    gboolean cn_has_nul;          /* an embedded NUL: never a match */
    GPtrArray *san_dns;           /* char*, up to APG_CERT_MAX_SANS */
    GPtrArray *san_ip;            /* char*, printable */
    guint n_sans;                 /* all SAN entries, shown or not */
    gint64 not_before, not_after; /* seconds since the epoch (UTC) */
    char *serial;                 /* hex */
    char *key_algorithm;
    guint key_bits;
    guint key_exponent_bits; /* RSA's public exponent; 0 for other keys */
    /* RSA or DSA over APG_CERT_MAX_VERIFY_BITS, or an RSA exponent over
     * APG_CERT_MAX_EXPONENT_BITS: what it signed is not verified (one check
     * would cost seconds; OpenSSL refuses such keys too) */
    gboolean key_too_large;
    char *signature_algorithm;
    gboolean is_ca;
    gboolean self_issued;                    /* subject == issuer */
    char *subject_key_id, *authority_key_id; /* hex, NULL when absent */
    GBytes *raw_issuer; /* the issuer's DER Name, as CertificateRequests list CAs; or NULL */
    gpointer opaque;    /* the GnuTLS certificate, for the checks */
};

#define APG_CERT_MAX_VERIFY_BITS   16384
#define APG_CERT_MAX_EXPONENT_BITS 64
/* Signature checks per capture (each distinct link is checked once): a
 * bound on the work certificates can ask for, whatever they hold. */
#define APG_CERT_MAX_SIGNATURE_CHECKS 2000

/* Parses (once) and remembers certificates by their DER bytes. */
typedef struct apg_cert_cache apg_cert_cache;
apg_cert_cache *apg_cert_cache_new(void);
void apg_cert_cache_free(apg_cert_cache *cache);
const apg_cert *apg_cert_cache_get(apg_cert_cache *cache, GBytes *der);

/* An optional PEM bundle of trusted roots (the Message Processor's or the
 * Router's truststore, or the system bundle). */
typedef struct apg_truststore apg_truststore;
apg_truststore *apg_truststore_load(const char *pem_path, char **error);
void apg_truststore_free(apg_truststore *store);

typedef enum {
    APG_CHAIN_OK = 0,
    APG_CHAIN_INCOMPLETE, /* the leaf's issuer (or an intermediate's) is not sent */
    APG_CHAIN_INVALID,    /* a link's names, key ids or signature do not match */
} apg_chain_state;

typedef struct {
    guint n;              /* certificates in the chain */
    const apg_cert *leaf; /* NULL when there is none */
    const apg_cert *top;  /* the last certificate sent */
    gboolean leaf_malformed;

    const char *checked_name; /* SNI or expected host; NULL: not checked */
    gboolean hostname_checked;
    gboolean hostname_match;

    apg_chain_state chain;
    guint chain_bad_index; /* the certificate whose issuer is missing or wrong */
    /* why a link's signature was not verified (its issuer's key too large,
     * the capture's checks spent), and which certificate's; NULL: all were */
    const char *signature_unchecked;
    guint signature_unchecked_index;
    char *chain_detail; /* e.g. the missing issuer's DN; g_free */
    gboolean root_sent; /* the chain ends in a self-signed certificate */
    /* incomplete, and the missing issuer is the sole certificate's: an
     * intermediate the server should send, or the root of a private CA
     * that signs server certificates directly, which the client must hold */
    gboolean issuer_may_be_root;
    gboolean out_of_order;

    gboolean time_checked;
    gint expired_index;       /* -1 if none */
    gint not_yet_valid_index; /* -1 if none */
    gint64 time_off_by;       /* seconds past notAfter, or before notBefore */
    gint expiring_index;      /* -1, or the first certificate expiring within the warning days */
    gint64 expiring_in;

    gboolean trust_checked;
    gboolean trusted;

    gboolean weak_signature; /* SHA-1 or MD5 somewhere below the root */
    gint weak_signature_index;
    gboolean small_key; /* RSA under 2048 bits */
    gboolean self_signed_leaf;

    guint findings; /* APG_CERT_BIT(apg_cert_finding) of the above (apg_cert_findings.h) */
} apg_chain_report;

/* Whether the chain (leaf first) leads to one of the store's roots: sets
 * trust_checked and trusted, never with a key too large to verify
 * (core/apg_truststore.c). */
void apg_truststore_check_chain(const apg_truststore *store, apg_chain_report *r,
                                const apg_cert *const *certs);

/* Checks a chain as sent (leaf first) at the capture's time. hostname may
 * be NULL; store may be NULL; expiry_warning_days 0 disables that warning. */
apg_chain_report apg_chain_check(apg_cert_cache *cache, GPtrArray *ders, const char *hostname,
                                 gint64 at_time, const apg_truststore *store,
                                 guint expiry_warning_days);
void apg_chain_report_clear(apg_chain_report *r);

/* A DER Name as RFC 4514 text, valid UTF-8; g_free. */
char *apg_dn_text(const GBytes *der);
/* SHA-256 of a certificate's DER bytes, lowercase hex (g_free). */
char *apg_cert_sha256(const GBytes *der);

/* A CertificateRequest's CA names against the client's chain
 * (core/apg_ca_names.c). */
typedef struct {
    guint n_names;      /* CA names the server listed; 0: no list */
    gint reached;       /* 1: a listed CA issued a certificate of the chain; 0: none did;
                         * -1: no list, or no chain to compare */
    const GBytes *name; /* the listed CA the chain reaches, else the first listed (DER,
                         * apg_dn_text words it); borrowed from the handshake */
} apg_ca_match;
apg_ca_match apg_ca_names_match(apg_cert_cache *cache, const GPtrArray *names, GPtrArray *ders);

#endif /* APG_CERT_H */
