/* apg_stream_notes.c - what streams without TLS tell: TLS bytes left
 * undecoded, and refused connections. A stream costs an entry only while
 * its SYN waits for an answer, or once it is noted; both are bounded.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_stream_notes.h"

struct apg_stream_notes {
    GPtrArray *undecoded;     /* apg_undecoded*, owned, in order of first frame */
    GHashTable *undecoded_by; /* stream -> apg_undecoded*; frame -> the same in by_frame */
    GHashTable *by_frame;
    guint undecoded_more;
    GHashTable *pending_syn; /* stream -> apg_refused* (owned) whose SYN has no answer yet */
    GPtrArray *refused;      /* apg_refused*, owned */
    guint refused_more;
};

apg_stream_notes *apg_stream_notes_new(void)
{
    apg_stream_notes *n = g_new0(apg_stream_notes, 1);
    n->undecoded = g_ptr_array_new_with_free_func(g_free);
    n->undecoded_by = g_hash_table_new(g_direct_hash, g_direct_equal);
    n->by_frame = g_hash_table_new(g_direct_hash, g_direct_equal);
    n->pending_syn = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    n->refused = g_ptr_array_new_with_free_func(g_free);
    return n;
}

void apg_stream_notes_free(apg_stream_notes *n)
{
    if (!n)
        return;
    g_ptr_array_free(n->undecoded, TRUE);
    g_hash_table_destroy(n->undecoded_by);
    g_hash_table_destroy(n->by_frame);
    g_hash_table_destroy(n->pending_syn);
    g_ptr_array_free(n->refused, TRUE);
    g_free(n);
}

static void note_undecoded(apg_stream_notes *n, guint32 stream, guint32 frame,
                           const apg_endpoint *src, const apg_endpoint *dst, const apg_event *ev)
{
    gpointer key = GUINT_TO_POINTER(stream);
    if (!ev->u.payload.tls_handshake || g_hash_table_contains(n->undecoded_by, key))
        return;
    if (n->undecoded->len >= APG_MAX_STREAM_NOTES) {
        n->undecoded_more++;
        g_hash_table_insert(n->undecoded_by, key, NULL); /* counted once */
        return;
    }
    gboolean from_server = ev->u.payload.handshake_type == APG_HS_SERVER_HELLO;
    apg_undecoded *u = g_new0(apg_undecoded, 1);
    *u = (apg_undecoded){.stream = stream,
                         .frame = frame,
                         .client = from_server ? *dst : *src,
                         .server = from_server ? *src : *dst,
                         .whole_record = ev->u.payload.whole_record};
    g_ptr_array_add(n->undecoded, u);
    g_hash_table_insert(n->undecoded_by, key, u);
    g_hash_table_insert(n->by_frame, GUINT_TO_POINTER(frame), u);
}

/* SYN, then SYN-ACK (accepted), data (accepted) or RST from the side it went
 * to (refused). */
static void note_refusal(apg_stream_notes *n, guint32 stream, guint32 frame,
                         const apg_endpoint *src, const apg_endpoint *dst, const apg_event *ev)
{
    gpointer key = GUINT_TO_POINTER(stream);
    apg_refused *pending = g_hash_table_lookup(n->pending_syn, key);
    if (ev->kind == APG_EV_TCP_SEGMENT && ev->u.tcp.opens && !pending) {
        if (g_hash_table_size(n->pending_syn) >= APG_MAX_STREAM_NOTES)
            return; /* a SYN flood: its refusals go uncounted */
        pending = g_new0(apg_refused, 1);
        *pending =
            (apg_refused){.stream = stream, .syn_frame = frame, .client = *src, .server = *dst};
        g_hash_table_insert(n->pending_syn, key, pending);
        return;
    }
    if (!pending || (ev->kind == APG_EV_TCP_SEGMENT && ev->u.tcp.opens))
        return; /* a retransmitted SYN waits on */
    gboolean refused = ev->kind == APG_EV_TCP_RST && apg_endpoint_equal(src, &pending->server);
    if (refused && n->refused->len < APG_MAX_STREAM_NOTES) {
        pending->rst_frame = frame;
        g_hash_table_steal(n->pending_syn, key);
        g_ptr_array_add(n->refused, pending);
        return;
    }
    if (refused)
        n->refused_more++;
    g_hash_table_remove(n->pending_syn, key); /* answered, or data: not refused */
}

void apg_stream_notes_observe(apg_stream_notes *n, guint32 stream, guint32 frame,
                              const apg_endpoint *src, const apg_endpoint *dst, const apg_event *ev)
{
    if (ev->kind == APG_EV_TCP_PAYLOAD)
        note_undecoded(n, stream, frame, src, dst, ev);
    note_refusal(n, stream, frame, src, dst, ev);
}

const apg_undecoded *apg_stream_notes_undecoded_at(const apg_stream_notes *n, guint32 frame)
{
    return g_hash_table_lookup(n->by_frame, GUINT_TO_POINTER(frame));
}

const GPtrArray *apg_stream_notes_undecoded(const apg_stream_notes *n, guint *more)
{
    *more = n->undecoded_more;
    return n->undecoded;
}

const GPtrArray *apg_stream_notes_refused(const apg_stream_notes *n, guint *more)
{
    *more = n->refused_more;
    return n->refused;
}

char *apg_undecoded_hint(const apg_undecoded *u)
{
    guint port = u->server.port;
    return g_strdup_printf("TLS on TCP port %u that Wireshark did not decode (stream %u, frame "
                           "%u): Analyze > Decode As... > TCP port %u > TLS, or tshark -d "
                           "tcp.port==%u,tls",
                           port, u->stream, u->frame, port, port);
}

char *apg_refused_text(const apg_refused *r)
{
    char buf[APG_ENDPOINT_TEXT_LEN];
    return g_strdup_printf("connection to %s refused: the SYN (frame %u) was answered by a RST "
                           "(frame %u); nothing listened on that port, or a firewall rejected "
                           "it. No TLS was tried",
                           apg_endpoint_format(&r->server, buf), r->syn_frame, r->rst_frame);
}
