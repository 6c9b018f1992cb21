/* apg_profile.c - what a server accepted elsewhere in the capture, and which
 * cipher suites count as legacy or weak.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_diagnosis.h"

#include <string.h>

#define MAX_PROFILE_SUITES 64

apg_server_profile *apg_profile_new(void)
{
    apg_server_profile *p = g_new0(apg_server_profile, 1);
    p->suites = g_array_new(FALSE, FALSE, sizeof(guint16));
    p->groups = g_array_new(FALSE, FALSE, sizeof(guint16));
    return p;
}

void apg_profile_free(apg_server_profile *p)
{
    if (!p)
        return;
    g_array_free(p->suites, TRUE);
    g_array_free(p->groups, TRUE);
    g_free(p);
}

static void add_distinct(GArray *a, guint16 v)
{
    if (a->len >= MAX_PROFILE_SUITES)
        return;
    for (guint i = 0; i < a->len; i++)
        if (g_array_index(a, guint16, i) == v)
            return;
    g_array_append_val(a, v);
}

static void learn_alpn(apg_server_profile *p, const apg_handshake *hs)
{
    if (!hs->alpn_selected)
        return;
    for (guint i = 0; i < p->n_alpn; i++)
        if (p->alpn[i] == hs->alpn_selected) /* interned */
            return;
    if (!p->alpn_frame)
        p->alpn_frame = hs->alpn_frame;
    if (p->n_alpn < APG_PROFILE_MAX_ALPN)
        p->alpn[p->n_alpn++] = hs->alpn_selected;
}

void apg_profile_learn(apg_server_profile *p, const apg_handshake *hs, guint key_types)
{
    guint16 version = apg_hs_negotiated_version(hs);
    p->established++;
    if (version >= APG_SSL3 && version <= APG_TLS13)
        p->versions |= 1u << (version - APG_SSL3);
    if (hs->saw_start && !hs->offer.sni)
        p->served_without_sni = TRUE;
    p->key_types |= key_types;
    learn_alpn(p, hs);
    if (hs->server_group)
        add_distinct(p->groups, hs->server_group);
    if (hs->server_hello_frame)
        add_distinct(p->suites, hs->sh.suite);
}

guint apg_key_type_of(const char *key_algorithm)
{
    if (!key_algorithm)
        return 0;
    if (g_str_has_prefix(key_algorithm, "RSA"))
        return APG_KEY_RSA;
    if (strstr(key_algorithm, "ECDSA") || strstr(key_algorithm, "EC/"))
        return APG_KEY_ECDSA;
    if (strstr(key_algorithm, "EdDSA") || strstr(key_algorithm, "Ed25519") ||
        strstr(key_algorithm, "Ed448"))
        return APG_KEY_EDDSA;
    if (g_str_has_prefix(key_algorithm, "DSA"))
        return APG_KEY_DSA;
    return 0;
}

guint apg_sig_alg_key_type(guint16 scheme)
{
    guint8 hi = scheme >> 8, lo = scheme & 0xff;
    if (hi == 0x08) { /* RSA-PSS (rsae 04-06, pss 09-0b), Ed25519 07, Ed448 08 */
        if ((lo >= 0x04 && lo <= 0x06) || (lo >= 0x09 && lo <= 0x0b))
            return APG_KEY_RSA;
        return lo == 0x07 || lo == 0x08 ? APG_KEY_EDDSA : 0;
    }
    if (hi < 0x01 || hi > 0x06)
        return 0;
    switch (lo) { /* TLS 1.2's hash/signature pairs, RFC 5246 7.4.1.4.1 */
    case 1: return APG_KEY_RSA;
    case 2: return APG_KEY_DSA;
    case 3: return APG_KEY_ECDSA;
    default: return 0;
    }
}

gboolean apg_suite_is_weak(const char *name)
{
    static const char *const marks[] = {"_NULL_",  "_WITH_NULL", "EXPORT", "_RC4_", "_DES_",
                                        "_DES40_", "3DES",       "_anon_", "_MD5"};
    if (!name)
        return FALSE;
    for (guint i = 0; i < G_N_ELEMENTS(marks); i++)
        if (strstr(name, marks[i]))
            return TRUE;
    return FALSE;
}
