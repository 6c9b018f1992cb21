/* apg_render.h - the "Apigee handshake diagnosis" tree and its expert info,
 * drawn from one frame's report alone (fields: apg_fields.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_RENDER_H
#define APG_RENDER_H

#include "apg_compat.h"

#include <epan/packet.h>

#include "apg_capture.h"

/* Adds the expert info of a verdict carried by this frame when there is no
 * tree: taps and the expert dialog need it on every pass. */
void apg_render_expert(packet_info *pinfo, const apg_report *rep);
/* The same under a tree item: the verdict's and the configuration's
 * entries, and the chains' (apg_render_expert.c). */
void apg_experts_of_verdict(packet_info *pinfo, proto_item *item, const apg_report *rep);
void apg_experts_of_chains(packet_info *pinfo, proto_item *item, const apg_report *rep);

/* Adds the handshake's subtree: the outcome where rep->shows_outcome, and on
 * the frame that carries the verdict (rep->here) its expert entries,
 * attached to their items. Returns the protocol item. */
proto_item *apg_render_tree(packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb, int proto,
                            const apg_report *rep);

/* The items a pipeline correlates on (apg_render_correlation.c): start
 * time, addresses and ports, resumption; and the leaf's SHA-256. */
void apg_render_correlation(proto_tree *t, tvbuff_t *tvb, const apg_report *rep);
void apg_render_leaf_sha256(proto_tree *t, tvbuff_t *tvb, const apg_handshake *hs);

#endif /* APG_RENDER_H */
