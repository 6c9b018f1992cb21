/* remedy.c - the fix that names the user's setting: the handshake matched to
 * its TargetServer or virtual host, then one family of causes per function
 * (remedy_*.c). When the configuration adds nothing, the playbook's fix
 * stands and the match alone is shown.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "remedy.h"

#include <string.h>

#include "apg_text.h"

/* The warnings a verifying client refuses, which a setting let through. */
#define UNVERIFIED_WARNINGS                                                                        \
    (APG_WARN_NAME_MISMATCH | APG_WARN_CERT_EXPIRED | APG_WARN_CERT_NOT_YET_VALID |                \
     APG_WARN_CHAIN_INCOMPLETE | APG_WARN_CHAIN_INVALID | APG_WARN_UNTRUSTED |                     \
     APG_WARN_SELF_SIGNED)

static void by_cause(const apg_apigee *a, const apg_advice_in *in, apg_apigee_advice *out,
                     GString *s)
{
    const apg_diagnosis *d = in->d;
    switch (d->cause) {
    case APG_CAUSE_PROTOCOL_MISMATCH: apg_remedy_versions(a, in, out, s); break;
    case APG_CAUSE_CIPHER_MISMATCH: apg_remedy_ciphers(a, in, out, s); break;
    case APG_CAUSE_CERT_EXPIRED:
    case APG_CAUSE_CERT_NOT_YET_VALID: apg_remedy_cert_dates(a, in, out, s); break;
    case APG_CAUSE_CERT_UNKNOWN:
    case APG_CAUSE_CERT_CHAIN_INCOMPLETE:
    case APG_CAUSE_CERT_REJECTED:
    case APG_CAUSE_CLIENT_CERT_REJECTED: apg_remedy_trust(a, in, out, s); break;
    case APG_CAUSE_CLIENT_CERT_MISSING: apg_remedy_client_auth(a, in, out, s); break;
    case APG_CAUSE_CERT_HOSTNAME_MISMATCH: apg_remedy_hostname(a, in, out, s); break;
    case APG_CAUSE_SNI_MISSING: apg_remedy_sni(a, in, out, s); break;
    case APG_CAUSE_NONE:
        if (d->warnings & UNVERIFIED_WARNINGS)
            apg_remedy_unverified(a, in, out, s);
        break;
    default: break;
    }
}

void apg_apigee_advise(const apg_apigee *a, const apg_advice_in *in, apg_apigee_advice *out)
{
    memset(out, 0, sizeof *out);
    const apg_chain_report *chain = in->ctx->chain;
    apg_match_in m = {
        .direction = in->ctx->direction,
        .sni = in->sni,
        .leaf = chain ? chain->leaf : NULL,
        .server = in->server,
    };
    out->match = apg_apigee_match_handshake(a, &m);
    GString *s = g_string_new(NULL);
    if (out->match.how)
        by_cause(a, in, out, s);
    else /* nothing to name: what the product alone says */
        apg_remedy_product(a, in, out, s);
    if (s->len && out->match.candidates > 1)
        g_string_append_printf(s,
                               " (%u entries of the configuration match this handshake "
                               "as well; the first, by file name, is named.)",
                               out->match.candidates);
    /* names from the export and the wire, shown as they are */
    out->remedy = s->len ? apg_text_printable(s->str) : NULL;
    g_string_free(s, TRUE);
}

void apg_apigee_advice_clear(apg_apigee_advice *adv)
{
    g_free(adv->remedy);
    g_free(adv->setting);
    g_free(adv->value);
    memset(adv, 0, sizeof *adv);
}
