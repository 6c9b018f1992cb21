/* packet-apigee-hs.h - the post-dissector's registration entry points and
 * the file-scoped state its parts share.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PACKET_APIGEE_HS_H
#define PACKET_APIGEE_HS_H

#include "apg_compat.h"

#include "apg_diagnosis.h"

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

/* Every conversation seen in the current file, in order of first frame.
 * Lives from the init routine to the cleanup routine. */
GPtrArray *apg_state_conversations(void);

/* A handshake diagnosed with what the capture and the preferences know of
 * its server, its certificates and its leg. */
typedef struct {
    apg_diagnosis d;
    apg_direction direction;
    const apg_chain_report *chain;        /* the server's: points into checked[] */
    const apg_chain_report *client_chain; /* two-way TLS */
    apg_chain_report checked[2];          /* owned; apg_view_clear() frees them */
} apg_view;

void apg_state_diagnose(const apg_conversation *conv, const apg_handshake *hs, const apg_verdict *v,
                        apg_view *out);
void apg_view_clear(apg_view *view);

/* The time of the capture's last frame (microseconds), once the first pass
 * has read it. */
gint64 apg_state_capture_end_us(void);

/* A parsed certificate of the current file, by its DER bytes. */
const apg_cert *apg_state_certificate(GBytes *der);

#endif /* PACKET_APIGEE_HS_H */
