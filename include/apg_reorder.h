/* apg_reorder.h - segments that arrive after later ones of their direction.
 * Wireshark 4.0 and 4.4 mark such a segment tcp.analysis.out_of_order, 4.6
 * may mark it a retransmission; its TLS dissector reads neither unless
 * tcp.reassemble_out_of_order is on. Read from sequence numbers here, so
 * that every version gives the same verdict.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_REORDER_H
#define APG_REORDER_H

#include "apg_handshake.h"

/* Notes a segment [seq, seq + len) of one direction: a segment beyond the
 * bytes seen opens a gap; TRUE when its bytes fall in the gap (it arrived
 * late). A segment without data counts too: its sender has sent every byte
 * before seq. frame: the event's (a frame's events are one segment). */
gboolean apg_seq_note(apg_seq_track *t, guint32 frame, guint32 seq, guint32 len);

/* TRUE when every byte of [seq, seq + len) was seen in an earlier frame, in
 * one run without a gap (asked before the segment is noted): a resent
 * segment, which hides nothing from the TLS dissector whatever Wireshark
 * calls it (4.0 and 4.4 may call a resend soon after later data out of
 * order, 4.6 a retransmission). Data only. */
gboolean apg_seq_seen(const apg_seq_track *t, guint32 frame, guint32 seq, guint32 len);

/* Adds to t the bytes seen in before, the same direction's segments before
 * t's first frame (a stream's before its first TLS: apg_early_order.h). */
void apg_seq_add_seen(apg_seq_track *t, const apg_seq_track *before);

/* Whether Wireshark's tcp.analysis.out_of_order on the event's segment may
 * have kept TLS records from the dissector: only on data not seen before
 * (resent: apg_seq_seen). 4.4 and 4.6 also flag a SYN-ACK sent again, which
 * carries none. */
gboolean apg_seq_may_hide_records(const apg_event *ev, gboolean resent);

/* Notes the event's segment (its tcp_seq, tcp_len) as role's: a segment that
 * starts beyond the bytes seen opens a gap; one whose bytes fall in the gap
 * arrived late and sets hs->out_of_order_frame (once). A segment seen
 * before, resent, is no late arrival: its bytes are not in the gap. */
void apg_hs_note_sequence(apg_handshake *hs, const apg_event *ev, apg_role role);

#endif /* APG_REORDER_H */
