/* apg_extract_icmp.h - an ICMP error's subtree: what a router says of a
 * packet it quotes. Internal to the walk (apg_extract.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_EXTRACT_ICMP_H
#define APG_EXTRACT_ICMP_H

#include "apg_extract.h"

/* The first value of each field the subtree holds: the router's ICMP
 * header, then the quoted IP and TCP headers. */
typedef struct {
    gboolean seen; /* the frame holds an ICMP or ICMPv6 subtree */
    gboolean v6;
    gboolean has_type, has_code, has_src, has_len, has_port, has_stream;
    guint8 type, code;
    guint32 mtu;
    guint32 packet_len; /* the quoted packet's IP length */
    apg_endpoint sender;
    guint32 stream;
} apg_icmp_quote;

/* Reads the subtree of an ICMP (v6: icmpv6) protocol item. */
void apg_icmp_walk(proto_node *icmp, gboolean v6, apg_icmp_quote *q);
/* Whether it is a "fragmentation needed" / "packet too big" quoting a TCP
 * segment whose sender and stream were read; fills the event. */
gboolean apg_icmp_too_big(const apg_icmp_quote *q, apg_event *ev);

#endif /* APG_EXTRACT_ICMP_H */
