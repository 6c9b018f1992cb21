/* sni.c - playbook step 2: SNI. A server that needs the server_name
 * extension and did not get it, or does not serve the name asked for.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "playbook.h"

#include <string.h>

/* --- Step 2: SNI ------------------------------------------------------- */

/* A bare close long after the ClientHello looks like a timeout, not like
 * a refusal of what the ClientHello said. */
#define TIMEOUT_LIKE_US (1000 * 1000)

static gboolean closed_like_a_timeout(const facts *f)
{
    const apg_handshake *hs = f->hs;
    return !f->v->has_alert && hs->close_time_us && hs->client_hello_time_us &&
           hs->close_time_us - hs->client_hello_time_us >= TIMEOUT_LIKE_US;
}

gboolean rule_sni(answer *a, const facts *f)
{
    const apg_server_profile *p = f->ctx->profile;
    if (f->has_sni || (p && p->served_without_sni))
        return FALSE;
    gboolean unrecognized = f->alert_known && f->desc == APG_ALERT_UNRECOGNIZED_NAME;
    gboolean failure = f->alert_known && f->desc == APG_ALERT_HANDSHAKE_FAILURE;
    gboolean silent = !f->v->has_alert;
    gboolean unreadable = f->alert_encrypted; /* TLS 1.3: after ServerHello, before a certificate */
    if (!unrecognized && !failure && !silent && !unreadable)
        return FALSE;
    say_client_hello(a, f, "The ClientHello");
    g_string_append(a->why, ") has no server_name extension and the server answered with ");
    say_abort(a, f);
    if (unrecognized) {
        g_string_append(a->why, ": the server requires SNI.");
        return conclude(a, APG_CAUSE_SNI_MISSING, APG_CONFIDENCE_CERTAIN);
    }
    allow(a, APG_CAUSE_CIPHER_MISMATCH);
    allow(a, APG_CAUSE_ALERT_OTHER);
    if (silent && closed_like_a_timeout(f)) {
        rests_on(a, APG_BASIS_TIMING);
        allow(a, APG_CAUSE_SERVER_CLOSED);
        g_string_append_printf(a->why,
                               " %.1f s after it: that looks like a timeout more than a "
                               "refusal; a missing SNI is one possible reason.",
                               (double)(f->hs->close_time_us - f->hs->client_hello_time_us) / 1e6);
        return conclude(a, APG_CAUSE_SNI_MISSING, APG_CONFIDENCE_POSSIBLE);
    }
    if (silent)
        allow(a, f->v->cause == APG_CAUSE_SERVER_RESET ? APG_CAUSE_SERVER_RESET
                                                       : APG_CAUSE_SERVER_CLOSED);
    g_string_append(a->why, silent ? "; SNI-enabled servers and ingresses close like this when "
                                     "SNI is missing (other reasons: server policy or overload)."
                            : unreadable
                                ? " before sending any certificate; a server that picks its "
                                  "certificate by name refuses so when SNI is missing (other "
                                  "readings: no certificate for the offered signature "
                                  "algorithms, a policy). A key log would show the alert."
                                : "; an SNI-enabled server answers so when SNI is missing "
                                  "(the other reading: no shared cipher suite).");
    return conclude(a, APG_CAUSE_SNI_MISSING, APG_CONFIDENCE_LIKELY);
}

/* A Java client treating the server's warning unrecognized_name as fatal. */
gboolean rule_sni_warning(answer *a, const facts *f)
{
    const GArray *alerts = f->hs->alerts;
    if (f->alert_sender != APG_ROLE_CLIENT || !f->v->has_alert)
        return FALSE;
    for (guint i = 0; i < alerts->len; i++) {
        const apg_alert_seen *w = &g_array_index(alerts, apg_alert_seen, i);
        if (w->sender == APG_ROLE_SERVER && w->alert.level == APG_ALERT_LEVEL_WARNING &&
            w->alert.desc == APG_ALERT_UNRECOGNIZED_NAME && w->frame <= f->v->alert.frame) {
            g_string_append_printf(a->why,
                                   "The server warned unrecognized_name (frame %u) for "
                                   "the SNI %s and the client gave up with ",
                                   w->frame, f->has_sni ? f->hs->offer.sni : "(none)");
            say_alert(a, f);
            g_string_append(a->why, ": the server does not know the name the client asked for.");
            return conclude(a, APG_CAUSE_SNI_MISSING, APG_CONFIDENCE_LIKELY);
        }
    }
    return FALSE;
}
