/* apg_early_reports.h - routers' "too big" reports on a TCP stream's packets
 * before its first TLS was read: a ClientHello in several segments is read
 * at its last, so a report on its first segment comes before the handshake
 * exists (the IPv6 path-MTU capture). Kept per stream, then handed to the
 * handshake that stream's first TLS opens.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_EARLY_REPORTS_H
#define APG_EARLY_REPORTS_H

#include "apg_handshake.h"

/* Streams and reports kept: a capture of many streams refused before any
 * TLS must not grow without bound; reports past these are not read. */
#define APG_MAX_EARLY_REPORT_STREAMS 4096
#define APG_MAX_EARLY_REPORTS        16

typedef struct apg_early_reports apg_early_reports;

apg_early_reports *apg_early_reports_new(void);
void apg_early_reports_free(apg_early_reports *e);
/* A report (APG_EV_PATH_TOO_BIG) from router on a packet of a stream no
 * conversation holds yet. */
void apg_early_reports_add(apg_early_reports *e, guint32 stream, const apg_endpoint *router,
                           const apg_event *ev);
/* Hands the stream's reports to hs, the handshake its first TLS opened in
 * conv, and forgets them. */
void apg_early_reports_hand_over(apg_early_reports *e, guint32 stream, const apg_conversation *conv,
                                 apg_handshake *hs);

#endif /* APG_EARLY_REPORTS_H */
