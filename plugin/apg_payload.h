/* apg_payload.h - the first bytes of a TCP segment without TLS records
 * (apg_payload.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_PAYLOAD_H
#define APG_PAYLOAD_H

#include <glib.h>

/* A TLS record header: content type 20..24, then major version 3; b holds 3 bytes. */
gboolean apg_payload_looks_tls(const guint8 *b);
gboolean apg_payload_tls_handshake(const guint8 *b, guint n);
/* "CONNECT host:port ...": copies the target (printable, cut to cap - 1) into
 * target and says TRUE. */
gboolean apg_payload_connect(const guint8 *b, guint n, char *target, gsize cap);
/* "HTTP/1.x NNN": the status (100..999), else 0. */
guint apg_payload_status(const guint8 *b, guint n);
/* A 2-byte length, then 16-bit values: how many were stored in out (at most cap). */
guint apg_payload_u16_list(const guint8 *b, guint n, guint16 *out, guint cap);
/* key_share (a ClientHello's): the groups of its entries (at most cap). */
guint apg_payload_key_shares(const guint8 *b, guint n, guint16 *out, guint cap);
/* ALPN: the protocols, comma-joined into out (cap bytes, NUL-ended), or only
 * the first; FALSE when none. */
gboolean apg_payload_alpn(const guint8 *b, guint n, char *out, gsize cap, gboolean first_only);

#endif /* APG_PAYLOAD_H */
