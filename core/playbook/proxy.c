/* proxy.c - beyond the playbook: the forward proxy's leg. A Message
 * Processor that reaches its backend through a corporate proxy asks it for a
 * tunnel (HTTP CONNECT); a refusal ends the call before any TLS.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "playbook.h"

/* The proxy's status line is on the wire and was read: it decides. */
void decide_proxy_refused(const facts *f, finding *g)
{
    const apg_handshake *hs = f->hs;
    g->frame2 = hs->first_frame; /* the CONNECT */
    g->frame3 = hs->proxy_frame;
    g->count = hs->proxy_status;
    g->proxy_target = f->ctx->proxy_target;
    cite(g, g->frame2);
    cite(g, g->frame3);
    conclude(g, APG_CAUSE_PROXY_REFUSED, APG_CONFIDENCE_CERTAIN);
}

static const char *status_meaning(guint status)
{
    switch (status) {
    case 407:
        return "the proxy wants credentials (Proxy-Authorization) the client did not send, or "
               "sent wrong";
    case 403: return "the proxy's access rules refuse a tunnel to that host and port";
    case 502:
    case 503:
    case 504:
        return "the proxy could not reach the backend (its name did not resolve, no route, the "
               "backend down or too slow)";
    case 405: return "the proxy does not allow CONNECT";
    default: return "the proxy did not open the tunnel";
    }
}

void say_proxy_refused(GString *s, const finding *g)
{
    char *target = g->proxy_target ? g_strescape(g->proxy_target, NULL) : NULL;
    g_string_append_printf(s,
                           "The client asked a forward proxy for a tunnel (HTTP CONNECT%s%s, "
                           "frame %u) and the proxy answered %u (frame %u): %s. No TLS "
                           "handshake with the backend took place.",
                           target ? " " : "", target ? target : "", g->frame2, g->count, g->frame3,
                           status_meaning(g->count));
    g_free(target);
}
