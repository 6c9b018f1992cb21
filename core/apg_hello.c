/* apg_hello.c - what the tracker keeps of the hellos and the
 * CertificateRequest: the first ClientHello's offer, the server's choices
 * (ServerHello, HelloRetryRequest, ALPN), the client's retry, and the CAs
 * the server accepts client certificates from.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_handshake.h"

#include "apg_shared.h"

void apg_hs_note_alpn(apg_shared *sh, apg_handshake *hs, const apg_event *ev)
{
    if (ev->alpn && !hs->alpn_selected) {
        hs->alpn_selected = apg_shared_intern(sh, ev->alpn);
        hs->alpn_frame = ev->frame;
    }
}

/* The first ClientHello and ServerHello (a HelloRetryRequest apart), and
 * whether the client's retry key-shares the group the server asked for. */
void apg_hs_record_hello(apg_shared *sh, apg_handshake *hs, const apg_event *ev)
{
    if (ev->kind == APG_EV_CLIENT_HELLO) {
        const apg_client_hello *ch = ev->u.client_hello;
        if (!hs->client_hello_frame) {
            hs->client_hello_frame = ev->frame;
            hs->client_hello_time_us = ev->time_us;
            apg_shared_offer_set(sh, &hs->offer, ch);
        } else if (hs->hrr_frame && !hs->retry_key_share) {
            gboolean shares = apg_u16_listed(
                ch->key_shares, MIN(ch->n_key_shares, APG_MAX_KEY_SHARES), hs->hrr_group);
            hs->retry_key_share = shares ? 1 : 2;
        }
    } else if (ev->u.server_hello.is_hrr) {
        if (!hs->hrr_frame)
            hs->hrr_group = ev->u.server_hello.group;
        apg_set_once(&hs->hrr_frame, ev->frame);
    } else if (!hs->server_hello_frame) {
        hs->server_hello_frame = ev->frame;
        hs->sh = ev->u.server_hello;
        if (hs->sh.group)
            hs->server_group = hs->sh.group;
        apg_hs_note_alpn(sh, hs, ev);
    }
}

/* The CAs a CertificateRequest names, kept for the client's certificate. */
void apg_hs_record_cert_request(apg_handshake *hs, const apg_event *ev)
{
    if (hs->cert_request_frame)
        return;
    hs->cert_request_frame = ev->frame;
    guint n = MIN(ev->u.cert_request.count, APG_MAX_CA_NAMES);
    if (!n)
        return;
    hs->ca_names = g_ptr_array_new_full(n, (GDestroyNotify)g_bytes_unref);
    for (guint i = 0; i < n; i++)
        g_ptr_array_add(hs->ca_names, g_bytes_ref((GBytes *)ev->u.cert_request.name[i]));
}
