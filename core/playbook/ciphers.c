/* ciphers.c - playbook step 3: cipher suites. No suite in common, an offer
 * of weak suites only, and a key exchange the client refuses (small DH group).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "playbook.h"

#include <string.h>

enum {
    CIPHERS_NONE_SHARED,       /* none offered is among the server's known suites */
    CIPHERS_SOME_SHARED,       /* some are: the suites are probably not the reason */
    CIPHERS_WEAK_OFFER,        /* the server's suites unknown, the offer all weak */
    CIPHERS_STRONGER,          /* insufficient_security */
    CIPHERS_ELIMINATED,        /* the playbook's elimination, SNI sent */
    CIPHERS_ELIMINATED_NO_SNI, /* the same, from a server known to serve without SNI */
    CIPHERS_ILLEGAL_PARAMETER, /* illegal_parameter, the server's suites unknown */
};

guint suites_overlap(const apg_offer *o, const guint16 *known, guint n)
{
    guint hits = 0;
    for (guint i = 0; i < o->n_suites; i++)
        for (guint k = 0; k < n; k++)
            if (o->suites[i] == known[k]) {
                hits++;
                break;
            }
    return hits;
}

static gboolean offer_is_weak(const facts *f)
{
    apg_suite_namer name = f->ctx->suite_name;
    guint real = 0;
    if (!name)
        return FALSE;
    for (guint i = 0; i < f->hs->offer.n_suites; i++) {
        const char *n = name(f->hs->offer.suites[i]);
        if (!n || g_str_has_suffix(n, "_SCSV"))
            continue; /* GREASE, signalling values */
        real++;
        if (!apg_suite_is_weak(n))
            return FALSE;
    }
    return real > 0;
}

/* The suites the server is known to take: configured, else learned. */
static gboolean known_server_suites(const facts *f, finding *g)
{
    const apg_context *c = f->ctx;
    apg_diagnosis *d = g->d;
    if (c->n_server_suites) {
        d->known_suites = c->n_server_suites;
        d->overlap = suites_overlap(&f->hs->offer, c->server_suites, c->n_server_suites);
        g->suite_source = "the server's configured suites";
    } else if (c->profile && c->profile->suites->len) {
        d->known_suites = c->profile->suites->len;
        d->overlap = suites_overlap(&f->hs->offer, (const guint16 *)c->profile->suites->data,
                                    c->profile->suites->len);
        g->suite_source = NULL; /* learned: worded with the name asked for (say_suite_source) */
        rests_on(g, APG_BASIS_PROFILE);
    } else {
        return FALSE;
    }
    d->has_overlap = TRUE;
    compares(g, APG_COMPARED_SUITES);
    return TRUE;
}

/* TLS 1.2 suite names carry the server key type they need: _RSA_ or _ECDSA_
 * after the key exchange. TLS 1.3 suites (TLS_AES_...) do not. */
static guint auth_kinds(apg_suite_namer name, const guint16 *suites, guint n)
{
    guint kinds = 0;
    for (guint i = 0; i < n && name; i++) {
        const char *s = name(suites[i]);
        if (!s || !strstr(s, "_WITH_"))
            continue;
        if (strstr(s, "_ECDSA_"))
            kinds |= 1;
        else if (strstr(s, "RSA_"))
            kinds |= 2;
    }
    return kinds;
}

/* The server's suites need one key type and the offer only the other. */
static gboolean offer_unusable_for_key(const facts *f)
{
    const apg_server_profile *p = f->ctx->profile;
    if (!p || !p->suites->len)
        return FALSE;
    guint server = auth_kinds(f->ctx->suite_name, (const guint16 *)(const void *)p->suites->data,
                              p->suites->len);
    guint offer = auth_kinds(f->ctx->suite_name, f->hs->offer.suites, f->hs->offer.n_suites);
    return (server == 1 || server == 2) && offer && !(offer & server);
}

/* An offer of NULL, EXPORT or RC4 suites only is refused whatever the SNI:
 * stronger evidence than a missing server_name. */
gboolean decide_weak_offer(const facts *f, finding *g)
{
    if (!offer_is_weak(f))
        return FALSE;
    g->d->weak_offer = TRUE;
    note_client_hello(g, f);
    note_alert(g, f);
    compares(g, APG_COMPARED_SUITES);
    if (!f->has_sni)
        allow(g, APG_CAUSE_SNI_MISSING);
    return conclude(g, APG_CAUSE_CIPHER_MISMATCH, APG_CONFIDENCE_LIKELY);
}

void say_weak_offer(GString *s, const finding *g)
{
    g_string_append_printf(s,
                           "The ClientHello (frame %u, %u suites) offers only legacy or weak "
                           "suites (NULL, EXPORT, RC4, DES/3DES, anonymous), which current "
                           "servers refuse; the server answered with ",
                           g->client_hello_frame, g->n_suites);
    say_ending(s, g);
    g_string_append(s, ".");
}

/* After ServerHello, the server's own refusal unread (TLS 1.3 without keys):
 * the suite was chosen, so what is left is its certificate or parameters. */
gboolean decide_refusal_after_server_hello(const facts *f, finding *g)
{
    if (f->v->stage != APG_STAGE_AFTER_SERVER_HELLO)
        return FALSE;
    note_server_choice(g, f);
    note_alert(g, f);
    allow(g, APG_CAUSE_ALERT_OTHER);
    g->sni = f->hs->offer.sni;
    compares(g, APG_COMPARED_SNI);
    g->offer = &f->hs->offer;
    if (g->offer->alpn) /* Go checks ALPN after its ServerHello */
        allow(g, APG_CAUSE_NO_APPLICATION_PROTOCOL);
    if (!f->has_sni)
        allow(g, APG_CAUSE_SNI_MISSING);
    /* without SNI, or with ALPN offered, no reading comes first */
    gboolean open = !f->has_sni || g->offer->alpn;
    return conclude(g, APG_CAUSE_CIPHER_MISMATCH,
                    open ? APG_CONFIDENCE_POSSIBLE : APG_CONFIDENCE_LIKELY);
}

void say_refusal_after_server_hello(GString *s, const finding *g)
{
    say_server_choice(s, g);
    g_string_append(s, ") and then, before any certificate, sent ");
    say_ending(s, g);
    if (!g->sni) {
        g_string_append(s, ": it found no certificate or parameters for what the client "
                           "offered (signature algorithms, groups) or refused the missing name. "
                           "A key log would show the alert.");
        return;
    }
    /* Version and suite are agreed, the name was sent: what is left is a
     * certificate for the client's signature algorithms (Java picks it
     * after EncryptedExtensions), or a name the server does not serve. */
    if (g->offer->alpn) {
        char *alpn = g_strescape(g->offer->alpn, NULL); /* the client chose these bytes */
        g_string_append_printf(s,
                               ": the version and suite were agreed and SNI (%s) was sent, so it "
                               "has no certificate for the signature algorithms the client "
                               "offered, or accepts none of the application protocols offered "
                               "(ALPN %s; Go checks them after its ServerHello); other readings: "
                               "a name it does not serve, a policy. A key log would show the "
                               "alert.",
                               g->sni, alpn);
        g_free(alpn);
        return;
    }
    g_string_append_printf(s,
                           ": the version and suite were agreed and SNI (%s) was sent, so most "
                           "likely it has no certificate for the signature algorithms the "
                           "client offered (other readings: a name it does not serve, a "
                           "policy). A key log would show the alert.",
                           g->sni);
}

/* Whether the server was seen, in this capture and for this name, to take a
 * version this client offers. Only then does more than the alert's silence
 * rule the version out: GnuTLS, for one, answers a version it does not
 * take with handshake_failure, not protocol_version. */
static gboolean version_seen_for_offer(const facts *f)
{
    const apg_server_profile *p = f->ctx->profile;
    if (!p || !p->versions || !f->client_max)
        return FALSE;
    guint lo = MAX(f->client_min ? f->client_min : APG_TLS10, APG_SSL3);
    guint hi = MIN(f->client_max, APG_TLS13);
    for (guint v = lo; v <= hi; v++)
        if (p->versions & (1u << (v - APG_SSL3)))
            return TRUE;
    return FALSE;
}

/* What decides when the server's suites are unknown. */
static gboolean decide_unknown_suites(const facts *f, finding *g)
{
    if (g->d->weak_offer) {
        g->reading = CIPHERS_WEAK_OFFER;
        return conclude(g, APG_CAUSE_CIPHER_MISMATCH, APG_CONFIDENCE_LIKELY);
    }
    if (f->desc == APG_ALERT_INSUFFICIENT_SECURITY) {
        g->reading = CIPHERS_STRONGER;
        return conclude(g, APG_CAUSE_CIPHER_MISMATCH, APG_CONFIDENCE_LIKELY);
    }
    /* The playbook's elimination: no version rule and no SNI rule claimed
     * this refusal, so the suites. */
    rests_on(g, APG_BASIS_ELIMINATION);
    allow(g, APG_CAUSE_ALERT_OTHER);
    if (version_seen_for_offer(f))
        compares(g, APG_COMPARED_VERSIONS);
    else
        allow(g, APG_CAUSE_PROTOCOL_MISMATCH);
    g->reading = f->has_sni ? CIPHERS_ELIMINATED : CIPHERS_ELIMINATED_NO_SNI;
    if (!f->has_sni)
        allow(g, APG_CAUSE_SNI_MISSING);
    return conclude(g, APG_CAUSE_CIPHER_MISMATCH, APG_CONFIDENCE_LIKELY);
}

/* illegal_parameter names a bad value in the ClientHello; Tomcat-native and
 * axTLS also send it when no suite is shared. Alone it decides nothing. */
static gboolean decide_illegal_parameter(finding *g)
{
    g->reading = CIPHERS_ILLEGAL_PARAMETER;
    allow(g, APG_CAUSE_CIPHER_MISMATCH);
    return conclude(g, APG_CAUSE_ALERT_OTHER, APG_CONFIDENCE_LIKELY);
}

gboolean decide_ciphers(const facts *f, finding *g)
{
    gboolean known = known_server_suites(f, g);
    gboolean illegal_parameter = f->desc == APG_ALERT_ILLEGAL_PARAMETER;
    g->d->weak_offer = offer_is_weak(f);
    note_client_hello(g, f);
    note_alert(g, f);
    compares(g, APG_COMPARED_SNI);
    if (!known && illegal_parameter)
        return decide_illegal_parameter(g);
    if (!known)
        return decide_unknown_suites(f, g);
    if (g->d->overlap) {
        g->reading = CIPHERS_SOME_SHARED;
        return conclude(g, APG_CAUSE_ALERT_OTHER, APG_CONFIDENCE_POSSIBLE);
    }
    g->reading = CIPHERS_NONE_SHARED;
    g->other_key_type = offer_unusable_for_key(f);
    /* the alert may also mean what it says: a bad value */
    gboolean configured = f->ctx->n_server_suites > 0 && !illegal_parameter;
    if (!configured)
        allow(g, APG_CAUSE_ALERT_OTHER);
    return conclude(g, APG_CAUSE_CIPHER_MISMATCH,
                    configured ? APG_CONFIDENCE_CERTAIN : APG_CONFIDENCE_LIKELY);
}

static const char *const ciphers_conclusion[] = {
    [CIPHERS_WEAK_OFFER] = "; every offered suite is legacy or weak (NULL, EXPORT, RC4, "
                           "DES/3DES, anonymous), which current servers refuse.",
    [CIPHERS_STRONGER] = ": the server wants stronger suites than those offered.",
    [CIPHERS_ELIMINATED_NO_SNI] = "; this server is known to serve clients without SNI, so the "
                                  "suites are the likely reason.",
    [CIPHERS_ELIMINATED] =
        "; SNI was sent and the alert does not name the version, so by the playbook's "
        "elimination no shared cipher suite is the likely reason. The server's suites are not "
        "known here (set the server_suites preference, or capture a successful handshake with "
        "it); other readings: no common group or signature algorithm, a name the server does "
        "not serve, or a server policy.",
    [CIPHERS_ILLEGAL_PARAMETER] =
        ": the server found a value of the ClientHello malformed or unacceptable (an extension, "
        "a group, a signature algorithm); some servers (Tomcat-native, axTLS) send the same "
        "alert when no cipher suite is shared. The server's suites are not known here: set the "
        "server_suites preference, or capture a successful handshake with it, to tell them "
        "apart.",
};

/* Where the server's suites come from: configured, or learned from the
 * same server's other handshakes for the same name (virtual hosts differ). */
static void say_suite_source(GString *s, const finding *g)
{
    if (g->suite_source) {
        g_string_append(s, g->suite_source);
        return;
    }
    g_string_append(s, "the suites this server chose in this capture for other ");
    say_clients_of_name(s, g);
}

void say_ciphers(GString *s, const finding *g)
{
    g_string_append_printf(s, "The ClientHello (frame %u, %s, SNI %s, %u suite%s) got ",
                           g->client_hello_frame, vname(g->client_max),
                           g->sni ? "present" : "absent", g->n_suites, g->n_suites == 1 ? "" : "s");
    say_ending(s, g);
    if (g->reading == CIPHERS_NONE_SHARED) {
        g_string_append(s, "; none of the offered suites is among ");
        say_suite_source(s, g);
        g_string_append_printf(s, " (%u)", g->d->known_suites);
        g_string_append(s, g->other_key_type ? ", and the offered suites need another key type "
                                               "than the server's certificate."
                                             : ".");
    } else if (g->reading == CIPHERS_SOME_SHARED) {
        g_string_append_printf(s, "; yet %u offered suites are among ", g->d->overlap);
        say_suite_source(s, g);
        g_string_append(s, ", so the suites are probably not the reason: look at the server's "
                           "other requirements (signature algorithms, groups, ALPN, policy).");
    } else {
        g_string_append(s, ciphers_conclusion[g->reading]);
    }
    gboolean eliminated =
        g->reading == CIPHERS_ELIMINATED || g->reading == CIPHERS_ELIMINATED_NO_SNI;
    if (eliminated && (g->d->alternatives & APG_CAUSE_BIT(APG_CAUSE_PROTOCOL_MISMATCH)))
        g_string_append(s, " Nothing in the capture shows the server taking a version this "
                           "client offers, so a version it does not take stays possible (some "
                           "servers answer that with handshake_failure too).");
    else if (eliminated)
        g_string_append(s, " The server took an offered version in another handshake.");
}

/* The client refusing the server's key exchange: a DHE group too small. */
gboolean decide_small_dh_group(const facts *f, finding *g)
{
    const apg_handshake *hs = f->hs;
    if (!hs->ske_frame || !hs->dh_bits || hs->dh_bits >= 2048)
        return FALSE;
    cite(g, hs->ske_frame);
    g->ske_frame = hs->ske_frame;
    g->dh_bits = hs->dh_bits;
    note_alert(g, f);
    compares(g, APG_COMPARED_KEY_EXCHANGE);
    allow(g, APG_CAUSE_ALERT_OTHER);
    return conclude(g, APG_CAUSE_CIPHER_MISMATCH, APG_CONFIDENCE_LIKELY);
}

void say_small_dh_group(GString *s, const finding *g)
{
    g_string_append_printf(s,
                           "The server's key exchange (frame %u) uses a %u-bit DHE group and the "
                           "client answered with ",
                           g->ske_frame, g->dh_bits);
    say_ending(s, g);
    g_string_append(s, ": clients refuse DHE groups under 2048 bits (OpenSSL's default level) "
                       "or 1024 bits (Java): a key-exchange mismatch. Give the server a "
                       "2048-bit group or prefer ECDHE suites.");
}
