/* remedy_words.c - the words every remedy shares: the owner of a setting,
 * the setting's value, the versions offered.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "remedy.h"

#include "apg_text.h"

void apg_advice_set(apg_apigee_advice *out, const char *setting, char *value)
{
    g_free(out->setting);
    g_free(out->value);
    out->setting = g_strdup(setting);
    out->value = value;
}

void apg_say_owner(GString *s, const apg_apigee_match *m)
{
    const char *env = apg_match_env(m);
    g_string_append_printf(s, "%s `%s`", m->ts ? "TargetServer" : "virtual host",
                           apg_match_name(m) ? apg_match_name(m) : "?");
    if (env)
        g_string_append_printf(s, " (env %s)", env);
}

char *apg_offered_versions(const apg_offer *offer)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < offer->n_versions; i++) {
        const char *name = apg_version_name(offer->versions[i]);
        if (name)
            g_string_append_printf(s, "%s%s", s->len ? ", " : "", name);
    }
    if (!s->len && apg_version_name(offer->legacy_version))
        g_string_append(s, apg_version_name(offer->legacy_version));
    return g_string_free(s, FALSE);
}
