/* apg_cert_findings.h - what a checked chain shows, as findings computed once
 * on the chain report (apg_chain_check) and read by the playbook's rules, the
 * warnings of an established handshake, the tree's per-certificate lines and
 * the expert entries; and the one wording of each.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_CERT_FINDINGS_H
#define APG_CERT_FINDINGS_H

#include "apg_cert.h"

/* In the order that explains a refusal best: time, chain, name, trust; then
 * what only makes a certificate risky. */
typedef enum {
    APG_CERT_EXPIRED = 0,      /* a certificate past its notAfter at the capture's time */
    APG_CERT_NOT_YET_VALID,    /* a certificate before its notBefore */
    APG_CERT_CHAIN_INCOMPLETE, /* an issuer was not sent */
    APG_CERT_CHAIN_INVALID,    /* a link's names, key ids or signature do not match */
    APG_CERT_NAME_MISMATCH,    /* the leaf is not for the name checked */
    APG_CERT_UNTRUSTED,        /* no root of the configured truststore */
    APG_CERT_SELF_SIGNED,      /* the leaf is its own issuer */
    APG_CERT_EXPIRING,         /* expires within the warning days after the capture */
    APG_CERT_WEAK_SIGNATURE,   /* SHA-1 or MD5 below the root */
    APG_CERT_SMALL_KEY,        /* RSA under 2048 bits */
    APG_CERT_MALFORMED,        /* the leaf cannot be parsed */
    APG_CERT_FINDING_COUNT
} apg_cert_finding;

#define APG_CERT_BIT(f) (1u << (f))

/* The findings of a report, one bit each (also r->findings once checked). */
guint apg_chain_findings(const apg_chain_report *r);
static inline gboolean apg_chain_has(const apg_chain_report *r, apg_cert_finding f)
{
    return r && (r->findings & APG_CERT_BIT(f)) != 0;
}
/* The certificate a finding is about (-1: the chain as a whole). */
gint apg_cert_finding_index(const apg_chain_report *r, apg_cert_finding f);
/* The finding about certificate i that the tree shows on its line, or
 * APG_CERT_FINDING_COUNT for none. */
apg_cert_finding apg_cert_finding_of(const apg_chain_report *r, guint i);
/* That finding in words with the certificate as subject ("had expired 3
 * days before the capture", "its issuer was not sent: CN=..."), or "none";
 * g_free. */
char *apg_cert_line_finding(const apg_chain_report *r, guint i);

/* The one wording of a finding, as a predicate of its certificate: "had
 * expired 3 days before the capture". */
void apg_cert_finding_predicate(GString *out, const apg_chain_report *r, apg_cert_finding f);
/* The same with its subject: "the leaf (CN=a.test) had expired 3 days before
 * the capture"; whose is "the" or "the client's"; the CN is named for the
 * server's leaf only. */
void apg_cert_finding_say(GString *out, const apg_chain_report *r, apg_cert_finding f,
                          const char *whose, gboolean name_leaf);

/* "leaf", "intermediate 1", "root" for a position in a chain of n. */
const char *apg_cert_role(guint index, guint n, const apg_cert *cert, char *buf, gsize len);
/* "3 days", "2 years 41 days" */
char *apg_duration_text(gint64 seconds);

#endif /* APG_CERT_FINDINGS_H */
