/* apg_fields_correlation.c - the fields a pipeline needs to match a
 * handshake with other logs (the Message Processor's "Received fatal alert"
 * line, a load balancer's access log, Zeek's ssl.log): when it started, each
 * side's address and port apart, whether the server resumed a session, and
 * the leaf certificate's fingerprint. Registered with the others
 * (apg_fields.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_fields.h"

#include <epan/packet.h>
#include <epan/proto.h>

int hf_start_time = APG_HF_INIT;
int hf_client_ip = APG_HF_INIT;
int hf_client_ipv6 = APG_HF_INIT;
int hf_client_port = APG_HF_INIT;
int hf_server_ip = APG_HF_INIT;
int hf_server_ipv6 = APG_HF_INIT;
int hf_server_port = APG_HF_INIT;
int hf_resumed = APG_HF_INIT;
int hf_cert_sha256 = APG_HF_INIT;

static hf_register_info hf[] = {
    {&hf_start_time,
     {"Handshake start", "apigee_hs.start_time", FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC, NULL, 0x0,
      "Capture time of the handshake's first frame (its ClientHello when captured)", HFILL}},
    {&hf_client_ip,
     {"Client address", "apigee_hs.client_ip", FT_IPv4, BASE_NONE, NULL, 0x0,
      "IPv4 address of the TLS client (apigee_hs.client_ipv6 for IPv6)", HFILL}},
    {&hf_client_ipv6,
     {"Client address", "apigee_hs.client_ipv6", FT_IPv6, BASE_NONE, NULL, 0x0,
      "IPv6 address of the TLS client", HFILL}},
    {&hf_client_port,
     {"Client port", "apigee_hs.client_port", FT_UINT16, BASE_DEC, NULL, 0x0,
      "TCP port of the TLS client", HFILL}},
    {&hf_server_ip,
     {"Server address", "apigee_hs.server_ip", FT_IPv4, BASE_NONE, NULL, 0x0,
      "IPv4 address of the TLS server (apigee_hs.server_ipv6 for IPv6)", HFILL}},
    {&hf_server_ipv6,
     {"Server address", "apigee_hs.server_ipv6", FT_IPv6, BASE_NONE, NULL, 0x0,
      "IPv6 address of the TLS server", HFILL}},
    {&hf_server_port,
     {"Server port", "apigee_hs.server_port", FT_UINT16, BASE_DEC, NULL, 0x0,
      "TCP port of the TLS server", HFILL}},
    {&hf_resumed,
     {"Session resumed", "apigee_hs.resumed", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
      "The server resumed a session: TLS 1.3 accepted a pre-shared key; earlier versions "
      "answered ServerHello with ChangeCipherSpec, no Certificate",
      HFILL}},
    {&hf_cert_sha256,
     {"Leaf SHA-256", "apigee_hs.cert.sha256", FT_STRING, BASE_NONE, NULL, 0x0,
      "SHA-256 of the server leaf's DER bytes, lowercase hex (Zeek's x509 fingerprint, "
      "openssl x509 -fingerprint -sha256 without colons)",
      HFILL}},
};

void apg_fields_register_correlation(int proto)
{
    proto_register_field_array(proto, hf, array_length(hf));
}
