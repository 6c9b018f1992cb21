/* apg_stream_notes.h - TCP streams the TLS tracker never opened that still
 * tell the analyst something: TLS handshake bytes Wireshark did not decode
 * as TLS (a port another dissector claims, or none: Decode As), and
 * connections refused (a SYN answered by a RST, no SYN-ACK).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_STREAM_NOTES_H
#define APG_STREAM_NOTES_H

#include "apg_addr.h"
#include "apg_observations.h"

/* At most this many of each are kept (a count says how many more). */
#define APG_MAX_STREAM_NOTES 4096

/* A stream whose first such segment starts like a TLS handshake record. */
typedef struct {
    guint32 stream, frame;
    apg_endpoint client,
        server;            /* the server: where a ClientHello went, or a ServerHello came from */
    gboolean whole_record; /* the record is whole in that segment: TLS would have read it */
} apg_undecoded;

typedef struct {
    guint32 stream, syn_frame, rst_frame;
    apg_endpoint client, server;
} apg_refused;

typedef struct apg_stream_notes apg_stream_notes;

apg_stream_notes *apg_stream_notes_new(void);
void apg_stream_notes_free(apg_stream_notes *notes);

/* A TCP event of a stream without TLS, in frame order (first pass). */
void apg_stream_notes_observe(apg_stream_notes *notes, guint32 stream, guint32 frame,
                              const apg_endpoint *src, const apg_endpoint *dst,
                              const apg_event *ev);

/* The stream noted at this frame (its first TLS-looking segment), or NULL. */
const apg_undecoded *apg_stream_notes_undecoded_at(const apg_stream_notes *notes, guint32 frame);
/* In stream order: apg_undecoded* and apg_refused*, owned by notes; and how
 * many more the bound left out. */
const GPtrArray *apg_stream_notes_undecoded(const apg_stream_notes *notes, guint *more);
const GPtrArray *apg_stream_notes_refused(const apg_stream_notes *notes, guint *more);

/* What to tell the analyst (g_free): the Decode As to use; the refusal. */
char *apg_undecoded_hint(const apg_undecoded *u);
char *apg_refused_text(const apg_refused *r);

#endif /* APG_STREAM_NOTES_H */
