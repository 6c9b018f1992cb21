/* apg_cert_findings.c - the findings of a checked chain, computed once, and
 * the one wording of each.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_cert_findings.h"

#define DAY (24 * 3600)

guint apg_chain_findings(const apg_chain_report *r)
{
    const gboolean found[APG_CERT_FINDING_COUNT] = {
        [APG_CERT_EXPIRED] = r->expired_index >= 0,
        [APG_CERT_NOT_YET_VALID] = r->not_yet_valid_index >= 0,
        [APG_CERT_CHAIN_INCOMPLETE] = r->chain == APG_CHAIN_INCOMPLETE,
        [APG_CERT_CHAIN_INVALID] = r->chain == APG_CHAIN_INVALID,
        [APG_CERT_NAME_MISMATCH] = r->hostname_checked && !r->hostname_match,
        [APG_CERT_UNTRUSTED] = r->trust_checked && !r->trusted,
        [APG_CERT_SELF_SIGNED] = r->self_signed_leaf,
        [APG_CERT_EXPIRING] = r->expiring_index >= 0,
        [APG_CERT_WEAK_SIGNATURE] = r->weak_signature,
        [APG_CERT_SMALL_KEY] = r->small_key,
        [APG_CERT_MALFORMED] = r->leaf_malformed,
    };
    guint bits = 0;
    for (guint i = 0; i < APG_CERT_FINDING_COUNT; i++)
        if (found[i])
            bits |= APG_CERT_BIT(i);
    return bits;
}

gint apg_cert_finding_index(const apg_chain_report *r, apg_cert_finding f)
{
    switch (f) {
    case APG_CERT_EXPIRED: return r->expired_index;
    case APG_CERT_NOT_YET_VALID: return r->not_yet_valid_index;
    case APG_CERT_EXPIRING: return r->expiring_index;
    case APG_CERT_WEAK_SIGNATURE: return r->weak_signature_index;
    case APG_CERT_CHAIN_INCOMPLETE:
    case APG_CERT_CHAIN_INVALID: return (gint)r->chain_bad_index;
    case APG_CERT_NAME_MISMATCH:
    case APG_CERT_SELF_SIGNED:
    case APG_CERT_MALFORMED: return 0;
    default: return -1;
    }
}

apg_cert_finding apg_cert_finding_of(const apg_chain_report *r, guint i)
{
    static const apg_cert_finding shown[] = {APG_CERT_EXPIRED, APG_CERT_NOT_YET_VALID,
                                             APG_CERT_CHAIN_INCOMPLETE, APG_CERT_CHAIN_INVALID,
                                             APG_CERT_WEAK_SIGNATURE};
    for (guint k = 0; k < G_N_ELEMENTS(shown); k++)
        if (apg_chain_has(r, shown[k]) && apg_cert_finding_index(r, shown[k]) == (gint)i)
            return shown[k];
    return APG_CERT_FINDING_COUNT;
}

static void append_duration(GString *out, const char *before, gint64 seconds, const char *after)
{
    char *d = apg_duration_text(seconds);
    g_string_append(out, before);
    g_string_append(out, d);
    g_string_append(out, after);
    g_free(d);
}

/* The leaf's names, as many as a sentence holds (plain appends: this runs
 * for every established handshake whose name does not match). */
static void append_names(GString *out, const apg_cert *leaf)
{
    guint shown = 0;
    for (guint i = 0; i < leaf->san_dns->len && shown < 4; i++, shown++) {
        g_string_append(out, shown ? ", SAN " : "SAN ");
        g_string_append(out, g_ptr_array_index(leaf->san_dns, i));
    }
    for (guint i = 0; i < leaf->san_ip->len && shown < 4; i++, shown++) {
        g_string_append(out, shown ? ", SAN IP " : "SAN IP ");
        g_string_append(out, g_ptr_array_index(leaf->san_ip, i));
    }
    if (leaf->n_sans > shown)
        g_string_append_printf(out, ", %u more", leaf->n_sans - shown);
    if (!leaf->n_sans && leaf->cn) {
        g_string_append(out, "CN ");
        g_string_append(out, leaf->cn);
        if (leaf->cn_has_nul)
            g_string_append(out, " with an embedded NUL");
    } else if (!leaf->n_sans) {
        g_string_append(out, "no SAN and no CN");
    }
}

void apg_cert_finding_predicate(GString *out, const apg_chain_report *r, apg_cert_finding f)
{
    switch (f) {
    case APG_CERT_EXPIRED:
        append_duration(out, "had expired ", r->time_off_by, " before the capture");
        break;
    case APG_CERT_NOT_YET_VALID:
        append_duration(out, "was not yet valid at the capture's time: it becomes valid ",
                        r->time_off_by, " later");
        break;
    case APG_CERT_EXPIRING:
        append_duration(out, "expires ", r->expiring_in, " after the capture");
        break;
    case APG_CERT_CHAIN_INCOMPLETE:
        g_string_append_printf(out,
                               "is incomplete: the issuer of certificate %u, \"%s\", was not sent",
                               r->chain_bad_index, r->chain_detail);
        if (r->issuer_may_be_root)
            g_string_append(out, " (an intermediate the server should send, or the root of a "
                                 "private CA that signs server certificates directly, which the "
                                 "client must hold)");
        break;
    case APG_CERT_CHAIN_INVALID:
        g_string_append_printf(out, "is invalid: %s", r->chain_detail);
        break;
    case APG_CERT_NAME_MISMATCH:
        g_string_append_printf(out, "is not for \"%s\" (", r->checked_name);
        append_names(out, r->leaf);
        g_string_append(out, ")");
        break;
    case APG_CERT_UNTRUSTED:
        g_string_append(out, "does not lead to a root of the configured truststore");
        break;
    case APG_CERT_SELF_SIGNED: g_string_append(out, "is self-signed"); break;
    case APG_CERT_WEAK_SIGNATURE: g_string_append(out, "has a SHA-1 or MD5 signature"); break;
    case APG_CERT_SMALL_KEY: g_string_append(out, "has an RSA key under 2048 bits"); break;
    case APG_CERT_MALFORMED: g_string_append(out, "cannot be parsed"); break;
    case APG_CERT_FINDING_COUNT: break;
    }
}

char *apg_cert_line_finding(const apg_chain_report *r, guint i)
{
    apg_cert_finding f = apg_cert_finding_of(r, i);
    if (f == APG_CERT_FINDING_COUNT)
        return g_strdup("none");
    if (f == APG_CERT_CHAIN_INCOMPLETE)
        return g_strdup_printf("its issuer was not sent: %s", r->chain_detail);
    if (f == APG_CERT_CHAIN_INVALID)
        return g_strdup(r->chain_detail);
    GString *s = g_string_new(NULL);
    apg_cert_finding_predicate(s, r, f);
    return g_string_free(s, FALSE);
}

/* What a finding is about: a certificate of the chain, the leaf or the
 * chain as a whole. */
static void append_subject(GString *out, const apg_chain_report *r, apg_cert_finding f,
                           const char *whose, gboolean name_leaf)
{
    char buf[32];
    switch (f) {
    case APG_CERT_EXPIRED:
    case APG_CERT_NOT_YET_VALID:
    case APG_CERT_EXPIRING: {
        guint i = (guint)MAX(apg_cert_finding_index(r, f), 0);
        g_string_append_printf(out, "%s %s", whose,
                               apg_cert_role(i, r->n, i == 0 ? r->leaf : NULL, buf, sizeof buf));
        if (i == 0 && name_leaf && r->leaf && r->leaf->cn)
            g_string_append_printf(out, " (CN=%s)", r->leaf->cn);
        break;
    }
    case APG_CERT_NAME_MISMATCH:
    case APG_CERT_SELF_SIGNED:
    case APG_CERT_MALFORMED:
        g_string_append(out, whose);
        g_string_append(out, " leaf");
        break;
    default:
        g_string_append(out, whose);
        g_string_append(out, " chain");
        break;
    }
}

void apg_cert_finding_say(GString *out, const apg_chain_report *r, apg_cert_finding f,
                          const char *whose, gboolean name_leaf)
{
    append_subject(out, r, f, whose, name_leaf);
    g_string_append_c(out, ' ');
    apg_cert_finding_predicate(out, r, f);
}

const char *apg_cert_role(guint index, guint n, const apg_cert *cert, char *buf, gsize len)
{
    if (index == 0)
        return "leaf";
    if (index + 1 == n && cert && cert->self_issued)
        return "root";
    g_snprintf(buf, len, "intermediate %u", index);
    return buf;
}

char *apg_duration_text(gint64 seconds)
{
    gint64 days = seconds / DAY;
    if (days >= 365)
        return g_strdup_printf("%" G_GINT64_FORMAT " year%s %" G_GINT64_FORMAT " days", days / 365,
                               days / 365 == 1 ? "" : "s", days % 365);
    if (days >= 1)
        return g_strdup_printf("%" G_GINT64_FORMAT " day%s", days, days == 1 ? "" : "s");
    if (seconds >= 3600)
        return g_strdup_printf("%" G_GINT64_FORMAT " hours", seconds / 3600);
    return g_strdup_printf("%" G_GINT64_FORMAT " minutes", seconds / 60);
}
