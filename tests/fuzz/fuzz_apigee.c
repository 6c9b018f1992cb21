/* fuzz_apigee.c - libFuzzer harness: the Apigee export reader on arbitrary
 * bytes, as JSON under several paths (the environment and store names come
 * from them) and as PEM; then what reads the model: references, store
 * lookups, the matcher and the configuration check.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_apigee_advice.h"
#include "apg_apigee_audit.h"

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

static void use(const apg_apigee *a)
{
    apg_endpoint server;
    if (!apg_endpoint_parse("127.0.2.1:8443", &server))
        return;
    const char *names[] = {NULL, "backend.example.test", "api.example.test"};
    for (guint i = 0; i < G_N_ELEMENTS(names); i++)
        for (int dir = APG_DIRECTION_UNKNOWN; dir <= APG_DIRECTION_SOUTHBOUND; dir++) {
            apg_match_in in = {(apg_direction)dir, names[i], NULL, &server};
            (void)apg_apigee_match_handshake(a, &in);
        }
    for (guint i = 0; i < a->target_servers->len; i++) {
        const apg_target_server *t = a->target_servers->pdata[i];
        const char *ks = apg_apigee_resolve(a, t->ssl.key_store, t->from.env);
        GPtrArray *certs = apg_apigee_store_certs(a, ks, t->ssl.key_alias, t->from.env);
        g_ptr_array_free(certs, TRUE);
    }
    GPtrArray *lines = apg_apigee_audit(a, 1700000000, 30);
    g_ptr_array_free(lines, TRUE);
    char *report = apg_apigee_report(a, 1700000000, 30, "fuzz", NULL);
    g_free(report);
}

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
    static const char *files[] = {"environments/prod/targetservers/t.json",
                                  "environments/prod/keystores/ks/alias.json",
                                  "resources/edge/env/test/keystores.json", "x.json"};
    apg_apigee *a = apg_apigee_new();
    for (guint i = 0; i < G_N_ELEMENTS(files); i++)
        apg_apigee_read_json(a, (const char *)data, size, files[i], NULL);
    apg_apigee_read_pem(a, (const char *)data, size, "truststores/ts/root.pem");
    apg_apigee_finish(a);
    use(a);
    apg_apigee_free(a);
    return 0;
}
