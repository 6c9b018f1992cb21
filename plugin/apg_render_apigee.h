/* apg_render_apigee.h - the verdict against the user's Apigee export, in the
 * tree (apigee_hs.apigee.*).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_RENDER_APIGEE_H
#define APG_RENDER_APIGEE_H

#include "apg_compat.h"

#include <epan/packet.h>

#include "apg_capture.h"

void apg_fields_register_apigee(int proto);
/* The "Apigee configuration" branch; nothing when no export is configured. */
void apg_render_apigee(proto_tree *tree, tvbuff_t *tvb, const apg_report *rep);

#endif /* APG_RENDER_APIGEE_H */
