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

/* Every cause, in the order of include/apg_causes.def. */
typedef enum {
#define APG_CAUSE(id, ...) APG_CAUSE_##id,
#include "apg_causes.def"
#undef APG_CAUSE
    APG_CAUSE_COUNT
} apg_cause;

/* A set of causes (the alternatives a diagnosis leaves open). */
typedef guint32 apg_cause_set;
#define APG_CAUSE_BIT(c) ((apg_cause_set)1u << (c))
G_STATIC_ASSERT(APG_CAUSE_COUNT <= 32);

/* The expert-info group a cause belongs to (the glue maps it to PI_*). */
typedef enum {
    APG_GROUP_CHAT,
    APG_GROUP_SEQUENCE,
    APG_GROUP_SECURITY,
    APG_GROUP_PROTOCOL,
} apg_cause_group;

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
