/* apg_leg.c - the leg rule: a handshake is northbound (client app -> Edge
 * Router) when its server is a Router, southbound (Message Processor ->
 * backend) when its client is a Message Processor, from the role
 * preferences. Matched as bytes; endpoints are text only when shown.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_leg.h"

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

apg_direction apg_direction_of(const apg_roles *roles, const apg_endpoint *client,
                               const apg_endpoint *server)
{
    if (!roles)
        return APG_DIRECTION_UNKNOWN;
    gboolean have_addrs = !apg_addr_list_is_empty(roles->router_addrs);
    gboolean addr_ok = have_addrs ? apg_addr_list_has_endpoint(roles->router_addrs, server)
                                  : roles->n_router_ports > 0;
    gboolean port_ok = roles->n_router_ports ? port_listed(roles, server->port) : have_addrs;
    if (addr_ok && port_ok)
        return APG_DIRECTION_NORTHBOUND;
    if (apg_addr_list_has_endpoint(roles->mp_addrs, client))
        return APG_DIRECTION_SOUTHBOUND;
    return APG_DIRECTION_UNKNOWN;
}
