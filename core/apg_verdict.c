/* apg_verdict.c - decides what became of a handshake, from its evidence.
 *
 * The order follows how an engineer reads a capture: did both sides finish;
 * if not, did someone send a fatal alert; if not, who hung up, and when.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_verdict.h"

/* An unanswered ClientHello this close to the capture's end proves nothing. */
#define ANSWER_WAIT_US 1000000

static guint32 min_nonzero(guint32 a, guint32 b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    return MIN(a, b);
}

/* A readable close_notify from the client after its readable Finished: it
 * completed the handshake, then chose to leave (curl checking the name). */
static gboolean client_left_after_finished(const apg_handshake *hs)
{
    guint32 fin = hs->finished_frame[APG_ROLE_CLIENT];
    for (guint i = 0; fin && i < hs->alerts->len; i++) {
        const apg_alert_seen *a = &g_array_index(hs->alerts, apg_alert_seen, i);
        if (a->frame < fin)
            continue;
        return a->sender == APG_ROLE_CLIENT && !a->alert.encrypted &&
               a->alert.level == APG_ALERT_LEVEL_WARNING && a->alert.desc == APG_ALERT_CLOSE_NOTIFY;
    }
    return FALSE;
}

/* The frame where both sides proved they completed the handshake, or 0. */
static guint32 established_frame(const apg_handshake *hs)
{
    const guint32 *fin = hs->finished_frame;
    guint16 version = apg_hs_negotiated_version(hs);
    if (version == APG_SSL2)
        return hs->ssl2_server_frame; /* not analysed further */
    /* TLS 1.3 ends with the client's Finished: only the server speaking
     * after it (ticket, data) shows it was accepted. */
    if (version == APG_TLS13) {
        if (!hs->server_after_client_final && client_left_after_finished(hs))
            return fin[APG_ROLE_CLIENT];
        return hs->server_after_client_final;
    }
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
    return a->alert.level == APG_ALERT_LEVEL_FATAL || a->alert.desc == APG_ALERT_CLOSE_NOTIFY;
}

static const apg_alert_seen *first_ending_alert(const apg_handshake *hs, guint32 before)
{
    for (guint i = 0; i < hs->alerts->len; i++) {
        const apg_alert_seen *a = &g_array_index(hs->alerts, apg_alert_seen, i);
        if (before && a->frame > before)
            break;
        if (alert_ends_handshake(a) && !a->after_handshake)
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

static gboolean server_answered(const apg_handshake *hs)
{
    return hs->server_first_record_frame || hs->non_tls_frame || hs->ssl2_server_frame;
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
    else if (!server_answered(hs))
        fail(v, APG_CAUSE_NO_SERVER_RESPONSE, frame, APG_ROLE_SERVER);
    else
        fail(v, APG_CAUSE_CLIENT_ABORT, frame, who);
    return TRUE;
}

/* The client's second flight with no ServerHello in the capture: the
 * server's answer exists, the capture lacks it. */
static gboolean client_went_on_alone(const apg_handshake *hs)
{
    if (hs->server_hello_frame || hs->hrr_frame || hs->server_first_record_frame)
        return FALSE;
    return hs->client_kx_frame || hs->client_cert_frame || hs->ccs_frame[APG_ROLE_CLIENT] ||
           hs->finished_frame[APG_ROLE_CLIENT] || hs->encrypted_frame[APG_ROLE_CLIENT];
}

/* For a ClientHello without an answer: what says the capture, not the
 * server, is missing it. */
static apg_gap missing_answer(const apg_handshake *hs)
{
    if (client_went_on_alone(hs))
        return APG_GAP_CLIENT_WENT_ON;
    if (hs->client_acks_unseen)
        return APG_GAP_SERVER_BYTES;
    if (hs->out_of_order_frame)
        return APG_GAP_OUT_OF_ORDER;
    /* A ClientHello follows a TCP handshake the server answered: a capture
     * without a single server packet lacks that direction. A client that
     * retransmits got no ACK, so it is the server (or the path) that is mute. */
    if (!hs->server_packet_seen && !hs->ch_retransmissions)
        return APG_GAP_SERVER_DIRECTION;
    return APG_GAP_NONE;
}

static void incomplete(apg_verdict *v, apg_gap gap)
{
    v->outcome = APG_OUTCOME_INCOMPLETE;
    v->cause = APG_CAUSE_INCOMPLETE_CAPTURE;
    v->gap = gap;
}

/* TLS 1.3 without keys: a short server record after the client's flight,
 * then the server's close and nothing else, is a padded alert. */
static gboolean padded_server_alert(const apg_handshake *hs, apg_alert_seen *out)
{
    guint32 frame = hs->short_server_frame;
    if (!frame || hs->server_after_client_final)
        return FALSE;
    guint32 close = MAX(hs->fin_frame[APG_ROLE_SERVER], hs->rst_frame[APG_ROLE_SERVER]);
    if (!close || close < frame)
        return FALSE;
    *out = (apg_alert_seen){.frame = frame,
                            .sender = APG_ROLE_SERVER,
                            .alert = {.encrypted = TRUE},
                            .record_length = hs->short_server_len};
    return TRUE;
}

/* TLS 1.3 without keys: the server's flight stops on a record too short
 * for a Finished, the client never sends its own, and the connection
 * closes. Java sends ServerHello and EncryptedExtensions before it looks
 * for a certificate; a refusal then is a (padded) alert after them. */
static gboolean server_flight_cut_by_alert(const apg_handshake *hs, apg_alert_seen *out)
{
    guint n = hs->n_flight[APG_ROLE_SERVER];
    if (apg_hs_negotiated_version(hs) != APG_TLS13 || n < 2 ||
        n >= G_N_ELEMENTS(hs->flight_len[APG_ROLE_SERVER]) || hs->server_cert_frame ||
        hs->encrypted_frame[APG_ROLE_CLIENT] || hs->finished_frame[APG_ROLE_CLIENT])
        return FALSE;
    guint16 last = hs->flight_len[APG_ROLE_SERVER][n - 1];
    guint32 frame = hs->flight_end_frame[APG_ROLE_SERVER];
    apg_role who = APG_ROLE_CLIENT;
    gboolean is_rst = FALSE;
    guint32 close = first_close(hs, &who, &is_rst);
    if (last >= APG_TLS13_MIN_FINISHED_LEN || !frame || !close || close < frame)
        return FALSE;
    *out = (apg_alert_seen){.frame = frame,
                            .sender = APG_ROLE_SERVER,
                            .alert = {.encrypted = TRUE},
                            .record_length = last};
    return TRUE;
}

/* TLS 1.3: a client that sends its final flight and then its FIN (curl
 * leaving after checking the name) only half-closes; the server's tickets
 * can cross that FIN and still prove it accepted the flight. */
static gboolean accepted_after_half_close(const apg_handshake *hs, guint32 closed, apg_role closer,
                                          gboolean is_rst)
{
    guint32 final = hs->finished_frame[APG_ROLE_CLIENT] ? hs->finished_frame[APG_ROLE_CLIENT]
                                                        : hs->encrypted_frame[APG_ROLE_CLIENT];
    return apg_hs_negotiated_version(hs) == APG_TLS13 && closer == APG_ROLE_CLIENT && !is_rst &&
           final && final < closed;
}

/* Segments out of order that tshark did not reassemble (its default): the
 * server answered, yet no ServerHello came through to the dissector, so
 * nothing after it can be read safely. A readable server alert, or a
 * non-TLS answer, is an answer that did come through. */
static gboolean server_hello_lost_to_reordering(const apg_handshake *hs)
{
    if (!hs->out_of_order_frame || !hs->client_hello_frame || hs->server_hello_frame ||
        hs->hrr_frame || hs->non_tls_frame || hs->ssl2_server_frame || !hs->server_payload_seen)
        return FALSE;
    for (guint i = 0; i < hs->alerts->len; i++) {
        const apg_alert_seen *a = &g_array_index(hs->alerts, apg_alert_seen, i);
        if (a->sender == APG_ROLE_SERVER && !a->alert.encrypted)
            return FALSE;
    }
    return TRUE;
}

static void established(const apg_handshake *hs, apg_verdict *v, guint32 frame)
{
    v->outcome = APG_OUTCOME_ESTABLISHED;
    v->cause = APG_CAUSE_NONE;
    v->decided_frame = frame;
    if (apg_hs_negotiated_version(hs) != APG_SSL2)
        apg_verdict_note_next(hs, v);
}

/* A client's warning alert (user_canceled, close_notify) before any answer:
 * it gave up waiting. */
static gboolean judge_client_gave_up(const apg_handshake *hs, const apg_alert_seen *alert,
                                     apg_verdict *v)
{
    if (server_answered(hs) || alert->sender != APG_ROLE_CLIENT || alert->alert.encrypted ||
        alert->alert.level != APG_ALERT_LEVEL_WARNING)
        return FALSE;
    apg_gap gap = missing_answer(hs);
    if (gap) {
        incomplete(v, gap);
        return TRUE;
    }
    fail(v, APG_CAUSE_NO_SERVER_RESPONSE, alert->frame, APG_ROLE_SERVER);
    v->has_alert = TRUE;
    v->alert = *alert;
    return TRUE;
}

/* The client began a new handshake in the same stream after the server
 * answered this one with only a warning alert (no_renegotiation, say): the
 * server refused it, and the capture is not missing anything. */
static gboolean judge_superseded(const apg_handshake *hs, apg_verdict *v)
{
    if (!hs->superseded_frame || hs->server_hello_frame)
        return FALSE;
    for (guint i = 0; i < hs->alerts->len; i++) {
        const apg_alert_seen *a = &g_array_index(hs->alerts, apg_alert_seen, i);
        if (a->sender == APG_ROLE_SERVER && a->frame < hs->superseded_frame) {
            fail(v, APG_CAUSE_ALERT_OTHER, a->frame, a->sender);
            v->has_alert = TRUE;
            v->alert = *a;
            return TRUE;
        }
    }
    return FALSE;
}

/* The alert that ended the handshake: the first one read, else one read
 * from record sizes (v->inferred). */
static const apg_alert_seen *ending_alert(const apg_handshake *hs, guint32 est,
                                          apg_alert_seen *padded, apg_verdict *v)
{
    const apg_alert_seen *alert = first_ending_alert(hs, est);
    if (est || alert)
        return alert;
    if (padded_client_alert(hs, padded) || padded_server_alert(hs, padded) ||
        server_flight_cut_by_alert(hs, padded)) {
        v->inferred = TRUE;
        return padded;
    }
    return NULL;
}

/* What only the end of the capture settles: a short record without a close,
 * a ClientHello without an answer, or a handshake the capture cuts off. */
static void judge_at_end(const apg_handshake *hs, gint64 capture_end_us, apg_verdict *v)
{
    if (hs->short_server_frame && !hs->server_after_client_final) {
        established(hs, v, hs->short_server_frame); /* a short record, no close: likely a ticket */
        v->inferred = TRUE;
        return;
    }
    if (hs->saw_start && !server_answered(hs)) {
        gboolean too_soon = capture_end_us && hs->client_hello_time_us &&
                            capture_end_us - hs->client_hello_time_us < ANSWER_WAIT_US;
        if (too_soon)
            incomplete(v, APG_GAP_TOO_SOON);
        else
            fail(v, APG_CAUSE_NO_SERVER_RESPONSE, 0, APG_ROLE_SERVER);
        return;
    }
    incomplete(v, hs->out_of_order_frame ? APG_GAP_OUT_OF_ORDER : APG_GAP_END);
}

/* A client's alert or close with no answer in the capture: if the capture
 * lacks the server's direction, the reason is in what it lacks. */
static gboolean judge_unanswered(const apg_handshake *hs, const apg_alert_seen *alert,
                                 guint32 closed, gboolean at_end, apg_verdict *v)
{
    if (server_answered(hs) || (alert && alert->sender != APG_ROLE_CLIENT))
        return FALSE;
    apg_gap gap = missing_answer(hs);
    if (!gap || !(alert || closed || at_end))
        return FALSE;
    incomplete(v, gap);
    return TRUE;
}

/* Both sides finished: pending until the client speaks or a side leaves,
 * since a client that checks the certificate after the handshake leaves
 * without data. */
static void judge_established(const apg_handshake *hs, guint32 est, gboolean at_end, apg_verdict *v)
{
    established(hs, v, est);
    v->inferred = est == hs->short_server_frame;
    gboolean settled = v->next || apg_hs_negotiated_version(hs) == APG_SSL2;
    if (!at_end && !settled)
        *v = (apg_verdict){0};
}

static void judge(const apg_handshake *hs, gboolean at_end, gint64 capture_end_us, apg_verdict *v)
{
    if (hs->proxy_status) { /* the proxy's answer, read: no TLS followed */
        fail(v, APG_CAUSE_PROXY_REFUSED, hs->proxy_frame, APG_ROLE_SERVER);
        return;
    }
    guint32 est = established_frame(hs);
    if (!est && server_hello_lost_to_reordering(hs)) {
        incomplete(v, APG_GAP_OUT_OF_ORDER);
        return;
    }
    apg_alert_seen padded;
    const apg_alert_seen *alert = ending_alert(hs, est, &padded, v);
    apg_role closer = APG_ROLE_CLIENT;
    gboolean is_rst = FALSE;
    guint32 closed = first_close(hs, &closer, &is_rst);
    /* Whoever hung up before any alert decided it. */
    if (alert && closed && closed < alert->frame && (!est || closed < est))
        alert = NULL;

    gboolean half_closed = closed && accepted_after_half_close(hs, closed, closer, is_rst);
    if (est && !alert && (!closed || est <= closed || half_closed)) {
        judge_established(hs, est, at_end, v);
        return;
    }
    if (alert && judge_client_gave_up(hs, alert, v))
        return;
    if (judge_unanswered(hs, alert, closed, at_end, v))
        return;
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
    if (!at_end && half_closed)
        return; /* pending: the server's answer to the flight may still cross the FIN */
    if (judge_superseded(hs, v))
        return;
    if (judge_close(hs, v))
        return;
    if (!at_end)
        return; /* pending: later frames may still decide it */
    judge_at_end(hs, capture_end_us, v);
}

/* Without the ClientHello what was offered is unknown, but a ServerHello,
 * a chain and an alert still tell what happened: keep that outcome. */
static void judge_missing_start(const apg_handshake *hs, apg_verdict *v)
{
    gboolean handshake_seen = hs->server_hello_frame || hs->server_cert_frame || hs->hrr_frame;
    if (v->outcome == APG_OUTCOME_PENDING)
        return;
    /* Segments Wireshark did not reassemble (out of order) can hide the
     * ClientHello that is in the capture: say so rather than "it starts
     * after the ClientHello". */
    apg_gap why = hs->out_of_order_frame ? APG_GAP_OUT_OF_ORDER : APG_GAP_START;
    if (!handshake_seen || v->outcome == APG_OUTCOME_INCOMPLETE) {
        incomplete(v, why);
        v->has_failed_side = FALSE;
        return;
    }
    v->gap = why;
}

apg_verdict apg_evaluate(const apg_handshake *hs, gboolean at_end)
{
    return apg_evaluate_at(hs, at_end, 0);
}

apg_verdict apg_evaluate_at(const apg_handshake *hs, gboolean at_end, gint64 capture_end_us)
{
    apg_verdict v = {0};
    judge(hs, at_end, capture_end_us, &v);
    if (v.outcome == APG_OUTCOME_PENDING)
        return v;
    if (v.outcome == APG_OUTCOME_ESTABLISHED)
        v.stage = APG_STAGE_AFTER_FINISHED;
    else if (v.decided_frame)
        v.stage = stage_at(hs, v.decided_frame);
    else
        v.stage = stage_at(hs, hs->last_frame + 1);
    if (!hs->saw_start && !hs->proxy_status)
        judge_missing_start(hs, &v);
    return v;
}
