/* apg_diagnose.c - the playbook's reasoning, rule by rule.
 *
 * A handshake the server aborts right after the ClientHello is read in the
 * playbook's order: the version first, then SNI, then cipher suites. Later
 * failures are about certificates: the client refusing the server's, or the
 * server refusing (or missing) the client's. What the wire does not settle is
 * said with a lower confidence and its alternatives.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_diagnosis.h"

#include "apg_text.h"

#include <string.h>

enum {
    ALERT_HANDSHAKE_FAILURE = 40,
    ALERT_BAD_CERTIFICATE = 42,
    ALERT_UNSUPPORTED_CERTIFICATE = 43,
    ALERT_CERTIFICATE_REVOKED = 44,
    ALERT_CERTIFICATE_EXPIRED = 45,
    ALERT_CERTIFICATE_UNKNOWN = 46,
    ALERT_UNKNOWN_CA = 48,
    ALERT_ACCESS_DENIED = 49,
    ALERT_DECRYPT_ERROR = 51,
    ALERT_PROTOCOL_VERSION = 70,
    ALERT_INSUFFICIENT_SECURITY = 71,
    ALERT_UNRECOGNIZED_NAME = 112,
    ALERT_ILLEGAL_PARAMETER = 47,
    ALERT_CERTIFICATE_REQUIRED = 116,
};

/* What the rules look at, gathered once. */
typedef struct {
    const apg_handshake *hs;
    const apg_verdict *v;
    const apg_context *ctx;
    guint16 client_max; /* highest version offered */
    guint16 client_min; /* lowest, when supported_versions lists them; else 0 */
    gboolean has_sni;
    gboolean alert_known; /* a readable deciding alert */
    gboolean alert_encrypted;
    guint8 desc;
    apg_role alert_sender;
    gboolean server_aborted_early; /* alert or close from the server before its certificate */
    gboolean saw_offer;            /* the ClientHello is in the capture */
} facts;

typedef struct {
    apg_diagnosis *d;
    GString *why;
} answer;

static gboolean is_tls_version(guint16 v)
{
    return (v >> 8) == 3 && (v & 0x0f0f) != 0x0a0a;
}

static void offered_range(const apg_offer *o, guint16 *lo, guint16 *hi)
{
    *lo = 0;
    *hi = apg_offer_highest_version(o);
    for (guint i = 0; i < o->n_versions; i++)
        if (is_tls_version(o->versions[i]) && (!*lo || o->versions[i] < *lo))
            *lo = o->versions[i];
}

static facts gather(const apg_handshake *hs, const apg_verdict *v, const apg_context *ctx)
{
    facts f = {.hs = hs,
               .v = v,
               .ctx = ctx,
               .has_sni = hs->offer.sni != NULL,
               .saw_offer = hs->client_hello_frame != 0};
    offered_range(&hs->offer, &f.client_min, &f.client_max);
    if (v->has_alert) {
        f.alert_encrypted = v->alert.alert.encrypted;
        f.alert_known = !f.alert_encrypted;
        f.desc = v->alert.alert.desc;
        f.alert_sender = v->alert.sender;
    }
    /* Before any ServerHello; or after it but before a certificate (Java
     * sends ServerHello and EncryptedExtensions before choosing one). */
    gboolean before_certificate =
        v->stage == APG_STAGE_BEFORE_SERVER_HELLO ||
        (v->stage == APG_STAGE_AFTER_SERVER_HELLO && !hs->server_cert_frame &&
         !hs->encrypted_frame[APG_ROLE_CLIENT] && !hs->finished_frame[APG_ROLE_CLIENT]);
    f.server_aborted_early =
        v->outcome == APG_OUTCOME_FAILED && before_certificate && f.saw_offer &&
        v->has_failed_side && v->failed_side == APG_ROLE_SERVER &&
        (v->has_alert || v->cause == APG_CAUSE_SERVER_RESET || v->cause == APG_CAUSE_SERVER_CLOSED);
    return f;
}

static const char *vname(guint16 v)
{
    const char *n = apg_version_name(v);
    return n ? n : "an unknown version";
}

static const char *alert_name(guint8 desc)
{
    const char *n = apg_alert_desc_name(desc);
    return n ? n : "an unnamed alert";
}

static gboolean conclude(answer *a, apg_cause cause, apg_confidence confidence)
{
    a->d->cause = cause;
    a->d->confidence = confidence;
    return TRUE;
}

/* The other causes the evidence leaves open. */
static void allow(answer *a, apg_cause c)
{
    a->d->alternatives |= APG_CAUSE_BIT(c);
}

static void rests_on(answer *a, guint basis)
{
    a->d->basis |= basis;
}

/* A frame the finding cites. */
static void cite(answer *a, guint32 frame)
{
    apg_diagnosis *d = a->d;
    for (guint i = 0; i < d->n_evidence; i++)
        if (d->evidence[i] == frame)
            return;
    if (frame && d->n_evidence < G_N_ELEMENTS(d->evidence))
        d->evidence[d->n_evidence++] = frame;
}

/* "a fatal handshake_failure from the server (frame 6)", with its real level. */
static void say_alert(answer *a, const facts *f)
{
    cite(a, f->v->alert.frame);
    if (f->alert_encrypted) {
        rests_on(a, APG_BASIS_ENCRYPTED_ALERT);
        if (f->v->inferred)
            rests_on(a, APG_BASIS_RECORD_SIZES);
        g_string_append_printf(a->why, "an encrypted alert from the %s (frame %u, %u bytes)",
                               apg_role_token(f->alert_sender), f->v->alert.frame,
                               f->v->alert.record_length);
    } else {
        g_string_append_printf(a->why, "a %s %s from the %s (frame %u)",
                               apg_alert_level_name(f->v->alert.alert.level), alert_name(f->desc),
                               apg_role_token(f->alert_sender), f->v->alert.frame);
    }
}

static void say_abort(answer *a, const facts *f)
{
    if (f->v->has_alert) {
        say_alert(a, f);
        return;
    }
    cite(a, f->v->decided_frame);
    g_string_append_printf(a->why, "a TCP %s from the server (frame %u) without an alert",
                           f->v->cause == APG_CAUSE_SERVER_RESET ? "RST" : "FIN",
                           f->v->decided_frame);
}

/* "The ClientHello (frame 4" */
static void say_client_hello(answer *a, const facts *f, const char *lead)
{
    cite(a, f->hs->client_hello_frame);
    g_string_append_printf(a->why, "%s (frame %u", lead, f->hs->client_hello_frame);
}

/* --- Step 1: the protocol version -------------------------------------- */

static gboolean profile_only_above(const facts *f, guint16 version)
{
    const apg_server_profile *p = f->ctx->profile;
    /* The version came off the wire: only SSL 3.0 to TLS 1.3 index the bits. */
    if (!p || !p->versions || version < APG_SSL3 || version > APG_TLS13)
        return FALSE;
    return (p->versions & ((1u << (version - 0x0300 + 1)) - 1)) == 0;
}

static gboolean rule_version(answer *a, const facts *f)
{
    guint16 record = f->hs->server_first_record_version;
    if (f->alert_known && f->desc == ALERT_PROTOCOL_VERSION) {
        gboolean only = f->client_min && f->client_min == f->client_max;
        g_string_append_printf(a->why,
                               "The client offered %s %s (frame %u) and the server "
                               "answered with ",
                               only ? "only" : "up to", vname(f->client_max),
                               f->hs->client_hello_frame);
        cite(a, f->hs->client_hello_frame);
        say_alert(a, f);
        if (record && record < f->client_max)
            g_string_append_printf(a->why, " in a %s record", vname(record));
        g_string_append(a->why, ": they share no protocol version");
        /* A client that allows only newer versions than the server's: the
         * client's list is the one to widen (or the server to upgrade). */
        if (f->client_min && record && is_tls_version(record) && record < f->client_min)
            g_string_append_printf(a->why,
                                   "; the server speaks older versions than the "
                                   "client allows, so let the client offer %s too, or "
                                   "enable %s on the server",
                                   vname(record), vname(f->client_min));
        g_string_append(a->why, ".");
        return conclude(a, APG_CAUSE_PROTOCOL_MISMATCH, APG_CONFIDENCE_CERTAIN);
    }
    /* TLS 1.3 peers write 0x0303 in every record: only a record below
     * TLS 1.2 says something about the server's versions. */
    if (record && f->client_min && record < f->client_min && record < APG_TLS12 &&
        is_tls_version(record)) {
        cite(a, f->hs->client_hello_frame);
        allow(a, APG_CAUSE_CIPHER_MISMATCH);
        allow(a, APG_CAUSE_ALERT_OTHER);
        g_string_append_printf(a->why,
                               "The client offered %s to %s (frame %u); the server "
                               "answered with ",
                               vname(f->client_min), vname(f->client_max),
                               f->hs->client_hello_frame);
        say_abort(a, f);
        g_string_append_printf(a->why,
                               " in a %s record, below anything offered: a protocol "
                               "mismatch, unless the server's policy refused something "
                               "else.",
                               vname(record));
        return conclude(a, APG_CAUSE_PROTOCOL_MISMATCH, APG_CONFIDENCE_LIKELY);
    }
    if (profile_only_above(f, f->client_max)) {
        cite(a, f->hs->client_hello_frame);
        rests_on(a, APG_BASIS_PROFILE);
        allow(a, APG_CAUSE_CIPHER_MISMATCH);
        g_string_append_printf(a->why,
                               "The client offered at most %s (frame %u) and the server "
                               "answered with ",
                               vname(f->client_max), f->hs->client_hello_frame);
        say_abort(a, f);
        g_string_append(a->why, "; elsewhere in this capture the same server only negotiated "
                                "newer versions: a protocol mismatch is likely.");
        return conclude(a, APG_CAUSE_PROTOCOL_MISMATCH, APG_CONFIDENCE_LIKELY);
    }
    return FALSE;
}

/* "The server chose TLSv1.3 (frame 6" and, when only a HelloRetryRequest
 * made the choice, says so: there is no ServerHello frame to cite. */
static void say_server_choice(answer *a, const facts *f)
{
    const apg_handshake *hs = f->hs;
    guint32 frame = hs->server_hello_frame;
    const char *what = "";
    if (!frame && hs->hrr_frame) {
        frame = hs->hrr_frame;
        what = ", a HelloRetryRequest";
    } else if (!frame && hs->ssl2_server_frame) {
        frame = hs->ssl2_server_frame;
        what = ", an SSL 2.0 SERVER-HELLO";
    }
    g_string_append_printf(a->why, "The server chose %s", vname(apg_hs_negotiated_version(hs)));
    if (frame)
        g_string_append_printf(a->why, " (frame %u%s", frame, what);
    else
        g_string_append(a->why, " (its hello is not in the capture");
    cite(a, frame);
}

/* A client refusing the version the server picked. */
static gboolean rule_version_refused_by_client(answer *a, const facts *f)
{
    guint16 chosen = apg_hs_negotiated_version(f->hs);
    if (!chosen || !f->saw_offer || f->alert_sender != APG_ROLE_CLIENT || !f->v->has_alert)
        return FALSE;
    gboolean offered = chosen <= f->client_max && (!f->client_min || chosen >= f->client_min);
    if (offered && !(f->alert_known && f->desc == ALERT_PROTOCOL_VERSION))
        return FALSE;
    say_server_choice(a, f);
    g_string_append_printf(a->why, "), which the client (offering %s at most) refused with ",
                           vname(f->client_max));
    say_alert(a, f);
    g_string_append(a->why, ".");
    return conclude(a, APG_CAUSE_PROTOCOL_MISMATCH, APG_CONFIDENCE_CERTAIN);
}

/* --- Step 2: SNI ------------------------------------------------------- */

/* A bare close long after the ClientHello looks like a timeout, not like
 * a refusal of what the ClientHello said. */
#define TIMEOUT_LIKE_US (1000 * 1000)

static gboolean closed_like_a_timeout(const facts *f)
{
    const apg_handshake *hs = f->hs;
    return !f->v->has_alert && hs->close_time_us && hs->client_hello_time_us &&
           hs->close_time_us - hs->client_hello_time_us >= TIMEOUT_LIKE_US;
}

static gboolean rule_sni(answer *a, const facts *f)
{
    const apg_server_profile *p = f->ctx->profile;
    if (f->has_sni || (p && p->served_without_sni))
        return FALSE;
    gboolean unrecognized = f->alert_known && f->desc == ALERT_UNRECOGNIZED_NAME;
    gboolean failure = f->alert_known && f->desc == ALERT_HANDSHAKE_FAILURE;
    gboolean silent = !f->v->has_alert;
    gboolean unreadable = f->alert_encrypted; /* TLS 1.3: after ServerHello, before a certificate */
    if (!unrecognized && !failure && !silent && !unreadable)
        return FALSE;
    say_client_hello(a, f, "The ClientHello");
    g_string_append(a->why, ") has no server_name extension and the server answered with ");
    say_abort(a, f);
    if (unrecognized) {
        g_string_append(a->why, ": the server requires SNI.");
        return conclude(a, APG_CAUSE_SNI_MISSING, APG_CONFIDENCE_CERTAIN);
    }
    allow(a, APG_CAUSE_CIPHER_MISMATCH);
    allow(a, APG_CAUSE_ALERT_OTHER);
    if (silent && closed_like_a_timeout(f)) {
        rests_on(a, APG_BASIS_TIMING);
        allow(a, APG_CAUSE_SERVER_CLOSED);
        g_string_append_printf(a->why,
                               " %.1f s after it: that looks like a timeout more than a "
                               "refusal; a missing SNI is one possible reason.",
                               (double)(f->hs->close_time_us - f->hs->client_hello_time_us) / 1e6);
        return conclude(a, APG_CAUSE_SNI_MISSING, APG_CONFIDENCE_POSSIBLE);
    }
    if (silent)
        allow(a, f->v->cause == APG_CAUSE_SERVER_RESET ? APG_CAUSE_SERVER_RESET
                                                       : APG_CAUSE_SERVER_CLOSED);
    g_string_append(a->why, silent ? "; SNI-enabled servers and ingresses close like this when "
                                     "SNI is missing (other reasons: server policy or overload)."
                            : unreadable
                                ? " before sending any certificate; a server that picks its "
                                  "certificate by name refuses so when SNI is missing (other "
                                  "readings: no certificate for the offered signature "
                                  "algorithms, a policy). A key log would show the alert."
                                : "; an SNI-enabled server answers so when SNI is missing "
                                  "(the other reading: no shared cipher suite).");
    return conclude(a, APG_CAUSE_SNI_MISSING, APG_CONFIDENCE_LIKELY);
}

/* A Java client treating the server's warning unrecognized_name as fatal. */
static gboolean rule_sni_warning(answer *a, const facts *f)
{
    const GArray *alerts = f->hs->alerts;
    if (f->alert_sender != APG_ROLE_CLIENT || !f->v->has_alert)
        return FALSE;
    for (guint i = 0; i < alerts->len; i++) {
        const apg_alert_seen *w = &g_array_index(alerts, apg_alert_seen, i);
        if (w->sender == APG_ROLE_SERVER && w->alert.level == 1 &&
            w->alert.desc == ALERT_UNRECOGNIZED_NAME && w->frame <= f->v->alert.frame) {
            g_string_append_printf(a->why,
                                   "The server warned unrecognized_name (frame %u) for "
                                   "the SNI %s and the client gave up with ",
                                   w->frame, f->has_sni ? f->hs->offer.sni : "(none)");
            say_alert(a, f);
            g_string_append(a->why, ": the server does not know the name the client asked for.");
            return conclude(a, APG_CAUSE_SNI_MISSING, APG_CONFIDENCE_LIKELY);
        }
    }
    return FALSE;
}

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
static gboolean rule_weak_offer(answer *a, const facts *f)
{
    gboolean refusal = f->alert_known && (f->desc == ALERT_HANDSHAKE_FAILURE ||
                                          f->desc == ALERT_INSUFFICIENT_SECURITY);
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
static gboolean rule_refusal_after_server_hello(answer *a, const facts *f)
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

static gboolean rule_ciphers(answer *a, const facts *f)
{
    gboolean refusal = f->alert_known && (f->desc == ALERT_HANDSHAKE_FAILURE ||
                                          f->desc == ALERT_INSUFFICIENT_SECURITY);
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
    if (f->desc == ALERT_INSUFFICIENT_SECURITY) {
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

/* --- Certificates -------------------------------------------------------- */

static gboolean is_cert_alert(guint8 desc)
{
    switch (desc) {
    case ALERT_BAD_CERTIFICATE:
    case ALERT_UNSUPPORTED_CERTIFICATE:
    case ALERT_CERTIFICATE_REVOKED:
    case ALERT_CERTIFICATE_EXPIRED:
    case ALERT_CERTIFICATE_UNKNOWN:
    case ALERT_UNKNOWN_CA:
    case ALERT_ACCESS_DENIED:
    case ALERT_DECRYPT_ERROR: /* a signature made with the certificate's key did not verify */
    case ALERT_CERTIFICATE_REQUIRED: return TRUE;
    }
    return FALSE;
}

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
    gboolean says_date = f->desc == ALERT_CERTIFICATE_EXPIRED || f->desc == ALERT_BAD_CERTIFICATE ||
                         f->desc == ALERT_CERTIFICATE_UNKNOWN;
    if (!says_date || (r->expired_index < 0 && r->not_yet_valid_index < 0))
        return APG_CAUSE_CLIENT_CERT_REJECTED;
    a->d->client_certificate = TRUE;
    allow(a, APG_CAUSE_CLIENT_CERT_REJECTED);
    return r->expired_index >= 0 ? APG_CAUSE_CERT_EXPIRED : APG_CAUSE_CERT_NOT_YET_VALID;
}

static gboolean rule_client_certificate(answer *a, const facts *f)
{
    const apg_handshake *hs = f->hs;
    if (!hs->cert_request_frame || f->v->failed_side != APG_ROLE_SERVER ||
        f->v->stage < APG_STAGE_AFTER_CERTIFICATE)
        return FALSE;
    gboolean none_sent = !hs->client_cert_frame || hs->client_cert_count == 0;
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
static gboolean rule_tls13_server_refuses_client(answer *a, const facts *f)
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

static void say_names(answer *a, const apg_chain_report *r)
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
    if (f->desc == ALERT_CERTIFICATE_EXPIRED) {
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
    gboolean name_or_trust = !r->hostname_checked && (f->desc == ALERT_CERTIFICATE_UNKNOWN ||
                                                      f->desc == ALERT_BAD_CERTIFICATE);
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
    if (f->desc == ALERT_UNKNOWN_CA || f->desc == ALERT_CERTIFICATE_UNKNOWN ||
        f->desc == ALERT_BAD_CERTIFICATE) {
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
    {ALERT_CERTIFICATE_EXPIRED, APG_CAUSE_CERT_EXPIRED, APG_CONFIDENCE_LIKELY,
     APG_CAUSE_BIT(APG_CAUSE_CERT_NOT_YET_VALID),
     "certificate_expired: a certificate of the chain is out of date (or the client's clock is "
     "wrong)"},
    {ALERT_UNKNOWN_CA, APG_CAUSE_CERT_UNKNOWN, APG_CONFIDENCE_LIKELY,
     APG_CAUSE_BIT(APG_CAUSE_CERT_CHAIN_INCOMPLETE) | APG_CAUSE_BIT(APG_CAUSE_CERT_CHAIN_INVALID),
     "unknown_ca: no path to a root the client trusts (an unknown or self-signed root, or a "
     "missing intermediate)"},
    {ALERT_BAD_CERTIFICATE, APG_CAUSE_CERT_HOSTNAME_MISMATCH, APG_CONFIDENCE_POSSIBLE,
     APG_CAUSE_BIT(APG_CAUSE_CERT_NOT_YET_VALID) | APG_CAUSE_BIT(APG_CAUSE_CERT_UNKNOWN) |
         APG_CAUSE_BIT(APG_CAUSE_CERT_REJECTED),
     "bad_certificate: OpenSSL-based clients send it for a name mismatch (or a leaf not yet "
     "valid), GnuTLS for any refusal"},
    {ALERT_CERTIFICATE_REVOKED, APG_CAUSE_CERT_REJECTED, APG_CONFIDENCE_LIKELY, 0,
     "certificate_revoked: the client found the certificate revoked"},
    {ALERT_CERTIFICATE_UNKNOWN, APG_CAUSE_CERT_REJECTED, APG_CONFIDENCE_LIKELY,
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
            gboolean names_one = f->desc == ALERT_CERTIFICATE_EXPIRED ||
                                 f->desc == ALERT_UNKNOWN_CA ||
                                 f->desc == ALERT_CERTIFICATE_REVOKED;
            return conclude(a, r->cause, names_one ? APG_CONFIDENCE_CERTAIN : r->confidence);
        }
        rests_on(a, APG_BASIS_ENCRYPTED_CERT);
        g_string_append_printf(a->why,
                               ". The certificate itself is encrypted; the alert allows: "
                               "%s.",
                               r->reading);
        if (f->desc == ALERT_UNKNOWN_CA)
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
static void say_default_names(answer *a, const apg_cert *leaf)
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
    if ((f->desc == ALERT_CERTIFICATE_EXPIRED && r->expired_index >= 0) ||
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

static gboolean rule_server_certificate(answer *a, const facts *f)
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

/* The client refusing the server's key exchange: a DHE group too small. */
static gboolean rule_small_dh_group(answer *a, const facts *f)
{
    const apg_handshake *hs = f->hs;
    if (f->alert_sender != APG_ROLE_CLIENT || !f->alert_known || !hs->ske_frame || !hs->dh_bits ||
        hs->dh_bits >= 2048)
        return FALSE;
    gboolean refusal = f->desc == ALERT_HANDSHAKE_FAILURE ||
                       f->desc == ALERT_INSUFFICIENT_SECURITY || f->desc == ALERT_ILLEGAL_PARAMETER;
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

/* --- What is left: the mechanical cause, explained ------------------------ */

static void say_earlier_warnings(answer *a, const facts *f);
static void say_gap(answer *a, const facts *f);

static void explain_mechanical(answer *a, const facts *f)
{
    const apg_handshake *hs = f->hs;
    apg_confidence confidence = APG_CONFIDENCE_CERTAIN;
    switch (f->v->cause) {
    case APG_CAUSE_NO_SERVER_RESPONSE:
        if (!hs->server_packet_seen) {
            /* Not even an ACK: a mute server or path, or a capture missing
             * that direction. */
            rests_on(a, APG_BASIS_ONE_DIRECTION);
            allow(a, APG_CAUSE_INCOMPLETE_CAPTURE);
            confidence = APG_CONFIDENCE_POSSIBLE;
        }
        cite(a, hs->client_hello_frame);
        g_string_append_printf(a->why, "The ClientHello (frame %u", hs->client_hello_frame);
        if (hs->ch_retransmissions)
            g_string_append_printf(a->why, ", sent %u more times", hs->ch_retransmissions);
        g_string_append(a->why, ") got no answer from the server");
        if (f->v->decided_frame)
            g_string_append_printf(a->why, " before the client gave up (frame %u)",
                                   f->v->decided_frame);
        g_string_append(a->why, hs->server_packet_seen
                                    ? ": the server's TCP stack acknowledged it, so a firewall, a "
                                      "wrong port, or a server that is not a TLS endpoint."
                                    : " and not a single packet from the server after it: a "
                                      "firewall or a dead path, unless the capture lacks the "
                                      "server's direction.");
        break;
    case APG_CAUSE_SERVER_RESET:
    case APG_CAUSE_SERVER_CLOSED:
        g_string_append(a->why, "The server ended the connection with ");
        say_abort(a, f);
        g_string_append(a->why, "; nothing on the wire says why (version, SNI, suites and "
                                "policy are all possible).");
        break;
    case APG_CAUSE_CLIENT_ABORT:
        cite(a, f->v->decided_frame);
        if (hs->hrr_frame && !hs->server_hello_frame) {
            /* No certificate was sent: the server only asked for a retry. */
            cite(a, hs->hrr_frame);
            g_string_append_printf(a->why,
                                   "After the server's HelloRetryRequest (frame %u) the client "
                                   "closed the connection (frame %u) without an alert and "
                                   "without a second ClientHello: it could not or would not "
                                   "offer what the server asked for (a key share in the group "
                                   "the server named).",
                                   hs->hrr_frame, f->v->decided_frame);
            break;
        }
        allow(a, APG_CAUSE_CERT_REJECTED);
        if (!f->has_sni && f->saw_offer)
            allow(a, APG_CAUSE_SNI_MISSING);
        g_string_append_printf(a->why,
                               "After the server's flight the client closed the "
                               "connection (frame %u) without an alert; clients that "
                               "reject a certificate sometimes close silently.",
                               f->v->decided_frame);
        break;
    case APG_CAUSE_NON_TLS_RESPONSE:
        g_string_append_printf(a->why,
                               "The server answered the ClientHello with data that is "
                               "not TLS (frame %u): a TLS client is talking to a "
                               "plain-text port (HTTP, SMTP...).",
                               hs->non_tls_frame);
        break;
    case APG_CAUSE_INCOMPLETE_CAPTURE: say_gap(a, f); break;
    case APG_CAUSE_ALERT_OTHER:
        g_string_append(a->why, "The handshake ended with ");
        say_alert(a, f);
        say_earlier_warnings(a, f);
        g_string_append(a->why, f->alert_encrypted ? ". A key log (tls.keylog_file) would show "
                                                     "which alert it is."
                                                   : ".");
        break;
    default: g_string_append(a->why, apg_cause_text(f->v->cause)); break;
    }
    conclude(a, f->v->cause, confidence);
}

/* What the capture lacks, and what would show it. */
static void say_gap(answer *a, const facts *f)
{
    const apg_handshake *hs = f->hs;
    switch (f->v->gap) {
    case APG_GAP_START:
        g_string_append(a->why, "The capture starts after the ClientHello, so what was offered "
                                "is unknown.");
        break;
    case APG_GAP_SERVER_DIRECTION:
        g_string_append_printf(a->why,
                               "The capture holds no packet from the server after the "
                               "ClientHello (frame %u), not even an ACK: it lacks the "
                               "server's direction (a one-sided capture) or ends too soon.",
                               hs->client_hello_frame);
        break;
    case APG_GAP_CLIENT_WENT_ON:
        g_string_append(a->why, "The client went on to its second flight (key exchange, "
                                "ChangeCipherSpec, Finished or data), which it only does after a "
                                "ServerHello: the capture lacks the server's direction.");
        break;
    case APG_GAP_SERVER_BYTES:
        g_string_append_printf(a->why,
                               "The client acknowledges server data the capture does not "
                               "hold (frame %u): the server answered, the capture missed "
                               "it.",
                               hs->client_acks_unseen);
        break;
    case APG_GAP_OUT_OF_ORDER:
        g_string_append_printf(a->why,
                               "TCP segments arrived out of order (frame %u) and were not "
                               "reassembled, so TLS records are missing from the "
                               "dissection: enable the TCP preference "
                               "tcp.reassemble_out_of_order (Protocols > TCP > Reassemble "
                               "out-of-order segments) and open the capture again.",
                               hs->out_of_order_frame);
        break;
    case APG_GAP_TOO_SOON:
        g_string_append_printf(a->why,
                               "The capture ends less than a second after the ClientHello "
                               "(frame %u): too soon to say the server did not answer.",
                               hs->client_hello_frame);
        break;
    case APG_GAP_END:
    case APG_GAP_NONE:
        g_string_append(a->why, "The capture ends before the handshake's outcome.");
        break;
    }
}

/* Warnings before the deciding alert often say what went wrong first. */
static void say_earlier_warnings(answer *a, const facts *f)
{
    const GArray *alerts = f->hs->alerts;
    for (guint i = 0; i < alerts->len; i++) {
        const apg_alert_seen *w = &g_array_index(alerts, apg_alert_seen, i);
        gboolean is_the_alert = w->frame == f->v->alert.frame && w->sender == f->v->alert.sender &&
                                w->alert.desc == f->v->alert.alert.desc;
        if (w->alert.level == 1 && w->frame <= f->v->alert.frame && !is_the_alert)
            g_string_append_printf(a->why, ", after the %s's warning %s (frame %u)",
                                   apg_role_token(w->sender), alert_name(w->alert.desc), w->frame);
    }
}

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

/* Problems a verifying client refuses: the client of this handshake did
 * not verify the certificate. */
#define UNVERIFIED_WARNINGS                                                                        \
    (APG_WARN_CERT_EXPIRED | APG_WARN_CERT_NOT_YET_VALID | APG_WARN_CHAIN_INCOMPLETE |             \
     APG_WARN_CHAIN_INVALID | APG_WARN_UNTRUSTED | APG_WARN_NAME_MISMATCH)

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

static void diagnose_success(answer *a, const facts *f)
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
    if (a->d->warnings & UNVERIFIED_WARNINGS)
        g_string_append(a->why, ": the client did not verify it, or ignored the result");
    else
        say_left_at_once(a, f);
    g_string_append(a->why, ".");
    conclude(a, APG_CAUSE_NONE,
             a->d->left_at_once ? APG_CONFIDENCE_LIKELY : APG_CONFIDENCE_CERTAIN);
}

static const char *remedy_for_warnings(guint w, apg_direction direction)
{
    if (w & UNVERIFIED_WARNINGS)
        return direction == APG_DIRECTION_SOUTHBOUND
                   ? "The backend's certificate would be refused by a client that verifies it: "
                     "install a valid certificate with its full chain on the backend, and "
                     "configure a truststore on the TargetEndpoint (<SSLInfo><TrustStore>) so the "
                     "Message Processor validates it."
               : direction == APG_DIRECTION_NORTHBOUND
                   ? "The Router's certificate would be refused by a client that verifies it: "
                     "upload a valid certificate with its full chain to the virtual host's "
                     "keystore, and make the client app verify certificates."
                   : "The server's certificate would be refused by a client that verifies it: "
                     "install a valid certificate with its full chain, and make the client "
                     "verify certificates (no curl -k, no --no-check-certificate).";
    if (w & (APG_WARN_OLD_VERSION | APG_WARN_LEGACY_SUITE))
        return "Nothing is broken yet, but the connection is weak: allow only TLSv1.2 or later "
               "and AEAD suites on both sides (southbound: <SSLInfo><Protocols> and <Ciphers> on "
               "the TargetEndpoint).";
    if (w & APG_WARN_CERT_EXPIRING)
        return "Renew the certificate before it expires and upload it with its full chain to the "
               "keystore of the side that presents it.";
    if (w & APG_WARN_NAME_MISMATCH)
        return "The client accepted a certificate for another name: fix the certificate (SAN) or "
               "the name the client uses, and make the client check host names.";
    return "Replace the certificate with one signed with SHA-256 or better, an RSA key of 2048 "
           "bits or more, issued by a CA the clients trust.";
}

typedef gboolean (*rule)(answer *, const facts *);

/* The playbook's order for a server that aborts right after the ClientHello,
 * then the rules for later stages. */
static const rule early_rules[] = {rule_version, rule_weak_offer, rule_sni,
                                   rule_refusal_after_server_hello, rule_ciphers};
static const rule later_rules[] = {rule_version_refused_by_client,
                                   rule_sni_warning,
                                   rule_small_dh_group,
                                   rule_client_certificate,
                                   rule_tls13_server_refuses_client,
                                   rule_server_certificate};

static gboolean run_rules(answer *a, const facts *f, const rule *rules, guint n)
{
    for (guint i = 0; i < n; i++) {
        if (rules[i](a, f))
            return TRUE;
        g_string_truncate(a->why, 0); /* a rule that declines leaves no words */
        a->d->has_overlap = FALSE;
    }
    return FALSE;
}

/* certain only when the deciding evidence is on the wire and was read. */
static void apply_discipline(apg_diagnosis *d)
{
    d->alternatives &= ~APG_CAUSE_BIT(d->cause);
    if (d->basis && d->confidence == APG_CONFIDENCE_CERTAIN)
        d->confidence = APG_CONFIDENCE_LIKELY;
}

const char *apg_basis_text(guint bit)
{
    switch (bit) {
    case APG_BASIS_ENCRYPTED_ALERT: return "the alert (encrypted: no key log)";
    case APG_BASIS_ENCRYPTED_CERT: return "the certificate (encrypted: no key log)";
    case APG_BASIS_RECORD_SIZES: return "the messages (read from record sizes)";
    case APG_BASIS_TIMING: return "the reason (read from timing)";
    case APG_BASIS_NO_CLIENT_HELLO: return "the ClientHello (not in the capture)";
    case APG_BASIS_ONE_DIRECTION: return "the server's direction (no packet from it)";
    case APG_BASIS_PROFILE: return "the server's settings (learned from its other handshakes)";
    case APG_BASIS_ELIMINATION: return "the refusal itself (concluded by elimination)";
    }
    return NULL;
}

apg_diagnosis apg_diagnose(const apg_handshake *hs, const apg_verdict *v, const apg_context *ctx)
{
    apg_diagnosis d = {.cause = v->cause};
    answer a = {.d = &d, .why = g_string_new(NULL)};
    facts f = gather(hs, v, ctx);
    gboolean done = FALSE;
    if (v->outcome == APG_OUTCOME_ESTABLISHED) {
        diagnose_success(&a, &f);
        done = TRUE;
    } else if (v->outcome == APG_OUTCOME_FAILED && f.server_aborted_early) {
        done = run_rules(&a, &f, early_rules, G_N_ELEMENTS(early_rules));
    } else if (v->outcome == APG_OUTCOME_FAILED) {
        done = run_rules(&a, &f, later_rules, G_N_ELEMENTS(later_rules));
    }
    if (!done && v->outcome != APG_OUTCOME_PENDING)
        explain_mechanical(&a, &f);
    if (v->gap == APG_GAP_START && v->outcome != APG_OUTCOME_INCOMPLETE) {
        rests_on(&a, APG_BASIS_NO_CLIENT_HELLO);
        g_string_append(a.why, " The capture starts after the ClientHello: what was offered "
                               "(versions, SNI, suites) is unknown.");
    }
    apply_discipline(&d);
    d.summary = g_string_free(a.why, FALSE);
    if (v->gap == APG_GAP_OUT_OF_ORDER && d.cause == APG_CAUSE_INCOMPLETE_CAPTURE)
        d.remedy = "Nothing was lost on the wire as far as this capture shows: enable "
                   "tcp.reassemble_out_of_order (Edit > Preferences > Protocols > TCP, or "
                   "tshark -o tcp.reassemble_out_of_order:TRUE) and read the capture again.";
    else if (d.warnings && d.cause == APG_CAUSE_NONE)
        d.remedy = remedy_for_warnings(d.warnings, ctx->direction);
    else if (d.left_at_once && d.cause == APG_CAUSE_NONE)
        d.remedy = "The handshake itself completed. If the client reported a certificate "
                   "error, compare the certificate's names with the host the client asked for "
                   "(and send SNI); a key log (tls.keylog_file) shows a TLS 1.3 certificate.";
    else if (d.client_certificate)
        d.remedy = apg_client_cert_remedy_text(d.cause, ctx->direction);
    else
        d.remedy = apg_remedy_text(d.cause, ctx->direction);
    return d;
}

void apg_diagnosis_clear(apg_diagnosis *d)
{
    g_free(d->summary);
    d->summary = NULL;
}
