/* apg_verdict_next.c - what follows an established handshake: the client's
 * data settles the call; a side leaving before any leaves it open, and a
 * client that leaves over its certificate abandoned the call (the
 * diagnosis reads the certificate, apg_verdict_abandoned records it).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_verdict.h"

static guint32 earliest(guint32 a, guint32 b)
{
    return !a ? b : !b ? a : MIN(a, b);
}

/* TLS 1.3 without keys: the client's records cannot be read, only counted. */
static gboolean client_flight_opaque(const apg_handshake *hs)
{
    return apg_hs_negotiated_version(hs) == APG_TLS13 && !hs->finished_frame[APG_ROLE_CLIENT] &&
           !hs->server_cert_frame;
}

/* Without keys in TLS 1.3 the client's only record must be its Finished,
 * and no client certificate asked for (five server records), else the
 * count says nothing. A new ClientHello (renegotiation) goes on too. */
static gboolean client_sent_data(const apg_handshake *hs)
{
    if (hs->superseded_frame || hs->client_handshake_after_finished)
        return TRUE;
    if (client_flight_opaque(hs))
        return hs->encrypted_count[APG_ROLE_CLIENT] > 1 || hs->n_flight[APG_ROLE_SERVER] >= 5;
    return hs->encrypted_frame[APG_ROLE_CLIENT] != 0;
}

/* Where a side first left: its first alert, FIN or RST at or after frame
 * from (for the client also an alert-sized record after its Finished). */
static guint32 side_left(const apg_handshake *hs, apg_role side, guint32 from)
{
    guint32 left = side == APG_ROLE_CLIENT ? hs->client_short_after_final : 0;
    for (guint i = 0; i < hs->alerts->len; i++) {
        const apg_alert_seen *al = &g_array_index(hs->alerts, apg_alert_seen, i);
        if (al->sender == side && al->frame >= from)
            left = earliest(left, al->frame);
    }
    left = earliest(left, hs->fin_frame[side]);
    return earliest(left, hs->rst_frame[side]);
}

/* What followed the handshake: the client's data settles the call; a side
 * leaving before any leaves it open (the diagnosis reads the certificate). */
void apg_verdict_note_next(const apg_handshake *hs, apg_verdict *v)
{
    if (client_sent_data(hs)) {
        v->next = APG_NEXT_CLIENT_DATA;
        return;
    }
    guint32 client = side_left(hs, APG_ROLE_CLIENT, 0);
    guint32 server = side_left(hs, APG_ROLE_SERVER, v->decided_frame);
    if (client && (!server || client <= server)) {
        v->next = APG_NEXT_CLIENT_LEFT;
        v->next_frame = client;
    } else if (server) {
        v->next = APG_NEXT_SERVER_LEFT;
        v->next_frame = server;
    }
}

void apg_verdict_abandoned(apg_verdict *v)
{
    gboolean client = v->next == APG_NEXT_CLIENT_LEFT, server = v->next == APG_NEXT_SERVER_LEFT;
    if (v->outcome != APG_OUTCOME_ESTABLISHED || (!client && !server))
        return;
    v->outcome = APG_OUTCOME_FAILED;
    v->cause = client ? APG_CAUSE_CLIENT_ABORT : APG_CAUSE_SERVER_CLOSED;
    v->decided_frame = v->next_frame;
    /* the side whose refusal ended the call: the client leaving over the
     * server's certificate, the server over the client's */
    v->failed_side = client ? APG_ROLE_CLIENT : APG_ROLE_SERVER;
    v->has_failed_side = TRUE;
}
