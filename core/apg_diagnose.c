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
    gboolean server_aborted_early; /* alert or close from the server before ServerHello */
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
    facts f = {.hs = hs, .v = v, .ctx = ctx, .has_sni = hs->offer.sni != NULL};
    offered_range(&hs->offer, &f.client_min, &f.client_max);
    if (v->has_alert) {
        f.alert_encrypted = v->alert.alert.encrypted;
        f.alert_known = !f.alert_encrypted;
        f.desc = v->alert.alert.desc;
        f.alert_sender = v->alert.sender;
    }
    f.server_aborted_early =
        v->outcome == APG_OUTCOME_FAILED && v->stage == APG_STAGE_BEFORE_SERVER_HELLO &&
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

/* "the server's fatal handshake_failure (frame 6)" */
static void say_alert(answer *a, const facts *f)
{
    if (f->alert_encrypted)
        g_string_append_printf(a->why, "an encrypted alert from the %s (frame %u, %u bytes)",
                               apg_role_token(f->alert_sender), f->v->alert.frame,
                               f->v->alert.record_length);
    else
        g_string_append_printf(a->why, "a fatal %s from the %s (frame %u)", alert_name(f->desc),
                               apg_role_token(f->alert_sender), f->v->alert.frame);
}

static void say_abort(answer *a, const facts *f)
{
    if (f->v->has_alert)
        say_alert(a, f);
    else
        g_string_append_printf(a->why, "a TCP %s from the server (frame %u) without an alert",
                               f->v->cause == APG_CAUSE_SERVER_RESET ? "RST" : "FIN",
                               f->v->decided_frame);
}

/* --- Step 1: the protocol version -------------------------------------- */

static gboolean profile_only_above(const facts *f, guint16 version)
{
    const apg_server_profile *p = f->ctx->profile;
    if (!p || !p->versions || !version)
        return FALSE;
    return (p->versions & ((1u << (version - 0x0300 + 1)) - 1)) == 0;
}

static gboolean rule_version(answer *a, const facts *f)
{
    guint16 record = f->hs->server_first_record_version;
    if (f->alert_known && f->desc == ALERT_PROTOCOL_VERSION) {
        g_string_append_printf(a->why,
                               "The client offered up to %s (frame %u) and the server "
                               "answered with ",
                               vname(f->client_max), f->hs->client_hello_frame);
        say_alert(a, f);
        if (record && record < f->client_max)
            g_string_append_printf(a->why, " in a %s record", vname(record));
        g_string_append(a->why, ": they share no protocol version.");
        return conclude(a, APG_CAUSE_PROTOCOL_MISMATCH, APG_CONFIDENCE_CERTAIN);
    }
    if (record && f->client_min && record < f->client_min && is_tls_version(record)) {
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

/* A client refusing the version the server picked. */
static gboolean rule_version_refused_by_client(answer *a, const facts *f)
{
    guint16 chosen = apg_hs_negotiated_version(f->hs);
    if (!chosen || f->alert_sender != APG_ROLE_CLIENT || !f->v->has_alert)
        return FALSE;
    gboolean offered = chosen <= f->client_max && (!f->client_min || chosen >= f->client_min);
    if (offered && !(f->alert_known && f->desc == ALERT_PROTOCOL_VERSION))
        return FALSE;
    g_string_append_printf(a->why,
                           "The server chose %s (frame %u), which the client (offering "
                           "%s at most) refused with ",
                           vname(chosen), f->hs->server_hello_frame, vname(f->client_max));
    say_alert(a, f);
    g_string_append(a->why, ".");
    return conclude(a, APG_CAUSE_PROTOCOL_MISMATCH, APG_CONFIDENCE_CERTAIN);
}

/* --- Step 2: SNI ------------------------------------------------------- */

static gboolean rule_sni(answer *a, const facts *f)
{
    const apg_server_profile *p = f->ctx->profile;
    if (f->has_sni || (p && p->served_without_sni))
        return FALSE;
    gboolean unrecognized = f->alert_known && f->desc == ALERT_UNRECOGNIZED_NAME;
    gboolean failure = f->alert_known && f->desc == ALERT_HANDSHAKE_FAILURE;
    gboolean silent = !f->v->has_alert;
    if (!unrecognized && !failure && !silent)
        return FALSE;
    g_string_append_printf(a->why,
                           "The ClientHello (frame %u) has no server_name extension and "
                           "the server answered with ",
                           f->hs->client_hello_frame);
    say_abort(a, f);
    if (unrecognized) {
        g_string_append(a->why, ": the server requires SNI.");
        return conclude(a, APG_CAUSE_SNI_MISSING, APG_CONFIDENCE_CERTAIN);
    }
    g_string_append(a->why, silent ? "; SNI-enabled servers and ingresses close like this when "
                                     "SNI is missing (other reasons: server policy or overload)."
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

static gboolean rule_ciphers(answer *a, const facts *f)
{
    gboolean refusal = f->alert_known && (f->desc == ALERT_HANDSHAKE_FAILURE ||
                                          f->desc == ALERT_INSUFFICIENT_SECURITY);
    if (!refusal)
        return FALSE;
    const char *source = NULL;
    gboolean known = known_server_suites(a, f, &source);
    a->d->weak_offer = offer_is_weak(f);
    g_string_append_printf(a->why, "The ClientHello (frame %u, %s, SNI %s, %u suites) got ",
                           f->hs->client_hello_frame, vname(f->client_max),
                           f->has_sni ? "present" : "absent", f->hs->offer.n_suites);
    say_alert(a, f);
    if (known && a->d->overlap == 0) {
        g_string_append_printf(a->why, "; none of the offered suites is among %s (%u)", source,
                               a->d->known_suites);
        g_string_append(a->why, offer_unusable_for_key(f)
                                    ? ", and the offered suites need another key type than the "
                                      "server's certificate."
                                    : ".");
        gboolean configured = f->ctx->n_server_suites > 0;
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
    g_string_append(a->why, "; the version is compatible and SNI was sent, so the playbook's "
                            "reading is no shared cipher suite. The server's suites are not "
                            "known here (set the server_suites preference, or capture a "
                            "successful handshake with it); other readings: an unsupported "
                            "signature algorithm or group, or a server policy.");
    return conclude(a, APG_CAUSE_CIPHER_MISMATCH, APG_CONFIDENCE_POSSIBLE);
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
    } else {
        g_string_append_printf(a->why,
                               "; its chain is complete and in date, so the server's "
                               "truststore lacks the client's root \"%s\"",
                               r->top->issuer);
    }
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
    return conclude(a, APG_CAUSE_CLIENT_CERT_REJECTED, APG_CONFIDENCE_CERTAIN);
}

/* TLS 1.3 without keys: the server's encrypted alert after the client's
 * final flight, whose CertificateRequest we cannot see. */
static gboolean rule_tls13_server_refuses_client(answer *a, const facts *f)
{
    if (!f->alert_encrypted || f->alert_sender != APG_ROLE_SERVER ||
        apg_hs_negotiated_version(f->hs) != APG_TLS13)
        return FALSE;
    g_string_append(a->why, "After the client's final flight the server sent ");
    say_alert(a, f);
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
    if (f->desc == ALERT_UNKNOWN_CA || f->desc == ALERT_CERTIFICATE_UNKNOWN ||
        f->desc == ALERT_BAD_CERTIFICATE) {
        g_string_append(a->why, "the chain is complete, links up, was valid at the capture's "
                                "time and names the host: the rejecting side's truststore "
                                "lacks its root.");
        return conclude(a, APG_CAUSE_CERT_UNKNOWN, APG_CONFIDENCE_LIKELY);
    }
    g_string_append(a->why, "the chain shows nothing wrong that explains it.");
    return conclude(a, APG_CAUSE_CERT_REJECTED, APG_CONFIDENCE_CERTAIN);
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
        g_string_append(a->why, " and no application data: almost certainly it rejected the "
                                "server's certificate. A key log (tls.keylog_file) would show "
                                "the reason.");
        return conclude(a, APG_CAUSE_CERT_REJECTED, APG_CONFIDENCE_LIKELY);
    }
    /* TLS 1.3 without keys: the certificate rides in the opaque flight. */
    guint32 cert_frame = hs->server_cert_frame;
    if (!cert_frame && apg_hs_negotiated_version(hs) == APG_TLS13)
        cert_frame = hs->encrypted_frame[APG_ROLE_SERVER];
    if (!cert_frame || !is_cert_alert(f->desc))
        return FALSE;
    if (hs->server_cert_frame)
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
    if (f->ctx->chain && f->ctx->chain->n)
        return explain_certificate(a, f, f->ctx->chain);
    g_string_append(a->why, ".");
    if (f->desc == ALERT_CERTIFICATE_EXPIRED)
        return conclude(a, APG_CAUSE_CERT_EXPIRED, APG_CONFIDENCE_CERTAIN);
    if (f->desc == ALERT_UNKNOWN_CA || f->desc == ALERT_CERTIFICATE_UNKNOWN ||
        f->desc == ALERT_BAD_CERTIFICATE)
        return conclude(a, APG_CAUSE_CERT_UNKNOWN, APG_CONFIDENCE_CERTAIN);
    return conclude(a, APG_CAUSE_CERT_REJECTED, APG_CONFIDENCE_CERTAIN);
}

/* --- What is left: the mechanical cause, explained ------------------------ */

static void say_earlier_warnings(answer *a, const facts *f);

static void explain_mechanical(answer *a, const facts *f)
{
    const apg_handshake *hs = f->hs;
    switch (f->v->cause) {
    case APG_CAUSE_NO_SERVER_RESPONSE:
        g_string_append_printf(a->why, "The ClientHello (frame %u", hs->client_hello_frame);
        if (hs->ch_retransmissions)
            g_string_append_printf(a->why, ", sent %u more times", hs->ch_retransmissions);
        g_string_append(a->why, ") got no answer from the server");
        if (f->v->decided_frame)
            g_string_append_printf(a->why, " before the client gave up (frame %u)",
                                   f->v->decided_frame);
        g_string_append(a->why, ": a firewall, a wrong address, or a server that is not a TLS "
                                "endpoint.");
        break;
    case APG_CAUSE_SERVER_RESET:
    case APG_CAUSE_SERVER_CLOSED:
        g_string_append(a->why, "The server ended the connection with ");
        say_abort(a, f);
        g_string_append(a->why, "; nothing on the wire says why (version, SNI, suites and "
                                "policy are all possible).");
        break;
    case APG_CAUSE_CLIENT_ABORT:
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
    case APG_CAUSE_INCOMPLETE_CAPTURE:
        g_string_append(a->why, hs->saw_start ? "The capture ends before the handshake's "
                                                "outcome."
                                              : "The capture starts after the ClientHello, so "
                                                "what was offered is unknown.");
        break;
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
    conclude(a, f->v->cause, APG_CONFIDENCE_CERTAIN);
}

/* Warnings before the deciding alert often say what went wrong first. */
static void say_earlier_warnings(answer *a, const facts *f)
{
    const GArray *alerts = f->hs->alerts;
    for (guint i = 0; i < alerts->len; i++) {
        const apg_alert_seen *w = &g_array_index(alerts, apg_alert_seen, i);
        if (w->alert.level == 1 && w->frame <= f->v->alert.frame)
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
}

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
    return w;
}

/* curl and browsers check the name after the handshake: a client that
 * closes at once, sending no data, over a certificate for another name. */
static gboolean rejected_name_after_handshake(answer *a, const facts *f)
{
    const apg_chain_report *r = f->ctx->chain;
    const apg_handshake *hs = f->hs;
    if (!r || !r->hostname_checked || r->hostname_match || hs->encrypted_frame[APG_ROLE_CLIENT])
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
    const char *suite = f->ctx->suite_name ? f->ctx->suite_name(hs->sh.suite) : NULL;
    if (rejected_name_after_handshake(a, f))
        return;
    g_string_append_printf(a->why, "Established with %s", vname(version));
    if (suite)
        g_string_append_printf(a->why, " and %s", suite);
    if (is_legacy_version(version))
        a->d->warnings |= APG_WARN_OLD_VERSION;
    if (suite && apg_suite_is_weak(suite))
        a->d->warnings |= APG_WARN_LEGACY_SUITE;
    a->d->warnings |= certificate_warnings(f->ctx->chain);
    if (a->d->warnings & (APG_WARN_OLD_VERSION | APG_WARN_LEGACY_SUITE))
        g_string_append(a->why, ", which is risky: move both sides to TLSv1.2 or later with "
                                "AEAD suites");
    say_certificate_warnings(a, f->ctx->chain, a->d->warnings);
    g_string_append(a->why, ".");
    conclude(a, APG_CAUSE_NONE, APG_CONFIDENCE_CERTAIN);
}

static const char *remedy_for_warnings(guint w)
{
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
static const rule early_rules[] = {rule_version, rule_sni, rule_ciphers};
static const rule later_rules[] = {rule_version_refused_by_client, rule_sni_warning,
                                   rule_client_certificate, rule_tls13_server_refuses_client,
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
    d.summary = g_string_free(a.why, FALSE);
    d.remedy = d.warnings && d.cause == APG_CAUSE_NONE ? remedy_for_warnings(d.warnings)
                                                       : apg_remedy_text(d.cause, ctx->direction);
    return d;
}

void apg_diagnosis_clear(apg_diagnosis *d)
{
    g_free(d->summary);
    d->summary = NULL;
}
