/* apg_fields.c - registration of the protocol's fields and subtrees (the
 * expert entries are in apg_experts.c). Filter names are literal so that a grep or Wireshark's own
 * field checkers find them; the names of values and the texts of expert entries come from the core
 * (include/apg_causes.def and core/apg_text.c), their single home, and are checked against these
 * rows at start-up.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_fields.h"

#include <string.h>

#include <epan/packet.h>
#include <epan/proto.h>

#include "apg_diagnosis.h"
#include "apg_experts.h"
#include "apg_field_values.h"
#include "apg_render_apigee.h"
#include "apg_text.h"

int hf_verdict_here = APG_HF_INIT;
int hf_outcome = APG_HF_INIT;
int hf_cause = APG_HF_INIT;
int hf_confidence = APG_HF_INIT;
int hf_summary = APG_HF_INIT;
int hf_remedy = APG_HF_INIT;
int hf_summary_line = APG_HF_INIT;
int hf_remedy_line = APG_HF_INIT;
int hf_ladder_line = APG_HF_INIT;
int hf_direction = APG_HF_INIT;
int hf_warning = APG_HF_INIT;
int hf_alternative = APG_HF_INIT;
int hf_unseen = APG_HF_INIT;
int hf_evidence_frame = APG_HF_INIT;
int hf_overlap = APG_HF_INIT;
int hf_known_suites = APG_HF_INIT;
int hf_weak_offer = APG_HF_INIT;
int hf_stage = APG_HF_INIT;
int hf_failed_side = APG_HF_INIT;
int hf_decided_frame = APG_HF_INIT;
int hf_config_problem = APG_HF_INIT;
int hf_degraded = APG_HF_INIT;
int hf_ladder = APG_HF_INIT;
int hf_stream = APG_HF_INIT;
int hf_index = APG_HF_INIT;
int hf_client = APG_HF_INIT;
int hf_server = APG_HF_INIT;
int hf_saw_start = APG_HF_INIT;
int hf_alert_sender = APG_HF_INIT;
int hf_alert_level = APG_HF_INIT;
int hf_alert_desc = APG_HF_INIT;
int hf_alert_desc_code = APG_HF_INIT;
int hf_alert_encrypted = APG_HF_INIT;
int hf_alert_frame = APG_HF_INIT;
int hf_alert_record_length = APG_HF_INIT;
int hf_evidence = APG_HF_INIT;
int hf_ch_frame = APG_HF_INIT;
int hf_ch_retrans = APG_HF_INIT;
int hf_hrr_frame = APG_HF_INIT;
int hf_sh_frame = APG_HF_INIT;
int hf_cert_frame = APG_HF_INIT;
int hf_cert_count = APG_HF_INIT;
int hf_cert_request_frame = APG_HF_INIT;
int hf_client_cert_frame = APG_HF_INIT;
int hf_client_cert_count = APG_HF_INIT;
int hf_shd_frame = APG_HF_INIT;
int hf_client_finished_frame = APG_HF_INIT;
int hf_server_finished_frame = APG_HF_INIT;
int hf_fin_frame = APG_HF_INIT;
int hf_rst_frame = APG_HF_INIT;
int hf_fin_sender = APG_HF_INIT;
int hf_rst_sender = APG_HF_INIT;
int hf_client_data_frame = APG_HF_INIT;
int hf_server_data_frame = APG_HF_INIT;
int hf_non_tls_frame = APG_HF_INIT;
int hf_offer = APG_HF_INIT;
int hf_sni_present = APG_HF_INIT;
int hf_sni = APG_HF_INIT;
int hf_offered_versions = APG_HF_INIT;
int hf_client_version = APG_HF_INIT;
int hf_server_version = APG_HF_INIT;
int hf_server_record_version = APG_HF_INIT;
int hf_suites_offered = APG_HF_INIT;
int hf_suite = APG_HF_INIT;
int hf_suite_name = APG_HF_INIT;
int hf_certificates = APG_HF_INIT;
int hf_client_certificates = APG_HF_INIT;
int hf_cert_subject_cn = APG_HF_INIT;
int hf_cert_san = APG_HF_INIT;
int hf_cert_issuer = APG_HF_INIT;
int hf_cert_not_before = APG_HF_INIT;
int hf_cert_not_after = APG_HF_INIT;
int hf_cert_expired = APG_HF_INIT;
int hf_cert_hostname_match = APG_HF_INIT;
int hf_cert_chain_complete = APG_HF_INIT;
int hf_cert_chain_len = APG_HF_INIT;
int hf_cert_checked_name = APG_HF_INIT;
/* clang-format 14 and 19 lay this macro out differently: kept as written */
/* clang-format off */
#define CHAIN_FIELDS_INIT                                                                          \
    {APG_HF_INIT, APG_HF_INIT, APG_HF_INIT, APG_HF_INIT, APG_HF_INIT, APG_HF_INIT,                 \
     APG_HF_INIT, APG_HF_INIT, APG_HF_INIT, APG_HF_INIT, APG_HF_INIT, APG_HF_INIT}
/* clang-format on */
apg_chain_fields hf_server_chain = CHAIN_FIELDS_INIT;
apg_chain_fields hf_client_chain = CHAIN_FIELDS_INIT;

int ett_apigee_hs = APG_ETT_INIT;
int ett_evidence = APG_ETT_INIT;
int ett_alert = APG_ETT_INIT;
int ett_offer = APG_ETT_INIT;
int ett_close = APG_ETT_INIT;
int ett_text = APG_ETT_INIT;
int ett_certs = APG_ETT_INIT;
int ett_cert = APG_ETT_INIT;

/* --- fields ------------------------------------------------------------ */

static hf_register_info hf[] = {
    {&hf_verdict_here,
     {"Verdict reported here", "apigee_hs.verdict_here", FT_NONE, BASE_NONE, NULL, 0x0,
      "Present on the one frame per handshake that carries its verdict, its expert entries and "
      "its tap row, whether the filter was given when the file was opened or applied later",
      HFILL}},
    {&hf_outcome,
     {"Outcome", "apigee_hs.outcome", FT_UINT8, BASE_DEC, VALS(apg_outcome_vals), 0x0,
      "established, failed or incomplete (pending: not decided yet in a single pass)", HFILL}},
    {&hf_cause,
     {"Cause", "apigee_hs.cause", FT_UINT8, BASE_DEC, VALS(apg_cause_vals), 0x0,
      "Why the handshake ended so; filter by name: apigee_hs.cause == sni_missing", HFILL}},
    {&hf_confidence,
     {"Confidence", "apigee_hs.confidence", FT_UINT8, BASE_DEC, VALS(apg_confidence_vals), 0x0,
      "certain: the wire settles it; likely: the best reading, alternatives listed; possible: "
      "one of several readings",
      HFILL}},
    {&hf_summary,
     {"Summary", "apigee_hs.summary", FT_STRING, BASE_NONE, NULL, 0x0,
      "One paragraph naming the cause, the side and the evidence frames", HFILL}},
    {&hf_remedy,
     {"Remedy", "apigee_hs.remedy", FT_STRING, BASE_NONE, NULL, 0x0,
      "The playbook's fix for this cause and leg", HFILL}},
    {&hf_summary_line,
     {"Summary line", "apigee_hs.summary_line", FT_STRING, BASE_NONE, NULL, 0x0,
      "A summary longer than a line, wrapped so the GUI shows it whole", HFILL}},
    {&hf_remedy_line,
     {"Remedy line", "apigee_hs.remedy_line", FT_STRING, BASE_NONE, NULL, 0x0,
      "A remedy longer than a line, wrapped so the GUI shows it whole", HFILL}},
    {&hf_ladder_line,
     {"Ladder line", "apigee_hs.ladder_line", FT_STRING, BASE_NONE, NULL, 0x0,
      "A ladder longer than a line, wrapped so the GUI shows it whole", HFILL}},
    {&hf_direction,
     {"Direction", "apigee_hs.direction", FT_UINT8, BASE_DEC, VALS(apg_direction_vals), 0x0,
      "northbound (client app -> Edge Router), southbound (Message Processor -> backend), or "
      "unknown; from the role preferences",
      HFILL}},
    {&hf_warning,
     {"Warning", "apigee_hs.warning", FT_UINT16, BASE_DEC, VALS(apg_warning_vals), 0x0,
      "A risk on an established handshake, one per item", HFILL}},
    {&hf_alternative,
     {"Alternative cause", "apigee_hs.alternative", FT_UINT8, BASE_DEC, VALS(apg_cause_vals), 0x0,
      "Another cause the evidence leaves open, one per item", HFILL}},
    {&hf_unseen,
     {"Not seen on the wire", "apigee_hs.unseen", FT_STRING, BASE_NONE, NULL, 0x0,
      "What the finding rests on that the capture did not show plainly; any of these keeps the "
      "confidence below certain",
      HFILL}},
    {&hf_evidence_frame,
     {"Evidence frame", "apigee_hs.evidence_frame", FT_FRAMENUM, BASE_NONE,
      FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0x0, "A frame the summary cites, one per item", HFILL}},
    {&hf_overlap,
     {"Suites the server is known to accept", "apigee_hs.overlap", FT_UINT32, BASE_DEC, NULL, 0x0,
      "Offered suites found in the server's configured or learned suites", HFILL}},
    {&hf_known_suites,
     {"Server suites known", "apigee_hs.known_suites", FT_UINT32, BASE_DEC, NULL, 0x0,
      "Size of the configured list, or of the suites this server chose in the capture", HFILL}},
    {&hf_weak_offer,
     {"Offer only legacy or weak suites", "apigee_hs.weak_offer", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
      "Every offered suite is one a current server refuses", HFILL}},
    {&hf_stage,
     {"Stage", "apigee_hs.stage", FT_UINT8, BASE_DEC, VALS(apg_stage_vals), 0x0,
      "How far the handshake got before it ended", HFILL}},
    {&hf_failed_side,
     {"Failed side", "apigee_hs.failed_side", FT_UINT8, BASE_DEC, VALS(apg_role_vals), 0x0,
      "The side that ended the handshake", HFILL}},
    {&hf_decided_frame,
     {"Decided in frame", "apigee_hs.decided_frame", FT_FRAMENUM, BASE_NONE,
      FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0x0, "The frame whose event settled the outcome", HFILL}},
    {&hf_config_problem,
     {"Preference problem", "apigee_hs.config_problem", FT_STRING, BASE_NONE, NULL, 0x0,
      "A preference value that could not be used, and what is not checked because of it", HFILL}},
    {&hf_degraded,
     {"Degraded", "apigee_hs.degraded", FT_STRING, BASE_NONE, NULL, 0x0,
      "TLS or TCP fields this Wireshark lacks: what is read from them is missing", HFILL}},
    {&hf_ladder,
     {"Ladder", "apigee_hs.ladder", FT_STRING, BASE_NONE, NULL, 0x0,
      "The handshake's messages in order, C: client, S: server, #frame", HFILL}},
    {&hf_stream,
     {"TCP stream", "apigee_hs.stream", FT_UINT32, BASE_DEC, NULL, 0x0,
      "The handshake's tcp.stream", HFILL}},
    {&hf_index,
     {"Handshake in stream", "apigee_hs.index", FT_UINT32, BASE_DEC, NULL, 0x0,
      "0 for the first handshake of the TCP stream, 1 for the next...", HFILL}},
    {&hf_client,
     {"Client", "apigee_hs.client", FT_STRING, BASE_NONE, NULL, 0x0,
      "address:port of the endpoint that sent the ClientHello", HFILL}},
    {&hf_server,
     {"Server", "apigee_hs.server", FT_STRING, BASE_NONE, NULL, 0x0,
      "address:port of the endpoint the ClientHello went to", HFILL}},
    {&hf_saw_start,
     {"Capture has the ClientHello", "apigee_hs.saw_start", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
      "False when the capture starts after the handshake began", HFILL}},
    {&hf_alert_sender,
     {"Alert sender", "apigee_hs.alert.sender", FT_UINT8, BASE_DEC, VALS(apg_role_vals), 0x0,
      "Who sent the alert that decided the handshake", HFILL}},
    {&hf_alert_level,
     {"Alert level", "apigee_hs.alert.level", FT_UINT8, BASE_DEC, VALS(apg_alert_level_vals), 0x0,
      "warning, fatal, or encrypted (no keys for this session)", HFILL}},
    {&hf_alert_desc,
     {"Alert description", "apigee_hs.alert.desc", FT_STRING, BASE_NONE, NULL, 0x0,
      "RFC 8446 name of the alert, or encrypted", HFILL}},
    {&hf_alert_desc_code,
     {"Alert description code", "apigee_hs.alert.desc_code", FT_UINT8, BASE_DEC, NULL, 0x0,
      "The alert's number, named as tls.alert_message.desc names it", HFILL}},
    {&hf_alert_encrypted,
     {"Alert encrypted", "apigee_hs.alert.encrypted", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
      "The alert could not be read: no keys for this session", HFILL}},
    {&hf_alert_frame,
     {"Alert frame", "apigee_hs.alert.frame", FT_FRAMENUM, BASE_NONE,
      FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0x0, "The frame that carried the alert", HFILL}},
    {&hf_alert_record_length,
     {"Alert record length", "apigee_hs.alert.record_length", FT_UINT32, BASE_DEC, NULL, 0x0,
      "Length of the alert's record: an encrypted TLS 1.3 alert is 19 bytes", HFILL}},
    {&hf_evidence,
     {"Evidence frames", "apigee_hs.evidence", FT_NONE, BASE_NONE, NULL, 0x0,
      "Where each message of the handshake is", HFILL}},
    {&hf_ch_frame,
     {"ClientHello frame", "apigee_hs.client_hello_frame", FT_FRAMENUM, BASE_NONE,
      FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0, "The frame that completed the ClientHello", HFILL}},
    {&hf_ch_retrans,
     {"ClientHello retransmissions", "apigee_hs.client_hello_retransmissions", FT_UINT32, BASE_DEC,
      NULL, 0x0, "TCP retransmissions of the ClientHello", HFILL}},
    {&hf_hrr_frame,
     {"HelloRetryRequest frame", "apigee_hs.hrr_frame", FT_FRAMENUM, BASE_NONE,
      FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0, "The server's HelloRetryRequest (TLS 1.3)", HFILL}},
    {&hf_sh_frame,
     {"ServerHello frame", "apigee_hs.server_hello_frame", FT_FRAMENUM, BASE_NONE,
      FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0, "The server's ServerHello", HFILL}},
    {&hf_cert_frame,
     {"Server Certificate frame", "apigee_hs.certificate_frame", FT_FRAMENUM, BASE_NONE,
      FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0x0, "The server's Certificate message", HFILL}},
    {&hf_cert_count,
     {"Server certificate count", "apigee_hs.certificate_count", FT_UINT32, BASE_DEC, NULL, 0x0,
      "Certificates in the server's Certificate message", HFILL}},
    {&hf_cert_request_frame,
     {"CertificateRequest frame", "apigee_hs.cert_request_frame", FT_FRAMENUM, BASE_NONE,
      FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0x0, "The server asked for a client certificate here",
      HFILL}},
    {&hf_client_cert_frame,
     {"Client Certificate frame", "apigee_hs.client_certificate_frame", FT_FRAMENUM, BASE_NONE,
      FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0x0, "The client's Certificate message", HFILL}},
    {&hf_client_cert_count,
     {"Client certificate count", "apigee_hs.client_certificate_count", FT_UINT32, BASE_DEC, NULL,
      0x0, "0 when the client answered with an empty Certificate", HFILL}},
    {&hf_shd_frame,
     {"ServerHelloDone frame", "apigee_hs.server_hello_done_frame", FT_FRAMENUM, BASE_NONE,
      FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0x0, "The end of the server's first flight (TLS 1.2)",
      HFILL}},
    {&hf_client_finished_frame,
     {"Client Finished frame", "apigee_hs.client_finished_frame", FT_FRAMENUM, BASE_NONE,
      FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0x0, "The client's Finished (or its encrypted record)",
      HFILL}},
    {&hf_server_finished_frame,
     {"Server Finished frame", "apigee_hs.server_finished_frame", FT_FRAMENUM, BASE_NONE,
      FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0x0, "The server's Finished (or its encrypted record)",
      HFILL}},
    {&hf_fin_frame,
     {"FIN frame", "apigee_hs.fin_frame", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_NONE),
      0x0, "The first TCP FIN during the handshake", HFILL}},
    {&hf_rst_frame,
     {"RST frame", "apigee_hs.rst_frame", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_NONE),
      0x0, "The first TCP RST during the handshake", HFILL}},
    {&hf_fin_sender,
     {"FIN sent by", "apigee_hs.fin_sender", FT_UINT8, BASE_DEC, VALS(apg_role_vals), 0x0,
      "Who sent the first FIN of the handshake", HFILL}},
    {&hf_rst_sender,
     {"RST sent by", "apigee_hs.rst_sender", FT_UINT8, BASE_DEC, VALS(apg_role_vals), 0x0,
      "Who sent the first RST of the handshake", HFILL}},
    {&hf_client_data_frame,
     {"Client application data frame", "apigee_hs.client_data_frame", FT_FRAMENUM, BASE_NONE,
      FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0x0,
      "The client's first application_data record (in TLS 1.3 without keys, its first "
      "encrypted record)",
      HFILL}},
    {&hf_server_data_frame,
     {"Server application data frame", "apigee_hs.server_data_frame", FT_FRAMENUM, BASE_NONE,
      FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0x0,
      "The server's first application_data record (in TLS 1.3 without keys, its first "
      "encrypted record)",
      HFILL}},
    {&hf_non_tls_frame,
     {"Non-TLS answer frame", "apigee_hs.non_tls_frame", FT_FRAMENUM, BASE_NONE,
      FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0x0, "The server answered with bytes that are not TLS",
      HFILL}},
    {&hf_offer,
     {"Client offer", "apigee_hs.offer", FT_NONE, BASE_NONE, NULL, 0x0,
      "What the ClientHello offered", HFILL}},
    {&hf_sni_present,
     {"SNI present", "apigee_hs.sni_present", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
      "The ClientHello carries a server_name extension", HFILL}},
    {&hf_sni,
     {"SNI", "apigee_hs.sni", FT_STRING, BASE_NONE, NULL, 0x0, "server_name sent by the client",
      HFILL}},
    {&hf_offered_versions,
     {"Offered versions", "apigee_hs.offered_versions", FT_STRING, BASE_NONE, NULL, 0x0,
      "supported_versions, else the legacy version", HFILL}},
    {&hf_client_version,
     {"Highest offered version", "apigee_hs.client_version", FT_UINT16, BASE_HEX,
      VALS(apg_tls_version_vals), 0x0, "The highest version the ClientHello offered", HFILL}},
    {&hf_server_version,
     {"Negotiated version", "apigee_hs.server_version", FT_UINT16, BASE_HEX,
      VALS(apg_tls_version_vals), 0x0, "ServerHello supported_versions, else its legacy version",
      HFILL}},
    {&hf_server_record_version,
     {"Server's first record version", "apigee_hs.server_record_version", FT_UINT16, BASE_HEX,
      VALS(apg_tls_version_vals), 0x0, "The record version of the server's first answer", HFILL}},
    {&hf_suites_offered,
     {"Cipher suites offered", "apigee_hs.suites_offered", FT_UINT32, BASE_DEC, NULL, 0x0,
      "How many suites the ClientHello offered", HFILL}},
    {&hf_suite,
     {"Chosen cipher suite", "apigee_hs.suite", FT_UINT16, BASE_HEX, NULL, 0x0,
      "The ServerHello's suite, named as tls.handshake.ciphersuite names it", HFILL}},
    {&hf_suite_name,
     {"Chosen cipher suite name", "apigee_hs.suite_name", FT_STRING, BASE_NONE, NULL, 0x0,
      "The chosen suite's name as text", HFILL}},
    {&hf_certificates,
     {"Server certificates", "apigee_hs.certificates", FT_NONE, BASE_NONE, NULL, 0x0,
      "The server's chain as sent, with the leaf's checks", HFILL}},
    {&hf_client_certificates,
     {"Client certificates", "apigee_hs.client_certificates", FT_NONE, BASE_NONE, NULL, 0x0,
      "The client's chain as sent (two-way TLS)", HFILL}},
    {&hf_cert_subject_cn,
     {"Leaf subject CN", "apigee_hs.cert.subject_cn", FT_STRING, BASE_NONE, NULL, 0x0,
      "Common name of the server's leaf certificate", HFILL}},
    {&hf_cert_san,
     {"Leaf SAN", "apigee_hs.cert.san", FT_STRING, BASE_NONE, NULL, 0x0,
      "DNS names and IP addresses of the server's leaf, one per item", HFILL}},
    {&hf_cert_issuer,
     {"Leaf issuer", "apigee_hs.cert.issuer", FT_STRING, BASE_NONE, NULL, 0x0,
      "Issuer of the server's leaf certificate", HFILL}},
    {&hf_cert_not_before,
     {"Leaf not before", "apigee_hs.cert.not_before", FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC, NULL,
      0x0, "Start of the server leaf's validity", HFILL}},
    {&hf_cert_not_after,
     {"Leaf not after", "apigee_hs.cert.not_after", FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC, NULL, 0x0,
      "End of the server leaf's validity", HFILL}},
    {&hf_cert_expired,
     {"Expired at capture time", "apigee_hs.cert.expired", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
      "Some certificate of the chain was outside its validity at the frame's time", HFILL}},
    {&hf_cert_hostname_match,
     {"Host name matches", "apigee_hs.cert.hostname_match", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
      "The leaf is valid for the checked name (RFC 6125, GnuTLS)", HFILL}},
    {&hf_cert_chain_complete,
     {"Chain complete", "apigee_hs.cert.chain_complete", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
      "Every certificate's issuer was sent, and the links verify", HFILL}},
    {&hf_cert_chain_len,
     {"Chain length", "apigee_hs.cert.chain_len", FT_UINT32, BASE_DEC, NULL, 0x0,
      "Certificates the server sent", HFILL}},
    {&hf_cert_checked_name,
     {"Checked name", "apigee_hs.cert.checked_name", FT_STRING, BASE_NONE, NULL, 0x0,
      "The SNI, or the expected_hosts preference when there was none", HFILL}},
    {&hf_server_chain.cert,
     {"Certificate", "apigee_hs.chain.certificate", FT_UINT32, BASE_DEC, NULL, 0x0,
      "Position in the chain as sent, 0 for the leaf; its facts below", HFILL}},
    {&hf_server_chain.subject,
     {"Subject", "apigee_hs.chain.subject", FT_STRING, BASE_NONE, NULL, 0x0,
      "Subject of a certificate of the chain", HFILL}},
    {&hf_server_chain.issuer,
     {"Issuer", "apigee_hs.chain.issuer", FT_STRING, BASE_NONE, NULL, 0x0,
      "Issuer of a certificate of the chain", HFILL}},
    {&hf_server_chain.not_before,
     {"Not before", "apigee_hs.chain.not_before", FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC, NULL, 0x0,
      "Start of a chain certificate's validity", HFILL}},
    {&hf_server_chain.not_after,
     {"Not after", "apigee_hs.chain.not_after", FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC, NULL, 0x0,
      "End of a chain certificate's validity", HFILL}},
    {&hf_server_chain.key,
     {"Key", "apigee_hs.chain.key", FT_STRING, BASE_NONE, NULL, 0x0,
      "Public key algorithm and size, and whether it is a CA", HFILL}},
    {&hf_server_chain.signature,
     {"Signature", "apigee_hs.chain.signature", FT_STRING, BASE_NONE, NULL, 0x0,
      "Signature algorithm", HFILL}},
    {&hf_server_chain.serial,
     {"Serial", "apigee_hs.chain.serial", FT_STRING, BASE_NONE, NULL, 0x0, "Serial number, hex",
      HFILL}},
    {&hf_server_chain.ski,
     {"Subject key id", "apigee_hs.chain.subject_key_id", FT_STRING, BASE_NONE, NULL, 0x0,
      "Subject key identifier, hex; empty when absent", HFILL}},
    {&hf_server_chain.aki,
     {"Authority key id", "apigee_hs.chain.authority_key_id", FT_STRING, BASE_NONE, NULL, 0x0,
      "Authority key identifier, hex; empty when absent", HFILL}},
    {&hf_server_chain.finding,
     {"Finding", "apigee_hs.chain.finding", FT_STRING, BASE_NONE, NULL, 0x0,
      "What is wrong with this certificate, or none", HFILL}},
    {&hf_server_chain.note,
     {"Chain note", "apigee_hs.chain.note", FT_STRING, BASE_NONE, NULL, 0x0,
      "How the chain was sent: out of order, root included", HFILL}},
    {&hf_client_chain.cert,
     {"Client certificate", "apigee_hs.client_chain.certificate", FT_UINT32, BASE_DEC, NULL, 0x0,
      "Position in the client's chain as sent, 0 for its leaf; its facts below", HFILL}},
    {&hf_client_chain.subject,
     {"Client subject", "apigee_hs.client_chain.subject", FT_STRING, BASE_NONE, NULL, 0x0,
      "Subject of a certificate of the client's chain", HFILL}},
    {&hf_client_chain.issuer,
     {"Client issuer", "apigee_hs.client_chain.issuer", FT_STRING, BASE_NONE, NULL, 0x0,
      "Issuer of a certificate of the client's chain", HFILL}},
    {&hf_client_chain.not_before,
     {"Client not before", "apigee_hs.client_chain.not_before", FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC,
      NULL, 0x0, "Start of a client chain certificate's validity", HFILL}},
    {&hf_client_chain.not_after,
     {"Client not after", "apigee_hs.client_chain.not_after", FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC,
      NULL, 0x0, "End of a client chain certificate's validity", HFILL}},
    {&hf_client_chain.key,
     {"Client key", "apigee_hs.client_chain.key", FT_STRING, BASE_NONE, NULL, 0x0,
      "Public key algorithm and size, and whether it is a CA", HFILL}},
    {&hf_client_chain.signature,
     {"Client signature", "apigee_hs.client_chain.signature", FT_STRING, BASE_NONE, NULL, 0x0,
      "Signature algorithm", HFILL}},
    {&hf_client_chain.serial,
     {"Client serial", "apigee_hs.client_chain.serial", FT_STRING, BASE_NONE, NULL, 0x0,
      "Serial number, hex", HFILL}},
    {&hf_client_chain.ski,
     {"Client subject key id", "apigee_hs.client_chain.subject_key_id", FT_STRING, BASE_NONE, NULL,
      0x0, "Subject key identifier, hex; empty when absent", HFILL}},
    {&hf_client_chain.aki,
     {"Client authority key id", "apigee_hs.client_chain.authority_key_id", FT_STRING, BASE_NONE,
      NULL, 0x0, "Authority key identifier, hex; empty when absent", HFILL}},
    {&hf_client_chain.finding,
     {"Client finding", "apigee_hs.client_chain.finding", FT_STRING, BASE_NONE, NULL, 0x0,
      "What is wrong with this client certificate, or none", HFILL}},
    {&hf_client_chain.note,
     {"Client chain note", "apigee_hs.client_chain.note", FT_STRING, BASE_NONE, NULL, 0x0,
      "How the client's chain was sent: out of order, root included", HFILL}},
};

void apg_fields_register(int proto)
{
    static int *ett[] = {&ett_apigee_hs, &ett_evidence, &ett_alert, &ett_offer,
                         &ett_close,     &ett_text,     &ett_certs, &ett_cert};
    apg_fill_value_names();
    proto_register_field_array(proto, hf, array_length(hf));
    apg_fields_register_extensions(proto);
    apg_fields_register_correlation(proto);
    apg_fields_register_apigee(proto);
    proto_register_subtree_array(ett, array_length(ett));
    apg_experts_register(proto);
}

void apg_fields_borrow_tls_names(void)
{
    apg_borrow_value_names(hf_alert_desc_code, "tls.alert_message.desc");
    apg_borrow_value_names(hf_suite, "tls.handshake.ciphersuite");
    apg_borrow_value_names(hf_server_group, "tls.handshake.extensions_supported_group");
    apg_borrow_value_names(hf_hrr_group, "tls.handshake.extensions_supported_group");
}
