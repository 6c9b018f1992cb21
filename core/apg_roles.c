/* apg_roles.c - which endpoint of a conversation is the TLS client: the
 * ClientHello's sender; else the TCP handshake's opener; else a message only
 * one side sends; else the side that does not listen (its port); else not
 * known. A capture that starts mid-connection may hold only the weaker ones.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_handshake.h"

apg_role apg_hs_role_of(const apg_handshake *hs, int endpoint)
{
    /* When nothing tells (APG_ROLES_UNKNOWN), the first to send TLS is
     * taken for the client. */
    int client = hs->client_endpoint >= 0 ? hs->client_endpoint : 0;
    return endpoint == client ? APG_ROLE_CLIENT : APG_ROLE_SERVER;
}

int apg_conv_peer_index(const apg_conversation *conv, const apg_endpoint *ep)
{
    return apg_endpoint_equal(ep, &conv->endpoint[0])   ? 0
           : apg_endpoint_equal(ep, &conv->endpoint[1]) ? 1
                                                        : -1;
}

const apg_endpoint *apg_conv_endpoint(const apg_conversation *conv, const apg_handshake *hs,
                                      apg_role role)
{
    int client = hs->client_endpoint >= 0 ? hs->client_endpoint : 0;
    return &conv->endpoint[role == APG_ROLE_CLIENT ? client : 1 - client];
}

/* Linux hands out 32768-60999, Windows and the IANA range 49152-65535. */
#define EPHEMERAL_PORT_MIN  32768
#define WELL_KNOWN_PORT_END 1024

/* The endpoint that listens, judged by its port alone: 0, 1, or -1. */
static int listener_by_port(guint16 p0, guint16 p1)
{
    gboolean e0 = p0 >= EPHEMERAL_PORT_MIN, e1 = p1 >= EPHEMERAL_PORT_MIN;
    if (e0 != e1)
        return e0 ? 1 : 0;
    gboolean w0 = p0 < WELL_KNOWN_PORT_END, w1 = p1 < WELL_KNOWN_PORT_END;
    if (w0 != w1)
        return w0 ? 0 : 1;
    return -1;
}

void apg_conv_hint_roles(apg_conversation *conv, guint16 tcp_client_port)
{
    guint16 p0 = conv->endpoint[0].port, p1 = conv->endpoint[1].port;
    if (tcp_client_port && p0 != p1 && (tcp_client_port == p0 || tcp_client_port == p1)) {
        conv->client_hint = tcp_client_port == p0 ? 0 : 1;
        conv->hint_from = APG_ROLES_TCP;
        return;
    }
    int listener = listener_by_port(p0, p1);
    conv->client_hint = listener < 0 ? -1 : 1 - listener;
    conv->hint_from = listener < 0 ? APG_ROLES_UNKNOWN : APG_ROLES_PORT;
}

/* The side a message proves: 1 for a server-only message, 0 for a
 * client-only one, -1 for either. */
static int proves_server(const apg_event *ev)
{
    switch (ev->kind) {
    case APG_EV_SERVER_HELLO:
    case APG_EV_CERT_REQUEST:
    case APG_EV_SERVER_HELLO_DONE: return 1;
    case APG_EV_OTHER_HANDSHAKE:
        if (ev->handshake_type == APG_HS_SERVER_KEY_EXCHANGE ||
            ev->handshake_type == APG_HS_NEW_SESSION_TICKET ||
            ev->handshake_type == APG_HS_ENCRYPTED_EXTENSIONS ||
            ev->handshake_type == APG_HS_CERTIFICATE_STATUS)
            return 1;
        return ev->handshake_type == APG_HS_CLIENT_KEY_EXCHANGE ? 0 : -1;
    default: return -1;
    }
}

/* Without a ClientHello or a TCP handshake, a message only one side sends
 * decides the roles (over a guess from the ports). */
void apg_hs_learn_roles(apg_handshake *hs, const apg_event *ev)
{
    if (hs->roles_from >= APG_ROLES_MESSAGES)
        return;
    int server = proves_server(ev);
    if (server < 0)
        return;
    hs->client_endpoint = server ? 1 - ev->sender : ev->sender;
    hs->roles_from = APG_ROLES_MESSAGES;
}
