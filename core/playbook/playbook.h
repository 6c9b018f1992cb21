/* playbook.h - what the playbook's steps share: the facts gathered once,
 * the answer being made, and each step's entry points. Internal to
 * core/playbook/; the public entry is apg_diagnose() (apg_diagnosis.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_PLAYBOOK_H
#define APG_PLAYBOOK_H

#include "apg_diagnosis.h"

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

typedef struct {
    apg_diagnosis *d;
    GString *why;
} answer;

/* The driver (driver.c) */

/* A finding being made, and the phrases every step shares (answer.c) */
const char *vname(guint16 v);
const char *alert_name(guint8 desc);
gboolean conclude(answer *a, apg_cause cause, apg_confidence confidence);
void allow(answer *a, apg_cause c);
void rests_on(answer *a, guint basis);
void cite(answer *a, guint32 frame);
void say_alert(answer *a, const facts *f);
void say_abort(answer *a, const facts *f);
void say_client_hello(answer *a, const facts *f, const char *lead);

/* Step 1: the protocol version (version.c) */
gboolean rule_version(answer *a, const facts *f);
void say_server_choice(answer *a, const facts *f);
gboolean rule_version_refused_by_client(answer *a, const facts *f);

/* Step 2: SNI (sni.c) */
gboolean rule_sni(answer *a, const facts *f);
gboolean rule_sni_warning(answer *a, const facts *f);

/* Step 3: cipher suites (and the key exchange) (ciphers.c) */
gboolean rule_weak_offer(answer *a, const facts *f);
gboolean rule_refusal_after_server_hello(answer *a, const facts *f);
gboolean rule_ciphers(answer *a, const facts *f);
gboolean rule_small_dh_group(answer *a, const facts *f);

/* Step 4: the server's certificate (certificates.c) */
gboolean is_cert_alert(guint8 desc);
void say_names(answer *a, const apg_chain_report *r);
void say_default_names(answer *a, const apg_cert *leaf);
gboolean rule_server_certificate(answer *a, const facts *f);

/* Step 5: the client's certificate (two-way TLS) (client_certificates.c) */
gboolean rule_client_certificate(answer *a, const facts *f);
gboolean rule_tls13_server_refuses_client(answer *a, const facts *f);

/* What is left: closes, resets and silence (closes.c) */
void explain_mechanical(answer *a, const facts *f);

/* An established handshake, and its risks (success.c) */
void diagnose_success(answer *a, const facts *f);
const char *remedy_for_warnings(guint w, apg_direction direction);

#endif /* APG_PLAYBOOK_H */
