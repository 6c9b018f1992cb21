/* driver.c - the playbook's driver: the facts gathered once, the rules in the
 * playbook's order (as data: the stage each is asked at and the endings it
 * claims), the confidence discipline (certain only when the deciding
 * evidence is on the wire and was read), and the wording of the finding.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "playbook.h"

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

#define ALERTS(...) ((const gint16[]){__VA_ARGS__, ALERTS_END})
#define REFUSALS    ALERTS(APG_ALERT_HANDSHAKE_FAILURE, APG_ALERT_INSUFFICIENT_SECURITY)
#define KX_REFUSALS                                                                                \
    ALERTS(APG_ALERT_HANDSHAKE_FAILURE, APG_ALERT_INSUFFICIENT_SECURITY,                           \
           APG_ALERT_ILLEGAL_PARAMETER)
#define RULE(n) decide_##n, say_##n

/* The playbook's order: for a server that aborts right after the
 * ClientHello the version, the suites an offer cannot be served with, SNI,
 * then the suites; for later failures the client's refusals, two-way TLS
 * and the server's certificate. A new rule is a row here. */
const rule playbook_rules[] = {
    {"alpn.refused", STAGE_SERVER_ABORTED_EARLY, APG_ROLE_SERVER, ENDS_READ_ALERT,
     ALERTS(APG_ALERT_NO_APPLICATION_PROTOCOL), RULE(alpn)},
    {"version.offered", STAGE_SERVER_ABORTED_EARLY, RULE_EITHER, ENDS_ANY, NULL, RULE(version)},
    {"groups.retry_refused", STAGE_SERVER_ABORTED_EARLY, RULE_EITHER, ENDS_ANY, NULL,
     RULE(group_retry)},
    {"ciphers.weak_offer", STAGE_SERVER_ABORTED_EARLY, RULE_EITHER, ENDS_READ_ALERT, REFUSALS,
     RULE(weak_offer)},
    {"sni.missing", STAGE_SERVER_ABORTED_EARLY, RULE_EITHER, ENDS_ANY,
     ALERTS(APG_ALERT_UNRECOGNIZED_NAME, APG_ALERT_HANDSHAKE_FAILURE), RULE(sni)},
    {"alpn.refused_unread", STAGE_SERVER_ABORTED_EARLY, APG_ROLE_SERVER, ENDS_ENCRYPTED_ALERT, NULL,
     decide_alpn_unread, say_alpn},
    {"ciphers.after_server_hello", STAGE_SERVER_ABORTED_EARLY, RULE_EITHER, ENDS_ENCRYPTED_ALERT,
     NULL, RULE(refusal_after_server_hello)},
    {"groups.no_overlap", STAGE_SERVER_ABORTED_EARLY, RULE_EITHER, ENDS_READ_ALERT, KX_REFUSALS,
     RULE(groups)},
    {"signatures.no_overlap", STAGE_SERVER_ABORTED_EARLY, RULE_EITHER, ENDS_READ_ALERT, KX_REFUSALS,
     RULE(signatures)},
    {"ciphers.no_overlap", STAGE_SERVER_ABORTED_EARLY, RULE_EITHER, ENDS_READ_ALERT,
     ALERTS(APG_ALERT_HANDSHAKE_FAILURE, APG_ALERT_INSUFFICIENT_SECURITY,
            APG_ALERT_ILLEGAL_PARAMETER),
     RULE(ciphers)},
    {"path_mtu.too_big", STAGE_LATER, RULE_EITHER, ENDS_SILENT, NULL, RULE(path_mtu)},
    {"groups.retry_abandoned", STAGE_LATER, APG_ROLE_CLIENT, ENDS_ANY, NULL, RULE(group_retry)},
    {"version.refused_by_client", STAGE_LATER, APG_ROLE_CLIENT,
     ENDS_READ_ALERT | ENDS_ENCRYPTED_ALERT, NULL, RULE(version_refused_by_client)},
    {"sni.warning", STAGE_LATER, APG_ROLE_CLIENT, ENDS_READ_ALERT | ENDS_ENCRYPTED_ALERT, NULL,
     RULE(sni_warning)},
    {"ciphers.small_dh_group", STAGE_LATER, APG_ROLE_CLIENT, ENDS_READ_ALERT,
     ALERTS(APG_ALERT_HANDSHAKE_FAILURE, APG_ALERT_INSUFFICIENT_SECURITY,
            APG_ALERT_ILLEGAL_PARAMETER),
     RULE(small_dh_group)},
    {"client_certificate.refused", STAGE_LATER, RULE_EITHER, ENDS_ANY, NULL,
     RULE(client_certificate)},
    {"client_certificate.tls13_sizes", STAGE_LATER, APG_ROLE_SERVER,
     ENDS_ENCRYPTED_ALERT | ENDS_SILENT, NULL, RULE(tls13_server_refuses_client)},
    {"certificate.refused", STAGE_LATER, APG_ROLE_CLIENT, ENDS_READ_ALERT | ENDS_ENCRYPTED_ALERT,
     cert_alerts, RULE(server_certificate)},
    {"certificate.left_silently", STAGE_LATER, APG_ROLE_CLIENT, ENDS_SILENT, NULL,
     RULE(certificate_left)},
};
const guint n_playbook_rules = G_N_ELEMENTS(playbook_rules);

static gboolean lists(const gint16 *alerts, guint8 desc)
{
    for (guint i = 0; alerts[i] != ALERTS_END; i++)
        if (alerts[i] == desc)
            return TRUE;
    return FALSE;
}

/* Whether the handshake ended as the rule claims. */
static gboolean claims(const rule *r, const facts *f)
{
    if (!f->v->has_alert)
        return (r->ends & ENDS_SILENT) != 0;
    if (r->from != RULE_EITHER && f->alert_sender != (apg_role)r->from)
        return FALSE;
    if (f->alert_encrypted)
        return (r->ends & ENDS_ENCRYPTED_ALERT) != 0;
    return (r->ends & ENDS_READ_ALERT) && (!r->alerts || lists(r->alerts, f->desc));
}

/* The first rule of the stage that claims the ending and decides. */
static const rule *run_rules(finding *g, const facts *f, rule_stage stage)
{
    const apg_diagnosis kept = *g->d;
    for (guint i = 0; i < n_playbook_rules; i++) {
        const rule *r = &playbook_rules[i];
        if (r->stage != stage || !claims(r, f))
            continue;
        if (r->decide(f, g))
            return r;
        *g->d = kept; /* a rule that declines leaves nothing */
        *g = (finding){.d = g->d};
    }
    return NULL;
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
    case APG_BASIS_ROLES:
        return "which side is the client (no ClientHello, TCP handshake or "
               "one-sided message in the capture)";
    }
    return NULL;
}

/* Decides the finding and returns the function that words it. */
static say_fn decide(const facts *f, finding *g)
{
    const apg_verdict *v = f->v;
    if (v->cause == APG_CAUSE_PROXY_REFUSED) {
        g->d->rule = "proxy.refused";
        decide_proxy_refused(f, g);
        return say_proxy_refused;
    }
    if (v->outcome == APG_OUTCOME_ESTABLISHED && decide_refused_after_handshake(f, g)) {
        g->d->rule = "client_certificate.refused_after_handshake";
        return say_client_certificate;
    }
    if (v->outcome == APG_OUTCOME_ESTABLISHED) {
        g->d->rule = "success";
        decide_success(f, g);
        return say_success;
    }
    const rule *r = NULL;
    if (v->outcome == APG_OUTCOME_FAILED)
        r = run_rules(g, f, f->server_aborted_early ? STAGE_SERVER_ABORTED_EARLY : STAGE_LATER);
    if (r) {
        g->d->rule = r->name;
        return r->say;
    }
    if (v->outcome == APG_OUTCOME_PENDING)
        return NULL;
    g->d->rule = "closes";
    decide_mechanical(f, g);
    return say_mechanical;
}

static const char *remedy_of(const apg_diagnosis *d, const apg_verdict *v, apg_direction direction)
{
    if (v->gap == APG_GAP_OUT_OF_ORDER && d->cause == APG_CAUSE_INCOMPLETE_CAPTURE)
        return "Nothing was lost on the wire as far as this capture shows: enable "
               "tcp.reassemble_out_of_order (Edit > Preferences > Protocols > TCP, or "
               "tshark -o tcp.reassemble_out_of_order:TRUE) and read the capture again.";
    if (d->warnings && d->cause == APG_CAUSE_NONE)
        return remedy_for_warnings(d->warnings, direction);
    if (d->left_at_once && d->cause == APG_CAUSE_NONE)
        return "The handshake itself completed. If the client reported a certificate "
               "error, compare the certificate's names with the host the client asked for "
               "(and send SNI); a key log (tls.keylog_file) shows a TLS 1.3 certificate.";
    if (d->client_certificate)
        return apg_client_cert_remedy_text(d->cause, direction);
    return apg_remedy_text(d->cause, direction);
}

/* A failure after a HelloRetryRequest another rule explained: the retry is
 * worth naming (the groups asked for and key-shared), not its cause. */
static void say_retry_before(GString *s, finding *g, const apg_handshake *hs, const apg_verdict *v,
                             const apg_context *ctx)
{
    if (!hs->hrr_frame || !hs->hrr_group || v->outcome != APG_OUTCOME_FAILED ||
        g->d->cause == APG_CAUSE_GROUP_MISMATCH || hs->retry_key_share != 1)
        return;
    g->group_name = ctx->group_name;
    g_string_append_printf(s, " Before that, a HelloRetryRequest (frame %u) had asked for ",
                           hs->hrr_frame);
    say_group(s, g, hs->hrr_group);
    g_string_append(s, ", which the client's second ClientHello key-shared: the groups were "
                       "agreed.");
}

/* Where the summary first cites frame n ("frame 6", "frames 4 and 6"): the
 * number as a whole token with "frame" shortly before it; G_MAXSIZE if not
 * cited. */
static gsize cited_at(const char *summary, guint32 n)
{
    char token[16];
    g_snprintf(token, sizeof token, "%u", n);
    gsize len = strlen(token);
    for (const char *p = strstr(summary, token); p; p = strstr(p + 1, token)) {
        gboolean whole = (p == summary || !g_ascii_isdigit(p[-1])) && !g_ascii_isdigit(p[len]);
        gsize back = MIN((gsize)(p - summary), 24);
        char *before = g_strndup(p - back, back);
        gboolean after_frame = strstr(before, "frame") != NULL;
        g_free(before);
        if (whole && after_frame)
            return (gsize)(p - summary);
    }
    return G_MAXSIZE;
}

/* The evidence frames in the order the summary cites them (the others
 * after, as the rules listed them), so that the tree's links read like it. */
static void order_evidence_as_cited(apg_diagnosis *d)
{
    gsize at[G_N_ELEMENTS(d->evidence)];
    for (guint i = 0; i < d->n_evidence; i++)
        at[i] = cited_at(d->summary, d->evidence[i]);
    for (guint i = 1; i < d->n_evidence; i++) /* insertion sort: stable, at most 6 */
        for (guint j = i; j > 0 && at[j - 1] > at[j]; j--) {
            gsize a = at[j];
            guint32 e = d->evidence[j];
            at[j] = at[j - 1], d->evidence[j] = d->evidence[j - 1];
            at[j - 1] = a, d->evidence[j - 1] = e;
        }
}

apg_diagnosis apg_diagnose(const apg_handshake *hs, const apg_verdict *v, const apg_context *ctx)
{
    apg_diagnosis d = {.cause = v->cause};
    finding g = {.d = &d};
    facts f = gather(hs, v, ctx);
    say_fn say = decide(&f, &g);
    gboolean starts_late = v->gap == APG_GAP_START && v->outcome != APG_OUTCOME_INCOMPLETE;
    if (starts_late)
        rests_on(&g, APG_BASIS_NO_CLIENT_HELLO);
    /* a verdict that names a side needs to know which side is which */
    gboolean roles_guessed =
        hs->roles_from <= APG_ROLES_PORT && v->outcome != APG_OUTCOME_INCOMPLETE;
    if (roles_guessed)
        rests_on(&g, APG_BASIS_ROLES);
    apply_discipline(&d);
    /* The words, from the finding alone. */
    GString *why = g_string_new(NULL);
    if (say)
        say(why, &g);
    if (starts_late)
        g_string_append(why, " The capture starts after the ClientHello: what was offered "
                             "(versions, SNI, suites) is unknown.");
    say_retry_before(why, &g, hs, v, ctx);
    if (roles_guessed)
        g_string_append(why, hs->roles_from == APG_ROLES_PORT
                                 ? " Which side is the client was read from the ports (the one "
                                   "that does not listen): neither a ClientHello, a TCP handshake "
                                   "nor a message only one side sends is in the capture."
                                 : " Which side is the client is not known (no ClientHello, TCP "
                                   "handshake or message only one side sends, and the ports do "
                                   "not tell): the first to send TLS was taken for it.");
    /* the words cite names from the wire (SNI, certificate names) */
    char *words = g_string_free(why, FALSE);
    d.summary = apg_text_printable(words);
    g_free(words);
    order_evidence_as_cited(&d);
    d.remedy = remedy_of(&d, v, ctx->direction);
    return d;
}

void apg_diagnosis_clear(apg_diagnosis *d)
{
    g_free(d->summary);
    d->summary = NULL;
}
