/* version.c - playbook step 1: the protocol version. A server that refuses
 * every version the client offers, or a client that refuses the server's choice.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "playbook.h"

enum {
    VERSION_ALERT,      /* the server said protocol_version */
    VERSION_OLD_RECORD, /* it answered in a record older than anything offered */
    VERSION_PROFILE,    /* it only negotiated newer versions elsewhere */
};

static gboolean profile_only_above(const facts *f, guint16 version)
{
    const apg_server_profile *p = f->ctx->profile;
    /* The version came off the wire: only SSL 3.0 to TLS 1.3 index the bits. */
    if (!p || !p->versions || version < APG_SSL3 || version > APG_TLS13)
        return FALSE;
    return (p->versions & ((1u << (version - APG_SSL3 + 1)) - 1)) == 0;
}

/* A readable alert that names another cause (unrecognized_name: SNI;
 * insufficient_security: suites) outranks what the server did elsewhere;
 * these are the alerts stacks answer a version they do not take with
 * (GnuTLS: handshake_failure; OpenSSL 3 to a TLS 1.0-only client at its
 * default level: internal_error). */
static gboolean alert_allows_version(const facts *f)
{
    return !f->alert_known || f->desc == APG_ALERT_HANDSHAKE_FAILURE ||
           f->desc == APG_ALERT_INTERNAL_ERROR || f->desc == APG_ALERT_ILLEGAL_PARAMETER ||
           f->desc == APG_ALERT_DECODE_ERROR;
}

gboolean decide_version(const facts *f, finding *g)
{
    guint16 record = f->hs->server_first_record_version;
    g->record_version = record;
    if (f->alert_known && f->desc == APG_ALERT_PROTOCOL_VERSION) {
        g->reading = VERSION_ALERT;
    } else if (record && f->client_min && record < f->client_min && record < APG_TLS12 &&
               apg_is_tls_version(record)) {
        /* TLS 1.3 peers write 0x0303 in every record: only a record below
         * TLS 1.2 says something about the server's versions. */
        g->reading = VERSION_OLD_RECORD;
        allow(g, APG_CAUSE_CIPHER_MISMATCH);
        allow(g, APG_CAUSE_ALERT_OTHER);
    } else if (profile_only_above(f, f->client_max) && alert_allows_version(f)) {
        g->reading = VERSION_PROFILE;
        rests_on(g, APG_BASIS_PROFILE);
        allow(g, APG_CAUSE_CIPHER_MISMATCH);
    } else {
        return FALSE;
    }
    note_client_hello(g, f);
    note_ending(g, f);
    compares(g, APG_COMPARED_VERSIONS);
    return conclude(g, APG_CAUSE_PROTOCOL_MISMATCH,
                    g->reading == VERSION_ALERT ? APG_CONFIDENCE_CERTAIN : APG_CONFIDENCE_LIKELY);
}

static void say_alerted_version(GString *s, const finding *g)
{
    gboolean only = g->client_min && g->client_min == g->client_max;
    guint16 record = g->record_version;
    g_string_append_printf(s, "The client offered %s %s (frame %u) and the server answered with ",
                           only ? "only" : "up to", vname(g->client_max), g->client_hello_frame);
    say_ending(s, g);
    if (record && record < g->client_max)
        g_string_append_printf(s, " in a %s record", vname(record));
    g_string_append(s, ": they share no protocol version");
    /* A client that allows only newer versions than the server's: the
     * client's list is the one to widen (or the server to upgrade). */
    if (g->client_min && record && apg_is_tls_version(record) && record < g->client_min)
        g_string_append_printf(s,
                               "; the server speaks older versions than the client allows, so "
                               "let the client offer %s too, or enable %s on the server",
                               vname(record), vname(g->client_min));
    g_string_append(s, ".");
}

void say_version(GString *s, const finding *g)
{
    switch (g->reading) {
    case VERSION_ALERT: say_alerted_version(s, g); break;
    case VERSION_OLD_RECORD:
        g_string_append_printf(s,
                               "The client offered %s to %s (frame %u); the server answered with ",
                               vname(g->client_min), vname(g->client_max), g->client_hello_frame);
        say_ending(s, g);
        g_string_append_printf(s,
                               " in a %s record, below anything offered: a protocol mismatch, "
                               "unless the server's policy refused something else.",
                               vname(g->record_version));
        break;
    case VERSION_PROFILE:
        g_string_append_printf(s,
                               "The client offered at most %s (frame %u) and the server answered "
                               "with ",
                               vname(g->client_max), g->client_hello_frame);
        say_ending(s, g);
        g_string_append(s, "; elsewhere in this capture the same server, for ");
        say_clients_of_name(s, g);
        g_string_append(s, ", only negotiated newer versions: a protocol mismatch is likely.");
        break;
    }
}

/* A client refusing the version the server picked. */
gboolean decide_version_refused_by_client(const facts *f, finding *g)
{
    guint16 chosen = apg_hs_negotiated_version(f->hs);
    if (!chosen || !f->saw_offer)
        return FALSE;
    gboolean offered = chosen <= f->client_max && (!f->client_min || chosen >= f->client_min);
    if (offered && !(f->alert_known && f->desc == APG_ALERT_PROTOCOL_VERSION))
        return FALSE;
    note_server_choice(g, f);
    g->client_max = f->client_max;
    note_alert(g, f);
    compares(g, APG_COMPARED_VERSIONS);
    return conclude(g, APG_CAUSE_PROTOCOL_MISMATCH, APG_CONFIDENCE_CERTAIN);
}

void say_version_refused_by_client(GString *s, const finding *g)
{
    say_server_choice(s, g);
    g_string_append_printf(s, "), which the client (offering %s at most) refused with ",
                           vname(g->client_max));
    say_ending(s, g);
    g_string_append(s, ".");
}
