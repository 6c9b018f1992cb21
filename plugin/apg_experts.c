/* apg_experts.c - registration of the protocol's expert entries: one per
 * cause and certainty, the entries of an established handshake, and one per
 * certificate finding. The summaries of the cause entries come from the core
 * (include/apg_causes.def), their single home, and are checked against these
 * rows at start-up.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_experts.h"

#include <string.h>

#include <epan/packet.h>

#include "apg_diagnosis.h"
#include "apg_text.h"

expert_field ei_certain[APG_CAUSE_COUNT] = {[0 ... APG_CAUSE_COUNT - 1] = EI_INIT};
expert_field ei_uncertain[APG_CAUSE_COUNT] = {[0 ... APG_CAUSE_COUNT - 1] = EI_INIT};
expert_field ei_risky = EI_INIT;
expert_field ei_rejected_after = EI_INIT;
expert_field ei_config = EI_INIT;
expert_field ei_cert[CF_COUNT] = {[0 ... CF_COUNT - 1] = EI_INIT};

/* --- expert entries ---------------------------------------------------------
 * The summary of each cause's entries comes from the core; severities and
 * groups are written here and checked against the core's rows. */

#define CAUSE_CERTAIN(id)   &ei_certain[APG_CAUSE_##id]
#define CAUSE_UNCERTAIN(id) &ei_uncertain[APG_CAUSE_##id]

static ei_register_info ei_causes[] = {
    {CAUSE_CERTAIN(NONE), {"apigee_hs.expert.none", PI_SEQUENCE, PI_CHAT, NULL, EXPFILL}},
    {CAUSE_CERTAIN(INCOMPLETE_CAPTURE),
     {"apigee_hs.expert.incomplete_capture", PI_SEQUENCE, PI_NOTE, NULL, EXPFILL}},
    {CAUSE_CERTAIN(ALERT_OTHER),
     {"apigee_hs.expert.alert_other", PI_SECURITY, PI_ERROR, NULL, EXPFILL}},
    {CAUSE_UNCERTAIN(ALERT_OTHER),
     {"apigee_hs.expert.alert_other_likely", PI_SECURITY, PI_WARN, NULL, EXPFILL}},
    {CAUSE_CERTAIN(NO_SERVER_RESPONSE),
     {"apigee_hs.expert.no_server_response", PI_SEQUENCE, PI_ERROR, NULL, EXPFILL}},
    {CAUSE_UNCERTAIN(NO_SERVER_RESPONSE),
     {"apigee_hs.expert.no_server_response_likely", PI_SEQUENCE, PI_WARN, NULL, EXPFILL}},
    {CAUSE_CERTAIN(SERVER_RESET),
     {"apigee_hs.expert.server_reset", PI_SECURITY, PI_ERROR, NULL, EXPFILL}},
    {CAUSE_UNCERTAIN(SERVER_RESET),
     {"apigee_hs.expert.server_reset_likely", PI_SECURITY, PI_WARN, NULL, EXPFILL}},
    {CAUSE_CERTAIN(SERVER_CLOSED),
     {"apigee_hs.expert.server_closed", PI_SECURITY, PI_ERROR, NULL, EXPFILL}},
    {CAUSE_UNCERTAIN(SERVER_CLOSED),
     {"apigee_hs.expert.server_closed_likely", PI_SECURITY, PI_WARN, NULL, EXPFILL}},
    {CAUSE_CERTAIN(CLIENT_ABORT),
     {"apigee_hs.expert.client_abort", PI_SECURITY, PI_ERROR, NULL, EXPFILL}},
    {CAUSE_UNCERTAIN(CLIENT_ABORT),
     {"apigee_hs.expert.client_abort_likely", PI_SECURITY, PI_WARN, NULL, EXPFILL}},
    {CAUSE_CERTAIN(NON_TLS_RESPONSE),
     {"apigee_hs.expert.non_tls_response", PI_PROTOCOL, PI_ERROR, NULL, EXPFILL}},
    {CAUSE_UNCERTAIN(NON_TLS_RESPONSE),
     {"apigee_hs.expert.non_tls_response_likely", PI_PROTOCOL, PI_WARN, NULL, EXPFILL}},
    {CAUSE_CERTAIN(PROTOCOL_MISMATCH),
     {"apigee_hs.expert.protocol_mismatch", PI_SECURITY, PI_ERROR, NULL, EXPFILL}},
    {CAUSE_UNCERTAIN(PROTOCOL_MISMATCH),
     {"apigee_hs.expert.protocol_mismatch_likely", PI_SECURITY, PI_WARN, NULL, EXPFILL}},
    {CAUSE_CERTAIN(SNI_MISSING),
     {"apigee_hs.expert.sni_missing", PI_SECURITY, PI_ERROR, NULL, EXPFILL}},
    {CAUSE_UNCERTAIN(SNI_MISSING),
     {"apigee_hs.expert.sni_missing_likely", PI_SECURITY, PI_WARN, NULL, EXPFILL}},
    {CAUSE_CERTAIN(CIPHER_MISMATCH),
     {"apigee_hs.expert.cipher_mismatch", PI_SECURITY, PI_ERROR, NULL, EXPFILL}},
    {CAUSE_UNCERTAIN(CIPHER_MISMATCH),
     {"apigee_hs.expert.cipher_mismatch_likely", PI_SECURITY, PI_WARN, NULL, EXPFILL}},
    {CAUSE_CERTAIN(CLIENT_CERT_MISSING),
     {"apigee_hs.expert.client_cert_missing", PI_SECURITY, PI_ERROR, NULL, EXPFILL}},
    {CAUSE_UNCERTAIN(CLIENT_CERT_MISSING),
     {"apigee_hs.expert.client_cert_missing_likely", PI_SECURITY, PI_WARN, NULL, EXPFILL}},
    {CAUSE_CERTAIN(CLIENT_CERT_REJECTED),
     {"apigee_hs.expert.client_cert_rejected", PI_SECURITY, PI_ERROR, NULL, EXPFILL}},
    {CAUSE_UNCERTAIN(CLIENT_CERT_REJECTED),
     {"apigee_hs.expert.client_cert_rejected_likely", PI_SECURITY, PI_WARN, NULL, EXPFILL}},
    {CAUSE_CERTAIN(CERT_EXPIRED),
     {"apigee_hs.expert.cert_expired", PI_SECURITY, PI_ERROR, NULL, EXPFILL}},
    {CAUSE_UNCERTAIN(CERT_EXPIRED),
     {"apigee_hs.expert.cert_expired_likely", PI_SECURITY, PI_WARN, NULL, EXPFILL}},
    {CAUSE_CERTAIN(CERT_UNKNOWN),
     {"apigee_hs.expert.cert_unknown", PI_SECURITY, PI_ERROR, NULL, EXPFILL}},
    {CAUSE_UNCERTAIN(CERT_UNKNOWN),
     {"apigee_hs.expert.cert_unknown_likely", PI_SECURITY, PI_WARN, NULL, EXPFILL}},
    {CAUSE_CERTAIN(CERT_REJECTED),
     {"apigee_hs.expert.cert_rejected", PI_SECURITY, PI_ERROR, NULL, EXPFILL}},
    {CAUSE_UNCERTAIN(CERT_REJECTED),
     {"apigee_hs.expert.cert_rejected_likely", PI_SECURITY, PI_WARN, NULL, EXPFILL}},
    {CAUSE_CERTAIN(CERT_HOSTNAME_MISMATCH),
     {"apigee_hs.expert.cert_hostname_mismatch", PI_SECURITY, PI_ERROR, NULL, EXPFILL}},
    {CAUSE_UNCERTAIN(CERT_HOSTNAME_MISMATCH),
     {"apigee_hs.expert.cert_hostname_mismatch_likely", PI_SECURITY, PI_WARN, NULL, EXPFILL}},
    {CAUSE_CERTAIN(CERT_CHAIN_INCOMPLETE),
     {"apigee_hs.expert.cert_chain_incomplete", PI_SECURITY, PI_ERROR, NULL, EXPFILL}},
    {CAUSE_UNCERTAIN(CERT_CHAIN_INCOMPLETE),
     {"apigee_hs.expert.cert_chain_incomplete_likely", PI_SECURITY, PI_WARN, NULL, EXPFILL}},
    {CAUSE_CERTAIN(CERT_CHAIN_INVALID),
     {"apigee_hs.expert.cert_chain_invalid", PI_SECURITY, PI_ERROR, NULL, EXPFILL}},
    {CAUSE_UNCERTAIN(CERT_CHAIN_INVALID),
     {"apigee_hs.expert.cert_chain_invalid_likely", PI_SECURITY, PI_WARN, NULL, EXPFILL}},
    {CAUSE_CERTAIN(CERT_NOT_YET_VALID),
     {"apigee_hs.expert.cert_not_yet_valid", PI_SECURITY, PI_ERROR, NULL, EXPFILL}},
    {CAUSE_UNCERTAIN(CERT_NOT_YET_VALID),
     {"apigee_hs.expert.cert_not_yet_valid_likely", PI_SECURITY, PI_WARN, NULL, EXPFILL}},
    {CAUSE_CERTAIN(NO_APPLICATION_PROTOCOL),
     {"apigee_hs.expert.no_application_protocol", PI_PROTOCOL, PI_ERROR, NULL, EXPFILL}},
    {CAUSE_UNCERTAIN(NO_APPLICATION_PROTOCOL),
     {"apigee_hs.expert.no_application_protocol_likely", PI_PROTOCOL, PI_WARN, NULL, EXPFILL}},
    {CAUSE_CERTAIN(GROUP_MISMATCH),
     {"apigee_hs.expert.group_mismatch", PI_SECURITY, PI_ERROR, NULL, EXPFILL}},
    {CAUSE_UNCERTAIN(GROUP_MISMATCH),
     {"apigee_hs.expert.group_mismatch_likely", PI_SECURITY, PI_WARN, NULL, EXPFILL}},
    {CAUSE_CERTAIN(SIGNATURE_MISMATCH),
     {"apigee_hs.expert.signature_mismatch", PI_SECURITY, PI_ERROR, NULL, EXPFILL}},
    {CAUSE_CERTAIN(PROXY_REFUSED),
     {"apigee_hs.expert.proxy_refused", PI_SEQUENCE, PI_ERROR, NULL, EXPFILL}},
    {CAUSE_UNCERTAIN(PROXY_REFUSED),
     {"apigee_hs.expert.proxy_refused_likely", PI_SEQUENCE, PI_WARN, NULL, EXPFILL}},
    {CAUSE_CERTAIN(PATH_MTU), {"apigee_hs.expert.path_mtu", PI_SEQUENCE, PI_ERROR, NULL, EXPFILL}},
    {CAUSE_UNCERTAIN(PATH_MTU),
     {"apigee_hs.expert.path_mtu_likely", PI_SEQUENCE, PI_WARN, NULL, EXPFILL}},
    {CAUSE_UNCERTAIN(SIGNATURE_MISMATCH),
     {"apigee_hs.expert.signature_mismatch_likely", PI_SECURITY, PI_WARN, NULL, EXPFILL}},
    {&ei_risky,
     {"apigee_hs.expert.risky_success", PI_SECURITY, PI_WARN,
      "TLS handshake established with a risk (legacy version or suite, weak certificate)",
      EXPFILL}},
    {&ei_rejected_after,
     {"apigee_hs.expert.rejected_after_handshake", PI_SECURITY, PI_WARN,
      "TLS handshake established, then the client left at once: probably it refused the "
      "server's name or certificate",
      EXPFILL}},
    {&ei_config,
     {"apigee_hs.expert.config_problem", PI_UNDECODED, PI_WARN,
      "Apigee-HS preference not usable: some checks are off", EXPFILL}},
};

static ei_register_info ei_certs[] = {
    {&ei_cert[CF_HOSTNAME],
     {"apigee_hs.expert.cert.hostname_mismatch", PI_SECURITY, PI_WARN,
      "TLS certificate: not valid for the requested host name", EXPFILL}},
    {&ei_cert[CF_CHAIN_INCOMPLETE],
     {"apigee_hs.expert.cert.chain_incomplete", PI_SECURITY, PI_WARN,
      "TLS certificate chain: an issuer was not sent", EXPFILL}},
    {&ei_cert[CF_CHAIN_INVALID],
     {"apigee_hs.expert.cert.chain_invalid", PI_SECURITY, PI_WARN,
      "TLS certificate chain: a link does not verify", EXPFILL}},
    {&ei_cert[CF_OUT_OF_DATE],
     {"apigee_hs.expert.cert.out_of_date", PI_SECURITY, PI_WARN,
      "TLS certificate: outside its validity at the capture's time", EXPFILL}},
    {&ei_cert[CF_UNTRUSTED],
     {"apigee_hs.expert.cert.untrusted", PI_SECURITY, PI_WARN,
      "TLS certificate chain: no root of the configured truststore", EXPFILL}},
    {&ei_cert[CF_WEAK_SIGNATURE],
     {"apigee_hs.expert.cert.weak_signature", PI_SECURITY, PI_WARN,
      "TLS certificate: SHA-1 or MD5 signature", EXPFILL}},
    {&ei_cert[CF_SMALL_KEY],
     {"apigee_hs.expert.cert.small_key", PI_SECURITY, PI_WARN,
      "TLS certificate: RSA key under 2048 bits", EXPFILL}},
    {&ei_cert[CF_SELF_SIGNED],
     {"apigee_hs.expert.cert.self_signed", PI_SECURITY, PI_NOTE,
      "TLS certificate: self-signed leaf", EXPFILL}},
    {&ei_cert[CF_EXPIRING],
     {"apigee_hs.expert.cert.expiring", PI_SECURITY, PI_NOTE,
      "TLS certificate: expires soon after the capture", EXPFILL}},
    {&ei_cert[CF_MALFORMED],
     {"apigee_hs.expert.cert.malformed", PI_MALFORMED, PI_WARN, "TLS certificate: cannot be parsed",
      EXPFILL}},
};

static int group_of(apg_cause c)
{
    switch (apg_cause_group_of(c)) {
    case APG_GROUP_CHAT:
    case APG_GROUP_SEQUENCE: return PI_SEQUENCE;
    case APG_GROUP_PROTOCOL: return PI_PROTOCOL;
    case APG_GROUP_SECURITY: break;
    }
    return PI_SECURITY;
}

/* Gives each cause entry its summary from the core, and stops start-up if a
 * row does not match the core's causes (a cause added without its entries). */
static void complete_cause_entries(void)
{
    guint seen = 0;
    for (guint i = 0; i < array_length(ei_causes); i++) {
        ei_register_info *e = &ei_causes[i];
        gboolean certain = e->ids >= ei_certain && e->ids < ei_certain + APG_CAUSE_COUNT;
        gboolean uncertain = e->ids >= ei_uncertain && e->ids < ei_uncertain + APG_CAUSE_COUNT;
        if (!certain && !uncertain)
            continue;
        apg_cause c = (apg_cause)(e->ids - (certain ? ei_certain : ei_uncertain));
        char *name =
            g_strdup_printf("apigee_hs.expert.%s%s", apg_cause_token(c), certain ? "" : "_likely");
        if (strcmp(name, e->eiinfo.name) != 0 || e->eiinfo.group != group_of(c))
            ws_error("apigee_hs: expert entry %s does not match cause %s", e->eiinfo.name, name);
        g_free(name);
        seen++;
        if (c == APG_CAUSE_NONE)
            e->eiinfo.summary = "TLS handshake established";
        else if (c == APG_CAUSE_INCOMPLETE_CAPTURE)
            e->eiinfo.summary = "TLS handshake incomplete in this capture";
        else
            e->eiinfo.summary =
                g_strdup_printf("TLS handshake failed%s: %s", certain ? "" : ", probably",
                                apg_cause_expert_text(c));
    }
    /* every cause certain; every failure also uncertain */
    if (seen != 2 * APG_CAUSE_COUNT - 2)
        ws_error("apigee_hs: %u cause expert entries for %d causes", seen, APG_CAUSE_COUNT);
}

void apg_experts_register(int proto)
{
    complete_cause_entries();
    expert_module_t *experts = expert_register_protocol(proto);
    expert_register_field_array(experts, ei_causes, array_length(ei_causes));
    expert_register_field_array(experts, ei_certs, array_length(ei_certs));
}
