/* apg_verdict.c - decides what became of a handshake, from its evidence.
 *
 * The order follows how an engineer reads a capture: did both sides finish;
 * if not, did someone send a fatal alert; if not, who hung up, and when.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_verdict.h"

#define ALERT_LEVEL_FATAL  2
#define ALERT_CLOSE_NOTIFY 0

static guint32 min_nonzero(guint32 a, guint32 b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    return MIN(a, b);
}

/* The frame where both sides proved they completed the handshake, or 0. */
static guint32 established_frame(const apg_handshake *hs)
{
    const guint32 *fin = hs->finished_frame;
    /* TLS 1.3 ends with the client's Finished: only the server speaking
     * after it (ticket, data) shows it was accepted. */
    if (apg_hs_negotiated_version(hs) == APG_TLS13)
        return hs->server_after_client_final;
    if (fin[APG_ROLE_CLIENT] && fin[APG_ROLE_SERVER])
        return MAX(fin[APG_ROLE_CLIENT], fin[APG_ROLE_SERVER]);
    return 0;
}

/* A fatal alert, or an alert we cannot read, or a close_notify sent before
 * the handshake completed: each ends the handshake. */
static gboolean alert_ends_handshake(const apg_alert_seen *a)
{
    if (a->alert.encrypted)
        return TRUE;
    return a->alert.level == ALERT_LEVEL_FATAL || a->alert.desc == ALERT_CLOSE_NOTIFY;
}

static const apg_alert_seen *first_ending_alert(const apg_handshake *hs, guint32 before)
{
    for (guint i = 0; i < hs->alerts->len; i++) {
        const apg_alert_seen *a = &g_array_index(hs->alerts, apg_alert_seen, i);
        if (before && a->frame > before)
            break;
        if (alert_ends_handshake(a))
            return a;
    }
    return NULL;
}

/* TLS 1.3 without keys: a client whose only encrypted record is too short
 * to be its Finished sent an alert instead. */
static gboolean padded_client_alert(const apg_handshake *hs, apg_alert_seen *out)
{
    if (apg_hs_negotiated_version(hs) != APG_TLS13 || hs->finished_frame[APG_ROLE_CLIENT] ||
        hs->encrypted_count[APG_ROLE_CLIENT] != 1 ||
        hs->first_encrypted_len[APG_ROLE_CLIENT] >= APG_TLS13_MIN_FINISHED_LEN)
        return FALSE;
    *out = (apg_alert_seen){.frame = hs->encrypted_frame[APG_ROLE_CLIENT],
                            .sender = APG_ROLE_CLIENT,
                            .alert = {.encrypted = TRUE},
                            .record_length = hs->first_encrypted_len[APG_ROLE_CLIENT]};
    return TRUE;
}

static apg_stage stage_at(const apg_handshake *hs, guint32 frame)
{
    /* In TLS 1.3 the server's Finished rides with its Certificate, so only
     * the client's Finished moves the handshake past that flight. */
    guint32 fin = hs->finished_frame[APG_ROLE_CLIENT];
    if (apg_hs_negotiated_version(hs) != APG_TLS13)
        fin = min_nonzero(fin, hs->finished_frame[APG_ROLE_SERVER]);
    if (fin && fin < frame)
        return APG_STAGE_AFTER_FINISHED;
    if (hs->server_cert_frame && hs->server_cert_frame <= frame)
        return APG_STAGE_AFTER_CERTIFICATE;
    guint32 sh = min_nonzero(hs->server_hello_frame, hs->hrr_frame);
    if (sh && sh <= frame)
        return APG_STAGE_AFTER_SERVER_HELLO;
    return APG_STAGE_BEFORE_SERVER_HELLO;
}

/* The first TCP close of this handshake: which side, which frame, RST? */
static guint32 first_close(const apg_handshake *hs, apg_role *who, gboolean *is_rst)
{
    guint32 best = 0;
    for (int role = 0; role < 2; role++) {
        guint32 f = hs->fin_frame[role], r = hs->rst_frame[role];
        if (f && (!best || f < best)) {
            best = f, *who = role, *is_rst = FALSE;
        }
        if (r && (!best || r < best)) {
            best = r, *who = role, *is_rst = TRUE;
        }
    }
    return best;
}

static void fail(apg_verdict *v, apg_cause cause, guint32 frame, apg_role side)
{
    v->outcome = APG_OUTCOME_FAILED;
    v->cause = cause;
    v->decided_frame = frame;
    v->failed_side = side;
    v->has_failed_side = TRUE;
}

static gboolean judge_close(const apg_handshake *hs, apg_verdict *v)
{
    apg_role who = APG_ROLE_CLIENT;
    gboolean is_rst = FALSE;
    guint32 frame = first_close(hs, &who, &is_rst);
    if (!frame)
        return FALSE;
    if (who == APG_ROLE_SERVER)
        fail(v, is_rst ? APG_CAUSE_SERVER_RESET : APG_CAUSE_SERVER_CLOSED, frame, who);
    else if (!hs->server_first_record_frame)
        fail(v, APG_CAUSE_NO_SERVER_RESPONSE, frame, APG_ROLE_SERVER);
    else
        fail(v, APG_CAUSE_CLIENT_ABORT, frame, who);
    return TRUE;
}

static void judge(const apg_handshake *hs, gboolean at_end, apg_verdict *v)
{
    guint32 est = established_frame(hs);
    const apg_alert_seen *alert = first_ending_alert(hs, est);
    apg_alert_seen padded;
    if (!est && !alert && padded_client_alert(hs, &padded))
        alert = &padded;
    apg_role closer = APG_ROLE_CLIENT;
    gboolean is_rst = FALSE;
    guint32 closed = first_close(hs, &closer, &is_rst);
    /* Whoever hung up before any alert decided it. */
    if (alert && closed && closed < alert->frame && (!est || closed < est))
        alert = NULL;

    if (est && !alert && (!closed || est <= closed)) {
        v->outcome = APG_OUTCOME_ESTABLISHED;
        v->cause = APG_CAUSE_NONE;
        v->decided_frame = est;
        return;
    }
    if (alert) {
        fail(v, APG_CAUSE_ALERT_OTHER, alert->frame, alert->sender);
        v->has_alert = TRUE;
        v->alert = *alert;
        return;
    }
    if (hs->non_tls_frame) {
        fail(v, APG_CAUSE_NON_TLS_RESPONSE, hs->non_tls_frame, APG_ROLE_SERVER);
        return;
    }
    if (judge_close(hs, v))
        return;
    if (!at_end)
        return; /* pending: later frames may still decide it */
    if (hs->saw_start && !hs->server_first_record_frame) {
        fail(v, APG_CAUSE_NO_SERVER_RESPONSE, 0, APG_ROLE_SERVER);
        return;
    }
    v->outcome = APG_OUTCOME_INCOMPLETE;
    v->cause = APG_CAUSE_INCOMPLETE_CAPTURE;
}

apg_verdict apg_evaluate(const apg_handshake *hs, gboolean at_end)
{
    apg_verdict v = {0};
    judge(hs, at_end, &v);
    if (v.outcome == APG_OUTCOME_PENDING)
        return v;
    if (v.outcome == APG_OUTCOME_ESTABLISHED)
        v.stage = APG_STAGE_AFTER_FINISHED;
    else if (v.decided_frame)
        v.stage = stage_at(hs, v.decided_frame);
    else
        v.stage = stage_at(hs, hs->last_frame + 1);
    if (!hs->saw_start) {
        /* Without the ClientHello we cannot know what was offered: report
         * what happened, but call the capture incomplete. */
        v.outcome = APG_OUTCOME_INCOMPLETE;
        v.cause = APG_CAUSE_INCOMPLETE_CAPTURE;
    }
    return v;
}
