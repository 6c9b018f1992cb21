/* success.c - an established handshake: the risks it carries (old versions,
 * weak suites, certificates a verifying client would refuse) and a client that
 * left at once.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "playbook.h"

enum {
    SUCCESS_SSL2,         /* SSL 2.0: not analysed further */
    SUCCESS_DEFAULT_LEFT, /* no SNI, a default certificate for another name, the client left */
    SUCCESS_ABANDONED,    /* a certificate with a problem, the client left without data */
    SUCCESS,              /* established, with its warnings */
};

/* What leaves an established call open (SUCCESS, in g->count). */
enum {
    LEFT_DEFAULT_UNCOMPARED = 1, /* no SNI: the default certificate, no name to compare */
    LEFT_ENCRYPTED,              /* the certificate is encrypted: nothing compared */
    LEFT_CLEAN,                  /* the certificate was read and shows no problem */
    SERVER_LEFT,                 /* the server closed before the client sent data */
    NOTHING_AFTER,               /* the capture ends before the client sent data or left */
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
    /* a client that went on holds the private root that issued the sole
     * certificate, or did not verify: nothing says which */
    if (r->issuer_may_be_root)
        w &= ~APG_WARN_CHAIN_INCOMPLETE;
    return w;
}

static gboolean is_legacy_version(guint16 v)
{
    return v && v < APG_TLS12;
}

/* TLS 1.3 without keys: the certificate rode in the encrypted flight. */
static gboolean certificate_opaque(const apg_handshake *hs)
{
    return apg_hs_negotiated_version(hs) == APG_TLS13 && !hs->server_cert_frame;
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
    allow(g, APG_CAUSE_CLIENT_ABORT);
    g->d->abandoned = TRUE;
    return conclude(g, APG_CAUSE_SNI_MISSING, APG_CONFIDENCE_LIKELY);
}

/* curl, browsers, Node.js and GnuTLS tools check the certificate after the
 * handshake: a client that closes at once, sending no data, over a
 * certificate with a problem abandoned the call. A probe that only tests
 * the handshake leaves the same way. */
static gboolean decide_abandoned(const facts *f, finding *g, guint32 left)
{
    const apg_chain_report *r = f->ctx->chain;
    apg_cert_finding c = r && r->n ? refusing_finding(r, FALSE) : APG_CERT_FINDING_COUNT;
    if (!left || c == APG_CERT_FINDING_COUNT)
        return FALSE;
    g->reading = SUCCESS_ABANDONED;
    g->chain = r;
    g->cert_findings = APG_CERT_BIT(c);
    g->frame3 = left;
    cite(g, f->hs->server_cert_frame);
    cite(g, left);
    compares(g, APG_COMPARED_SERVER_CERT | APG_COMPARED_CLIENT_DATA);
    allow(g, APG_CAUSE_CLIENT_ABORT);
    allow_root_unknown(g, r, c);
    g->d->abandoned = TRUE;
    return conclude(g, cause_of_cert_finding(c), APG_CONFIDENCE_LIKELY);
}

/* A client that completes the handshake and leaves without a byte of data
 * may have refused the certificate afterwards, or may be a probe: with no
 * problem in what was read, a doubt, not a cause. */
static void note_left_at_once(const facts *f, finding *g, guint32 left)
{
    const apg_chain_report *r = f->ctx->chain;
    gboolean encrypted = certificate_opaque(f->hs);
    gboolean compared = r && r->leaf && (f->has_sni || r->hostname_checked);
    cite(g, left);
    g->frame3 = left;
    g->count = encrypted        ? LEFT_ENCRYPTED
               : !r || !r->leaf ? LEFT_ENCRYPTED
               : compared       ? LEFT_CLEAN
                                : LEFT_DEFAULT_UNCOMPARED;
    g->chain = r;
    compares(g, APG_COMPARED_CLIENT_DATA);
    if (g->count != LEFT_CLEAN)
        allow(g, f->has_sni ? APG_CAUSE_CERT_HOSTNAME_MISMATCH : APG_CAUSE_SNI_MISSING);
    else
        compares(g, APG_COMPARED_SERVER_CERT);
    allow(g, APG_CAUSE_CERT_REJECTED);
    allow(g, APG_CAUSE_CLIENT_ABORT);
    g->d->left_at_once = TRUE;
}

/* The call is not shown to go on: the server left first, or the capture
 * ends before the client sent anything. */
static void note_nothing_after(const facts *f, finding *g)
{
    compares(g, APG_COMPARED_CLIENT_DATA);
    if (f->v->next == APG_NEXT_SERVER_LEFT) {
        g->count = SERVER_LEFT;
        g->frame3 = f->v->next_frame;
        cite(g, f->v->next_frame);
        allow(g, APG_CAUSE_SERVER_CLOSED);
    } else {
        g->count = NOTHING_AFTER;
        allow(g, APG_CAUSE_INCOMPLETE_CAPTURE);
    }
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
    /* none is certain only once the client sent data */
    if (left)
        note_left_at_once(f, g, left);
    else if (f->v->next != APG_NEXT_CLIENT_DATA)
        note_nothing_after(f, g);
    else
        compares(g, APG_COMPARED_CLIENT_DATA);
    conclude(g, APG_CAUSE_NONE,
             f->v->next == APG_NEXT_CLIENT_DATA ? APG_CONFIDENCE_CERTAIN : APG_CONFIDENCE_LIKELY);
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
    guint32 left = f->v->next == APG_NEXT_CLIENT_LEFT ? f->v->next_frame : 0;
    if (decide_default_certificate_left(f, g, left) || decide_abandoned(f, g, left))
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
    } else if (g->count == LEFT_CLEAN) {
        g_string_append(s, "; yet as far as it was checked the certificate shows nothing such a "
                           "client refuses: ");
        say_chain_checked(s, g->chain);
        if (g->chain->trust_checked)
            g_string_append(s, ", and leads to a root of the configured truststore");
        else
            g_string_append(s, " (its root was not compared with a truststore: set "
                               "apigee_hs.truststore)");
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
    if (g->d->left_at_once)
        say_left_at_once(s, g);
    else if (g->count == SERVER_LEFT)
        g_string_append_printf(s,
                               "; the server closed the connection (frame %u) before the "
                               "client sent any data, so the call is not shown to go on",
                               g->frame3);
    else if (g->count == NOTHING_AFTER)
        g_string_append(s, "; the capture ends before the client sent any data or left, so the "
                           "call is not shown to go on");
    else if (UNVERIFIED_WARNINGS(g->d->warnings))
        g_string_append(s, ": the client did not verify it, or ignored the result, and sent "
                           "data");
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
    case SUCCESS_ABANDONED:
        g_string_append_printf(s,
                               "The handshake completed (frame %u), but the client left "
                               "without sending any data (frame %u), and ",
                               g->frame2, g->frame3);
        for (guint c = 0; c < APG_CERT_FINDING_COUNT; c++)
            if (g->cert_findings & APG_CERT_BIT(c))
                apg_cert_finding_say(s, g->chain, (apg_cert_finding)c, "the", TRUE);
        g_string_append(s, ": clients that check the certificate after the handshake (curl, "
                           "browsers, Node.js, GnuTLS tools) abandon the call like this, with no "
                           "fatal alert; a probe that only tests the handshake also leaves so.");
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
