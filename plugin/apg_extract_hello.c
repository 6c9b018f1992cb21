/* apg_extract_hello.c - the fields of handshake messages, as the walk
 * (apg_extract.c) meets them: the hellos' versions, suites, SNI and
 * extensions (groups, signature algorithms, key shares and ALPN read from
 * their own bytes), the certificates, a CertificateRequest's CA names.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_extract_walk.h"

#include <string.h>

#include "apg_payload.h"

/* RFC 8446 4.1.3: a ServerHello with this random is a HelloRetryRequest. */
static const guint8 hrr_random[32] = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

static void add_u16(guint16 *list, guint *n, guint cap, guint32 v)
{
    if (*n < cap)
        list[(*n)++] = (guint16)v;
}

static void on_version(walk_state *w, guint32 v)
{
    if (w->message_type == APG_HS_CLIENT_HELLO)
        w->ch.legacy_version = (guint16)v;
    else if (w->message_type == APG_HS_SERVER_HELLO)
        w->sh.legacy_version = (guint16)v;
}

static void on_supported_version(walk_state *w, guint32 v)
{
    if (w->message_type == APG_HS_CLIENT_HELLO)
        add_u16(w->ch.versions, &w->ch.n_versions, APG_MAX_VERSIONS, v);
    else if (w->message_type == APG_HS_SERVER_HELLO && !w->sh.selected_version)
        w->sh.selected_version = (guint16)v;
}

static void on_suite(walk_state *w, guint32 v)
{
    if (w->message_type == APG_HS_CLIENT_HELLO)
        add_u16(w->ch.suites, &w->ch.n_suites, APG_MAX_SUITES, v);
    else if (w->message_type == APG_HS_SERVER_HELLO)
        w->sh.suite = (guint16)v;
}

static void on_sni(walk_state *w, const char *name)
{
    if (w->message_type != APG_HS_CLIENT_HELLO || w->ch.has_sni || !name)
        return;
    w->ch.has_sni = TRUE;
    g_strlcpy(w->ch.sni, name, sizeof w->ch.sni);
}

/* A group the walk still reads as a field: the TLS 1.2 ECDHE curve. */
static void on_named_curve(walk_state *w, guint32 v)
{
    if (w->message_type == APG_HS_SERVER_KEY_EXCHANGE)
        w->named_curve = (guint16)v;
}

/* An extension's data, after its type and 2-byte length, when all of it was
 * captured: read from its own bytes, since an item a value from Wireshark
 * cost more than the whole walk (a ClientHello has 30 or so). */
static const guint8 *extension_data(const field_info *fi, guint *len)
{
    gint at = fi->start + 2;
    *len = 0;
    if (!fi->ds_tvb || fi->length != 2 || !tvb_bytes_exist(fi->ds_tvb, at, 2))
        return NULL;
    guint n = tvb_get_ntohs(fi->ds_tvb, at);
    if (!n || !tvb_bytes_exist(fi->ds_tvb, at + 2, (gint)n))
        return NULL;
    *len = n;
    return tvb_get_ptr(fi->ds_tvb, at + 2, (gint)n);
}

/* The client's lists: groups, signature algorithms, key shares, ALPN. */
static void on_client_extension(walk_state *w, guint32 type, const guint8 *b, guint n)
{
    apg_client_hello *ch = &w->ch;
    if (type == APG_EXT_SUPPORTED_GROUPS && !ch->n_groups)
        ch->n_groups = apg_payload_u16_list(b, n, ch->groups, APG_MAX_GROUPS);
    else if (type == APG_EXT_SIGNATURE_ALGORITHMS && !ch->n_sig_algs)
        ch->n_sig_algs = apg_payload_u16_list(b, n, ch->sig_algs, APG_MAX_SIG_ALGS);
    else if (type == APG_EXT_KEY_SHARE && !ch->n_key_shares)
        ch->n_key_shares = apg_payload_key_shares(b, n, ch->key_shares, APG_MAX_KEY_SHARES);
    else if (type == APG_EXT_ALPN && !ch->has_alpn)
        ch->has_alpn = apg_payload_alpn(b, n, ch->alpn, sizeof ch->alpn, FALSE);
}

/* The server's answers: its key share's group (a HelloRetryRequest's data
 * is the group it asks for), its ALPN choice (ServerHello; TLS 1.3
 * EncryptedExtensions). */
static void on_server_extension(walk_state *w, guint32 type, const guint8 *b, guint n)
{
    if (type == APG_EXT_KEY_SHARE && w->message_type == APG_HS_SERVER_HELLO && n >= 2)
        w->sh.group = (guint16)((guint)b[0] << 8 | b[1]);
    else if (type == APG_EXT_ALPN && !w->has_alpn_selected)
        w->has_alpn_selected =
            apg_payload_alpn(b, n, w->alpn_selected, sizeof w->alpn_selected, TRUE);
}

static void on_extension(walk_state *w, const field_info *fi, guint32 type)
{
    gboolean client = w->message_type == APG_HS_CLIENT_HELLO;
    if (client)
        add_u16(w->ch.extensions, &w->ch.n_extensions, APG_MAX_EXTENSIONS, type);
    else if (w->message_type != APG_HS_SERVER_HELLO &&
             w->message_type != APG_HS_ENCRYPTED_EXTENSIONS)
        return;
    if (type == APG_EXT_PRE_SHARED_KEY && w->message_type == APG_HS_SERVER_HELLO)
        w->sh.psk_accepted = TRUE; /* its presence is the answer (RFC 8446 4.2.11) */
    if (type != APG_EXT_SUPPORTED_GROUPS && type != APG_EXT_SIGNATURE_ALGORITHMS &&
        type != APG_EXT_KEY_SHARE && type != APG_EXT_ALPN)
        return;
    guint n;
    const guint8 *b = extension_data(fi, &n);
    if (!b)
        return;
    if (client)
        on_client_extension(w, type, b, n);
    else
        on_server_extension(w, type, b, n);
}

/* One certificate_authorities entry: the DER Name after its 2-byte length,
 * copied only when all of it was captured. */
static void on_ca_name(walk_state *w, field_info *fi, guint32 len)
{
    if (w->message_type != APG_HS_CERT_REQUEST || w->n_ca_names >= APG_MAX_CA_NAMES || !len ||
        !fi->ds_tvb || fi->length != 2)
        return;
    gint start = fi->start + 2;
    if (!tvb_bytes_exist(fi->ds_tvb, start, (gint)len))
        return;
    w->ca_names[w->n_ca_names++] = g_bytes_new(tvb_get_ptr(fi->ds_tvb, start, (gint)len), len);
}

static void on_random(walk_state *w, field_info *fi)
{
    if (w->message_type == APG_HS_SERVER_HELLO && fi->length == (gint)sizeof hrr_random &&
        memcmp(APG_FI_BYTES(fi), hrr_random, sizeof hrr_random) == 0)
        w->sh.is_hrr = TRUE;
}

static void on_certificate(walk_state *w, field_info *fi)
{
    if (w->message_type != APG_HS_CERTIFICATE || w->n_certs >= APG_MAX_CERTS || fi->length <= 0)
        return;
    w->certs[w->n_certs++] = g_bytes_new(APG_FI_BYTES(fi), (gsize)fi->length);
}

/* The fields of handshake messages. */
void apg_walk_handshake_field(walk_state *w, field_id id, field_info *fi)
{
    fvalue_t *fv = APG_FI_VALUE(fi);
    switch (id) {
    case F_HS_VERSION: on_version(w, fvalue_get_uinteger(fv)); break;
    case F_HS_RANDOM: on_random(w, fi); break;
    case F_HS_SUPPORTED_VERSION: on_supported_version(w, fvalue_get_uinteger(fv)); break;
    case F_HS_CIPHERSUITE: on_suite(w, fvalue_get_uinteger(fv)); break;
    case F_HS_EXTENSION_TYPE: on_extension(w, fi, fvalue_get_uinteger(fv)); break;
    case F_HS_SNI: on_sni(w, fvalue_get_string(fv)); break;
    case F_HS_SERVER_NAMED_CURVE: on_named_curve(w, fvalue_get_uinteger(fv)); break;
    case F_HS_DNAME_LEN: on_ca_name(w, fi, fvalue_get_uinteger(fv)); break;
    case F_HS_CERTIFICATE: on_certificate(w, fi); break;
    default: break;
    }
}
