/* apg_render.h - the "Apigee handshake diagnosis" tree, its fields and its
 * expert info, drawn from a handshake record and its verdict.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_RENDER_H
#define APG_RENDER_H

#include "apg_compat.h"

#include <epan/packet.h>

#include "packet-apigee-hs.h"

/* Registers fields, subtrees and expert infos under proto. */
void apg_render_register(int proto);

/* Adds expert info for a verdict decided in this frame; safe with a NULL tree,
 * so it runs on every pass. */
void apg_render_expert(packet_info *pinfo, proto_item *item, const apg_verdict *v,
                       const apg_view *view);

/* Adds the handshake's subtree. show_outcome is false on frames of single-pass
 * tshark where the outcome is not known yet. Returns the protocol item. */
proto_item *apg_render_tree(proto_tree *tree, tvbuff_t *tvb, int proto,
                            const apg_conversation *conv, const apg_handshake *hs,
                            const apg_verdict *v, const apg_view *view, gboolean show_outcome);

#endif /* APG_RENDER_H */
