/* apg_leg.h - which leg of an Apigee call a handshake is: northbound
 * (client app -> Edge Router) or southbound (Message Processor -> backend),
 * from the roles the user gave (core/apg_leg.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_LEG_H
#define APG_LEG_H

#include "apg_addr.h"

typedef enum {
    APG_DIRECTION_UNKNOWN = 0,
    APG_DIRECTION_NORTHBOUND, /* client app -> Edge Router */
    APG_DIRECTION_SOUTHBOUND, /* Message Processor -> backend */
} apg_direction;

/* The role preferences: Routers by address and/or port, Message
 * Processors by address. */
typedef struct {
    const apg_addr_list *router_addrs; /* may be NULL */
    const guint16 *router_ports;
    guint n_router_ports;
    const apg_addr_list *mp_addrs; /* may be NULL */
} apg_roles;

/* Northbound when the server is a Router (its address listed and, when
 * ports are listed, its port; or its port alone when no address is),
 * southbound when the client is a Message Processor; roles may be NULL. */
apg_direction apg_direction_of(const apg_roles *roles, const apg_endpoint *client,
                               const apg_endpoint *server);
const char *apg_direction_token(apg_direction d);

#endif /* APG_LEG_H */
