/* apg_truststore.c - a PEM bundle of trusted roots (the Message Processor's
 * or the Router's truststore, or the system bundle), read with GnuTLS.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_cert.h"

#include <errno.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

struct apg_truststore {
    gnutls_x509_trust_list_t list;
};

/* Bundles of every public root are a few hundred KiB: anything far larger,
 * or not a regular file (a FIFO, /dev/zero), is not a truststore. */
#define TRUSTSTORE_MAX_BYTES (64 * 1024 * 1024)

static gboolean truststore_file_ok(const char *path, char **error)
{
    GStatBuf st;
    const char *why = NULL;
    if (g_stat(path, &st) != 0)
        why = g_strerror(errno);
    else if (!S_ISREG(st.st_mode))
        why = "not a regular file";
    else if (st.st_size > TRUSTSTORE_MAX_BYTES)
        why = "larger than 64 MiB";
    if (why && error)
        *error = g_strdup_printf("%s: %s", path, why);
    return why == NULL;
}

apg_truststore *apg_truststore_load(const char *pem_path, char **error)
{
    if (!truststore_file_ok(pem_path, error))
        return NULL;
    apg_truststore *s = g_new0(apg_truststore, 1);
    int rc = gnutls_x509_trust_list_init(&s->list, 0);
    if (rc >= 0)
        rc = gnutls_x509_trust_list_add_trust_file(s->list, pem_path, NULL, GNUTLS_X509_FMT_PEM, 0,
                                                   0);
    if (rc <= 0) {
        if (error)
            *error = g_strdup_printf("%s: %s", pem_path,
                                     rc == 0 ? "no certificate in it" : gnutls_strerror(rc));
        if (rc != GNUTLS_E_MEMORY_ERROR)
            gnutls_x509_trust_list_deinit(s->list, 1);
        g_free(s);
        return NULL;
    }
    return s;
}

void apg_truststore_free(apg_truststore *store)
{
    if (!store)
        return;
    gnutls_x509_trust_list_deinit(store->list, 1);
    g_free(store);
}

gboolean apg_truststore_trusts(const apg_truststore *store, gpointer *chain, guint n)
{
    unsigned status = 0;
    /* Time is judged by the capture's frame time elsewhere, never here. */
    unsigned flags = GNUTLS_VERIFY_DISABLE_TIME_CHECKS | GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS |
                     GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1;
    return gnutls_x509_trust_list_verify_crt2(store->list, (gnutls_x509_crt_t *)chain, n, NULL, 0,
                                              flags, &status, NULL) >= 0 &&
           status == 0;
}
