/* apg_early_order.c - late segments before a stream's first TLS.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_early_order.h"

#include "apg_reorder.h"

typedef struct {
    apg_endpoint first;   /* the sender of the stream's first segment: direction 0 */
    apg_seq_track dir[2]; /* by sequence number */
    guint32 late_frame;   /* the first late segment, 0 until one */
    gboolean by_sequence; /* followed since its first segment (within the bound) */
} early_stream;

struct apg_early_order {
    GHashTable *streams; /* tcp.stream -> early_stream */
};

apg_early_order *apg_early_order_new(void)
{
    apg_early_order *e = g_new0(apg_early_order, 1);
    e->streams = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    return e;
}

void apg_early_order_free(apg_early_order *e)
{
    if (!e)
        return;
    g_hash_table_destroy(e->streams);
    g_free(e);
}

static early_stream *stream_state(apg_early_order *e, guint32 stream, const apg_endpoint *src,
                                  gboolean flagged)
{
    early_stream *s = g_hash_table_lookup(e->streams, GUINT_TO_POINTER(stream));
    if (s)
        return s;
    gboolean room = g_hash_table_size(e->streams) < APG_MAX_EARLY_STREAMS;
    if (!room && !flagged)
        return NULL;
    s = g_new0(early_stream, 1);
    s->first = *src;
    s->by_sequence = room;
    g_hash_table_insert(e->streams, GUINT_TO_POINTER(stream), s);
    return s;
}

void apg_early_order_observe(apg_early_order *e, guint32 stream, guint32 frame,
                             const apg_endpoint *src, const apg_event *ev)
{
    gboolean flagged = ev->kind == APG_EV_TCP_SEGMENT && ev->u.tcp.out_of_order;
    early_stream *s = stream_state(e, stream, src, flagged);
    if (!s)
        return;
    /* Wireshark's own flag (4.0, 4.4) on data not seen before, or the bytes
     * (4.6 may call the late segment a retransmission). */
    gboolean late = apg_seq_may_hide_records(ev, FALSE);
    if (s->by_sequence) {
        apg_seq_track *t = &s->dir[apg_endpoint_equal(src, &s->first) ? 0 : 1];
        late = apg_seq_may_hide_records(ev, apg_seq_seen(t, frame, ev->tcp_seq, ev->tcp_len));
        late = apg_seq_note(t, frame, ev->tcp_seq, ev->tcp_len) || late;
    }
    if (late && !s->late_frame)
        s->late_frame = frame;
}

guint32 apg_early_order_hand_over(apg_early_order *e, guint32 stream, const apg_conversation *conv,
                                  apg_handshake *hs)
{
    early_stream *s = g_hash_table_lookup(e->streams, GUINT_TO_POINTER(stream));
    if (!s)
        return 0;
    int first = apg_conv_peer_index(conv, &s->first); /* direction 0's sender */
    for (int d = 0; d < 2 && s->by_sequence && first >= 0; d++)
        apg_seq_add_seen(&hs->seq_track[apg_hs_role_of(hs, d ? 1 - first : first) & 1], &s->dir[d]);
    guint32 frame = s->late_frame;
    g_hash_table_remove(e->streams, GUINT_TO_POINTER(stream));
    return frame;
}
