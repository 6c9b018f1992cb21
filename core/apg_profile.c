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
    return p;
}

void apg_profile_free(apg_server_profile *p)
{
    if (!p)
        return;
    g_array_free(p->suites, TRUE);
    g_free(p);
}

void apg_profile_learn(apg_server_profile *p, const apg_handshake *hs)
{
    guint16 version = apg_hs_negotiated_version(hs);
    p->established++;
    if (version >= APG_SSL3 && version <= APG_TLS13)
        p->versions |= 1u << (version - APG_SSL3);
    if (hs->saw_start && !hs->offer.sni)
        p->served_without_sni = TRUE;
    if (!hs->server_hello_frame || p->suites->len >= MAX_PROFILE_SUITES)
        return;
    for (guint i = 0; i < p->suites->len; i++)
        if (g_array_index(p->suites, guint16, i) == hs->sh.suite)
            return;
    g_array_append_val(p->suites, hs->sh.suite);
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
