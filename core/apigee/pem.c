/* pem.c - PEM certificates beside the JSON (keystores/<ks>/<alias>.pem,
 * truststores/<ts>/<alias>.crt), read with GnuTLS: each becomes a store
 * certificate with the facts of its parsed form.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_apigee.h"

#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#define PEM_MAX_CERTS 64 /* a chain, or a bundle of roots */

/* The store is the folder after keystores/ or truststores/, else the file's
 * own folder; the alias the file's name. */
static void names_of(const char *file, char **store, char **alias)
{
    char *dir = g_path_get_dirname(file);
    char *base = g_path_get_basename(file);
    char *dot = strrchr(base, '.');
    if (dot && dot != base)
        *dot = '\0';
    *store = g_path_get_basename(dir);
    *alias = base;
    g_free(dir);
}

static void add_pem_cert(apg_apigee *a, const apg_cert *c, const char *file, const char *store,
                         const char *alias)
{
    apg_store_cert *s = g_new0(apg_store_cert, 1);
    s->from.file = g_strdup(file);
    const char *env = strstr(file, "environments/");
    if (env) {
        env += strlen("environments/");
        s->from.env = g_strndup(env, strcspn(env, "/"));
    }
    s->store = g_strdup(store);
    s->alias = g_strdup(alias);
    s->subject = g_strdup(c->subject);
    s->issuer = g_strdup(c->issuer);
    s->serial = g_strdup(c->serial);
    s->not_before = c->not_before;
    s->not_after = c->not_after;
    s->pem = c;
    g_ptr_array_add(a->certs, s);
}

void apg_apigee_read_pem(apg_apigee *a, const char *data, gsize len, const char *file)
{
    gnutls_x509_crt_t *list = NULL;
    unsigned n = 0;
    gnutls_datum_t in = {(unsigned char *)data, (unsigned)MIN(len, G_MAXUINT)};
    int rc = gnutls_x509_crt_list_import2(&list, &n, &in, GNUTLS_X509_FMT_PEM, 0);
    if (rc < 0 || !n) {
        apg_apigee_problem(a, NULL, "%s: no PEM certificate read (%s)", file,
                           rc < 0 ? gnutls_strerror(rc) : "none in it");
        a->files_ignored++;
        return;
    }
    char *store, *alias;
    names_of(file, &store, &alias);
    if (!apg_apigee_has_store(a, store))
        g_ptr_array_add(a->stores, g_strdup(store));
    for (unsigned i = 0; i < n; i++) {
        gnutls_datum_t der = {0};
        if (i < PEM_MAX_CERTS && gnutls_x509_crt_export2(list[i], GNUTLS_X509_FMT_DER, &der) >= 0) {
            GBytes *bytes = g_bytes_new(der.data, der.size);
            const apg_cert *c = apg_cert_cache_get(a->cert_cache, bytes);
            if (c && !c->malformed)
                add_pem_cert(a, c, file, store, alias);
            g_bytes_unref(bytes);
            gnutls_free(der.data);
        }
        gnutls_x509_crt_deinit(list[i]);
    }
    gnutls_free(list);
    g_free(store);
    g_free(alias);
    a->files_read++;
}
