/* cert_alerts.c - playbook step 4 when the certificate cannot be read
 * (encrypted without keys, or not parsed): what each certificate alert
 * allows on its own.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "playbook.h"

/* The certificate alerts a certificate rule claims. */
const gint16 cert_alerts[] = {
    APG_ALERT_BAD_CERTIFICATE,
    APG_ALERT_UNSUPPORTED_CERTIFICATE,
    APG_ALERT_CERTIFICATE_REVOKED,
    APG_ALERT_CERTIFICATE_EXPIRED,
    APG_ALERT_CERTIFICATE_UNKNOWN,
    APG_ALERT_UNKNOWN_CA,
    APG_ALERT_ACCESS_DENIED,
    APG_ALERT_DECRYPT_ERROR, /* a signature made with the certificate's key did not verify */
    APG_ALERT_CERTIFICATE_REQUIRED,
    ALERTS_END,
};

gboolean is_cert_alert(guint8 desc)
{
    for (guint i = 0; cert_alerts[i] != ALERTS_END; i++)
        if (cert_alerts[i] == desc)
            return TRUE;
    return FALSE;
}

/* What each certificate alert allows when the certificate itself is not
 * readable (TLS 1.3 without keys). OpenSSL maps a missing path to a trusted
 * root (a missing intermediate included) to unknown_ca, a name mismatch or
 * a not-yet-valid leaf to bad_certificate, anything else to
 * certificate_unknown; GnuTLS says bad_certificate for anything; Java
 * certificate_unknown for most. */
typedef struct {
    guint8 desc;
    apg_cause cause;
    apg_confidence confidence;
    apg_cause_set alternatives;
    const char *reading;
} alert_reading;

static const alert_reading alert_readings[] = {
    {APG_ALERT_CERTIFICATE_EXPIRED, APG_CAUSE_CERT_EXPIRED, APG_CONFIDENCE_LIKELY,
     APG_CAUSE_BIT(APG_CAUSE_CERT_NOT_YET_VALID),
     "certificate_expired: a certificate of the chain is out of date (or the client's clock is "
     "wrong)"},
    {APG_ALERT_UNKNOWN_CA, APG_CAUSE_CERT_UNKNOWN, APG_CONFIDENCE_LIKELY,
     APG_CAUSE_BIT(APG_CAUSE_CERT_CHAIN_INCOMPLETE) | APG_CAUSE_BIT(APG_CAUSE_CERT_CHAIN_INVALID),
     "unknown_ca: no path to a root the client trusts (an unknown or self-signed root, or a "
     "missing intermediate)"},
    {APG_ALERT_BAD_CERTIFICATE, APG_CAUSE_CERT_HOSTNAME_MISMATCH, APG_CONFIDENCE_POSSIBLE,
     APG_CAUSE_BIT(APG_CAUSE_CERT_NOT_YET_VALID) | APG_CAUSE_BIT(APG_CAUSE_CERT_UNKNOWN) |
         APG_CAUSE_BIT(APG_CAUSE_CERT_REJECTED),
     "bad_certificate: OpenSSL-based clients send it for a name mismatch (or a leaf not yet "
     "valid), GnuTLS for any refusal"},
    {APG_ALERT_CERTIFICATE_REVOKED, APG_CAUSE_CERT_REJECTED, APG_CONFIDENCE_LIKELY, 0,
     "certificate_revoked: the client found the certificate revoked"},
    {APG_ALERT_CERTIFICATE_UNKNOWN, APG_CAUSE_CERT_REJECTED, APG_CONFIDENCE_LIKELY,
     APG_CAUSE_BIT(APG_CAUSE_CERT_UNKNOWN) | APG_CAUSE_BIT(APG_CAUSE_CERT_HOSTNAME_MISMATCH) |
         APG_CAUSE_BIT(APG_CAUSE_CERT_CHAIN_INCOMPLETE),
     "certificate_unknown: Java sends it for an untrusted chain and for a name mismatch alike"},
};

/* Readings: ALONE_READ + i and ALONE_ENCRYPTED + i name alert_readings[i]. */
enum {
    ALONE_READ = 200,
    ALONE_ENCRYPTED = 220,
    ALONE_UNLISTED = 240,
    ALONE_UNLISTED_ENCRYPTED,
};

static guint largest_server_record(const apg_handshake *hs)
{
    guint largest = 0;
    for (guint i = 0; i < hs->n_flight[APG_ROLE_SERVER]; i++)
        largest = MAX(largest, hs->flight_len[APG_ROLE_SERVER][i]);
    return largest;
}

/* The alert decides alone: the certificate was encrypted, or not parsed.
 * Alerts that name one finding (expired, unknown CA, revoked) settle it
 * when the certificate was on the wire; the others only narrow it down. */
gboolean decide_alert_alone(const facts *f, finding *g)
{
    gboolean encrypted = !f->hs->server_cert_frame;
    if (encrypted)
        rests_on(g, APG_BASIS_ENCRYPTED_CERT);
    for (guint i = 0; i < G_N_ELEMENTS(alert_readings); i++) {
        const alert_reading *r = &alert_readings[i];
        if (r->desc != f->desc)
            continue;
        g->d->alternatives |= r->alternatives;
        if (!encrypted) {
            g->reading = ALONE_READ + i;
            gboolean names_one = f->desc == APG_ALERT_CERTIFICATE_EXPIRED ||
                                 f->desc == APG_ALERT_UNKNOWN_CA ||
                                 f->desc == APG_ALERT_CERTIFICATE_REVOKED;
            return conclude(g, r->cause, names_one ? APG_CONFIDENCE_CERTAIN : r->confidence);
        }
        g->reading = ALONE_ENCRYPTED + i;
        /* One certificate or a chain? OpenSSL and Java send one message
         * per record; a certificate is rarely under 600 bytes, a chain of
         * two rarely under 1,200. */
        if (f->desc == APG_ALERT_UNKNOWN_CA && (g->largest_record = largest_server_record(f->hs))) {
            rests_on(g, APG_BASIS_RECORD_SIZES);
            compares(g, APG_COMPARED_RECORDS);
        }
        return conclude(g, r->cause, r->confidence);
    }
    g->reading = encrypted ? ALONE_UNLISTED_ENCRYPTED : ALONE_UNLISTED;
    allow(g, APG_CAUSE_CERT_UNKNOWN);
    return conclude(g, APG_CAUSE_CERT_REJECTED, APG_CONFIDENCE_LIKELY);
}

void say_alert_alone(GString *s, const finding *g)
{
    if (g->reading == ALONE_UNLISTED) {
        g_string_append(s, ".");
    } else if (g->reading == ALONE_UNLISTED_ENCRYPTED) {
        g_string_append(s, ". The certificate itself is encrypted: a key log (tls.keylog_file) "
                           "would show what the client refused.");
    } else if (g->reading >= ALONE_ENCRYPTED) {
        g_string_append_printf(s, ". The certificate itself is encrypted; the alert allows: %s.",
                               alert_readings[g->reading - ALONE_ENCRYPTED].reading);
        if (g->largest_record)
            g_string_append_printf(
                s, " The largest record of the server's encrypted flight is %u bytes: %s.",
                g->largest_record,
                g->largest_record < 1200 ? "room for one certificate, so a chain sent without "
                                           "its intermediate fits"
                                         : "room for a certificate with its chain");
        g_string_append(s, " A key log (tls.keylog_file) would settle it.");
    } else {
        g_string_append_printf(s, ": %s.", alert_readings[g->reading - ALONE_READ].reading);
    }
}
