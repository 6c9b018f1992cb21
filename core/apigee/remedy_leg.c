/* remedy_leg.c - what the product and the matched setting mean for a missing
 * server_name, and which setting let a bad backend certificate through.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "remedy.h"

#include <string.h>

static gboolean is_ip_literal(const char *host)
{
    apg_endpoint ep;
    char *text =
        strchr(host, ':') ? g_strdup_printf("[%s]:1", host) : g_strdup_printf("%s:1", host);
    gboolean ip = apg_endpoint_parse(text, &ep);
    g_free(text);
    return ip;
}

static guint vhosts_on_port(const apg_apigee *a, guint port)
{
    guint n = 0;
    for (guint i = 0; i < a->virtual_hosts->len; i++) {
        const apg_virtual_host *v = a->virtual_hosts->pdata[i];
        n += !v->port || v->port == port;
    }
    return n;
}

static void say_mp_sni(const apg_apigee *a, GString *s)
{
    switch (a->product) {
    case APG_PRODUCT_EDGE_OPDK:
        g_string_append(s, "enable SNI on the Message Processors: "
                           "conf_system_jsse.enableSNIExtension=true in "
                           "/opt/apigee/customer/application/message-processor.properties, then "
                           "restart every MP.");
        break;
    case APG_PRODUCT_EDGE_CLOUD:
        g_string_append(s, "Apigee runs the Message Processors: ask Apigee support to enable SNI "
                           "for the organization.");
        break;
    case APG_PRODUCT_X:
    case APG_PRODUCT_HYBRID:
        g_string_append(s, "the runtime sends server_name for host names: check that the "
                           "TargetServer's or TargetEndpoint's host is the backend's name.");
        break;
    default:
        g_string_append(s, "on Edge for Private Cloud, enable SNI on the Message Processors "
                           "(conf_system_jsse.enableSNIExtension=true); elsewhere check the "
                           "host setting.");
    }
}

void apg_remedy_sni(const apg_apigee *a, const apg_advice_in *in, apg_apigee_advice *out,
                    GString *s)
{
    const apg_apigee_match *m = &out->match;
    apg_say_owner(s, m);
    if (m->vh) {
        g_string_append_printf(s,
                               " is one of %u virtual hosts on port %u: without server_name "
                               "the Router cannot tell which the client app wants; make it "
                               "send SNI for one of the host aliases.",
                               vhosts_on_port(a, in->server->port), in->server->port);
        apg_advice_set(out, "hostAliases", apg_list_text(m->vh->host_aliases));
        return;
    }
    g_string_append_printf(s, " calls host `%s`", m->ts->host);
    if (is_ip_literal(m->ts->host))
        g_string_append(s, ", an IP address: Java sends no server_name for an address. Set host "
                           "to the backend's DNS name.");
    else {
        g_string_append(s, ", yet the Message Processor sent no server_name: ");
        say_mp_sni(a, s);
    }
    apg_advice_set(out, "host", g_strdup(m->ts->host));
}

void apg_remedy_product(const apg_apigee *a, const apg_advice_in *in, apg_apigee_advice *out,
                        GString *s)
{
    (void)out;
    if (!a->product || in->d->cause != APG_CAUSE_SNI_MISSING ||
        in->ctx->direction != APG_DIRECTION_SOUTHBOUND)
        return;
    g_string_append_printf(
        s, "The Message Processor sent no server_name (%s): ", apg_product_name(a->product));
    say_mp_sni(a, s);
    if (a->product == APG_PRODUCT_X || a->product == APG_PRODUCT_HYBRID)
        g_string_append(s, " An IP address as host gets no server_name from Java.");
}

static const char *alert_for(guint warnings)
{
    if (warnings & APG_WARN_CERT_EXPIRED)
        return "certificate_expired";
    if (warnings & APG_WARN_CERT_NOT_YET_VALID)
        return "certificate_expired (not yet valid)";
    return "certificate_unknown";
}

void apg_remedy_unverified(const apg_apigee *a, const apg_advice_in *in, apg_apigee_advice *out,
                           GString *s)
{
    const apg_target_server *t = out->match.ts;
    if (!t || in->ctx->direction == APG_DIRECTION_NORTHBOUND)
        return;
    const apg_ssl_info *ssl = &t->ssl;
    const char *ts = apg_apigee_resolve(a, ssl->trust_store, t->from.env);
    gboolean x = a->product == APG_PRODUCT_X || a->product == APG_PRODUCT_HYBRID;
    apg_say_owner(s, &out->match);
    if (ssl->ignore_validation == APG_TRI_TRUE) {
        g_string_append(s, " sets sSLInfo.ignoreValidationErrors true, which let this "
                           "certificate through");
        apg_advice_set(out, "sSLInfo.ignoreValidationErrors", g_strdup("true"));
    } else if (!ts) {
        g_string_append(s, " sets no sSLInfo.trustStore, so the Message Processor accepted any "
                           "certificate and checked no name");
        apg_advice_set(out, "sSLInfo.trustStore", g_strdup("unset"));
    } else if (x && ssl->enforce != APG_TRI_TRUE) {
        g_string_append(s, " does not set sSLInfo.enforce true, so the outcome rests on "
                           "ignoreValidationErrors");
        apg_advice_set(out, "sSLInfo.enforce", g_strdup("unset"));
    } else {
        g_string_append_printf(s,
                               " trusts truststore `%s`, which would refuse this "
                               "certificate: check that the deployed revision uses this "
                               "TargetServer",
                               ts);
        apg_advice_set(out, "sSLInfo.trustStore", g_strdup(ts));
    }
    g_string_append_printf(s,
                           ". With a truststore holding the backend's CA, "
                           "ignoreValidationErrors false%s, this call would fail with %s: fix "
                           "the backend's certificate first, then enforce.",
                           x ? " and enforce true" : "", alert_for(in->d->warnings));
}
