/* remedy_certs.c - certificates against the keystores and truststores the
 * matched setting names: which alias holds the expired certificate, whether
 * the truststore holds the missing issuer, what two-way TLS is set to.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "remedy.h"

#include <string.h>

/* The keystore (or truststore) a setting names, its reference followed. */
static const char *store_of(const apg_apigee *a, const apg_apigee_match *m, const char *name)
{
    return apg_apigee_resolve(a, name, apg_match_env(m));
}

/* "10:03", as Apigee prints serials. */
static char *colon_serial(const char *hex)
{
    GString *s = g_string_new(NULL);
    gsize len = strlen(hex);
    for (gsize i = 0; i < len; i++) {
        if (i && (len - i) % 2 == 0)
            g_string_append_c(s, ':');
        g_string_append_c(s, hex[i]);
    }
    return g_string_free(s, FALSE);
}

static const apg_ssl_info *ssl_of(const apg_apigee_match *m)
{
    return m->ts ? &m->ts->ssl : &m->vh->ssl;
}

/* Says where the certificate sent lives, or that the export cannot tell. */
static void say_alias(GString *s, const apg_apigee *a, const apg_apigee_match *m,
                      const apg_cert *cert, const char *ks, const char *alias)
{
    GPtrArray *in = apg_apigee_store_certs(a, ks, NULL, apg_match_env(m));
    const apg_store_cert *found = apg_apigee_find_cert(a, in, cert);
    if (found)
        g_string_append_printf(s,
                               " is alias `%s` of keystore `%s`%s: upload its replacement "
                               "(and full chain) there",
                               found->alias ? found->alias : found->cert_name, ks,
                               alias && found->alias && strcmp(alias, found->alias)
                                   ? " (not the alias the setting names)"
                                   : "");
    else if (in->len)
        g_string_append_printf(s,
                               " is in none of the %u certificates the export holds of "
                               "keystore `%s`: the side served another keystore's "
                               "certificate; check sSLInfo.keyStore and keyAlias",
                               in->len, ks);
    else
        g_string_append_printf(s,
                               " is served from keystore `%s`%s%s%s (the export holds none "
                               "of its certificates to confirm): upload a renewed "
                               "certificate there",
                               ks, alias ? ", alias `" : "", alias ? alias : "", alias ? "`" : "");
    g_ptr_array_free(in, TRUE);
}

void apg_remedy_cert_dates(const apg_apigee *a, const apg_advice_in *in, apg_apigee_advice *out,
                           GString *s)
{
    const apg_apigee_match *m = &out->match;
    gboolean client = in->d->client_certificate;
    const apg_chain_report *chain = client ? in->ctx->client_chain : in->ctx->chain;
    /* Apigee's own certificate: the Router's (northbound server) or the
     * MP's client certificate (southbound two-way TLS) */
    gboolean ours = client ? m->ts != NULL : m->vh != NULL;
    const apg_ssl_info *ssl = ssl_of(m);
    if (!chain || !chain->leaf || !ours) {
        if (m->ts && !client) {
            apg_say_owner(s, m);
            g_string_append(s, " checked the backend's own certificate and refused it: renew it "
                               "on the backend; never set sSLInfo.ignoreValidationErrors to pass "
                               "it.");
            apg_advice_set(out, "sSLInfo.ignoreValidationErrors",
                           g_strdup(ssl->ignore_validation == APG_TRI_TRUE ? "true" : "false"));
        }
        return;
    }
    const char *ks = store_of(a, m, ssl->key_store);
    char *serial = colon_serial(chain->leaf->serial);
    g_string_append_printf(s, "The %s certificate (serial %s, frame %u)",
                           in->d->cause == APG_CAUSE_CERT_EXPIRED ? "expired" : "not yet valid",
                           serial, client ? in->hs->client_cert_frame : in->hs->server_cert_frame);
    g_free(serial);
    if (!ks) {
        g_string_append(s, " comes from ");
        apg_say_owner(s, m);
        g_string_append_printf(s,
                               ", whose sSLInfo.keyStore is %s: upload a renewed certificate "
                               "to its keystore",
                               ssl->key_store ? "a reference the export does not resolve"
                                              : "unset");
    } else {
        say_alias(s, a, m, chain->leaf, ks, ssl->key_alias);
        g_string_append(s, " (the sSLInfo.keyStore of ");
        apg_say_owner(s, m);
        g_string_append_c(s, ')');
    }
    g_string_append_c(s, '.');
    apg_advice_set(out, "sSLInfo.keyStore",
                   g_strdup_printf("%s%s%s", ks ? ks : "unset", ssl->key_alias ? " / " : "",
                                   ssl->key_alias ? ssl->key_alias : ""));
}

/* The issuer a truststore needs: the top certificate's issuer, or the top
 * itself when it is self-issued. */
static const char *needed_issuer(const apg_chain_report *chain)
{
    if (!chain || !chain->top || chain->top->malformed)
        return NULL;
    return chain->top->self_issued ? chain->top->subject : chain->top->issuer;
}

static const apg_store_cert *holder_of(GPtrArray *in, const char *issuer)
{
    for (guint i = 0; i < in->len; i++) {
        const apg_store_cert *c = in->pdata[i];
        if (apg_dn_equal(c->subject, issuer))
            return c;
    }
    return NULL;
}

void apg_remedy_trust(const apg_apigee *a, const apg_advice_in *in, apg_apigee_advice *out,
                      GString *s)
{
    const apg_apigee_match *m = &out->match;
    gboolean client = in->d->cause == APG_CAUSE_CLIENT_CERT_REJECTED;
    /* southbound: the MP's truststore judges the backend; northbound: the
     * virtual host's judges the client app */
    if (client ? !m->vh : !m->ts)
        return;
    const apg_chain_report *chain = client ? in->ctx->client_chain : in->ctx->chain;
    const char *issuer = needed_issuer(chain);
    const apg_ssl_info *ssl = ssl_of(m);
    const char *ts = store_of(a, m, ssl->trust_store);
    apg_say_owner(s, m);
    apg_advice_set(out, "sSLInfo.trustStore", g_strdup(ts ? ts : "unset"));
    if (!ts) {
        g_string_append_printf(s,
                               " sets %s sSLInfo.trustStore: set one that holds the CA of "
                               "the %s's chain%s%s",
                               ssl->trust_store ? "an unresolved reference as" : "no",
                               client ? "client app" : "backend", issuer ? ", " : "",
                               issuer ? issuer : "");
        g_string_append_c(s, '.');
        return;
    }
    GPtrArray *held = apg_apigee_store_certs(a, ts, NULL, apg_match_env(m));
    const apg_store_cert *h = issuer ? holder_of(held, issuer) : NULL;
    if (!issuer)
        g_string_append_printf(s,
                               " trusts truststore `%s`: the chain was not read, so what it "
                               "lacks is not known.",
                               ts);
    else if (h)
        g_string_append_printf(s,
                               " trusts truststore `%s`, which holds `%s` (alias `%s`): the "
                               "issuer is there, so check the chain's other links and dates.",
                               ts, issuer, h->alias ? h->alias : "?");
    else if (held->len)
        g_string_append_printf(s,
                               ": truststore `%s` holds no certificate for issuer `%s` (of "
                               "the chain in frame %u): upload that CA's certificate to it.",
                               ts, issuer,
                               client ? in->hs->client_cert_frame : in->hs->server_cert_frame);
    else
        g_string_append_printf(s,
                               " trusts truststore `%s` (the export holds none of its "
                               "certificates): make sure it holds `%s`.",
                               ts, issuer);
    g_ptr_array_free(held, TRUE);
}

void apg_remedy_client_auth(const apg_apigee *a, const apg_advice_in *in, apg_apigee_advice *out,
                            GString *s)
{
    const apg_apigee_match *m = &out->match;
    if (!m->ts)
        return;
    const apg_ssl_info *ssl = &m->ts->ssl;
    const char *ks = store_of(a, m, ssl->key_store);
    apg_say_owner(s, m);
    g_string_append_printf(s,
                           ": the backend asked for a client certificate (frame %u) and the "
                           "Message Processor sent none; ",
                           in->hs->cert_request_frame);
    if (ssl->client_auth != APG_TRI_TRUE) {
        g_string_append(s, "sSLInfo.clientAuthEnabled is not true: set it true, with keyStore "
                           "and keyAlias naming the MP's client certificate.");
        apg_advice_set(out, "sSLInfo.clientAuthEnabled", g_strdup("false"));
    } else if (!ssl->key_alias || !ks) {
        g_string_append_printf(s,
                               "`clientAuthEnabled` is true but no %s is set: set "
                               "sSLInfo.keyStore and keyAlias.",
                               !ssl->key_alias ? "keyAlias" : "keyStore");
        apg_advice_set(out, "sSLInfo.keyAlias",
                       g_strdup(ssl->key_alias ? ssl->key_alias : "unset"));
    } else {
        GPtrArray *held = apg_apigee_store_certs(a, ks, ssl->key_alias, apg_match_env(m));
        g_string_append_printf(s,
                               "clientAuthEnabled is true with keystore `%s` alias `%s`%s: "
                               "check that its certificate's issuer is one the backend lists "
                               "in its CertificateRequest.",
                               ks, ssl->key_alias,
                               held->len || !apg_apigee_has_store(a, ks)
                                   ? ""
                                   : ", which the export does not hold (a missing alias)");
        g_ptr_array_free(held, TRUE);
        apg_advice_set(out, "sSLInfo.keyAlias", g_strdup(ssl->key_alias));
    }
}

void apg_remedy_hostname(const apg_apigee *a, const apg_advice_in *in, apg_apigee_advice *out,
                         GString *s)
{
    (void)a;
    const apg_target_server *t = out->match.ts;
    const apg_chain_report *chain = in->ctx->chain;
    if (!t)
        return;
    apg_say_owner(s, &out->match);
    g_string_append_printf(s, " calls host `%s`", t->host);
    if (chain && chain->leaf && chain->leaf->cn)
        g_string_append_printf(s, "; the backend's certificate (frame %u) is for `%s`",
                               in->hs->server_cert_frame, chain->leaf->cn);
    if (t->ssl.common_name)
        g_string_append_printf(s, "; sSLInfo.commonName is `%s` (wildcardMatch %s)",
                               t->ssl.common_name,
                               t->ssl.common_name_wildcard == APG_TRI_TRUE ? "true" : "false");
    g_string_append(s, ": install a certificate for that host on the backend, or set host to a "
                       "name the certificate has; on Apigee X, sSLInfo.commonName names the "
                       "name to expect (ignoreValidationErrors cannot skip a name mismatch when "
                       "the backend uses SNI).");
    apg_advice_set(out, "host", g_strdup(t->host));
}
