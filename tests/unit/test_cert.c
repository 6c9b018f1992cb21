/* test_cert.c - unit tests of the certificate analysis on certificates this
 * test makes with GnuTLS: names (wildcards, IPs, NUL bytes, IDN, thousands
 * of SANs), dates against the capture's time, chains, trust, bad DER.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <time.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <gnutls/x509-ext.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "apg_cert.h"
#include "apg_cert_findings.h"

#define DAY (24 * 3600)
#define NOW ((gint64)1790000000) /* the capture's time in these tests: 2026-09-21 */

typedef struct {
    gnutls_x509_privkey_t key;
    gnutls_x509_crt_t crt;
} identity;

static identity root, inter, other_inter, other_root;

static gnutls_x509_privkey_t new_key(gnutls_pk_algorithm_t pk, unsigned bits)
{
    gnutls_x509_privkey_t key;
    g_assert_cmpint(gnutls_x509_privkey_init(&key), ==, 0);
    g_assert_cmpint(gnutls_x509_privkey_generate(key, pk, bits, 0), ==, 0);
    return key;
}

static gnutls_x509_privkey_t ec_key(void)
{
    return new_key(GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1));
}

typedef struct {
    const char *cn;
    gsize cn_len; /* 0: strlen */
    const char *const *dns;
    guint n_dns;
    const char *ip; /* 4 raw bytes, or NULL */
    gint64 not_before, not_after;
    gboolean ca;
    gnutls_digest_algorithm_t digest;
} spec;

/* One SAN extension built at once: appending names one by one re-encodes
 * the extension each time, which is quadratic for thousands of names. */
static void set_dns_names(gnutls_x509_crt_t crt, const char *const *dns, guint n)
{
    gnutls_subject_alt_names_t sans;
    gnutls_datum_t der;
    g_assert_cmpint(gnutls_subject_alt_names_init(&sans), ==, 0);
    for (guint i = 0; i < n; i++) {
        gnutls_datum_t name = {(unsigned char *)dns[i], (unsigned)strlen(dns[i])};
        g_assert_cmpint(gnutls_subject_alt_names_set(sans, GNUTLS_SAN_DNSNAME, &name, NULL), ==, 0);
    }
    g_assert_cmpint(gnutls_x509_ext_export_subject_alt_names(sans, &der), ==, 0);
    g_assert_cmpint(gnutls_x509_crt_set_extension_by_oid(crt, "2.5.29.17", der.data, der.size, 0),
                    ==, 0);
    gnutls_free(der.data);
    gnutls_subject_alt_names_deinit(sans);
}

static gnutls_x509_crt_t make_crt(const spec *s, gnutls_x509_privkey_t key, const identity *issuer)
{
    static unsigned serial = 1;
    gnutls_x509_crt_t crt;
    g_assert_cmpint(gnutls_x509_crt_init(&crt), ==, 0);
    gnutls_x509_crt_set_version(crt, 3);
    gnutls_x509_crt_set_serial(crt, &serial, sizeof serial);
    serial++;
    gsize cn_len = s->cn_len ? s->cn_len : strlen(s->cn);
    g_assert_cmpint(
        gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, s->cn, cn_len), ==, 0);
    if (s->n_dns)
        set_dns_names(crt, s->dns, s->n_dns);
    if (s->ip)
        gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, s->ip, 4,
                                             GNUTLS_FSAN_APPEND);
    gnutls_x509_crt_set_activation_time(crt, (time_t)(s->not_before ? s->not_before : NOW - DAY));
    gnutls_x509_crt_set_expiration_time(crt,
                                        (time_t)(s->not_after ? s->not_after : NOW + 365 * DAY));
    gnutls_x509_crt_set_basic_constraints(crt, s->ca, -1);
    gnutls_x509_crt_set_key(crt, key);
    gnutls_x509_crt_t signer = issuer ? issuer->crt : crt;
    gnutls_x509_privkey_t signer_key = issuer ? issuer->key : key;
    gnutls_digest_algorithm_t dig = s->digest ? s->digest : GNUTLS_DIG_SHA256;
    g_assert_cmpint(gnutls_x509_crt_sign2(crt, signer, signer_key, dig, 0), ==, 0);
    return crt;
}

static GBytes *der_of(gnutls_x509_crt_t crt)
{
    gnutls_datum_t d;
    g_assert_cmpint(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &d), ==, 0);
    GBytes *b = g_bytes_new(d.data, d.size);
    gnutls_free(d.data);
    return b;
}

static identity make_ca(const char *cn, const identity *issuer)
{
    spec s = {.cn = cn, .ca = TRUE, .not_before = NOW - 100 * DAY, .not_after = NOW + 3650 * DAY};
    identity id = {.key = ec_key()};
    id.crt = make_crt(&s, id.key, issuer);
    return id;
}

/* A chain of DERs (leaf first), owned by the returned array. */
static GPtrArray *chain_of(gnutls_x509_crt_t first, ...)
{
    GPtrArray *a = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    va_list ap;
    va_start(ap, first);
    for (gnutls_x509_crt_t c = first; c; c = va_arg(ap, gnutls_x509_crt_t))
        g_ptr_array_add(a, der_of(c));
    va_end(ap);
    return a;
}

static gnutls_x509_crt_t leaf_with(const spec *s)
{
    gnutls_x509_privkey_t key = ec_key();
    gnutls_x509_crt_t crt = make_crt(s, key, &inter);
    gnutls_x509_privkey_deinit(key);
    return crt;
}

static apg_chain_report check(GPtrArray *chain, const char *host, gint64 at)
{
    static apg_cert_cache *cache;
    if (!cache)
        cache = apg_cert_cache_new();
    return apg_chain_check(cache, chain, host, at, NULL, 30);
}

static gboolean name_matches(const spec *s, const char *host)
{
    gnutls_x509_crt_t leaf = leaf_with(s);
    GPtrArray *chain = chain_of(leaf, inter.crt, NULL);
    apg_chain_report r = check(chain, host, NOW);
    gboolean match = r.hostname_match;
    g_assert_true(r.hostname_checked);
    apg_chain_report_clear(&r);
    g_ptr_array_free(chain, TRUE);
    gnutls_x509_crt_deinit(leaf);
    return match;
}

static void test_good_chain(void)
{
    const char *dns[] = {"backend.example.test"};
    spec s = {.cn = "backend.example.test", .dns = dns, .n_dns = 1};
    gnutls_x509_crt_t leaf = leaf_with(&s);
    GPtrArray *chain = chain_of(leaf, inter.crt, NULL);
    apg_chain_report r = check(chain, "backend.example.test", NOW);
    g_assert_cmpuint(r.n, ==, 2);
    g_assert_true(r.hostname_match);
    g_assert_cmpint(r.chain, ==, APG_CHAIN_OK);
    g_assert_false(r.root_sent);
    g_assert_false(r.out_of_order);
    g_assert_cmpint(r.expired_index, ==, -1);
    g_assert_cmpint(r.not_yet_valid_index, ==, -1);
    g_assert_cmpstr(r.leaf->cn, ==, "backend.example.test");
    g_assert_cmpstr(r.leaf->issuer, ==, "CN=Test Intermediate");
    g_assert_cmpstr(r.leaf->key_algorithm, ==, "EC/ECDSA");
    apg_chain_report_clear(&r);
    g_ptr_array_free(chain, TRUE);
    gnutls_x509_crt_deinit(leaf);
}

static void test_names(void)
{
    const char *wild[] = {"*.example.com"};
    spec w = {.cn = "wild", .dns = wild, .n_dns = 1};
    g_assert_true(name_matches(&w, "api.example.com"));
    g_assert_false(name_matches(&w, "a.b.example.com"));
    g_assert_false(name_matches(&w, "example.com"));

    const char *tld[] = {"*.com"};
    spec t = {.cn = "tld", .dns = tld, .n_dns = 1};
    g_assert_false(name_matches(&t, "example.com"));

    const char *partial[] = {"f*o.example.com"};
    spec p = {.cn = "partial", .dns = partial, .n_dns = 1};
    g_assert_false(name_matches(&p, "bar.example.com"));

    const char *other[] = {"other.example.test"};
    spec o = {.cn = "backend.example.test", .dns = other, .n_dns = 1};
    /* With a SAN present, the CN is not a name (RFC 6125). */
    g_assert_false(name_matches(&o, "backend.example.test"));
}

static void test_ip_names(void)
{
    spec cn_ip = {.cn = "127.0.0.1"};
    g_assert_false(name_matches(&cn_ip, "127.0.0.1")); /* an IP in the CN is no IP identity */
    spec san_ip = {.cn = "ip", .ip = "\x7f\x00\x00\x01"};
    g_assert_true(name_matches(&san_ip, "127.0.0.1"));

    gnutls_x509_crt_t leaf = leaf_with(&san_ip);
    GPtrArray *chain = chain_of(leaf, NULL);
    apg_chain_report r = check(chain, NULL, NOW);
    g_assert_cmpstr(g_ptr_array_index(r.leaf->san_ip, 0), ==, "127.0.0.1");
    g_assert_false(r.hostname_checked);
    apg_chain_report_clear(&r);
    g_ptr_array_free(chain, TRUE);
    gnutls_x509_crt_deinit(leaf);
}

static void test_nul_in_cn(void)
{
    static const char evil[] = "good.example.com\0.evil.example";
    spec s = {.cn = evil, .cn_len = sizeof evil - 1};
    gnutls_x509_crt_t leaf = leaf_with(&s);
    GPtrArray *chain = chain_of(leaf, inter.crt, NULL);
    apg_chain_report r = check(chain, "good.example.com", NOW);
    g_assert_true(r.leaf->cn_has_nul);
    g_assert_false(r.hostname_match);
    g_assert_null(memchr(r.leaf->cn, '\0', strlen(r.leaf->cn))); /* escaped for display */
    g_assert_nonnull(strstr(r.leaf->cn, "\\x00"));
    apg_chain_report_clear(&r);
    g_ptr_array_free(chain, TRUE);
    gnutls_x509_crt_deinit(leaf);
}

static void test_idn_and_many_sans(void)
{
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < 3000; i++)
        g_ptr_array_add(names, g_strdup_printf("host%u.example.test", i));
    g_ptr_array_add(names, g_strdup("xn--bcher-kva.example"));
    spec s = {.cn = "many", .dns = (const char *const *)names->pdata, .n_dns = names->len};
    gnutls_x509_crt_t leaf = leaf_with(&s);
    GPtrArray *chain = chain_of(leaf, NULL);
    apg_chain_report r = check(chain, "host2999.example.test", NOW);
    g_assert_true(r.hostname_match);
    apg_chain_report_clear(&r);
    r = check(chain, "xn--bcher-kva.example", NOW);
    g_assert_true(r.hostname_match);
    apg_chain_report_clear(&r);
    r = check(chain, "host3000.example.test", NOW);
    g_assert_false(r.hostname_match);
    g_assert_cmpuint(r.leaf->n_sans, ==, 3001);
    g_assert_cmpuint(r.leaf->san_dns->len, ==, APG_CERT_MAX_SANS);
    apg_chain_report_clear(&r);
    g_ptr_array_free(chain, TRUE);
    gnutls_x509_crt_deinit(leaf);
    g_ptr_array_free(names, TRUE);
}

static apg_chain_report check_dates(gint64 not_before, gint64 not_after, gint64 at)
{
    spec s = {.cn = "dates", .not_before = not_before, .not_after = not_after};
    gnutls_x509_crt_t leaf = leaf_with(&s);
    GPtrArray *chain = chain_of(leaf, inter.crt, NULL);
    apg_chain_report r = check(chain, NULL, at);
    g_ptr_array_free(chain, TRUE);
    gnutls_x509_crt_deinit(leaf);
    return r;
}

static void test_time_is_the_captures(void)
{
    /* Expired 10 days before the capture. */
    apg_chain_report r = check_dates(NOW - 400 * DAY, NOW - 10 * DAY, NOW);
    g_assert_cmpint(r.expired_index, ==, 0);
    g_assert_cmpint(r.time_off_by, ==, 10 * DAY);
    apg_chain_report_clear(&r);
    /* Expired since, but valid when the capture was taken. */
    r = check_dates(NOW - 400 * DAY, NOW - 10 * DAY, NOW - 20 * DAY);
    g_assert_cmpint(r.expired_index, ==, -1);
    g_assert_cmpint(r.expiring_index, ==, 0); /* within 30 days */
    g_assert_cmpint(r.expiring_in, ==, 10 * DAY);
    apg_chain_report_clear(&r);
    /* Not yet valid. */
    r = check_dates(NOW + 2 * DAY, NOW + 400 * DAY, NOW);
    g_assert_cmpint(r.not_yet_valid_index, ==, 0);
    g_assert_cmpint(r.time_off_by, ==, 2 * DAY);
    apg_chain_report_clear(&r);
    char *text = apg_duration_text(400 * DAY);
    g_assert_cmpstr(text, ==, "1 year 35 days");
    g_free(text);
}

static void test_chain_links(void)
{
    spec s = {.cn = "leaf"};
    gnutls_x509_crt_t leaf = leaf_with(&s);

    GPtrArray *alone = chain_of(leaf, NULL);
    apg_chain_report r = check(alone, NULL, NOW);
    g_assert_cmpint(r.chain, ==, APG_CHAIN_INCOMPLETE);
    g_assert_cmpstr(r.chain_detail, ==, "CN=Test Intermediate");
    apg_chain_report_clear(&r);

    /* Same issuer name, another key: the look-alike intermediate. */
    GPtrArray *wrong = chain_of(leaf, other_inter.crt, NULL);
    r = check(wrong, NULL, NOW);
    g_assert_cmpint(r.chain, ==, APG_CHAIN_INVALID);
    g_assert_cmpuint(r.chain_bad_index, ==, 0);
    apg_chain_report_clear(&r);

    GPtrArray *shuffled = chain_of(leaf, root.crt, inter.crt, NULL);
    r = check(shuffled, NULL, NOW);
    g_assert_cmpint(r.chain, ==, APG_CHAIN_OK);
    g_assert_true(r.out_of_order);
    apg_chain_report_clear(&r);

    GPtrArray *full = chain_of(leaf, inter.crt, root.crt, NULL);
    r = check(full, NULL, NOW);
    g_assert_cmpint(r.chain, ==, APG_CHAIN_OK);
    g_assert_true(r.root_sent);
    apg_chain_report_clear(&r);

    g_ptr_array_free(alone, TRUE);
    g_ptr_array_free(wrong, TRUE);
    g_ptr_array_free(shuffled, TRUE);
    g_ptr_array_free(full, TRUE);
    gnutls_x509_crt_deinit(leaf);
}

static char *write_pem(gnutls_x509_crt_t crt)
{
    gnutls_datum_t d;
    g_assert_cmpint(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &d), ==, 0);
    static guint n;
    char *path = g_strdup_printf("%s/apg-trust-%d-%u.pem", g_get_tmp_dir(), (int)getpid(), n++);
    g_assert_true(g_file_set_contents(path, (const char *)d.data, d.size, NULL));
    gnutls_free(d.data);
    return path;
}

/* Truststores of the test's root and of the other root, as PEM files. */
typedef struct {
    char *ours_path, *theirs_path;
    apg_truststore *ours, *theirs;
} stores;

static stores stores_new(void)
{
    stores t = {.ours_path = write_pem(root.crt), .theirs_path = write_pem(other_root.crt)};
    t.ours = apg_truststore_load(t.ours_path, NULL);
    t.theirs = apg_truststore_load(t.theirs_path, NULL);
    g_assert_nonnull(t.ours);
    g_assert_nonnull(t.theirs);
    return t;
}

static void stores_free(stores *t)
{
    apg_truststore_free(t->ours);
    apg_truststore_free(t->theirs);
    g_unlink(t->ours_path);
    g_unlink(t->theirs_path);
    g_free(t->ours_path);
    g_free(t->theirs_path);
}

/* Issue 21, items 2 and 3: a truststore of n distinct roots (the test root's
 * DER with "Test Root" made unique: the signatures no longer verify, which
 * loading does not check). */
static char *write_many_roots(guint n)
{
    gnutls_datum_t der;
    g_assert_cmpint(gnutls_x509_crt_export2(root.crt, GNUTLS_X509_FMT_DER, &der), ==, 0);
    GString *pem = g_string_new(NULL);
    for (guint i = 0; i < n; i++) {
        guint8 *copy = g_memdup2(der.data, der.size);
        char name[10];
        g_snprintf(name, sizeof name, "T%08u", i);
        for (guint k = 0; k + 9 <= der.size; k++)
            if (!memcmp(copy + k, "Test Root", 9))
                memcpy(copy + k, name, 9);
        char *b64 = g_base64_encode(copy, der.size);
        g_string_append_printf(pem, "-----BEGIN CERTIFICATE-----\n%s\n-----END CERTIFICATE-----\n",
                               b64);
        g_free(b64);
        g_free(copy);
    }
    gnutls_free(der.data);
    char *path = g_strdup_printf("%s/apg-trust-many-%d-%u.pem", g_get_tmp_dir(), (int)getpid(), n);
    g_assert_true(g_file_set_contents(path, pem->str, (gssize)pem->len, NULL));
    g_string_free(pem, TRUE);
    return path;
}

/* This process's CPU time in microseconds: a bound on wall time failed on a
 * machine busy with other work (2.0 s seen in the matrix, under load). */
static gint64 cpu_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (gint64)ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void test_truststore_bounds(void)
{
    /* 10,000 roots in linear time (6 s of CPU in GnuTLS's default-sized list) */
    char *path = write_many_roots(10000);
    gint64 t0 = cpu_us();
    apg_truststore *s = apg_truststore_load(path, NULL);
    gint64 took = cpu_us() - t0;
    g_test_message("10,000 certificates loaded in %.2f s of CPU", took / 1e6);
    g_assert_nonnull(s);
#ifdef __SANITIZE_ADDRESS__ /* GnuTLS's allocations through ASan: 3.2 s seen */
    g_assert_cmpint(took, <, 20 * G_USEC_PER_SEC);
#else /* 0.3-0.45 s */
    g_assert_cmpint(took, <, 2 * G_USEC_PER_SEC);
#endif
    /* the same file again (a preference apply) is not read again */
    t0 = cpu_us();
    apg_truststore *again = apg_truststore_load(path, NULL);
    g_assert_true(again == s);
    g_assert_cmpint(cpu_us() - t0, <, G_USEC_PER_SEC / 100);
    apg_truststore_free(again);
    apg_truststore_free(s);
    g_unlink(path);
    g_free(path);
    /* over the bound of certificates: refused before any is parsed */
    path = write_many_roots(20001);
    char *error = NULL;
    g_assert_null(apg_truststore_load(path, &error));
    g_assert_nonnull(strstr(error, "more than 20,000 certificates"));
    g_free(error);
    g_unlink(path);
    g_free(path);
    /* a /proc file: "regular", size 0, endless: read up to the byte bound only */
    if (g_file_test("/proc/self/pagemap", G_FILE_TEST_EXISTS)) {
        error = NULL;
        t0 = g_get_monotonic_time();
        g_assert_null(apg_truststore_load("/proc/self/pagemap", &error));
        g_assert_nonnull(error);
        g_test_message("/proc/self/pagemap: %s, in %.2f s", error,
                       (g_get_monotonic_time() - t0) / 1e6);
        g_assert_nonnull(strstr(error, "larger than 64 MiB"));
        g_free(error);
    }
}

static void test_truststore(void)
{
    spec s = {.cn = "leaf"};
    gnutls_x509_crt_t leaf = leaf_with(&s);
    GPtrArray *chain = chain_of(leaf, inter.crt, NULL);
    apg_cert_cache *cache = apg_cert_cache_new();
    stores t = stores_new();
    apg_chain_report r = apg_chain_check(cache, chain, NULL, NOW, t.ours, 0);
    g_assert_true(r.trust_checked);
    g_assert_true(r.trusted);
    apg_chain_report_clear(&r);
    r = apg_chain_check(cache, chain, NULL, NOW, t.theirs, 0);
    g_assert_false(r.trusted);
    apg_chain_report_clear(&r);
    char *error = NULL;
    g_assert_null(apg_truststore_load("/nonexistent/roots.pem", &error));
    g_assert_nonnull(error);
    g_free(error);
    stores_free(&t);
    apg_cert_cache_free(cache);
    g_ptr_array_free(chain, TRUE);
    gnutls_x509_crt_deinit(leaf);
}

/* A private CA that signs server certificates directly: the leaf alone may
 * lack an intermediate or a root the client must hold; a truststore holding
 * its issuer makes it complete; one holding another root leaves both open;
 * a chain of two with a gap is incomplete whatever the truststore. */
static void test_private_ca_signs_leaf(void)
{
    spec s = {.cn = "leaf"};
    gnutls_x509_privkey_t key = ec_key();
    gnutls_x509_crt_t leaf = make_crt(&s, key, &root);
    gnutls_x509_privkey_deinit(key);
    GPtrArray *alone = chain_of(leaf, NULL);
    apg_cert_cache *cache = apg_cert_cache_new();
    stores t = stores_new();

    apg_chain_report r = apg_chain_check(cache, alone, NULL, NOW, NULL, 0);
    g_assert_cmpint(r.chain, ==, APG_CHAIN_INCOMPLETE);
    g_assert_true(r.issuer_may_be_root);
    apg_chain_report_clear(&r);
    r = apg_chain_check(cache, alone, NULL, NOW, t.ours, 0);
    g_assert_cmpint(r.chain, ==, APG_CHAIN_OK);
    g_assert_true(r.trusted);
    g_assert_false(apg_chain_has(&r, APG_CERT_CHAIN_INCOMPLETE));
    g_assert_null(r.chain_detail);
    apg_chain_report_clear(&r);
    r = apg_chain_check(cache, alone, NULL, NOW, t.theirs, 0);
    g_assert_cmpint(r.chain, ==, APG_CHAIN_INCOMPLETE);
    g_assert_true(r.issuer_may_be_root);
    g_assert_false(r.trusted);
    apg_chain_report_clear(&r);

    /* under the intermediate, sent with an unrelated certificate: a gap */
    gnutls_x509_crt_t under_inter = leaf_with(&s);
    GPtrArray *gap = chain_of(under_inter, other_root.crt, NULL);
    r = apg_chain_check(cache, gap, NULL, NOW, t.ours, 0);
    g_assert_cmpint(r.chain, ==, APG_CHAIN_INCOMPLETE);
    g_assert_false(r.issuer_may_be_root);
    apg_chain_report_clear(&r);

    stores_free(&t);
    apg_cert_cache_free(cache);
    g_ptr_array_free(alone, TRUE);
    g_ptr_array_free(gap, TRUE);
    gnutls_x509_crt_deinit(leaf);
    gnutls_x509_crt_deinit(under_inter);
}

static void test_weaknesses(void)
{
    gnutls_x509_privkey_t small = new_key(GNUTLS_PK_RSA, 1024);
    spec s = {.cn = "weak"};
    gnutls_x509_crt_t leaf = make_crt(&s, small, &inter);
    GPtrArray *chain = chain_of(leaf, inter.crt, NULL);
    apg_chain_report r = check(chain, NULL, NOW);
    g_assert_true(r.small_key);
    g_assert_cmpuint(r.leaf->key_bits, ==, 1024);
    apg_chain_report_clear(&r);
    g_ptr_array_free(chain, TRUE);
    gnutls_x509_crt_deinit(leaf);

    gnutls_x509_crt_t self = make_crt(&(spec){.cn = "self"}, small, NULL);
    chain = chain_of(self, NULL);
    r = check(chain, NULL, NOW);
    g_assert_true(r.self_signed_leaf);
    g_assert_cmpint(r.chain, ==, APG_CHAIN_OK);
    apg_chain_report_clear(&r);
    g_ptr_array_free(chain, TRUE);
    gnutls_x509_crt_deinit(self);
    gnutls_x509_privkey_deinit(small);
}

static void test_bad_der(void)
{
    apg_cert_cache *cache = apg_cert_cache_new();
    GPtrArray *chain = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    g_ptr_array_add(chain, g_bytes_new_static("\x30\x82\xff\xff garbage", 12));
    apg_chain_report r = apg_chain_check(cache, chain, "x.example", NOW, NULL, 0);
    g_assert_true(r.leaf_malformed);
    g_assert_cmpuint(r.n, ==, 0);
    apg_chain_report_clear(&r);

    /* A real certificate cut in half. */
    GBytes *full = der_of(inter.crt);
    gsize len;
    const guint8 *data = g_bytes_get_data(full, &len);
    g_ptr_array_set_size(chain, 0);
    g_ptr_array_add(chain, g_bytes_new(data, len / 2));
    r = apg_chain_check(cache, chain, NULL, NOW, NULL, 0);
    g_assert_true(r.leaf_malformed);
    const apg_cert *c = apg_cert_cache_get(cache, g_ptr_array_index(chain, 0));
    g_assert_true(c->malformed);
    g_assert_nonnull(c->error);
    apg_chain_report_clear(&r);
    g_bytes_unref(full);
    g_ptr_array_free(chain, TRUE);
    apg_cert_cache_free(cache);
}

static void test_parse_once(void)
{
    apg_cert_cache *cache = apg_cert_cache_new();
    GBytes *a = der_of(inter.crt), *b = der_of(inter.crt);
    g_assert_true(apg_cert_cache_get(cache, a) == apg_cert_cache_get(cache, b));
    g_bytes_unref(a);
    g_bytes_unref(b);
    apg_cert_cache_free(cache);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    gnutls_global_init();
    root = make_ca("Test Root", NULL);
    inter = make_ca("Test Intermediate", &root);
    other_root = make_ca("Other Root", NULL);
    other_inter = make_ca("Test Intermediate", &other_root);
    g_test_add_func("/cert/good-chain", test_good_chain);
    g_test_add_func("/cert/names", test_names);
    g_test_add_func("/cert/ip-names", test_ip_names);
    g_test_add_func("/cert/nul-in-cn", test_nul_in_cn);
    g_test_add_func("/cert/idn-and-many-sans", test_idn_and_many_sans);
    g_test_add_func("/cert/time-is-the-captures", test_time_is_the_captures);
    g_test_add_func("/cert/chain-links", test_chain_links);
    g_test_add_func("/cert/truststore", test_truststore);
    g_test_add_func("/cert/truststore-bounds", test_truststore_bounds);
    g_test_add_func("/cert/private-ca-signs-leaf", test_private_ca_signs_leaf);
    g_test_add_func("/cert/weaknesses", test_weaknesses);
    g_test_add_func("/cert/bad-der", test_bad_der);
    g_test_add_func("/cert/parse-once", test_parse_once);
    return g_test_run();
}
