/* test_apigee.c - the Apigee export reader on the fixture exports of
 * tests/apigee-config (written from Apigee's documented shapes), on hostile
 * input (malformed and deep JSON, a 100 MB file, 10,000 files, names that
 * are not UTF-8), the matcher and OpenSSL's names of suites.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_apigee_advice.h"
#include "apg_apigee_audit.h"

#include <string.h>

#include <unistd.h>

#include <glib/gstdio.h>

#include "../../core/apigee/remedy.h"

static char *fixture(const char *name)
{
    return g_build_filename(APG_SOURCE_DIR, "tests", "apigee-config", name, NULL);
}

static apg_apigee *load_fixture(const char *name)
{
    char *dir = fixture(name);
    apg_apigee *a = apg_apigee_load(dir, NULL);
    g_free(dir);
    return a;
}

static const apg_target_server *server_named(const apg_apigee *a, const char *name)
{
    for (guint i = 0; i < a->target_servers->len; i++) {
        const apg_target_server *t = a->target_servers->pdata[i];
        if (!strcmp(t->name, name))
            return t;
    }
    return NULL;
}

static void test_edge_sackmesser(void)
{
    apg_apigee *a = load_fixture("edge-prod");
    g_assert_cmpuint(a->problems->len, ==, 0);
    g_assert_cmpuint(a->files_ignored, ==, 1); /* the KVM */
    g_assert_cmpuint(a->target_servers->len, ==, 2);
    const apg_target_server *t = server_named(a, "payments-ts");
    g_assert_nonnull(t);
    g_assert_cmpstr(t->from.env, ==, "prod");
    g_assert_cmpuint(t->port, ==, 8443);
    g_assert_cmpint(t->ssl.client_auth, ==, APG_TRI_TRUE);        /* "true" */
    g_assert_cmpint(t->ssl.ignore_validation, ==, APG_TRI_FALSE); /* false */
    g_assert_cmpstr(apg_apigee_resolve(a, t->ssl.trust_store, "prod"), ==, "ts-backend");
    g_assert_null(apg_apigee_resolve(a, "ref://nowhere", "prod"));
    g_assert_cmpuint(a->virtual_hosts->len, ==, 2);
    const apg_virtual_host *v = a->virtual_hosts->pdata[1];
    g_assert_cmpstr(v->name, ==, "secure");
    g_assert_cmpuint(v->port, ==, 9443); /* "9443" */
    g_assert_cmpstr(v->ssl_ciphers, ==, "ECDHE-RSA-AES256-GCM-SHA384");
    g_assert_cmpstr(v->ssl_protocols, ==, "TLSv1.2 TLSv1.3");
    GPtrArray *api = apg_apigee_store_certs(a, "ks-router", "api-cert", "prod");
    g_assert_cmpuint(api->len, ==, 2); /* the leaf and its intermediate */
    const apg_store_cert *leaf = api->pdata[0];
    g_assert_cmpstr(leaf->serial, ==, "1003");
    g_assert_cmpint(leaf->not_after, ==, 1609459200);
    g_assert_cmpint(leaf->is_valid, ==, APG_TRI_FALSE); /* "No" */
    g_ptr_array_free(api, TRUE);
    apg_apigee_free(a);
}

static void test_maven_and_x(void)
{
    apg_apigee *a = load_fixture("edge-maven");
    const apg_target_server *t = server_named(a, "legacy-backend");
    g_assert_nonnull(t);
    g_assert_cmpstr(t->from.env, ==, "test");
    g_assert_cmpint(t->ssl.ignore_validation, ==, APG_TRI_TRUE);
    g_assert_null(t->ssl.key_alias);
    g_assert_true(apg_apigee_has_store(a, "ks-mp"));
    g_assert_false(apg_apigee_has_store(a, "ts-legacy"));
    apg_apigee_free(a);

    a = load_fixture("x-apigeecli");
    t = server_named(a, "backend-x");
    g_assert_cmpstr(t->ssl.common_name, ==, "backend.example.test");
    g_assert_cmpint(t->ssl.common_name_wildcard, ==, APG_TRI_FALSE);
    g_assert_cmpint(t->ssl.enforce, ==, APG_TRI_TRUE);
    GPtrArray *lab = apg_apigee_store_certs(a, "ts-lab", NULL, "eval");
    g_assert_cmpuint(lab->len, ==, 1); /* the PEM file */
    g_assert_true(apg_dn_equal(((apg_store_cert *)lab->pdata[0])->subject,
                               "CN=Apigee HS Lab Root CA, O=Apigee HS Lab"));
    g_ptr_array_free(lab, TRUE);
    apg_apigee_free(a);

    a = load_fixture("x-deployed");
    t = server_named(a, "orders"); /* from organizations/.../targetservers/orders */
    g_assert_nonnull(t);
    g_assert_cmpstr(t->from.env, ==, "prod");
    g_assert_cmpstr(t->ssl.common_name, ==, "backend.example.test"); /* commonName.name */
    g_assert_cmpint(t->ssl.enforce, ==, APG_TRI_UNSET);
    apg_apigee_free(a);
}

static void test_dn(void)
{
    g_assert_true(apg_dn_equal("CN=a, O=\"b, Inc.\"", "O=b\\, Inc.,CN=a"));
    g_assert_true(apg_dn_equal("EMAILADDRESS=x@y, CN=a", "CN=A,EMAIL=x@y"));
    g_assert_false(apg_dn_equal("CN=a, O=b", "CN=a"));
    g_assert_false(apg_dn_equal("CN=a", "CN=b"));
    g_assert_false(apg_dn_equal("", ""));
}

static void read_one(apg_apigee *a, const char *json, const char *file)
{
    apg_apigee_read_json(a, json, strlen(json), file, NULL);
}

static void test_bad_json(void)
{
    apg_apigee *a = apg_apigee_new();
    read_one(a, "{\"host\": ", "a.json");
    g_assert_cmpuint(a->problems->len, ==, 1);
    g_assert_nonnull(strstr(a->problems->pdata[0], "a.json: not valid JSON"));
    GString *deep = g_string_new(NULL);
    for (int i = 0; i < 100000; i++)
        g_string_append_c(deep, '[');
    apg_apigee_read_json(a, deep->str, deep->len, "deep.json", NULL);
    g_string_free(deep, TRUE);
    g_assert_nonnull(strstr(a->problems->pdata[1], "nested deeper than 64"));
    /* wrong types: a port that is no number, a list that is an object */
    read_one(a, "{\"name\":\"t\",\"host\":\"h\",\"port\":\"x\",\"sSLInfo\":{\"protocols\":7}}",
             "b.json");
    const apg_target_server *t = server_named(a, "t");
    g_assert_cmpuint(t->port, ==, 0);
    g_assert_cmpuint(t->ssl.protocols->len, ==, 1);                   /* "7", as written */
    read_one(a, "{\"name\":\"u\",\"host\":\"h\xff\xfe\"}", "c.json"); /* not UTF-8 */
    read_one(a, "null", "d.json");
    read_one(a, "[1, \"x\", [], {}]", "e.json");
    g_assert_cmpuint(a->files_ignored, ==, 2);
    /* Documents one after the other in one file (`curl ... >> all.json`):
     * json-glib gives only the first as the root (1.10 aborted on it with an
     * immutable parser, issue 22); every one is read, the file counted once. */
    guint read_before = a->files_read, problems_before = a->problems->len;
    read_one(a,
             "{\"name\": \"t1\", \"host\": \"one.example.test\", \"port\": 8443}\n"
             "[{\"name\": \"t2\", \"host\": \"two.example.test\", \"port\": 443}]\n"
             "{\"name\": \"t3\", \"host\": \"three.example.test\", \"port\": 9443}",
             "f.json");
    g_assert_cmpuint(a->files_read, ==, read_before + 1);
    g_assert_cmpuint(a->problems->len, ==, problems_before);
    const apg_target_server *t1 = server_named(a, "t1"), *t2 = server_named(a, "t2"),
                            *t3 = server_named(a, "t3");
    g_assert_true(t1 && t2 && t3);
    g_assert_cmpuint(t1->port, ==, 8443);
    g_assert_cmpstr(t2->host, ==, "two.example.test");
    g_assert_cmpuint(t3->port, ==, 9443);
    /* ... and a broken one among them makes the file not valid JSON, as before */
    read_one(a, "{\"name\": \"t4\", \"host\": \"h\"} {\"name\": ", "g.json");
    g_assert_null(server_named(a, "t4"));
    g_assert_nonnull(strstr(a->problems->pdata[problems_before], "g.json: not valid JSON"));
    apg_apigee_free(a);
}

static void write_file(const char *path, const char *text)
{
    g_assert_true(g_file_set_contents(path, text, -1, NULL));
}

static void test_bounds(void)
{
    char *dir = g_dir_make_tmp("apg-apigee-XXXXXX", NULL);
    char *big = g_build_filename(dir, "big.json", NULL);
    FILE *f = g_fopen(big, "w");
    g_assert_nonnull(f);
    g_assert_cmpint(ftruncate(fileno(f), 100 << 20), ==, 0); /* 100 MiB, sparse */
    fclose(f);
    char *odd = g_build_filename(dir, "ts-\xff.json", NULL); /* a name that is not UTF-8 */
    write_file(odd, "{\"name\":\"odd\",\"host\":\"h\",\"port\":1}");
    gint64 t0 = g_get_monotonic_time();
    apg_apigee *a = apg_apigee_load(dir, NULL);
    g_assert_cmpint(g_get_monotonic_time() - t0, <, 2 * G_USEC_PER_SEC);
    g_assert_cmpuint(a->problems->len, ==, 2);
    g_assert_nonnull(strstr(a->problems->pdata[0], "big.json: 100.0 MiB, over the 8 MiB"));
    g_assert_nonnull(strstr(a->problems->pdata[1], "not valid UTF-8"));
    g_assert_cmpuint(a->target_servers->len, ==, 1);
    apg_apigee_free(a);
    g_unlink(big);
    g_unlink(odd);
    g_free(big);
    g_free(odd);
    a = apg_apigee_load(dir, NULL); /* empty */
    g_assert_nonnull(strstr(a->problems->pdata[0], "no Apigee export in it"));
    apg_apigee_free(a);
    g_rmdir(dir);
    g_free(dir);
    a = apg_apigee_load("/nonexistent/apigee", NULL);
    g_assert_cmpuint(a->problems->len, ==, 1);
    apg_apigee_free(a);
}

/* 10,000 TargetServer files: all read, in bounded time; 20,001 entries stop. */
static void test_many_files(void)
{
    char *dir = g_dir_make_tmp("apg-apigee-XXXXXX", NULL);
    for (int i = 0; i < 10000; i++) {
        char *path = g_strdup_printf("%s/ts%05d.json", dir, i);
        char *body = g_strdup_printf("{\"name\":\"ts%d\",\"host\":\"h%d\",\"port\":443}", i, i);
        write_file(path, body);
        g_free(path);
        g_free(body);
    }
    gint64 t0 = g_get_monotonic_time();
    apg_apigee *a = apg_apigee_load(dir, NULL);
    gint64 took = g_get_monotonic_time() - t0;
    g_test_message("10,000 files read in %.2f s", took / 1e6);
    /* 0.07 s in the normal build, 0.34 s under ASan since each file's buffer is its
     * own size (a buffer of the 8 MiB bound per file took 7-61 s under ASan) */
    g_assert_cmpint(took, <, 60 * G_USEC_PER_SEC);
    g_assert_cmpuint(a->target_servers->len, ==, 10000);
    g_assert_cmpuint(a->problems->len, ==, 0);
    /* a match is a few lookups, not a walk of 10,000 entries */
    apg_endpoint server;
    g_assert_true(apg_endpoint_parse("10.0.0.1:443", &server));
    apg_match_in in = {APG_DIRECTION_SOUTHBOUND, "h5000", NULL, &server};
    t0 = g_get_monotonic_time();
    for (int i = 0; i < 100000; i++)
        g_assert_cmpint(apg_apigee_match_handshake(a, &in).how, ==, APG_MATCHED_SNI);
    in.sni = NULL;
    g_assert_cmpuint(apg_apigee_match_handshake(a, &in).candidates, ==, 10000);
    took = g_get_monotonic_time() - t0;
    g_test_message("100,000 matches against 10,000 TargetServers in %.2f s", took / 1e6);
    g_assert_cmpint(took, <, 20 * G_USEC_PER_SEC); /* 0.02 s here */
    apg_apigee_free(a);
    apg_apigee_limits few = apg_apigee_default_limits;
    few.max_entries = 100;
    a = apg_apigee_load(dir, &few);
    g_assert_cmpuint(a->target_servers->len, <=, 100);
    g_assert_nonnull(strstr(a->problems->pdata[0], "more than 100 files"));
    apg_apigee_free(a);
    for (int i = 0; i < 10000; i++) {
        char *path = g_strdup_printf("%s/ts%05d.json", dir, i);
        g_unlink(path);
        g_free(path);
    }
    g_rmdir(dir);
    g_free(dir);
}

static void test_match(void)
{
    apg_apigee *a = load_fixture("edge-prod");
    apg_endpoint backend, router;
    g_assert_true(apg_endpoint_parse("127.0.2.1:8443", &backend));
    g_assert_true(apg_endpoint_parse("127.0.1.1:9443", &router));
    apg_match_in in = {APG_DIRECTION_SOUTHBOUND, "BACKEND.example.test", NULL, &backend};
    apg_apigee_match m = apg_apigee_match_handshake(a, &in);
    g_assert_cmpint(m.how, ==, APG_MATCHED_SNI);
    g_assert_cmpstr(m.ts->name, ==, "payments-ts");
    in.sni = "other.example.test"; /* another name on the same port: not this TargetServer */
    g_assert_cmpint(apg_apigee_match_handshake(a, &in).how, ==, APG_MATCHED_NONE);
    in.sni = NULL; /* no name: the port alone, one TargetServer on it */
    m = apg_apigee_match_handshake(a, &in);
    g_assert_cmpint(m.how, ==, APG_MATCHED_PORT);
    g_assert_cmpuint(m.candidates, ==, 1);
    apg_match_in north = {APG_DIRECTION_NORTHBOUND, "api.example.test", NULL, &router};
    m = apg_apigee_match_handshake(a, &north);
    g_assert_cmpstr(m.vh->name, ==, "secure");
    g_assert_null(m.ts); /* northbound never takes a TargetServer */
    north.sni = NULL;    /* no name: the port alone, the one virtual host on 9443 */
    m = apg_apigee_match_handshake(a, &north);
    g_assert_cmpint(m.how, ==, APG_MATCHED_PORT);
    g_assert_cmpstr(m.vh->name, ==, "secure");
    g_assert_cmpuint(m.candidates, ==, 1);
    north.sni = "api.example.test:9001"; /* an alias with a port is matched by its name */
    g_assert_cmpint(apg_apigee_match_handshake(a, &north).how, ==, APG_MATCHED_NONE);
    apg_apigee_free(a);

    a = apg_apigee_new();
    read_one(a,
             "[{\"name\":\"ip\",\"host\":\"127.0.2.1\",\"port\":8443},"
             "{\"name\":\"ip6\",\"host\":\"::1\",\"port\":8443},"
             "{\"name\":\"api\",\"host\":\"API.example.test\",\"port\":8443}]",
             "ts.json");
    for (int indexed = 0; indexed < 2; indexed++) { /* the linear walk and the index agree */
        if (indexed)
            apg_apigee_finish(a);
        in.sni = "backend.example.test";
        m = apg_apigee_match_handshake(a, &in);
        g_assert_cmpint(m.how, ==, APG_MATCHED_ADDRESS);
        g_assert_cmpstr(m.ts->name, ==, "ip");
        apg_endpoint six;
        g_assert_true(apg_endpoint_parse("[::1]:8443", &six));
        apg_match_in v6 = {APG_DIRECTION_SOUTHBOUND, "x.example", NULL, &six};
        g_assert_cmpstr(apg_apigee_match_handshake(a, &v6).ts->name, ==, "ip6");
        /* no SNI: a wildcard certificate name covers the host */
        apg_cert leaf = {.san_dns = g_ptr_array_new(), .n_sans = 1};
        g_ptr_array_add(leaf.san_dns, "*.example.test");
        apg_endpoint other;
        g_assert_true(apg_endpoint_parse("10.9.9.9:8443", &other));
        apg_match_in wild = {APG_DIRECTION_SOUTHBOUND, NULL, &leaf, &other};
        m = apg_apigee_match_handshake(a, &wild);
        g_assert_cmpint(m.how, ==, APG_MATCHED_CERT_NAME);
        g_assert_cmpstr(m.ts->name, ==, "api");
        leaf.n_sans = 0; /* nothing names it: the port alone, all three counted */
        g_ptr_array_set_size(leaf.san_dns, 0);
        m = apg_apigee_match_handshake(a, &wild);
        g_assert_cmpint(m.how, ==, APG_MATCHED_PORT);
        g_assert_cmpuint(m.candidates, ==, 3);
        g_ptr_array_free(leaf.san_dns, TRUE);
    }
    apg_apigee_free(a);
}

static void test_suites(void)
{
    g_assert_cmpstr(apg_openssl_suite_name(0xc013), ==, "ECDHE-RSA-AES128-SHA");
    g_assert_cmpstr(apg_openssl_suite_name(0x002f), ==, "AES128-SHA");
    g_assert_null(apg_openssl_suite_name(0x00ff)); /* the renegotiation SCSV */
    guint16 id = 0;
    g_assert_true(apg_standard_suite_id("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", &id));
    g_assert_cmpuint(id, ==, 0xc02f);
    g_assert_true(apg_standard_suite_id("SSL_RSA_WITH_AES_128_CBC_SHA", &id)); /* JSSE alias */
    g_assert_cmpuint(id, ==, 0x002f);
    GArray *one = apg_openssl_cipher_list("ECDHE-RSA-AES256-GCM-SHA384");
    g_assert_cmpuint(one->len, ==, 1);
    g_assert_cmpuint(g_array_index(one, guint16, 0), ==, 0xc030);
    g_array_free(one, TRUE);
    GArray *high = apg_openssl_cipher_list("HIGH:!aNULL:!MD5");
    g_assert_cmpuint(high->len, >, 10);
    g_array_free(high, TRUE);
    GArray *none = apg_openssl_cipher_list("NOT-A-CIPHER");
    g_assert_cmpuint(none->len, ==, 0);
    g_array_free(none, TRUE);
}

static void test_audit_and_product(void)
{
    apg_apigee *a = load_fixture("edge-maven");
    GPtrArray *lines = apg_apigee_audit(a, 1764806400, 30);
    g_assert_cmpuint(lines->len, ==, 4); /* written into the fixture on purpose */
    g_ptr_array_free(lines, TRUE);
    g_assert_true(apg_apigee_set_product(a, "edge-opdk-4.53.01"));
    g_assert_cmpint(a->product, ==, APG_PRODUCT_EDGE_OPDK);
    g_assert_true(apg_apigee_version_at_least(a, 4, 51));
    g_assert_false(apg_apigee_version_at_least(a, 4, 54));
    g_assert_false(apg_apigee_set_product(a, "edge-opdk-four"));
    g_assert_true(apg_apigee_set_product(a, "x"));
    apg_apigee_free(a);
    a = load_fixture("edge-prod");
    lines = apg_apigee_audit(a, 1764806400, 30);
    g_assert_cmpuint(lines->len, ==, 2); /* the two expired aliases */
    g_assert_nonnull(strstr(lines->pdata[0], "`ks-mp` alias `mp-client`"));
    g_ptr_array_free(lines, TRUE);
    apg_apigee_free(a);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/apigee/edge-sackmesser", test_edge_sackmesser);
    g_test_add_func("/apigee/maven-and-x", test_maven_and_x);
    g_test_add_func("/apigee/dn", test_dn);
    g_test_add_func("/apigee/bad-json", test_bad_json);
    g_test_add_func("/apigee/bounds", test_bounds);
    g_test_add_func("/apigee/many-files", test_many_files);
    g_test_add_func("/apigee/match", test_match);
    g_test_add_func("/apigee/suites", test_suites);
    g_test_add_func("/apigee/audit-and-product", test_audit_and_product);
    return g_test_run();
}
