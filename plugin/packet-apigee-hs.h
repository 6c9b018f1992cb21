/* packet-apigee-hs.h - the post-dissector's registration entry points and
 * the file-scoped state its parts share.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PACKET_APIGEE_HS_H
#define PACKET_APIGEE_HS_H

#include "apg_compat.h"

#include "apg_capture.h"

/* What the "apigee_hs" tap gives its listeners: one record per handshake,
 * on the frame that carries its verdict (apigee_hs.verdict_here). */
typedef struct {
    const apg_conversation *conv;
    const apg_handshake *hs;
    apg_outcome outcome;
    apg_cause cause;
    apg_direction direction;
    gboolean has_alert;
    apg_alert_seen alert;
} apg_tap_record;

void proto_register_apigee_hs(void);
void proto_reg_handoff_apigee_hs(void);

/* The current file's state, from the init routine to the cleanup routine. */
apg_capture *apg_state_capture(void);

#endif /* PACKET_APIGEE_HS_H */
