/* sni.c - playbook step 2: SNI. A server that needs the server_name
 * extension and did not get it, or does not serve the name asked for.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "playbook.h"

/* A bare close long after the ClientHello looks like a timeout, not like
 * a refusal of what the ClientHello said. */
#define TIMEOUT_LIKE_US (1000 * 1000)

enum {
    SNI_UNRECOGNIZED, /* unrecognized_name: the server says so */
    SNI_TIMEOUT,      /* a bare close long after: a timeout more than a refusal */
    SNI_SILENT,       /* a bare close */
    SNI_UNREADABLE,   /* an encrypted alert before any certificate */
    SNI_FAILURE,      /* handshake_failure */
};

static gboolean closed_like_a_timeout(const facts *f)
{
    const apg_handshake *hs = f->hs;
    return !f->v->has_alert && hs->close_time_us && hs->client_hello_time_us &&
           hs->close_time_us - hs->client_hello_time_us >= TIMEOUT_LIKE_US;
}

gboolean decide_sni(const facts *f, finding *g)
{
    const apg_server_profile *p = f->ctx->profile;
    if (f->has_sni || (p && p->served_without_sni))
        return FALSE;
    note_client_hello(g, f);
    note_ending(g, f);
    compares(g, APG_COMPARED_SNI);
    if (f->alert_known && f->desc == APG_ALERT_UNRECOGNIZED_NAME) {
        g->reading = SNI_UNRECOGNIZED;
        return conclude(g, APG_CAUSE_SNI_MISSING, APG_CONFIDENCE_CERTAIN);
    }
    allow(g, APG_CAUSE_CIPHER_MISMATCH);
    allow(g, APG_CAUSE_ALERT_OTHER);
    gboolean silent = !f->v->has_alert;
    if (silent && closed_like_a_timeout(f)) {
        g->reading = SNI_TIMEOUT;
        g->waited_us = f->hs->close_time_us - f->hs->client_hello_time_us;
        rests_on(g, APG_BASIS_TIMING);
        compares(g, APG_COMPARED_TIMING);
        allow(g, APG_CAUSE_SERVER_CLOSED);
        return conclude(g, APG_CAUSE_SNI_MISSING, APG_CONFIDENCE_POSSIBLE);
    }
    if (silent)
        allow(g, f->v->cause == APG_CAUSE_SERVER_RESET ? APG_CAUSE_SERVER_RESET
                                                       : APG_CAUSE_SERVER_CLOSED);
    g->reading = silent ? SNI_SILENT : f->alert_encrypted ? SNI_UNREADABLE : SNI_FAILURE;
    return conclude(g, APG_CAUSE_SNI_MISSING, APG_CONFIDENCE_LIKELY);
}

void say_sni(GString *s, const finding *g)
{
    g_string_append_printf(s,
                           "The ClientHello (frame %u) has no server_name extension and the "
                           "server answered with ",
                           g->client_hello_frame);
    say_ending(s, g);
    switch (g->reading) {
    case SNI_UNRECOGNIZED: g_string_append(s, ": the server requires SNI."); break;
    case SNI_TIMEOUT:
        g_string_append_printf(s,
                               " %.1f s after it: that looks like a timeout more than a refusal; "
                               "a missing SNI is one possible reason.",
                               (double)g->waited_us / 1e6);
        break;
    case SNI_SILENT:
        g_string_append(s, "; SNI-enabled servers and ingresses close like this when SNI is "
                           "missing (other reasons: server policy or overload).");
        break;
    case SNI_UNREADABLE:
        g_string_append(s, " before sending any certificate; a server that picks its "
                           "certificate by name refuses so when SNI is missing (other readings: "
                           "no certificate for the offered signature algorithms, a policy). A "
                           "key log would show the alert.");
        break;
    case SNI_FAILURE:
        g_string_append(s, "; an SNI-enabled server answers so when SNI is missing (the other "
                           "reading: no shared cipher suite).");
        break;
    }
}

/* A Java client treating the server's warning unrecognized_name as fatal. */
gboolean decide_sni_warning(const facts *f, finding *g)
{
    const GArray *alerts = f->hs->alerts;
    for (guint i = 0; i < alerts->len; i++) {
        const apg_alert_seen *w = &g_array_index(alerts, apg_alert_seen, i);
        if (w->sender == APG_ROLE_SERVER && w->alert.level == APG_ALERT_LEVEL_WARNING &&
            w->alert.desc == APG_ALERT_UNRECOGNIZED_NAME && w->frame <= f->v->alert.frame) {
            g->frame2 = w->frame;
            g->sni = f->hs->offer.sni;
            note_alert(g, f);
            compares(g, APG_COMPARED_SNI);
            return conclude(g, APG_CAUSE_SNI_MISSING, APG_CONFIDENCE_LIKELY);
        }
    }
    return FALSE;
}

void say_sni_warning(GString *s, const finding *g)
{
    g_string_append_printf(s,
                           "The server warned unrecognized_name (frame %u) for the SNI %s and "
                           "the client gave up with ",
                           g->frame2, g->sni ? g->sni : "(none)");
    say_ending(s, g);
    g_string_append(s, ": the server does not know the name the client asked for.");
}
