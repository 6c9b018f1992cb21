/* apg_fields.h - the protocol's fields and subtrees, shared by the code that
 * draws the tree (apg_render.c). Registered in apg_fields.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_FIELDS_H
#define APG_FIELDS_H

#include "apg_compat.h"

#include <epan/expert.h>

#include "apg_experts.h"
#include "apg_field_values.h"
#include "apg_verdict.h"

/* Registers fields, subtrees and (apg_experts.c) expert entries under proto. */
void apg_fields_register(int proto);
/* Gives the fields that carry TLS numbers (alert description, cipher suite)
 * the TLS dissector's own names; call from the handoff. */
void apg_fields_borrow_tls_names(void);

/* The verdict */
extern int hf_verdict_here, hf_outcome, hf_cause, hf_confidence, hf_summary, hf_remedy,
    hf_summary_line, hf_remedy_line, hf_ladder_line, hf_direction, hf_warning, hf_alternative,
    hf_unseen, hf_evidence_frame, hf_overlap, hf_known_suites, hf_weak_offer, hf_stage,
    hf_failed_side, hf_decided_frame, hf_config_problem, hf_degraded;
/* The handshake */
extern int hf_ladder, hf_stream, hf_index, hf_client, hf_server, hf_saw_start;
extern int hf_alert_sender, hf_alert_level, hf_alert_desc, hf_alert_desc_code, hf_alert_encrypted,
    hf_alert_frame, hf_alert_record_length;
extern int hf_evidence, hf_ch_frame, hf_ch_retrans, hf_hrr_frame, hf_sh_frame, hf_cert_frame,
    hf_cert_count, hf_cert_request_frame, hf_client_cert_frame, hf_client_cert_count, hf_shd_frame,
    hf_client_finished_frame, hf_server_finished_frame, hf_fin_frame, hf_rst_frame, hf_fin_sender,
    hf_rst_sender, hf_client_data_frame, hf_server_data_frame, hf_non_tls_frame;
extern int hf_offer, hf_sni_present, hf_sni, hf_offered_versions, hf_client_version,
    hf_server_version, hf_server_record_version, hf_suites_offered, hf_suite, hf_suite_name;
/* The offer's extensions and the server's answer to them */
extern int hf_alpn_offered, hf_groups_offered, hf_key_share_groups, hf_sig_algs_offered,
    hf_alpn_selected, hf_server_group, hf_hrr_group, hf_retry_key_share, hf_cert_request_ca,
    hf_client_ca_listed, hf_proxy_target, hf_proxy_status, hf_proxy_frame;
/* Their registration (apg_fields_extensions.c), from apg_fields_register(). */
void apg_fields_register_extensions(int proto);
/* What log correlation needs (apg_fields_correlation.c) */
extern int hf_start_time, hf_client_ip, hf_client_ipv6, hf_client_port, hf_server_ip,
    hf_server_ipv6, hf_server_port, hf_resumed, hf_cert_sha256;
void apg_fields_register_correlation(int proto);
/* Certificates */
extern int hf_certificates, hf_client_certificates, hf_cert_subject_cn, hf_cert_san, hf_cert_issuer,
    hf_cert_not_before, hf_cert_not_after, hf_cert_expired, hf_cert_hostname_match,
    hf_cert_chain_complete, hf_cert_chain_len, hf_cert_checked_name;
/* The per-certificate fields of a chain: the server's (apigee_hs.chain.*) and
 * the client's (apigee_hs.client_chain.*) have names of their own, so that
 * -T ek, which flattens the tree, never repeats a key. */
typedef struct {
    int cert, subject, issuer, not_before, not_after, key, signature, serial, ski, aki, finding,
        note;
} apg_chain_fields;
extern apg_chain_fields hf_server_chain, hf_client_chain;

extern int ett_apigee_hs, ett_evidence, ett_alert, ett_offer, ett_close, ett_text, ett_certs,
    ett_cert;

#endif /* APG_FIELDS_H */
