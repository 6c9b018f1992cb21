/* apg_remedy.c - the leg of a handshake: northbound (client app -> Edge
 * Router) or southbound (Message Processor -> backend), from the role
 * preferences; the remedies themselves are rows of include/apg_causes.def.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_diagnosis.h"

#include <string.h>

const char *apg_confidence_token(apg_confidence c)
{
    switch (c) {
    case APG_CONFIDENCE_CERTAIN: return "certain";
    case APG_CONFIDENCE_LIKELY: return "likely";
    case APG_CONFIDENCE_POSSIBLE: return "possible";
    }
    return "possible";
}

const char *apg_direction_token(apg_direction d)
{
    switch (d) {
    case APG_DIRECTION_NORTHBOUND: return "northbound";
    case APG_DIRECTION_SOUTHBOUND: return "southbound";
    case APG_DIRECTION_UNKNOWN: break;
    }
    return "unknown";
}

/* "127.0.1.1:9443" -> address "127.0.1.1", port 9443; "[::1]:9443" too. */
static gboolean split_endpoint(const char *ep, char *addr, gsize addr_len, guint *port)
{
    const char *colon = ep ? strrchr(ep, ':') : NULL;
    if (!colon)
        return FALSE;
    const char *start = ep, *end = colon;
    if (*start == '[' && end > start && end[-1] == ']') {
        start++;
        end--;
    }
    if ((gsize)(end - start) >= addr_len)
        return FALSE;
    memcpy(addr, start, end - start);
    addr[end - start] = '\0';
    *port = (guint)g_ascii_strtoull(colon + 1, NULL, 10);
    return TRUE;
}

static gboolean listed(char **list, const char *addr)
{
    for (; list && *list; list++)
        if (g_ascii_strcasecmp(*list, addr) == 0)
            return TRUE;
    return FALSE;
}

static gboolean port_listed(const apg_roles *r, guint port)
{
    for (guint i = 0; i < r->n_router_ports; i++)
        if (r->router_ports[i] == port)
            return TRUE;
    return FALSE;
}

apg_direction apg_direction_of(const apg_roles *roles, const char *client_ep, const char *server_ep)
{
    char addr[64];
    guint port;
    if (!roles)
        return APG_DIRECTION_UNKNOWN;
    if (split_endpoint(server_ep, addr, sizeof addr, &port)) {
        gboolean have_addrs = roles->router_addrs && roles->router_addrs[0];
        gboolean addr_ok =
            have_addrs ? listed(roles->router_addrs, addr) : roles->n_router_ports > 0;
        gboolean port_ok = roles->n_router_ports ? port_listed(roles, port) : have_addrs;
        if (addr_ok && port_ok)
            return APG_DIRECTION_NORTHBOUND;
    }
    if (split_endpoint(client_ep, addr, sizeof addr, &port) && listed(roles->mp_addrs, addr))
        return APG_DIRECTION_SOUTHBOUND;
    return APG_DIRECTION_UNKNOWN;
}
