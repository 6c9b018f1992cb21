/* playbook.h - what the playbook's steps share: the facts gathered once, the
 * finding a rule decides, the rules as data, and each step's entry points.
 * Internal to core/playbook/; the public entry is apg_diagnose()
 * (apg_diagnosis.h).
 *
 * A rule is a pair. decide_x(const facts *, finding *) sets the cause, the
 * confidence, the evidence frames, what it rests on, the alternatives and
 * the facts it compared, and writes no text. say_x(GString *, const
 * finding *) words that finding from what it recorded only, so no sentence
 * states a comparison the finding does not hold.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_PLAYBOOK_H
#define APG_PLAYBOOK_H

#include "apg_diagnosis.h"

#include "apg_cert_findings.h"
#include "apg_text.h"

/* What the rules look at, gathered once. */
typedef struct {
    const apg_handshake *hs;
    const apg_verdict *v;
    const apg_context *ctx;
    guint16 client_max; /* highest version offered */
    guint16 client_min; /* lowest, when supported_versions lists them; else 0 */
    gboolean has_sni;
    gboolean alert_known; /* a readable deciding alert */
    gboolean alert_encrypted;
    guint8 desc;
    apg_role alert_sender;
    gboolean server_aborted_early; /* alert or close from the server before its certificate */
    gboolean saw_offer;            /* the ClientHello is in the capture */
} facts;

/* What ended the handshake, as a finding cites it: the deciding alert, or
 * the TCP close that stood in for one. */
typedef struct {
    gboolean alert; /* FALSE: a TCP FIN or RST without an alert */
    gboolean encrypted;
    guint8 level, desc;
    apg_role sender;
    guint32 frame;
    guint length; /* an encrypted alert's record length */
    gboolean reset;
} ending;

/* A finding: what a rule decided (in d) and the facts it compared. */
typedef struct {
    apg_diagnosis *d;
    guint reading; /* which of its rule's readings decided it (the rule's own enum) */
    ending end;
    /* the offer */
    guint32 client_hello_frame;
    guint16 client_min, client_max;
    const char *sni; /* NULL: no server_name */
    guint n_suites;
    /* the server's answer */
    guint16 record_version; /* of the server's first record */
    guint16 chosen_version;
    guint32 chosen_frame;
    const char *chosen_by; /* ", a HelloRetryRequest" when no ServerHello chose */
    const char *suite;     /* the suite chosen, by name */
    const char *suite_source;
    gboolean other_key_type; /* the offer needs another key type than the server's */
    guint dh_bits;
    guint32 ske_frame;
    /* time and records */
    gint64 waited_us;
    guint largest_record;
    gboolean inferred;  /* the outcome was read from record sizes */
    guint n_records[2]; /* per role, of the encrypted flight */
    guint record_len[2][8];
    /* frames a reading names besides the ending: a warning, an empty
     * Certificate, a HelloRetryRequest, where the client left */
    guint32 frame2, frame3;
    guint count; /* the client's certificates, retransmissions */
    /* certificates: the report read and the findings that decided */
    const apg_chain_report *chain;
    guint cert_findings; /* APG_CERT_BIT()s worded, in their order */
    /* warnings before the deciding alert */
    apg_alert_seen earlier[8];
    guint n_earlier;
    apg_gap gap;
    gboolean server_packet_seen;
    /* the offer's extensions against what the server took elsewhere */
    const apg_offer *offer;
    const apg_server_profile *profile;
    apg_suite_namer group_name;
    guint16 hrr_group;
    guint retry_key_share; /* apg_handshake.retry_key_share */
    guint offered_key_types, server_key_types;
    const apg_ca_match *ca;         /* two-way TLS: the CAs the server listed, compared */
    const char *proxy_target;       /* the host:port of a refused CONNECT */
    const apg_path_report *too_big; /* routers' reports on the client's packets */
} finding;

/* The stages a rule is asked at. */
typedef enum {
    STAGE_SERVER_ABORTED_EARLY, /* the server ended it before its certificate */
    STAGE_LATER,                /* any other failure */
} rule_stage;

/* How the handshake ended, as a rule claims it. */
enum {
    ENDS_READ_ALERT = 1 << 0,
    ENDS_ENCRYPTED_ALERT = 1 << 1,
    ENDS_SILENT = 1 << 2, /* a FIN, RST or nothing */
    ENDS_ANY = 7,
};

#define ALERTS_END (-1)

typedef void (*say_fn)(GString *, const finding *);

typedef struct {
    const char *name; /* "version.offered" (apg_diagnosis.rule) */
    rule_stage stage;
    gint from;            /* whose alert it claims: APG_ROLE_*, or -1 for either */
    guint ends;           /* ENDS_* */
    const gint16 *alerts; /* the readable alerts it claims, ALERTS_END ended; NULL: any */
    gboolean (*decide)(const facts *, finding *);
    say_fn say;
} rule;

#define RULE_EITHER (-1)

/* The rules in the playbook's order (driver.c). */
extern const rule playbook_rules[];
extern const guint n_playbook_rules;

/* Recording a finding (finding.c) */
gboolean conclude(finding *g, apg_cause cause, apg_confidence confidence);
void allow(finding *g, apg_cause c);
void rests_on(finding *g, guint basis);
void cite(finding *g, guint32 frame);
void compares(finding *g, guint what);
void note_alert(finding *g, const facts *f);
void note_ending(finding *g, const facts *f);
void note_client_hello(finding *g, const facts *f);
void note_server_choice(finding *g, const facts *f);

/* Phrases every step shares (phrases.c) */
const char *vname(guint16 v);
const char *alert_name(guint8 desc);
void say_ending(GString *s, const finding *g);
/* ", sent once more", ", sent 3 more times"; nothing for 0 */
void say_resent(GString *s, guint times);
void say_server_choice(GString *s, const finding *g);
void say_leaf_names(GString *s, const apg_cert *leaf);
void say_clients_of_name(GString *s, const finding *g);
void say_group(GString *s, const finding *g, guint16 group);
void say_group_list(GString *s, const finding *g, const guint16 *list, guint n);
/* "The ClientHello (frame 4) offered the groups x25519, secp384r1 with key
 * shares for x25519" (key_exchange.c) */
void say_offered_groups(GString *s, const finding *g);

/* Beyond the playbook: a path-MTU black hole (path_mtu.c) */
gboolean decide_path_mtu(const facts *f, finding *g);
void say_path_mtu(GString *s, const finding *g);

/* Step 1: the protocol version (version.c) */
gboolean decide_version(const facts *f, finding *g);
void say_version(GString *s, const finding *g);
gboolean decide_version_refused_by_client(const facts *f, finding *g);
void say_version_refused_by_client(GString *s, const finding *g);

/* Step 2: SNI (sni.c) */
gboolean decide_sni(const facts *f, finding *g);
void say_sni(GString *s, const finding *g);
gboolean decide_sni_warning(const facts *f, finding *g);
void say_sni_warning(GString *s, const finding *g);

/* Step 3: cipher suites (and the key exchange) (ciphers.c) */
gboolean decide_weak_offer(const facts *f, finding *g);
void say_weak_offer(GString *s, const finding *g);
gboolean decide_refusal_after_server_hello(const facts *f, finding *g);
void say_refusal_after_server_hello(GString *s, const finding *g);
gboolean decide_ciphers(const facts *f, finding *g);
void say_ciphers(GString *s, const finding *g);
gboolean decide_small_dh_group(const facts *f, finding *g);
void say_small_dh_group(GString *s, const finding *g);

/* The key exchange: groups, a HelloRetryRequest, signature algorithms
 * (key_exchange.c); ALPN (alpn.c) */
guint suites_overlap(const apg_offer *o, const guint16 *known, guint n);
gboolean decide_group_retry(const facts *f, finding *g);
void say_group_retry(GString *s, const finding *g);
gboolean decide_groups(const facts *f, finding *g);
void say_groups(GString *s, const finding *g);
gboolean decide_signatures(const facts *f, finding *g);
void say_signatures(GString *s, const finding *g);
gboolean decide_alpn(const facts *f, finding *g);
gboolean decide_alpn_unread(const facts *f, finding *g);
void say_alpn(GString *s, const finding *g); /* both ALPN rules */

/* Step 4: the server's certificate (certificates.c, cert_alerts.c) */
extern const gint16 cert_alerts[];
gboolean is_cert_alert(guint8 desc);
gboolean decide_server_certificate(const facts *f, finding *g);
void say_server_certificate(GString *s, const finding *g);
gboolean decide_alert_alone(const facts *f, finding *g);
void say_alert_alone(GString *s, const finding *g);
gboolean decide_certificate_left(const facts *f, finding *g);
void say_certificate_left(GString *s, const finding *g);
/* The chain's finding that explains a refusal best (only a date when
 * dated_only), APG_CERT_FINDING_COUNT for none; and the cause it names. */
apg_cert_finding refusing_finding(const apg_chain_report *r, gboolean dated_only);
apg_cause cause_of_cert_finding(apg_cert_finding c);
/* For an incomplete sole certificate, allows cert_unknown (a private root
 * the client lacks) and says TRUE: then the chain cannot be certain. */
gboolean allow_root_unknown(finding *g, const apg_chain_report *r, apg_cert_finding c);
/* "the chain is complete, links up, was valid at the capture's time, names
 * "x"": what was checked and passed. */
void say_chain_checked(GString *s, const apg_chain_report *r);

/* Step 5: the client's certificate (two-way TLS) (client_certificates.c) */
gboolean decide_client_certificate(const facts *f, finding *g);
void say_client_certificate(GString *s, const finding *g);
gboolean decide_refused_after_handshake(const facts *f, finding *g);
gboolean decide_tls13_server_refuses_client(const facts *f, finding *g);
void say_tls13_server_refuses_client(GString *s, const finding *g);

/* The forward proxy's leg (proxy.c) */
void decide_proxy_refused(const facts *f, finding *g);
void say_proxy_refused(GString *s, const finding *g);

/* What is left: closes, resets and silence (closes.c) */
void decide_mechanical(const facts *f, finding *g);
void say_mechanical(GString *s, const finding *g);

/* An established handshake, and its risks (success.c) */
void decide_success(const facts *f, finding *g);
void say_success(GString *s, const finding *g);
const char *remedy_for_warnings(guint w, apg_direction direction);

#endif /* APG_PLAYBOOK_H */
