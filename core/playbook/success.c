/* success.c - an established handshake: the risks it carries (old versions,
 * weak suites, certificates a verifying client would refuse) and a client that
 * left at once.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "playbook.h"

#include <string.h>

static void say_certificate_warnings(answer *a, const apg_chain_report *r, guint w)
{
    if (w & APG_WARN_CERT_EXPIRING) {
        char *in = apg_duration_text(r->expiring_in);
        char buf[32];
        g_string_append_printf(a->why, "; the %s expires %s after the capture",
                               apg_cert_role((guint)r->expiring_index, r->n, NULL, buf, sizeof buf),
                               in);
        g_free(in);
    }
    if (w & APG_WARN_WEAK_SIGNATURE)
        g_string_append(a->why, "; the chain has a SHA-1 or MD5 signature");
    if (w & APG_WARN_SMALL_KEY)
        g_string_append(a->why, "; the chain has an RSA key under 2048 bits");
    if (w & APG_WARN_SELF_SIGNED)
        g_string_append(a->why, "; the leaf is self-signed");
    if (w & APG_WARN_NAME_MISMATCH)
        g_string_append_printf(a->why, "; the leaf is not for \"%s\" and the client went on",
                               r->checked_name);
    char buf[32];
    if (w & (APG_WARN_CERT_EXPIRED | APG_WARN_CERT_NOT_YET_VALID)) {
        gint i = r->expired_index >= 0 ? r->expired_index : r->not_yet_valid_index;
        char *by = apg_duration_text(r->time_off_by);
        g_string_append_printf(a->why, "; the %s %s %s, at the capture's time",
                               apg_cert_role((guint)i, r->n, NULL, buf, sizeof buf),
                               r->expired_index >= 0 ? "had expired, by" : "was not yet valid, by",
                               by);
        g_free(by);
    }
    if (w & APG_WARN_CHAIN_INCOMPLETE)
        g_string_append_printf(a->why, "; the chain lacks the issuer \"%s\"", r->chain_detail);
    if (w & APG_WARN_CHAIN_INVALID)
        g_string_append_printf(a->why, "; the chain does not link up: %s", r->chain_detail);
    if (w & APG_WARN_UNTRUSTED)
        g_string_append(a->why, "; the chain does not lead to a root of the configured truststore");
}

/* The fixes of include/apg_warnings.def, most urgent first, and the fix
 * each warning calls for. */
typedef enum {
#define APG_WARNING_FIX(id, generic, north, south) FIX_##id,
#include "apg_warnings.def"
#undef APG_WARNING_FIX
    FIX_COUNT,
} warning_fix;

static const guint8 fix_of_warning[APG_WARN_COUNT_BITS] = {
#define APG_WARNING(id, token, fix, meaning) [APG_WARN_BIT_##id] = FIX_##fix,
#include "apg_warnings.def"
#undef APG_WARNING
};

/* The warnings among w that call for this fix. */
static guint warnings_calling_for(guint w, warning_fix fix)
{
    guint found = 0;
    for (guint i = 0; i < APG_WARN_COUNT_BITS; i++)
        if ((w & (1u << i)) && fix_of_warning[i] == fix)
            found |= 1u << i;
    return found;
}

/* Problems a verifying client refuses: the client of this handshake did
 * not verify the certificate. */
#define UNVERIFIED_WARNINGS(w) warnings_calling_for(w, FIX_UNVERIFIED)

static gboolean is_legacy_version(guint16 v)
{
    return v && v < APG_TLS12;
}

static guint certificate_warnings(const apg_chain_report *r)
{
    guint w = 0;
    if (!r || !r->n)
        return 0;
    if (r->expiring_index >= 0)
        w |= APG_WARN_CERT_EXPIRING;
    if (r->weak_signature)
        w |= APG_WARN_WEAK_SIGNATURE;
    if (r->small_key)
        w |= APG_WARN_SMALL_KEY;
    if (r->self_signed_leaf)
        w |= APG_WARN_SELF_SIGNED;
    if (r->hostname_checked && !r->hostname_match)
        w |= APG_WARN_NAME_MISMATCH;
    if (r->expired_index >= 0)
        w |= APG_WARN_CERT_EXPIRED;
    if (r->not_yet_valid_index >= 0)
        w |= APG_WARN_CERT_NOT_YET_VALID;
    if (r->chain == APG_CHAIN_INCOMPLETE)
        w |= APG_WARN_CHAIN_INCOMPLETE;
    if (r->chain == APG_CHAIN_INVALID)
        w |= APG_WARN_CHAIN_INVALID;
    if (r->trust_checked && !r->trusted)
        w |= APG_WARN_UNTRUSTED;
    return w;
}

/* TLS 1.3 without keys: the client's records cannot be read, only counted. */
static gboolean client_flight_opaque(const apg_handshake *hs)
{
    return apg_hs_negotiated_version(hs) == APG_TLS13 && !hs->finished_frame[APG_ROLE_CLIENT] &&
           !hs->server_cert_frame;
}

/* Where the client left after the handshake (its first alert, FIN or RST;
 * without keys in TLS 1.3 also an alert-sized record after its Finished),
 * if it sent no data before: 0 if it sent data or never left. Without keys
 * its only record must be the Finished, and no client certificate asked
 * for (five server records), else the count says nothing. */
static guint32 client_left_without_data(const apg_handshake *hs)
{
    gboolean sent_data = client_flight_opaque(hs) ? hs->encrypted_count[APG_ROLE_CLIENT] != 1 ||
                                                        hs->n_flight[APG_ROLE_SERVER] >= 5
                                                  : hs->encrypted_frame[APG_ROLE_CLIENT] != 0;
    if (sent_data)
        return 0;
    guint32 left = hs->client_short_after_final;
    for (guint i = 0; i < hs->alerts->len; i++) {
        const apg_alert_seen *al = &g_array_index(hs->alerts, apg_alert_seen, i);
        if (al->sender == APG_ROLE_CLIENT && (!left || al->frame < left))
            left = al->frame;
    }
    const guint32 closes[] = {hs->fin_frame[APG_ROLE_CLIENT], hs->rst_frame[APG_ROLE_CLIENT]};
    for (guint i = 0; i < G_N_ELEMENTS(closes); i++)
        if (closes[i] && (!left || closes[i] < left))
            left = closes[i];
    return left;
}

/* No SNI, the default certificate for another name than the one the user
 * expects (expected_hosts), and a client that leaves at once after the
 * handshake: curl by IP address, or a client with SNI turned off, checking
 * the name after the handshake. Without a name to compare only a doubt is
 * left (say_left_at_once). */
static gboolean default_certificate_left(answer *a, const facts *f)
{
    const apg_chain_report *r = f->ctx->chain;
    guint32 left = client_left_without_data(f->hs);
    if (f->has_sni || !f->saw_offer || !r || !r->leaf || r->leaf_malformed || !left ||
        !r->hostname_checked || r->hostname_match)
        return FALSE;
    cite(a, f->v->decided_frame);
    cite(a, left);
    cite(a, f->hs->client_hello_frame);
    g_string_append_printf(a->why,
                           "The handshake completed (frame %u), but the client left without "
                           "sending any data (frame %u); its ClientHello (frame %u) has no "
                           "server_name, so the server sent its default certificate, and ",
                           f->v->decided_frame, left, f->hs->client_hello_frame);
    say_names(a, r);
    g_string_append(a->why, ": clients such as curl check the name after the handshake and "
                            "leave like this; with SNI the server would likely have sent the "
                            "certificate for that name (other reading: the server has no "
                            "certificate for it at all).");
    allow(a, APG_CAUSE_CERT_HOSTNAME_MISMATCH);
    return conclude(a, APG_CAUSE_SNI_MISSING, APG_CONFIDENCE_LIKELY);
}

/* A client that completes the handshake and leaves without a byte of data
 * may have refused the certificate afterwards (curl checks the name then),
 * or may be a probe: when no name could be compared, a doubt, not a cause. */
static void say_left_at_once(answer *a, const facts *f)
{
    const apg_chain_report *r = f->ctx->chain;
    gboolean encrypted = client_flight_opaque(f->hs);
    gboolean compared = r && r->leaf && (f->has_sni || r->hostname_checked);
    guint32 left = client_left_without_data(f->hs);
    if (!left || (!encrypted && (compared || !r || !r->leaf)))
        return;
    cite(a, left);
    g_string_append_printf(a->why,
                           "; the client left without sending any data (frame %u): "
                           "clients such as curl check the certificate's name after the "
                           "handshake and leave like this when it is not the name they "
                           "asked for, and so does a probe that only tests the handshake",
                           left);
    if (!encrypted) {
        g_string_append(a->why, "; the ClientHello has no server_name, so this is the server's "
                                "default certificate (");
        say_default_names(a, r->leaf);
        g_string_append(a->why, "): to compare it, give the name the client wants in "
                                "expected_hosts (address:port=name)");
    } else {
        g_string_append(a->why, "; the certificate is encrypted, so no name was compared: a key "
                                "log (tls.keylog_file) would show it");
    }
    allow(a, f->has_sni ? APG_CAUSE_CERT_HOSTNAME_MISMATCH : APG_CAUSE_SNI_MISSING);
    allow(a, APG_CAUSE_CERT_REJECTED);
    allow(a, APG_CAUSE_CLIENT_ABORT);
    a->d->left_at_once = TRUE;
}

/* curl and browsers check the name after the handshake: a client that
 * closes at once, sending no data, over a certificate for another name. */
static gboolean rejected_name_after_handshake(answer *a, const facts *f)
{
    const apg_chain_report *r = f->ctx->chain;
    if (!r || !r->hostname_checked || r->hostname_match || !client_left_without_data(f->hs))
        return FALSE;
    g_string_append_printf(a->why,
                           "The handshake completed (frame %u), but the client closed "
                           "without sending any data, and ",
                           f->v->decided_frame);
    say_names(a, r);
    g_string_append(a->why, ": clients such as curl and browsers reject the name after the "
                            "handshake, with no fatal alert.");
    return conclude(a, APG_CAUSE_CERT_HOSTNAME_MISMATCH, APG_CONFIDENCE_LIKELY);
}

void diagnose_success(answer *a, const facts *f)
{
    const apg_handshake *hs = f->hs;
    guint16 version = apg_hs_negotiated_version(hs);
    /* Only a ServerHello names the suite (a HelloRetryRequest alone does not). */
    const char *suite = f->ctx->suite_name && hs->server_hello_frame && version != APG_SSL2
                            ? f->ctx->suite_name(hs->sh.suite)
                            : NULL;
    cite(a, f->v->decided_frame);
    if (version == APG_SSL2) {
        a->d->warnings |= APG_WARN_SSL2 | APG_WARN_OLD_VERSION;
        rests_on(a, APG_BASIS_ELIMINATION);
        g_string_append_printf(a->why,
                               "The server answered in SSLv2 (frame %u): SSL 2.0 is "
                               "broken and is not analysed further; disable it on both "
                               "sides.",
                               hs->ssl2_server_frame);
        conclude(a, APG_CAUSE_NONE, APG_CONFIDENCE_LIKELY);
        return;
    }
    if (default_certificate_left(a, f) || rejected_name_after_handshake(a, f))
        return;
    g_string_append_printf(a->why, "Established with %s", vname(version));
    if (suite)
        g_string_append_printf(a->why, " and %s", suite);
    if (f->v->inferred) {
        rests_on(a, APG_BASIS_RECORD_SIZES);
        g_string_append_printf(a->why,
                               " (the server's only record after the client's flight "
                               "is %u bytes: a ticket most likely, a padded alert "
                               "possibly)",
                               hs->short_server_len);
    }
    if (is_legacy_version(version))
        a->d->warnings |= APG_WARN_OLD_VERSION;
    if (suite && apg_suite_is_weak(suite))
        a->d->warnings |= APG_WARN_LEGACY_SUITE;
    a->d->warnings |= certificate_warnings(f->ctx->chain);
    if (a->d->warnings & (APG_WARN_OLD_VERSION | APG_WARN_LEGACY_SUITE))
        g_string_append(a->why, ", which is risky: move both sides to TLSv1.2 or later with "
                                "AEAD suites");
    say_certificate_warnings(a, f->ctx->chain, a->d->warnings);
    if (UNVERIFIED_WARNINGS(a->d->warnings))
        g_string_append(a->why, ": the client did not verify it, or ignored the result");
    else
        say_left_at_once(a, f);
    g_string_append(a->why, ".");
    conclude(a, APG_CAUSE_NONE,
             a->d->left_at_once ? APG_CONFIDENCE_LIKELY : APG_CONFIDENCE_CERTAIN);
}

typedef struct {
    const char *generic, *north, *south;
} fix_text;

static const fix_text fix_texts[FIX_COUNT] = {
#define APG_WARNING_FIX(id, generic, north, south) [FIX_##id] = {generic, north, south},
#include "apg_warnings.def"
#undef APG_WARNING_FIX
};

/* The most urgent fix any of the warnings w calls for, on this leg. */
const char *remedy_for_warnings(guint w, apg_direction direction)
{
    for (guint fix = 0; fix < FIX_COUNT; fix++) {
        if (!warnings_calling_for(w, (warning_fix)fix))
            continue;
        const fix_text *t = &fix_texts[fix];
        const char *leg = direction == APG_DIRECTION_SOUTHBOUND   ? t->south
                          : direction == APG_DIRECTION_NORTHBOUND ? t->north
                                                                  : NULL;
        return leg ? leg : t->generic;
    }
    return NULL;
}
