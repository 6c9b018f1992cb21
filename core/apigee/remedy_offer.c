/* remedy_offer.c - what was offered against what the setting allows:
 * protocol versions (sSLInfo.protocols, ssl_protocols) and cipher suites
 * (sSLInfo.ciphers in JSSE/IANA names, ssl_ciphers in OpenSSL's syntax).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "remedy.h"

#include <string.h>

#include "apg_text.h"

#define MAX_NAMED 5 /* suites named in a sentence */

/* The versions the server negotiated elsewhere in the capture, or NULL. */
static char *accepted_versions(const apg_server_profile *p)
{
    if (!p || !p->versions)
        return NULL;
    GString *s = g_string_new(NULL);
    for (guint v = 0; v < 5; v++)
        if (p->versions & (1u << v))
            g_string_append_printf(s, "%s%s", s->len ? ", " : "", apg_version_name(0x0300 + v));
    return g_string_free(s, FALSE);
}

/* JSSE's "TLSv1" is TLS 1.0. */
static gboolean same_version_name(const char *setting, const char *wire)
{
    return !g_ascii_strcasecmp(setting, wire) ||
           (!g_ascii_strcasecmp(setting, "TLSv1") && !strcmp(wire, "TLSv1.0"));
}

/* Whether the offer holds a version the list names: a list the offer does
 * not reflect was not what the Message Processor ran with. */
static gboolean offer_reflects(const GPtrArray *list, const apg_offer *o)
{
    guint16 only = o->legacy_version;
    const guint16 *v = o->n_versions ? o->versions : &only;
    guint n = o->n_versions ? o->n_versions : 1;
    for (guint i = 0; i < n; i++)
        for (guint j = 0; apg_version_name(v[i]) && j < list->len; j++)
            if (same_version_name(list->pdata[j], apg_version_name(v[i])))
                return TRUE;
    return FALSE;
}

static void say_offer(GString *s, const apg_advice_in *in, const char *who)
{
    char *offered = apg_offered_versions(&in->hs->offer);
    gboolean legacy = !in->hs->offer.n_versions;
    g_string_append_printf(s, "; the %s offered %s%s (frame %u), which was refused", who,
                           legacy ? "up to " : "", offered, in->hs->client_hello_frame);
    if (in->verdict->decided_frame)
        g_string_append_printf(s, " (frame %u)", in->verdict->decided_frame);
    g_free(offered);
}

void apg_remedy_versions(const apg_apigee *a, const apg_advice_in *in, apg_apigee_advice *out,
                         GString *s)
{
    const apg_apigee_match *m = &out->match;
    char *accepted = accepted_versions(in->ctx->profile);
    apg_say_owner(s, m);
    if (m->ts) {
        char *value = apg_list_text(m->ts->ssl.protocols);
        if (m->ts->ssl.protocols && m->ts->ssl.protocols->len)
            g_string_append_printf(s, " lists sSLInfo.protocols %s", value);
        else
            g_string_append(s, " sets no sSLInfo.protocols (the Message Processor offers its "
                               "JVM's defaults)");
        say_offer(s, in, "Message Processor");
        if (accepted)
            g_string_append_printf(s, "; the backend negotiated %s in this capture", accepted);
        if (m->ts->ssl.protocols && m->ts->ssl.protocols->len &&
            !offer_reflects(m->ts->ssl.protocols, &in->hs->offer))
            g_string_append(s, ". That offer is not one this list allows: the call did not run "
                               "with this TargetServer's settings; check which TargetEndpoint or "
                               "TargetServer the deployed revision uses.");
        else
            g_string_append(s, ": add the version the backend speaks to sSLInfo.protocols (JSSE "
                               "names: TLSv1, TLSv1.1, TLSv1.2, TLSv1.3), or better upgrade the "
                               "backend to TLSv1.2 or later.");
        if (a->product == APG_PRODUCT_EDGE_OPDK && a->version[0] &&
            !apg_apigee_version_at_least(a, 4, 51))
            g_string_append(s, " Edge for Private Cloud before 4.51 cannot offer TLSv1.3 "
                               "southbound.");
        apg_advice_set(out, "sSLInfo.protocols", value);
    } else {
        const char *p = m->vh->ssl_protocols;
        if (p)
            g_string_append_printf(s, " sets the property ssl_protocols `%s`", p);
        else
            g_string_append(s, " sets no ssl_protocols property (the Router's "
                               "conf_load_balancing_load.balancing.driver.server.ssl.protocols "
                               "applies)");
        say_offer(s, in, "client app");
        if (accepted)
            g_string_append_printf(s, "; the Router negotiated %s in this capture", accepted);
        g_string_append(s, ": have the client app offer TLSv1.2 or later, or (not recommended) "
                           "add its version to the virtual host's ssl_protocols (nginx names: "
                           "TLSv1 TLSv1.1 TLSv1.2 TLSv1.3).");
        apg_advice_set(out, "ssl_protocols", g_strdup(p ? p : "unset"));
    }
    g_free(accepted);
}

static gboolean signalling(guint16 id)
{
    return id == 0x00ff || id == 0x5600 || (id & 0x0f0f) == 0x0a0a;
}

/* "ECDHE-RSA-AES128-SHA, AES128-SHA": the offer's suites OpenSSL knows,
 * those of `allowed` left out. */
static guint offered_openssl_names(GString *s, const apg_offer *o)
{
    guint named = 0, more = 0;
    for (guint i = 0; i < o->n_suites; i++) {
        const char *name = signalling(o->suites[i]) ? NULL : apg_openssl_suite_name(o->suites[i]);
        if (!name || (o->suites[i] >> 8) == 0x13)
            continue;
        if (named < MAX_NAMED)
            g_string_append_printf(s, "%s%s", named ? ", " : "", name);
        else
            more++;
        named++;
    }
    if (more)
        g_string_append_printf(s, " and %u more", more);
    return named;
}

static guint overlap(const GArray *allowed, const apg_offer *o)
{
    guint n = 0;
    for (guint i = 0; i < allowed->len; i++)
        n += apg_u16_listed(o->suites, o->n_suites, g_array_index(allowed, guint16, i));
    return n;
}

static void say_vh_ciphers(const apg_advice_in *in, apg_apigee_advice *out, GString *s)
{
    const apg_virtual_host *v = out->match.vh;
    const apg_offer *o = &in->hs->offer;
    if (v->ssl_ciphers) {
        GArray *allowed = apg_openssl_cipher_list(v->ssl_ciphers);
        guint common = overlap(allowed, o);
        g_string_append_printf(s,
                               " sets ssl_ciphers `%s` (%u suite%s with this machine's "
                               "OpenSSL)",
                               v->ssl_ciphers, allowed->len, allowed->len == 1 ? "" : "s");
        if (common)
            g_string_append_printf(s,
                                   ", which allows %u of the client's suites: check that "
                                   "the Router runs this virtual host's configuration.",
                                   common);
        else
            g_string_append_printf(s, ": none of the client's %u suites (frame %u) is in it",
                                   o->n_suites, in->hs->client_hello_frame);
        g_array_free(allowed, TRUE);
        if (common)
            goto done;
    } else {
        g_string_append(s, " sets no ssl_ciphers property (the Router's "
                           "conf_load_balancing_load.balancing.driver.server.ssl.ciphers "
                           "applies)");
    }
    g_string_append(s, ". OpenSSL names to add, in the client's order: ");
    if (!offered_openssl_names(s, o))
        g_string_append(s, "none: OpenSSL knows no suite the client offered; the client must "
                           "offer a current one");
    g_string_append_c(s, '.');
done:
    apg_advice_set(out, "ssl_ciphers", g_strdup(v->ssl_ciphers ? v->ssl_ciphers : "unset"));
}

/* The suites the backend is known to accept, by IANA (= JSSE) name. */
static gboolean say_backend_suites(GString *s, const apg_context *ctx)
{
    const guint16 *ids = ctx->server_suites;
    guint n = ctx->n_server_suites;
    if (!n && ctx->profile && ctx->profile->suites) {
        ids = (const guint16 *)(const void *)ctx->profile->suites->data;
        n = ctx->profile->suites->len;
    }
    if (!n || !ctx->suite_name)
        return FALSE;
    g_string_append(s, "; the backend accepts ");
    for (guint i = 0; i < n && i < MAX_NAMED; i++) {
        const char *name = ctx->suite_name(ids[i]);
        if (name)
            g_string_append_printf(s, "%s%s", i ? ", " : "", name);
        else
            g_string_append_printf(s, "%s0x%04x", i ? ", " : "", ids[i]);
    }
    g_string_append(s, ctx->server_suites ? " (apigee_hs.server_suites)"
                                          : " (negotiated in "
                                            "this capture)");
    return TRUE;
}

/* Whether every suite offered (signalling values aside) is one the list
 * names: JSSE offers exactly sSLInfo.ciphers when it is set. */
static gboolean offer_within(const GPtrArray *list, const apg_offer *o)
{
    for (guint i = 0; i < o->n_suites; i++) {
        gboolean named = signalling(o->suites[i]);
        for (guint j = 0; !named && j < list->len; j++) {
            guint16 id;
            named = apg_standard_suite_id(list->pdata[j], &id) && id == o->suites[i];
        }
        if (!named)
            return FALSE;
    }
    return TRUE;
}

static void say_ts_ciphers(const apg_advice_in *in, apg_apigee_advice *out, GString *s)
{
    const apg_target_server *t = out->match.ts;
    char *value = apg_list_text(t->ssl.ciphers);
    if (t->ssl.ciphers && t->ssl.ciphers->len)
        g_string_append_printf(s, " lists sSLInfo.ciphers %s", value);
    else
        g_string_append(s, " sets no sSLInfo.ciphers (the Message Processor offers its JVM's "
                           "defaults)");
    guint n = in->hs->offer.n_suites;
    if (n == 1)
        g_string_append_printf(s, "; the backend refused the one suite offered (frame %u)",
                               in->hs->client_hello_frame);
    else
        g_string_append_printf(s, "; the backend refused all %u suites offered (frame %u)", n,
                               in->hs->client_hello_frame);
    gboolean known = say_backend_suites(s, in->ctx);
    if (t->ssl.ciphers && t->ssl.ciphers->len && !offer_within(t->ssl.ciphers, &in->hs->offer)) {
        g_string_append(s, ". The offer holds suites this list does not name: the call did not "
                           "run with this TargetServer's settings; check which TargetEndpoint or "
                           "TargetServer the deployed revision uses.");
        apg_advice_set(out, "sSLInfo.ciphers", value);
        return;
    }
    g_string_append_printf(s,
                           ": %s to sSLInfo.ciphers (JSSE/IANA names, e.g. "
                           "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256), or widen the backend's "
                           "suites.",
                           known ? "add one of those" : "add a suite the backend accepts");
    apg_advice_set(out, "sSLInfo.ciphers", value);
}

void apg_remedy_ciphers(const apg_apigee *a, const apg_advice_in *in, apg_apigee_advice *out,
                        GString *s)
{
    (void)a;
    apg_say_owner(s, &out->match);
    if (out->match.vh)
        say_vh_ciphers(in, out, s);
    else
        say_ts_ciphers(in, out, s);
}
