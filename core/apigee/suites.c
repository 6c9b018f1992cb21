/* suites.c - cipher suites in the names each setting takes, from OpenSSL's
 * own tables: the Router and virtual hosts take OpenSSL names and cipher
 * strings (nginx hands them to OpenSSL), TargetServers take IANA/JSSE
 * names. A string such as "HIGH:!aNULL" is evaluated by OpenSSL, as nginx
 * does, never by hand.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "remedy.h"

#include <string.h>

#include <openssl/ssl.h>

typedef struct {
    GHashTable *openssl_by_id;  /* GUINT_TO_POINTER(id) -> OpenSSL name */
    GHashTable *id_by_standard; /* IANA name -> GUINT_TO_POINTER(id + 1) */
} suite_tables;

/* Every suite this OpenSSL knows, at security level 0 so none is hidden. */
static SSL_CTX *new_ctx(void)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_method());
    if (ctx)
        SSL_CTX_set_security_level(ctx, 0);
    return ctx;
}

static const suite_tables *tables(void)
{
    static suite_tables t;
    if (t.openssl_by_id)
        return &t;
    t.openssl_by_id = g_hash_table_new_full(NULL, NULL, NULL, g_free);
    t.id_by_standard = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    SSL_CTX *ctx = new_ctx();
    if (ctx && SSL_CTX_set_cipher_list(ctx, "ALL:COMPLEMENTOFALL")) {
        STACK_OF(SSL_CIPHER) *list = SSL_CTX_get_ciphers(ctx);
        for (int i = 0; i < sk_SSL_CIPHER_num(list); i++) {
            const SSL_CIPHER *c = sk_SSL_CIPHER_value(list, i);
            guint id = SSL_CIPHER_get_protocol_id(c);
            g_hash_table_insert(t.openssl_by_id, GUINT_TO_POINTER(id),
                                g_strdup(SSL_CIPHER_get_name(c)));
            const char *std = SSL_CIPHER_standard_name(c);
            if (std)
                g_hash_table_insert(t.id_by_standard, g_strdup(std), GUINT_TO_POINTER(id + 1));
        }
    }
    SSL_CTX_free(ctx);
    return &t;
}

const char *apg_openssl_suite_name(guint16 id)
{
    return g_hash_table_lookup(tables()->openssl_by_id, GUINT_TO_POINTER((guint)id));
}

/* JSSE still accepts "SSL_RSA_WITH_..." for the TLS_ names. */
gboolean apg_standard_suite_id(const char *name, guint16 *id)
{
    if (!name)
        return FALSE;
    char *tls =
        g_str_has_prefix(name, "SSL_") ? g_strconcat("TLS_", name + 4, NULL) : g_strdup(name);
    gpointer v = g_hash_table_lookup(tables()->id_by_standard, tls);
    g_free(tls);
    if (v)
        *id = (guint16)(GPOINTER_TO_UINT(v) - 1);
    return v != NULL;
}

GArray *apg_openssl_cipher_list(const char *spec)
{
    GArray *ids = g_array_new(FALSE, FALSE, sizeof(guint16));
    SSL_CTX *ctx = new_ctx();
    if (ctx && spec && SSL_CTX_set_cipher_list(ctx, spec)) {
        STACK_OF(SSL_CIPHER) *list = SSL_CTX_get_ciphers(ctx);
        for (int i = 0; i < sk_SSL_CIPHER_num(list); i++) {
            guint16 id = (guint16)SSL_CIPHER_get_protocol_id(sk_SSL_CIPHER_value(list, i));
            if ((id >> 8) != 0x13) /* TLS 1.3 suites: ssl_ciphers does not set them */
                g_array_append_val(ids, id);
        }
    }
    SSL_CTX_free(ctx);
    return ids;
}
