/* closes.c - what is left when no playbook step decides: the mechanical cause
 * (a close, a reset, silence, a cut capture) explained with what the wire shows.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "playbook.h"

#include <string.h>

enum {
    CLOSE_AFTER_FLIGHT, /* the client closed after the server's flight */
    CLOSE_AFTER_HRR,    /* the client closed after a HelloRetryRequest */
};

/* What the server's TCP said of an unanswered ClientHello. */
enum {
    NO_RESPONSE_SILENT,    /* not a packet from the server after it */
    NO_RESPONSE_ALIVE,     /* packets, but the ClientHello's end was not read */
    NO_RESPONSE_ACKED,     /* the server's TCP acknowledged its last byte */
    NO_RESPONSE_NOT_ACKED, /* packets that never acknowledge its last byte */
};

/* Warnings before the deciding alert often say what went wrong first. */
static void note_earlier_warnings(finding *g, const facts *f)
{
    const GArray *alerts = f->hs->alerts;
    for (guint i = 0; i < alerts->len && g->n_earlier < G_N_ELEMENTS(g->earlier); i++) {
        const apg_alert_seen *w = &g_array_index(alerts, apg_alert_seen, i);
        gboolean is_the_alert = w->frame == f->v->alert.frame && w->sender == f->v->alert.sender &&
                                w->alert.desc == f->v->alert.alert.desc;
        if (w->alert.level == APG_ALERT_LEVEL_WARNING && w->frame <= f->v->alert.frame &&
            !is_the_alert)
            g->earlier[g->n_earlier++] = *w;
    }
}

static apg_confidence note_no_response(finding *g, const facts *f)
{
    const apg_handshake *hs = f->hs;
    cite(g, hs->client_hello_frame);
    g->client_hello_frame = hs->client_hello_frame;
    g->count = hs->ch_retransmissions;
    g->frame2 = f->v->decided_frame;
    g->server_packet_seen = hs->server_packet_seen;
    if (hs->server_packet_seen) {
        g->reading = !hs->ch_end_seq ? NO_RESPONSE_ALIVE
                     : hs->ch_acked  ? NO_RESPONSE_ACKED
                                     : NO_RESPONSE_NOT_ACKED;
        return APG_CONFIDENCE_CERTAIN;
    }
    g->reading = NO_RESPONSE_SILENT;
    /* Not even an ACK: a mute server or path, or a capture missing that
     * direction. */
    rests_on(g, APG_BASIS_ONE_DIRECTION);
    allow(g, APG_CAUSE_INCOMPLETE_CAPTURE);
    return APG_CONFIDENCE_POSSIBLE;
}

static void note_client_abort(finding *g, const facts *f)
{
    const apg_handshake *hs = f->hs;
    cite(g, f->v->decided_frame);
    g->frame2 = f->v->decided_frame;
    if (hs->hrr_frame && !hs->server_hello_frame) {
        /* No certificate was sent: the server only asked for a retry. */
        cite(g, hs->hrr_frame);
        g->frame3 = hs->hrr_frame;
        g->reading = CLOSE_AFTER_HRR;
        g->hrr_group = hs->hrr_group;
        g->offer = &hs->offer;
        g->group_name = f->ctx->group_name;
        g->client_hello_frame = hs->client_hello_frame;
        return;
    }
    g->reading = CLOSE_AFTER_FLIGHT;
    /* TLS 1.3 without keys: the certificate the client may have refused
     * rode in the encrypted flight (Node.js leaves so over an expired one) */
    if (apg_hs_negotiated_version(hs) == APG_TLS13 && !hs->server_cert_frame &&
        hs->encrypted_frame[APG_ROLE_SERVER])
        rests_on(g, APG_BASIS_ENCRYPTED_CERT);
    allow(g, APG_CAUSE_CERT_REJECTED);
    if (!f->has_sni && f->saw_offer)
        allow(g, APG_CAUSE_SNI_MISSING);
}

static void say_close_after_retry(GString *s, const finding *g)
{
    g_string_append_printf(s,
                           "After the server's HelloRetryRequest (frame %u) the client closed "
                           "the connection (frame %u) without an alert and without a second "
                           "ClientHello: it could not or would not offer what the server asked "
                           "for (a key share for ",
                           g->frame3, g->frame2);
    if (g->hrr_group)
        say_group(s, g, g->hrr_group);
    else
        g_string_append(s, "the group the server named");
    g_string_append(s, ")");
    if (g->client_hello_frame && g->offer->n_groups) {
        g_string_append(s, ". ");
        say_offered_groups(s, g);
    }
    g_string_append(s, ".");
}

/* What the capture lacks: the frame that shows it. */
static void note_gap(finding *g, const facts *f)
{
    const apg_handshake *hs = f->hs;
    g->gap = f->v->gap;
    g->frame2 = g->gap == APG_GAP_SERVER_BYTES   ? hs->client_acks_unseen
                : g->gap == APG_GAP_OUT_OF_ORDER ? hs->out_of_order_frame
                                                 : hs->client_hello_frame;
}

void decide_mechanical(const facts *f, finding *g)
{
    apg_confidence confidence = APG_CONFIDENCE_CERTAIN;
    switch (f->v->cause) {
    case APG_CAUSE_NO_SERVER_RESPONSE: confidence = note_no_response(g, f); break;
    case APG_CAUSE_SERVER_RESET:
    case APG_CAUSE_SERVER_CLOSED: note_ending(g, f); break;
    case APG_CAUSE_CLIENT_ABORT: note_client_abort(g, f); break;
    case APG_CAUSE_NON_TLS_RESPONSE: g->frame2 = f->hs->non_tls_frame; break;
    case APG_CAUSE_INCOMPLETE_CAPTURE: note_gap(g, f); break;
    case APG_CAUSE_ALERT_OTHER:
        note_alert(g, f);
        note_earlier_warnings(g, f);
        break;
    default: break;
    }
    conclude(g, f->v->cause, confidence);
}

static void say_no_response(GString *s, const finding *g)
{
    g_string_append_printf(s, "The ClientHello (frame %u", g->client_hello_frame);
    say_resent(s, g->count);
    g_string_append(s, ") got no answer from the server");
    if (g->frame2)
        g_string_append_printf(s, " before the client gave up (frame %u)", g->frame2);
    switch (g->reading) {
    case NO_RESPONSE_ACKED:
        g_string_append(s, ": the server's TCP stack acknowledged all of it, so a firewall, a "
                           "wrong port, or a server that is not a TLS endpoint.");
        break;
    case NO_RESPONSE_NOT_ACKED:
        g_string_append(s, ": the server sent packets, but its TCP never acknowledged the "
                           "ClientHello's last byte, so the ClientHello may not have reached "
                           "it whole (a path that drops large packets, a middlebox), or a "
                           "firewall, a wrong port.");
        break;
    case NO_RESPONSE_ALIVE:
        g_string_append(s, ": the server sent packets after it (whether they acknowledge the "
                           "ClientHello was not read), so a firewall, a wrong port, or a "
                           "server that is not a TLS endpoint.");
        break;
    default:
        g_string_append(s, " and not a single packet from the server after it: a firewall or "
                           "a dead path, unless the capture lacks the server's direction.");
    }
}

static void say_client_abort(GString *s, const finding *g)
{
    if (g->reading == CLOSE_AFTER_HRR)
        say_close_after_retry(s, g);
    else
        g_string_append_printf(s,
                               "After the server's flight the client closed the connection "
                               "(frame %u) without an alert; clients that reject a certificate "
                               "sometimes close silently.",
                               g->frame2);
    if (g->reading == CLOSE_AFTER_FLIGHT && (g->d->basis & APG_BASIS_ENCRYPTED_CERT))
        g_string_append(s, " The certificate rode in the encrypted flight: a key log "
                           "(tls.keylog_file) would show whether it has a problem.");
}

/* What the capture lacks, and what would show it: the words before and
 * after the frame noted (after NULL: no frame). */
typedef struct {
    const char *before, *after;
} gap_words;

static const gap_words gap_text[] = {
    [APG_GAP_START] = {"The capture starts after the ClientHello, so what was offered is "
                       "unknown.",
                       NULL},
    [APG_GAP_SERVER_DIRECTION] = {"The capture holds no packet from the server after the "
                                  "ClientHello (frame ",
                                  "), not even an ACK: it lacks the server's direction (a "
                                  "one-sided capture) or ends too soon."},
    [APG_GAP_CLIENT_WENT_ON] = {"The client went on to its second flight (key exchange, "
                                "ChangeCipherSpec, Finished or data), which it only does after a "
                                "ServerHello: the capture lacks the server's direction.",
                                NULL},
    [APG_GAP_SERVER_BYTES] = {"The client acknowledges server data the capture does not hold "
                              "(frame ",
                              "): the server answered, the capture missed it."},
    [APG_GAP_OUT_OF_ORDER] = {"TCP segments arrived out of order (frame ",
                              ") and were not reassembled, so TLS records are missing from the "
                              "dissection: enable the TCP preference tcp.reassemble_out_of_order "
                              "(Protocols > TCP > Reassemble out-of-order segments) and open the "
                              "capture again."},
    [APG_GAP_TOO_SOON] = {"The capture ends less than a second after the ClientHello (frame ",
                          "): too soon to say the server did not answer."},
};

static void say_gap(GString *s, const finding *g)
{
    const gap_words *w = (guint)g->gap < G_N_ELEMENTS(gap_text) ? &gap_text[g->gap] : NULL;
    if (!w || !w->before)
        g_string_append(s, "The capture ends before the handshake's outcome.");
    else if (!w->after)
        g_string_append(s, w->before);
    else
        g_string_append_printf(s, "%s%u%s", w->before, g->frame2, w->after);
}

static void say_other_alert(GString *s, const finding *g)
{
    g_string_append(s, "The handshake ended with ");
    say_ending(s, g);
    for (guint i = 0; i < g->n_earlier; i++)
        g_string_append_printf(s, ", after the %s's warning %s (frame %u)",
                               apg_role_token(g->earlier[i].sender),
                               alert_name(g->earlier[i].alert.desc), g->earlier[i].frame);
    g_string_append(s, g->end.encrypted ? ". A key log (tls.keylog_file) would show which alert "
                                          "it is."
                                        : ".");
}

void say_mechanical(GString *s, const finding *g)
{
    switch (g->d->cause) {
    case APG_CAUSE_NO_SERVER_RESPONSE: say_no_response(s, g); break;
    case APG_CAUSE_SERVER_RESET:
    case APG_CAUSE_SERVER_CLOSED:
        g_string_append(s, "The server ended the connection with ");
        say_ending(s, g);
        g_string_append(s, "; nothing on the wire says why (version, SNI, suites and policy are "
                           "all possible).");
        break;
    case APG_CAUSE_CLIENT_ABORT: say_client_abort(s, g); break;
    case APG_CAUSE_NON_TLS_RESPONSE:
        g_string_append_printf(s,
                               "The server answered the ClientHello with data that is not TLS "
                               "(frame %u): a TLS client is talking to a plain-text port (HTTP, "
                               "SMTP...).",
                               g->frame2);
        break;
    case APG_CAUSE_INCOMPLETE_CAPTURE: say_gap(s, g); break;
    case APG_CAUSE_ALERT_OTHER: say_other_alert(s, g); break;
    default: g_string_append(s, apg_cause_text(g->d->cause)); break;
    }
}
