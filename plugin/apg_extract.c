/* apg_extract.c - from a frame's primed proto tree to core events.
 *
 * The tree is walked in document order (proto_all_finfos): a record's own
 * fields come first, then its handshake messages or alert, so a small state
 * machine rebuilds records and messages without byte ranges.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_extract.h"
#include "apg_payload.h"
#include "apg_wanted_fields.h"

#include <stddef.h>
#include <string.h>

#define TCP_FLAG_FIN 0x01
#define TCP_FLAG_SYN 0x02
#define TCP_FLAG_RST 0x04
#define TCP_FLAG_ACK 0x10

/* RFC 8446 4.1.3: a ServerHello with this random is a HelloRetryRequest. */
static const guint8 hrr_random[32] = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

/* What the walk has open: a record, maybe a handshake message in it. */
typedef struct {
    guint32 frame;
    apg_event_sink sink;
    void *user;
    apg_frame_facts *facts;

    gboolean in_record;
    gboolean record_had_content;
    guint8 content_type;
    guint8 opaque_type;
    guint16 record_version;
    guint32 record_length;

    gboolean in_message;
    guint8 message_type;
    apg_server_hello sh;
    guint16 dh_bits;
    guint16 named_curve;
    gboolean has_alpn_selected; /* alpn_selected holds the message's protocol */
    guint n_certs;
    GBytes *certs[APG_MAX_CERTS];
    guint n_ca_names;
    GBytes *ca_names[APG_MAX_CA_NAMES];

    gboolean alert_has_level;
    guint8 alert_level;

    guint32 tcp_flags;
    guint32 tcp_len;
    /* Where tcp.flags lies: the TCP header, whose payload's first bytes
     * tell whether a segment without TLS records starts like one (read
     * here: tcp.payload on every frame cost 4% of tshark's time). */
    tvbuff_t *tcp_tvb;
    gint tcp_flags_offset;
    gboolean out_of_order, acks_unseen;
    gboolean after_gap; /* "previous segment not captured" */
    guint n_events;

    /* Last: start_message() resets it, the counts saying what its lists
     * hold; clearing its 1.7 KB on every frame cost more than the walk. */
    apg_client_hello ch;
    char alpn_selected[APG_MAX_ALPN_LEN + 1];
    char proxy_target[APG_MAX_PROXY_TARGET + 1];
} walk_state;

static void emit(walk_state *w, apg_event *ev)
{
    ev->frame = w->frame;
    ev->record_version = w->record_version;
    ev->record_length = w->record_length;
    w->n_events++;
    w->sink(ev, w->user);
}

static void emit_kind(walk_state *w, apg_event_kind kind)
{
    apg_event ev = {.kind = kind};
    emit(w, &ev);
}

static void drop_certs(walk_state *w)
{
    for (guint i = 0; i < w->n_certs; i++)
        g_bytes_unref(w->certs[i]);
    w->n_certs = 0;
    for (guint i = 0; i < w->n_ca_names; i++)
        g_bytes_unref(w->ca_names[i]);
    w->n_ca_names = 0;
}

static void flush_message(walk_state *w)
{
    if (!w->in_message)
        return;
    w->in_message = FALSE;
    apg_event ev = {.handshake_type = w->message_type};
    if (w->record_version == APG_SSL2 && w->message_type != APG_SSL2_CLIENT_HELLO) {
        /* SSL 2.0 numbers its messages its own way: never read them as TLS. */
        ev.kind = APG_EV_SSL2_MESSAGE;
        w->facts->n_tls_records++; /* an SSL 2.0 record has no content type field */
        emit(w, &ev);
        return;
    }
    switch (w->message_type) {
    case APG_HS_CLIENT_HELLO:
        ev.kind = APG_EV_CLIENT_HELLO;
        ev.u.client_hello = &w->ch;
        break;
    case APG_HS_SERVER_HELLO:
        ev.kind = APG_EV_SERVER_HELLO;
        ev.u.server_hello = w->sh;
        ev.alpn = w->has_alpn_selected ? w->alpn_selected : NULL;
        break;
    case APG_HS_CERTIFICATE:
        ev.kind = APG_EV_CERTIFICATE;
        ev.u.certificate.count = w->n_certs;
        for (guint i = 0; i < w->n_certs; i++)
            ev.u.certificate.der[i] = w->certs[i];
        break;
    case APG_HS_CERT_REQUEST:
        ev.kind = APG_EV_CERT_REQUEST;
        ev.u.cert_request.count = w->n_ca_names;
        for (guint i = 0; i < w->n_ca_names; i++)
            ev.u.cert_request.name[i] = w->ca_names[i];
        break;
    case APG_HS_SERVER_HELLO_DONE: ev.kind = APG_EV_SERVER_HELLO_DONE; break;
    case APG_HS_FINISHED: ev.kind = APG_EV_FINISHED; break;
    default:
        ev.kind = APG_EV_OTHER_HANDSHAKE;
        ev.dh_bits = w->dh_bits;
        ev.named_curve = w->named_curve;
        ev.alpn = w->has_alpn_selected ? w->alpn_selected : NULL; /* EncryptedExtensions */
        break;
    }
    emit(w, &ev);
    drop_certs(w);
}

/* A record with no readable content is encrypted (or a fragment). */
static void flush_record(walk_state *w)
{
    flush_message(w);
    if (!w->in_record)
        return;
    w->in_record = FALSE;
    if (w->record_had_content)
        return;
    guint8 type = w->content_type ? w->content_type : w->opaque_type;
    switch (type) {
    case APG_CT_CHANGE_CIPHER_SPEC: emit_kind(w, APG_EV_CHANGE_CIPHER_SPEC); break;
    case APG_CT_HANDSHAKE: emit_kind(w, APG_EV_ENCRYPTED_HANDSHAKE); break;
    case APG_CT_ALERT: {
        apg_event ev = {.kind = APG_EV_ALERT, .u.alert = {.encrypted = TRUE}};
        emit(w, &ev);
        break;
    }
    case APG_CT_APPLICATION_DATA: emit_kind(w, APG_EV_ENCRYPTED_RECORD); break;
    default: break; /* unknown record types: the TLS dissector flags them */
    }
}

static void start_record(walk_state *w)
{
    flush_record(w);
    w->in_record = TRUE;
    w->record_had_content = FALSE;
    w->content_type = w->opaque_type = 0;
    w->record_version = 0;
    w->record_length = 0;
    w->facts->n_tls_records++;
}

/* The record container itself is not a real item in a primed tree, so a
 * record starts at its first field: the content type, or for TLS 1.3 the
 * opaque type, which a decrypted record follows with its inner type. */
static void on_content_type(walk_state *w, guint8 type)
{
    gboolean inner_type = w->in_record && w->opaque_type && !w->content_type && w->record_length;
    if (!inner_type)
        start_record(w);
    w->content_type = type;
}

static void start_message(walk_state *w, guint8 type)
{
    flush_message(w);
    w->in_message = TRUE;
    w->record_had_content = TRUE;
    w->message_type = type;
    /* The counts say what the lists hold: no need to clear 1.7 KB a message. */
    w->ch.legacy_version = 0;
    w->ch.n_versions = w->ch.n_suites = w->ch.n_extensions = 0;
    w->ch.n_groups = w->ch.n_key_shares = w->ch.n_sig_algs = 0;
    w->ch.has_sni = w->ch.has_alpn = FALSE;
    w->ch.sni[0] = w->ch.alpn[0] = '\0';
    memset(&w->sh, 0, sizeof w->sh);
    w->dh_bits = w->named_curve = 0;
    w->has_alpn_selected = FALSE;
}

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

/* The client's protocols, comma-joined as far as they fit; the server's
 * one choice (ServerHello, or EncryptedExtensions in TLS 1.3). */
static void on_alpn(walk_state *w, const char *proto)
{
    if (!proto)
        return;
    if (w->message_type == APG_HS_CLIENT_HELLO) {
        gsize used = strlen(w->ch.alpn);
        if (used && used + 1 < sizeof w->ch.alpn)
            w->ch.alpn[used++] = ',';
        g_strlcpy(w->ch.alpn + used, proto, sizeof w->ch.alpn - used);
        w->ch.has_alpn = TRUE;
    } else if ((w->message_type == APG_HS_SERVER_HELLO ||
                w->message_type == APG_HS_ENCRYPTED_EXTENSIONS) &&
               !w->has_alpn_selected) {
        g_strlcpy(w->alpn_selected, proto, sizeof w->alpn_selected);
        w->has_alpn_selected = TRUE;
    }
}

/* A group: offered, key-shared, or the server's (its key share, the group
 * a HelloRetryRequest asks for, its ECDHE curve in TLS 1.2). */
static void on_group(walk_state *w, field_id id, guint32 v)
{
    gboolean hello = w->message_type == APG_HS_CLIENT_HELLO;
    if (id == F_HS_KEY_SHARE_GROUP && hello)
        add_u16(w->ch.key_shares, &w->ch.n_key_shares, APG_MAX_KEY_SHARES, v);
    else if (w->message_type == APG_HS_SERVER_HELLO && id != F_HS_SERVER_NAMED_CURVE)
        w->sh.group = (guint16)v;
    else if (id == F_HS_SERVER_NAMED_CURVE && w->message_type == APG_HS_SERVER_KEY_EXCHANGE)
        w->named_curve = (guint16)v;
}

/* supported_groups and signature_algorithms from the extension's own bytes,
 * after its type and 2-byte length: an item a value from Wireshark cost more
 * than the whole walk. */
static void read_u16_list(const field_info *fi, guint16 *list, guint *n, guint cap)
{
    gint at = fi->start + 2;
    if (!fi->ds_tvb || fi->length != 2 || !tvb_bytes_exist(fi->ds_tvb, at, 2))
        return;
    guint len = tvb_get_ntohs(fi->ds_tvb, at);
    if (tvb_bytes_exist(fi->ds_tvb, at + 2, (gint)len))
        *n = apg_payload_u16_list(tvb_get_ptr(fi->ds_tvb, at + 2, (gint)len), len, list, cap);
}

static void on_extension(walk_state *w, const field_info *fi, guint32 type)
{
    if (w->message_type != APG_HS_CLIENT_HELLO)
        return;
    add_u16(w->ch.extensions, &w->ch.n_extensions, APG_MAX_EXTENSIONS, type);
    if (type == APG_EXT_SUPPORTED_GROUPS && !w->ch.n_groups)
        read_u16_list(fi, w->ch.groups, &w->ch.n_groups, APG_MAX_GROUPS);
    else if (type == APG_EXT_SIGNATURE_ALGORITHMS && !w->ch.n_sig_algs)
        read_u16_list(fi, w->ch.sig_algs, &w->ch.n_sig_algs, APG_MAX_SIG_ALGS);
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

static void on_alert(walk_state *w, field_id id, guint32 v)
{
    if (id == F_ALERT_LEVEL) {
        flush_message(w);
        w->record_had_content = TRUE;
        w->alert_has_level = TRUE;
        w->alert_level = (guint8)v;
        return;
    }
    apg_event ev = {.kind = APG_EV_ALERT};
    ev.u.alert.level = w->alert_has_level ? w->alert_level : 0;
    ev.u.alert.desc = (guint8)v;
    w->alert_has_level = FALSE;
    w->record_had_content = TRUE;
    emit(w, &ev);
}

/* The first bytes of the TCP payload, as many as were captured up to want.
 * tcp.flags covers bytes 12-13 of the TCP header, the first holding the
 * header's length in words; every offset is checked against the captured
 * bytes. */
static const guint8 *payload_head(const walk_state *w, guint want, guint *got)
{
    *got = 0;
    if (!w->tcp_tvb || !w->tcp_len || w->tcp_flags_offset < 12 ||
        !tvb_bytes_exist(w->tcp_tvb, w->tcp_flags_offset, 1))
        return NULL;
    guint header_len = (tvb_get_guint8(w->tcp_tvb, w->tcp_flags_offset) >> 4) * 4u;
    if (header_len < 20)
        return NULL; /* not a TCP header Wireshark would have dissected */
    gint payload = w->tcp_flags_offset - 12 + (gint)header_len;
    gint left = tvb_captured_length_remaining(w->tcp_tvb, payload);
    guint n = MIN(MIN(want, w->tcp_len), left > 0 ? (guint)left : 0u);
    if (!n)
        return NULL; /* cut by the snap length */
    *got = n;
    return tvb_get_ptr(w->tcp_tvb, payload, (gint)n);
}

/* A segment without TLS records: a forward proxy's leg (an HTTP CONNECT,
 * a status line, which the core takes only after a CONNECT), and bytes that
 * do or do not start like TLS (a server answering HTTP to a ClientHello). */
static void emit_payload(walk_state *w)
{
    guint n;
    const guint8 *b = w->after_gap ? NULL : payload_head(w, 8 + APG_MAX_PROXY_TARGET, &n);
    guint status = b ? apg_payload_status(b, n) : 0;
    if (b && apg_payload_connect(b, n, w->proxy_target, sizeof w->proxy_target)) {
        apg_event ev = {.kind = APG_EV_PROXY_CONNECT, .u.proxy.target = w->proxy_target};
        emit(w, &ev);
    } else if (status) {
        apg_event ev = {.kind = APG_EV_PROXY_RESPONSE, .u.proxy.status = (guint16)status};
        emit(w, &ev);
    }
    /* Bytes after a gap start mid-record: they say nothing against TLS. */
    apg_event ev = {.kind = APG_EV_TCP_PAYLOAD,
                    .u.payload_looks_tls =
                        w->after_gap || (b && n >= 3 && apg_payload_looks_tls(b))};
    emit(w, &ev);
}

/* The fields of handshake messages. */
static void on_handshake_field(walk_state *w, field_id id, field_info *fi)
{
    fvalue_t *fv = APG_FI_VALUE(fi);
    switch (id) {
    case F_HS_TYPE: start_message(w, (guint8)fvalue_get_uinteger(fv)); break;
    case F_HS_VERSION: on_version(w, fvalue_get_uinteger(fv)); break;
    case F_HS_RANDOM: on_random(w, fi); break;
    case F_HS_SUPPORTED_VERSION: on_supported_version(w, fvalue_get_uinteger(fv)); break;
    case F_HS_CIPHERSUITE: on_suite(w, fvalue_get_uinteger(fv)); break;
    case F_HS_EXTENSION_TYPE: on_extension(w, fi, fvalue_get_uinteger(fv)); break;
    case F_HS_SNI: on_sni(w, fvalue_get_string(fv)); break;
    case F_HS_ALPN_STR: on_alpn(w, fvalue_get_string(fv)); break;
    case F_HS_KEY_SHARE_GROUP:
    case F_HS_KEY_SHARE_SELECTED_GROUP:
    case F_HS_SERVER_NAMED_CURVE: on_group(w, id, fvalue_get_uinteger(fv)); break;
    case F_HS_DNAME_LEN: on_ca_name(w, fi, fvalue_get_uinteger(fv)); break;
    case F_HS_CERTIFICATE: on_certificate(w, fi); break;
    default: break;
    }
}

static void on_field(walk_state *w, field_id id, field_info *fi)
{
    fvalue_t *fv = APG_FI_VALUE(fi);
    switch (id) {
    case F_TCP_STREAM:
        if (!w->facts->has_stream) {
            w->facts->has_stream = TRUE;
            w->facts->stream = fvalue_get_uinteger(fv);
        }
        break;
    case F_TCP_FLAGS:
        w->tcp_flags = fvalue_get_uinteger(fv);
        w->tcp_tvb = fi->ds_tvb;
        w->tcp_flags_offset = fi->start;
        break;
    case F_TCP_LEN: w->tcp_len = fvalue_get_uinteger(fv); break;
    case F_TCP_OUT_OF_ORDER: w->out_of_order = TRUE; break;
    case F_TCP_ACK_LOST_SEGMENT: w->acks_unseen = TRUE; break;
    case F_TCP_LOST_SEGMENT: w->after_gap = TRUE; break;
    case F_HS_DH_P_LEN:
        /* A prime length from the wire: bytes, bounded by its 16-bit field. */
        if (w->message_type == APG_HS_SERVER_KEY_EXCHANGE)
            w->dh_bits = (guint16)MIN(fvalue_get_uinteger(fv) * 8u, G_MAXUINT16);
        break;
    case F_RECORD_CONTENT_TYPE: on_content_type(w, (guint8)fvalue_get_uinteger(fv)); break;
    case F_RECORD_OPAQUE_TYPE:
        start_record(w);
        w->opaque_type = (guint8)fvalue_get_uinteger(fv);
        break;
    case F_RECORD_VERSION: w->record_version = (guint16)fvalue_get_uinteger(fv); break;
    case F_RECORD_LENGTH: w->record_length = fvalue_get_uinteger(fv); break;
    case F_ALERT_LEVEL:
    case F_ALERT_DESC: on_alert(w, id, fvalue_get_uinteger(fv)); break;
    default: on_handshake_field(w, id, fi); break;
    }
}

/* The tree in document order, as proto_all_finfos gives it, without
 * building the array on every frame. */
static void walk_node(proto_node *node, gpointer data)
{
    walk_state *w = data;
    field_info *fi = PNODE_FINFO(node);
    if (fi && fi->hfinfo) { /* some TCP analysis items have no bytes */
        int id = apg_field_of(fi->hfinfo->id);
        if (id >= 0)
            on_field(w, (field_id)id, fi);
    }
    if (node->first_child)
        proto_tree_children_foreach(node, walk_node, data);
}

void apg_extract_frame(proto_tree *tree, guint32 frame, apg_frame_facts *facts, apg_event_sink sink,
                       void *user)
{
    /* One frame at a time (dissection is single-threaded); static because
     * it holds a ClientHello, too big for the stack. */
    static walk_state walk;
    walk_state *w = &walk;
    memset(w, 0, offsetof(walk_state, ch));
    w->frame = frame;
    w->sink = sink;
    w->user = user;
    w->facts = facts;
    if (tree)
        proto_tree_children_foreach(tree, walk_node, w);
    flush_record(w);
    if (facts->n_tls_records == 0 && w->tcp_len > 0)
        emit_payload(w);
    w->record_version = 0;
    w->record_length = 0;
    if (w->tcp_flags & TCP_FLAG_RST)
        emit_kind(w, APG_EV_TCP_RST);
    else if (w->tcp_flags & TCP_FLAG_FIN)
        emit_kind(w, APG_EV_TCP_FIN);
    /* Every other segment (a pure ACK) and the TCP analysis flags: they tell
     * whether the capture holds both directions. */
    if (!w->n_events || w->out_of_order || w->acks_unseen) {
        gboolean syn = (w->tcp_flags & TCP_FLAG_SYN) != 0, ack = (w->tcp_flags & TCP_FLAG_ACK) != 0;
        apg_event ev = {.kind = APG_EV_TCP_SEGMENT,
                        .u.tcp = {.out_of_order = w->out_of_order,
                                  .acks_unseen = w->acks_unseen,
                                  .opens = syn && !ack,
                                  .accepts = syn && ack}};
        emit(w, &ev);
    }
    drop_certs(w);
}
