/* match.c - which TargetServer (southbound) or virtual host (northbound) a
 * handshake ran under: by the name the client asked for and the port, by
 * address when the host is an IP, by the certificate's names; by the port
 * alone when nothing names the server (the count of entries on that port
 * says whether that is a guess).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_apigee_advice.h"

#include <string.h>

static const struct {
    const char *token, *text;
} hows[] = {
    [APG_MATCHED_NONE] = {"none", "nothing in the configuration matched"},
    [APG_MATCHED_SNI] = {"sni_port", "by the server_name the client sent and the port"},
    [APG_MATCHED_ADDRESS] = {"address_port", "by the server's IP address and port"},
    [APG_MATCHED_CERT_NAME] = {"cert_name_port",
                               "by a name of the server's certificate and the port (no SNI)"},
    [APG_MATCHED_PORT] = {"port", "by the port alone (no SNI or certificate name to go by)"},
};

const char *apg_match_how_text(apg_match_how how)
{
    return hows[how].text;
}

const char *apg_match_how_token(apg_match_how how)
{
    return hows[how].token;
}

const char *apg_match_env(const apg_apigee_match *m)
{
    return m->ts ? m->ts->from.env : m->vh ? m->vh->from.env : NULL;
}

const char *apg_match_name(const apg_apigee_match *m)
{
    return m->ts ? m->ts->name : m->vh ? m->vh->name : NULL;
}

/* "*.example.com" covers one label. */
static gboolean name_covers(const char *pattern, const char *host)
{
    if (!pattern || !host)
        return FALSE;
    if (!g_ascii_strcasecmp(pattern, host))
        return TRUE;
    if (strncmp(pattern, "*.", 2))
        return FALSE;
    const char *dot = strchr(host, '.');
    return dot && dot != host && !g_ascii_strcasecmp(pattern + 1, dot);
}

static gboolean cert_names(const apg_cert *leaf, const char *host)
{
    if (!leaf || leaf->malformed)
        return FALSE;
    for (guint i = 0; leaf->san_dns && i < leaf->san_dns->len; i++)
        if (name_covers(leaf->san_dns->pdata[i], host))
            return TRUE;
    return !leaf->n_sans && !leaf->cn_has_nul && name_covers(leaf->cn, host);
}

static gboolean host_is_address(const char *host, const apg_endpoint *server)
{
    char *text = strchr(host, ':') ? g_strdup_printf("[%s]:%u", host, server->port)
                                   : g_strdup_printf("%s:%u", host, server->port);
    apg_endpoint ep;
    gboolean same = apg_endpoint_parse(text, &ep) && apg_endpoint_equal(&ep, server);
    g_free(text);
    return same;
}

static apg_match_how ts_how(const apg_target_server *t, const apg_match_in *in)
{
    if (!t->host || (t->port && t->port != in->server->port))
        return APG_MATCHED_NONE;
    if (in->sni && !g_ascii_strcasecmp(t->host, in->sni))
        return APG_MATCHED_SNI;
    if (host_is_address(t->host, in->server))
        return APG_MATCHED_ADDRESS;
    if (!in->sni && cert_names(in->leaf, t->host))
        return APG_MATCHED_CERT_NAME;
    return !in->sni && t->port ? APG_MATCHED_PORT : APG_MATCHED_NONE;
}

/* "api.example.com" or "api.example.com:9443". */
static gboolean alias_is(const char *alias, const char *sni, guint port)
{
    const char *colon = strrchr(alias, ':');
    if (!colon)
        return !g_ascii_strcasecmp(alias, sni);
    char *name = g_strndup(alias, colon - alias);
    gboolean same = !g_ascii_strcasecmp(name, sni) && (guint)atoi(colon + 1) == port;
    g_free(name);
    return same;
}

static apg_match_how vh_how(const apg_virtual_host *v, const apg_match_in *in)
{
    if (v->port && v->port != in->server->port)
        return APG_MATCHED_NONE;
    for (guint i = 0; in->sni && i < v->host_aliases->len; i++)
        if (alias_is(v->host_aliases->pdata[i], in->sni, in->server->port))
            return APG_MATCHED_SNI;
    return in->sni ? APG_MATCHED_NONE : APG_MATCHED_PORT;
}

/* The best way anything matched; ties counted. */
static void best_of(GPtrArray *things, gboolean servers, const apg_match_in *in,
                    apg_apigee_match *m)
{
    for (guint i = 0; i < things->len; i++) {
        apg_match_how how = servers ? ts_how(things->pdata[i], in) : vh_how(things->pdata[i], in);
        if (!how || (m->how && how > m->how))
            continue;
        if (how == m->how) {
            m->candidates++;
            continue;
        }
        m->how = how;
        m->candidates = 1;
        m->ts = servers ? things->pdata[i] : NULL;
        m->vh = servers ? NULL : things->pdata[i];
    }
}

apg_apigee_match apg_apigee_match_handshake(const apg_apigee *a, const apg_match_in *in)
{
    apg_apigee_match m = {0};
    if (!a || !in->server)
        return m;
    if (in->direction != APG_DIRECTION_NORTHBOUND)
        best_of(a->target_servers, TRUE, in, &m);
    if (!m.how && in->direction != APG_DIRECTION_SOUTHBOUND)
        best_of(a->virtual_hosts, FALSE, in, &m);
    return m;
}
