/* apg_path_mtu.c - routers' "too big" reports on a handshake's packets.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_path_mtu.h"

/* A report names a packet longer than the MTU it gives (or gives none, as
 * pre-RFC 1191 routers do): anything else is no refusal of that packet. */
static gboolean is_refusal(guint32 mtu, guint32 packet_len)
{
    if (!packet_len)
        return FALSE;
    return mtu == 0 || (mtu >= APG_MIN_MTU && mtu < packet_len);
}

static void note_report(apg_handshake *hs, const apg_event *ev, apg_role role)
{
    guint32 mtu = ev->u.too_big.mtu, len = ev->u.too_big.packet_len;
    if (!is_refusal(mtu, len))
        return;
    if (!hs->too_big)
        hs->too_big = g_new0(apg_path_report, 2);
    apg_path_report *r = &hs->too_big[role & 1];
    if (!r->frame) {
        r->frame = ev->frame;
        r->router = ev->u.too_big.router;
    }
    r->last_frame = ev->frame;
    r->count++;
    if (mtu && (!r->mtu || mtu < r->mtu))
        r->mtu = mtu;
    r->packet_len = MAX(r->packet_len, len);
}

void apg_hs_note_too_big(apg_handshake *hs, const apg_event *ev, apg_role role)
{
    if (hs->client_hello_frame && ev->frame > hs->client_hello_frame)
        note_report(hs, ev, role);
}

/* Before the stream's first TLS, the client's packets are that ClientHello's
 * first segments: a report on them is one on the ClientHello. */
void apg_hs_note_early_too_big(apg_handshake *hs, const apg_event *ev, apg_role role)
{
    if (hs->client_hello_frame && ev->frame < hs->client_hello_frame)
        note_report(hs, ev, role);
}

void apg_hs_note_delivery(apg_handshake *hs, const apg_event *ev, apg_role role)
{
    if (role == APG_ROLE_CLIENT && ev->kind == APG_EV_CLIENT_HELLO && !hs->ch_end_seq &&
        hs->client_hello_frame == ev->frame)
        hs->ch_end_seq = ev->tcp_nxtseq;
    else if (role == APG_ROLE_SERVER && ev->has_ack && hs->ch_end_seq &&
             (gint32)(ev->tcp_ack - hs->ch_end_seq) >= 0)
        hs->ch_acked = TRUE;
}

const apg_path_report *apg_hs_too_big(const apg_handshake *hs, apg_role role)
{
    return hs->too_big && hs->too_big[role & 1].frame ? &hs->too_big[role & 1] : NULL;
}

void apg_hs_free_too_big(apg_handshake *hs)
{
    g_free(hs->too_big);
    hs->too_big = NULL;
}
