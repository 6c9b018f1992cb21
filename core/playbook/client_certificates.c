/* client_certificates.c - playbook step 5: two-way TLS. The server refuses or
 * misses the client's certificate.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "playbook.h"

enum {
    CLIENT_EMPTY,          /* an empty Certificate */
    CLIENT_NONE,           /* no Certificate at all */
    CLIENT_REFUSED,        /* certificates sent and refused */
    CLIENT_REFUSED_SILENT, /* certificates sent, then the server closed without an alert */
    CLIENT_REFUSED_AFTER,  /* the handshake completed, then the server left without a byte */
};

/* The client chain's finding that tells which store to fix, in order. */
static const apg_cert_finding telling_findings[] = {APG_CERT_EXPIRED, APG_CERT_NOT_YET_VALID,
                                                    APG_CERT_CHAIN_INCOMPLETE,
                                                    APG_CERT_CHAIN_INVALID, APG_CERT_UNTRUSTED};

static void note_client_chain(finding *g, const apg_chain_report *r)
{
    if (!r || !r->n)
        return;
    g->chain = r;
    compares(g, APG_COMPARED_CLIENT_CERT);
    for (guint i = 0; i < G_N_ELEMENTS(telling_findings); i++)
        if (apg_chain_has(r, telling_findings[i])) {
            g->cert_findings = APG_CERT_BIT(telling_findings[i]);
            return;
        }
}

/* A client certificate out of date at the capture's time, refused with the
 * alert that says so, is that certificate's date problem: the fix is in
 * the client's keystore, not the server's truststore. */
static apg_cause client_certificate_cause(const facts *f, finding *g)
{
    const apg_chain_report *r = f->ctx->client_chain;
    if (!r || !r->n)
        return APG_CAUSE_CLIENT_CERT_REJECTED;
    gboolean says_date = f->desc == APG_ALERT_CERTIFICATE_EXPIRED ||
                         f->desc == APG_ALERT_BAD_CERTIFICATE ||
                         f->desc == APG_ALERT_CERTIFICATE_UNKNOWN;
    gboolean expired = apg_chain_has(r, APG_CERT_EXPIRED);
    if (!says_date || (!expired && !apg_chain_has(r, APG_CERT_NOT_YET_VALID)))
        return APG_CAUSE_CLIENT_CERT_REJECTED;
    g->d->client_certificate = TRUE;
    allow(g, APG_CAUSE_CLIENT_CERT_REJECTED);
    return expired ? APG_CAUSE_CERT_EXPIRED : APG_CAUSE_CERT_NOT_YET_VALID;
}

static void note_ca_names(finding *g, const facts *f)
{
    const apg_ca_match *m = f->ctx->ca_match;
    if (!m || !m->n_names)
        return;
    g->ca = m;
    compares(g, APG_COMPARED_CA_NAMES);
}

gboolean decide_client_certificate(const facts *f, finding *g)
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
    /* a server that checks the certificate after the client's flight may
     * close without a word (issue 18): likely, not certain */
    gboolean silent = !f->v->has_alert && server_answered && !none_sent;
    if (!none_sent && !silent && (!f->alert_known || !is_cert_alert(f->desc)))
        return FALSE;
    g->frame2 = hs->cert_request_frame;
    g->frame3 = hs->client_cert_frame;
    g->count = hs->client_cert_count;
    compares(g, APG_COMPARED_CLIENT_CERT);
    note_ca_names(g, f);
    if (none_sent) {
        g->reading = hs->client_cert_frame ? CLIENT_EMPTY : CLIENT_NONE;
        note_ending(g, f);
        return conclude(g, APG_CAUSE_CLIENT_CERT_MISSING, APG_CONFIDENCE_CERTAIN);
    }
    note_client_chain(g, f->ctx->client_chain);
    if (silent) {
        g->reading = CLIENT_REFUSED_SILENT;
        note_ending(g, f);
        allow(g, f->v->cause);
        return conclude(g, APG_CAUSE_CLIENT_CERT_REJECTED, APG_CONFIDENCE_LIKELY);
    }
    g->reading = CLIENT_REFUSED;
    note_alert(g, f);
    return conclude(g, client_certificate_cause(f, g), APG_CONFIDENCE_CERTAIN);
}

/* The CertificateRequest's list against the chain: "reaches "X", a CA
 * the server lists", or none of them. */
static void say_ca_names(GString *s, const finding *g)
{
    const apg_ca_match *m = g->ca;
    char *name = apg_dn_text(m->name); /* worded here: the match keeps the DER */
    if (m->reached == 1)
        g_string_append_printf(s, "; its chain reaches \"%s\", a CA the CertificateRequest lists",
                               name);
    else if (m->reached == 0 && m->n_names == 1)
        g_string_append_printf(s,
                               "; its chain does not reach the one CA the CertificateRequest "
                               "lists (\"%s\")",
                               name);
    else if (m->reached == 0)
        g_string_append_printf(s,
                               "; its chain reaches none of the %u CA%s the CertificateRequest "
                               "lists (%s\"%s\")",
                               m->n_names, m->n_names == 1 ? "" : "s",
                               m->n_names == 1 ? "" : "first: ", name);
    else
        g_string_append_printf(s, "; the server listed %u CA%s it accepts (%s\"%s\")", m->n_names,
                               m->n_names == 1 ? "" : "s", m->n_names == 1 ? "" : "first: ", name);
    g_free(name);
}

/* A sound chain: what the list says of the server's trust. */
static void say_sound_chain(GString *s, const finding *g, const char *root)
{
    gboolean listed = g->ca && g->ca->reached == 1, unlisted = g->ca && g->ca->reached == 0;
    if (listed)
        g_string_append(s, "; its chain is complete and in date, and the server lists its CA: "
                           "the refusal is of the certificate itself (a policy such as an "
                           "allow-list of subjects, its key usage, revocation)");
    else if (g->reading != CLIENT_REFUSED && !unlisted) /* no alert names a trust problem */
        g_string_append_printf(s,
                               "; its chain is complete and in date (root \"%s\"): the server's "
                               "truststore may lack that root, or its policy (an allow-list of "
                               "subjects) refuse this certificate",
                               root);
    else
        g_string_append_printf(s,
                               "; its chain is complete and in date, so the server's truststore "
                               "lacks the client's root \"%s\"",
                               root);
}

/* TLS 1.2: a server that checks the client's certificate once the handshake
 * is complete (an allow-list of subjects) sends its Finished, then closes
 * without an alert or a byte, before the client sent any data. */
gboolean decide_refused_after_handshake(const facts *f, finding *g)
{
    const apg_handshake *hs = f->hs;
    if (f->v->next != APG_NEXT_SERVER_LEFT || !hs->cert_request_frame || !hs->client_cert_count ||
        hs->encrypted_frame[APG_ROLE_SERVER])
        return FALSE;
    g->reading = CLIENT_REFUSED_AFTER;
    g->frame2 = hs->cert_request_frame;
    g->frame3 = hs->client_cert_frame;
    g->count = hs->client_cert_count;
    cite(g, hs->cert_request_frame);
    cite(g, hs->client_cert_frame);
    cite(g, f->v->next_frame);
    gboolean reset = hs->rst_frame[APG_ROLE_SERVER] &&
                     (!hs->fin_frame[APG_ROLE_SERVER] ||
                      hs->rst_frame[APG_ROLE_SERVER] < hs->fin_frame[APG_ROLE_SERVER]);
    g->end = (ending){.sender = APG_ROLE_SERVER, .frame = f->v->next_frame, .reset = reset};
    compares(g, APG_COMPARED_CLIENT_CERT | APG_COMPARED_CLIENT_DATA);
    note_client_chain(g, f->ctx->client_chain);
    note_ca_names(g, f);
    allow(g, reset ? APG_CAUSE_SERVER_RESET : APG_CAUSE_SERVER_CLOSED);
    g->d->abandoned = TRUE;
    return conclude(g, APG_CAUSE_CLIENT_CERT_REJECTED, APG_CONFIDENCE_LIKELY);
}

/* What the client's own chain shows, to tell which store to fix. */
static void say_client_chain(GString *s, const finding *g)
{
    const apg_chain_report *r = g->chain;
    if (g->ca)
        say_ca_names(s, g);
    if (!r)
        return;
    if (g->cert_findings) {
        for (guint c = 0; c < APG_CERT_FINDING_COUNT; c++)
            if (g->cert_findings & APG_CERT_BIT(c)) {
                g_string_append(s, "; ");
                apg_cert_finding_say(s, r, (apg_cert_finding)c, "the client's", FALSE);
            }
    } else if (r->top && r->top->issuer) {
        say_sound_chain(s, g, r->top->issuer);
    }
}

void say_client_certificate(GString *s, const finding *g)
{
    g_string_append_printf(s, "The server asked for a client certificate (frame %u); ", g->frame2);
    if (g->reading == CLIENT_EMPTY)
        g_string_append_printf(s,
                               "the client sent an empty Certificate (frame %u) and the server "
                               "answered with ",
                               g->frame3);
    else if (g->reading == CLIENT_NONE)
        g_string_append(s, "the client sent none and the server answered with ");
    else if (g->reading == CLIENT_REFUSED_SILENT)
        g_string_append_printf(s,
                               "the client sent %u certificate%s (frame %u), and the server "
                               "ended the connection with ",
                               g->count, g->count == 1 ? "" : "s", g->frame3);
    else if (g->reading == CLIENT_REFUSED_AFTER)
        g_string_append_printf(s,
                               "the client sent %u certificate%s (frame %u), the handshake "
                               "completed, and before the client sent any data the server "
                               "ended the connection with ",
                               g->count, g->count == 1 ? "" : "s", g->frame3);
    else
        g_string_append_printf(s,
                               "the client sent %u certificate%s (frame %u) and the server "
                               "refused them with ",
                               g->count, g->count == 1 ? "" : "s", g->frame3);
    say_ending(s, g);
    gboolean refused = g->reading == CLIENT_REFUSED || g->reading == CLIENT_REFUSED_SILENT ||
                       g->reading == CLIENT_REFUSED_AFTER;
    if (refused)
        say_client_chain(s, g);
    else if (g->ca)
        say_ca_names(s, g);
    if (g->reading == CLIENT_REFUSED_SILENT || g->reading == CLIENT_REFUSED_AFTER)
        g_string_append(s, ": servers that check the client's certificate after the handshake "
                           "close like this; it may also have closed for another reason");
    g_string_append(s, ".");
}

/* An empty TLS 1.3 Certificate record: 8 bytes of message, the inner type
 * and the tag; one carrying a certificate is hundreds of bytes. */
#define TLS13_EMPTY_CERTIFICATE_MAX 40
/* The largest TLS 1.3 Finished record (SHA-384: 48 bytes of MAC, the
 * handshake header, the inner type, the tag): a larger first record of the
 * client's flight carries a certificate. */
#define TLS13_MAX_FINISHED_LEN 69

enum {
    TLS13_EMPTY_CERTIFICATE, /* the records show an empty Certificate */
    TLS13_SENT_CERTIFICATE,  /* the records show a certificate */
    TLS13_UNSIZED,           /* the records do not tell */
};

/* TLS 1.3 without keys: the server's encrypted alert after the client's
 * final flight. OpenSSL and Java send one message per record, so the
 * records' count and sizes show a CertificateRequest (EncryptedExtensions,
 * CertificateRequest, Certificate, CertificateVerify, Finished: 5) and what
 * the client answered (an empty Certificate and a Finished: 2 records; a
 * certificate, its CertificateVerify and a Finished: 3). */
gboolean decide_tls13_server_refuses_client(const facts *f, finding *g)
{
    const apg_handshake *hs = f->hs;
    if (apg_hs_negotiated_version(hs) != APG_TLS13)
        return FALSE;
    /* a silent close after the flight: only the records' sizes can tell */
    gboolean silent = !f->v->has_alert;
    if (silent && f->v->cause != APG_CAUSE_SERVER_RESET && f->v->cause != APG_CAUSE_SERVER_CLOSED)
        return FALSE;
    if (silent)
        note_ending(g, f);
    else
        note_alert(g, f);
    allow(g, silent ? f->v->cause : APG_CAUSE_ALERT_OTHER);
    gboolean asked = hs->n_flight[APG_ROLE_SERVER] >= 5;
    guint n_client = hs->n_flight[APG_ROLE_CLIENT];
    guint first = n_client ? hs->flight_len[APG_ROLE_CLIENT][0] : 0;
    /* The client's records until the server answers; data may follow its
     * Finished at once, so only the first record's size tells. */
    gboolean empty = n_client >= 2 && first <= TLS13_EMPTY_CERTIFICATE_MAX;
    gboolean sent = n_client >= 3 && first > TLS13_MAX_FINISHED_LEN;
    if (!asked || (!empty && !sent)) {
        if (silent)
            return FALSE; /* the close alone: closes.c */
        g->reading = TLS13_UNSIZED;
        allow(g, APG_CAUSE_CLIENT_CERT_MISSING);
        allow(g, APG_CAUSE_CLIENT_CERT_REJECTED);
        return conclude(g, APG_CAUSE_ALERT_OTHER, APG_CONFIDENCE_POSSIBLE);
    }
    g->reading = empty ? TLS13_EMPTY_CERTIFICATE : TLS13_SENT_CERTIFICATE;
    rests_on(g, APG_BASIS_RECORD_SIZES);
    compares(g, APG_COMPARED_RECORDS);
    for (guint r = 0; r < 2; r++) {
        g->n_records[r] = hs->n_flight[r];
        for (guint i = 0; i < MIN(hs->n_flight[r], G_N_ELEMENTS(g->record_len[r])); i++)
            g->record_len[r][i] = hs->flight_len[r][i];
    }
    allow(g, empty ? APG_CAUSE_CLIENT_CERT_REJECTED : APG_CAUSE_CLIENT_CERT_MISSING);
    return conclude(g, empty ? APG_CAUSE_CLIENT_CERT_MISSING : APG_CAUSE_CLIENT_CERT_REJECTED,
                    APG_CONFIDENCE_LIKELY);
}

void say_tls13_server_refuses_client(GString *s, const finding *g)
{
    g_string_append(s, "After the client's final flight the server sent ");
    say_ending(s, g);
    if (g->reading == TLS13_UNSIZED) {
        g_string_append(s, "; in TLS 1.3 that is most often a missing or rejected client "
                           "certificate (two-way TLS). A key log (tls.keylog_file) would show "
                           "the alert and the CertificateRequest.");
        return;
    }
    guint n_client = g->n_records[APG_ROLE_CLIENT];
    g_string_append_printf(s,
                           "; the server's encrypted flight has %u records, room for a "
                           "CertificateRequest, and the client answered with %u (",
                           g->n_records[APG_ROLE_SERVER], n_client);
    for (guint i = 0; i < MIN(n_client, G_N_ELEMENTS(g->record_len[0])); i++)
        g_string_append_printf(s, "%s%u", i ? ", " : "", g->record_len[APG_ROLE_CLIENT][i]);
    g_string_append(s, " bytes)");
    g_string_append(s, g->reading == TLS13_EMPTY_CERTIFICATE
                           ? ": first an empty Certificate, then its Finished, so the server most "
                             "likely wanted a client certificate."
                           : ": first a certificate, then its CertificateVerify and Finished, so "
                             "the server most likely refused the client's certificate.");
    g_string_append(s, " A key log (tls.keylog_file) would confirm it.");
}
