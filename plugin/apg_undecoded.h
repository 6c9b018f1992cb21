/* apg_undecoded.h - the note on a stream's first TLS-looking segment that
 * Wireshark did not decode as TLS: its fields, its expert entry, its tree.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_UNDECODED_H
#define APG_UNDECODED_H

#include "apg_compat.h"

#include <epan/packet.h>

#include "apg_stream_notes.h"

void apg_undecoded_register(int proto);
/* The expert entry always (taps need it without a tree); the subtree when
 * tree is not NULL. */
void apg_undecoded_render(packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb, int proto,
                          const apg_undecoded *u);

#endif /* APG_UNDECODED_H */
