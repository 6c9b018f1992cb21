/* apg_extract_walk.h - what the walk of a frame's tree has open (a record,
 * a handshake message), shared by the walk (apg_extract.c) and the reading
 * of handshake messages' fields (apg_extract_hello.c). Internal to them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_EXTRACT_WALK_H
#define APG_EXTRACT_WALK_H

#include "apg_extract.h"
#include "apg_extract_icmp.h"
#include "apg_wanted_fields.h"

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
    guint32 tcp_seq, tcp_nxtseq, tcp_ack;
    gboolean has_ack;
    /* Where tcp.flags lies: the TCP header, whose payload's first bytes
     * tell whether a segment without TLS records starts like one (read
     * here: tcp.payload on every frame cost 4% of tshark's time). */
    tvbuff_t *tcp_tvb;
    gint tcp_flags_offset;
    gboolean out_of_order, acks_unseen, retransmission;
    gboolean after_gap; /* "previous segment not captured" */
    guint n_events;
    apg_icmp_quote icmp; /* an ICMP error: a router's packet, whatever it quotes */

    /* Last: start_message() resets it, the counts saying what its lists
     * hold; clearing its 1.7 KB on every frame cost more than the walk. */
    apg_client_hello ch;
    char alpn_selected[APG_MAX_ALPN_LEN + 1];
    char proxy_target[APG_MAX_PROXY_TARGET + 1];
} walk_state;

/* A field of the handshake message start_message() opened (apg_extract_hello.c). */
void apg_walk_handshake_field(walk_state *w, field_id id, field_info *fi);

#endif /* APG_EXTRACT_WALK_H */
