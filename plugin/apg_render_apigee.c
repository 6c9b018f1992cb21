/* apg_render_apigee.c - the "Apigee configuration" branch of a verdict: the
 * TargetServer or virtual host the handshake ran under, how it matched, the
 * setting the remedy names and its value (apigee_hs.apigee.*). Registered
 * with the other fields (apg_fields.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_render_apigee.h"

#include <epan/proto.h>

#include "apg_fields.h"

static int hf_apigee = APG_HF_INIT;
static int hf_target_server = APG_HF_INIT;
static int hf_virtual_host = APG_HF_INIT;
static int hf_environment = APG_HF_INIT;
static int hf_matched_by = APG_HF_INIT;
static int hf_candidates = APG_HF_INIT;
static int hf_setting = APG_HF_INIT;
static int hf_value = APG_HF_INIT;
static int hf_file = APG_HF_INIT;
static int hf_product = APG_HF_INIT;
static int hf_playbook_remedy = APG_HF_INIT;
static int ett_apigee = APG_ETT_INIT;

static hf_register_info hf[] = {
    {&hf_apigee,
     {"Apigee configuration", "apigee_hs.apigee", FT_NONE, BASE_NONE, NULL, 0x0,
      "The handshake against the Apigee export of the apigee_config preference", HFILL}},
    {&hf_target_server,
     {"TargetServer", "apigee_hs.apigee.target_server", FT_STRING, BASE_NONE, NULL, 0x0,
      "The TargetServer the southbound handshake ran under", HFILL}},
    {&hf_virtual_host,
     {"Virtual host", "apigee_hs.apigee.virtual_host", FT_STRING, BASE_NONE, NULL, 0x0,
      "The virtual host the northbound handshake ran under", HFILL}},
    {&hf_environment,
     {"Environment", "apigee_hs.apigee.environment", FT_STRING, BASE_NONE, NULL, 0x0,
      "The environment of the matched TargetServer or virtual host", HFILL}},
    {&hf_matched_by,
     {"Matched by", "apigee_hs.apigee.matched_by", FT_STRING, BASE_NONE, NULL, 0x0,
      "sni_port, address_port, cert_name_port, port; none when nothing matched", HFILL}},
    {&hf_candidates,
     {"Entries that match", "apigee_hs.apigee.candidates", FT_UINT32, BASE_DEC, NULL, 0x0,
      "How many entries of the export match as well as the one named", HFILL}},
    {&hf_setting,
     {"Setting", "apigee_hs.apigee.setting", FT_STRING, BASE_NONE, NULL, 0x0,
      "The setting the remedy names (sSLInfo.protocols, ssl_ciphers, sSLInfo.keyStore...)", HFILL}},
    {&hf_value,
     {"Current value", "apigee_hs.apigee.value", FT_STRING, BASE_NONE, NULL, 0x0,
      "The setting's value as the export has it (\"unset\" when absent)", HFILL}},
    {&hf_file,
     {"Export file", "apigee_hs.apigee.file", FT_STRING, BASE_NONE, NULL, 0x0,
      "The file of the export the match was read from", HFILL}},
    {&hf_product,
     {"Product", "apigee_hs.apigee.product", FT_STRING, BASE_NONE, NULL, 0x0,
      "The apigee_product preference, as the remedies read it", HFILL}},
    {&hf_playbook_remedy,
     {"Playbook's fix", "apigee_hs.apigee.playbook_remedy", FT_STRING, BASE_NONE, NULL, 0x0,
      "The playbook's generic fix, which the remedy naming the setting replaced", HFILL}},
};

void apg_fields_register_apigee(int proto)
{
    static int *ett[] = {&ett_apigee};
    proto_register_field_array(proto, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
}

static void add_text(proto_tree *t, int hf_id, tvbuff_t *tvb, const char *s)
{
    if (s)
        proto_item_set_generated(proto_tree_add_string(t, hf_id, tvb, 0, 0, s));
}

static char *product_text(const apg_apigee *a)
{
    if (a->product == APG_PRODUCT_EDGE_OPDK && a->version[0])
        return g_strdup_printf("%s %u.%02u.%02u", apg_product_name(a->product), a->version[0],
                               a->version[1], a->version[2]);
    return g_strdup(apg_product_name(a->product));
}

void apg_render_apigee(proto_tree *tree, tvbuff_t *tvb, const apg_report *rep)
{
    const apg_apigee *a = rep->apigee;
    const apg_apigee_advice *adv = &rep->view.advice;
    const apg_apigee_match *m = &adv->match;
    if (!a)
        return;
    if (!a->folder) { /* the product alone */
        char *p = product_text(a);
        proto_item *pi = proto_tree_add_string(tree, hf_product, tvb, 0, 0, p);
        proto_item_set_generated(pi);
        g_free(p);
        return;
    }
    proto_item *ti = proto_tree_add_item(tree, hf_apigee, tvb, 0, 0, ENC_NA);
    proto_item_set_generated(ti);
    proto_tree *t = proto_item_add_subtree(ti, ett_apigee);
    if (!m->how) {
        proto_item_append_text(ti, ": %s", apg_match_how_text(m->how));
        add_text(t, hf_matched_by, tvb, apg_match_how_token(m->how));
        return;
    }
    proto_item_append_text(ti, ": %s `%s`, %s", m->ts ? "TargetServer" : "virtual host",
                           apg_match_name(m), apg_match_how_text(m->how));
    add_text(t, m->ts ? hf_target_server : hf_virtual_host, tvb, apg_match_name(m));
    add_text(t, hf_environment, tvb, apg_match_env(m));
    add_text(t, hf_matched_by, tvb, apg_match_how_token(m->how));
    if (m->candidates > 1)
        proto_item_set_generated(proto_tree_add_uint(t, hf_candidates, tvb, 0, 0, m->candidates));
    add_text(t, hf_file, tvb, m->ts ? m->ts->from.file : m->vh->from.file);
    add_text(t, hf_setting, tvb, adv->setting);
    add_text(t, hf_value, tvb, adv->value);
    char *product = product_text(a);
    add_text(t, hf_product, tvb, product);
    g_free(product);
    if (adv->remedy)
        add_text(t, hf_playbook_remedy, tvb, rep->view.d.remedy);
}
