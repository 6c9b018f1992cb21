/* apg_text.c - names and sentences for the core's decisions.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_text.h"

#include "apg_diagnosis.h"

#include <string.h>

const char *apg_outcome_token(apg_outcome o)
{
    switch (o) {
    case APG_OUTCOME_ESTABLISHED: return "established";
    case APG_OUTCOME_FAILED: return "failed";
    case APG_OUTCOME_INCOMPLETE: return "incomplete";
    case APG_OUTCOME_PENDING: break;
    }
    return "pending";
}

const char *apg_stage_text(apg_stage s)
{
    switch (s) {
    case APG_STAGE_BEFORE_SERVER_HELLO: return "before ServerHello";
    case APG_STAGE_AFTER_SERVER_HELLO: return "after ServerHello";
    case APG_STAGE_AFTER_CERTIFICATE: return "after Certificate";
    case APG_STAGE_AFTER_FINISHED: return "after Finished";
    }
    return "unknown";
}

const char *apg_role_token(apg_role r)
{
    return r == APG_ROLE_CLIENT ? "client" : "server";
}

#define NAME_CASE(id, number, name)                                                                \
    case number: return name;

const char *apg_version_name(guint16 v)
{
    switch (v) {
        APG_TLS_VERSIONS(NAME_CASE)
    }
    return NULL;
}

const char *apg_alert_level_name(guint8 level)
{
    switch (level) {
        APG_TLS_ALERT_LEVELS(NAME_CASE)
    }
    return "unknown";
}

const char *apg_alert_desc_name(guint8 desc)
{
    switch (desc) {
        APG_TLS_ALERTS(NAME_CASE)
    }
    return NULL;
}

const char *apg_handshake_type_name(guint8 type)
{
    switch (type) {
        APG_TLS_HANDSHAKE_TYPES(NAME_CASE)
    }
    return "Handshake";
}

/* SSL 2.0 message types (its own numbering). */
static const char *ssl2_message_name(guint8 type)
{
    switch (type) {
        APG_SSL2_MESSAGES(NAME_CASE)
    }
    return "Message";
}

static const char *content_type_name(guint8 type)
{
    switch (type) {
        APG_TLS_CONTENT_TYPES(NAME_CASE)
    }
    return "Record";
}

static void append_alert(GString *s, const apg_alert_obs *a)
{
    const char *desc = apg_alert_desc_name(a->desc);
    if (a->encrypted) {
        g_string_append(s, "Alert(encrypted)");
    } else if (desc) {
        g_string_append_printf(s, "Alert(%s,%s)", apg_alert_level_name(a->level), desc);
    } else {
        g_string_append_printf(s, "Alert(%s,%u)", apg_alert_level_name(a->level), a->desc);
    }
}

static void append_step(GString *s, const apg_step *st)
{
    g_string_append(s, st->role == APG_ROLE_CLIENT ? "C:" : "S:");
    switch (st->kind) {
    case APG_EV_CLIENT_HELLO:
        g_string_append(s, apg_handshake_type_name(APG_HS_CLIENT_HELLO));
        break;
    case APG_EV_SERVER_HELLO:
        g_string_append(s, apg_handshake_type_name(APG_HS_SERVER_HELLO));
        break;
    case APG_EV_CERTIFICATE: g_string_append(s, apg_handshake_type_name(APG_HS_CERTIFICATE)); break;
    case APG_EV_CERT_REQUEST:
        g_string_append(s, apg_handshake_type_name(APG_HS_CERT_REQUEST));
        break;
    case APG_EV_SERVER_HELLO_DONE:
        g_string_append(s, apg_handshake_type_name(APG_HS_SERVER_HELLO_DONE));
        break;
    case APG_EV_OTHER_HANDSHAKE:
        g_string_append(s, apg_handshake_type_name(st->handshake_type));
        break;
    case APG_EV_FINISHED: g_string_append(s, apg_handshake_type_name(APG_HS_FINISHED)); break;
    case APG_EV_ENCRYPTED_HANDSHAKE: g_string_append(s, "EncryptedHandshake"); break;
    case APG_EV_CHANGE_CIPHER_SPEC:
        g_string_append(s, content_type_name(APG_CT_CHANGE_CIPHER_SPEC));
        break;
    case APG_EV_ALERT: append_alert(s, &st->alert); break;
    case APG_EV_ENCRYPTED_RECORD:
        if (st->record_length == APG_TLS13_ENCRYPTED_ALERT_LEN)
            g_string_append_printf(s, "Encrypted(%u)", st->record_length);
        else
            g_string_append(s, "Encrypted");
        break;
    case APG_EV_TCP_FIN: g_string_append(s, "FIN"); break;
    case APG_EV_TCP_RST: g_string_append(s, "RST"); break;
    case APG_EV_TCP_PAYLOAD: g_string_append(s, "NonTLS"); break;
    case APG_EV_SSL2_MESSAGE:
        g_string_append_printf(s, "SSLv2(%s)", ssl2_message_name(st->handshake_type));
        break;
    case APG_EV_PROXY_CONNECT: g_string_append(s, "CONNECT"); break;
    case APG_EV_PROXY_RESPONSE: g_string_append_printf(s, "HTTP(%u)", st->record_length); break;
    case APG_EV_PATH_TOO_BIG: g_string_append(s, "ICMP(too big)"); break;
    case APG_EV_TCP_SEGMENT:
    case APG_EV_COUNT: break;
    }
    g_string_append_printf(s, "#%u", st->frame);
}

/* Steps of one frame and role that repeat (several Encrypted records) are
 * shown once. */
static gboolean same_as_previous(const apg_handshake *hs, guint i)
{
    if (i == 0)
        return FALSE;
    const apg_step *a = &hs->ladder[i - 1];
    const apg_step *b = &hs->ladder[i];
    return a->frame == b->frame && a->role == b->role && a->kind == b->kind &&
           a->kind != APG_EV_ALERT && a->kind != APG_EV_OTHER_HANDSHAKE;
}

#define LADDER_HEAD 24
#define LADDER_TAIL 8

char *apg_ladder_text(const apg_handshake *hs)
{
    GString *s = g_string_new(NULL);
    guint n = hs->n_steps;
    for (guint i = 0; i < n; i++) {
        if (n > LADDER_HEAD + LADDER_TAIL && i == LADDER_HEAD) {
            g_string_append_printf(s, " > ...(%u steps)", n - LADDER_HEAD - LADDER_TAIL);
            i = n - LADDER_TAIL;
        }
        if (same_as_previous(hs, i))
            continue;
        if (s->len)
            g_string_append(s, " > ");
        append_step(s, &hs->ladder[i]);
    }
    return g_string_free(s, FALSE);
}

/* clang-format 14 and 19 lay this macro out differently: kept as written */
/* clang-format off */
#define APG_WARNING_CASE(id, token, fix, meaning) case APG_WARN_##id: return token;
/* clang-format on */

const char *apg_warning_token(guint bit)
{
    switch (bit) {
#define APG_WARNING APG_WARNING_CASE
#include "apg_warnings.def"
#undef APG_WARNING
    }
    return NULL;
}
#undef APG_WARNING_CASE

char *apg_text_printable(const char *s)
{
    if (!s)
        return NULL;
    const guchar *p = (const guchar *)s;
    while (*p >= 0x20 && *p < 0x7f)
        p++;
    if (!*p) /* printable ASCII, the words' usual case: a copy */
        return g_strdup(s);
    char *valid = g_utf8_make_valid(s, -1);
    GString *out = g_string_sized_new(strlen(valid));
    for (const char *p = valid; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
            g_string_append_printf(out, "\\x%02x", c);
        else
            g_string_append_len(out, p, g_utf8_next_char(p) - p);
    }
    g_free(valid);
    return g_string_free(out, FALSE);
}

char *apg_utf8_bounded(const char *s, gsize len, gsize max)
{
    char *valid = g_utf8_make_valid(s, (gssize)len);
    gsize n = strlen(valid);
    if (n > max) {
        /* back to the start of the character that crosses the bound */
        const char *end = g_utf8_find_prev_char(valid, valid + max + 1);
        n = end ? (gsize)(end - valid) : 0;
        valid[n] = '\0';
    }
    return valid;
}
