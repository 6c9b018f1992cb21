/* apg_render.c - fields, tree and expert info of the diagnosis.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_render.h"

#include <string.h>

#include <epan/expert.h>

#include "apg_extract.h"
#include "apg_text.h"

static int hf_outcome = APG_HF_INIT;
static int hf_cause = APG_HF_INIT;
static int hf_summary = APG_HF_INIT;
static int hf_confidence = APG_HF_INIT;
static int hf_remedy = APG_HF_INIT;
static int hf_direction = APG_HF_INIT;
static int hf_warning = APG_HF_INIT;
static int hf_alternative = APG_HF_INIT;
static int hf_unseen = APG_HF_INIT;
static int hf_evidence_frame = APG_HF_INIT;
static int hf_overlap = APG_HF_INIT;
static int hf_known_suites = APG_HF_INIT;
static int hf_weak_offer = APG_HF_INIT;
static int hf_stage = APG_HF_INIT;
static int hf_failed_side = APG_HF_INIT;
static int hf_decided_frame = APG_HF_INIT;
static int hf_ladder = APG_HF_INIT;
static int hf_stream = APG_HF_INIT;
static int hf_index = APG_HF_INIT;
static int hf_client = APG_HF_INIT;
static int hf_server = APG_HF_INIT;
static int hf_saw_start = APG_HF_INIT;
static int hf_alert_sender = APG_HF_INIT;
static int hf_alert_level = APG_HF_INIT;
static int hf_alert_desc = APG_HF_INIT;
static int hf_alert_desc_code = APG_HF_INIT;
static int hf_alert_encrypted = APG_HF_INIT;
static int hf_alert_frame = APG_HF_INIT;
static int hf_alert_record_length = APG_HF_INIT;
static int hf_ch_frame = APG_HF_INIT;
static int hf_ch_retrans = APG_HF_INIT;
static int hf_hrr_frame = APG_HF_INIT;
static int hf_sh_frame = APG_HF_INIT;
static int hf_cert_frame = APG_HF_INIT;
static int hf_cert_count = APG_HF_INIT;
static int hf_cert_request_frame = APG_HF_INIT;
static int hf_client_cert_frame = APG_HF_INIT;
static int hf_client_cert_count = APG_HF_INIT;
static int hf_shd_frame = APG_HF_INIT;
static int hf_client_finished_frame = APG_HF_INIT;
static int hf_server_finished_frame = APG_HF_INIT;
static int hf_fin_frame = APG_HF_INIT;
static int hf_rst_frame = APG_HF_INIT;
static int hf_close_sender = APG_HF_INIT;
static int hf_client_data_frame = APG_HF_INIT;
static int hf_server_data_frame = APG_HF_INIT;
static int hf_non_tls_frame = APG_HF_INIT;
static int hf_sni_present = APG_HF_INIT;
static int hf_sni = APG_HF_INIT;
static int hf_offered_versions = APG_HF_INIT;
static int hf_client_version = APG_HF_INIT;
static int hf_server_version = APG_HF_INIT;
static int hf_server_record_version = APG_HF_INIT;
static int hf_suites_offered = APG_HF_INIT;
static int hf_suite = APG_HF_INIT;
static int hf_suite_name = APG_HF_INIT;

static int ett_apigee_hs = APG_ETT_INIT;
static int ett_evidence = APG_ETT_INIT;
static int ett_alert = APG_ETT_INIT;
static int ett_offer = APG_ETT_INIT;
static int ett_close = APG_ETT_INIT;
static int ett_text = APG_ETT_INIT;
static int ett_certs = APG_ETT_INIT;
static int ett_cert = APG_ETT_INIT;

static int hf_cert_subject_cn = APG_HF_INIT;
static int hf_cert_san = APG_HF_INIT;
static int hf_cert_issuer = APG_HF_INIT;
static int hf_cert_not_before = APG_HF_INIT;
static int hf_cert_not_after = APG_HF_INIT;
static int hf_cert_expired = APG_HF_INIT;
static int hf_cert_hostname_match = APG_HF_INIT;
static int hf_cert_chain_complete = APG_HF_INIT;
static int hf_cert_chain_len = APG_HF_INIT;
static int hf_cert_checked_name = APG_HF_INIT;
static int hf_cert_key = APG_HF_INIT;
static int hf_cert_signature = APG_HF_INIT;
static int hf_cert_serial = APG_HF_INIT;
static int hf_cert_finding = APG_HF_INIT;
static int hf_chain_subject = APG_HF_INIT;
static int hf_chain_issuer = APG_HF_INIT;
static int hf_chain_not_before = APG_HF_INIT;
static int hf_chain_not_after = APG_HF_INIT;
static int hf_chain_ski = APG_HF_INIT;
static int hf_chain_aki = APG_HF_INIT;
static int hf_chain_note = APG_HF_INIT;

/* Two expert entries per cause: certain (error) and likely or possible
 * (warning), each with a fixed summary so tshark -z expert groups them. */
static expert_field ei_certain[APG_CAUSE_COUNT];
static expert_field ei_uncertain[APG_CAUSE_COUNT];
static expert_field ei_risky = EI_INIT;

/* One entry per certificate finding, on the deciding frame. */
enum {
    CF_HOSTNAME,
    CF_CHAIN_INCOMPLETE,
    CF_CHAIN_INVALID,
    CF_OUT_OF_DATE,
    CF_UNTRUSTED,
    CF_WEAK_SIGNATURE,
    CF_SMALL_KEY,
    CF_SELF_SIGNED,
    CF_EXPIRING,
    CF_MALFORMED,
    CF_COUNT
};
static expert_field ei_cert[CF_COUNT] = {[0 ... CF_COUNT - 1] = EI_INIT};

#define CERT_EXPERT(idx, name, group, severity, summary)                                           \
    {                                                                                              \
        &ei_cert[idx],                                                                             \
        {                                                                                          \
            "apigee_hs.expert.cert." name, group, severity, summary, EXPFILL                       \
        }                                                                                          \
    }
static ei_register_info ei_cert_info[] = {
    CERT_EXPERT(CF_HOSTNAME, "hostname_mismatch", PI_SECURITY, PI_WARN,
                "TLS certificate: not valid for the requested host name"),
    CERT_EXPERT(CF_CHAIN_INCOMPLETE, "chain_incomplete", PI_SECURITY, PI_WARN,
                "TLS certificate chain: an issuer was not sent"),
    CERT_EXPERT(CF_CHAIN_INVALID, "chain_invalid", PI_SECURITY, PI_WARN,
                "TLS certificate chain: a link does not verify"),
    CERT_EXPERT(CF_OUT_OF_DATE, "out_of_date", PI_SECURITY, PI_WARN,
                "TLS certificate: outside its validity at the capture's time"),
    CERT_EXPERT(CF_UNTRUSTED, "untrusted", PI_SECURITY, PI_WARN,
                "TLS certificate chain: no root of the configured truststore"),
    CERT_EXPERT(CF_WEAK_SIGNATURE, "weak_signature", PI_SECURITY, PI_WARN,
                "TLS certificate: SHA-1 or MD5 signature"),
    CERT_EXPERT(CF_SMALL_KEY, "small_key", PI_SECURITY, PI_WARN,
                "TLS certificate: RSA key under 2048 bits"),
    CERT_EXPERT(CF_SELF_SIGNED, "self_signed", PI_SECURITY, PI_NOTE,
                "TLS certificate: self-signed leaf"),
    CERT_EXPERT(CF_EXPIRING, "expiring", PI_SECURITY, PI_NOTE,
                "TLS certificate: expires soon after the capture"),
    CERT_EXPERT(CF_MALFORMED, "malformed", PI_MALFORMED, PI_WARN,
                "TLS certificate: cannot be parsed"),
};

static const value_string tls_version_vals[] = {
    {APG_SSL3, "SSL 3.0"},  {APG_TLS10, "TLS 1.0"}, {APG_TLS11, "TLS 1.1"},
    {APG_TLS12, "TLS 1.2"}, {APG_TLS13, "TLS 1.3"}, {0, NULL},
};

#define FRAMENUM_FIELD(var, name, abbrev, type, blurb)                                             \
    {                                                                                              \
        &var,                                                                                      \
        {                                                                                          \
            name, "apigee_hs." abbrev, FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(type), 0x0, blurb,    \
                HFILL                                                                              \
        }                                                                                          \
    }
#define STRING_FIELD(var, name, abbrev, blurb)                                                     \
    {                                                                                              \
        &var,                                                                                      \
        {                                                                                          \
            name, "apigee_hs." abbrev, FT_STRING, BASE_NONE, NULL, 0x0, blurb, HFILL               \
        }                                                                                          \
    }
#define UINT_FIELD(var, name, abbrev, ft, base, blurb)                                             \
    {                                                                                              \
        &var,                                                                                      \
        {                                                                                          \
            name, "apigee_hs." abbrev, ft, base, NULL, 0x0, blurb, HFILL                           \
        }                                                                                          \
    }
#define VERSION_FIELD(var, name, abbrev, blurb)                                                    \
    {                                                                                              \
        &var,                                                                                      \
        {                                                                                          \
            name, "apigee_hs." abbrev, FT_UINT16, BASE_HEX, VALS(tls_version_vals), 0x0, blurb,    \
                HFILL                                                                              \
        }                                                                                          \
    }
#define BOOL_FIELD(var, name, abbrev, blurb)                                                       \
    {                                                                                              \
        &var,                                                                                      \
        {                                                                                          \
            name, "apigee_hs." abbrev, FT_BOOLEAN, BASE_NONE, NULL, 0x0, blurb, HFILL              \
        }                                                                                          \
    }

static hf_register_info hf[] = {
    STRING_FIELD(hf_outcome, "Outcome", "outcome", "established, failed or incomplete"),
    STRING_FIELD(hf_cause, "Cause", "cause", "Stable token naming why the handshake ended so"),
    STRING_FIELD(hf_summary, "Summary", "summary",
                 "One sentence naming the cause and its evidence"),
    STRING_FIELD(hf_confidence, "Confidence", "confidence",
                 "certain: the wire settles it; likely: the best reading, alternatives in the "
                 "summary; possible: one of several readings"),
    STRING_FIELD(hf_remedy, "Remedy", "remedy", "The playbook's fix for this cause and leg"),
    STRING_FIELD(hf_direction, "Direction", "direction",
                 "northbound (client app -> Edge Router), southbound (Message Processor -> "
                 "backend), or unknown; from the role preferences"),
    STRING_FIELD(hf_warning, "Warning", "warning",
                 "Risk on an established handshake: old_version, legacy_suite"),
    STRING_FIELD(hf_alternative, "Alternative cause", "alternative",
                 "Another cause the evidence leaves open (a cause token), one per item"),
    STRING_FIELD(hf_unseen, "Not seen on the wire", "unseen",
                 "What the finding rests on that the capture did not show plainly; any of these "
                 "keeps the confidence below certain"),
    FRAMENUM_FIELD(hf_evidence_frame, "Evidence frame", "evidence_frame", FT_FRAMENUM_NONE,
                   "A frame the summary cites, one per item"),
    UINT_FIELD(hf_overlap, "Suites the server is known to accept", "overlap", FT_UINT32, BASE_DEC,
               "Offered suites found in the server's configured or learned suites"),
    UINT_FIELD(hf_known_suites, "Server suites known", "known_suites", FT_UINT32, BASE_DEC,
               "Size of the configured list, or of the suites this server chose in the capture"),
    BOOL_FIELD(hf_weak_offer, "Offer only legacy or weak suites", "weak_offer", NULL),
    STRING_FIELD(hf_cert_subject_cn, "Leaf subject CN", "cert.subject_cn", NULL),
    STRING_FIELD(hf_cert_san, "Leaf SAN", "cert.san", "DNS names and IP addresses, one per item"),
    STRING_FIELD(hf_cert_issuer, "Issuer", "cert.issuer", NULL),
    {&hf_cert_not_before,
     {"Not before", "apigee_hs.cert.not_before", FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC, NULL, 0x0,
      NULL, HFILL}},
    {&hf_cert_not_after,
     {"Not after", "apigee_hs.cert.not_after", FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC, NULL, 0x0, NULL,
      HFILL}},
    BOOL_FIELD(hf_cert_expired, "Expired at capture time", "cert.expired",
               "Some certificate of the chain was outside its validity at the frame's time"),
    BOOL_FIELD(hf_cert_hostname_match, "Host name matches", "cert.hostname_match",
               "The leaf is valid for the checked name (RFC 6125, GnuTLS)"),
    BOOL_FIELD(hf_cert_chain_complete, "Chain complete", "cert.chain_complete",
               "Every certificate's issuer was sent, and the links verify"),
    UINT_FIELD(hf_cert_chain_len, "Chain length", "cert.chain_len", FT_UINT32, BASE_DEC, NULL),
    STRING_FIELD(hf_cert_checked_name, "Checked name", "cert.checked_name",
                 "The SNI, or the expected_hosts preference when there was none"),
    STRING_FIELD(hf_cert_key, "Key", "chain.key", NULL),
    STRING_FIELD(hf_cert_signature, "Signature", "chain.signature", NULL),
    STRING_FIELD(hf_cert_serial, "Serial", "chain.serial", NULL),
    STRING_FIELD(hf_cert_finding, "Finding", "chain.finding", NULL),
    STRING_FIELD(hf_chain_subject, "Subject", "chain.subject", "Any certificate of the chain"),
    STRING_FIELD(hf_chain_ski, "Subject key id", "chain.subject_key_id", NULL),
    STRING_FIELD(hf_chain_aki, "Authority key id", "chain.authority_key_id", NULL),
    STRING_FIELD(hf_chain_note, "Chain note", "chain.note",
                 "How the chain was sent: out of order, root included"),
    STRING_FIELD(hf_chain_issuer, "Issuer", "chain.issuer", "Any certificate of the chain"),
    {&hf_chain_not_before,
     {"Not before", "apigee_hs.chain.not_before", FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC, NULL, 0x0,
      NULL, HFILL}},
    {&hf_chain_not_after,
     {"Not after", "apigee_hs.chain.not_after", FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC, NULL, 0x0,
      NULL, HFILL}},
    STRING_FIELD(hf_stage, "Stage", "stage", "How far the handshake got before it ended"),
    STRING_FIELD(hf_failed_side, "Failed side", "failed_side", "The side that ended the handshake"),
    FRAMENUM_FIELD(hf_decided_frame, "Decided in frame", "decided_frame", FT_FRAMENUM_NONE,
                   "The frame whose event settled the outcome"),
    STRING_FIELD(hf_ladder, "Ladder", "ladder", "The handshake's messages in order, with frames"),
    UINT_FIELD(hf_stream, "TCP stream", "stream", FT_UINT32, BASE_DEC, NULL),
    UINT_FIELD(hf_index, "Handshake in stream", "index", FT_UINT32, BASE_DEC,
               "0 for the first handshake of the TCP stream, 1 for the next..."),
    STRING_FIELD(hf_client, "Client", "client", "The endpoint that sent the ClientHello"),
    STRING_FIELD(hf_server, "Server", "server", NULL),
    BOOL_FIELD(hf_saw_start, "Capture has the ClientHello", "saw_start", NULL),
    STRING_FIELD(hf_alert_sender, "Alert sender", "alert.sender", "client or server"),
    STRING_FIELD(hf_alert_level, "Alert level", "alert.level", "warning, fatal, or encrypted"),
    STRING_FIELD(hf_alert_desc, "Alert description", "alert.desc", "RFC 8446 name, or encrypted"),
    UINT_FIELD(hf_alert_desc_code, "Alert description code", "alert.desc_code", FT_UINT8, BASE_DEC,
               NULL),
    BOOL_FIELD(hf_alert_encrypted, "Alert encrypted", "alert.encrypted",
               "The alert could not be read: no keys for this session"),
    FRAMENUM_FIELD(hf_alert_frame, "Alert frame", "alert.frame", FT_FRAMENUM_NONE, NULL),
    UINT_FIELD(hf_alert_record_length, "Alert record length", "alert.record_length", FT_UINT32,
               BASE_DEC, NULL),
    FRAMENUM_FIELD(hf_ch_frame, "ClientHello frame", "client_hello_frame", FT_FRAMENUM_REQUEST,
                   NULL),
    UINT_FIELD(hf_ch_retrans, "ClientHello retransmissions", "client_hello_retransmissions",
               FT_UINT32, BASE_DEC, NULL),
    FRAMENUM_FIELD(hf_hrr_frame, "HelloRetryRequest frame", "hrr_frame", FT_FRAMENUM_RESPONSE,
                   NULL),
    FRAMENUM_FIELD(hf_sh_frame, "ServerHello frame", "server_hello_frame", FT_FRAMENUM_RESPONSE,
                   NULL),
    FRAMENUM_FIELD(hf_cert_frame, "Server Certificate frame", "certificate_frame", FT_FRAMENUM_NONE,
                   NULL),
    UINT_FIELD(hf_cert_count, "Server certificates", "certificate_count", FT_UINT32, BASE_DEC,
               "Certificates in the server's Certificate message"),
    FRAMENUM_FIELD(hf_cert_request_frame, "CertificateRequest frame", "cert_request_frame",
                   FT_FRAMENUM_NONE, NULL),
    FRAMENUM_FIELD(hf_client_cert_frame, "Client Certificate frame", "client_certificate_frame",
                   FT_FRAMENUM_NONE, NULL),
    UINT_FIELD(hf_client_cert_count, "Client certificates", "client_certificate_count", FT_UINT32,
               BASE_DEC, "0 when the client answered with an empty Certificate"),
    FRAMENUM_FIELD(hf_shd_frame, "ServerHelloDone frame", "server_hello_done_frame",
                   FT_FRAMENUM_NONE, NULL),
    FRAMENUM_FIELD(hf_client_finished_frame, "Client Finished frame", "client_finished_frame",
                   FT_FRAMENUM_NONE, NULL),
    FRAMENUM_FIELD(hf_server_finished_frame, "Server Finished frame", "server_finished_frame",
                   FT_FRAMENUM_NONE, NULL),
    FRAMENUM_FIELD(hf_fin_frame, "FIN frame", "fin_frame", FT_FRAMENUM_NONE,
                   "The first TCP FIN during the handshake"),
    FRAMENUM_FIELD(hf_rst_frame, "RST frame", "rst_frame", FT_FRAMENUM_NONE,
                   "The first TCP RST during the handshake"),
    STRING_FIELD(hf_close_sender, "Closed by", "close_sender",
                 "client or server: who sent the first FIN or RST of the handshake"),
    FRAMENUM_FIELD(hf_client_data_frame, "Client application data frame", "client_data_frame",
                   FT_FRAMENUM_NONE,
                   "The client's first application_data record (in TLS 1.3 without keys, its "
                   "first encrypted record)"),
    FRAMENUM_FIELD(hf_server_data_frame, "Server application data frame", "server_data_frame",
                   FT_FRAMENUM_NONE,
                   "The server's first application_data record (in TLS 1.3 without keys, its "
                   "first encrypted record)"),
    FRAMENUM_FIELD(hf_non_tls_frame, "Non-TLS answer frame", "non_tls_frame", FT_FRAMENUM_NONE,
                   NULL),
    BOOL_FIELD(hf_sni_present, "SNI present", "sni_present",
               "The ClientHello carries a server_name extension"),
    STRING_FIELD(hf_sni, "SNI", "sni", "server_name sent by the client"),
    STRING_FIELD(hf_offered_versions, "Offered versions", "offered_versions",
                 "supported_versions, else the legacy version"),
    VERSION_FIELD(hf_client_version, "Highest offered version", "client_version", NULL),
    VERSION_FIELD(hf_server_version, "Negotiated version", "server_version",
                  "ServerHello supported_versions, else its legacy version"),
    VERSION_FIELD(hf_server_record_version, "Server's first record version",
                  "server_record_version", "The record version of the server's first answer"),
    UINT_FIELD(hf_suites_offered, "Cipher suites offered", "suites_offered", FT_UINT32, BASE_DEC,
               NULL),
    UINT_FIELD(hf_suite, "Chosen cipher suite", "suite", FT_UINT16, BASE_HEX, NULL),
    STRING_FIELD(hf_suite_name, "Chosen cipher suite name", "suite_name", NULL),
};

static int expert_group(apg_cause c)
{
    switch (apg_cause_group_of(c)) {
    case APG_GROUP_CHAT:
    case APG_GROUP_SEQUENCE: return PI_SEQUENCE;
    case APG_GROUP_PROTOCOL: return PI_PROTOCOL;
    case APG_GROUP_SECURITY: break;
    }
    return PI_SECURITY;
}

/* Severity and summary of an entry, by cause and certainty. */
static ei_register_info expert_entry(apg_cause c, gboolean certain)
{
    const char *token = apg_cause_token(c);
    const char *what = apg_cause_expert_text(c);
    ei_register_info e = {certain ? &ei_certain[c] : &ei_uncertain[c],
                          {NULL, expert_group(c), PI_ERROR, NULL, EXPFILL}};
    if (c == APG_CAUSE_NONE) {
        e.eiinfo.severity = PI_CHAT;
        e.eiinfo.summary = "TLS handshake established";
    } else if (c == APG_CAUSE_INCOMPLETE_CAPTURE) {
        e.eiinfo.severity = PI_NOTE;
        e.eiinfo.summary = "TLS handshake incomplete in this capture";
    } else {
        e.eiinfo.severity = certain ? PI_ERROR : PI_WARN;
        e.eiinfo.summary =
            g_strdup_printf("TLS handshake failed%s: %s", certain ? "" : ", probably", what);
    }
    e.eiinfo.name = g_strdup_printf("apigee_hs.expert.%s%s", token, certain ? "" : "_likely");
    return e;
}

void apg_render_register(int proto)
{
    static int *ett[] = {&ett_apigee_hs, &ett_evidence, &ett_alert, &ett_offer,
                         &ett_close,     &ett_text,     &ett_certs, &ett_cert};
    /* Wireshark keeps pointers into this array: it lives as long as the program. */
    ei_register_info *ei = g_new0(ei_register_info, 2 * APG_CAUSE_COUNT + 1);
    guint n = 0;
    for (int c = 0; c < APG_CAUSE_COUNT; c++) {
        ei_certain[c] = (expert_field)EI_INIT;
        ei_uncertain[c] = (expert_field)EI_INIT;
        ei[n++] = expert_entry(c, TRUE);
        if (c != APG_CAUSE_NONE && c != APG_CAUSE_INCOMPLETE_CAPTURE)
            ei[n++] = expert_entry(c, FALSE);
    }
    ei[n++] = (ei_register_info){
        &ei_risky,
        {"apigee_hs.expert.risky_success", PI_SECURITY, PI_WARN,
         "TLS handshake established with a risk (legacy version or suite, weak certificate)",
         EXPFILL}};
    proto_register_field_array(proto, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_module_t *experts = expert_register_protocol(proto);
    expert_register_field_array(experts, ei, n);
    expert_register_field_array(experts, ei_cert_info, array_length(ei_cert_info));
}

static void add_certificate_experts(packet_info *pinfo, proto_item *item, const apg_chain_report *r)
{
    gboolean found[CF_COUNT] = {
        [CF_HOSTNAME] = r->hostname_checked && !r->hostname_match,
        [CF_CHAIN_INCOMPLETE] = r->chain == APG_CHAIN_INCOMPLETE,
        [CF_CHAIN_INVALID] = r->chain == APG_CHAIN_INVALID,
        [CF_OUT_OF_DATE] = r->expired_index >= 0 || r->not_yet_valid_index >= 0,
        [CF_UNTRUSTED] = r->trust_checked && !r->trusted,
        [CF_WEAK_SIGNATURE] = r->weak_signature,
        [CF_SMALL_KEY] = r->small_key,
        [CF_SELF_SIGNED] = r->self_signed_leaf,
        [CF_EXPIRING] = r->expiring_index >= 0,
        [CF_MALFORMED] = r->leaf_malformed,
    };
    for (int i = 0; i < CF_COUNT; i++)
        if (found[i])
            expert_add_info(pinfo, item, &ei_cert[i]);
}

void apg_render_expert(packet_info *pinfo, proto_item *item, const apg_verdict *v,
                       const apg_view *view)
{
    const apg_diagnosis *d = &view->d;
    add_certificate_experts(pinfo, item, view->chain);
    add_certificate_experts(pinfo, item, view->client_chain);
    if (v->outcome == APG_OUTCOME_PENDING || d->cause >= APG_CAUSE_COUNT)
        return;
    gboolean certain = d->confidence == APG_CONFIDENCE_CERTAIN || d->cause == APG_CAUSE_NONE ||
                       d->cause == APG_CAUSE_INCOMPLETE_CAPTURE;
    expert_add_info(pinfo, item, certain ? &ei_certain[d->cause] : &ei_uncertain[d->cause]);
    if (d->warnings)
        expert_add_info(pinfo, item, &ei_risky);
}

/* --- tree helpers --------------------------------------------------------- */

static void add_frame(proto_tree *t, int hf_id, tvbuff_t *tvb, guint32 frame)
{
    if (frame)
        proto_item_set_generated(proto_tree_add_uint(t, hf_id, tvb, 0, 0, frame));
}

static void add_string(proto_tree *t, int hf_id, tvbuff_t *tvb, const char *s)
{
    if (s)
        proto_item_set_generated(proto_tree_add_string(t, hf_id, tvb, 0, 0, s));
}

static void add_uint(proto_tree *t, int hf_id, tvbuff_t *tvb, guint32 v)
{
    proto_item_set_generated(proto_tree_add_uint(t, hf_id, tvb, 0, 0, v));
}

static void add_bool(proto_tree *t, int hf_id, tvbuff_t *tvb, gboolean v)
{
    proto_item_set_generated(proto_tree_add_boolean(t, hf_id, tvb, 0, 0, v));
}

static char *versions_text(const apg_offer *offer)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < offer->n_versions; i++) {
        const char *name = apg_version_name(offer->versions[i]);
        if (!name)
            continue; /* GREASE and unknown values */
        g_string_append_printf(s, "%s%s", s->len ? "," : "", name);
    }
    if (!s->len) {
        const char *legacy = apg_version_name(offer->legacy_version);
        g_string_append(s, legacy ? legacy : "unknown");
    }
    return g_string_free(s, FALSE);
}

static void add_alert(proto_tree *tree, tvbuff_t *tvb, const apg_alert_seen *a)
{
    proto_item *ti = proto_tree_add_string_format_value(tree, hf_alert_sender, tvb, 0, 0,
                                                        apg_role_token(a->sender), "%s (frame %u)",
                                                        apg_role_token(a->sender), a->frame);
    proto_item_set_generated(ti);
    proto_tree *t = proto_item_add_subtree(ti, ett_alert);
    if (a->alert.encrypted) {
        add_string(t, hf_alert_level, tvb, "encrypted");
        add_string(t, hf_alert_desc, tvb, "encrypted");
    } else {
        const char *name = apg_alert_desc_name(a->alert.desc);
        add_string(t, hf_alert_level, tvb, apg_alert_level_name(a->alert.level));
        add_string(t, hf_alert_desc, tvb, name ? name : "unknown");
        add_uint(t, hf_alert_desc_code, tvb, a->alert.desc);
    }
    add_bool(t, hf_alert_encrypted, tvb, a->alert.encrypted);
    add_frame(t, hf_alert_frame, tvb, a->frame);
    add_uint(t, hf_alert_record_length, tvb, a->record_length);
}

static void add_offer(proto_tree *tree, tvbuff_t *tvb, const apg_handshake *hs)
{
    const apg_offer *offer = &hs->offer;
    proto_item *ti;
    char *versions = versions_text(offer);
    char *sni =
        offer->sni ? g_strescape(offer->sni, NULL) : NULL; /* the client chose these bytes */
    proto_tree *t = proto_tree_add_subtree_format(tree, tvb, 0, 0, ett_offer, &ti,
                                                  "Client offer: %s, %u suites, SNI %s", versions,
                                                  offer->n_suites, sni ? sni : "absent");
    g_free(sni);
    add_string(t, hf_offered_versions, tvb, versions);
    g_free(versions);
    add_uint(t, hf_client_version, tvb, apg_offer_highest_version(offer));
    add_uint(t, hf_suites_offered, tvb, offer->n_suites);
    add_bool(t, hf_sni_present, tvb, offer->sni != NULL);
    add_string(t, hf_sni, tvb, offer->sni);
    add_uint(t, hf_ch_retrans, tvb, hs->ch_retransmissions);
    proto_item_set_generated(ti);
}

static void add_answer(proto_tree *tree, tvbuff_t *tvb, const apg_handshake *hs)
{
    if (hs->server_first_record_frame)
        add_uint(tree, hf_server_record_version, tvb, hs->server_first_record_version);
    if (!hs->server_hello_frame)
        return;
    add_uint(tree, hf_server_version, tvb, apg_hs_negotiated_version(hs));
    add_uint(tree, hf_suite, tvb, hs->sh.suite);
    add_string(tree, hf_suite_name, tvb, apg_extract_suite_name(hs->sh.suite));
}

/* The first FIN and the first RST, each with who sent it. */
static void add_close(proto_tree *t, tvbuff_t *tvb, const apg_handshake *hs)
{
    const guint32 *closes[] = {hs->fin_frame, hs->rst_frame};
    const int hfs[] = {hf_fin_frame, hf_rst_frame};
    for (int k = 0; k < 2; k++) {
        const guint32 *by_role = closes[k];
        if (!by_role[0] && !by_role[1])
            continue;
        apg_role first =
            !by_role[APG_ROLE_SERVER] || (by_role[APG_ROLE_CLIENT] &&
                                          by_role[APG_ROLE_CLIENT] < by_role[APG_ROLE_SERVER])
                ? APG_ROLE_CLIENT
                : APG_ROLE_SERVER;
        proto_item *ti = proto_tree_add_uint_format_value(
            t, hfs[k], tvb, 0, 0, by_role[first], "%u (%s)", by_role[first], apg_role_token(first));
        proto_item_set_generated(ti);
        add_string(proto_item_add_subtree(ti, ett_close), hf_close_sender, tvb,
                   apg_role_token(first));
    }
}

static void add_evidence(proto_tree *tree, tvbuff_t *tvb, const apg_handshake *hs)
{
    proto_item *ti;
    proto_tree *t = proto_tree_add_subtree(tree, tvb, 0, 0, ett_evidence, &ti, "Evidence frames");
    add_frame(t, hf_ch_frame, tvb, hs->client_hello_frame);
    add_frame(t, hf_hrr_frame, tvb, hs->hrr_frame);
    add_frame(t, hf_sh_frame, tvb, hs->server_hello_frame);
    add_frame(t, hf_cert_frame, tvb, hs->server_cert_frame);
    if (hs->server_cert_frame)
        add_uint(t, hf_cert_count, tvb, hs->server_certs->len);
    add_frame(t, hf_cert_request_frame, tvb, hs->cert_request_frame);
    add_frame(t, hf_shd_frame, tvb, hs->server_hello_done_frame);
    add_frame(t, hf_client_cert_frame, tvb, hs->client_cert_frame);
    if (hs->client_cert_frame)
        add_uint(t, hf_client_cert_count, tvb, hs->client_cert_count);
    add_frame(t, hf_client_finished_frame, tvb, hs->finished_frame[APG_ROLE_CLIENT]);
    add_frame(t, hf_server_finished_frame, tvb, hs->finished_frame[APG_ROLE_SERVER]);
    add_frame(t, hf_client_data_frame, tvb, hs->encrypted_frame[APG_ROLE_CLIENT]);
    add_frame(t, hf_server_data_frame, tvb, hs->encrypted_frame[APG_ROLE_SERVER]);
    add_frame(t, hf_non_tls_frame, tvb, hs->non_tls_frame);
    add_close(t, tvb, hs);
    proto_item_set_generated(ti);
}

/* Item labels are cut at 240 characters: long sentences also get their
 * words under the item, wrapped, so the GUI shows them whole. */
#define WRAP_AT 110

static void add_long_text(proto_tree *t, int hf_id, tvbuff_t *tvb, const char *text)
{
    proto_item *ti = proto_tree_add_string(t, hf_id, tvb, 0, 0, text);
    proto_item_set_generated(ti);
    if (strlen(text) <= WRAP_AT)
        return;
    proto_tree *lines = proto_item_add_subtree(ti, ett_text);
    const char *p = text;
    while (*p) {
        size_t n = strlen(p);
        if (n > WRAP_AT) {
            n = WRAP_AT;
            while (n > WRAP_AT / 2 && p[n] != ' ')
                n--;
        }
        proto_tree_add_subtree_format(lines, tvb, 0, 0, ett_text, NULL, "%.*s", (int)n, p);
        p += n;
        while (*p == ' ')
            p++;
    }
}

static void add_warnings(proto_tree *t, tvbuff_t *tvb, guint warnings)
{
    if (warnings & APG_WARN_OLD_VERSION)
        add_string(t, hf_warning, tvb, "old_version");
    if (warnings & APG_WARN_LEGACY_SUITE)
        add_string(t, hf_warning, tvb, "legacy_suite");
    if (warnings & APG_WARN_CERT_EXPIRING)
        add_string(t, hf_warning, tvb, "cert_expiring");
    if (warnings & APG_WARN_WEAK_SIGNATURE)
        add_string(t, hf_warning, tvb, "weak_signature");
    if (warnings & APG_WARN_SMALL_KEY)
        add_string(t, hf_warning, tvb, "small_key");
    if (warnings & APG_WARN_SELF_SIGNED)
        add_string(t, hf_warning, tvb, "self_signed");
    if (warnings & APG_WARN_NAME_MISMATCH)
        add_string(t, hf_warning, tvb, "name_mismatch");
    if (warnings & APG_WARN_CERT_EXPIRED)
        add_string(t, hf_warning, tvb, "cert_expired");
    if (warnings & APG_WARN_CERT_NOT_YET_VALID)
        add_string(t, hf_warning, tvb, "cert_not_yet_valid");
    if (warnings & APG_WARN_CHAIN_INCOMPLETE)
        add_string(t, hf_warning, tvb, "chain_incomplete");
    if (warnings & APG_WARN_CHAIN_INVALID)
        add_string(t, hf_warning, tvb, "chain_invalid");
    if (warnings & APG_WARN_UNTRUSTED)
        add_string(t, hf_warning, tvb, "untrusted");
    if (warnings & APG_WARN_SSL2)
        add_string(t, hf_warning, tvb, "sslv2");
}

static void add_verdict(proto_tree *t, tvbuff_t *tvb, const apg_verdict *v, const apg_diagnosis *d,
                        apg_direction direction)
{
    add_string(t, hf_outcome, tvb, apg_outcome_token(v->outcome));
    add_string(t, hf_cause, tvb, apg_cause_token(d->cause));
    add_string(t, hf_confidence, tvb, apg_confidence_token(d->confidence));
    add_long_text(t, hf_summary, tvb, d->summary);
    add_long_text(t, hf_remedy, tvb, d->remedy);
    add_string(t, hf_direction, tvb, apg_direction_token(direction));
    for (int c = 0; c < APG_CAUSE_COUNT; c++)
        if (d->alternatives & APG_CAUSE_BIT(c))
            add_string(t, hf_alternative, tvb, apg_cause_token((apg_cause)c));
    for (guint bit = 1; bit < (1u << APG_BASIS_COUNT_BITS); bit <<= 1)
        if (d->basis & bit)
            add_string(t, hf_unseen, tvb, apg_basis_text(bit));
    for (guint i = 0; i < d->n_evidence; i++)
        add_frame(t, hf_evidence_frame, tvb, d->evidence[i]);
    add_warnings(t, tvb, d->warnings);
    if (d->has_overlap) {
        add_uint(t, hf_overlap, tvb, d->overlap);
        add_uint(t, hf_known_suites, tvb, d->known_suites);
    }
    if (d->weak_offer)
        add_bool(t, hf_weak_offer, tvb, TRUE);
    add_string(t, hf_stage, tvb, apg_stage_text(v->stage));
    if (v->has_failed_side)
        add_string(t, hf_failed_side, tvb, apg_role_token(v->failed_side));
    add_frame(t, hf_decided_frame, tvb, v->decided_frame);
}

static void set_title(proto_item *ti, const apg_handshake *hs, const apg_verdict *v,
                      const apg_diagnosis *d, gboolean show_outcome)
{
    if (!show_outcome && v->decided_frame) {
        proto_item_append_text(ti, ": handshake %u, verdict in frame %u", hs->index,
                               v->decided_frame);
        return;
    }
    if (!show_outcome) {
        proto_item_append_text(ti, ": handshake %u in progress", hs->index);
        return;
    }
    proto_item_append_text(ti, ": %s (%s, %s), %s", apg_outcome_token(v->outcome),
                           apg_cause_token(d->cause), apg_confidence_token(d->confidence),
                           apg_stage_text(v->stage));
    if (v->has_alert && !v->alert.alert.encrypted) {
        const char *desc = apg_alert_desc_name(v->alert.alert.desc);
        proto_item_append_text(ti, ", %s alert %s", apg_role_token(v->alert.sender),
                               desc ? desc : "unknown");
    }
}

static void add_time(proto_tree *t, int hf_id, tvbuff_t *tvb, gint64 secs)
{
    nstime_t ts = {(time_t)secs, 0};
    proto_item_set_generated(proto_tree_add_time(t, hf_id, tvb, 0, 0, &ts));
}

static void add_cert_findings(proto_tree *t, tvbuff_t *tvb, const apg_chain_report *r, guint i)
{
    char *text = NULL;
    if ((gint)i == r->expired_index || (gint)i == r->not_yet_valid_index) {
        char *by = apg_duration_text(r->time_off_by);
        text = g_strdup_printf("%s %s at the capture's time",
                               (gint)i == r->expired_index ? "expired" : "not yet valid", by);
        g_free(by);
    } else if (r->chain != APG_CHAIN_OK && i == r->chain_bad_index) {
        text = g_strdup_printf(r->chain == APG_CHAIN_INCOMPLETE ? "issuer not sent: %s" : "%s",
                               r->chain_detail);
    } else if ((gint)i == r->weak_signature_index) {
        text = g_strdup("weak signature algorithm");
    }
    if (text)
        add_string(t, hf_cert_finding, tvb, text);
    g_free(text);
}

static void add_one_cert(proto_tree *tree, tvbuff_t *tvb, const apg_chain_report *r,
                         const apg_cert *c, guint i)
{
    char buf[32];
    proto_item *ti;
    proto_tree *t = proto_tree_add_subtree_format(
        tree, tvb, 0, 0, ett_cert, &ti, "Certificate %u (%s): %s", i,
        apg_cert_role(i, r->n, c, buf, sizeof buf), c->malformed ? "malformed" : c->subject);
    if (c->malformed) {
        add_string(t, hf_cert_finding, tvb, c->error);
        return;
    }
    add_string(t, hf_chain_subject, tvb, c->subject);
    add_string(t, hf_chain_issuer, tvb, c->issuer);
    add_time(t, hf_chain_not_before, tvb, c->not_before);
    add_time(t, hf_chain_not_after, tvb, c->not_after);
    char *key =
        g_strdup_printf("%s %u bits%s", c->key_algorithm, c->key_bits, c->is_ca ? ", CA" : "");
    add_string(t, hf_cert_key, tvb, key);
    g_free(key);
    add_string(t, hf_cert_signature, tvb, c->signature_algorithm);
    add_string(t, hf_cert_serial, tvb, c->serial);
    add_string(t, hf_chain_ski, tvb, c->subject_key_id);
    add_string(t, hf_chain_aki, tvb, c->authority_key_id);
    add_cert_findings(t, tvb, r, i);
}

static void add_leaf_fields(proto_tree *t, tvbuff_t *tvb, const apg_chain_report *r)
{
    const apg_cert *leaf = r->leaf;
    add_string(t, hf_cert_subject_cn, tvb, leaf->cn);
    for (guint i = 0; i < leaf->san_dns->len; i++)
        add_string(t, hf_cert_san, tvb, g_ptr_array_index(leaf->san_dns, i));
    for (guint i = 0; i < leaf->san_ip->len; i++)
        add_string(t, hf_cert_san, tvb, g_ptr_array_index(leaf->san_ip, i));
    add_string(t, hf_cert_issuer, tvb, leaf->issuer);
    add_time(t, hf_cert_not_before, tvb, leaf->not_before);
    add_time(t, hf_cert_not_after, tvb, leaf->not_after);
    if (r->time_checked)
        add_bool(t, hf_cert_expired, tvb, r->expired_index >= 0 || r->not_yet_valid_index >= 0);
    if (r->hostname_checked) {
        add_string(t, hf_cert_checked_name, tvb, r->checked_name);
        add_bool(t, hf_cert_hostname_match, tvb, r->hostname_match);
    }
    add_bool(t, hf_cert_chain_complete, tvb, r->chain == APG_CHAIN_OK);
}

/* A chain as sent: for the server's, the leaf's facts first; then each
 * certificate with its findings. */
static void add_certificates(proto_tree *tree, tvbuff_t *tvb, const char *whose, GPtrArray *ders,
                             guint32 frame, const apg_chain_report *r, gboolean server)
{
    if (!ders->len)
        return;
    proto_item *ti;
    proto_tree *t = proto_tree_add_subtree_format(
        tree, tvb, 0, 0, ett_certs, &ti, "%s: %u sent (frame %u)", whose, ders->len, frame);
    if (server) {
        add_uint(t, hf_cert_chain_len, tvb, ders->len);
        if (r->leaf)
            add_leaf_fields(t, tvb, r);
    }
    if (r->out_of_order)
        add_string(t, hf_chain_note, tvb, "sent out of order (each issuer should follow)");
    if (r->root_sent)
        add_string(t, hf_chain_note, tvb, "the root was sent (peers ignore it)");
    for (guint i = 0; i < ders->len && i < 16; i++)
        add_one_cert(t, tvb, r, apg_state_certificate(g_ptr_array_index(ders, i)), i);
}

proto_item *apg_render_tree(proto_tree *tree, tvbuff_t *tvb, int proto,
                            const apg_conversation *conv, const apg_handshake *hs,
                            const apg_verdict *v, const apg_view *view, gboolean show_outcome)
{
    const apg_diagnosis *d = &view->d;
    apg_direction direction = view->direction;
    proto_item *ti = proto_tree_add_item(tree, proto, tvb, 0, 0, ENC_NA);
    proto_tree *t = proto_item_add_subtree(ti, ett_apigee_hs);
    set_title(ti, hs, v, d, show_outcome);
    const char *missing = apg_extract_missing_fields();
    if (missing) /* a newer or older Wireshark renamed a field we read */
        proto_tree_add_subtree_format(t, tvb, 0, 0, ett_text, NULL,
                                      "Degraded: this Wireshark lacks the fields %s", missing);
    if (show_outcome)
        add_verdict(t, tvb, v, d, direction);
    else
        add_frame(t, hf_decided_frame, tvb, v->decided_frame); /* a link, not the verdict */
    if (show_outcome && v->has_alert)
        add_alert(t, tvb, &v->alert);
    char *ladder = apg_ladder_text(hs);
    add_string(t, hf_ladder, tvb, ladder);
    g_free(ladder);
    add_uint(t, hf_stream, tvb, conv->stream);
    add_uint(t, hf_index, tvb, hs->index);
    add_string(t, hf_client, tvb, apg_conv_endpoint(conv, hs, APG_ROLE_CLIENT));
    add_string(t, hf_server, tvb, apg_conv_endpoint(conv, hs, APG_ROLE_SERVER));
    add_bool(t, hf_saw_start, tvb, hs->saw_start);
    if (hs->client_hello_frame)
        add_offer(t, tvb, hs);
    add_answer(t, tvb, hs);
    add_certificates(t, tvb, "Certificates", hs->server_certs, hs->server_cert_frame, view->chain,
                     TRUE);
    add_certificates(t, tvb, "Client certificates", hs->client_certs, hs->client_cert_frame,
                     view->client_chain, FALSE);
    add_evidence(t, tvb, hs);
    return ti;
}
