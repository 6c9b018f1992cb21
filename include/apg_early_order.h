/* apg_early_order.h - segments that arrived late in a TCP stream before any
 * TLS was read in it: a ClientHello whose segments came out of order is not
 * read at all, so its handshake opens later (at the server's answer) and
 * learns from here that reordering, not a capture started late, hid it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_EARLY_ORDER_H
#define APG_EARLY_ORDER_H

#include "apg_handshake.h"

/* Streams followed by sequence number before their first TLS; past this
 * many, only Wireshark's tcp.analysis.out_of_order is read (a capture of a
 * million TCP streams without TLS must not grow by one state each). */
#define APG_MAX_EARLY_STREAMS 65536

typedef struct apg_early_order apg_early_order;

apg_early_order *apg_early_order_new(void);
void apg_early_order_free(apg_early_order *e);
/* A TCP event of a stream no conversation holds yet, sent by src. */
void apg_early_order_observe(apg_early_order *e, guint32 stream, guint32 frame,
                             const apg_endpoint *src, const apg_event *ev);
/* Hands what the stream's segments before its first TLS showed to hs, the
 * handshake that TLS opened in conv: the bytes each peer sent (into hs's
 * seq_track, by role: a resend of them is no late segment) and, returned,
 * the first late segment (0: none). Forgotten once handed. */
guint32 apg_early_order_hand_over(apg_early_order *e, guint32 stream, const apg_conversation *conv,
                                  apg_handshake *hs);

#endif /* APG_EARLY_ORDER_H */
