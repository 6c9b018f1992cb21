/* alpn.c - beyond the playbook's families: the application protocol (ALPN).
 * A server that requires a protocol the client did not offer (h2 only, for
 * a client offering http/1.1) refuses with no_application_protocol.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "playbook.h"

#include <string.h>

enum {
    ALPN_ALERT_READ, /* no_application_protocol, read */
    ALPN_NONE_KNOWN, /* an encrypted refusal; none offered is among what it selected */
};

/* The alert names the refusal exactly (RFC 7301 3.2): read, it decides. */
gboolean decide_alpn(const facts *f, finding *g)
{
    note_client_hello(g, f);
    note_alert(g, f);
    g->offer = &f->hs->offer;
    compares(g, APG_COMPARED_ALPN);
    const apg_server_profile *p = f->ctx->profile;
    if (p && p->n_alpn) {
        g->profile = p;
        cite(g, p->alpn_frame);
    }
    g->reading = ALPN_ALERT_READ;
    return conclude(g, APG_CAUSE_NO_APPLICATION_PROTOCOL, APG_CONFIDENCE_CERTAIN);
}

/* Whether a protocol the server selected is in the offer's list. */
static gboolean offered(const char *offer, const char *proto)
{
    gsize n = strlen(proto);
    for (const char *p = offer; (p = strstr(p, proto)) != NULL; p += n) {
        gboolean starts = p == offer || p[-1] == ',', ends = p[n] == ',' || p[n] == '\0';
        if (starts && ends)
            return TRUE;
    }
    return FALSE;
}

/* TLS 1.3 servers that check ALPN after their ServerHello (Go) send the
 * alert encrypted. Refused before its certificate, by a server that selected
 * other protocols for this name's other clients, ALPN is the likely reason. */
gboolean decide_alpn_unread(const facts *f, finding *g)
{
    const apg_server_profile *p = f->ctx->profile;
    const char *offer = f->hs->offer.alpn;
    if (!offer || !p || !p->n_alpn)
        return FALSE;
    for (guint i = 0; i < p->n_alpn; i++)
        if (offered(offer, p->alpn[i]))
            return FALSE;
    note_client_hello(g, f);
    note_alert(g, f);
    g->offer = &f->hs->offer;
    g->profile = p;
    cite(g, p->alpn_frame);
    rests_on(g, APG_BASIS_PROFILE);
    compares(g, APG_COMPARED_ALPN);
    allow(g, APG_CAUSE_CIPHER_MISMATCH);
    allow(g, APG_CAUSE_ALERT_OTHER);
    g->reading = ALPN_NONE_KNOWN;
    return conclude(g, APG_CAUSE_NO_APPLICATION_PROTOCOL, APG_CONFIDENCE_LIKELY);
}

static void say_offered_alpn(GString *s, const finding *g)
{
    if (!g->client_hello_frame) {
        g_string_append(s, "a ClientHello this capture lacks");
        return;
    }
    if (!g->offer->alpn) {
        g_string_append_printf(s, "the ClientHello (frame %u, no ALPN extension)",
                               g->client_hello_frame);
        return;
    }
    char *offered = g_strescape(g->offer->alpn, NULL); /* the client chose these bytes */
    g_string_append_printf(s, "the ClientHello (frame %u, ALPN offered: %s)", g->client_hello_frame,
                           offered);
    g_free(offered);
}

void say_alpn(GString *s, const finding *g)
{
    g_string_append(s, "The server answered ");
    say_offered_alpn(s, g);
    g_string_append(s, " with ");
    say_ending(s, g);
    if (g->reading == ALPN_NONE_KNOWN)
        g_string_append(s, ", before any certificate; the version was agreed, so what it "
                           "refused came after: likely the application protocols");
    else
        g_string_append(s, g->client_hello_frame && !g->offer->alpn
                               ? ": it requires an application protocol and the client offered "
                                 "none"
                               : ": it accepts none of the application protocols offered");
    if (!g->profile) {
        g_string_append(s, ". Which protocol it requires is not in this capture (no handshake "
                           "with it for this name selected one).");
        return;
    }
    g_string_append(s, "; for other ");
    say_clients_of_name(s, g);
    g_string_append(s, " it selected ");
    for (guint i = 0; i < g->profile->n_alpn; i++) {
        char *proto = g_strescape(g->profile->alpn[i], NULL);
        g_string_append_printf(s, "%s%s",
                               i == 0                        ? ""
                               : i + 1 == g->profile->n_alpn ? " or "
                                                             : ", ",
                               proto);
        g_free(proto);
    }
    g_string_append_printf(s, " (first in frame %u)%s", g->profile->alpn_frame,
                           g->reading == ALPN_NONE_KNOWN
                               ? ", none of them offered here (other readings: a suite, "
                                 "certificate or policy refusal; a key log would show the alert)."
                               : ".");
}
