/* test_extensions.c - unit tests of what the offer's extensions decide: ALPN,
 * the key-exchange groups (a HelloRetryRequest, what the server chose
 * elsewhere) and the signature algorithms; and that the shared offer keeps
 * every list.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_diagnosis.h"
#include "apg_shared.h"
#include "fixture.h"

#define X25519    0x001d
#define SECP256R1 0x0017
#define SECP384R1 0x0018

static const char *suite_names(guint16 suite)
{
    switch (suite) {
    case 0x1301: return "TLS_AES_128_GCM_SHA256";
    case 0xc02f: return "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
    case 0x009c: return "TLS_RSA_WITH_AES_128_GCM_SHA256";
    }
    return NULL;
}

static const char *group_names(guint16 group)
{
    switch (group) {
    case X25519: return "x25519";
    case SECP256R1: return "secp256r1";
    case SECP384R1: return "secp384r1";
    }
    return NULL;
}

static apg_diagnosis diagnose(fixture *f, const apg_server_profile *p)
{
    const apg_context ctx = {.profile = p, .suite_name = suite_names, .group_name = group_names};
    const apg_handshake *hs = apg_conv_current(f->conv);
    apg_verdict v = apg_evaluate(hs, TRUE);
    return apg_diagnose(hs, &v, &ctx);
}

static void assert_finding(fixture *f, const apg_server_profile *p, apg_cause cause,
                           apg_confidence confidence, const char *rule, const char *phrase)
{
    apg_diagnosis d = diagnose(f, p);
    if (d.cause != cause || d.confidence != confidence || g_strcmp0(d.rule, rule) != 0 ||
        (phrase && !strstr(d.summary, phrase)))
        g_error("got %s/%s by %s (%s), want %s/%s by %s with \"%s\"", apg_cause_token(d.cause),
                apg_confidence_token(d.confidence), d.rule, d.summary, apg_cause_token(cause),
                apg_confidence_token(confidence), rule, phrase ? phrase : "");
    g_assert_nonnull(d.remedy);
    apg_diagnosis_clear(&d);
}

/* A profile as an established TLS 1.3 handshake leaves it. */
static apg_server_profile *profile_with(guint16 group, const char *alpn, guint key_types)
{
    apg_server_profile *p = apg_profile_new();
    apg_handshake hs = {.server_hello_frame = 2,
                        .sh = {.suite = 0x1301, .selected_version = APG_TLS13},
                        .server_group = group,
                        .alpn_selected = alpn,
                        .alpn_frame = alpn ? 3 : 0,
                        .saw_start = TRUE};
    apg_profile_learn(p, &hs, key_types);
    return p;
}

static void offer_alpn(fixture *f, const char *alpn)
{
    f->ch.has_alpn = TRUE;
    g_strlcpy(f->ch.alpn, alpn, sizeof f->ch.alpn);
}

static void test_alpn_alert(fixture *f, gconstpointer data)
{
    (void)data;
    offer_alpn(f, "http/1.1");
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_alert(f, 6, EP_B, 2, APG_ALERT_NO_APPLICATION_PROTOCOL);
    assert_finding(f, NULL, APG_CAUSE_NO_APPLICATION_PROTOCOL, APG_CONFIDENCE_CERTAIN,
                   "alpn.refused", "ALPN offered: http/1.1");
    /* what it selected for others is named */
    apg_server_profile *p = profile_with(X25519, "h2", 0);
    assert_finding(f, p, APG_CAUSE_NO_APPLICATION_PROTOCOL, APG_CONFIDENCE_CERTAIN, "alpn.refused",
                   "it selected h2 (first in frame 3)");
    apg_profile_free(p);
}

/* Go checks ALPN after its TLS 1.3 ServerHello: the alert is encrypted. */
static void test_alpn_encrypted_alert(fixture *f, gconstpointer data)
{
    (void)data;
    offer_alpn(f, "h2");
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_sh13(f, 6, EP_B);
    apg_event alert = {.kind = APG_EV_ALERT,
                       .frame = 6,
                       .sender = EP_B,
                       .record_version = APG_TLS12,
                       .record_length = APG_TLS13_ENCRYPTED_ALERT_LEN,
                       .u.alert = {.encrypted = TRUE}};
    apg_conv_observe(f->conv, &alert);
    feed(f, APG_EV_TCP_FIN, 7, EP_B);
    /* nothing learned: the suites stay first, only possible, ALPN named */
    assert_finding(f, NULL, APG_CAUSE_CIPHER_MISMATCH, APG_CONFIDENCE_POSSIBLE,
                   "ciphers.after_server_hello", "ALPN h2");
    apg_server_profile *other = profile_with(X25519, "http/1.1", 0);
    assert_finding(f, other, APG_CAUSE_NO_APPLICATION_PROTOCOL, APG_CONFIDENCE_LIKELY,
                   "alpn.refused_unread", "it selected http/1.1");
    apg_profile_free(other);
    /* a server seen selecting what this client offers: not ALPN */
    apg_server_profile *same = profile_with(X25519, "h2", 0);
    assert_finding(f, same, APG_CAUSE_CIPHER_MISMATCH, APG_CONFIDENCE_POSSIBLE,
                   "ciphers.after_server_hello", NULL);
    apg_profile_free(same);
}

static void offer_groups(fixture *f, const guint16 *groups, guint n, guint16 share)
{
    memcpy(f->ch.groups, groups, n * sizeof *groups);
    f->ch.n_groups = n;
    f->ch.key_shares[0] = share;
    f->ch.n_key_shares = 1;
}

static void hello_retry(fixture *f, guint32 frame, guint16 group)
{
    apg_event hrr = {.kind = APG_EV_SERVER_HELLO,
                     .frame = frame,
                     .sender = EP_B,
                     .record_version = APG_TLS12,
                     .record_length = 88,
                     .u.server_hello = {.is_hrr = TRUE,
                                        .legacy_version = APG_TLS12,
                                        .selected_version = APG_TLS13,
                                        .suite = 0x1301,
                                        .group = group}};
    apg_conv_observe(f->conv, &hrr);
}

/* Offers x25519 and secp384r1, key-shares x25519; the server asks for secp384r1. */
static void offer_then_retry(fixture *f)
{
    const guint16 groups[] = {X25519, SECP384R1};
    offer_groups(f, groups, 2, X25519);
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    hello_retry(f, 6, SECP384R1);
}

/* Asked for a group it offered, the client left: it did not follow a
 * request it could meet, no group mismatch. */
static void test_retry_not_followed(fixture *f, gconstpointer data)
{
    (void)data;
    offer_then_retry(f);
    feed(f, APG_EV_TCP_FIN, 8, EP_A);
    assert_finding(f, NULL, APG_CAUSE_CLIENT_ABORT, APG_CONFIDENCE_CERTAIN, "closes",
                   "a key share for secp384r1). The ClientHello (frame 4) offered the groups "
                   "x25519, secp384r1");
}

/* Asked for a group it never offered: the client must refuse (RFC 8446 4.1.4). */
static void test_retry_for_unoffered_group(fixture *f, gconstpointer data)
{
    (void)data;
    const guint16 groups[] = {X25519};
    offer_groups(f, groups, 1, X25519);
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    hello_retry(f, 6, SECP384R1);
    feed_alert(f, 8, EP_A, 2, APG_ALERT_ILLEGAL_PARAMETER);
    assert_finding(f, NULL, APG_CAUSE_GROUP_MISMATCH, APG_CONFIDENCE_LIKELY,
                   "groups.retry_abandoned", "a group the client never offered");
}

/* The retry lacks the key share asked for: the server refuses it. */
static void test_retry_without_group(fixture *f, gconstpointer data)
{
    (void)data;
    offer_then_retry(f);
    feed(f, APG_EV_CLIENT_HELLO, 8, EP_A); /* still key-shares x25519 only */
    feed_alert(f, 10, EP_B, 2, APG_ALERT_ILLEGAL_PARAMETER);
    assert_finding(f, NULL, APG_CAUSE_GROUP_MISMATCH, APG_CONFIDENCE_LIKELY, "groups.retry_refused",
                   "still lacks a key share");
    g_assert_cmpuint(apg_conv_current(f->conv)->retry_key_share, ==, 2);
}

/* A retry that carries the group: the group is not why it failed. */
static void test_retry_with_group(fixture *f, gconstpointer data)
{
    (void)data;
    offer_then_retry(f);
    f->ch.key_shares[0] = SECP384R1;
    feed(f, APG_EV_CLIENT_HELLO, 8, EP_A);
    feed_alert(f, 10, EP_B, 2, APG_ALERT_HANDSHAKE_FAILURE);
    apg_diagnosis d = diagnose(f, NULL);
    g_assert_cmpint(d.cause, !=, APG_CAUSE_GROUP_MISMATCH);
    apg_diagnosis_clear(&d);
}

static void test_groups_against_profile(fixture *f, gconstpointer data)
{
    (void)data;
    const guint16 groups[] = {X25519, SECP256R1};
    offer_groups(f, groups, 2, X25519);
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_alert(f, 6, EP_B, 2, APG_ALERT_HANDSHAKE_FAILURE);
    apg_server_profile *p = profile_with(SECP384R1, NULL, 0);
    assert_finding(f, p, APG_CAUSE_GROUP_MISMATCH, APG_CONFIDENCE_LIKELY, "groups.no_overlap",
                   "chose the groups secp384r1");
    apg_profile_free(p);
    /* a group it chose is offered: not the groups */
    apg_server_profile *shared = profile_with(SECP256R1, NULL, 0);
    assert_finding(f, shared, APG_CAUSE_ALERT_OTHER, APG_CONFIDENCE_POSSIBLE, "ciphers.no_overlap",
                   NULL);
    apg_profile_free(shared);
}

/* An RSA key exchange shared with the server needs no group. */
static void test_groups_not_needed(fixture *f, gconstpointer data)
{
    (void)data;
    const guint16 groups[] = {X25519};
    offer_groups(f, groups, 1, X25519);
    f->ch.suites[0] = 0x009c;
    f->ch.n_suites = 1;
    f->ch.n_versions = 0;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_alert(f, 6, EP_B, 2, APG_ALERT_HANDSHAKE_FAILURE);
    apg_server_profile *p = apg_profile_new();
    guint16 rsa = 0x009c, p384 = SECP384R1;
    g_array_append_val(p->suites, rsa);
    g_array_append_val(p->groups, p384);
    apg_diagnosis d = diagnose(f, p);
    g_assert_cmpint(d.cause, !=, APG_CAUSE_GROUP_MISMATCH);
    apg_diagnosis_clear(&d);
    apg_profile_free(p);
}

static void test_signatures_against_profile(fixture *f, gconstpointer data)
{
    (void)data;
    const guint16 rsa_only[] = {0x0804, 0x0401}; /* rsa_pss_rsae_sha256, rsa_pkcs1_sha256 */
    memcpy(f->ch.sig_algs, rsa_only, sizeof rsa_only);
    f->ch.n_sig_algs = 2;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_alert(f, 6, EP_B, 2, APG_ALERT_HANDSHAKE_FAILURE);
    apg_server_profile *ecdsa = profile_with(X25519, NULL, APG_KEY_ECDSA);
    assert_finding(f, ecdsa, APG_CAUSE_SIGNATURE_MISMATCH, APG_CONFIDENCE_LIKELY,
                   "signatures.no_overlap", "for RSA keys only");
    apg_profile_free(ecdsa);
    apg_server_profile *rsa = profile_with(X25519, NULL, APG_KEY_RSA);
    apg_diagnosis d = diagnose(f, rsa);
    g_assert_cmpint(d.cause, !=, APG_CAUSE_SIGNATURE_MISMATCH);
    apg_diagnosis_clear(&d);
    apg_profile_free(rsa);
}

static void test_signature_key_types(void)
{
    g_assert_cmpuint(apg_sig_alg_key_type(0x0403), ==, APG_KEY_ECDSA); /* ecdsa_secp256r1_sha256 */
    g_assert_cmpuint(apg_sig_alg_key_type(0x0809), ==, APG_KEY_RSA);   /* rsa_pss_pss_sha256 */
    g_assert_cmpuint(apg_sig_alg_key_type(0x0807), ==, APG_KEY_EDDSA); /* ed25519 */
    g_assert_cmpuint(apg_sig_alg_key_type(0x0201), ==, APG_KEY_RSA);   /* rsa_pkcs1_sha1 */
    g_assert_cmpuint(apg_sig_alg_key_type(0x0202), ==, APG_KEY_DSA);
    g_assert_cmpuint(apg_sig_alg_key_type(0x0a0a), ==, 0); /* GREASE */
    g_assert_cmpuint(apg_sig_alg_key_type(0x0700), ==, 0);
    g_assert_cmpuint(apg_key_type_of("EC/ECDSA"), ==, APG_KEY_ECDSA);
    g_assert_cmpuint(apg_key_type_of("RSA-PSS"), ==, APG_KEY_RSA);
    g_assert_cmpuint(apg_key_type_of("EdDSA (Ed25519)"), ==, APG_KEY_EDDSA);
    g_assert_cmpuint(apg_key_type_of(NULL), ==, 0);
}

/* Two offers that differ only in one list are two offers; each keeps all. */
static void test_shared_offer_lists(void)
{
    apg_shared *sh = apg_shared_new();
    apg_client_hello ch = {.n_versions = 1, .versions = {APG_TLS13}, .has_sni = TRUE};
    g_strlcpy(ch.sni, "a.example.test", sizeof ch.sni);
    ch.groups[ch.n_groups++] = X25519;
    ch.key_shares[ch.n_key_shares++] = X25519;
    ch.sig_algs[ch.n_sig_algs++] = 0x0403;
    ch.has_alpn = TRUE;
    g_strlcpy(ch.alpn, "h2,http/1.1", sizeof ch.alpn);
    apg_offer a = {0}, b = {0};
    apg_shared_offer_set(sh, &a, &ch);
    ch.groups[0] = SECP384R1;
    ch.has_alpn = FALSE;
    apg_shared_offer_set(sh, &b, &ch);
    g_assert_cmpuint(a.n_groups, ==, 1);
    g_assert_cmpuint(apg_offer_groups(&a)[0], ==, X25519);
    g_assert_cmpuint(apg_offer_groups(&b)[0], ==, SECP384R1);
    g_assert_cmpuint(apg_offer_key_shares(&a)[0], ==, X25519);
    g_assert_cmpuint(apg_offer_sig_algs(&a)[0], ==, 0x0403);
    g_assert_cmpstr(a.sni, ==, "a.example.test");
    g_assert_cmpstr(b.sni, ==, "a.example.test");
    g_assert_cmpstr(a.alpn, ==, "h2,http/1.1");
    g_assert_null(b.alpn);
    /* interning: one copy, valid text */
    g_assert_true(apg_shared_intern(sh, "h2") == apg_shared_intern(sh, "h2"));
    g_assert_true(g_utf8_validate(apg_shared_intern(sh, "\xff\xfe"), -1, NULL));
    apg_shared_offer_clear(sh, &a);
    apg_shared_offer_clear(sh, &b);
    apg_shared_free(sh);
}

#define ADD(path, fn) g_test_add(path, fixture, NULL, setup, fn, teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    ADD("/alpn/alert", test_alpn_alert);
    ADD("/alpn/encrypted-alert", test_alpn_encrypted_alert);
    ADD("/groups/retry-not-followed", test_retry_not_followed);
    ADD("/groups/retry-without-group", test_retry_without_group);
    ADD("/groups/retry-for-unoffered-group", test_retry_for_unoffered_group);
    ADD("/groups/retry-with-group", test_retry_with_group);
    ADD("/groups/against-profile", test_groups_against_profile);
    ADD("/groups/not-needed", test_groups_not_needed);
    ADD("/signatures/against-profile", test_signatures_against_profile);
    g_test_add_func("/signatures/key-types", test_signature_key_types);
    g_test_add_func("/offer/shared-lists", test_shared_offer_lists);
    return g_test_run();
}
