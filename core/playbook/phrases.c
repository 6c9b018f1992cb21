/* phrases.c - the phrases every step's words share, made from a finding.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "playbook.h"

const char *vname(guint16 v)
{
    const char *n = apg_version_name(v);
    return n ? n : "an unknown version";
}

const char *alert_name(guint8 desc)
{
    const char *n = apg_alert_desc_name(desc);
    return n ? n : "an unnamed alert";
}

/* "a fatal handshake_failure from the server (frame 6)", with its real
 * level; or "a TCP RST from the server (frame 6) without an alert". */
void say_ending(GString *s, const finding *g)
{
    const ending *e = &g->end;
    if (!e->alert)
        g_string_append_printf(s, "a TCP %s from the %s (frame %u) without an alert",
                               e->reset ? "RST" : "FIN", apg_role_token(e->sender), e->frame);
    else if (e->encrypted)
        g_string_append_printf(s, "an encrypted alert from the %s (frame %u, %u bytes)",
                               apg_role_token(e->sender), e->frame, e->length);
    else
        g_string_append_printf(s, "a %s %s from the %s (frame %u)", apg_alert_level_name(e->level),
                               alert_name(e->desc), apg_role_token(e->sender), e->frame);
}

/* "The server chose TLSv1.3 (frame 6" */
void say_server_choice(GString *s, const finding *g)
{
    g_string_append_printf(s, "The server chose %s", vname(g->chosen_version));
    if (g->chosen_frame)
        g_string_append_printf(s, " (frame %u%s", g->chosen_frame, g->chosen_by);
    else
        g_string_append(s, " (its hello is not in the capture");
}

/* "other.example.test, www.other.example.test": the names a default
 * certificate is for. */
void say_leaf_names(GString *s, const apg_cert *leaf)
{
    guint shown = 0;
    for (guint i = 0; i < leaf->san_dns->len && shown < 3; i++, shown++)
        g_string_append_printf(s, "%s%s", shown ? ", " : "",
                               (const char *)g_ptr_array_index(leaf->san_dns, i));
    if (!shown)
        g_string_append_printf(s, "CN %s", leaf->cn ? leaf->cn : "(none)");
}

/* "clients asking for "api.example.com"" or "clients without SNI": whose
 * handshakes taught what the server does (one address serves many names). */
void say_clients_of_name(GString *s, const finding *g)
{
    if (!g->sni) {
        g_string_append(s, "clients without SNI");
        return;
    }
    char *name = g_strescape(g->sni, NULL); /* the client chose these bytes */
    g_string_append_printf(s, "clients asking for \"%s\"", name);
    g_free(name);
}

/* "secp384r1", by the TLS dissector's name, else its number. */
void say_group(GString *s, const finding *g, guint16 group)
{
    const char *name = g->group_name ? g->group_name(group) : NULL;
    if (name)
        g_string_append(s, name);
    else
        g_string_append_printf(s, "0x%04x", group);
}

void say_group_list(GString *s, const finding *g, const guint16 *list, guint n)
{
    if (!n) {
        g_string_append(s, "none");
        return;
    }
    for (guint i = 0; i < n && i < 8; i++) {
        g_string_append(s, i ? ", " : "");
        say_group(s, g, list[i]);
    }
    if (n > 8)
        g_string_append_printf(s, " and %u more", n - 8);
}

void say_resent(GString *s, guint times)
{
    if (times == 1)
        g_string_append(s, ", sent once more");
    else if (times)
        g_string_append_printf(s, ", sent %u more times", times);
}
