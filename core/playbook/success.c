/* success.c - an established handshake: the risks it carries (old versions,
 * weak suites, certificates a verifying client would refuse) and a client that
 * left at once.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "playbook.h"

enum {
    SUCCESS_SSL2,          /* SSL 2.0: not analysed further */
    SUCCESS_DEFAULT_LEFT,  /* no SNI, a default certificate for another name, the client left */
    SUCCESS_NAME_REJECTED, /* a certificate for another name, the client left without data */
    SUCCESS,               /* established, with its warnings */
};

/* How the client left at once (SUCCESS with left_at_once). */
enum {
    LEFT_DEFAULT_UNCOMPARED = 1, /* no SNI: the default certificate, no name to compare */
    LEFT_ENCRYPTED,              /* the certificate is encrypted: nothing compared */
};

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

/* The warning each finding of the server's chain raises. */
static const guint warning_of_finding[APG_CERT_FINDING_COUNT] = {
    [APG_CERT_EXPIRED] = APG_WARN_CERT_EXPIRED,
    [APG_CERT_NOT_YET_VALID] = APG_WARN_CERT_NOT_YET_VALID,
    [APG_CERT_CHAIN_INCOMPLETE] = APG_WARN_CHAIN_INCOMPLETE,
    [APG_CERT_CHAIN_INVALID] = APG_WARN_CHAIN_INVALID,
    [APG_CERT_NAME_MISMATCH] = APG_WARN_NAME_MISMATCH,
    [APG_CERT_UNTRUSTED] = APG_WARN_UNTRUSTED,
    [APG_CERT_SELF_SIGNED] = APG_WARN_SELF_SIGNED,
    [APG_CERT_EXPIRING] = APG_WARN_CERT_EXPIRING,
    [APG_CERT_WEAK_SIGNATURE] = APG_WARN_WEAK_SIGNATURE,
    [APG_CERT_SMALL_KEY] = APG_WARN_SMALL_KEY,
};

static guint certificate_warnings(const apg_chain_report *r)
{
    guint w = 0;
    if (!r || !r->n)
        return 0;
    for (guint i = 0; i < APG_CERT_FINDING_COUNT; i++)
        if (apg_chain_has(r, (apg_cert_finding)i))
            w |= warning_of_finding[i];
    return w;
}

static gboolean is_legacy_version(guint16 v)
{
    return v && v < APG_TLS12;
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
 * left (note_left_at_once). */
static gboolean decide_default_certificate_left(const facts *f, finding *g, guint32 left)
{
    const apg_chain_report *r = f->ctx->chain;
    if (f->has_sni || !f->saw_offer || !r || !r->leaf || r->leaf_malformed || !left ||
        !apg_chain_has(r, APG_CERT_NAME_MISMATCH))
        return FALSE;
    g->reading = SUCCESS_DEFAULT_LEFT;
    g->chain = r;
    g->frame3 = left;
    cite(g, left);
    cite(g, f->hs->client_hello_frame);
    g->client_hello_frame = f->hs->client_hello_frame;
    compares(g, APG_COMPARED_SNI | APG_COMPARED_SERVER_CERT | APG_COMPARED_CLIENT_DATA);
    allow(g, APG_CAUSE_CERT_HOSTNAME_MISMATCH);
    return conclude(g, APG_CAUSE_SNI_MISSING, APG_CONFIDENCE_LIKELY);
}

/* curl and browsers check the name after the handshake: a client that
 * closes at once, sending no data, over a certificate for another name. */
static gboolean decide_name_rejected(const facts *f, finding *g, guint32 left)
{
    const apg_chain_report *r = f->ctx->chain;
    if (!apg_chain_has(r, APG_CERT_NAME_MISMATCH) || !left)
        return FALSE;
    g->reading = SUCCESS_NAME_REJECTED;
    g->chain = r;
    compares(g, APG_COMPARED_SERVER_CERT | APG_COMPARED_CLIENT_DATA);
    return conclude(g, APG_CAUSE_CERT_HOSTNAME_MISMATCH, APG_CONFIDENCE_LIKELY);
}

/* A client that completes the handshake and leaves without a byte of data
 * may have refused the certificate afterwards (curl checks the name then),
 * or may be a probe: when no name could be compared, a doubt, not a cause. */
static void note_left_at_once(const facts *f, finding *g, guint32 left)
{
    const apg_chain_report *r = f->ctx->chain;
    gboolean encrypted = client_flight_opaque(f->hs);
    gboolean compared = r && r->leaf && (f->has_sni || r->hostname_checked);
    if (!left || (!encrypted && (compared || !r || !r->leaf)))
        return;
    cite(g, left);
    g->frame3 = left;
    g->count = encrypted ? LEFT_ENCRYPTED : LEFT_DEFAULT_UNCOMPARED;
    g->chain = r;
    compares(g, APG_COMPARED_CLIENT_DATA);
    allow(g, f->has_sni ? APG_CAUSE_CERT_HOSTNAME_MISMATCH : APG_CAUSE_SNI_MISSING);
    allow(g, APG_CAUSE_CERT_REJECTED);
    allow(g, APG_CAUSE_CLIENT_ABORT);
    g->d->left_at_once = TRUE;
}

/* Established: the risks of what was negotiated and of the certificate. */
static void decide_established(const facts *f, finding *g, guint32 left)
{
    const apg_handshake *hs = f->hs;
    g->reading = SUCCESS;
    g->chain = f->ctx->chain;
    if (f->v->inferred) {
        rests_on(g, APG_BASIS_RECORD_SIZES);
        compares(g, APG_COMPARED_RECORDS);
        g->inferred = TRUE;
        g->largest_record = hs->short_server_len;
    }
    if (is_legacy_version(g->chosen_version))
        g->d->warnings |= APG_WARN_OLD_VERSION;
    if (g->suite && apg_suite_is_weak(g->suite))
        g->d->warnings |= APG_WARN_LEGACY_SUITE;
    g->d->warnings |= certificate_warnings(f->ctx->chain);
    if (g->d->warnings & ~(APG_WARN_OLD_VERSION | APG_WARN_LEGACY_SUITE))
        compares(g, APG_COMPARED_SERVER_CERT);
    if (!UNVERIFIED_WARNINGS(g->d->warnings))
        note_left_at_once(f, g, left);
    conclude(g, APG_CAUSE_NONE,
             g->d->left_at_once ? APG_CONFIDENCE_LIKELY : APG_CONFIDENCE_CERTAIN);
}

void decide_success(const facts *f, finding *g)
{
    const apg_handshake *hs = f->hs;
    g->chosen_version = apg_hs_negotiated_version(hs);
    /* Only a ServerHello names the suite (a HelloRetryRequest alone does not). */
    g->suite = f->ctx->suite_name && hs->server_hello_frame && g->chosen_version != APG_SSL2
                   ? f->ctx->suite_name(hs->sh.suite)
                   : NULL;
    g->frame2 = f->v->decided_frame;
    cite(g, f->v->decided_frame);
    if (g->chosen_version == APG_SSL2) {
        g->reading = SUCCESS_SSL2;
        g->chosen_frame = hs->ssl2_server_frame;
        g->d->warnings |= APG_WARN_SSL2 | APG_WARN_OLD_VERSION;
        rests_on(g, APG_BASIS_ELIMINATION);
        conclude(g, APG_CAUSE_NONE, APG_CONFIDENCE_LIKELY);
        return;
    }
    guint32 left = client_left_without_data(hs);
    if (decide_default_certificate_left(f, g, left) || decide_name_rejected(f, g, left))
        return;
    decide_established(f, g, left);
}

static void say_left_at_once(GString *s, const finding *g)
{
    g_string_append_printf(s,
                           "; the client left without sending any data (frame %u): clients such "
                           "as curl check the certificate's name after the handshake and leave "
                           "like this when it is not the name they asked for, and so does a "
                           "probe that only tests the handshake",
                           g->frame3);
    if (g->count == LEFT_DEFAULT_UNCOMPARED) {
        g_string_append(s, "; the ClientHello has no server_name, so this is the server's "
                           "default certificate (");
        say_leaf_names(s, g->chain->leaf);
        g_string_append(s, "): to compare it, give the name the client wants in expected_hosts "
                           "(address:port=name)");
    } else {
        g_string_append(s, "; the certificate is encrypted, so no name was compared: a key log "
                           "(tls.keylog_file) would show it");
    }
}

/* "; the leaf expires 20 days after the capture" for each warning of the
 * server's chain. */
static void say_certificate_warnings(GString *s, const finding *g)
{
    for (guint i = 0; i < APG_CERT_FINDING_COUNT; i++) {
        if (!(g->d->warnings & warning_of_finding[i]) || !warning_of_finding[i])
            continue;
        g_string_append(s, "; ");
        apg_cert_finding_say(s, g->chain, (apg_cert_finding)i, "the", FALSE);
        if (i == APG_CERT_NAME_MISMATCH)
            g_string_append(s, " and the client went on");
    }
}

static void say_established(GString *s, const finding *g)
{
    g_string_append_printf(s, "Established with %s", vname(g->chosen_version));
    if (g->suite)
        g_string_append_printf(s, " and %s", g->suite);
    if (g->inferred)
        g_string_append_printf(s,
                               " (the server's only record after the client's flight is %u "
                               "bytes: a ticket most likely, a padded alert possibly)",
                               g->largest_record);
    if (g->d->warnings & (APG_WARN_OLD_VERSION | APG_WARN_LEGACY_SUITE))
        g_string_append(s, ", which is risky: move both sides to TLSv1.2 or later with AEAD "
                           "suites");
    say_certificate_warnings(s, g);
    if (UNVERIFIED_WARNINGS(g->d->warnings))
        g_string_append(s, ": the client did not verify it, or ignored the result");
    else if (g->d->left_at_once)
        say_left_at_once(s, g);
    g_string_append(s, ".");
}

void say_success(GString *s, const finding *g)
{
    switch (g->reading) {
    case SUCCESS_SSL2:
        g_string_append_printf(s,
                               "The server answered in SSLv2 (frame %u): SSL 2.0 is broken and "
                               "is not analysed further; disable it on both sides.",
                               g->chosen_frame);
        break;
    case SUCCESS_DEFAULT_LEFT:
        g_string_append_printf(s,
                               "The handshake completed (frame %u), but the client left without "
                               "sending any data (frame %u); its ClientHello (frame %u) has no "
                               "server_name, so the server sent its default certificate, and ",
                               g->frame2, g->frame3, g->client_hello_frame);
        apg_cert_finding_say(s, g->chain, APG_CERT_NAME_MISMATCH, "the", FALSE);
        g_string_append(s, ": clients such as curl check the name after the handshake and leave "
                           "like this; with SNI the server would likely have sent the "
                           "certificate for that name (other reading: the server has no "
                           "certificate for it at all).");
        break;
    case SUCCESS_NAME_REJECTED:
        g_string_append_printf(s,
                               "The handshake completed (frame %u), but the client closed "
                               "without sending any data, and ",
                               g->frame2);
        apg_cert_finding_say(s, g->chain, APG_CERT_NAME_MISMATCH, "the", FALSE);
        g_string_append(s, ": clients such as curl and browsers reject the name after the "
                           "handshake, with no fatal alert.");
        break;
    default: say_established(s, g); break;
    }
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
