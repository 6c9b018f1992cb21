/* apg_render.h - the "Apigee handshake diagnosis" tree and its expert info,
 * drawn from a handshake record and its verdict (fields: apg_fields.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_RENDER_H
#define APG_RENDER_H

#include "apg_compat.h"

#include <epan/packet.h>

#include "packet-apigee-hs.h"

/* Adds the expert info of a verdict carried by this frame when there is no
 * tree: taps and the expert dialog need it on every pass. */
void apg_render_expert(packet_info *pinfo, const apg_verdict *v, const apg_view *view);

/* Adds the handshake's subtree. show_outcome is false on frames of single-pass
 * tshark where the outcome is not known yet; here is true on the one frame
 * that carries the verdict, which also gets the expert entries, attached to
 * their items. Returns the protocol item. */
proto_item *apg_render_tree(packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb, int proto,
                            const apg_conversation *conv, const apg_handshake *hs,
                            const apg_verdict *v, const apg_view *view, gboolean show_outcome,
                            gboolean here);

#endif /* APG_RENDER_H */
