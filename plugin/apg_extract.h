/* apg_extract.h - reads the TLS and TCP fields of one frame (first pass
 * only) and turns them into core events, in wire order.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_EXTRACT_H
#define APG_EXTRACT_H

#include "apg_compat.h"

#include <epan/packet.h>

#include "apg_observations.h"

/* Resolves the foreign field ids; call from the handoff. Logs fields this
 * Wireshark lacks. */
void apg_extract_resolve_fields(void);
/* The fields this Wireshark lacks, comma separated, or NULL when none. */
const char *apg_extract_missing_fields(void);
/* The ids to pass to set_postdissector_wanted_hfids (caller owns it). */
GArray *apg_extract_wanted_hfids(void);

typedef void (*apg_event_sink)(const apg_event *ev, void *user);

typedef struct {
    gboolean has_stream;
    guint32 stream;
    guint32 n_tls_records;
} apg_frame_facts;

/* Walks the frame's tree and calls sink for each event. Sender endpoint
 * indexes are left for the sink to set. */
void apg_extract_frame(proto_tree *tree, guint32 frame, apg_frame_facts *facts, apg_event_sink sink,
                       void *user);

/* The name of a cipher suite, read through tls.handshake.ciphersuite's own
 * value strings (the TLS tables are not exported). */
const char *apg_extract_suite_name(guint16 suite);
const char *apg_extract_group_name(guint16 group);

#endif /* APG_EXTRACT_H */
