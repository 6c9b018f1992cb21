/* packet-apigee-hs.h - the post-dissector's registration entry points.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PACKET_APIGEE_HS_H
#define PACKET_APIGEE_HS_H

#include "apg_compat.h"

void proto_register_apigee_hs(void);
void proto_reg_handoff_apigee_hs(void);

#endif /* PACKET_APIGEE_HS_H */
