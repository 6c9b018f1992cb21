/* apg_cert.c - certificates parsed and checked with GnuTLS.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_cert.h"
#include "apg_cert_findings.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#define MAX_FIELD    1024 /* longest name or DN we keep */
#define MIN_RSA_BITS 2048
#define MAX_SAN_WALK 8192
#define DAY          (24 * 3600)

struct apg_cert_cache {
    GHashTable *by_der; /* GBytes (by content) -> apg_cert */
    /* The same by the GBytes' address, held: the capture hands the same
     * interned GBytes every time, and hashing a DER's content on every
     * check was a tenth of the plugin's time. */
    GHashTable *by_address;
    /* Results that do not depend on the handshake: every handshake with a
     * server shows the same chain, and verifying a signature costs more than
     * the rest of a handshake's diagnosis. */
    GHashTable *signatures; /* "child parent" pointer pair -> link_signature + 1 */
    guint signature_checks; /* made, at most APG_CERT_MAX_SIGNATURE_CHECKS */
    GHashTable *hostnames;  /* "leaf pointer/name" -> TRUE/FALSE + 1 */
};

/* Printable, bounded copy of attacker-chosen bytes. */
static char *escaped(const char *data, gsize len)
{
    GString *s = g_string_sized_new(MIN(len, MAX_FIELD));
    for (gsize i = 0; i < len && s->len < MAX_FIELD; i++) {
        guchar c = (guchar)data[i];
        if (c < 0x20 || c == 0x7f)
            g_string_append_printf(s, "\\x%02x", c);
        else
            g_string_append_c(s, (char)c);
    }
    if (!g_utf8_validate(s->str, -1, NULL)) {
        char *valid = g_utf8_make_valid(s->str, -1);
        g_string_free(s, TRUE);
        return valid;
    }
    return g_string_free(s, FALSE);
}

static char *datum_text(int (*get)(gnutls_x509_crt_t, gnutls_datum_t *, unsigned),
                        gnutls_x509_crt_t crt)
{
    gnutls_datum_t d = {NULL, 0};
    if (get(crt, &d, 0) < 0)
        return g_strdup("");
    char *s = escaped((const char *)d.data, d.size);
    gnutls_free(d.data);
    return s;
}

/* GnuTLS hands back values it cannot show as text (an embedded NUL, say) as
 * "#" and the hex of their DER: decode that to see the bytes. */
static gboolean decode_hex_der(const char *text, gsize len, GByteArray *out)
{
    if (len < 5 || text[0] != '#' || len % 2 == 0)
        return FALSE;
    for (gsize i = 1; i + 1 < len; i += 2) {
        int hi = g_ascii_xdigit_value(text[i]), lo = g_ascii_xdigit_value(text[i + 1]);
        if (hi < 0 || lo < 0)
            return FALSE;
        guint8 b = (guint8)(hi << 4 | lo);
        g_byte_array_append(out, &b, 1);
    }
    if (out->len < 2 || out->data[1] >= 0x80 || out->data[1] + 2u != out->len)
        return FALSE; /* only short DER lengths: CNs are at most 64 characters */
    g_byte_array_remove_range(out, 0, 2);
    return TRUE;
}

static void read_cn(apg_cert *c, gnutls_x509_crt_t crt)
{
    char buf[MAX_FIELD];
    size_t size = sizeof buf;
    if (gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, buf, &size) < 0)
        return;
    GByteArray *raw = g_byte_array_new();
    if (decode_hex_der(buf, size, raw)) {
        c->cn_has_nul = memchr(raw->data, '\0', raw->len) != NULL;
        c->cn = escaped((const char *)raw->data, raw->len);
    } else {
        c->cn_has_nul = memchr(buf, '\0', size) != NULL;
        c->cn = escaped(buf, size);
    }
    g_byte_array_free(raw, TRUE);
}

static char *ip_text(const unsigned char *b, size_t n)
{
    if (n == 4)
        return g_strdup_printf("%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
    GString *s = g_string_new(NULL);
    for (size_t i = 0; i + 1 < n; i += 2)
        g_string_append_printf(s, "%s%x", i ? ":" : "", (b[i] << 8) | b[i + 1]);
    return g_string_free(s, FALSE);
}

static void read_sans(apg_cert *c, gnutls_x509_crt_t crt)
{
    /* Each look-up re-reads the extension: cap the walk so a hostile
     * certificate cannot make it quadratic without bound. */
    for (unsigned seq = 0; seq < MAX_SAN_WALK; seq++) {
        unsigned char buf[MAX_FIELD];
        size_t size = sizeof buf;
        int type = gnutls_x509_crt_get_subject_alt_name(crt, seq, buf, &size, NULL);
        if (type == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
            break;
        if (type == GNUTLS_E_SHORT_MEMORY_BUFFER)
            continue; /* an absurdly long name: counted as nothing */
        if (type < 0)
            break;
        c->n_sans++;
        if (type == GNUTLS_SAN_DNSNAME && c->san_dns->len < APG_CERT_MAX_SANS)
            g_ptr_array_add(c->san_dns, escaped((const char *)buf, size));
        else if (type == GNUTLS_SAN_IPADDRESS && c->san_ip->len < APG_CERT_MAX_SANS)
            g_ptr_array_add(c->san_ip, ip_text(buf, size));
    }
}

static void read_key_and_signature(apg_cert *c, gnutls_x509_crt_t crt)
{
    unsigned bits = 0;
    int pk = gnutls_x509_crt_get_pk_algorithm(crt, &bits);
    const char *pk_name = pk >= 0 ? gnutls_pk_algorithm_get_name(pk) : NULL;
    c->key_algorithm = g_strdup(pk_name ? pk_name : "unknown");
    c->key_bits = bits;
    if (pk == GNUTLS_PK_RSA) {
        gnutls_datum_t m = {NULL, 0}, e = {NULL, 0};
        if (gnutls_x509_crt_get_pk_rsa_raw(crt, &m, &e) == 0) {
            guint skip = 0; /* leading zero bytes */
            while (skip < e.size && !e.data[skip])
                skip++;
            c->key_exponent_bits = skip < e.size ? (e.size - skip) * 8u : 0;
        }
        gnutls_free(m.data);
        gnutls_free(e.data);
    }
    c->key_too_large =
        ((pk == GNUTLS_PK_RSA || pk == GNUTLS_PK_DSA) && bits > APG_CERT_MAX_VERIFY_BITS) ||
        c->key_exponent_bits > APG_CERT_MAX_EXPONENT_BITS;
    int sig = gnutls_x509_crt_get_signature_algorithm(crt);
    const char *sig_name = sig >= 0 ? gnutls_sign_get_name(sig) : NULL;
    c->signature_algorithm = g_strdup(sig_name ? sig_name : "unknown");
}

static char *hex(const unsigned char *b, size_t n)
{
    GString *s = g_string_new(NULL);
    for (size_t i = 0; i < n; i++)
        g_string_append_printf(s, "%02x", b[i]);
    return g_string_free(s, FALSE);
}

static void read_key_ids(apg_cert *c, gnutls_x509_crt_t crt)
{
    unsigned char buf[64];
    size_t size = sizeof buf;
    if (gnutls_x509_crt_get_subject_key_id(crt, buf, &size, NULL) >= 0)
        c->subject_key_id = hex(buf, size);
    size = sizeof buf;
    if (gnutls_x509_crt_get_authority_key_id(crt, buf, &size, NULL) >= 0)
        c->authority_key_id = hex(buf, size);
}

static void read_serial(apg_cert *c, gnutls_x509_crt_t crt)
{
    unsigned char buf[64];
    size_t size = sizeof buf;
    GString *s = g_string_new(NULL);
    if (gnutls_x509_crt_get_serial(crt, buf, &size) >= 0)
        for (size_t i = 0; i < size; i++)
            g_string_append_printf(s, "%02x", buf[i]);
    c->serial = g_string_free(s, FALSE);
}

static apg_cert *cert_parse(GBytes *der)
{
    apg_cert *c = g_new0(apg_cert, 1);
    c->san_dns = g_ptr_array_new_with_free_func(g_free);
    c->san_ip = g_ptr_array_new_with_free_func(g_free);
    gsize len;
    const guchar *data = g_bytes_get_data(der, &len);
    gnutls_datum_t datum = {(unsigned char *)data, (unsigned)len};
    gnutls_x509_crt_t crt;
    int rc = gnutls_x509_crt_init(&crt);
    if (rc >= 0)
        rc = gnutls_x509_crt_import(crt, &datum, GNUTLS_X509_FMT_DER);
    if (rc < 0) {
        c->malformed = TRUE;
        c->error = g_strdup(gnutls_strerror(rc));
        if (rc != GNUTLS_E_MEMORY_ERROR)
            gnutls_x509_crt_deinit(crt);
        return c;
    }
    c->opaque = crt;
    c->subject = datum_text(gnutls_x509_crt_get_dn3, crt);
    c->issuer = datum_text(gnutls_x509_crt_get_issuer_dn3, crt);
    read_cn(c, crt);
    read_sans(c, crt);
    c->not_before = gnutls_x509_crt_get_activation_time(crt);
    c->not_after = gnutls_x509_crt_get_expiration_time(crt);
    read_serial(c, crt);
    read_key_ids(c, crt);
    read_key_and_signature(c, crt);
    unsigned ca = 0;
    c->is_ca = gnutls_x509_crt_get_basic_constraints(crt, NULL, &ca, NULL) >= 0 && ca;
    c->self_issued = g_strcmp0(c->subject, c->issuer) == 0;
    gnutls_datum_t issuer = {NULL, 0};
    if (gnutls_x509_crt_get_raw_issuer_dn(crt, &issuer) >= 0 && issuer.size)
        c->raw_issuer = g_bytes_new(issuer.data, issuer.size);
    gnutls_free(issuer.data);
    return c;
}

static void cert_free(gpointer p)
{
    apg_cert *c = p;
    if (c->opaque)
        gnutls_x509_crt_deinit(c->opaque);
    g_free(c->error);
    g_free(c->subject);
    g_free(c->issuer);
    g_free(c->cn);
    g_ptr_array_free(c->san_dns, TRUE);
    g_ptr_array_free(c->san_ip, TRUE);
    g_free(c->serial);
    g_free(c->subject_key_id);
    g_free(c->authority_key_id);
    g_free(c->key_algorithm);
    g_free(c->signature_algorithm);
    if (c->raw_issuer)
        g_bytes_unref(c->raw_issuer);
    g_free(c);
}

apg_cert_cache *apg_cert_cache_new(void)
{
    apg_cert_cache *cache = g_new0(apg_cert_cache, 1);
    cache->by_der = g_hash_table_new_full(g_bytes_hash, g_bytes_equal,
                                          (GDestroyNotify)g_bytes_unref, cert_free);
    cache->by_address =
        g_hash_table_new_full(g_direct_hash, g_direct_equal, (GDestroyNotify)g_bytes_unref, NULL);
    cache->signatures = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    cache->hostnames = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    return cache;
}

void apg_cert_cache_free(apg_cert_cache *cache)
{
    if (!cache)
        return;
    g_hash_table_destroy(cache->signatures);
    g_hash_table_destroy(cache->hostnames);
    g_hash_table_destroy(cache->by_address);
    g_hash_table_destroy(cache->by_der);
    g_free(cache);
}

const apg_cert *apg_cert_cache_get(apg_cert_cache *cache, GBytes *der)
{
    apg_cert *c = g_hash_table_lookup(cache->by_address, der);
    if (c)
        return c;
    c = g_hash_table_lookup(cache->by_der, der);
    if (!c) {
        c = cert_parse(der);
        g_hash_table_insert(cache->by_der, g_bytes_ref(der), c);
    }
    g_hash_table_insert(cache->by_address, g_bytes_ref(der), c);
    return c;
}

/* --- the checks ------------------------------------------------------- */

typedef enum { LINK_NOT_SIGNED, LINK_SIGNED, LINK_KEY_TOO_LARGE, LINK_CHECKS_SPENT } link_signature;

static gboolean signed_by(const apg_cert *child, const apg_cert *parent)
{
    unsigned status = 0;
    gnutls_x509_crt_t ca = parent->opaque;
    unsigned flags = GNUTLS_VERIFY_DISABLE_TIME_CHECKS | GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS |
                     GNUTLS_VERIFY_ALLOW_BROKEN | GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1 |
                     GNUTLS_VERIFY_DISABLE_CA_SIGN;
    if (gnutls_x509_crt_verify(child->opaque, &ca, 1, flags, &status) < 0)
        return FALSE;
    return (status & (GNUTLS_CERT_SIGNATURE_FAILURE | GNUTLS_CERT_SIGNER_NOT_FOUND)) == 0;
}

/* A result kept in a memo table: 0 unknown, 1 false, 2 true. */
static gboolean memo_get(GHashTable *memo, const char *key, gboolean *result)
{
    guint v = GPOINTER_TO_UINT(g_hash_table_lookup(memo, key));
    *result = v == 2;
    return v != 0;
}

static gboolean memo_put(GHashTable *memo, char *key, gboolean result)
{
    g_hash_table_insert(memo, key, GUINT_TO_POINTER(result ? 2u : 1u));
    return result;
}

/* Each link checked once per capture, and never with a key too large. */
static link_signature signed_by_cached(apg_cert_cache *cache, const apg_cert *child,
                                       const apg_cert *parent)
{
    char key[48];
    g_snprintf(key, sizeof key, "%p %p", (const void *)child, (const void *)parent);
    guint seen = GPOINTER_TO_UINT(g_hash_table_lookup(cache->signatures, key));
    if (seen)
        return (link_signature)(seen - 1);
    link_signature result;
    if (parent->key_too_large)
        result = LINK_KEY_TOO_LARGE;
    else if (cache->signature_checks >= APG_CERT_MAX_SIGNATURE_CHECKS)
        return LINK_CHECKS_SPENT; /* not kept: unknown, not false */
    else {
        cache->signature_checks++;
        result = signed_by(child, parent) ? LINK_SIGNED : LINK_NOT_SIGNED;
    }
    g_hash_table_insert(cache->signatures, g_strdup(key), GUINT_TO_POINTER(result + 1u));
    return result;
}

static gboolean hostname_matches(apg_cert_cache *cache, const apg_cert *leaf, const char *name)
{
    char *key = g_strdup_printf("%p/%s", (const void *)leaf, name);
    gboolean result;
    if (memo_get(cache->hostnames, key, &result)) {
        g_free(key);
        return result;
    }
    return memo_put(cache->hostnames, key,
                    !leaf->cn_has_nul && gnutls_x509_crt_check_hostname2(leaf->opaque, name, 0));
}

/* By name only, as the playbook compares them: the signature and key ids
 * are checked apart, so a look-alike intermediate shows as invalid. */
static gboolean names_issuer(const apg_cert *child, const apg_cert *parent)
{
    return g_strcmp0(child->issuer, parent->subject) == 0;
}

/* Walks the chain as sent: each certificate must be issued, and signed, by
 * one that follows it. */
static void check_links(apg_cert_cache *cache, apg_chain_report *r, const apg_cert **certs)
{
    for (guint i = 0; i < r->n; i++) {
        const apg_cert *c = certs[i];
        if (c->self_issued)
            break; /* a root ends the chain */
        gint parent = -1;
        for (guint j = 0; j < r->n; j++)
            if (j != i && names_issuer(c, certs[j])) {
                parent = (gint)j;
                break;
            }
        if (parent < 0) {
            /* The last certificate's issuer may be a root the peer holds. */
            if (i + 1 < r->n || i == 0) {
                r->chain = APG_CHAIN_INCOMPLETE;
                r->chain_bad_index = i;
                r->chain_detail = g_strdup(c->issuer);
                r->issuer_may_be_root = r->n == 1;
            }
            return;
        }
        if ((guint)parent != i + 1)
            r->out_of_order = TRUE;
        link_signature sig = signed_by_cached(cache, c, certs[parent]);
        if (sig == LINK_KEY_TOO_LARGE || sig == LINK_CHECKS_SPENT) {
            if (!r->signature_unchecked) {
                r->signature_unchecked =
                    sig == LINK_KEY_TOO_LARGE
                        ? "its issuer's key is too large to verify: RSA or DSA over 16,384 "
                          "bits, or an RSA exponent over 64 bits"
                        : "the capture's 2,000 signature checks are spent";
                r->signature_unchecked_index = i;
            }
            continue;
        }
        if (sig == LINK_NOT_SIGNED) {
            r->chain = APG_CHAIN_INVALID;
            r->chain_bad_index = i;
            r->chain_detail = g_strdup_printf("certificate %u names \"%s\" as its issuer, but its "
                                              "signature does not verify with that "
                                              "certificate's key",
                                              i, c->issuer);
            return;
        }
    }
}

static gboolean is_weak_signature(const char *name)
{
    return name && (strstr(name, "SHA1") || strstr(name, "MD5") || strstr(name, "MD2"));
}

static void check_time(apg_chain_report *r, const apg_cert **certs, gint64 at, guint warning_days)
{
    r->time_checked = at > 0;
    r->expired_index = r->not_yet_valid_index = r->expiring_index = -1;
    for (guint i = 0; at > 0 && i < r->n; i++) {
        const apg_cert *c = certs[i];
        if (at > c->not_after && r->expired_index < 0) {
            r->expired_index = (gint)i;
            r->time_off_by = at - c->not_after;
        } else if (at < c->not_before && r->not_yet_valid_index < 0) {
            r->not_yet_valid_index = (gint)i;
            r->time_off_by = c->not_before - at;
        } else if (warning_days && c->not_after - at < (gint64)warning_days * DAY &&
                   r->expiring_index < 0) {
            r->expiring_index = (gint)i;
            r->expiring_in = c->not_after - at;
        }
    }
}

apg_chain_report apg_chain_check(apg_cert_cache *cache, GPtrArray *ders, const char *hostname,
                                 gint64 at_time, const apg_truststore *store,
                                 guint expiry_warning_days)
{
    apg_chain_report r = {.expired_index = -1,
                          .not_yet_valid_index = -1,
                          .expiring_index = -1,
                          .weak_signature_index = -1};
    const apg_cert *certs[16];
    for (guint i = 0; ders && i < ders->len && r.n < G_N_ELEMENTS(certs); i++) {
        const apg_cert *c = apg_cert_cache_get(cache, g_ptr_array_index(ders, i));
        if (c->malformed) {
            r.leaf_malformed = r.leaf_malformed || i == 0;
            break; /* the rest cannot be linked */
        }
        certs[r.n++] = c;
    }
    if (!r.n)
        return r;
    r.leaf = certs[0];
    r.top = certs[r.n - 1];
    r.root_sent = certs[r.n - 1]->self_issued && r.n > 1;
    r.self_signed_leaf = r.leaf->self_issued;
    if (hostname && *hostname) {
        r.checked_name = hostname;
        r.hostname_checked = TRUE;
        r.hostname_match = hostname_matches(cache, r.leaf, hostname);
    }
    check_links(cache, &r, certs);
    check_time(&r, certs, at_time, expiry_warning_days);
    if (store)
        apg_truststore_check_chain(store, &r, certs);
    for (guint i = 0; i < r.n; i++) {
        if (!certs[i]->self_issued && is_weak_signature(certs[i]->signature_algorithm) &&
            r.weak_signature_index < 0) {
            r.weak_signature = TRUE;
            r.weak_signature_index = (gint)i;
        }
        if (g_strcmp0(certs[i]->key_algorithm, "RSA") == 0 && certs[i]->key_bits &&
            certs[i]->key_bits < MIN_RSA_BITS)
            r.small_key = TRUE;
    }
    r.findings = apg_chain_findings(&r);
    return r;
}

void apg_chain_report_clear(apg_chain_report *r)
{
    g_free(r->chain_detail);
    r->chain_detail = NULL;
}

char *apg_cert_sha256(const GBytes *der)
{
    return g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, (GBytes *)der);
}
