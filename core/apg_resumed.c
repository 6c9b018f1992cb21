/* apg_resumed.c - whether the server resumed a session: the abbreviated
 * handshake, read from which messages the server sent.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_handshake.h"

gboolean apg_hs_resumed(const apg_handshake *hs)
{
    guint16 version = apg_hs_negotiated_version(hs);
    if (!hs->server_hello_frame || version == APG_SSL2)
        return FALSE;
    if (version >= APG_TLS13)
        return hs->sh.psk_accepted;
    /* TLS 1.3's compatibility ChangeCipherSpec is excluded above: its
     * certificate is encrypted, so its absence says nothing there. */
    return hs->ccs_frame[APG_ROLE_SERVER] && !hs->server_cert_frame && !hs->ske_frame &&
           !hs->server_hello_done_frame;
}
