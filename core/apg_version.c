/* apg_version.c - which TLS version a handshake offers and speaks: drafts
 * of TLS 1.3 read as TLS 1.3, supported_versions before the legacy field.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_handshake.h"

guint16 apg_version_normalize(guint16 v)
{
    if ((v >> 8) == 0x7f)
        return APG_TLS13; /* TLS 1.3 drafts: 0x7f00 + draft number */
    return v;
}

gboolean apg_version_is_draft(guint16 v)
{
    return (v >> 8) == 0x7f;
}

guint16 apg_hs_negotiated_version(const apg_handshake *hs)
{
    if (!hs->server_hello_frame) {
        if (hs->ssl2_server_frame)
            return APG_SSL2;
        return hs->hrr_frame ? APG_TLS13 : 0; /* only TLS 1.3 has HelloRetryRequest */
    }
    return apg_version_normalize(hs->sh.selected_version ? hs->sh.selected_version
                                                         : hs->sh.legacy_version);
}

guint16 apg_offer_highest_version(const apg_offer *offer)
{
    guint16 best = 0;
    for (guint i = 0; i < offer->n_versions; i++) {
        guint16 v = apg_version_normalize(offer->versions[i]);
        if (!apg_is_tls_version(v))
            continue;
        if (v > best)
            best = v;
    }
    return best ? best : apg_version_normalize(offer->legacy_version);
}
