/* apg_ca_names.c - a CertificateRequest's certificate_authorities against
 * the client's chain: TLS 1.2 servers (and TLS 1.3 ones that send the
 * extension) list the CAs whose certificates they accept, and clients pick
 * a certificate from that list; one whose chain reaches none of them is
 * refused by a verifying server.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_cert.h"

#include <gnutls/x509.h>

char *apg_dn_text(const GBytes *der)
{
    gsize len = 0;
    const guint8 *data = der ? g_bytes_get_data((GBytes *)der, &len) : NULL;
    gnutls_datum_t in = {(unsigned char *)data, (unsigned)len}, out = {NULL, 0};
    if (!data || !len || len > G_MAXUINT16 || gnutls_x509_rdn_get2(&in, &out, 0) < 0)
        return g_strdup("(a name that does not parse)");
    char *text = g_utf8_make_valid((const char *)out.data, out.size);
    gnutls_free(out.data);
    return text;
}

/* The first listed name that issued a certificate of the chain (a server
 * may list the intermediate or the root), or -1: each certificate's issuer
 * as parsed once (apg_cert.raw_issuer), DER to DER. */
static gint chain_reaches(apg_cert_cache *cache, const GPtrArray *names, GPtrArray *ders)
{
    for (guint i = 0; i < ders->len; i++) {
        const apg_cert *c = apg_cert_cache_get(cache, ders->pdata[i]);
        if (c->malformed || !c->raw_issuer)
            continue;
        for (guint k = 0; k < names->len; k++)
            if (g_bytes_equal(names->pdata[k], c->raw_issuer))
                return (gint)k;
    }
    return -1;
}

apg_ca_match apg_ca_names_match(apg_cert_cache *cache, const GPtrArray *names, GPtrArray *ders)
{
    apg_ca_match m = {.reached = -1};
    if (!names || !names->len)
        return m;
    m.n_names = names->len;
    gint at = ders && ders->len ? chain_reaches(cache, names, ders) : -1;
    if (ders && ders->len)
        m.reached = at >= 0;
    m.name = names->pdata[at >= 0 ? at : 0];
    return m;
}
