/* apg_render.c - the fields and tree of the diagnosis (its expert info:
 * apg_render_expert.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_render.h"

#include <string.h>

#include "apg_cert_findings.h"
#include "apg_extract.h"
#include "apg_fields.h"
#include "apg_render_apigee.h"
#include "apg_text.h"

/* --- tree helpers --------------------------------------------------------- */

static void add_frame(proto_tree *t, int hf_id, tvbuff_t *tvb, guint32 frame)
{
    if (frame)
        proto_item_set_generated(proto_tree_add_uint(t, hf_id, tvb, 0, 0, frame));
}

static proto_item *add_string(proto_tree *t, int hf_id, tvbuff_t *tvb, const char *s)
{
    if (!s)
        return NULL;
    proto_item *ti = proto_tree_add_string(t, hf_id, tvb, 0, 0, s);
    proto_item_set_generated(ti);
    return ti;
}

static proto_item *add_uint(proto_tree *t, int hf_id, tvbuff_t *tvb, guint32 v)
{
    proto_item *ti = proto_tree_add_uint(t, hf_id, tvb, 0, 0, v);
    proto_item_set_generated(ti);
    return ti;
}

static void add_bool(proto_tree *t, int hf_id, tvbuff_t *tvb, gboolean v)
{
    proto_item_set_generated(proto_tree_add_boolean(t, hf_id, tvb, 0, 0, v));
}

/* A labelled branch whose key in -T json is its field name, not its text. */
static proto_tree *add_branch(proto_tree *t, int hf_id, int ett, tvbuff_t *tvb, proto_item **out)
{
    proto_item *ti = proto_tree_add_item(t, hf_id, tvb, 0, 0, ENC_NA);
    proto_item_set_generated(ti);
    if (out)
        *out = ti;
    return proto_item_add_subtree(ti, ett);
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
    proto_item *ti =
        proto_tree_add_uint_format_value(tree, hf_alert_sender, tvb, 0, 0, a->sender,
                                         "%s (frame %u)", apg_role_token(a->sender), a->frame);
    proto_item_set_generated(ti);
    proto_tree *t = proto_item_add_subtree(ti, ett_alert);
    if (a->alert.encrypted) {
        add_uint(t, hf_alert_level, tvb, APG_ALERT_LEVEL_ENCRYPTED);
        add_string(t, hf_alert_desc, tvb, "encrypted");
    } else {
        const char *name = apg_alert_desc_name(a->alert.desc);
        add_uint(t, hf_alert_level, tvb, a->alert.level);
        add_string(t, hf_alert_desc, tvb, name ? name : "unknown");
        add_uint(t, hf_alert_desc_code, tvb, a->alert.desc);
    }
    add_bool(t, hf_alert_encrypted, tvb, a->alert.encrypted);
    add_frame(t, hf_alert_frame, tvb, a->frame);
    add_uint(t, hf_alert_record_length, tvb, a->record_length);
}

/* "x25519, secp256r1": the groups by the TLS dissector's names. */
static void add_groups(proto_tree *t, int hf, tvbuff_t *tvb, const guint16 *groups, guint n)
{
    if (!n)
        return;
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < n; i++) {
        const char *name = apg_extract_group_name(groups[i]);
        g_string_append(s, i ? ", " : "");
        if (name)
            g_string_append(s, name);
        else
            g_string_append_printf(s, "0x%04x", groups[i]);
    }
    add_string(t, hf, tvb, s->str);
    g_string_free(s, TRUE);
}

/* A forward proxy's leg: the tunnel asked for and the proxy's answer. */
static void add_proxy(proto_tree *t, tvbuff_t *tvb, const apg_proxy_leg *p)
{
    if (!p->connect_frame)
        return;
    add_string(t, hf_proxy_target, tvb, p->target);
    if (p->status) {
        add_uint(t, hf_proxy_status, tvb, p->status);
        add_frame(t, hf_proxy_frame, tvb, p->status_frame);
    }
}

/* The CAs a CertificateRequest accepts, and whether the client's chain
 * reaches one. */
static void add_ca_names(proto_tree *t, tvbuff_t *tvb, const apg_handshake *hs,
                         const apg_view *view)
{
    for (guint i = 0; hs->ca_names && i < hs->ca_names->len; i++) {
        char *name = apg_dn_text(hs->ca_names->pdata[i]);
        add_string(t, hf_cert_request_ca, tvb, name);
        g_free(name);
    }
    if (view->ca_match.reached >= 0)
        add_bool(t, hf_client_ca_listed, tvb, view->ca_match.reached == 1);
}

static void add_offer(proto_tree *tree, tvbuff_t *tvb, const apg_handshake *hs)
{
    const apg_offer *offer = &hs->offer;
    proto_item *ti;
    proto_tree *t = add_branch(tree, hf_offer, ett_offer, tvb, &ti);
    char *versions = versions_text(offer);
    char *sni =
        offer->sni ? g_strescape(offer->sni, NULL) : NULL; /* the client chose these bytes */
    proto_item_append_text(ti, ": %s, %u suites, SNI %s", versions, offer->n_suites,
                           sni ? sni : "absent");
    g_free(sni);
    add_string(t, hf_offered_versions, tvb, versions);
    g_free(versions);
    add_uint(t, hf_client_version, tvb, apg_offer_highest_version(offer));
    add_uint(t, hf_suites_offered, tvb, offer->n_suites);
    add_bool(t, hf_sni_present, tvb, offer->sni != NULL);
    add_string(t, hf_sni, tvb, offer->sni);
    add_uint(t, hf_ch_retrans, tvb, hs->ch_retransmissions);
    add_string(t, hf_alpn_offered, tvb, offer->alpn);
    add_groups(t, hf_groups_offered, tvb, apg_offer_groups(offer), offer->n_groups);
    add_groups(t, hf_key_share_groups, tvb, apg_offer_key_shares(offer), offer->n_key_shares);
    if (hs->client_hello_frame)
        add_uint(t, hf_sig_algs_offered, tvb, offer->n_sig_algs);
}

static void add_answer(proto_tree *tree, tvbuff_t *tvb, const apg_handshake *hs)
{
    if (hs->server_first_record_frame)
        add_uint(tree, hf_server_record_version, tvb, hs->server_first_record_version);
    if (hs->hrr_frame && hs->hrr_group)
        add_uint(tree, hf_hrr_group, tvb, hs->hrr_group);
    if (hs->retry_key_share)
        add_bool(tree, hf_retry_key_share, tvb, hs->retry_key_share == 1);
    add_string(tree, hf_alpn_selected, tvb, hs->alpn_selected);
    if (hs->server_group)
        add_uint(tree, hf_server_group, tvb, hs->server_group);
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
        add_uint(proto_item_add_subtree(ti, ett_close), k ? hf_rst_sender : hf_fin_sender, tvb,
                 first);
    }
}

static void add_evidence(proto_tree *tree, tvbuff_t *tvb, const apg_handshake *hs)
{
    proto_tree *t = add_branch(tree, hf_evidence, ett_evidence, tvb, NULL);
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
}

/* Item labels are cut at 240 characters: long texts also get their words
 * under the item as apigee_hs.*_line items, wrapped, so the GUI shows them
 * whole. Cuts fall on spaces or, failing that, between UTF-8 characters. */
#define WRAP_AT 110

static size_t line_length(const char *p)
{
    size_t n = strlen(p);
    if (n <= WRAP_AT)
        return n;
    n = WRAP_AT;
    while (n > WRAP_AT / 2 && p[n] != ' ')
        n--;
    if (p[n] != ' ')
        for (n = WRAP_AT; n > 1 && ((guchar)p[n] & 0xC0) == 0x80; n--)
            ;
    return n;
}

static proto_item *add_long_text(proto_tree *t, int hf_id, int hf_line, tvbuff_t *tvb,
                                 const char *text)
{
    proto_item *ti = add_string(t, hf_id, tvb, text);
    if (!ti || strlen(text) <= WRAP_AT)
        return ti;
    proto_tree *lines = proto_item_add_subtree(ti, ett_text);
    for (const char *p = text; *p;) {
        size_t n = line_length(p);
        char *line = g_strndup(p, n);
        add_string(lines, hf_line, tvb, line);
        g_free(line);
        p += n;
        while (*p == ' ')
            p++;
    }
    return ti;
}

static void add_warnings(proto_tree *t, tvbuff_t *tvb, guint warnings)
{
    for (guint i = 0; i < APG_WARN_COUNT_BITS; i++)
        if (warnings & (1u << i))
            add_uint(t, hf_warning, tvb, 1u << i);
}

/* Verdict, summary, remedy and evidence first; then what qualifies them.
 * Returns the cause's item, which carries the verdict's expert entry. */
static proto_item *add_verdict(proto_tree *t, tvbuff_t *tvb, const apg_handshake *hs,
                               const apg_verdict *v, const apg_diagnosis *d, const apg_view *view)
{
    add_uint(t, hf_outcome, tvb, v->outcome);
    proto_item *cause = add_uint(t, hf_cause, tvb, d->cause);
    add_uint(t, hf_confidence, tvb, d->confidence);
    add_long_text(t, hf_summary, hf_summary_line, tvb, d->summary);
    add_long_text(t, hf_remedy, hf_remedy_line, tvb, apg_view_remedy(view));
    for (guint i = 0; i < d->n_evidence; i++)
        add_frame(t, hf_evidence_frame, tvb, d->evidence[i]);
    add_evidence(t, tvb, hs);
    add_uint(t, hf_direction, tvb, view->direction);
    for (int c = 0; c < APG_CAUSE_COUNT; c++)
        if (d->alternatives & APG_CAUSE_BIT(c))
            add_uint(t, hf_alternative, tvb, (guint32)c);
    for (guint bit = 1; bit < (1u << APG_BASIS_COUNT_BITS); bit <<= 1)
        if (d->basis & bit)
            add_string(t, hf_unseen, tvb, apg_basis_text(bit));
    add_warnings(t, tvb, d->warnings);
    if (d->has_overlap) {
        add_uint(t, hf_overlap, tvb, d->overlap);
        add_uint(t, hf_known_suites, tvb, d->known_suites);
    }
    if (d->weak_offer)
        add_bool(t, hf_weak_offer, tvb, TRUE);
    add_uint(t, hf_stage, tvb, v->stage);
    if (v->has_failed_side)
        add_uint(t, hf_failed_side, tvb, v->failed_side);
    add_frame(t, hf_decided_frame, tvb, v->decided_frame);
    return cause;
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

/* Every certificate gets every per-certificate field, so that the values
 * of -T fields stay aligned from one field to the next. */
static void add_one_cert(proto_tree *tree, tvbuff_t *tvb, const apg_chain_fields *f,
                         const apg_chain_report *r, const apg_cert *c, guint i)
{
    char buf[32];
    proto_item *ti = proto_tree_add_uint_format_value(tree, f->cert, tvb, 0, 0, i, "%u (%s): %s", i,
                                                      apg_cert_role(i, r->n, c, buf, sizeof buf),
                                                      c->malformed ? "malformed" : c->subject);
    proto_item_set_generated(ti);
    proto_tree *t = proto_item_add_subtree(ti, ett_cert);
    const char *none = c->malformed ? "(malformed)" : "";
    add_string(t, f->subject, tvb, c->malformed ? none : c->subject);
    add_string(t, f->issuer, tvb, c->malformed ? none : c->issuer);
    add_time(t, f->not_before, tvb, c->malformed ? 0 : c->not_before);
    add_time(t, f->not_after, tvb, c->malformed ? 0 : c->not_after);
    char *key = c->malformed ? g_strdup(none)
                             : g_strdup_printf("%s %u bits%s", c->key_algorithm, c->key_bits,
                                               c->is_ca ? ", CA" : "");
    add_string(t, f->key, tvb, key);
    g_free(key);
    add_string(t, f->signature, tvb,
               c->malformed || !c->signature_algorithm ? none : c->signature_algorithm);
    add_string(t, f->serial, tvb, c->malformed || !c->serial ? none : c->serial);
    add_string(t, f->ski, tvb, c->malformed || !c->subject_key_id ? none : c->subject_key_id);
    add_string(t, f->aki, tvb, c->malformed || !c->authority_key_id ? none : c->authority_key_id);
    char *finding = c->malformed ? g_strdup(c->error) : apg_cert_line_finding(r, i);
    add_string(t, f->finding, tvb, finding);
    g_free(finding);
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
        add_bool(t, hf_cert_expired, tvb,
                 apg_chain_has(r, APG_CERT_EXPIRED) || apg_chain_has(r, APG_CERT_NOT_YET_VALID));
    if (r->hostname_checked) {
        add_string(t, hf_cert_checked_name, tvb, r->checked_name);
        add_bool(t, hf_cert_hostname_match, tvb, r->hostname_match);
    }
    add_bool(t, hf_cert_chain_complete, tvb, r->chain == APG_CHAIN_OK);
}

/* A chain as sent: for the server's, the leaf's facts first; then each
 * certificate with its findings. */
static void add_certificates(proto_tree *tree, tvbuff_t *tvb, const apg_view *view,
                             const apg_handshake *hs, gboolean server)
{
    const apg_chain_fields *f = server ? &hf_server_chain : &hf_client_chain;
    const GPtrArray *ders = server ? hs->server_certs : hs->client_certs;
    const apg_chain_report *r = server ? view->chain : view->client_chain;
    const apg_cert *const *certs = server ? view->server_certs : view->client_certs;
    guint shown = server ? view->n_server_certs : view->n_client_certs;
    if (!ders->len)
        return;
    proto_item *ti;
    proto_tree *t =
        add_branch(tree, server ? hf_certificates : hf_client_certificates, ett_certs, tvb, &ti);
    proto_item_append_text(ti, ": %u sent (frame %u)", ders->len,
                           server ? hs->server_cert_frame : hs->client_cert_frame);
    if (server) {
        add_uint(t, hf_cert_chain_len, tvb, ders->len);
        if (r->leaf)
            add_leaf_fields(t, tvb, r);
        apg_render_leaf_sha256(t, tvb, hs);
    }
    if (r->out_of_order)
        add_string(t, f->note, tvb, "sent out of order (each issuer should follow)");
    if (r->root_sent)
        add_string(t, f->note, tvb, "the root was sent (peers ignore it)");
    if (r->signature_unchecked) {
        char *why = g_strdup_printf("signature of certificate %u not verified: %s",
                                    r->signature_unchecked_index, r->signature_unchecked);
        add_string(t, f->note, tvb, why);
        g_free(why);
    }
    if (ders->len > shown)
        add_string(t, f->note, tvb, "only the first 16 certificates are shown");
    for (guint i = 0; i < shown; i++)
        add_one_cert(t, tvb, f, r, certs[i], i);
}

/* Preference values that could not be used, on each handshake's verdict
 * frame (a few and a count: apg_config_tidy_problems). */
static void add_config_problems(proto_tree *t, tvbuff_t *tvb, const apg_report *rep)
{
    const GPtrArray *problems = rep->here ? rep->config_problems : NULL;
    for (guint i = 0; problems && i < problems->len; i++)
        add_string(t, hf_config_problem, tvb, g_ptr_array_index(problems, i));
    if (rep->missing_fields) /* a newer or older Wireshark renamed a field we read */
        add_string(t, hf_degraded, tvb, rep->missing_fields);
}

static void add_endpoints(proto_tree *t, tvbuff_t *tvb, const apg_report *rep)
{
    char buf[APG_ENDPOINT_TEXT_LEN];
    add_uint(t, hf_stream, tvb, rep->conv->stream);
    add_uint(t, hf_index, tvb, rep->hs->index);
    add_string(t, hf_client, tvb,
               apg_endpoint_format(apg_conv_endpoint(rep->conv, rep->hs, APG_ROLE_CLIENT), buf));
    add_string(t, hf_server, tvb,
               apg_endpoint_format(apg_conv_endpoint(rep->conv, rep->hs, APG_ROLE_SERVER), buf));
}

proto_item *apg_render_tree(packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb, int proto,
                            const apg_report *rep)
{
    const apg_handshake *hs = rep->hs;
    const apg_verdict *v = &rep->verdict;
    const apg_diagnosis *d = &rep->view.d;
    proto_item *ti = proto_tree_add_item(tree, proto, tvb, 0, 0, ENC_NA);
    proto_tree *t = proto_item_add_subtree(ti, ett_apigee_hs);
    set_title(ti, hs, v, d, rep->shows_outcome);
    add_config_problems(t, tvb, rep);
    if (rep->here)
        proto_item_set_generated(proto_tree_add_item(t, hf_verdict_here, tvb, 0, 0, ENC_NA));
    proto_item *cause = NULL;
    if (rep->shows_outcome)
        cause = add_verdict(t, tvb, hs, v, d, &rep->view);
    else
        add_frame(t, hf_decided_frame, tvb, v->decided_frame); /* a link, not the verdict */
    proto_item *anchor = cause ? cause : ti;
    if (rep->here) {
        apg_experts_of_verdict(pinfo, anchor, rep);
    }
    if (rep->shows_outcome && v->has_alert)
        add_alert(t, tvb, &v->alert);
    if (rep->shows_outcome)
        apg_render_apigee(t, tvb, rep);
    char *ladder = apg_ladder_text(hs);
    add_long_text(t, hf_ladder, hf_ladder_line, tvb, ladder);
    g_free(ladder);
    add_endpoints(t, tvb, rep);
    apg_render_correlation(t, tvb, rep);
    add_bool(t, hf_saw_start, tvb, hs->saw_start);
    if (hs->client_hello_frame)
        add_offer(t, tvb, hs);
    add_answer(t, tvb, hs);
    add_certificates(t, tvb, &rep->view, hs, TRUE);
    add_certificates(t, tvb, &rep->view, hs, FALSE);
    add_ca_names(t, tvb, hs, &rep->view);
    add_proxy(t, tvb, &rep->conv->proxy);
    if (!rep->shows_outcome)
        add_evidence(t, tvb, hs);
    if (rep->here) { /* siblings under one item: -T ek then never repeats _ws_expert */
        apg_experts_of_chains(pinfo, anchor, rep);
    }
    return ti;
}
