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

/* Why a capture cannot show a handshake's outcome (or shows it only partly). */
typedef enum {
    APG_GAP_NONE = 0,
    APG_GAP_END,              /* the capture ends before the outcome */
    APG_GAP_TOO_SOON,         /* it ends within a second of an unanswered ClientHello */
    APG_GAP_START,            /* it starts after the ClientHello */
    APG_GAP_SERVER_DIRECTION, /* no packet from the server at all: one direction is missing */
    APG_GAP_SERVER_BYTES,     /* the client acknowledges server bytes the capture lacks */
    APG_GAP_CLIENT_WENT_ON,   /* the client's second flight without a ServerHello in the capture */
    APG_GAP_OUT_OF_ORDER,     /* segments out of order, not reassembled */
} apg_gap;

/* After an established handshake, what settles the call: the client's data,
 * or a side leaving before any. */
typedef enum {
    APG_NEXT_UNSEEN = 0,  /* the capture ends first */
    APG_NEXT_CLIENT_DATA, /* the client sent data: the call went on */
    APG_NEXT_CLIENT_LEFT, /* the client left without a byte of data (next_frame) */
    APG_NEXT_SERVER_LEFT, /* the server closed first, before any data of the client's */
} apg_next;

typedef struct {
    apg_outcome outcome;
    apg_cause cause;
    apg_stage stage;
    guint32 decided_frame; /* the frame whose event settled it, 0 if none */
    gboolean has_alert;    /* the deciding alert, if any */
    apg_alert_seen alert;
    apg_role failed_side; /* who aborted, when has_failed_side */
    gboolean has_failed_side;
    apg_gap gap;        /* what the capture lacks, for incomplete verdicts and notes */
    gboolean inferred;  /* the outcome rests on record sizes (TLS 1.3 without keys) */
    apg_next next;      /* established: what followed the handshake */
    guint32 next_frame; /* where a side left (APG_NEXT_*_LEFT) */
} apg_verdict;

/* Judges a handshake. at_end: the capture holds no more frames, so what is
 * still open is decided as incomplete (or as a missing server response). */
apg_verdict apg_evaluate(const apg_handshake *hs, gboolean at_end);
/* The same, knowing the time of the capture's last frame (microseconds; 0
 * when unknown): an unanswered ClientHello shortly before it proves nothing. */
apg_verdict apg_evaluate_at(const apg_handshake *hs, gboolean at_end, gint64 capture_end_us);
/* Notes what followed an established handshake (v->next, v->next_frame;
 * core/apg_verdict_next.c). */
void apg_verdict_note_next(const apg_handshake *hs, apg_verdict *v);
/* An established handshake whose client left without data over what the
 * certificate shows, or whose server left over the client's certificate
 * (the diagnosis decides that): a failed call, decided where that side left. */
void apg_verdict_abandoned(apg_verdict *v);

#endif /* APG_VERDICT_H */
