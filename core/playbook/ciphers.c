/* ciphers.c - playbook step 3: cipher suites. No suite in common, an offer
 * of weak suites only, and a key exchange the client refuses (small DH group).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "playbook.h"

#include <string.h>

/* --- Step 3: cipher suites --------------------------------------------- */

static guint count_overlap(const apg_offer *o, const guint16 *known, guint n)
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
static gboolean known_server_suites(answer *a, const facts *f, const char **source)
{
    const apg_context *c = f->ctx;
    if (c->n_server_suites) {
        a->d->known_suites = c->n_server_suites;
        a->d->overlap = count_overlap(&f->hs->offer, c->server_suites, c->n_server_suites);
        *source = "the server's configured suites";
    } else if (c->profile && c->profile->suites->len) {
        a->d->known_suites = c->profile->suites->len;
        a->d->overlap = count_overlap(&f->hs->offer, (const guint16 *)c->profile->suites->data,
                                      c->profile->suites->len);
        *source = "the suites this server chose for other clients in this capture";
    } else {
        return FALSE;
    }
    a->d->has_overlap = TRUE;
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
gboolean rule_weak_offer(answer *a, const facts *f)
{
    gboolean refusal = f->alert_known && (f->desc == APG_ALERT_HANDSHAKE_FAILURE ||
                                          f->desc == APG_ALERT_INSUFFICIENT_SECURITY);
    if (!refusal || !offer_is_weak(f))
        return FALSE;
    a->d->weak_offer = TRUE;
    say_client_hello(a, f, "The ClientHello");
    g_string_append_printf(a->why,
                           ", %u suites) offers only legacy or weak suites (NULL, EXPORT, "
                           "RC4, DES/3DES, anonymous), which current servers refuse; "
                           "the server answered with ",
                           f->hs->offer.n_suites);
    say_alert(a, f);
    g_string_append(a->why, ".");
    if (!f->has_sni)
        allow(a, APG_CAUSE_SNI_MISSING);
    return conclude(a, APG_CAUSE_CIPHER_MISMATCH, APG_CONFIDENCE_LIKELY);
}

/* After ServerHello, the server's own refusal unread (TLS 1.3 without keys):
 * the suite was chosen, so what is left is its certificate or parameters. */
gboolean rule_refusal_after_server_hello(answer *a, const facts *f)
{
    if (!f->alert_encrypted || f->v->stage != APG_STAGE_AFTER_SERVER_HELLO)
        return FALSE;
    say_server_choice(a, f);
    g_string_append(a->why, ") and then, before any certificate, sent ");
    say_alert(a, f);
    allow(a, APG_CAUSE_ALERT_OTHER);
    if (!f->has_sni) {
        g_string_append(a->why, ": it found no certificate or parameters for what the client "
                                "offered (signature algorithms, groups) or refused the missing "
                                "name. A key log would show the alert.");
        allow(a, APG_CAUSE_SNI_MISSING);
        return conclude(a, APG_CAUSE_CIPHER_MISMATCH, APG_CONFIDENCE_POSSIBLE);
    }
    /* Version and suite are agreed, the name was sent: what is left is a
     * certificate for the client's signature algorithms (Java picks it
     * after EncryptedExtensions), or a name the server does not serve. */
    g_string_append_printf(a->why,
                           ": the version and suite were agreed and SNI (%s) was sent, "
                           "so most likely it has no certificate for the signature "
                           "algorithms the client offered (other readings: a name it "
                           "does not serve, a policy). A key log would show the alert.",
                           f->hs->offer.sni);
    return conclude(a, APG_CAUSE_CIPHER_MISMATCH, APG_CONFIDENCE_LIKELY);
}

gboolean rule_ciphers(answer *a, const facts *f)
{
    gboolean refusal = f->alert_known && (f->desc == APG_ALERT_HANDSHAKE_FAILURE ||
                                          f->desc == APG_ALERT_INSUFFICIENT_SECURITY);
    if (!refusal)
        return FALSE;
    const char *source = NULL;
    gboolean known = known_server_suites(a, f, &source);
    a->d->weak_offer = offer_is_weak(f);
    say_client_hello(a, f, "The ClientHello");
    g_string_append_printf(a->why, ", %s, SNI %s, %u suite%s) got ", vname(f->client_max),
                           f->has_sni ? "present" : "absent", f->hs->offer.n_suites,
                           f->hs->offer.n_suites == 1 ? "" : "s");
    say_alert(a, f);
    if (known && !f->ctx->n_server_suites)
        rests_on(a, APG_BASIS_PROFILE);
    if (known && a->d->overlap == 0) {
        g_string_append_printf(a->why, "; none of the offered suites is among %s (%u)", source,
                               a->d->known_suites);
        g_string_append(a->why, offer_unusable_for_key(f)
                                    ? ", and the offered suites need another key type than the "
                                      "server's certificate."
                                    : ".");
        gboolean configured = f->ctx->n_server_suites > 0;
        if (!configured)
            allow(a, APG_CAUSE_ALERT_OTHER);
        return conclude(a, APG_CAUSE_CIPHER_MISMATCH,
                        configured ? APG_CONFIDENCE_CERTAIN : APG_CONFIDENCE_LIKELY);
    }
    if (known) {
        g_string_append_printf(a->why,
                               "; yet %u offered suites are among %s, so the suites are "
                               "probably not the reason: look at the server's other "
                               "requirements (signature algorithms, groups, ALPN, policy).",
                               a->d->overlap, source);
        return conclude(a, APG_CAUSE_ALERT_OTHER, APG_CONFIDENCE_POSSIBLE);
    }
    if (a->d->weak_offer) {
        g_string_append(a->why, "; every offered suite is legacy or weak (NULL, EXPORT, RC4, "
                                "DES/3DES, anonymous), which current servers refuse.");
        return conclude(a, APG_CAUSE_CIPHER_MISMATCH, APG_CONFIDENCE_LIKELY);
    }
    if (f->desc == APG_ALERT_INSUFFICIENT_SECURITY) {
        g_string_append(a->why, ": the server wants stronger suites than those offered.");
        return conclude(a, APG_CAUSE_CIPHER_MISMATCH, APG_CONFIDENCE_LIKELY);
    }
    /* The playbook's elimination: not the version, not SNI, so the suites. */
    rests_on(a, APG_BASIS_ELIMINATION);
    allow(a, APG_CAUSE_ALERT_OTHER);
    if (!f->has_sni) {
        allow(a, APG_CAUSE_SNI_MISSING);
        g_string_append(a->why, "; this server is known to serve clients without SNI, so the "
                                "suites are the likely reason.");
        return conclude(a, APG_CAUSE_CIPHER_MISMATCH, APG_CONFIDENCE_LIKELY);
    }
    g_string_append(a->why, "; the version is compatible and SNI was sent, so by the "
                            "playbook's elimination no shared cipher suite is the likely "
                            "reason. The server's suites are not known here (set the "
                            "server_suites preference, or capture a successful handshake with "
                            "it); other readings: no common group or signature algorithm, a "
                            "name the server does not serve, or a server policy.");
    return conclude(a, APG_CAUSE_CIPHER_MISMATCH, APG_CONFIDENCE_LIKELY);
}

/* The client refusing the server's key exchange: a DHE group too small. */
gboolean rule_small_dh_group(answer *a, const facts *f)
{
    const apg_handshake *hs = f->hs;
    if (f->alert_sender != APG_ROLE_CLIENT || !f->alert_known || !hs->ske_frame || !hs->dh_bits ||
        hs->dh_bits >= 2048)
        return FALSE;
    gboolean refusal = f->desc == APG_ALERT_HANDSHAKE_FAILURE ||
                       f->desc == APG_ALERT_INSUFFICIENT_SECURITY ||
                       f->desc == APG_ALERT_ILLEGAL_PARAMETER;
    if (!refusal)
        return FALSE;
    cite(a, hs->ske_frame);
    g_string_append_printf(a->why,
                           "The server's key exchange (frame %u) uses a %u-bit DHE group "
                           "and the client answered with ",
                           hs->ske_frame, hs->dh_bits);
    say_alert(a, f);
    g_string_append(a->why, ": clients refuse DHE groups under 2048 bits (OpenSSL's default "
                            "level) or 1024 bits (Java): a key-exchange mismatch. Give the "
                            "server a 2048-bit group or prefer ECDHE suites.");
    allow(a, APG_CAUSE_ALERT_OTHER);
    return conclude(a, APG_CAUSE_CIPHER_MISMATCH, APG_CONFIDENCE_LIKELY);
}
