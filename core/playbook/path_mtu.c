/* path_mtu.c - beyond the playbook: a path-MTU black hole. A router whose
 * next hop has a smaller MTU (a tunnel, a VPN, a cloud interconnect) drops
 * the ClientHello's packet and says so with ICMP; when that report does not
 * reach the client's TCP stack, the client resends the same packet until it
 * gives up, and the server never sees the ClientHello.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "playbook.h"

#include "apg_path_mtu.h"

enum {
    SERVER_SILENT,    /* no packet of the server's after the ClientHello */
    SERVER_NOT_ACKED, /* the server's TCP never acknowledged the ClientHello's last byte */
};

/* Silence from the server after routers refused the client's packets, and
 * the server's TCP never acknowledged the whole ClientHello (a duplicate ACK
 * or window update may come: the bytes that fit got through). The
 * reports are read, but whether the server would have answered a smaller
 * packet is not on the wire: likely, no_server_response left open. */
gboolean decide_path_mtu(const facts *f, finding *g)
{
    const apg_handshake *hs = f->hs;
    const apg_path_report *r = apg_hs_too_big(hs, APG_ROLE_CLIENT);
    if (!r || f->v->cause != APG_CAUSE_NO_SERVER_RESPONSE || hs->ch_acked)
        return FALSE;
    /* Without the ClientHello's end in sequence space, only silence tells;
     * silence may also be a capture without the server's direction, which
     * the routers' reports do not need but the finding names as unseen. */
    if (!hs->ch_end_seq && hs->server_packet_seen)
        return FALSE;
    g->reading = hs->server_packet_seen ? SERVER_NOT_ACKED : SERVER_SILENT;
    if (!hs->server_packet_seen)
        rests_on(g, APG_BASIS_ONE_DIRECTION);
    cite(g, hs->client_hello_frame);
    cite(g, r->frame);
    g->client_hello_frame = hs->client_hello_frame;
    g->count = hs->ch_retransmissions;
    g->frame2 = f->v->decided_frame;
    g->too_big = r;
    allow(g, APG_CAUSE_NO_SERVER_RESPONSE);
    return conclude(g, APG_CAUSE_PATH_MTU, APG_CONFIDENCE_LIKELY);
}

static void say_reports(GString *s, const apg_path_report *r)
{
    char router[APG_ENDPOINT_TEXT_LEN];
    gboolean v6 = r->router.family == 6;
    g_string_append_printf(s,
                           "a router (%s) refused a packet of %u bytes from the client as too "
                           "big for its next hop",
                           apg_address_format(&r->router, router), r->packet_len);
    if (r->mtu)
        g_string_append_printf(s, ", whose MTU it gave as %u", r->mtu);
    g_string_append_printf(s, " (%s, frame %u",
                           v6 ? "ICMPv6 packet too big" : "ICMP fragmentation needed", r->frame);
    if (r->count > 1)
        g_string_append_printf(s, "; %u reports, the last in frame %u", r->count, r->last_frame);
    g_string_append(s, ")");
}

void say_path_mtu(GString *s, const finding *g)
{
    g_string_append_printf(s, "The ClientHello (frame %u", g->client_hello_frame);
    say_resent(s, g->count);
    g_string_append(s, ") did not reach the server: ");
    say_reports(s, g->too_big);
    g_string_append(s, g->reading == SERVER_NOT_ACKED
                           ? ", and the server's TCP never acknowledged all of it"
                           : ", and no packet of the server's followed");
    if (g->frame2)
        g_string_append_printf(s, " before the client gave up (frame %u)", g->frame2);
    g_string_append(s, ". A path-MTU black hole");
    if (g->too_big->count > 1)
        g_string_append(s, ": the client sent packets that big again after the first report, so "
                           "its TCP stack did not act on it (the reports were dropped on their "
                           "way to it, or it does not do path-MTU discovery)");
    g_string_append(s, ".");
}
