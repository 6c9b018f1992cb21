/* apg_proxy.c - the forward proxy's leg: a client's HTTP CONNECT and the
 * proxy's status line, kept on the conversation. A 2xx opens the tunnel and
 * the TLS that follows is a handshake like any other; any other status
 * (403 forbidden, 407 credentials, 502 the backend unreachable) refuses it,
 * and no TLS follows: that refusal is the call's failure.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_handshake.h"

#include "apg_shared.h"

gboolean apg_conv_note_proxy(apg_conversation *conv, const apg_event *ev)
{
    apg_proxy_leg *p = &conv->proxy;
    if (ev->kind == APG_EV_PROXY_CONNECT) {
        if (!p->connect_frame && ev->u.proxy.target) {
            p->connect_frame = ev->frame;
            p->client = ev->sender;
            p->target = apg_shared_intern(conv->shared, ev->u.proxy.target);
        }
        return FALSE;
    }
    /* the proxy's first status line after the CONNECT, from the other side */
    guint16 status = ev->u.proxy.status;
    if (!p->connect_frame || p->status || ev->sender == p->client || ev->frame < p->connect_frame ||
        status < 100 || status > 999)
        return FALSE;
    p->status = status;
    p->status_frame = ev->frame;
    return !apg_proxy_opened(p->status) && conv->handshakes->len == 0;
}
