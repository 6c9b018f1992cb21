/* apg_truststore.c - a PEM bundle of trusted roots (the Message Processor's
 * or the Router's truststore, or the system bundle), read with GnuTLS.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_cert.h"
#include "apg_file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

struct apg_truststore {
    gnutls_x509_trust_list_t list;
    guint refs;
    /* the file it was read from, as it was: a preference apply that keeps
     * the path and finds the file unchanged does not read it again */
    char *path;
    dev_t dev;
    ino_t ino;
    off_t size;
    gint64 mtime_ns;
};

/* Bundles of every public root are a few hundred KiB and about 150
 * certificates: anything far larger, or not a regular file (a FIFO,
 * /dev/zero), is not a truststore. The file is read here, within the byte
 * bound, and GnuTLS gets the bytes: a /proc file is "regular" with size 0
 * and would be read without end. */
#define TRUSTSTORE_MAX_BYTES (64 * 1024 * 1024)
#define TRUSTSTORE_MAX_CERTS 20000

/* The newest store, with a reference of its own (the configuration is
 * rebuilt on every preference apply, dropping its store before it asks
 * for the same path again). */
static apg_truststore *newest;

static gboolean same_file(const apg_truststore *s, const char *path, const GStatBuf *st)
{
    return s && !strcmp(s->path, path) && s->dev == st->st_dev && s->ino == st->st_ino &&
           s->size == st->st_size &&
           s->mtime_ns == (gint64)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

static guint count_pem_certs(const char *data, gsize len)
{
    static const char marker[] = "-----BEGIN ";
    guint n = 0;
    for (const char *p = data, *end = data + len; (p = g_strstr_len(p, end - p, marker)) != NULL;
         p += sizeof marker - 1)
        n++;
    return n;
}

/* The trust list of the PEM bytes, sized for them (GnuTLS's default of
 * 127 buckets made 10,000 certificates take 2.9 s instead of 0.3). */
static apg_truststore *trust_list_of(const char *data, gsize len, const char **why)
{
    guint n = count_pem_certs(data, len);
    if (n > TRUSTSTORE_MAX_CERTS) {
        *why = "more than 20,000 certificates";
        return NULL;
    }
    apg_truststore *s = g_new0(apg_truststore, 1);
    gnutls_datum_t pem = {(unsigned char *)data, (unsigned)len};
    int rc = gnutls_x509_trust_list_init(&s->list, 2 * n + 1);
    if (rc >= 0)
        rc = gnutls_x509_trust_list_add_trust_mem(s->list, &pem, NULL, GNUTLS_X509_FMT_PEM, 0, 0);
    if (rc <= 0) {
        *why = rc == 0 ? "no certificate in it" : gnutls_strerror(rc);
        if (rc != GNUTLS_E_MEMORY_ERROR)
            gnutls_x509_trust_list_deinit(s->list, 1);
        g_free(s);
        return NULL;
    }
    return s;
}

static apg_truststore *read_store(const char *path, int fd, const GStatBuf *st, const char **why)
{
    gsize len = 0;
    gboolean too_big;
    char *data =
        apg_file_read_bounded(fd, (gsize)st->st_size, TRUSTSTORE_MAX_BYTES, &len, &too_big);
    if (!data) {
        *why = too_big ? "larger than 64 MiB" : g_strerror(errno);
        return NULL;
    }
    apg_truststore *s = trust_list_of(data, len, why);
    g_free(data);
    if (!s)
        return NULL;
    s->path = g_strdup(path);
    s->dev = st->st_dev;
    s->ino = st->st_ino;
    s->size = st->st_size;
    s->mtime_ns = (gint64)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
    return s;
}

apg_truststore *apg_truststore_load(const char *pem_path, char **error)
{
    const char *why = NULL;
    apg_truststore *s = NULL;
    GStatBuf st;
    int fd = g_open(pem_path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
    if (fd < 0)
        why = g_strerror(errno);
    else if (fstat(fd, &st) != 0)
        why = g_strerror(errno);
    else if (!S_ISREG(st.st_mode))
        why = "not a regular file";
    else if (st.st_size > TRUSTSTORE_MAX_BYTES)
        why = "larger than 64 MiB";
    else if (same_file(newest, pem_path, &st))
        s = newest;
    else if ((s = read_store(pem_path, fd, &st, &why)) != NULL) {
        apg_truststore_free(newest);
        newest = s;
        s->refs = 1;
    }
    if (fd >= 0)
        close(fd);
    if (!s) {
        if (error)
            *error = g_strdup_printf("%s: %s", pem_path, why);
        return NULL;
    }
    s->refs++;
    return s;
}

void apg_truststore_free(apg_truststore *store)
{
    if (!store || --store->refs)
        return;
    if (store == newest)
        newest = NULL;
    gnutls_x509_trust_list_deinit(store->list, 1);
    g_free(store->path);
    g_free(store);
}

static gboolean trusts(const apg_truststore *store, gnutls_x509_crt_t *chain, guint n)
{
    unsigned status = 0;
    /* Time is judged by the capture's frame time elsewhere, never here. */
    unsigned flags = GNUTLS_VERIFY_DISABLE_TIME_CHECKS | GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS |
                     GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1;
    return gnutls_x509_trust_list_verify_crt2(store->list, chain, n, NULL, 0, flags, &status,
                                              NULL) >= 0 &&
           status == 0;
}

void apg_truststore_check_chain(const apg_truststore *store, apg_chain_report *r,
                                const apg_cert *const *certs)
{
    for (guint i = 0; i < r->n; i++)
        if (certs[i]->key_too_large)
            return; /* GnuTLS would verify the chain's signatures with that key */
    gnutls_x509_crt_t chain[16];
    guint n = MIN(r->n, G_N_ELEMENTS(chain));
    for (guint i = 0; i < n; i++)
        chain[i] = certs[i]->opaque;
    r->trust_checked = TRUE;
    r->trusted = trusts(store, chain, n);
    /* a leaf issued by a truststore certificate needs nothing more */
    if (r->issuer_may_be_root && r->trusted) {
        r->chain = APG_CHAIN_OK;
        r->issuer_may_be_root = FALSE;
        g_clear_pointer(&r->chain_detail, g_free);
    }
}
