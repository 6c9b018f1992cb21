/* apg_undecoded.c - "Decode As", said where the user looks: on the first
 * segment of a stream that starts like a TLS handshake record on a port
 * Wireshark did not decode as TLS (core/apg_stream_notes.c decides), an
 * item naming the port and the exact Decode As, and an expert entry.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_undecoded.h"

#include <epan/expert.h>

static int hf_undecoded_tls = APG_HF_INIT;
static int hf_undecoded_port = APG_HF_INIT;
static int hf_decode_as = APG_HF_INIT;
static int ett_undecoded = APG_ETT_INIT;
static expert_field ei_undecoded = EI_INIT;

static hf_register_info hf[] = {
    {&hf_undecoded_tls,
     {"TLS not decoded", "apigee_hs.undecoded_tls", FT_STRING, BASE_NONE, NULL, 0x0,
      "This stream starts like a TLS handshake record on a port Wireshark did not decode as "
      "TLS: what Decode As to use",
      HFILL}},
    {&hf_undecoded_port,
     {"Port to decode as TLS", "apigee_hs.undecoded_port", FT_UINT16, BASE_DEC, NULL, 0x0,
      "The TLS server's TCP port of that stream", HFILL}},
    {&hf_decode_as,
     {"Decode As", "apigee_hs.decode_as", FT_STRING, BASE_NONE, NULL, 0x0,
      "The tshark -d argument that decodes the port as TLS", HFILL}},
};

void apg_undecoded_register(int proto)
{
    static int *ett[] = {&ett_undecoded};
    static ei_register_info ei[] = {
        {&ei_undecoded,
         {"apigee_hs.expert.undecoded_tls", PI_UNDECODED, PI_WARN,
          "TLS on a port Wireshark did not decode as TLS: use Decode As", EXPFILL}},
    };
    proto_register_field_array(proto, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_register_field_array(expert_register_protocol(proto), ei, array_length(ei));
}

void apg_undecoded_render(packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb, int proto,
                          const apg_undecoded *u)
{
    char *hint = apg_undecoded_hint(u);
    char *decode_as = g_strdup_printf("tcp.port==%u,tls", u->server.port);
    proto_item *ti = proto_tree_add_item(tree, proto, tvb, 0, 0, ENC_NA);
    proto_item_append_text(ti, ": TLS not decoded on TCP port %u (Decode As)", u->server.port);
    proto_tree *t = proto_item_add_subtree(ti, ett_undecoded);
    proto_item *item = proto_tree_add_string(t, hf_undecoded_tls, tvb, 0, 0, hint);
    proto_item_set_generated(item);
    proto_item_set_generated(proto_tree_add_uint(t, hf_undecoded_port, tvb, 0, 0, u->server.port));
    proto_item_set_generated(proto_tree_add_string(t, hf_decode_as, tvb, 0, 0, decode_as));
    expert_add_info_format(pinfo, item, &ei_undecoded, "%s", hint);
    col_append_fstr(pinfo->cinfo, COL_INFO, " [TLS not decoded: Decode As tcp.port==%u,tls]",
                    u->server.port);
    g_free(decode_as);
    g_free(hint);
}
