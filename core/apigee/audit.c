/* audit.c - what the export alone shows, without a capture: certificates
 * expired or expiring, TargetServers that check nothing, protocol lists of
 * TLS 1.0/1.1 only, keystores, aliases and references named but missing.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_apigee_audit.h"

#include <string.h>

#define DAY (24 * 3600)

static void line(GPtrArray *out, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void line(GPtrArray *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_ptr_array_add(out, g_strdup_vprintf(fmt, ap));
    va_end(ap);
}

static char *date_text(gint64 t)
{
    GDateTime *dt = g_date_time_new_from_unix_utc(t);
    char *s = dt ? g_date_time_format(dt, "%Y-%m-%d") : g_strdup("?");
    if (dt)
        g_date_time_unref(dt);
    return s;
}

static void audit_cert(GPtrArray *out, const apg_store_cert *c, gint64 at, guint warn_days)
{
    const char *alias = c->alias ? c->alias : c->cert_name ? c->cert_name : "?";
    char *when = NULL, *after = date_text(c->not_after), *before = date_text(c->not_before);
    if (c->not_after && c->not_after < at)
        when = g_strdup_printf("expired on %s", after);
    else if (c->not_before && c->not_before > at)
        when = g_strdup_printf("is not valid before %s", before);
    else if (c->not_after && warn_days && c->not_after - at < (gint64)warn_days * DAY)
        when = g_strdup_printf("expires on %s, in %" G_GINT64_FORMAT " days", after,
                               (c->not_after - at) / DAY);
    g_free(after);
    g_free(before);
    if (when)
        line(out, "keystore `%s` alias `%s` (%s): the certificate `%s` %s",
             c->store ? c->store : "?", alias, c->from.file, c->subject ? c->subject : "?", when);
    g_free(when);
}

static gboolean only_old_versions(const GPtrArray *list)
{
    if (!list || !list->len)
        return FALSE;
    for (guint i = 0; i < list->len; i++) {
        const char *p = list->pdata[i];
        if (strcmp(p, "TLSv1") && strcmp(p, "TLSv1.0") && strcmp(p, "TLSv1.1") &&
            strcmp(p, "SSLv3"))
            return FALSE;
    }
    return TRUE;
}

/* A store the setting names that the export shows is missing. */
static void audit_store_ref(GPtrArray *out, const apg_apigee *a, const char *who, const char *what,
                            const char *name, const char *env)
{
    if (!name)
        return;
    const char *store = apg_apigee_resolve(a, name, env);
    if (!store)
        line(out, "%s: %s `%s` is a reference the export does not hold", who, what, name);
    else if (a->stores->len && !apg_apigee_has_store(a, store))
        line(out, "%s: %s `%s` is not among the export's keystores", who, what, store);
}

static void audit_alias(GPtrArray *out, const apg_apigee *a, const char *who, const apg_ssl_info *s,
                        const char *env)
{
    const char *ks = apg_apigee_resolve(a, s->key_store, env);
    if (s->client_auth == APG_TRI_TRUE && (!s->key_alias || !s->key_store))
        line(out, "%s: clientAuthEnabled is true but no %s is set", who,
             !s->key_alias ? "keyAlias" : "keyStore");
    if (!ks || !s->key_alias || !apg_apigee_has_store(a, ks))
        return;
    GPtrArray *held = apg_apigee_store_certs(a, ks, NULL, env);
    GPtrArray *alias = apg_apigee_store_certs(a, ks, s->key_alias, env);
    if (held->len && !alias->len)
        line(out, "%s: keyAlias `%s` is not in keystore `%s`", who, s->key_alias, ks);
    g_ptr_array_free(held, TRUE);
    g_ptr_array_free(alias, TRUE);
}

static void audit_target_server(GPtrArray *out, const apg_apigee *a, const apg_target_server *t)
{
    const apg_ssl_info *s = &t->ssl;
    char *who = g_strdup_printf("TargetServer `%s`%s%s%s", t->name, t->from.env ? " (env " : "",
                                t->from.env ? t->from.env : "", t->from.env ? ")" : "");
    gboolean ssl = s->enabled == APG_TRI_TRUE;
    gboolean x = a->product == APG_PRODUCT_X || a->product == APG_PRODUCT_HYBRID;
    if (ssl && !s->trust_store)
        line(out,
             "%s: SSL is enabled with no trustStore: the Message Processor accepts any "
             "backend certificate",
             who);
    if (s->ignore_validation == APG_TRI_TRUE)
        line(out, "%s: ignoreValidationErrors is true: certificate errors are ignored", who);
    if (ssl && x && s->enforce != APG_TRI_TRUE)
        line(out, "%s: enforce is not true: a bad backend certificate may still give 2xx", who);
    if (only_old_versions(s->protocols)) {
        char *list = apg_list_text(s->protocols);
        line(out, "%s: sSLInfo.protocols %s holds only TLS 1.0/1.1", who, list);
        g_free(list);
    }
    audit_store_ref(out, a, who, "keyStore", s->key_store, t->from.env);
    audit_store_ref(out, a, who, "trustStore", s->trust_store, t->from.env);
    audit_alias(out, a, who, s, t->from.env);
    g_free(who);
}

static void audit_virtual_host(GPtrArray *out, const apg_apigee *a, const apg_virtual_host *v)
{
    char *who = g_strdup_printf("virtual host `%s`%s%s%s", v->name, v->from.env ? " (env " : "",
                                v->from.env ? v->from.env : "", v->from.env ? ")" : "");
    if (v->ssl_protocols) {
        char **parts = g_strsplit_set(v->ssl_protocols, " ,", -1);
        GPtrArray *list = g_ptr_array_new();
        for (char **p = parts; *p; p++)
            if (**p)
                g_ptr_array_add(list, *p);
        if (only_old_versions(list))
            line(out, "%s: ssl_protocols `%s` holds only TLS 1.0/1.1", who, v->ssl_protocols);
        g_ptr_array_free(list, TRUE);
        g_strfreev(parts); /* the list only borrowed the non-empty parts */
    }
    audit_store_ref(out, a, who, "keyStore", v->ssl.key_store, v->from.env);
    audit_store_ref(out, a, who, "trustStore", v->ssl.trust_store, v->from.env);
    audit_alias(out, a, who, &v->ssl, v->from.env);
    g_free(who);
}

GPtrArray *apg_apigee_audit(const apg_apigee *a, gint64 at, guint warn_days)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < a->certs->len; i++)
        audit_cert(out, a->certs->pdata[i], at, warn_days);
    for (guint i = 0; i < a->target_servers->len; i++)
        audit_target_server(out, a, a->target_servers->pdata[i]);
    for (guint i = 0; i < a->virtual_hosts->len; i++)
        audit_virtual_host(out, a, a->virtual_hosts->pdata[i]);
    return out;
}

char *apg_apigee_summary(const apg_apigee *a)
{
    return g_strdup_printf("%u files read (%u ignored): %u TargetServers, %u virtual hosts, %u "
                           "certificates in %u keystores/truststores, %u references",
                           a->files_read, a->files_ignored, a->target_servers->len,
                           a->virtual_hosts->len, a->certs->len, a->stores->len,
                           a->references->len);
}

static void add_lines(GString *s, const char *title, const GPtrArray *lines)
{
    g_string_append_printf(s, "%s: %u\n", title, lines->len);
    for (guint i = 0; i < lines->len; i++)
        g_string_append_printf(s, "  - %s\n", (const char *)lines->pdata[i]);
}

char *apg_apigee_report(const apg_apigee *a, gint64 at, guint warn_days, const char *judged_at,
                        guint *n_findings)
{
    GString *s = g_string_new("=== Apigee configuration check ===\n");
    char *summary = apg_apigee_summary(a);
    char *when = date_text(at);
    g_string_append_printf(s, "Export: %s\nProduct: %s\nJudged at: %s (%s)\n", summary,
                           apg_product_name(a->product), when, judged_at);
    add_lines(s, "Problems reading it", a->problems);
    add_lines(s, "Notes", a->notes);
    GPtrArray *findings = apg_apigee_audit(a, at, warn_days);
    add_lines(s, "Findings", findings);
    if (n_findings)
        *n_findings = findings->len;
    g_ptr_array_free(findings, TRUE);
    g_free(summary);
    g_free(when);
    return g_string_free(s, FALSE);
}
