/* apg_verdict.h - the rules that turn a handshake's observations into a
 * verdict: did it establish, fail, or is the capture incomplete; at which
 * stage; which alert and which frame decided it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_VERDICT_H
#define APG_VERDICT_H

#include "apg_handshake.h"

typedef enum {
    APG_OUTCOME_PENDING = 0, /* not decided yet (single pass, mid-capture) */
    APG_OUTCOME_ESTABLISHED,
    APG_OUTCOME_FAILED,
    APG_OUTCOME_INCOMPLETE,
} apg_outcome;

typedef enum {
    APG_STAGE_BEFORE_SERVER_HELLO = 0,
    APG_STAGE_AFTER_SERVER_HELLO,
    APG_STAGE_AFTER_CERTIFICATE,
    APG_STAGE_AFTER_FINISHED,
} apg_stage;

typedef enum {
    APG_CAUSE_NONE = 0,
    APG_CAUSE_INCOMPLETE_CAPTURE,
    APG_CAUSE_ALERT_OTHER,
    APG_CAUSE_NO_SERVER_RESPONSE,
    APG_CAUSE_SERVER_RESET,
    APG_CAUSE_SERVER_CLOSED,
    APG_CAUSE_CLIENT_ABORT,
    APG_CAUSE_NON_TLS_RESPONSE,
    /* Refined by the diagnosis rules (apg_diagnosis.h). */
    APG_CAUSE_PROTOCOL_MISMATCH,
    APG_CAUSE_SNI_MISSING,
    APG_CAUSE_CIPHER_MISMATCH,
    APG_CAUSE_CLIENT_CERT_MISSING,
    APG_CAUSE_CLIENT_CERT_REJECTED,
    APG_CAUSE_CERT_EXPIRED,
    APG_CAUSE_CERT_UNKNOWN,
    APG_CAUSE_CERT_REJECTED,
    /* Refined by certificate analysis (apg_cert.h). */
    APG_CAUSE_CERT_HOSTNAME_MISMATCH,
    APG_CAUSE_CERT_CHAIN_INCOMPLETE,
    APG_CAUSE_CERT_CHAIN_INVALID,
    APG_CAUSE_CERT_NOT_YET_VALID,
    APG_CAUSE_COUNT
} apg_cause;

typedef struct {
    apg_outcome outcome;
    apg_cause cause;
    apg_stage stage;
    guint32 decided_frame; /* the frame whose event settled it, 0 if none */
    gboolean has_alert;    /* the deciding alert, if any */
    apg_alert_seen alert;
    apg_role failed_side; /* who aborted, when has_failed_side */
    gboolean has_failed_side;
} apg_verdict;

/* Judges a handshake. at_end: the capture holds no more frames, so what is
 * still open is decided as incomplete (or as a missing server response). */
apg_verdict apg_evaluate(const apg_handshake *hs, gboolean at_end);

#endif /* APG_VERDICT_H */
