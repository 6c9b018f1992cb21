/* apg_tracker.c - sorts a conversation's events into handshakes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_handshake.h"
#include "apg_path_mtu.h"
#include "apg_reorder.h"
#include "apg_shared.h"
#include "apg_text.h"

#include <string.h>

/* A handshake opened by a ClientHello knows its client; any other takes
 * the conversation's hint (TCP handshake, ports), if any. */
static apg_handshake *handshake_new(const apg_conversation *conv, guint index, int client_endpoint,
                                    gboolean saw_start)
{
    apg_handshake *hs = g_new0(apg_handshake, 1);
    hs->index = index;
    hs->client_endpoint = client_endpoint;
    hs->roles_from = APG_ROLES_CLIENT_HELLO;
    if (client_endpoint < 0) {
        hs->client_endpoint = conv->client_hint;
        hs->roles_from = conv->client_hint >= 0 ? conv->hint_from : APG_ROLES_UNKNOWN;
    }
    hs->saw_start = saw_start;
    hs->server_certs = apg_shared_no_certs(conv->shared);
    hs->client_certs = apg_shared_no_certs(conv->shared);
    hs->alerts = apg_shared_no_alerts(conv->shared);
    return hs;
}

static void handshake_free(apg_shared *sh, apg_handshake *hs)
{
    apg_shared_offer_clear(sh, &hs->offer);
    apg_shared_chain_release(sh, hs->server_certs);
    apg_shared_chain_release(sh, hs->client_certs);
    if (hs->alerts != apg_shared_no_alerts(sh))
        g_array_free(hs->alerts, TRUE);
    if (hs->ca_names)
        g_ptr_array_unref(hs->ca_names);
    g_free(hs->ladder);
    apg_hs_free_too_big(hs);
    g_free(hs);
}

apg_conversation *apg_conv_new(guint32 stream, apg_shared *shared)
{
    apg_conversation *conv = g_new0(apg_conversation, 1);
    conv->stream = stream;
    conv->shared = shared ? shared : apg_shared_new();
    conv->owns_shared = shared == NULL;
    conv->handshakes = g_ptr_array_new();
    conv->client_hint = -1;
    return conv;
}

void apg_conv_free(apg_conversation *conv)
{
    if (!conv)
        return;
    for (guint i = 0; i < conv->handshakes->len; i++)
        handshake_free(conv->shared, g_ptr_array_index(conv->handshakes, i));
    g_ptr_array_free(conv->handshakes, TRUE);
    if (conv->owns_shared)
        apg_shared_free(conv->shared);
    g_free(conv);
}

apg_handshake *apg_conv_current(const apg_conversation *conv)
{
    if (conv->handshakes->len == 0)
        return NULL;
    return g_ptr_array_index(conv->handshakes, conv->handshakes->len - 1);
}

static gboolean server_has_answered(const apg_handshake *hs)
{
    return hs->server_first_record_frame != 0 || hs->non_tls_frame != 0;
}

/* The ClientHello sent again: a ClientHello the TLS dissector read again, or
 * (as Wireshark mostly has it) client data TCP marks as a retransmission
 * before the server answered. */
static void count_ch_retransmission(apg_handshake *hs, guint32 frame)
{
    if (hs->ch_retransmission_frame == frame)
        return;
    hs->ch_retransmission_frame = frame;
    hs->ch_retransmissions++;
}

/* Where a ClientHello goes: a retransmission or HRR retry stays in the
 * current handshake; anything else starts a new one. */
static apg_handshake *handshake_for_client_hello(apg_conversation *conv, const apg_event *ev,
                                                 gboolean *is_new)
{
    apg_handshake *cur = apg_conv_current(conv);
    *is_new = FALSE;
    if (cur && cur->client_hello_frame && cur->client_endpoint == ev->sender) {
        gboolean retry_after_hrr = cur->hrr_frame && !cur->server_hello_frame;
        if (retry_after_hrr)
            return cur;
        if (!server_has_answered(cur)) {
            count_ch_retransmission(cur, ev->frame);
            return cur;
        }
    }
    *is_new = TRUE;
    if (cur && !cur->superseded_frame)
        cur->superseded_frame = ev->frame;
    cur = handshake_new(conv, conv->handshakes->len, ev->sender, TRUE);
    g_ptr_array_add(conv->handshakes, cur);
    return cur;
}

/* Only the server's first payload tells: later ones are fragments of
 * records the TLS dissector is still reassembling. */
static gboolean is_non_tls_answer(const apg_handshake *hs, const apg_event *ev, apg_role role)
{
    /* a refusing proxy's status line and body are its answer, not TLS's */
    return ev->kind == APG_EV_TCP_PAYLOAD && role == APG_ROLE_SERVER && !hs->proxy_status &&
           !hs->server_first_record_frame && !hs->server_payload_seen && !ev->u.payload.looks_tls;
}

static gboolean ladder_wants(const apg_handshake *hs, const apg_event *ev, apg_role role)
{
    if (hs->n_steps >= APG_MAX_EVENTS_PER_HANDSHAKE)
        return FALSE;
    switch (ev->kind) {
    case APG_EV_ENCRYPTED_RECORD:
        /* Only the first opaque record of a side, and short ones that may
         * be alerts: a long session must not make a long ladder. */
        return hs->encrypted_frame[role] == 0 || ev->record_length == APG_TLS13_ENCRYPTED_ALERT_LEN;
    case APG_EV_TCP_PAYLOAD: return is_non_tls_answer(hs, ev, role);
    case APG_EV_TCP_FIN: return hs->fin_frame[role] == 0; /* not its retransmissions */
    case APG_EV_TCP_RST: return hs->rst_frame[role] == 0;
    case APG_EV_TCP_SEGMENT: return FALSE;
    default: return TRUE;
    }
}

static void add_step(apg_handshake *hs, const apg_event *ev, apg_role role)
{
    apg_step step = {.frame = ev->frame,
                     .role = role,
                     .kind = ev->kind,
                     .handshake_type = ev->handshake_type,
                     .record_length = (guint16)MIN(ev->record_length, G_MAXUINT16)};
    if (ev->kind == APG_EV_ALERT)
        step.alert = ev->u.alert;
    if (ev->kind == APG_EV_PROXY_RESPONSE)
        step.record_length = ev->u.proxy.status; /* a status line has no record */
    if (hs->n_steps == hs->steps_room) {
        /* 4, 6, 9, 13, 19...: measured smaller than doubling (core_bench) */
        guint room = MIN(MAX(4u, hs->steps_room + (hs->steps_room + 1u) / 2u),
                         (guint)APG_MAX_EVENTS_PER_HANDSHAKE);
        hs->ladder = g_renew(apg_step, hs->ladder, room);
        hs->steps_room = (guint16)room;
    }
    hs->ladder[hs->n_steps++] = step;
}

/* Both sides finished (TLS 1.2), or the server spoke after the client's
 * final flight (TLS 1.3), by the events seen so far. */
static gboolean handshake_complete(const apg_handshake *hs)
{
    if (apg_hs_negotiated_version(hs) == APG_TLS13)
        return hs->server_after_client_final != 0;
    return hs->finished_frame[APG_ROLE_CLIENT] && hs->finished_frame[APG_ROLE_SERVER];
}

static void add_alert(apg_handshake *hs, const apg_event *ev, apg_role role, apg_alert_obs obs)
{
    if (hs->alerts->len >= APG_MAX_EVENTS_PER_HANDSHAKE)
        return;
    if (hs->alerts->len == 0) /* the shared empty array: own ones are never empty */
        hs->alerts = g_array_new(FALSE, TRUE, sizeof(apg_alert_seen));
    apg_alert_seen a = {.frame = ev->frame,
                        .sender = role,
                        .alert = obs,
                        .record_length = ev->record_length,
                        .record_version = ev->record_version,
                        .after_handshake = handshake_complete(hs)};
    g_array_append_val(hs->alerts, a);
}

static void record_certificate(apg_shared *sh, apg_handshake *hs, const apg_event *ev,
                               apg_role role)
{
    if (role == APG_ROLE_CLIENT) {
        if (hs->client_cert_frame)
            return;
        hs->client_cert_frame = ev->frame;
        hs->client_cert_time = ev->time;
        hs->client_cert_count = ev->u.certificate.count;
        hs->client_certs = apg_shared_chain(sh, ev);
        return;
    }
    if (hs->server_cert_frame)
        return;
    hs->server_cert_frame = ev->frame;
    hs->server_cert_time = ev->time;
    hs->server_certs = apg_shared_chain(sh, ev);
}

static guint32 client_final_frame(const apg_handshake *hs);

/* TLS 1.3 without keys: a record that can only be an alert. A client's
 * short record after its Finished is its close_notify, not a refusal. */
static gboolean is_alert_record(const apg_handshake *hs, const apg_event *ev, apg_role role)
{
    if (apg_hs_negotiated_version(hs) != APG_TLS13)
        return FALSE;
    if (role == APG_ROLE_CLIENT)
        return ev->record_length == APG_TLS13_ENCRYPTED_ALERT_LEN &&
               !hs->encrypted_frame[APG_ROLE_CLIENT];
    guint32 final = client_final_frame(hs);
    if (final && ev->frame > final)
        return ev->record_length < APG_TLS13_MIN_TICKET_LEN;
    return ev->record_length == APG_TLS13_ENCRYPTED_ALERT_LEN;
}

/* The records of each side's encrypted flight: the server's until the
 * client's first encrypted record, the client's until the server answers. */
static void note_flight(apg_handshake *hs, const apg_event *ev, apg_role role)
{
    gboolean open = role == APG_ROLE_SERVER
                        ? !hs->encrypted_frame[APG_ROLE_CLIENT]
                        : !hs->server_after_client_final && !hs->short_server_frame;
    if (open && hs->n_flight[role] < G_N_ELEMENTS(hs->flight_len[role])) {
        hs->flight_len[role][hs->n_flight[role]++] = (guint16)MIN(ev->record_length, G_MAXUINT16);
        hs->flight_end_frame[role] = ev->frame;
    }
}

static void record_encrypted(apg_handshake *hs, const apg_event *ev, apg_role role)
{
    if (role == APG_ROLE_CLIENT && !hs->server_hello_frame && !hs->hrr_frame &&
        hs->client_hello_frame)
        return; /* 0-RTT early data: not the client's final flight */
    if (is_alert_record(hs, ev, role)) {
        apg_alert_obs obs = {.encrypted = TRUE};
        add_alert(hs, ev, role, obs);
        return;
    }
    gboolean tls13 = apg_hs_negotiated_version(hs) == APG_TLS13;
    if (tls13 && role == APG_ROLE_CLIENT && hs->encrypted_frame[role] &&
        ev->record_length == APG_TLS13_ENCRYPTED_ALERT_LEN) {
        apg_set_once(&hs->client_short_after_final, ev->frame);
        return;
    }
    if (tls13)
        note_flight(hs, ev, role);
    if (!hs->encrypted_count[role]++)
        hs->first_encrypted_len[role] = ev->record_length;
    apg_set_once(&hs->encrypted_frame[role], ev->frame);
}

/* A client's handshake record after its Finished (a renegotiation it asks
 * for, unreadable without keys) goes on with the call. */
static void record_finished(apg_handshake *hs, const apg_event *ev, apg_role role)
{
    guint32 done = hs->finished_frame[role];
    if (role == APG_ROLE_CLIENT && done && ev->frame > done)
        apg_set_once(&hs->client_handshake_after_finished, ev->frame);
    apg_set_once(&hs->finished_frame[role], ev->frame);
}

/* The client's last handshake flight: its Finished when readable, else its
 * first encrypted record (TLS 1.3 without keys). */
static guint32 client_final_frame(const apg_handshake *hs)
{
    if (hs->finished_frame[APG_ROLE_CLIENT])
        return hs->finished_frame[APG_ROLE_CLIENT];
    return hs->encrypted_frame[APG_ROLE_CLIENT];
}

/* TLS 1.3: the server speaking after the client's final flight accepted it,
 * unless what it sent is alert-sized. A short record (a padded alert, or a
 * small ticket) counts only once something else follows it. */
static void note_server_acceptance(apg_handshake *hs, const apg_event *ev, apg_role role)
{
    guint32 final = client_final_frame(hs);
    if (!final || ev->frame <= final || hs->server_after_client_final)
        return;
    if (role == APG_ROLE_CLIENT) {
        /* The client going on after a short server record: it was no alert. */
        if (hs->short_server_frame && ev->kind == APG_EV_ENCRYPTED_RECORD)
            hs->server_after_client_final = hs->short_server_frame;
        return;
    }
    if (!ev->record_version || ev->kind == APG_EV_ALERT)
        return;
    gboolean opaque = ev->kind == APG_EV_ENCRYPTED_RECORD;
    if (opaque && is_alert_record(hs, ev, role))
        return;
    if (opaque && !hs->short_server_frame && ev->record_length <= APG_TLS13_SHORT_RECORD_LEN) {
        hs->short_server_frame = ev->frame;
        hs->short_server_len = ev->record_length;
        return;
    }
    hs->server_after_client_final = hs->short_server_frame ? hs->short_server_frame : ev->frame;
}

static void record_other_handshake(apg_handshake *hs, const apg_event *ev, apg_role role)
{
    if (role == APG_ROLE_CLIENT && ev->handshake_type == APG_HS_CLIENT_KEY_EXCHANGE)
        apg_set_once(&hs->client_kx_frame, ev->frame);
    if (role == APG_ROLE_SERVER && ev->handshake_type == APG_HS_SERVER_KEY_EXCHANGE &&
        !hs->ske_frame) {
        hs->ske_frame = ev->frame;
        hs->dh_bits = ev->dh_bits;
        if (ev->named_curve)
            hs->server_group = ev->named_curve;
    }
}

/* Closes, non-TLS bytes and what TCP says of the segments. */
static void record_tcp(apg_handshake *hs, const apg_event *ev, apg_role role)
{
    switch (ev->kind) {
    case APG_EV_TCP_FIN:
    case APG_EV_TCP_RST:
        apg_set_once(ev->kind == APG_EV_TCP_FIN ? &hs->fin_frame[role] : &hs->rst_frame[role],
                     ev->frame);
        if (!hs->close_time_us)
            hs->close_time_us = ev->time_us;
        break;
    case APG_EV_TCP_PAYLOAD:
        if (is_non_tls_answer(hs, ev, role))
            hs->non_tls_frame = ev->frame;
        if (role == APG_ROLE_SERVER)
            hs->server_payload_seen = TRUE;
        break;
    default:
        if (ev->u.tcp.acks_unseen && role == APG_ROLE_CLIENT)
            apg_set_once(&hs->client_acks_unseen, ev->frame);
        gboolean resent =
            apg_seq_seen(&hs->seq_track[role & 1], ev->frame, ev->tcp_seq, ev->tcp_len);
        if (apg_seq_may_hide_records(ev, resent))
            apg_set_once(&hs->out_of_order_frame, ev->frame);
        if ((ev->u.tcp.resent_data || resent) && role == APG_ROLE_CLIENT &&
            hs->client_hello_frame && ev->frame > hs->client_hello_frame &&
            !server_has_answered(hs) && !hs->client_kx_frame)
            count_ch_retransmission(hs, ev->frame);
        break;
    }
}

static void record_event(apg_shared *sh, apg_handshake *hs, const apg_event *ev)
{
    apg_hs_learn_roles(hs, ev);
    apg_role role = apg_hs_role_of(hs, ev->sender);
    if (role == APG_ROLE_SERVER)
        hs->server_packet_seen = TRUE;
    note_server_acceptance(hs, ev, role);
    if (ladder_wants(hs, ev, role))
        add_step(hs, ev, role);
    if (role == APG_ROLE_SERVER && ev->record_version && !hs->server_first_record_frame) {
        hs->server_first_record_frame = ev->frame;
        hs->server_first_record_version = ev->record_version;
    }
    switch (ev->kind) {
    case APG_EV_CLIENT_HELLO: apg_hs_record_hello(sh, hs, ev); break;
    case APG_EV_SERVER_HELLO: apg_hs_record_hello(sh, hs, ev); break;
    case APG_EV_CERTIFICATE: record_certificate(sh, hs, ev, role); break;
    case APG_EV_CERT_REQUEST: apg_hs_record_cert_request(hs, ev); break;
    case APG_EV_SERVER_HELLO_DONE: apg_set_once(&hs->server_hello_done_frame, ev->frame); break;
    case APG_EV_FINISHED:
    case APG_EV_ENCRYPTED_HANDSHAKE: record_finished(hs, ev, role); break;
    case APG_EV_CHANGE_CIPHER_SPEC: apg_set_once(&hs->ccs_frame[role], ev->frame); break;
    case APG_EV_ALERT: add_alert(hs, ev, role, ev->u.alert); break;
    case APG_EV_ENCRYPTED_RECORD: record_encrypted(hs, ev, role); break;
    case APG_EV_TCP_FIN:
    case APG_EV_TCP_RST:
    case APG_EV_TCP_PAYLOAD:
    case APG_EV_TCP_SEGMENT: record_tcp(hs, ev, role); break;
    case APG_EV_OTHER_HANDSHAKE:
        record_other_handshake(hs, ev, role);
        if (role == APG_ROLE_SERVER)
            apg_hs_note_alpn(sh, hs, ev); /* TLS 1.3: in EncryptedExtensions */
        break;
    case APG_EV_SSL2_MESSAGE:
        if (role == APG_ROLE_SERVER && ev->handshake_type == APG_SSL2_SERVER_HELLO)
            apg_set_once(&hs->ssl2_server_frame, ev->frame);
        break;
    case APG_EV_PROXY_CONNECT:
    case APG_EV_PROXY_RESPONSE: break; /* on the conversation (apg_proxy.c) */
    case APG_EV_PATH_TOO_BIG:          /* noted apart: a router's packet, not a peer's */
    case APG_EV_COUNT: break;
    }
    apg_hs_note_delivery(hs, ev, role);
    apg_hs_note_sequence(hs, ev, role);
}

/* The proxy refused the tunnel: its leg is the call's only handshake, the
 * CONNECT its first step; the sender of the CONNECT is the client. */
static apg_handshake *proxy_refusal_new(apg_conversation *conv)
{
    const apg_proxy_leg *p = &conv->proxy;
    apg_handshake *hs = handshake_new(conv, 0, p->client, FALSE);
    hs->roles_from = APG_ROLES_MESSAGES;
    hs->proxy_status = p->status;
    hs->proxy_frame = p->status_frame;
    hs->first_frame = p->connect_frame;
    g_ptr_array_add(conv->handshakes, hs);
    apg_event connect = {.kind = APG_EV_PROXY_CONNECT, .frame = p->connect_frame};
    add_step(hs, &connect, APG_ROLE_CLIENT);
    return hs;
}

/* An encrypted handshake record is a Finished only after its sender's
 * ChangeCipherSpec; before, it is a fragment the TLS dissector reassembles. */
static gboolean is_unreadable_fragment(const apg_handshake *hs, const apg_event *ev)
{
    if (ev->kind != APG_EV_ENCRYPTED_HANDSHAKE)
        return FALSE;
    return hs->ccs_frame[apg_hs_role_of(hs, ev->sender)] == 0;
}

/* The handshake's first and last frames, and when it started. */
static void note_span(apg_handshake *hs, const apg_event *ev)
{
    if (!hs->first_frame)
        hs->first_frame = ev->frame;
    if (!hs->first_time_us)
        hs->first_time_us = ev->time_us;
    hs->last_frame = MAX(hs->last_frame, ev->frame);
}

/* What is no step of the handshake, noted on the current one: a pure ACK's
 * bookkeeping, a router's word on a peer's packet (no packet of the peer's,
 * so it proves nothing of the peer: no ACK, no role). */
static gboolean observe_aside(apg_conversation *conv, const apg_event *ev)
{
    if (ev->kind != APG_EV_PATH_TOO_BIG && ev->kind != APG_EV_TCP_SEGMENT)
        return FALSE;
    apg_handshake *hs = apg_conv_current(conv);
    if (hs && ev->kind == APG_EV_TCP_SEGMENT)
        record_event(conv->shared, hs, ev);
    else if (hs && hs->client_endpoint >= 0)
        apg_hs_note_too_big(hs, ev, apg_hs_role_of(hs, ev->sender));
    return TRUE;
}

apg_handshake *apg_conv_observe(apg_conversation *conv, const apg_event *ev)
{
    apg_handshake *hs;
    gboolean is_new = FALSE;

    if (ev->kind == APG_EV_TCP_FIN)
        apg_set_once(&conv->fin_frame[ev->sender & 1], ev->frame);
    if (ev->kind == APG_EV_TCP_RST)
        apg_set_once(&conv->rst_frame[ev->sender & 1], ev->frame);

    if (observe_aside(conv, ev))
        return NULL;
    if (ev->kind == APG_EV_PROXY_CONNECT || ev->kind == APG_EV_PROXY_RESPONSE) {
        if (!apg_conv_note_proxy(conv, ev))
            return NULL;
        hs = proxy_refusal_new(conv);
    } else if (ev->kind == APG_EV_CLIENT_HELLO) {
        hs = handshake_for_client_hello(conv, ev, &is_new);
        if (!is_new && hs->client_hello_frame && !hs->hrr_frame)
            return hs; /* a retransmission: nothing new to record */
    } else {
        hs = apg_conv_current(conv);
        if (!hs) {
            if (apg_event_is_tcp(ev->kind))
                return NULL;
            /* A handshake record nobody could read opens no handshake: at a
             * stream's start it is a fragment of a hello spread over several
             * records, which a later record completes and opens; if it was
             * encrypted (the capture missed the start), what follows opens
             * the handshake. */
            if (ev->kind == APG_EV_ENCRYPTED_HANDSHAKE)
                return NULL;
            /* TLS without a ClientHello: the capture missed the start. */
            hs = handshake_new(conv, 0, -1, FALSE);
            g_ptr_array_add(conv->handshakes, hs);
        }
    }
    if (is_unreadable_fragment(hs, ev))
        return hs;
    note_span(hs, ev);
    hs->n_events++;
    record_event(conv->shared, hs, ev);
    return hs;
}
