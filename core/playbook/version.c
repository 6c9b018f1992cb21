/* version.c - playbook step 1: the protocol version. A server that refuses
 * every version the client offers, or a client that refuses the server's choice.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "playbook.h"

#include <string.h>

/* --- Step 1: the protocol version -------------------------------------- */

static gboolean profile_only_above(const facts *f, guint16 version)
{
    const apg_server_profile *p = f->ctx->profile;
    /* The version came off the wire: only SSL 3.0 to TLS 1.3 index the bits. */
    if (!p || !p->versions || version < APG_SSL3 || version > APG_TLS13)
        return FALSE;
    return (p->versions & ((1u << (version - APG_SSL3 + 1)) - 1)) == 0;
}

gboolean rule_version(answer *a, const facts *f)
{
    guint16 record = f->hs->server_first_record_version;
    if (f->alert_known && f->desc == APG_ALERT_PROTOCOL_VERSION) {
        gboolean only = f->client_min && f->client_min == f->client_max;
        g_string_append_printf(a->why,
                               "The client offered %s %s (frame %u) and the server "
                               "answered with ",
                               only ? "only" : "up to", vname(f->client_max),
                               f->hs->client_hello_frame);
        cite(a, f->hs->client_hello_frame);
        say_alert(a, f);
        if (record && record < f->client_max)
            g_string_append_printf(a->why, " in a %s record", vname(record));
        g_string_append(a->why, ": they share no protocol version");
        /* A client that allows only newer versions than the server's: the
         * client's list is the one to widen (or the server to upgrade). */
        if (f->client_min && record && apg_is_tls_version(record) && record < f->client_min)
            g_string_append_printf(a->why,
                                   "; the server speaks older versions than the "
                                   "client allows, so let the client offer %s too, or "
                                   "enable %s on the server",
                                   vname(record), vname(f->client_min));
        g_string_append(a->why, ".");
        return conclude(a, APG_CAUSE_PROTOCOL_MISMATCH, APG_CONFIDENCE_CERTAIN);
    }
    /* TLS 1.3 peers write 0x0303 in every record: only a record below
     * TLS 1.2 says something about the server's versions. */
    if (record && f->client_min && record < f->client_min && record < APG_TLS12 &&
        apg_is_tls_version(record)) {
        cite(a, f->hs->client_hello_frame);
        allow(a, APG_CAUSE_CIPHER_MISMATCH);
        allow(a, APG_CAUSE_ALERT_OTHER);
        g_string_append_printf(a->why,
                               "The client offered %s to %s (frame %u); the server "
                               "answered with ",
                               vname(f->client_min), vname(f->client_max),
                               f->hs->client_hello_frame);
        say_abort(a, f);
        g_string_append_printf(a->why,
                               " in a %s record, below anything offered: a protocol "
                               "mismatch, unless the server's policy refused something "
                               "else.",
                               vname(record));
        return conclude(a, APG_CAUSE_PROTOCOL_MISMATCH, APG_CONFIDENCE_LIKELY);
    }
    if (profile_only_above(f, f->client_max)) {
        cite(a, f->hs->client_hello_frame);
        rests_on(a, APG_BASIS_PROFILE);
        allow(a, APG_CAUSE_CIPHER_MISMATCH);
        g_string_append_printf(a->why,
                               "The client offered at most %s (frame %u) and the server "
                               "answered with ",
                               vname(f->client_max), f->hs->client_hello_frame);
        say_abort(a, f);
        g_string_append(a->why, "; elsewhere in this capture the same server only negotiated "
                                "newer versions: a protocol mismatch is likely.");
        return conclude(a, APG_CAUSE_PROTOCOL_MISMATCH, APG_CONFIDENCE_LIKELY);
    }
    return FALSE;
}

/* "The server chose TLSv1.3 (frame 6" and, when only a HelloRetryRequest
 * made the choice, says so: there is no ServerHello frame to cite. */
void say_server_choice(answer *a, const facts *f)
{
    const apg_handshake *hs = f->hs;
    guint32 frame = hs->server_hello_frame;
    const char *what = "";
    if (!frame && hs->hrr_frame) {
        frame = hs->hrr_frame;
        what = ", a HelloRetryRequest";
    } else if (!frame && hs->ssl2_server_frame) {
        frame = hs->ssl2_server_frame;
        what = ", an SSL 2.0 SERVER-HELLO";
    }
    g_string_append_printf(a->why, "The server chose %s", vname(apg_hs_negotiated_version(hs)));
    if (frame)
        g_string_append_printf(a->why, " (frame %u%s", frame, what);
    else
        g_string_append(a->why, " (its hello is not in the capture");
    cite(a, frame);
}

/* A client refusing the version the server picked. */
gboolean rule_version_refused_by_client(answer *a, const facts *f)
{
    guint16 chosen = apg_hs_negotiated_version(f->hs);
    if (!chosen || !f->saw_offer || f->alert_sender != APG_ROLE_CLIENT || !f->v->has_alert)
        return FALSE;
    gboolean offered = chosen <= f->client_max && (!f->client_min || chosen >= f->client_min);
    if (offered && !(f->alert_known && f->desc == APG_ALERT_PROTOCOL_VERSION))
        return FALSE;
    say_server_choice(a, f);
    g_string_append_printf(a->why, "), which the client (offering %s at most) refused with ",
                           vname(f->client_max));
    say_alert(a, f);
    g_string_append(a->why, ".");
    return conclude(a, APG_CAUSE_PROTOCOL_MISMATCH, APG_CONFIDENCE_CERTAIN);
}
