/* test_diagnose.c - unit tests of the diagnosis rules on synthetic
 * handshakes, clear, ambiguous and contradictory ones.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_diagnosis.h"
#include "apg_path_mtu.h"
#include "fixture.h"
#include "apg_cert_findings.h"

static const char *test_suite_names(guint16 suite)
{
    switch (suite) {
    case 0x000a: return "TLS_RSA_WITH_3DES_EDE_CBC_SHA";
    case 0x0005: return "TLS_RSA_WITH_RC4_128_SHA";
    case 0xc02f: return "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
    case 0xc030: return "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384";
    case 0x1301: return "TLS_AES_128_GCM_SHA256";
    case 0xc02b: return "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
    }
    return NULL;
}

/* Diagnoses the current handshake with a context; the caller clears. */
static apg_diagnosis diagnose(fixture *f, const apg_context *ctx)
{
    static const apg_context none = {.suite_name = test_suite_names};
    const apg_handshake *hs = apg_conv_current(f->conv);
    apg_verdict v = apg_evaluate(hs, TRUE);
    return apg_diagnose(hs, &v, ctx ? ctx : &none);
}

/* The finding: its cause and confidence, and the playbook rule that
 * decided it (driver.c's table). */
static void assert_finding(fixture *f, const apg_context *ctx, apg_cause cause,
                           apg_confidence confidence, const char *rule)
{
    apg_diagnosis d = diagnose(f, ctx);
    if (d.cause != cause || d.confidence != confidence || g_strcmp0(d.rule, rule) != 0)
        g_error("got %s/%s by %s (%s), want %s/%s by %s", apg_cause_token(d.cause),
                apg_confidence_token(d.confidence), d.rule, d.summary, apg_cause_token(cause),
                apg_confidence_token(confidence), rule);
    g_assert_nonnull(d.remedy);
    apg_diagnosis_clear(&d);
}

static void assert_evidence(const apg_diagnosis *d, const guint32 *frames, guint n)
{
    g_assert_cmpuint(d->n_evidence, ==, n);
    for (guint i = 0; i < n; i++)
        g_assert_cmpuint(d->evidence[i], ==, frames[i]);
}

static void client_hello_without_sni(fixture *f)
{
    f->ch.has_sni = FALSE;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
}

static void test_protocol_version_alert(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_alert(f, 6, EP_B, 2, 70);
    assert_finding(f, NULL, APG_CAUSE_PROTOCOL_MISMATCH, APG_CONFIDENCE_CERTAIN, "version.offered");
    apg_diagnosis d = diagnose(f, NULL);
    const guint32 cited[] = {4, 6};
    assert_evidence(&d, cited, G_N_ELEMENTS(cited));
    g_assert_cmpuint(d.compared, ==, APG_COMPARED_VERSIONS | APG_COMPARED_ALERT);
    g_assert_cmpuint(d.alternatives, ==, 0);
    g_assert_cmpuint(d.basis, ==, 0);
    apg_diagnosis_clear(&d);
}

static void test_version_comes_before_sni(fixture *f, gconstpointer data)
{
    (void)data;
    /* Contradictory: no SNI, but the server says protocol_version. */
    client_hello_without_sni(f);
    feed_alert(f, 6, EP_B, 2, 70);
    assert_finding(f, NULL, APG_CAUSE_PROTOCOL_MISMATCH, APG_CONFIDENCE_CERTAIN, "version.offered");
}

static void test_old_alert_record_means_version(fixture *f, gconstpointer data)
{
    (void)data;
    /* The playbook's case: handshake_failure in a TLSv1.0 record after a
     * ClientHello offering only TLSv1.2 and up. */
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    apg_event ev = {.kind = APG_EV_ALERT,
                    .frame = 6,
                    .sender = EP_B,
                    .record_version = APG_TLS10,
                    .record_length = 2};
    ev.u.alert.level = 2;
    ev.u.alert.desc = 40;
    apg_conv_observe(f->conv, &ev);
    assert_finding(f, NULL, APG_CAUSE_PROTOCOL_MISMATCH, APG_CONFIDENCE_LIKELY, "version.offered");
}

static void test_profile_of_newer_versions(fixture *f, gconstpointer data)
{
    (void)data;
    apg_server_profile *p = apg_profile_new();
    p->versions = 1u << (APG_TLS13 - APG_SSL3);
    f->ch.n_versions = 0; /* a TLS 1.2-only client: legacy version alone */
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_alert(f, 6, EP_B, 2, 40);
    apg_context ctx = {.profile = p};
    assert_finding(f, &ctx, APG_CAUSE_PROTOCOL_MISMATCH, APG_CONFIDENCE_LIKELY, "version.offered");
    apg_profile_free(p);
}

/* A readable unrecognized_name names SNI: what the server negotiated for
 * other clients does not outrank it (issue 18). */
static void test_readable_alert_outranks_the_profile(fixture *f, gconstpointer data)
{
    (void)data;
    apg_server_profile *p = apg_profile_new();
    p->versions = 1u << (APG_TLS13 - APG_SSL3);
    f->ch.n_versions = 0;
    client_hello_without_sni(f);
    feed_alert(f, 6, EP_B, 2, 112);
    apg_context ctx = {.profile = p};
    assert_finding(f, &ctx, APG_CAUSE_SNI_MISSING, APG_CONFIDENCE_CERTAIN, "sni.missing");
    apg_profile_free(p);
}

/* Issue 11, defect 1: a version off the wire that is no SSL/TLS version
 * (0x0380) once indexed the profile's bits with a shift of 129 and made up
 * a protocol mismatch "about an unknown version". */
static void test_odd_version_against_a_profile(fixture *f, gconstpointer data)
{
    (void)data;
    apg_server_profile *p = apg_profile_new();
    p->versions = 1u << (APG_TLS12 - APG_SSL3);
    f->ch.legacy_version = 0x0380;
    f->ch.n_versions = 0;
    f->ch.versions[f->ch.n_versions++] = 0x0380;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_alert(f, 6, EP_B, 2, 40);
    apg_context ctx = {.profile = p, .suite_name = test_suite_names};
    apg_diagnosis d = diagnose(f, &ctx);
    if (d.cause == APG_CAUSE_PROTOCOL_MISMATCH && (d.basis & APG_BASIS_PROFILE))
        g_error("a protocol mismatch made up from an odd version: %s", d.summary);
    g_assert_null(strstr(d.summary, "newer versions"));
    apg_diagnosis_clear(&d);
    apg_profile_free(p);
}

static void test_unrecognized_name_without_sni(fixture *f, gconstpointer data)
{
    (void)data;
    client_hello_without_sni(f);
    feed_alert(f, 6, EP_B, 2, 112);
    assert_finding(f, NULL, APG_CAUSE_SNI_MISSING, APG_CONFIDENCE_CERTAIN, "sni.missing");
}

static void test_handshake_failure_without_sni_is_ambiguous(fixture *f, gconstpointer data)
{
    (void)data;
    client_hello_without_sni(f);
    feed_alert(f, 6, EP_B, 2, 40);
    assert_finding(f, NULL, APG_CAUSE_SNI_MISSING, APG_CONFIDENCE_LIKELY, "sni.missing");
    apg_diagnosis d = diagnose(f, NULL);
    g_assert_cmpuint(d.alternatives, ==,
                     APG_CAUSE_BIT(APG_CAUSE_CIPHER_MISMATCH) |
                         APG_CAUSE_BIT(APG_CAUSE_ALERT_OTHER));
    g_assert_true(d.compared & APG_COMPARED_SNI);
    apg_diagnosis_clear(&d);
}

static void test_server_known_without_sni_points_to_ciphers(fixture *f, gconstpointer data)
{
    (void)data;
    apg_server_profile *p = apg_profile_new();
    p->served_without_sni = TRUE;
    client_hello_without_sni(f);
    feed_alert(f, 6, EP_B, 2, 40);
    apg_context ctx = {.profile = p, .suite_name = test_suite_names};
    assert_finding(f, &ctx, APG_CAUSE_CIPHER_MISMATCH, APG_CONFIDENCE_LIKELY, "ciphers.no_overlap");
    apg_profile_free(p);
}

static void test_reset_without_sni(fixture *f, gconstpointer data)
{
    (void)data;
    client_hello_without_sni(f);
    feed(f, APG_EV_TCP_RST, 6, EP_B);
    assert_finding(f, NULL, APG_CAUSE_SNI_MISSING, APG_CONFIDENCE_LIKELY, "sni.missing");
}

static void test_reset_with_sni(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed(f, APG_EV_TCP_RST, 6, EP_B);
    assert_finding(f, NULL, APG_CAUSE_SERVER_RESET, APG_CONFIDENCE_CERTAIN, "closes");
}

static void test_cipher_failure_without_knowledge(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_alert(f, 6, EP_B, 2, 40);
    assert_finding(f, NULL, APG_CAUSE_CIPHER_MISMATCH, APG_CONFIDENCE_LIKELY, "ciphers.no_overlap");
    apg_diagnosis d = diagnose(f, NULL);
    g_assert_true(d.alternatives & APG_CAUSE_BIT(APG_CAUSE_ALERT_OTHER));
    /* nothing showed the server taking an offered version: handshake_failure
     * is how some servers (GnuTLS) refuse a version too (issue 18) */
    g_assert_true(d.alternatives & APG_CAUSE_BIT(APG_CAUSE_PROTOCOL_MISMATCH));
    g_assert_true(d.basis & APG_BASIS_ELIMINATION);
    /* Elimination: the finding compared SNI and the alert, never versions. */
    g_assert_cmpuint(d.compared & APG_COMPARED_VERSIONS, ==, 0);
    g_assert_true(d.compared & APG_COMPARED_SNI);
    const guint32 cited[] = {4, 6};
    assert_evidence(&d, cited, G_N_ELEMENTS(cited));
    apg_diagnosis_clear(&d);
}

/* An offer of NULL/RC4 suites only is a cipher problem whatever the SNI. */
static void test_weak_offer_before_sni(fixture *f, gconstpointer data)
{
    (void)data;
    f->ch.n_suites = 0;
    f->ch.suites[f->ch.n_suites++] = 0x0005;
    client_hello_without_sni(f);
    feed_alert(f, 6, EP_B, 2, 40);
    assert_finding(f, NULL, APG_CAUSE_CIPHER_MISMATCH, APG_CONFIDENCE_LIKELY, "ciphers.weak_offer");
}

/* A bare FIN seconds after the ClientHello: a timeout-like close. */
static void test_late_close_without_sni(fixture *f, gconstpointer data)
{
    (void)data;
    f->ch.has_sni = FALSE;
    apg_event ch = {.kind = APG_EV_CLIENT_HELLO, .frame = 4, .time_us = 1000000};
    ch.u.client_hello = &f->ch;
    apg_conv_observe(f->conv, &ch);
    apg_event fin = {.kind = APG_EV_TCP_FIN, .frame = 9, .sender = EP_B, .time_us = 31000000};
    apg_conv_observe(f->conv, &fin);
    assert_finding(f, NULL, APG_CAUSE_SNI_MISSING, APG_CONFIDENCE_POSSIBLE, "sni.missing");
}

/* TLS 1.3 without keys, a plaintext client alert: the alert allows several
 * causes and never makes one certain. */
static void client_alert_on_encrypted_certificate(fixture *f, guint8 desc)
{
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_sh13(f, 6, EP_B);
    feed_opaque(f, 6, EP_B, 900);
    feed_alert(f, 8, EP_A, 2, desc);
}

static void test_tls13_readable_client_alert(fixture *f, gconstpointer data)
{
    (void)data;
    client_alert_on_encrypted_certificate(f, 42);
    assert_finding(f, NULL, APG_CAUSE_CERT_HOSTNAME_MISMATCH, APG_CONFIDENCE_POSSIBLE,
                   "certificate.refused");
    apg_conv_free(f->conv);
    f->conv = apg_conv_new(8, NULL);
    client_alert_on_encrypted_certificate(f, 48);
    assert_finding(f, NULL, APG_CAUSE_CERT_UNKNOWN, APG_CONFIDENCE_LIKELY, "certificate.refused");
    apg_diagnosis d = diagnose(f, NULL);
    g_assert_true(d.alternatives & APG_CAUSE_BIT(APG_CAUSE_CERT_CHAIN_INCOMPLETE));
    apg_diagnosis_clear(&d);
    apg_conv_free(f->conv);
    f->conv = apg_conv_new(9, NULL);
    client_alert_on_encrypted_certificate(f, 45);
    assert_finding(f, NULL, APG_CAUSE_CERT_EXPIRED, APG_CONFIDENCE_LIKELY, "certificate.refused");
}

/* A TLS 1.3 ClientHello (frame 4), ServerHello and the server's encrypted
 * flight of these record sizes (frame 6). */
static void tls13_server_flight(fixture *f, const guint32 *records, guint n)
{
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_sh13(f, 6, EP_B);
    for (guint i = 0; i < n; i++)
        feed_opaque(f, 6, EP_B, records[i]);
}

/* TLS 1.3 without keys: five server records (a CertificateRequest among
 * them), an empty Certificate and a Finished from the client, the server's
 * alert: a missing client certificate, likely. */
static void test_tls13_client_flight_sizes(fixture *f, gconstpointer data)
{
    (void)data;
    guint32 server[] = {23, 128, 1730, 281, 69};
    tls13_server_flight(f, server, G_N_ELEMENTS(server));
    feed_opaque(f, 8, EP_A, 25);
    feed_opaque(f, 8, EP_A, 69);
    feed_opaque(f, 9, EP_B, 19);
    assert_finding(f, NULL, APG_CAUSE_CLIENT_CERT_MISSING, APG_CONFIDENCE_LIKELY,
                   "client_certificate.tls13_sizes");
}

/* A client refusing a 1024-bit DHE group after ServerKeyExchange. */
static void test_small_dh_group(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed(f, APG_EV_SERVER_HELLO, 6, EP_B);
    feed(f, APG_EV_CERTIFICATE, 6, EP_B);
    apg_event ske = {.kind = APG_EV_OTHER_HANDSHAKE,
                     .frame = 6,
                     .sender = EP_B,
                     .record_version = APG_TLS12,
                     .handshake_type = 12,
                     .dh_bits = 1024};
    apg_conv_observe(f->conv, &ske);
    feed_alert(f, 8, EP_A, 2, 40);
    assert_finding(f, NULL, APG_CAUSE_CIPHER_MISMATCH, APG_CONFIDENCE_LIKELY,
                   "ciphers.small_dh_group");
}

/* No verdict stays certain when it rests on something unread. */
static void test_certain_needs_read_evidence(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_sh13(f, 6, EP_B);
    feed_opaque(f, 6, EP_B, 900);
    feed_opaque(f, 8, EP_A, 19);
    apg_diagnosis d = diagnose(f, NULL);
    g_assert_cmpint(d.confidence, !=, APG_CONFIDENCE_CERTAIN);
    g_assert_true(d.basis & APG_BASIS_ENCRYPTED_ALERT);
    g_assert_false(d.alternatives & APG_CAUSE_BIT(d.cause));
    apg_diagnosis_clear(&d);
}

static void test_weak_only_offer(fixture *f, gconstpointer data)
{
    (void)data;
    f->ch.n_suites = 0;
    f->ch.suites[f->ch.n_suites++] = 0x000a;
    f->ch.suites[f->ch.n_suites++] = 0x0005;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_alert(f, 6, EP_B, 2, 40);
    assert_finding(f, NULL, APG_CAUSE_CIPHER_MISMATCH, APG_CONFIDENCE_LIKELY, "ciphers.weak_offer");
    apg_diagnosis d = diagnose(f, NULL);
    g_assert_true(d.weak_offer);
    apg_diagnosis_clear(&d);
}

static void test_configured_suites_settle_it(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_alert(f, 6, EP_B, 2, 40);
    const guint16 disjoint[] = {0xc030};
    apg_context ctx = {.server_suites = disjoint, .n_server_suites = 1};
    assert_finding(f, &ctx, APG_CAUSE_CIPHER_MISMATCH, APG_CONFIDENCE_CERTAIN,
                   "ciphers.no_overlap");
    apg_diagnosis d = diagnose(f, &ctx);
    g_assert_true(d.has_overlap);
    g_assert_cmpuint(d.overlap, ==, 0);
    g_assert_cmpuint(d.known_suites, ==, 1);
    apg_diagnosis_clear(&d);
}

/* The diagnosis leaves that cause open. */
static void assert_allows(fixture *f, const apg_context *ctx, apg_cause alternative)
{
    apg_diagnosis d = diagnose(f, ctx);
    g_assert_true(d.alternatives & APG_CAUSE_BIT(alternative));
    apg_diagnosis_clear(&d);
}

/* illegal_parameter allows two causes (Tomcat-native and axTLS send it for
 * no shared suite): never certain, and alone it names the alert (issue 18). */
static void test_illegal_parameter_allows_two_causes(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_alert(f, 6, EP_B, 2, 47);
    assert_finding(f, NULL, APG_CAUSE_ALERT_OTHER, APG_CONFIDENCE_LIKELY, "ciphers.no_overlap");
    assert_allows(f, NULL, APG_CAUSE_CIPHER_MISMATCH);
    const guint16 disjoint[] = {0xc030};
    apg_context ctx = {.server_suites = disjoint, .n_server_suites = 1};
    assert_finding(f, &ctx, APG_CAUSE_CIPHER_MISMATCH, APG_CONFIDENCE_LIKELY, "ciphers.no_overlap");
    assert_allows(f, &ctx, APG_CAUSE_ALERT_OTHER);
}

static void test_shared_suites_contradict_a_cipher_mismatch(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_alert(f, 6, EP_B, 2, 40);
    const guint16 shared[] = {0xc02f, 0xc030};
    apg_context ctx = {.server_suites = shared, .n_server_suites = 2};
    assert_finding(f, &ctx, APG_CAUSE_ALERT_OTHER, APG_CONFIDENCE_POSSIBLE, "ciphers.no_overlap");
}

static void test_learned_profile(fixture *f, gconstpointer data)
{
    (void)data;
    /* A first client succeeds with 0x1301, then this one offers others. */
    apg_server_profile *p = apg_profile_new();
    apg_conversation *ok = apg_conv_new(1, NULL);
    apg_event ch = {.kind = APG_EV_CLIENT_HELLO,
                    .frame = 1,
                    .sender = 0,
                    .record_version = 0x301,
                    .u.client_hello = &f->ch};
    apg_conv_observe(ok, &ch);
    apg_handshake *first = apg_conv_current(ok);
    first->server_hello_frame = 2;
    first->sh.suite = 0x1301;
    first->sh.selected_version = APG_TLS13;
    apg_profile_learn(p, first, 0);
    apg_conv_free(ok);

    f->ch.n_suites = 1;
    f->ch.suites[0] = 0xc030;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_alert(f, 6, EP_B, 2, 40);
    apg_context ctx = {.profile = p};
    assert_finding(f, &ctx, APG_CAUSE_CIPHER_MISMATCH, APG_CONFIDENCE_LIKELY, "ciphers.no_overlap");
    apg_profile_free(p);
}

static void test_offer_for_another_key_type(fixture *f, gconstpointer data)
{
    (void)data;
    apg_server_profile *p = apg_profile_new();
    guint16 rsa = 0xc02f;
    g_array_append_val(p->suites, rsa);
    f->ch.n_suites = 1;
    f->ch.suites[0] = 0xc02b; /* ECDSA only, against an RSA server */
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_alert(f, 6, EP_B, 2, 40);
    apg_context ctx = {.profile = p, .suite_name = test_suite_names};
    assert_finding(f, &ctx, APG_CAUSE_CIPHER_MISMATCH, APG_CONFIDENCE_LIKELY, "ciphers.no_overlap");
    apg_profile_free(p);
}

static void server_flight(fixture *f)
{
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed(f, APG_EV_SERVER_HELLO, 6, EP_B);
    feed(f, APG_EV_CERTIFICATE, 6, EP_B);
}

static void test_server_certificate_alerts(fixture *f, gconstpointer data)
{
    (void)data;
    server_flight(f);
    feed_alert(f, 8, EP_A, 2, 45);
    assert_finding(f, NULL, APG_CAUSE_CERT_EXPIRED, APG_CONFIDENCE_CERTAIN, "certificate.refused");

    apg_conv_free(f->conv);
    f->conv = apg_conv_new(2, NULL);
    server_flight(f);
    feed_alert(f, 8, EP_A, 2, 48);
    assert_finding(f, NULL, APG_CAUSE_CERT_UNKNOWN, APG_CONFIDENCE_CERTAIN, "certificate.refused");

    apg_conv_free(f->conv);
    f->conv = apg_conv_new(3, NULL);
    server_flight(f);
    feed_alert(f, 8, EP_A, 2, 44);
    assert_finding(f, NULL, APG_CAUSE_CERT_REJECTED, APG_CONFIDENCE_CERTAIN, "certificate.refused");
}

static void test_client_certificate_missing_and_rejected(fixture *f, gconstpointer data)
{
    (void)data;
    server_flight(f);
    feed(f, APG_EV_CERT_REQUEST, 6, EP_B);
    apg_event empty = {
        .kind = APG_EV_CERTIFICATE, .frame = 8, .sender = EP_A, .record_version = APG_TLS12};
    apg_conv_observe(f->conv, &empty);
    feed_alert(f, 9, EP_B, 2, 40);
    assert_finding(f, NULL, APG_CAUSE_CLIENT_CERT_MISSING, APG_CONFIDENCE_CERTAIN,
                   "client_certificate.refused");

    apg_conv_free(f->conv);
    f->conv = apg_conv_new(2, NULL);
    server_flight(f);
    feed(f, APG_EV_CERT_REQUEST, 6, EP_B);
    apg_event one = empty;
    one.u.certificate.count = 1;
    apg_conv_observe(f->conv, &one);
    feed_alert(f, 9, EP_B, 2, 48);
    assert_finding(f, NULL, APG_CAUSE_CLIENT_CERT_REJECTED, APG_CONFIDENCE_CERTAIN,
                   "client_certificate.refused");

    /* the same, the server closing without an alert (it checks the
     * certificate after the handshake): likely, the reset an alternative */
    apg_conv_free(f->conv);
    f->conv = apg_conv_new(3, NULL);
    server_flight(f);
    feed(f, APG_EV_CERT_REQUEST, 6, EP_B);
    apg_conv_observe(f->conv, &one);
    feed(f, APG_EV_TCP_RST, 9, EP_B);
    assert_finding(f, NULL, APG_CAUSE_CLIENT_CERT_REJECTED, APG_CONFIDENCE_LIKELY,
                   "client_certificate.refused");
    assert_allows(f, NULL, APG_CAUSE_SERVER_RESET);
}

/* Two-way TLS: the client's leaf expired at the capture's time and the
 * server said certificate_expired: the client's certificate, its keystore. */
static void test_client_certificate_expired(fixture *f, gconstpointer data)
{
    (void)data;
    server_flight(f);
    feed(f, APG_EV_CERT_REQUEST, 6, EP_B);
    apg_event two = {
        .kind = APG_EV_CERTIFICATE, .frame = 8, .sender = EP_A, .record_version = APG_TLS12};
    two.u.certificate.count = 2;
    apg_conv_observe(f->conv, &two);
    feed_alert(f, 9, EP_B, 2, 45);
    apg_chain_report expired = {.n = 2,
                                .chain = APG_CHAIN_OK,
                                .time_checked = TRUE,
                                .expired_index = 0,
                                .not_yet_valid_index = -1,
                                .expiring_index = -1,
                                .time_off_by = 86400 * 30};
    expired.findings = apg_chain_findings(&expired);
    apg_context ctx = {.direction = APG_DIRECTION_SOUTHBOUND,
                       .suite_name = test_suite_names,
                       .client_chain = &expired};
    apg_diagnosis d = diagnose(f, &ctx);
    g_assert_cmpint(d.cause, ==, APG_CAUSE_CERT_EXPIRED);
    g_assert_cmpint(d.confidence, ==, APG_CONFIDENCE_CERTAIN);
    g_assert_true(d.client_certificate);
    g_assert_nonnull(strstr(d.remedy, "<KeyStore>"));
    g_assert_nonnull(strstr(d.summary, "the client's leaf had expired"));
    apg_diagnosis_clear(&d);
    /* In date: the server's truststore is the one to fix. */
    expired.expired_index = -1;
    expired.findings = apg_chain_findings(&expired);
    d = diagnose(f, &ctx);
    g_assert_cmpint(d.cause, ==, APG_CAUSE_CLIENT_CERT_REJECTED);
    g_assert_false(d.client_certificate);
    apg_diagnosis_clear(&d);
}

static void test_tls13_padded_client_alert(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_sh13(f, 6, EP_B);
    feed_opaque(f, 6, EP_B, 1726);
    feed(f, APG_EV_CHANGE_CIPHER_SPEC, 8, EP_A);
    feed_opaque(f, 10, EP_A, 35); /* Java pads its alerts */
    feed(f, APG_EV_TCP_FIN, 12, EP_B);
    assert_finding(f, NULL, APG_CAUSE_CERT_REJECTED, APG_CONFIDENCE_LIKELY, "certificate.refused");
}

static void test_tls13_server_alert_after_client_flight(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_sh13(f, 6, EP_B);
    feed_opaque(f, 6, EP_B, 1726);
    feed_opaque(f, 8, EP_A, 69);
    feed_opaque(f, 10, EP_B, APG_TLS13_ENCRYPTED_ALERT_LEN);
    assert_finding(f, NULL, APG_CAUSE_ALERT_OTHER, APG_CONFIDENCE_POSSIBLE,
                   "client_certificate.tls13_sizes");
}

/* The client's flight goes on with data before the server's alert:
 * only the first record (a certificate, not a Finished) tells. */
static void test_tls13_client_certificate_then_data(fixture *f, gconstpointer data)
{
    (void)data;
    guint32 server[] = {23, 128, 1730, 281, 69};
    tls13_server_flight(f, server, G_N_ELEMENTS(server));
    guint32 client[] = {1710, 281, 69, 44};
    for (guint i = 0; i < G_N_ELEMENTS(client); i++)
        feed_opaque(f, 8, EP_A, client[i]);
    feed_opaque(f, 11, EP_B, APG_TLS13_ENCRYPTED_ALERT_LEN);
    assert_finding(f, NULL, APG_CAUSE_CLIENT_CERT_REJECTED, APG_CONFIDENCE_LIKELY,
                   "client_certificate.tls13_sizes");
    /* No CertificateRequest room (4 server records): no such claim. */
    apg_conv_free(f->conv);
    f->conv = apg_conv_new(2, NULL);
    tls13_server_flight(f, server + 1, 4);
    for (guint i = 2; i < G_N_ELEMENTS(client); i++)
        feed_opaque(f, 8, EP_A, client[i]);
    feed_opaque(f, 11, EP_B, APG_TLS13_ENCRYPTED_ALERT_LEN);
    assert_finding(f, NULL, APG_CAUSE_ALERT_OTHER, APG_CONFIDENCE_POSSIBLE,
                   "client_certificate.tls13_sizes");
}

/* Java (TLS 1.3 server) sends ServerHello and EncryptedExtensions, then
 * finds no certificate for the client's signature algorithms: a 35-byte
 * record, and the client closes. */
static void test_tls13_server_refuses_after_encrypted_extensions(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_sh13(f, 6, EP_B);
    feed_opaque(f, 10, EP_B, 65);
    feed_opaque(f, 12, EP_B, 35);
    feed(f, APG_EV_TCP_FIN, 14, EP_A);
    const apg_handshake *hs = apg_conv_current(f->conv);
    apg_verdict v = apg_evaluate(hs, TRUE);
    g_assert_cmpint(v.outcome, ==, APG_OUTCOME_FAILED);
    g_assert_cmpint(v.failed_side, ==, APG_ROLE_SERVER);
    g_assert_cmpuint(v.decided_frame, ==, 12);
    g_assert_true(v.inferred);
    assert_finding(f, NULL, APG_CAUSE_CIPHER_MISMATCH, APG_CONFIDENCE_LIKELY,
                   "ciphers.after_server_hello");
    /* A Finished-sized last record is no alert: the client gave up. */
    apg_conv_free(f->conv);
    f->conv = apg_conv_new(2, NULL);
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_sh13(f, 6, EP_B);
    feed_opaque(f, 10, EP_B, 65);
    feed_opaque(f, 12, EP_B, 53);
    feed(f, APG_EV_TCP_FIN, 14, EP_A);
    apg_diagnosis d = diagnose(f, NULL);
    g_assert_cmpint(d.cause, !=, APG_CAUSE_CIPHER_MISMATCH);
    apg_diagnosis_clear(&d);
}

/* TLS 1.3 without keys: a Finished, then an alert-sized record and no
 * data: established, with the doubt spelled out, not "certain". */
static void test_tls13_client_leaves_at_once(fixture *f, gconstpointer data)
{
    (void)data;
    guint32 server[] = {23, 1730, 281, 69};
    tls13_server_flight(f, server, G_N_ELEMENTS(server));
    feed_opaque(f, 8, EP_A, 69);
    feed_opaque(f, 9, EP_B, 298);
    feed_opaque(f, 12, EP_A, APG_TLS13_ENCRYPTED_ALERT_LEN);
    feed(f, APG_EV_TCP_FIN, 14, EP_A);
    assert_finding(f, NULL, APG_CAUSE_NONE, APG_CONFIDENCE_LIKELY, "success");
    apg_diagnosis d = diagnose(f, NULL);
    g_assert_true(d.alternatives & APG_CAUSE_BIT(APG_CAUSE_CERT_HOSTNAME_MISMATCH));
    apg_diagnosis_clear(&d);
    /* The same client sending data: certain, no doubt. */
    apg_conv_free(f->conv);
    f->conv = apg_conv_new(2, NULL);
    tls13_server_flight(f, server, G_N_ELEMENTS(server));
    feed_opaque(f, 8, EP_A, 69);
    feed_opaque(f, 9, EP_B, 298);
    feed_opaque(f, 12, EP_A, 120);
    feed(f, APG_EV_TCP_FIN, 14, EP_A);
    assert_finding(f, NULL, APG_CAUSE_NONE, APG_CONFIDENCE_CERTAIN, "success");
}

static void test_close_before_alert_decides(fixture *f, gconstpointer data)
{
    (void)data;
    /* The client hung up first; the server's later alert does not change who. */
    server_flight(f);
    feed(f, APG_EV_TCP_FIN, 8, EP_A);
    feed_alert(f, 9, EP_B, 2, 50);
    assert_finding(f, NULL, APG_CAUSE_CLIENT_ABORT, APG_CONFIDENCE_CERTAIN, "closes");
}

static void test_risky_success(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    apg_event sh = {
        .kind = APG_EV_SERVER_HELLO, .frame = 6, .sender = EP_B, .record_version = APG_TLS10};
    sh.u.server_hello.legacy_version = APG_TLS10;
    sh.u.server_hello.suite = 0x000a;
    apg_conv_observe(f->conv, &sh);
    feed(f, APG_EV_FINISHED, 8, EP_A);
    feed(f, APG_EV_FINISHED, 9, EP_B);
    apg_diagnosis d = diagnose(f, NULL);
    g_assert_cmpint(d.cause, ==, APG_CAUSE_NONE);
    g_assert_cmpuint(d.warnings, ==, APG_WARN_OLD_VERSION | APG_WARN_LEGACY_SUITE);
    g_assert_nonnull(strstr(d.summary, "3DES"));
    apg_diagnosis_clear(&d);
}

/* --- wording: a few tests of the words, apart from the findings ---------- */

/* The fixture's records are TLSv1.2, its ClientHello offers up to TLSv1.3. */
static void test_words_name_the_evidence(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_alert(f, 6, EP_B, 2, 70);
    apg_diagnosis d = diagnose(f, NULL);
    g_assert_cmpstr(d.summary, ==,
                    "The client offered up to TLSv1.3 (frame 4) and the server answered with a "
                    "fatal protocol_version from the server (frame 6) in a TLSv1.2 record: they "
                    "share no protocol version.");
    apg_diagnosis_clear(&d);
}

/* An elimination never claims the version was compared. */
static void test_words_claim_no_unmade_comparison(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_alert(f, 6, EP_B, 2, 40);
    apg_diagnosis d = diagnose(f, NULL);
    g_assert_null(strstr(d.summary, "version is compatible"));
    g_assert_nonnull(strstr(d.summary, "the alert does not name the version"));
    g_assert_nonnull(strstr(d.summary, "a version it does not take stays possible"));
    apg_diagnosis_clear(&d);
}

/* "expired" is worded one way, whoever's certificate it is. */
static void test_words_expired_once(void)
{
    apg_chain_report r = {.n = 1,
                          .expired_index = 0,
                          .not_yet_valid_index = -1,
                          .expiring_index = -1,
                          .time_off_by = 86400 * 3};
    r.findings = apg_chain_findings(&r);
    GString *s = g_string_new(NULL);
    apg_cert_finding_say(s, &r, APG_CERT_EXPIRED, "the client's", FALSE);
    g_assert_cmpstr(s->str, ==, "the client's leaf had expired 3 days before the capture");
    g_string_truncate(s, 0);
    apg_cert_finding_predicate(s, &r, APG_CERT_EXPIRED);
    g_assert_cmpstr(s->str, ==, "had expired 3 days before the capture");
    g_string_free(s, TRUE);
    char *line = apg_cert_line_finding(&r, 0);
    g_assert_cmpstr(line, ==, "had expired 3 days before the capture");
    g_free(line);
}

/* An endpoint as a user types it; the test fails on a typo. */
static apg_endpoint ep_of(const char *text)
{
    apg_endpoint ep;
    g_assert_true(apg_endpoint_parse(text, &ep));
    return ep;
}

static apg_direction direction_of(const apg_roles *roles, const char *client, const char *server)
{
    apg_endpoint c = ep_of(client), s = ep_of(server);
    return apg_direction_of(roles, &c, &s);
}

static void test_direction(void)
{
    apg_addr_list *routers = apg_addr_list_parse("127.0.1.1", "router_addrs", NULL);
    apg_addr_list *mps = apg_addr_list_parse("127.0.2.10", "mp_addrs", NULL);
    guint16 ports[] = {9443};
    apg_roles roles = {.router_addrs = routers, .mp_addrs = mps};
    g_assert_cmpint(direction_of(&roles, "127.0.1.10:5000", "127.0.1.1:9443"), ==,
                    APG_DIRECTION_NORTHBOUND);
    g_assert_cmpint(direction_of(&roles, "127.0.2.10:5000", "127.0.2.1:8443"), ==,
                    APG_DIRECTION_SOUTHBOUND);
    g_assert_cmpint(direction_of(&roles, "127.0.0.1:5000", "127.0.2.1:8443"), ==,
                    APG_DIRECTION_UNKNOWN);
    roles.router_ports = ports;
    roles.n_router_ports = 1;
    g_assert_cmpint(direction_of(&roles, "127.0.1.10:5000", "127.0.1.1:443"), ==,
                    APG_DIRECTION_UNKNOWN);
    apg_roles ports_only = {.router_ports = ports, .n_router_ports = 1};
    g_assert_cmpint(direction_of(&ports_only, "[::1]:5000", "[::1]:9443"), ==,
                    APG_DIRECTION_NORTHBOUND);
    g_assert_cmpint(direction_of(NULL, "10.0.0.1:1", "10.0.0.2:2"), ==, APG_DIRECTION_UNKNOWN);
    apg_addr_list_free(routers);
    apg_addr_list_free(mps);
}

/* Lists as users type them: any separator, ranges, IPv6; and a sentence for
 * each item that cannot be used. */
static void test_address_lists(void)
{
    GPtrArray *problems = g_ptr_array_new_with_free_func(g_free);
    apg_addr_list *l = apg_addr_list_parse(" 10.0.0.5;10.1.0.0/16 2001:db8::/32,\t[::1] notanip "
                                           "10.0.0.0/33 ::1/129",
                                           "router_addrs", problems);
    g_assert_true(apg_addr_list_has(l, "10.0.0.5"));
    g_assert_false(apg_addr_list_has(l, "10.0.0.6"));
    g_assert_true(apg_addr_list_has(l, "10.1.255.7"));
    g_assert_false(apg_addr_list_has(l, "10.2.0.1"));
    g_assert_true(apg_addr_list_has(l, "2001:db8:0:0::42"));
    g_assert_false(apg_addr_list_has(l, "2001:db9::1"));
    g_assert_true(apg_addr_list_has(l, "::1"));
    g_assert_false(apg_addr_list_has(l, "garbage"));
    g_assert_cmpuint(problems->len, ==, 3);
    g_assert_nonnull(strstr(g_ptr_array_index(problems, 0), "'notanip'"));
    g_assert_nonnull(strstr(g_ptr_array_index(problems, 1), "'10.0.0.0/33'"));
    g_assert_nonnull(strstr(g_ptr_array_index(problems, 2), "'::1/129'"));
    apg_addr_list_free(l);
    apg_addr_list *range = apg_addr_list_parse("192.168.4.0/22", "mp_addrs", NULL);
    g_assert_true(apg_addr_list_has(range, "192.168.7.200"));
    g_assert_false(apg_addr_list_has(range, "192.168.8.1"));
    apg_addr_list_free(range);
    g_ptr_array_free(problems, TRUE);
    /* endpoints as typed become bytes, shown the way Wireshark prints them */
    char buf[APG_ENDPOINT_TEXT_LEN];
    apg_endpoint ep = ep_of("[2001:DB8:0::5]:443");
    g_assert_cmpstr(apg_endpoint_format(&ep, buf), ==, "[2001:db8::5]:443");
    ep = ep_of("2001:db8::5:443");
    g_assert_cmpstr(apg_endpoint_format(&ep, buf), ==, "[2001:db8::5]:443");
    ep = ep_of("10.0.0.5:8443");
    g_assert_cmpstr(apg_endpoint_format(&ep, buf), ==, "10.0.0.5:8443");
    apg_addr_list *tens = apg_addr_list_parse("10.0.0.0/8", "mp_addrs", NULL);
    g_assert_true(apg_addr_list_has_endpoint(tens, &ep));
    apg_endpoint v6 = ep_of("[2001:db8::5]:443");
    g_assert_false(apg_addr_list_has_endpoint(tens, &v6));
    apg_addr_list_free(tens);
    g_assert_false(apg_endpoint_parse("backend:443", &ep));
    g_assert_false(apg_endpoint_parse("10.0.0.5:99999", &ep));
    g_assert_false(apg_endpoint_parse("10.0.0.5", &ep));
}

static void test_remedies_follow_the_leg(void)
{
    const char *south = apg_remedy_text(APG_CAUSE_SNI_MISSING, APG_DIRECTION_SOUTHBOUND);
    g_assert_nonnull(strstr(south, "conf_system_jsse.enableSNIExtension=true"));
    g_assert_nonnull(strstr(south, "apigee:apigee"));
    const char *proto = apg_remedy_text(APG_CAUSE_PROTOCOL_MISMATCH, APG_DIRECTION_SOUTHBOUND);
    g_assert_nonnull(strstr(proto, "<Protocols><Protocol>"));
    g_assert_cmpstr(apg_remedy_text(APG_CAUSE_SNI_MISSING, APG_DIRECTION_UNKNOWN), !=, south);
    for (int c = 0; c < APG_CAUSE_COUNT; c++)
        for (int d = 0; d < 3; d++)
            g_assert_cmpuint(strlen(apg_remedy_text(c, d)), >, 5);
}

/* A router's "too big" for the client's packet, as the capture layer routes
 * it (sender: the quoted segment's). */
static void feed_too_big(fixture *f, guint32 frame, int sender, guint32 mtu, guint32 len)
{
    apg_event ev = {.kind = APG_EV_PATH_TOO_BIG, .frame = frame, .sender = sender};
    ev.u.too_big.mtu = mtu;
    ev.u.too_big.packet_len = len;
    ev.u.too_big.router = (apg_endpoint){.family = 4, .len = 4, .addr = {10, 7, 0, 1}};
    apg_conv_observe(f->conv, &ev);
}

static void resent(fixture *f, guint32 frame)
{
    apg_event ev = {.kind = APG_EV_TCP_SEGMENT, .frame = frame, .sender = EP_A};
    ev.u.tcp.resent_data = TRUE;
    apg_conv_observe(f->conv, &ev);
}

/* Issue 21, item 7: the ClientHello refused twice as too big, the server
 * silent: a path-MTU black hole, likely; the words name the router, the MTU
 * and the packet, and the frames cite the ClientHello and the first report. */
static void test_path_mtu_black_hole(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_too_big(f, 5, EP_A, 1400, 1406);
    resent(f, 6);
    feed_too_big(f, 7, EP_A, 1400, 1406);
    assert_finding(f, NULL, APG_CAUSE_PATH_MTU, APG_CONFIDENCE_LIKELY, "path_mtu.too_big");
    apg_diagnosis d = diagnose(f, NULL);
    const guint32 frames[] = {4, 5};
    assert_evidence(&d, frames, 2);
    g_assert_true(d.alternatives & APG_CAUSE_BIT(APG_CAUSE_NO_SERVER_RESPONSE));
    g_assert_nonnull(strstr(d.summary, "a router (10.7.0.1) refused a packet of 1406 bytes"));
    g_assert_nonnull(strstr(d.summary, "whose MTU it gave as 1400"));
    g_assert_nonnull(strstr(d.summary, "2 reports, the last in frame 7"));
    g_assert_nonnull(strstr(d.summary, "sent once more"));
    g_assert_nonnull(strstr(d.remedy, "MSS"));
    apg_diagnosis_clear(&d);
}

/* Reports that refuse nothing (the packet fits the MTU named, an MTU under
 * 68), one before the ClientHello, and reports on the server's packets: the
 * server's silence stays no_server_response. */
static void test_path_mtu_needs_a_refusal(fixture *f, gconstpointer data)
{
    (void)data;
    feed_too_big(f, 3, EP_A, 1400, 1406);
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_too_big(f, 5, EP_A, 1500, 1406);
    feed_too_big(f, 6, EP_A, 20, 1406);
    feed_too_big(f, 7, EP_B, 1400, 1406);
    resent(f, 8);
    const apg_handshake *hs = apg_conv_current(f->conv);
    g_assert_cmpuint(hs->ch_retransmissions, ==, 1);
    g_assert_null(apg_hs_too_big(hs, APG_ROLE_CLIENT));
    g_assert_nonnull(apg_hs_too_big(hs, APG_ROLE_SERVER));
    assert_finding(f, NULL, APG_CAUSE_NO_SERVER_RESPONSE, APG_CONFIDENCE_POSSIBLE, "closes");
}

/* The server answered after the report (the client resent in smaller
 * segments): whatever failed later, it is no black hole. */
static void test_path_mtu_not_after_an_answer(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_too_big(f, 5, EP_A, 1400, 1406);
    feed(f, APG_EV_TCP_SEGMENT, 7, EP_B);
    feed(f, APG_EV_TCP_FIN, 30, EP_A);
    apg_diagnosis d = diagnose(f, NULL);
    g_assert_cmpint(d.cause, ==, APG_CAUSE_NO_SERVER_RESPONSE);
    apg_diagnosis_clear(&d);
}

/* An unanswered ClientHello: the words claim an acknowledgement only when
 * the server's ACK covers its last byte (tcp.nxtseq), and say when that was
 * not read. */
static void no_response_words(gboolean end_known, guint32 server_ack, const char *want)
{
    fixture fx, *f = &fx;
    setup(f, NULL);
    apg_event ch = {.kind = APG_EV_CLIENT_HELLO,
                    .frame = 4,
                    .sender = EP_A,
                    .record_version = APG_TLS12,
                    .record_length = 1195,
                    .tcp_nxtseq = end_known ? 1201 : 0};
    ch.u.client_hello = &f->ch;
    apg_conv_observe(f->conv, &ch);
    apg_event ack = {.kind = APG_EV_TCP_SEGMENT,
                     .frame = 5,
                     .sender = EP_B,
                     .has_ack = TRUE,
                     .tcp_ack = server_ack};
    apg_conv_observe(f->conv, &ack);
    feed(f, APG_EV_TCP_FIN, 30, EP_A);
    apg_diagnosis d = diagnose(f, NULL);
    g_assert_cmpint(d.cause, ==, APG_CAUSE_NO_SERVER_RESPONSE);
    g_assert_nonnull(strstr(d.summary, want));
    if (!strstr(want, "acknowledged all"))
        g_assert_null(strstr(d.summary, "acknowledged all"));
    apg_diagnosis_clear(&d);
    teardown(f, NULL);
}

static void test_no_response_acknowledgement(void)
{
    no_response_words(TRUE, 1201, "the server's TCP stack acknowledged all of it");
    no_response_words(TRUE, 1, "never acknowledged the ClientHello's last byte");
    no_response_words(FALSE, 1201, "whether they acknowledge the ClientHello was not read");
}

static void test_weak_suite_names(void)
{
    g_assert_true(apg_suite_is_weak("TLS_RSA_WITH_3DES_EDE_CBC_SHA"));
    g_assert_true(apg_suite_is_weak("TLS_DH_anon_WITH_AES_128_CBC_SHA"));
    g_assert_true(apg_suite_is_weak("TLS_RSA_EXPORT_WITH_RC4_40_MD5"));
    g_assert_true(apg_suite_is_weak("TLS_RSA_WITH_NULL_SHA256"));
    g_assert_false(apg_suite_is_weak("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
    g_assert_false(apg_suite_is_weak(NULL));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    ADD("/version/protocol-version-alert", test_protocol_version_alert);
    ADD("/words/name-the-evidence", test_words_name_the_evidence);
    ADD("/words/claim-no-unmade-comparison", test_words_claim_no_unmade_comparison);
    g_test_add_func("/words/expired-once", test_words_expired_once);
    ADD("/version/comes-before-sni", test_version_comes_before_sni);
    ADD("/version/old-alert-record", test_old_alert_record_means_version);
    ADD("/version/profile-of-newer-versions", test_profile_of_newer_versions);
    ADD("/version/readable-alert-outranks-profile", test_readable_alert_outranks_the_profile);
    ADD("/version/odd-version-against-a-profile", test_odd_version_against_a_profile);
    ADD("/sni/unrecognized-name", test_unrecognized_name_without_sni);
    ADD("/sni/handshake-failure-is-ambiguous", test_handshake_failure_without_sni_is_ambiguous);
    ADD("/sni/served-without-sni-points-to-ciphers",
        test_server_known_without_sni_points_to_ciphers);
    ADD("/sni/reset-without-sni", test_reset_without_sni);
    ADD("/silent/reset-with-sni", test_reset_with_sni);
    ADD("/silent/close-before-alert", test_close_before_alert_decides);
    ADD("/ciphers/no-knowledge", test_cipher_failure_without_knowledge);
    ADD("/ciphers/weak-only-offer", test_weak_only_offer);
    ADD("/ciphers/weak-offer-before-sni", test_weak_offer_before_sni);
    ADD("/ciphers/small-dh-group", test_small_dh_group);
    ADD("/sni/late-close-is-timeout-like", test_late_close_without_sni);
    ADD("/tls13/readable-client-alert", test_tls13_readable_client_alert);
    ADD("/tls13/client-flight-sizes", test_tls13_client_flight_sizes);
    ADD("/discipline/certain-needs-read-evidence", test_certain_needs_read_evidence);
    ADD("/ciphers/configured-suites", test_configured_suites_settle_it);
    ADD("/ciphers/illegal-parameter-allows-two-causes", test_illegal_parameter_allows_two_causes);
    ADD("/ciphers/shared-suites-contradict", test_shared_suites_contradict_a_cipher_mismatch);
    ADD("/ciphers/learned-profile", test_learned_profile);
    ADD("/ciphers/offer-for-another-key-type", test_offer_for_another_key_type);
    ADD("/certs/server-certificate-alerts", test_server_certificate_alerts);
    ADD("/certs/client-certificate", test_client_certificate_missing_and_rejected);
    ADD("/tls13/padded-client-alert", test_tls13_padded_client_alert);
    ADD("/tls13/server-alert-after-client-flight", test_tls13_server_alert_after_client_flight);
    ADD("/success/risky", test_risky_success);
    ADD("/tls13/client-certificate-then-data", test_tls13_client_certificate_then_data);
    ADD("/tls13/server-refuses-after-encrypted-extensions",
        test_tls13_server_refuses_after_encrypted_extensions);
    ADD("/tls13/client-leaves-at-once", test_tls13_client_leaves_at_once);
    ADD("/certs/client-certificate-expired", test_client_certificate_expired);
    ADD("/path_mtu/black-hole", test_path_mtu_black_hole);
    ADD("/path_mtu/needs-a-refusal", test_path_mtu_needs_a_refusal);
    ADD("/path_mtu/not-after-an-answer", test_path_mtu_not_after_an_answer);
    g_test_add_func("/closes/no-response-acknowledgement", test_no_response_acknowledgement);
    g_test_add_func("/context/direction", test_direction);
    g_test_add_func("/context/address_lists", test_address_lists);
    g_test_add_func("/context/remedies", test_remedies_follow_the_leg);
    g_test_add_func("/context/weak-suites", test_weak_suite_names);
    return g_test_run();
}
