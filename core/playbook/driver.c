/* driver.c - the playbook's driver: the facts gathered once, the steps in the
 * playbook's order, and the confidence discipline (certain only when the
 * deciding evidence is on the wire and was read).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "playbook.h"

#include <string.h>

static void offered_range(const apg_offer *o, guint16 *lo, guint16 *hi)
{
    *lo = 0;
    *hi = apg_offer_highest_version(o);
    for (guint i = 0; i < o->n_versions; i++)
        if (apg_is_tls_version(o->versions[i]) && (!*lo || o->versions[i] < *lo))
            *lo = o->versions[i];
}

static facts gather(const apg_handshake *hs, const apg_verdict *v, const apg_context *ctx)
{
    facts f = {.hs = hs,
               .v = v,
               .ctx = ctx,
               .has_sni = hs->offer.sni != NULL,
               .saw_offer = hs->client_hello_frame != 0};
    offered_range(&hs->offer, &f.client_min, &f.client_max);
    if (v->has_alert) {
        f.alert_encrypted = v->alert.alert.encrypted;
        f.alert_known = !f.alert_encrypted;
        f.desc = v->alert.alert.desc;
        f.alert_sender = v->alert.sender;
    }
    /* Before any ServerHello; or after it but before a certificate (Java
     * sends ServerHello and EncryptedExtensions before choosing one). */
    gboolean before_certificate =
        v->stage == APG_STAGE_BEFORE_SERVER_HELLO ||
        (v->stage == APG_STAGE_AFTER_SERVER_HELLO && !hs->server_cert_frame &&
         !hs->encrypted_frame[APG_ROLE_CLIENT] && !hs->finished_frame[APG_ROLE_CLIENT]);
    f.server_aborted_early =
        v->outcome == APG_OUTCOME_FAILED && before_certificate && f.saw_offer &&
        v->has_failed_side && v->failed_side == APG_ROLE_SERVER &&
        (v->has_alert || v->cause == APG_CAUSE_SERVER_RESET || v->cause == APG_CAUSE_SERVER_CLOSED);
    return f;
}

typedef gboolean (*rule)(answer *, const facts *);

/* The playbook's order for a server that aborts right after the ClientHello,
 * then the rules for later stages. */
static const rule early_rules[] = {rule_version, rule_weak_offer, rule_sni,
                                   rule_refusal_after_server_hello, rule_ciphers};
static const rule later_rules[] = {rule_version_refused_by_client,
                                   rule_sni_warning,
                                   rule_small_dh_group,
                                   rule_client_certificate,
                                   rule_tls13_server_refuses_client,
                                   rule_server_certificate};

static gboolean run_rules(answer *a, const facts *f, const rule *rules, guint n)
{
    for (guint i = 0; i < n; i++) {
        if (rules[i](a, f))
            return TRUE;
        g_string_truncate(a->why, 0); /* a rule that declines leaves no words */
        a->d->has_overlap = FALSE;
    }
    return FALSE;
}

/* certain only when the deciding evidence is on the wire and was read. */
static void apply_discipline(apg_diagnosis *d)
{
    d->alternatives &= ~APG_CAUSE_BIT(d->cause);
    if (d->basis && d->confidence == APG_CONFIDENCE_CERTAIN)
        d->confidence = APG_CONFIDENCE_LIKELY;
}

const char *apg_basis_text(guint bit)
{
    switch (bit) {
    case APG_BASIS_ENCRYPTED_ALERT: return "the alert (encrypted: no key log)";
    case APG_BASIS_ENCRYPTED_CERT: return "the certificate (encrypted: no key log)";
    case APG_BASIS_RECORD_SIZES: return "the messages (read from record sizes)";
    case APG_BASIS_TIMING: return "the reason (read from timing)";
    case APG_BASIS_NO_CLIENT_HELLO: return "the ClientHello (not in the capture)";
    case APG_BASIS_ONE_DIRECTION: return "the server's direction (no packet from it)";
    case APG_BASIS_PROFILE: return "the server's settings (learned from its other handshakes)";
    case APG_BASIS_ELIMINATION: return "the refusal itself (concluded by elimination)";
    }
    return NULL;
}

apg_diagnosis apg_diagnose(const apg_handshake *hs, const apg_verdict *v, const apg_context *ctx)
{
    apg_diagnosis d = {.cause = v->cause};
    answer a = {.d = &d, .why = g_string_new(NULL)};
    facts f = gather(hs, v, ctx);
    gboolean done = FALSE;
    if (v->outcome == APG_OUTCOME_ESTABLISHED) {
        diagnose_success(&a, &f);
        done = TRUE;
    } else if (v->outcome == APG_OUTCOME_FAILED && f.server_aborted_early) {
        done = run_rules(&a, &f, early_rules, G_N_ELEMENTS(early_rules));
    } else if (v->outcome == APG_OUTCOME_FAILED) {
        done = run_rules(&a, &f, later_rules, G_N_ELEMENTS(later_rules));
    }
    if (!done && v->outcome != APG_OUTCOME_PENDING)
        explain_mechanical(&a, &f);
    if (v->gap == APG_GAP_START && v->outcome != APG_OUTCOME_INCOMPLETE) {
        rests_on(&a, APG_BASIS_NO_CLIENT_HELLO);
        g_string_append(a.why, " The capture starts after the ClientHello: what was offered "
                               "(versions, SNI, suites) is unknown.");
    }
    apply_discipline(&d);
    d.summary = g_string_free(a.why, FALSE);
    if (v->gap == APG_GAP_OUT_OF_ORDER && d.cause == APG_CAUSE_INCOMPLETE_CAPTURE)
        d.remedy = "Nothing was lost on the wire as far as this capture shows: enable "
                   "tcp.reassemble_out_of_order (Edit > Preferences > Protocols > TCP, or "
                   "tshark -o tcp.reassemble_out_of_order:TRUE) and read the capture again.";
    else if (d.warnings && d.cause == APG_CAUSE_NONE)
        d.remedy = remedy_for_warnings(d.warnings, ctx->direction);
    else if (d.left_at_once && d.cause == APG_CAUSE_NONE)
        d.remedy = "The handshake itself completed. If the client reported a certificate "
                   "error, compare the certificate's names with the host the client asked for "
                   "(and send SNI); a key log (tls.keylog_file) shows a TLS 1.3 certificate.";
    else if (d.client_certificate)
        d.remedy = apg_client_cert_remedy_text(d.cause, ctx->direction);
    else
        d.remedy = apg_remedy_text(d.cause, ctx->direction);
    return d;
}

void apg_diagnosis_clear(apg_diagnosis *d)
{
    g_free(d->summary);
    d->summary = NULL;
}
