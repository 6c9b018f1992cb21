/* fuzz_cert.c - libFuzzer harness: certificate analysis on arbitrary bytes.
 * The input is split at the first "\n--\n" into two DER blobs (a leaf and its
 * issuer), parsed through the certificate cache and checked as a chain at a
 * fixed capture time, with and without a host name.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "apg_cert.h"

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
    static const guint8 sep[] = "\n--\n";
    const guint8 *cut = NULL;
    for (size_t i = 0; i + 4 <= size; i++)
        if (memcmp(data + i, sep, 4) == 0) {
            cut = data + i;
            break;
        }
    GPtrArray *chain = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    g_ptr_array_add(chain, g_bytes_new(data, cut ? (gsize)(cut - data) : size));
    if (cut)
        g_ptr_array_add(chain, g_bytes_new(cut + 4, size - (gsize)(cut - data) - 4));
    apg_cert_cache *cache = apg_cert_cache_new();
    for (guint i = 0; i < chain->len; i++)
        (void)apg_cert_cache_get(cache, g_ptr_array_index(chain, i));
    const char *names[] = {NULL, "backend.example.test", "*.example.test", "10.0.0.1"};
    for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
        apg_chain_report r = apg_chain_check(cache, chain, names[i], 1700000000, NULL, 30);
        apg_chain_report_clear(&r);
    }
    apg_cert_cache_free(cache);
    g_ptr_array_free(chain, TRUE);
    return 0;
}
