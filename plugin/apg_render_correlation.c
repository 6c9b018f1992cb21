/* apg_render_correlation.c - the items a pipeline correlates on
 * (apg_fields_correlation.c): the handshake's start, each side's address
 * and port apart, resumption, and the leaf's SHA-256.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_render.h"

#include <string.h>

#include "apg_cert.h"
#include "apg_fields.h"

static void add_address(proto_tree *t, tvbuff_t *tvb, const apg_endpoint *ep, int hf_v4, int hf_v6,
                        int hf_port)
{
    proto_item *ti = NULL;
    if (ep->family == 4 && ep->len == 4) {
        ws_in4_addr a;
        memcpy(&a, ep->addr, sizeof a); /* network order, as Wireshark keeps it */
        ti = proto_tree_add_ipv4(t, hf_v4, tvb, 0, 0, a);
    } else if (ep->family == 6 && ep->len == 16) {
        ws_in6_addr a;
        memcpy(a.bytes, ep->addr, sizeof a.bytes);
        ti = proto_tree_add_ipv6(t, hf_v6, tvb, 0, 0, &a);
    }
    if (ti)
        proto_item_set_generated(ti);
    proto_item_set_generated(proto_tree_add_uint(t, hf_port, tvb, 0, 0, ep->port));
}

void apg_render_correlation(proto_tree *t, tvbuff_t *tvb, const apg_report *rep)
{
    const apg_handshake *hs = rep->hs;
    if (hs->first_time_us) {
        nstime_t ts = {(time_t)(hs->first_time_us / G_USEC_PER_SEC),
                       (int)(hs->first_time_us % G_USEC_PER_SEC) * 1000};
        proto_item_set_generated(proto_tree_add_time(t, hf_start_time, tvb, 0, 0, &ts));
    }
    add_address(t, tvb, apg_conv_endpoint(rep->conv, hs, APG_ROLE_CLIENT), hf_client_ip,
                hf_client_ipv6, hf_client_port);
    add_address(t, tvb, apg_conv_endpoint(rep->conv, hs, APG_ROLE_SERVER), hf_server_ip,
                hf_server_ipv6, hf_server_port);
    if (hs->server_hello_frame)
        proto_item_set_generated(
            proto_tree_add_boolean(t, hf_resumed, tvb, 0, 0, apg_hs_resumed(hs)));
}

void apg_render_leaf_sha256(proto_tree *t, tvbuff_t *tvb, const apg_handshake *hs)
{
    if (!hs->server_certs || !hs->server_certs->len)
        return;
    char *hex = apg_cert_sha256(g_ptr_array_index(hs->server_certs, 0));
    proto_item_set_generated(proto_tree_add_string(t, hf_cert_sha256, tvb, 0, 0, hex));
    g_free(hex);
}
