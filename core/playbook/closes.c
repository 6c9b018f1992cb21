/* closes.c - what is left when no playbook step decides: the mechanical cause
 * (a close, a reset, silence, a cut capture) explained with what the wire shows.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "playbook.h"

#include <string.h>

/* --- What is left: the mechanical cause, explained ------------------------ */

static void say_earlier_warnings(answer *a, const facts *f);
static void say_gap(answer *a, const facts *f);

void explain_mechanical(answer *a, const facts *f)
{
    const apg_handshake *hs = f->hs;
    apg_confidence confidence = APG_CONFIDENCE_CERTAIN;
    switch (f->v->cause) {
    case APG_CAUSE_NO_SERVER_RESPONSE:
        if (!hs->server_packet_seen) {
            /* Not even an ACK: a mute server or path, or a capture missing
             * that direction. */
            rests_on(a, APG_BASIS_ONE_DIRECTION);
            allow(a, APG_CAUSE_INCOMPLETE_CAPTURE);
            confidence = APG_CONFIDENCE_POSSIBLE;
        }
        cite(a, hs->client_hello_frame);
        g_string_append_printf(a->why, "The ClientHello (frame %u", hs->client_hello_frame);
        if (hs->ch_retransmissions)
            g_string_append_printf(a->why, ", sent %u more times", hs->ch_retransmissions);
        g_string_append(a->why, ") got no answer from the server");
        if (f->v->decided_frame)
            g_string_append_printf(a->why, " before the client gave up (frame %u)",
                                   f->v->decided_frame);
        g_string_append(a->why, hs->server_packet_seen
                                    ? ": the server's TCP stack acknowledged it, so a firewall, a "
                                      "wrong port, or a server that is not a TLS endpoint."
                                    : " and not a single packet from the server after it: a "
                                      "firewall or a dead path, unless the capture lacks the "
                                      "server's direction.");
        break;
    case APG_CAUSE_SERVER_RESET:
    case APG_CAUSE_SERVER_CLOSED:
        g_string_append(a->why, "The server ended the connection with ");
        say_abort(a, f);
        g_string_append(a->why, "; nothing on the wire says why (version, SNI, suites and "
                                "policy are all possible).");
        break;
    case APG_CAUSE_CLIENT_ABORT:
        cite(a, f->v->decided_frame);
        if (hs->hrr_frame && !hs->server_hello_frame) {
            /* No certificate was sent: the server only asked for a retry. */
            cite(a, hs->hrr_frame);
            g_string_append_printf(a->why,
                                   "After the server's HelloRetryRequest (frame %u) the client "
                                   "closed the connection (frame %u) without an alert and "
                                   "without a second ClientHello: it could not or would not "
                                   "offer what the server asked for (a key share in the group "
                                   "the server named).",
                                   hs->hrr_frame, f->v->decided_frame);
            break;
        }
        allow(a, APG_CAUSE_CERT_REJECTED);
        if (!f->has_sni && f->saw_offer)
            allow(a, APG_CAUSE_SNI_MISSING);
        g_string_append_printf(a->why,
                               "After the server's flight the client closed the "
                               "connection (frame %u) without an alert; clients that "
                               "reject a certificate sometimes close silently.",
                               f->v->decided_frame);
        break;
    case APG_CAUSE_NON_TLS_RESPONSE:
        g_string_append_printf(a->why,
                               "The server answered the ClientHello with data that is "
                               "not TLS (frame %u): a TLS client is talking to a "
                               "plain-text port (HTTP, SMTP...).",
                               hs->non_tls_frame);
        break;
    case APG_CAUSE_INCOMPLETE_CAPTURE: say_gap(a, f); break;
    case APG_CAUSE_ALERT_OTHER:
        g_string_append(a->why, "The handshake ended with ");
        say_alert(a, f);
        say_earlier_warnings(a, f);
        g_string_append(a->why, f->alert_encrypted ? ". A key log (tls.keylog_file) would show "
                                                     "which alert it is."
                                                   : ".");
        break;
    default: g_string_append(a->why, apg_cause_text(f->v->cause)); break;
    }
    conclude(a, f->v->cause, confidence);
}

/* What the capture lacks, and what would show it. */
static void say_gap(answer *a, const facts *f)
{
    const apg_handshake *hs = f->hs;
    switch (f->v->gap) {
    case APG_GAP_START:
        g_string_append(a->why, "The capture starts after the ClientHello, so what was offered "
                                "is unknown.");
        break;
    case APG_GAP_SERVER_DIRECTION:
        g_string_append_printf(a->why,
                               "The capture holds no packet from the server after the "
                               "ClientHello (frame %u), not even an ACK: it lacks the "
                               "server's direction (a one-sided capture) or ends too soon.",
                               hs->client_hello_frame);
        break;
    case APG_GAP_CLIENT_WENT_ON:
        g_string_append(a->why, "The client went on to its second flight (key exchange, "
                                "ChangeCipherSpec, Finished or data), which it only does after a "
                                "ServerHello: the capture lacks the server's direction.");
        break;
    case APG_GAP_SERVER_BYTES:
        g_string_append_printf(a->why,
                               "The client acknowledges server data the capture does not "
                               "hold (frame %u): the server answered, the capture missed "
                               "it.",
                               hs->client_acks_unseen);
        break;
    case APG_GAP_OUT_OF_ORDER:
        g_string_append_printf(a->why,
                               "TCP segments arrived out of order (frame %u) and were not "
                               "reassembled, so TLS records are missing from the "
                               "dissection: enable the TCP preference "
                               "tcp.reassemble_out_of_order (Protocols > TCP > Reassemble "
                               "out-of-order segments) and open the capture again.",
                               hs->out_of_order_frame);
        break;
    case APG_GAP_TOO_SOON:
        g_string_append_printf(a->why,
                               "The capture ends less than a second after the ClientHello "
                               "(frame %u): too soon to say the server did not answer.",
                               hs->client_hello_frame);
        break;
    case APG_GAP_END:
    case APG_GAP_NONE:
        g_string_append(a->why, "The capture ends before the handshake's outcome.");
        break;
    }
}

/* Warnings before the deciding alert often say what went wrong first. */
static void say_earlier_warnings(answer *a, const facts *f)
{
    const GArray *alerts = f->hs->alerts;
    for (guint i = 0; i < alerts->len; i++) {
        const apg_alert_seen *w = &g_array_index(alerts, apg_alert_seen, i);
        gboolean is_the_alert = w->frame == f->v->alert.frame && w->sender == f->v->alert.sender &&
                                w->alert.desc == f->v->alert.alert.desc;
        if (w->alert.level == APG_ALERT_LEVEL_WARNING && w->frame <= f->v->alert.frame &&
            !is_the_alert)
            g_string_append_printf(a->why, ", after the %s's warning %s (frame %u)",
                                   apg_role_token(w->sender), alert_name(w->alert.desc), w->frame);
    }
}
