/* apg_tap.h - the "apigee_hs" tap: what it gives its listeners (the -z
 * tables, the statistics tree, Lua or C taps of others).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_TAP_H
#define APG_TAP_H

#include "apg_capture.h"

#define APG_TAP_NAME "apigee_hs"

/* One record per handshake, on the frame that carries its verdict
 * (apigee_hs.verdict_here); copied from the frame's report. */
typedef struct {
    const apg_conversation *conv;
    const apg_handshake *hs;
    apg_outcome outcome;
    apg_cause cause;
    apg_confidence confidence;
    apg_stage stage;
    apg_direction direction;
    gboolean has_alert;
    apg_alert_seen alert;
} apg_tap_record;

#endif /* APG_TAP_H */
