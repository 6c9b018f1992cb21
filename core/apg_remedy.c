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
    if (apg_endpoint_split(server_ep, addr, sizeof addr, &port)) {
        gboolean have_addrs = !apg_addr_list_is_empty(roles->router_addrs);
        gboolean addr_ok =
            have_addrs ? apg_addr_list_has(roles->router_addrs, addr) : roles->n_router_ports > 0;
        gboolean port_ok = roles->n_router_ports ? port_listed(roles, port) : have_addrs;
        if (addr_ok && port_ok)
            return APG_DIRECTION_NORTHBOUND;
    }
    if (apg_endpoint_split(client_ep, addr, sizeof addr, &port) &&
        apg_addr_list_has(roles->mp_addrs, addr))
        return APG_DIRECTION_SOUTHBOUND;
    return APG_DIRECTION_UNKNOWN;
}
