/* client_certificates.c - playbook step 5: two-way TLS. The server refuses or
 * misses the client's certificate.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "playbook.h"

#include <string.h>

/* What the client's own chain shows, to tell which store to fix. */
static void say_client_chain(answer *a, const apg_chain_report *r)
{
    char buf[32];
    if (!r || !r->n)
        return;
    if (r->expired_index >= 0) {
        char *by = apg_duration_text(r->time_off_by);
        g_string_append_printf(a->why, "; the client's %s had expired %s before the capture",
                               apg_cert_role((guint)r->expired_index, r->n, NULL, buf, sizeof buf),
                               by);
        g_free(by);
    } else if (r->not_yet_valid_index >= 0) {
        g_string_append_printf(
            a->why, "; the client's %s was not yet valid",
            apg_cert_role((guint)r->not_yet_valid_index, r->n, NULL, buf, sizeof buf));
    } else if (r->chain == APG_CHAIN_INCOMPLETE) {
        g_string_append_printf(a->why, "; the client did not send the issuer \"%s\"",
                               r->chain_detail);
    } else if (r->chain == APG_CHAIN_INVALID) {
        g_string_append_printf(a->why, "; the client's chain is invalid: %s", r->chain_detail);
    } else if (r->trust_checked && !r->trusted) {
        g_string_append(a->why, "; its chain does not lead to a root of the configured "
                                "truststore");
    } else if (r->top && r->top->issuer) {
        g_string_append_printf(a->why,
                               "; its chain is complete and in date, so the server's "
                               "truststore lacks the client's root \"%s\"",
                               r->top->issuer);
    }
}

/* A client certificate out of date at the capture's time, refused with the
 * alert that says so, is that certificate's date problem: the fix is in
 * the client's keystore, not the server's truststore. */
static apg_cause client_certificate_cause(answer *a, const facts *f)
{
    const apg_chain_report *r = f->ctx->client_chain;
    if (!r || !r->n)
        return APG_CAUSE_CLIENT_CERT_REJECTED;
    gboolean says_date = f->desc == APG_ALERT_CERTIFICATE_EXPIRED ||
                         f->desc == APG_ALERT_BAD_CERTIFICATE ||
                         f->desc == APG_ALERT_CERTIFICATE_UNKNOWN;
    if (!says_date || (r->expired_index < 0 && r->not_yet_valid_index < 0))
        return APG_CAUSE_CLIENT_CERT_REJECTED;
    a->d->client_certificate = TRUE;
    allow(a, APG_CAUSE_CLIENT_CERT_REJECTED);
    return r->expired_index >= 0 ? APG_CAUSE_CERT_EXPIRED : APG_CAUSE_CERT_NOT_YET_VALID;
}

gboolean rule_client_certificate(answer *a, const facts *f)
{
    const apg_handshake *hs = f->hs;
    if (!hs->cert_request_frame || f->v->failed_side != APG_ROLE_SERVER ||
        f->v->stage < APG_STAGE_AFTER_CERTIFICATE)
        return FALSE;
    gboolean none_sent = !hs->client_cert_frame || hs->client_cert_count == 0;
    /* "answered with" needs an answer: silence is left to the mechanical cause. */
    gboolean server_answered = f->v->has_alert || f->v->cause == APG_CAUSE_SERVER_RESET ||
                               f->v->cause == APG_CAUSE_SERVER_CLOSED;
    if (none_sent && !server_answered)
        return FALSE;
    g_string_append_printf(a->why, "The server asked for a client certificate (frame %u); ",
                           hs->cert_request_frame);
    if (none_sent) {
        if (hs->client_cert_frame)
            g_string_append_printf(a->why,
                                   "the client sent an empty Certificate (frame %u) and "
                                   "the server answered with ",
                                   hs->client_cert_frame);
        else
            g_string_append(a->why, "the client sent none and the server answered with ");
        say_abort(a, f);
        g_string_append(a->why, ".");
        return conclude(a, APG_CAUSE_CLIENT_CERT_MISSING, APG_CONFIDENCE_CERTAIN);
    }
    if (!f->alert_known || !is_cert_alert(f->desc))
        return FALSE;
    g_string_append_printf(a->why,
                           "the client sent %u certificate%s (frame %u) and the server "
                           "refused them with ",
                           hs->client_cert_count, hs->client_cert_count == 1 ? "" : "s",
                           hs->client_cert_frame);
    say_alert(a, f);
    say_client_chain(a, f->ctx->client_chain);
    g_string_append(a->why, ".");
    return conclude(a, client_certificate_cause(a, f), APG_CONFIDENCE_CERTAIN);
}

/* An empty TLS 1.3 Certificate record: 8 bytes of message, the inner type
 * and the tag; one carrying a certificate is hundreds of bytes. */
#define TLS13_EMPTY_CERTIFICATE_MAX 40
/* The largest TLS 1.3 Finished record (SHA-384: 48 bytes of MAC, the
 * handshake header, the inner type, the tag): a larger first record of the
 * client's flight carries a certificate. */
#define TLS13_MAX_FINISHED_LEN 69

/* TLS 1.3 without keys: the server's encrypted alert after the client's
 * final flight. OpenSSL and Java send one message per record, so the
 * records' count and sizes show a CertificateRequest (EncryptedExtensions,
 * CertificateRequest, Certificate, CertificateVerify, Finished: 5) and what
 * the client answered (an empty Certificate and a Finished: 2 records; a
 * certificate, its CertificateVerify and a Finished: 3). */
gboolean rule_tls13_server_refuses_client(answer *a, const facts *f)
{
    const apg_handshake *hs = f->hs;
    if (!f->alert_encrypted || f->alert_sender != APG_ROLE_SERVER ||
        apg_hs_negotiated_version(hs) != APG_TLS13)
        return FALSE;
    g_string_append(a->why, "After the client's final flight the server sent ");
    say_alert(a, f);
    allow(a, APG_CAUSE_ALERT_OTHER);
    gboolean asked = hs->n_flight[APG_ROLE_SERVER] >= 5;
    guint n_client = hs->n_flight[APG_ROLE_CLIENT];
    guint first = n_client ? hs->flight_len[APG_ROLE_CLIENT][0] : 0;
    /* The client's records until the server answers; data may follow its
     * Finished at once, so only the first record's size tells. */
    gboolean empty = n_client >= 2 && first <= TLS13_EMPTY_CERTIFICATE_MAX;
    gboolean sent = n_client >= 3 && first > TLS13_MAX_FINISHED_LEN;
    if (asked && (empty || sent)) {
        rests_on(a, APG_BASIS_RECORD_SIZES);
        g_string_append_printf(a->why,
                               "; the server's encrypted flight has %u records, room for "
                               "a CertificateRequest, and the client answered with %u (",
                               hs->n_flight[APG_ROLE_SERVER], n_client);
        for (guint i = 0; i < n_client; i++)
            g_string_append_printf(a->why, "%s%u", i ? ", " : "",
                                   hs->flight_len[APG_ROLE_CLIENT][i]);
        g_string_append(a->why, " bytes)");
        g_string_append(a->why, empty ? ": first an empty Certificate, then its Finished, so the "
                                        "server most likely wanted a client certificate."
                                      : ": first a certificate, then its CertificateVerify and "
                                        "Finished, so the server most likely refused the "
                                        "client's certificate.");
        g_string_append(a->why, " A key log (tls.keylog_file) would confirm it.");
        allow(a, empty ? APG_CAUSE_CLIENT_CERT_REJECTED : APG_CAUSE_CLIENT_CERT_MISSING);
        return conclude(a, empty ? APG_CAUSE_CLIENT_CERT_MISSING : APG_CAUSE_CLIENT_CERT_REJECTED,
                        APG_CONFIDENCE_LIKELY);
    }
    allow(a, APG_CAUSE_CLIENT_CERT_MISSING);
    allow(a, APG_CAUSE_CLIENT_CERT_REJECTED);
    g_string_append(a->why, "; in TLS 1.3 that is most often a missing or rejected client "
                            "certificate (two-way TLS). A key log (tls.keylog_file) would show "
                            "the alert and the CertificateRequest.");
    return conclude(a, APG_CAUSE_ALERT_OTHER, APG_CONFIDENCE_POSSIBLE);
}
