/* certificates.c - playbook step 4: the server's certificate, refused by the
 * client: host name, chain, validity, trust (the chain's findings, computed
 * once in apg_cert_findings.c); or the default certificate of a ClientHello
 * without SNI. When the certificate cannot be read, cert_alerts.c reads the
 * alert alone.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "playbook.h"

enum {
    CERT_OPAQUE_FLIGHT = 100, /* an encrypted alert right after the encrypted flight */
    CERT_FINDING,             /* a finding of the chain explains it (cert_findings) */
    CERT_CLOCK,               /* certificate_expired, yet all was valid at the capture's time */
    CERT_DEFAULT,             /* no SNI: the server's default certificate */
    CERT_NAME_LEFT,           /* all checked is fine and trusted: the name is what is left */
    CERT_NAME_OR_TRUST,       /* the alert covers a wrong name and an untrusted root alike */
    CERT_TRUST,               /* all checked is fine: the client's truststore */
    CERT_NOTHING,             /* nothing found explains the alert */
    CERT_LEFT,                /* no alert: the client left after a certificate with a problem */
};

/* The findings that explain a refusal, in the order that explains it best. */
static const apg_cert_finding refusing_findings[] = {
    APG_CERT_EXPIRED,       APG_CERT_NOT_YET_VALID, APG_CERT_CHAIN_INCOMPLETE,
    APG_CERT_CHAIN_INVALID, APG_CERT_NAME_MISMATCH, APG_CERT_UNTRUSTED,
    APG_CERT_SELF_SIGNED,
};
static const apg_cause cause_of_finding[APG_CERT_FINDING_COUNT] = {
    [APG_CERT_EXPIRED] = APG_CAUSE_CERT_EXPIRED,
    [APG_CERT_NOT_YET_VALID] = APG_CAUSE_CERT_NOT_YET_VALID,
    [APG_CERT_CHAIN_INCOMPLETE] = APG_CAUSE_CERT_CHAIN_INCOMPLETE,
    [APG_CERT_CHAIN_INVALID] = APG_CAUSE_CERT_CHAIN_INVALID,
    [APG_CERT_NAME_MISMATCH] = APG_CAUSE_CERT_HOSTNAME_MISMATCH,
    [APG_CERT_UNTRUSTED] = APG_CAUSE_CERT_UNKNOWN,
    [APG_CERT_SELF_SIGNED] = APG_CAUSE_CERT_UNKNOWN,
};

/* Nothing the chain shows explains the alert: say only what was checked,
 * and let the alert narrow it down. */
static gboolean decide_unexplained(const facts *f, finding *g, const apg_chain_report *r)
{
    if (f->desc == APG_ALERT_CERTIFICATE_EXPIRED) {
        g->reading = CERT_CLOCK;
        return conclude(g, APG_CAUSE_CERT_EXPIRED, APG_CONFIDENCE_LIKELY);
    }
    if (!r->hostname_checked)
        allow(g, APG_CAUSE_CERT_HOSTNAME_MISMATCH);
    /* certificate_unknown and bad_certificate cover a name mismatch too:
     * with no name to compare, trust decides between the two readings. */
    gboolean name_or_trust = !r->hostname_checked && (f->desc == APG_ALERT_CERTIFICATE_UNKNOWN ||
                                                      f->desc == APG_ALERT_BAD_CERTIFICATE);
    if (name_or_trust) {
        allow(g, APG_CAUSE_CERT_UNKNOWN);
        gboolean trusted = r->trust_checked && r->trusted;
        g->reading = trusted ? CERT_NAME_LEFT : CERT_NAME_OR_TRUST;
        return conclude(g, trusted ? APG_CAUSE_CERT_HOSTNAME_MISMATCH : APG_CAUSE_CERT_REJECTED,
                        APG_CONFIDENCE_LIKELY);
    }
    if (f->desc == APG_ALERT_UNKNOWN_CA || f->desc == APG_ALERT_CERTIFICATE_UNKNOWN ||
        f->desc == APG_ALERT_BAD_CERTIFICATE) {
        g->reading = CERT_TRUST;
        allow(g, APG_CAUSE_CERT_REJECTED);
        return conclude(g, APG_CAUSE_CERT_UNKNOWN, APG_CONFIDENCE_LIKELY);
    }
    g->reading = CERT_NOTHING;
    allow(g, APG_CAUSE_CERT_UNKNOWN);
    return conclude(g, APG_CAUSE_CERT_REJECTED, APG_CONFIDENCE_LIKELY);
}

apg_cert_finding refusing_finding(const apg_chain_report *r, gboolean dated_only)
{
    for (guint i = 0; i < G_N_ELEMENTS(refusing_findings); i++) {
        apg_cert_finding c = refusing_findings[i];
        gboolean dated = c == APG_CERT_EXPIRED || c == APG_CERT_NOT_YET_VALID;
        if (!dated && dated_only)
            break;
        if (apg_chain_has(r, c))
            return c;
    }
    return APG_CERT_FINDING_COUNT;
}

apg_cause cause_of_cert_finding(apg_cert_finding c)
{
    return c < APG_CERT_FINDING_COUNT ? cause_of_finding[c] : APG_CAUSE_CERT_REJECTED;
}

/* A sole certificate whose issuer was not sent: a missing intermediate, or
 * a private root the client lacks; both stay open. */
gboolean allow_root_unknown(finding *g, const apg_chain_report *r, apg_cert_finding c)
{
    if (c != APG_CERT_CHAIN_INCOMPLETE || !r->issuer_may_be_root)
        return FALSE;
    allow(g, APG_CAUSE_CERT_UNKNOWN);
    return TRUE;
}

/* The chain's findings, in the order that explains an alert best: time,
 * chain, name, trust. */
static gboolean decide_from_chain(const facts *f, finding *g, const apg_chain_report *r)
{
    g->chain = r;
    compares(g, APG_COMPARED_SERVER_CERT);
    /* Out of date explains any alert; the others too, but a client that
     * says certificate_expired of an in-date chain has a wrong clock. */
    apg_cert_finding c = refusing_finding(r, f->desc == APG_ALERT_CERTIFICATE_EXPIRED);
    if (c == APG_CERT_FINDING_COUNT)
        return decide_unexplained(f, g, r);
    g->reading = CERT_FINDING;
    g->cert_findings = APG_CERT_BIT(c);
    return conclude(g, cause_of_finding[c],
                    allow_root_unknown(g, r, c) ? APG_CONFIDENCE_LIKELY : APG_CONFIDENCE_CERTAIN);
}

/* No SNI, so the server sent its default certificate, which the client
 * refused: the playbook's SNI case, seen from the client's side. */
static gboolean decide_default_certificate(const facts *f, finding *g, const apg_chain_report *r)
{
    if (f->has_sni || !f->saw_offer || !r->leaf || r->leaf_malformed)
        return FALSE;
    /* A finding the alert names settles it otherwise. */
    if (r->chain != APG_CHAIN_OK || r->expired_index >= 0 || r->not_yet_valid_index >= 0 ||
        (r->hostname_checked && r->hostname_match))
        return FALSE;
    g->reading = CERT_DEFAULT;
    g->chain = r;
    cite(g, f->hs->client_hello_frame);
    g->client_hello_frame = f->hs->client_hello_frame;
    compares(g, APG_COMPARED_SNI | APG_COMPARED_SERVER_CERT);
    allow(g, APG_CAUSE_CERT_HOSTNAME_MISMATCH);
    allow(g, APG_CAUSE_CERT_UNKNOWN);
    return conclude(g, APG_CAUSE_SNI_MISSING, APG_CONFIDENCE_LIKELY);
}

/* TLS 1.3 without keys: an encrypted alert right after the server's
 * encrypted flight, before any data of the client's. */
static gboolean decide_opaque_flight(const facts *f, finding *g)
{
    const apg_handshake *hs = f->hs;
    guint32 client_data = hs->encrypted_frame[APG_ROLE_CLIENT];
    gboolean opaque_flight = apg_hs_negotiated_version(hs) == APG_TLS13 &&
                             hs->encrypted_frame[APG_ROLE_SERVER] &&
                             (!client_data || client_data == f->v->alert.frame);
    if (!opaque_flight)
        return FALSE;
    g->reading = CERT_OPAQUE_FLIGHT;
    note_alert(g, f);
    rests_on(g, APG_BASIS_ENCRYPTED_CERT);
    compares(g, APG_COMPARED_CLIENT_DATA);
    static const apg_cause open[] = {APG_CAUSE_CERT_UNKNOWN, APG_CAUSE_CERT_HOSTNAME_MISMATCH,
                                     APG_CAUSE_CERT_EXPIRED, APG_CAUSE_CERT_CHAIN_INCOMPLETE,
                                     APG_CAUSE_ALERT_OTHER};
    for (guint i = 0; i < G_N_ELEMENTS(open); i++)
        allow(g, open[i]);
    if (!f->has_sni)
        allow(g, APG_CAUSE_SNI_MISSING);
    return conclude(g, APG_CAUSE_CERT_REJECTED, APG_CONFIDENCE_LIKELY);
}

gboolean decide_server_certificate(const facts *f, finding *g)
{
    const apg_handshake *hs = f->hs;
    if (f->alert_encrypted)
        return decide_opaque_flight(f, g);
    /* TLS 1.3 without keys: the certificate rides in the opaque flight. */
    guint32 cert_frame = hs->server_cert_frame;
    if (!cert_frame && apg_hs_negotiated_version(hs) == APG_TLS13)
        cert_frame = hs->encrypted_frame[APG_ROLE_SERVER];
    if (!cert_frame)
        return FALSE;
    g->frame2 = cert_frame;
    g->frame3 = hs->server_cert_frame;
    g->count = hs->server_certs->len;
    note_alert(g, f);
    const apg_chain_report *r = f->ctx->chain;
    if (!r || !r->n)
        return decide_alert_alone(f, g);
    cite(g, hs->server_cert_frame);
    return decide_default_certificate(f, g, r) || decide_from_chain(f, g, r);
}

/* "The client rejected the server's certificate (frame 5, 2 in the chain)
 * with a fatal bad_certificate from the client (frame 7)" */
static void say_rejection(GString *s, const finding *g)
{
    if (g->frame3 && !g->count)
        g_string_append_printf(s,
                               "The client rejected the server's certificate (frame %u, which "
                               "Wireshark could not read: no certificate came out of it) with ",
                               g->frame2);
    else if (g->frame3)
        g_string_append_printf(s,
                               "The client rejected the server's certificate (frame %u, %u in "
                               "the chain) with ",
                               g->frame2, g->count);
    else
        g_string_append_printf(s,
                               "The client rejected the server's certificate (in the encrypted "
                               "flight, frame %u) with ",
                               g->frame2);
    say_ending(s, g);
}

/* What was checked and found in order: never a check that was not made. */
void say_chain_checked(GString *s, const apg_chain_report *r)
{
    if (r->signature_unchecked)
        g_string_append_printf(s,
                               "the chain is complete and its names link up, but the signature "
                               "of certificate %u was not verified (%s)",
                               r->signature_unchecked_index, r->signature_unchecked);
    else
        g_string_append(s, "the chain is complete, links up");
    if (r->time_checked)
        g_string_append(s, ", was valid at the capture's time");
    if (r->hostname_checked)
        g_string_append_printf(s, ", names \"%s\"", r->checked_name);
    else
        g_string_append(s, " (the host name was not checked: no SNI and no expected_hosts)");
}

static void say_finding(GString *s, const finding *g)
{
    for (guint c = 0; c < APG_CERT_FINDING_COUNT; c++)
        if (g->cert_findings & APG_CERT_BIT(c)) {
            apg_cert_finding_say(s, g->chain, (apg_cert_finding)c, "the", TRUE);
            if (c == APG_CERT_SELF_SIGNED)
                g_string_append(s, ", so only a truststore holding that very certificate "
                                   "accepts it");
        }
    g_string_append(s, ".");
}

static void say_default(GString *s, const finding *g)
{
    g_string_append_printf(s,
                           "; the ClientHello (frame %u) has no server_name, so the server sent "
                           "its default certificate (",
                           g->client_hello_frame);
    say_leaf_names(s, g->chain->leaf);
    g_string_append(s, "), which the client refused: with SNI the server would likely have sent "
                       "the certificate for the name the client wants (other readings: the "
                       "client does not trust it, or the name is wrong).");
}

/* What was checked, then what the alert leaves. */
static void say_checked_reading(GString *s, const finding *g)
{
    g_string_append(s, "; ");
    say_chain_checked(s, g->chain);
    if (g->reading == CERT_NAME_LEFT)
        g_string_append(s, ", and leads to a root of the configured truststore: the name is "
                           "what is left (the client's own truststore may still differ).");
    else if (g->reading == CERT_NAME_OR_TRUST)
        g_string_append_printf(s,
                               ": %s covers a wrong name and an untrusted root alike (set "
                               "expected_hosts and truststore to tell them apart).",
                               alert_name(g->end.desc));
    else if (g->reading == CERT_TRUST)
        g_string_append(s, ": the rejecting side's truststore probably lacks its root.");
    else
        g_string_append(s, ": nothing in it explains the alert.");
}

void say_server_certificate(GString *s, const finding *g)
{
    if (g->reading == CERT_OPAQUE_FLIGHT) {
        g_string_append(s, "Right after the server's encrypted flight (certificate included) "
                           "the client sent ");
        say_ending(s, g);
        g_string_append(s, " and no application data: most likely it rejected the server's "
                           "certificate. A key log (tls.keylog_file) would show the reason.");
        return;
    }
    say_rejection(s, g);
    switch (g->reading) {
    case CERT_FINDING:
        g_string_append(s, "; ");
        say_finding(s, g);
        break;
    case CERT_DEFAULT: say_default(s, g); break;
    case CERT_CLOCK:
        g_string_append(s, "; yet every certificate was valid at the capture's time: check the "
                           "client's clock.");
        break;
    case CERT_NAME_LEFT:
    case CERT_NAME_OR_TRUST:
    case CERT_TRUST:
    case CERT_NOTHING: say_checked_reading(s, g); break;
    default: say_alert_alone(s, g); break;
    }
}

/* A client that closes after the server's certificate without an alert and
 * without finishing (Node.js checks the certificate itself, then leaves):
 * when the certificate was read and shows a problem, that problem, likely;
 * else the close alone (closes.c). */
gboolean decide_certificate_left(const facts *f, finding *g)
{
    const apg_handshake *hs = f->hs;
    const apg_chain_report *r = f->ctx->chain;
    if (f->v->cause != APG_CAUSE_CLIENT_ABORT || !hs->server_cert_frame || !r || !r->n)
        return FALSE;
    apg_cert_finding c = refusing_finding(r, FALSE);
    if (c == APG_CERT_FINDING_COUNT)
        return FALSE;
    g->reading = CERT_LEFT;
    g->chain = r;
    g->cert_findings = APG_CERT_BIT(c);
    g->frame2 = hs->server_cert_frame;
    g->count = hs->server_certs->len;
    g->frame3 = f->v->decided_frame;
    cite(g, hs->server_cert_frame);
    cite(g, f->v->decided_frame);
    compares(g, APG_COMPARED_SERVER_CERT);
    allow(g, APG_CAUSE_CLIENT_ABORT);
    allow_root_unknown(g, r, c);
    return conclude(g, cause_of_finding[c], APG_CONFIDENCE_LIKELY);
}

void say_certificate_left(GString *s, const finding *g)
{
    g_string_append_printf(s,
                           "After the server's certificate (frame %u, %u in the chain) the "
                           "client closed the connection (frame %u) without an alert and "
                           "without finishing the handshake; ",
                           g->frame2, g->count, g->frame3);
    say_finding(s, g);
    g_string_append(s, " Clients that check the certificate themselves (Node.js) leave like "
                       "this; it may also have left for another reason.");
}
