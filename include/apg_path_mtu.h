/* apg_path_mtu.h - routers' reports that a packet of the handshake was too
 * big for the next hop (ICMP "fragmentation needed", ICMPv6 "packet too
 * big"): the evidence of a path-MTU black hole.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_PATH_MTU_H
#define APG_PATH_MTU_H

#include "apg_handshake.h"

/* The smallest MTU an IPv4 link may have (RFC 791); IPv6 asks 1280 but a
 * router may name less (RFC 8201 5). */
#define APG_MIN_MTU 68

/* Notes a report on the handshake, as the side role's; ignores one that is
 * no report of a refused packet (the packet fits the MTU it names, an MTU
 * under APG_MIN_MTU) and those before the ClientHello. */
void apg_hs_note_too_big(apg_handshake *hs, const apg_event *ev, apg_role role);
/* The same for a report from before the stream's first TLS (apg_early_reports.h),
 * handed to the handshake that TLS opened with its ClientHello. */
void apg_hs_note_early_too_big(apg_handshake *hs, const apg_event *ev, apg_role role);
/* Whether the ClientHello got through: its end (the ClientHello event's
 * tcp_nxtseq) and the server's acknowledgements of it. */
void apg_hs_note_delivery(apg_handshake *hs, const apg_event *ev, apg_role role);
/* What routers said of role's packets, or NULL. */
const apg_path_report *apg_hs_too_big(const apg_handshake *hs, apg_role role);
void apg_hs_free_too_big(apg_handshake *hs);

#endif /* APG_PATH_MTU_H */
