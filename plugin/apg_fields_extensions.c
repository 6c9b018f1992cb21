/* apg_fields_extensions.c - the fields of what the ClientHello's extensions
 * offered (ALPN, groups, key shares, signature algorithms), the server's
 * answer to them, the CAs a CertificateRequest accepts, and a forward
 * proxy's leg. Registered with the others (apg_fields.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_fields.h"

#include <epan/packet.h>
#include <epan/proto.h>

int hf_alpn_offered = APG_HF_INIT;
int hf_groups_offered = APG_HF_INIT;
int hf_key_share_groups = APG_HF_INIT;
int hf_sig_algs_offered = APG_HF_INIT;
int hf_alpn_selected = APG_HF_INIT;
int hf_server_group = APG_HF_INIT;
int hf_hrr_group = APG_HF_INIT;
int hf_retry_key_share = APG_HF_INIT;
int hf_cert_request_ca = APG_HF_INIT;
int hf_client_ca_listed = APG_HF_INIT;
int hf_proxy_target = APG_HF_INIT;
int hf_proxy_status = APG_HF_INIT;
int hf_proxy_frame = APG_HF_INIT;

static hf_register_info hf[] = {
    {&hf_alpn_offered,
     {"ALPN offered", "apigee_hs.alpn_offered", FT_STRING, BASE_NONE, NULL, 0x0,
      "The application protocols the ClientHello offered, comma-joined", HFILL}},
    {&hf_groups_offered,
     {"Groups offered", "apigee_hs.groups_offered", FT_STRING, BASE_NONE, NULL, 0x0,
      "The key-exchange groups of supported_groups, comma-joined", HFILL}},
    {&hf_key_share_groups,
     {"Key shares", "apigee_hs.key_share_groups", FT_STRING, BASE_NONE, NULL, 0x0,
      "The groups the ClientHello sent key shares for (TLS 1.3)", HFILL}},
    {&hf_sig_algs_offered,
     {"Signature algorithms offered", "apigee_hs.sig_algs_offered", FT_UINT32, BASE_DEC, NULL, 0x0,
      "How many signature_algorithms the ClientHello offered", HFILL}},
    {&hf_alpn_selected,
     {"ALPN selected", "apigee_hs.alpn_selected", FT_STRING, BASE_NONE, NULL, 0x0,
      "The protocol the server selected (ServerHello; EncryptedExtensions in TLS 1.3)", HFILL}},
    {&hf_server_group,
     {"Key-exchange group", "apigee_hs.server_group", FT_UINT16, BASE_HEX, NULL, 0x0,
      "The server's key share (TLS 1.3) or ECDHE curve (TLS 1.2)", HFILL}},
    {&hf_hrr_group,
     {"HelloRetryRequest group", "apigee_hs.hrr_group", FT_UINT16, BASE_HEX, NULL, 0x0,
      "The group the server's HelloRetryRequest asked the client to key-share", HFILL}},
    {&hf_retry_key_share,
     {"Retry key-shares it", "apigee_hs.retry_key_share", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
      "The client's second ClientHello carries a key share for the group asked for", HFILL}},
    {&hf_cert_request_ca,
     {"CA accepted", "apigee_hs.cert_request_ca", FT_STRING, BASE_NONE, NULL, 0x0,
      "A CA the CertificateRequest lists as accepted for client certificates (RFC 4514)", HFILL}},
    {&hf_client_ca_listed,
     {"Client chain reaches a listed CA", "apigee_hs.client_ca_listed", FT_BOOLEAN, BASE_NONE, NULL,
      0x0, "A CA the CertificateRequest lists issued a certificate of the client's chain", HFILL}},
    {&hf_proxy_target,
     {"Proxy tunnel to", "apigee_hs.proxy_target", FT_STRING, BASE_NONE, NULL, 0x0,
      "The host:port the client's HTTP CONNECT asked a forward proxy for", HFILL}},
    {&hf_proxy_status,
     {"Proxy status", "apigee_hs.proxy_status", FT_UINT16, BASE_DEC, NULL, 0x0,
      "The forward proxy's HTTP status for the CONNECT (2xx opened the tunnel)", HFILL}},
    {&hf_proxy_frame,
     {"Proxy answer in frame", "apigee_hs.proxy_frame", FT_FRAMENUM, BASE_NONE,
      FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0x0, "The forward proxy's status line", HFILL}},
};

void apg_fields_register_extensions(int proto)
{
    proto_register_field_array(proto, hf, array_length(hf));
}
