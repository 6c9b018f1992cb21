/* apg_extract_icmp.c - what an ICMP error's subtree says: the router's type,
 * code and MTU, and who sent the packet it quotes, on which TCP stream.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_extract_icmp.h"
#include "apg_wanted_fields.h"

#include <string.h>

#define ICMP_UNREACHABLE   3 /* with code 4: fragmentation needed and DF set */
#define ICMP_FRAG_NEEDED   4
#define ICMPV6_TOO_BIG     2
#define IPV6_HEADER_LENGTH 40

/* An address item's bytes, checked against what the frame holds. */
static void read_address(field_info *fi, apg_endpoint *ep, guint8 family)
{
    guint len = family == 6 ? 16 : 4;
    if ((guint)fi->length != len || !fi->ds_tvb || !tvb_bytes_exist(fi->ds_tvb, fi->start, len))
        return;
    ep->family = family;
    ep->len = (guint8)len;
    tvb_memcpy(fi->ds_tvb, ep->addr, fi->start, len);
}

static void on_quoted_field(apg_icmp_quote *q, field_id id, field_info *fi)
{
    fvalue_t *fv = APG_FI_VALUE(fi);
    gboolean v6 = id == F_IPV6_SRC || id == F_IPV6_PLEN;
    switch (id) {
    case F_ICMP_TYPE:
    case F_ICMPV6_TYPE:
        if (!q->has_type && (id == F_ICMPV6_TYPE) == q->v6)
            q->type = (guint8)fvalue_get_uinteger(fv), q->has_type = TRUE;
        break;
    case F_ICMP_CODE:
        if (!q->has_code)
            q->code = (guint8)fvalue_get_uinteger(fv), q->has_code = TRUE;
        break;
    case F_ICMP_MTU:
    case F_ICMPV6_MTU:
        if (!q->mtu)
            q->mtu = fvalue_get_uinteger(fv);
        break;
    case F_IP_SRC:
    case F_IPV6_SRC:
        if (!q->has_src) {
            read_address(fi, &q->sender, v6 ? 6 : 4);
            q->has_src = q->sender.len != 0;
        }
        break;
    case F_IP_LEN:
    case F_IPV6_PLEN:
        if (!q->has_len) {
            q->packet_len = fvalue_get_uinteger(fv) + (v6 ? IPV6_HEADER_LENGTH : 0);
            q->has_len = TRUE;
        }
        break;
    case F_TCP_SRCPORT:
        if (!q->has_port)
            q->sender.port = (guint16)fvalue_get_uinteger(fv), q->has_port = TRUE;
        break;
    case F_TCP_STREAM:
        if (!q->has_stream)
            q->stream = fvalue_get_uinteger(fv), q->has_stream = TRUE;
        break;
    default: break;
    }
}

static void walk_quoted(proto_node *node, gpointer data)
{
    apg_icmp_quote *q = data;
    field_info *fi = PNODE_FINFO(node);
    if (fi && fi->hfinfo) {
        int id = apg_field_of(fi->hfinfo->id);
        if (id >= 0)
            on_quoted_field(q, (field_id)id, fi);
    }
    if (node->first_child)
        proto_tree_children_foreach(node, walk_quoted, data);
}

void apg_icmp_walk(proto_node *icmp, gboolean v6, apg_icmp_quote *q)
{
    if (q->seen)
        return; /* one ICMP error per frame: an error quoting an error is not read */
    q->seen = TRUE;
    q->v6 = v6;
    if (icmp->first_child)
        proto_tree_children_foreach(icmp, walk_quoted, q);
}

gboolean apg_icmp_too_big(const apg_icmp_quote *q, apg_event *ev)
{
    gboolean too_big =
        q->v6 ? q->type == ICMPV6_TOO_BIG
              : q->type == ICMP_UNREACHABLE && q->has_code && q->code == ICMP_FRAG_NEEDED;
    if (!q->seen || !q->has_type || !too_big || !q->has_src || !q->has_port || !q->has_len ||
        !q->has_stream)
        return FALSE;
    memset(ev, 0, sizeof *ev);
    ev->kind = APG_EV_PATH_TOO_BIG;
    ev->u.too_big.sender = q->sender;
    ev->u.too_big.mtu = q->mtu;
    ev->u.too_big.packet_len = q->packet_len;
    return TRUE;
}
