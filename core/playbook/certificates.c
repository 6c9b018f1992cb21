/* certificates.c - playbook step 4: the server's certificate, refused by the
 * client: host name, chain, validity, trust; or read from the alert alone when
 * the certificate is encrypted.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "playbook.h"

#include <string.h>

/* --- Certificates -------------------------------------------------------- */

gboolean is_cert_alert(guint8 desc)
{
    switch (desc) {
    case APG_ALERT_BAD_CERTIFICATE:
    case APG_ALERT_UNSUPPORTED_CERTIFICATE:
    case APG_ALERT_CERTIFICATE_REVOKED:
    case APG_ALERT_CERTIFICATE_EXPIRED:
    case APG_ALERT_CERTIFICATE_UNKNOWN:
    case APG_ALERT_UNKNOWN_CA:
    case APG_ALERT_ACCESS_DENIED:
    case APG_ALERT_DECRYPT_ERROR: /* a signature made with the certificate's key did not verify */
    case APG_ALERT_CERTIFICATE_REQUIRED: return TRUE;
    }
    return FALSE;
}

static void say_cert(answer *a, const apg_chain_report *r, gint index, const char *what)
{
    char buf[32];
    const apg_cert *c = index == 0 ? r->leaf : NULL;
    g_string_append_printf(a->why, "the %s", apg_cert_role((guint)index, r->n, c, buf, sizeof buf));
    if (index == 0 && r->leaf->cn)
        g_string_append_printf(a->why, " (CN=%s)", r->leaf->cn);
    g_string_append_printf(a->why, " %s", what);
}

static void say_time(answer *a, const apg_chain_report *r, gint index, gboolean expired)
{
    char *by = apg_duration_text(r->time_off_by);
    say_cert(a, r, index, expired ? "had expired" : "was not yet valid at the capture's time");
    if (expired)
        g_string_append_printf(a->why, " %s before the capture", by);
    else
        g_string_append_printf(a->why, ": it becomes valid %s later", by);
    g_free(by);
}

void say_names(answer *a, const apg_chain_report *r)
{
    const apg_cert *leaf = r->leaf;
    g_string_append_printf(a->why, "the leaf is not for \"%s\" (", r->checked_name);
    guint shown = 0;
    for (guint i = 0; i < leaf->san_dns->len && shown < 4; i++, shown++)
        g_string_append_printf(a->why, "%sSAN %s", shown ? ", " : "",
                               (const char *)g_ptr_array_index(leaf->san_dns, i));
    for (guint i = 0; i < leaf->san_ip->len && shown < 4; i++, shown++)
        g_string_append_printf(a->why, "%sSAN IP %s", shown ? ", " : "",
                               (const char *)g_ptr_array_index(leaf->san_ip, i));
    if (leaf->n_sans > shown)
        g_string_append_printf(a->why, ", %u more", leaf->n_sans - shown);
    if (!leaf->n_sans && leaf->cn)
        g_string_append_printf(a->why, "CN %s%s", leaf->cn,
                               leaf->cn_has_nul ? " with an embedded NUL" : "");
    g_string_append(a->why, ")");
}

/* The certificate findings, in the order that explains an alert best: time,
 * chain, name, trust. */
static gboolean explain_certificate(answer *a, const facts *f, const apg_chain_report *r)
{
    g_string_append(a->why, "; ");
    if (r->expired_index >= 0) {
        say_time(a, r, r->expired_index, TRUE);
        g_string_append(a->why, ".");
        return conclude(a, APG_CAUSE_CERT_EXPIRED, APG_CONFIDENCE_CERTAIN);
    }
    if (r->not_yet_valid_index >= 0) {
        say_time(a, r, r->not_yet_valid_index, FALSE);
        g_string_append(a->why, ".");
        return conclude(a, APG_CAUSE_CERT_NOT_YET_VALID, APG_CONFIDENCE_CERTAIN);
    }
    if (f->desc == APG_ALERT_CERTIFICATE_EXPIRED) {
        g_string_append(a->why, "yet every certificate was valid at the capture's time: check "
                                "the client's clock.");
        return conclude(a, APG_CAUSE_CERT_EXPIRED, APG_CONFIDENCE_LIKELY);
    }
    if (r->chain == APG_CHAIN_INCOMPLETE) {
        g_string_append_printf(a->why,
                               "the chain is incomplete: the issuer of certificate %u, "
                               "\"%s\", was not sent.",
                               r->chain_bad_index, r->chain_detail);
        return conclude(a, APG_CAUSE_CERT_CHAIN_INCOMPLETE, APG_CONFIDENCE_CERTAIN);
    }
    if (r->chain == APG_CHAIN_INVALID) {
        g_string_append_printf(a->why, "the chain is invalid: %s.", r->chain_detail);
        return conclude(a, APG_CAUSE_CERT_CHAIN_INVALID, APG_CONFIDENCE_CERTAIN);
    }
    if (r->hostname_checked && !r->hostname_match) {
        say_names(a, r);
        g_string_append(a->why, ".");
        return conclude(a, APG_CAUSE_CERT_HOSTNAME_MISMATCH, APG_CONFIDENCE_CERTAIN);
    }
    if (r->trust_checked && !r->trusted) {
        g_string_append(a->why, "the chain does not lead to a root of the configured "
                                "truststore.");
        return conclude(a, APG_CAUSE_CERT_UNKNOWN, APG_CONFIDENCE_CERTAIN);
    }
    if (r->self_signed_leaf) {
        g_string_append(a->why, "the leaf is self-signed, so only a truststore holding that "
                                "very certificate accepts it.");
        return conclude(a, APG_CAUSE_CERT_UNKNOWN, APG_CONFIDENCE_CERTAIN);
    }
    /* Say only what was checked. */
    g_string_append(a->why, "the chain is complete, links up");
    if (r->time_checked)
        g_string_append(a->why, ", was valid at the capture's time");
    if (r->hostname_checked)
        g_string_append_printf(a->why, ", names \"%s\"", r->checked_name);
    else
        g_string_append(a->why, " (the host name was not checked: no SNI and no expected_hosts)");
    if (!r->hostname_checked)
        allow(a, APG_CAUSE_CERT_HOSTNAME_MISMATCH);
    /* certificate_unknown and bad_certificate cover a name mismatch too:
     * with no name to compare, trust decides between the two readings. */
    gboolean name_or_trust = !r->hostname_checked && (f->desc == APG_ALERT_CERTIFICATE_UNKNOWN ||
                                                      f->desc == APG_ALERT_BAD_CERTIFICATE);
    if (name_or_trust && r->trust_checked && r->trusted) {
        g_string_append(a->why, ", and leads to a root of the configured truststore: the name "
                                "is what is left (the client's own truststore may still "
                                "differ).");
        allow(a, APG_CAUSE_CERT_UNKNOWN);
        return conclude(a, APG_CAUSE_CERT_HOSTNAME_MISMATCH, APG_CONFIDENCE_LIKELY);
    }
    if (name_or_trust) {
        g_string_append_printf(a->why,
                               ": %s covers a wrong name and an untrusted root alike "
                               "(set expected_hosts and truststore to tell them apart).",
                               alert_name(f->desc));
        allow(a, APG_CAUSE_CERT_UNKNOWN);
        return conclude(a, APG_CAUSE_CERT_REJECTED, APG_CONFIDENCE_LIKELY);
    }
    if (f->desc == APG_ALERT_UNKNOWN_CA || f->desc == APG_ALERT_CERTIFICATE_UNKNOWN ||
        f->desc == APG_ALERT_BAD_CERTIFICATE) {
        g_string_append(a->why, ": the rejecting side's truststore probably lacks its root.");
        allow(a, APG_CAUSE_CERT_REJECTED);
        return conclude(a, APG_CAUSE_CERT_UNKNOWN, APG_CONFIDENCE_LIKELY);
    }
    g_string_append(a->why, ": nothing in it explains the alert.");
    allow(a, APG_CAUSE_CERT_UNKNOWN);
    return conclude(a, APG_CAUSE_CERT_REJECTED, APG_CONFIDENCE_LIKELY);
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

/* The server's encrypted flight: one certificate or a chain? OpenSSL and
 * Java send one message per record; a certificate is rarely under 600
 * bytes, a chain of two rarely under 1,200. */
static void say_flight_size(answer *a, const apg_handshake *hs)
{
    guint largest = 0;
    for (guint i = 0; i < hs->n_flight[APG_ROLE_SERVER]; i++)
        largest = MAX(largest, hs->flight_len[APG_ROLE_SERVER][i]);
    if (!largest)
        return;
    rests_on(a, APG_BASIS_RECORD_SIZES);
    g_string_append_printf(a->why,
                           " The largest record of the server's encrypted flight is %u "
                           "bytes: %s.",
                           largest,
                           largest < 1200 ? "room for one certificate, so a chain sent without "
                                            "its intermediate fits"
                                          : "room for a certificate with its chain");
}

/* The alert decides alone: the certificate was encrypted, or not parsed.
 * Alerts that name one finding (expired, unknown CA, revoked) settle it
 * when the certificate was on the wire; the others only narrow it down. */
static gboolean explain_alert_alone(answer *a, const facts *f)
{
    gboolean encrypted = !f->hs->server_cert_frame;
    for (guint i = 0; i < G_N_ELEMENTS(alert_readings); i++) {
        const alert_reading *r = &alert_readings[i];
        if (r->desc != f->desc)
            continue;
        a->d->alternatives |= r->alternatives;
        if (!encrypted) {
            g_string_append_printf(a->why, ": %s.", r->reading);
            gboolean names_one = f->desc == APG_ALERT_CERTIFICATE_EXPIRED ||
                                 f->desc == APG_ALERT_UNKNOWN_CA ||
                                 f->desc == APG_ALERT_CERTIFICATE_REVOKED;
            return conclude(a, r->cause, names_one ? APG_CONFIDENCE_CERTAIN : r->confidence);
        }
        rests_on(a, APG_BASIS_ENCRYPTED_CERT);
        g_string_append_printf(a->why,
                               ". The certificate itself is encrypted; the alert allows: "
                               "%s.",
                               r->reading);
        if (f->desc == APG_ALERT_UNKNOWN_CA)
            say_flight_size(a, f->hs);
        g_string_append(a->why, " A key log (tls.keylog_file) would settle it.");
        return conclude(a, r->cause, r->confidence);
    }
    if (encrypted)
        rests_on(a, APG_BASIS_ENCRYPTED_CERT);
    allow(a, APG_CAUSE_CERT_UNKNOWN);
    g_string_append(a->why, encrypted ? ". The certificate itself is encrypted: a key log "
                                        "(tls.keylog_file) would show what the client refused."
                                      : ".");
    return conclude(a, APG_CAUSE_CERT_REJECTED, APG_CONFIDENCE_LIKELY);
}

/* "other.example.test, www.other.example.test": the names a default
 * certificate is for. */
void say_default_names(answer *a, const apg_cert *leaf)
{
    guint shown = 0;
    for (guint i = 0; i < leaf->san_dns->len && shown < 3; i++, shown++)
        g_string_append_printf(a->why, "%s%s", shown ? ", " : "",
                               (const char *)g_ptr_array_index(leaf->san_dns, i));
    if (!shown)
        g_string_append_printf(a->why, "CN %s", leaf->cn ? leaf->cn : "(none)");
}

/* No SNI, so the server sent its default certificate, which the client
 * refused: the playbook's SNI case, seen from the client's side. */
static gboolean default_certificate_refused(answer *a, const facts *f)
{
    const apg_chain_report *r = f->ctx->chain;
    if (f->has_sni || !f->saw_offer || !r || !r->leaf || r->leaf_malformed)
        return FALSE;
    /* A finding the alert names settles it otherwise. */
    if ((f->desc == APG_ALERT_CERTIFICATE_EXPIRED && r->expired_index >= 0) ||
        r->chain != APG_CHAIN_OK || r->expired_index >= 0 || r->not_yet_valid_index >= 0 ||
        (r->hostname_checked && r->hostname_match))
        return FALSE;
    g_string_append(a->why, "; the ClientHello ");
    cite(a, f->hs->client_hello_frame);
    g_string_append_printf(a->why,
                           "(frame %u) has no server_name, so the server sent its "
                           "default certificate (",
                           f->hs->client_hello_frame);
    say_default_names(a, r->leaf);
    g_string_append(a->why, "), which the client refused: with SNI the server would likely "
                            "have sent the certificate for the name the client wants (other "
                            "readings: the client does not trust it, or the name is wrong).");
    allow(a, APG_CAUSE_CERT_HOSTNAME_MISMATCH);
    allow(a, APG_CAUSE_CERT_UNKNOWN);
    return conclude(a, APG_CAUSE_SNI_MISSING, APG_CONFIDENCE_LIKELY);
}

gboolean rule_server_certificate(answer *a, const facts *f)
{
    if (f->alert_sender != APG_ROLE_CLIENT || !f->v->has_alert)
        return FALSE;
    const apg_handshake *hs = f->hs;
    if (f->alert_encrypted) {
        guint32 client_data = hs->encrypted_frame[APG_ROLE_CLIENT];
        gboolean opaque_flight = apg_hs_negotiated_version(hs) == APG_TLS13 &&
                                 hs->encrypted_frame[APG_ROLE_SERVER] &&
                                 (!client_data || client_data == f->v->alert.frame);
        if (!opaque_flight)
            return FALSE;
        g_string_append(a->why, "Right after the server's encrypted flight (certificate "
                                "included) the client sent ");
        say_alert(a, f);
        g_string_append(a->why, " and no application data: most likely it rejected the "
                                "server's certificate. A key log (tls.keylog_file) would show "
                                "the reason.");
        rests_on(a, APG_BASIS_ENCRYPTED_CERT);
        allow(a, APG_CAUSE_CERT_UNKNOWN);
        allow(a, APG_CAUSE_CERT_HOSTNAME_MISMATCH);
        allow(a, APG_CAUSE_CERT_EXPIRED);
        allow(a, APG_CAUSE_CERT_CHAIN_INCOMPLETE);
        allow(a, APG_CAUSE_ALERT_OTHER);
        if (!f->has_sni)
            allow(a, APG_CAUSE_SNI_MISSING);
        return conclude(a, APG_CAUSE_CERT_REJECTED, APG_CONFIDENCE_LIKELY);
    }
    /* TLS 1.3 without keys: the certificate rides in the opaque flight. */
    guint32 cert_frame = hs->server_cert_frame;
    if (!cert_frame && apg_hs_negotiated_version(hs) == APG_TLS13)
        cert_frame = hs->encrypted_frame[APG_ROLE_SERVER];
    if (!cert_frame || !is_cert_alert(f->desc))
        return FALSE;
    if (hs->server_cert_frame && !hs->server_certs->len)
        g_string_append_printf(a->why,
                               "The client rejected the server's certificate (frame %u, which "
                               "Wireshark could not read: no certificate came out of it) with ",
                               cert_frame);
    else if (hs->server_cert_frame)
        g_string_append_printf(a->why,
                               "The client rejected the server's certificate (frame %u, "
                               "%u in the chain) with ",
                               cert_frame, hs->server_certs->len);
    else
        g_string_append_printf(a->why,
                               "The client rejected the server's certificate (in the "
                               "encrypted flight, frame %u) with ",
                               cert_frame);
    say_alert(a, f);
    if (f->ctx->chain && f->ctx->chain->n) {
        cite(a, hs->server_cert_frame);
        if (default_certificate_refused(a, f))
            return TRUE;
        return explain_certificate(a, f, f->ctx->chain);
    }
    return explain_alert_alone(a, f);
}
