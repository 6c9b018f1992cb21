/* apg_extract.c - from a frame's primed proto tree to core events.
 *
 * The tree is walked in document order (proto_all_finfos): a record's own
 * fields come first, then its handshake messages or alert, so a small state
 * machine rebuilds records and messages without byte ranges.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_extract.h"
#include "apg_extract_walk.h"
#include "apg_payload.h"
#include "apg_wanted_fields.h"

#include <stddef.h>
#include <string.h>

#define TCP_FLAG_FIN 0x01
#define TCP_FLAG_SYN 0x02
#define TCP_FLAG_RST 0x04
#define TCP_FLAG_ACK 0x10

static void emit(walk_state *w, apg_event *ev)
{
    ev->frame = w->frame;
    ev->record_version = w->record_version;
    ev->record_length = w->record_length;
    ev->tcp_seq = w->tcp_seq;
    ev->tcp_len = w->tcp_len;
    ev->tcp_nxtseq = w->tcp_nxtseq;
    ev->tcp_ack = w->tcp_ack;
    ev->has_ack = w->has_ack;
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
    guint header_len = (apg_tvb_get_u8(w->tcp_tvb, w->tcp_flags_offset) >> 4) * 4u;
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
                    .u.payload.looks_tls =
                        w->after_gap || (b && n >= 3 && apg_payload_looks_tls(b))};
    if (b && apg_payload_tls_handshake(b, n)) {
        ev.u.payload.tls_handshake = TRUE;
        ev.u.payload.handshake_type = b[5];
        ev.u.payload.whole_record = w->tcp_len >= 5u + ((guint)b[3] << 8 | b[4]);
    }
    emit(w, &ev);
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
    case F_TCP_SEQ: w->tcp_seq = fvalue_get_uinteger(fv); break;
    case F_TCP_NXTSEQ: w->tcp_nxtseq = fvalue_get_uinteger(fv); break;
    case F_TCP_ACK:
        w->tcp_ack = fvalue_get_uinteger(fv);
        w->has_ack = TRUE;
        break;
    case F_TCP_OUT_OF_ORDER: w->out_of_order = TRUE; break;
    case F_TCP_ACK_LOST_SEGMENT: w->acks_unseen = TRUE; break;
    case F_TCP_LOST_SEGMENT: w->after_gap = TRUE; break;
    case F_TCP_RETRANSMISSION: w->retransmission = TRUE; break;
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
    case F_HS_TYPE: start_message(w, (guint8)fvalue_get_uinteger(fv)); break;
    default: apg_walk_handshake_field(w, id, fi); break;
    }
}

/* A router's "too big" for a segment of a TCP stream, said on that stream. */
static void emit_too_big(walk_state *w)
{
    apg_event ev;
    if (w->facts->has_stream || !apg_icmp_too_big(&w->icmp, &ev))
        return;
    w->facts->has_stream = TRUE;
    w->facts->stream = w->icmp.stream;
    emit(w, &ev);
}

/* The tree in document order, as proto_all_finfos gives it, without
 * building the array on every frame. */
static void walk_node(proto_node *node, gpointer data)
{
    walk_state *w = data;
    field_info *fi = PNODE_FINFO(node);
    if (fi && fi->hfinfo) { /* some TCP analysis items have no bytes */
        int id = apg_field_of(fi->hfinfo->id);
        /* The TCP header an ICMP error quotes carries the stream's tcp.stream
         * and flags, but it is the router's packet, not a segment of the
         * stream: its flags are no RST or ACK of the server's. What the
         * router says of the packet is read apart. */
        if (id == F_ICMP || id == F_ICMPV6) {
            apg_icmp_walk(node, id == F_ICMPV6, &w->icmp);
            return;
        }
        if (id >= 0 && id < F_QUOTED_FIRST)
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
    if (w->icmp.seen) {
        emit_too_big(w);
        drop_certs(w);
        return; /* nothing else in a router's error is the stream's */
    }
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
    gboolean resent_data = w->retransmission && w->tcp_len > 0;
    if (!w->n_events || w->out_of_order || w->acks_unseen || resent_data) {
        gboolean syn = (w->tcp_flags & TCP_FLAG_SYN) != 0, ack = (w->tcp_flags & TCP_FLAG_ACK) != 0;
        apg_event ev = {.kind = APG_EV_TCP_SEGMENT,
                        .u.tcp = {.out_of_order = w->out_of_order,
                                  .acks_unseen = w->acks_unseen,
                                  .opens = syn && !ack,
                                  .accepts = syn && ack,
                                  .resent_data = resent_data}};
        emit(w, &ev);
    }
    drop_certs(w);
}
