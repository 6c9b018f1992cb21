/* packet-apigee-hs.c - "Apigee handshake diagnosis", a post-dissector that
 * explains, per TLS handshake, whether and why it failed.
 *
 * First pass: read this frame's TLS/TCP fields, feed them to the core's
 * tracker, remember which handshake the frame belongs to. Every pass: judge
 * that handshake and draw the verdict. Single-pass tshark only knows frames
 * up to the current one, so it shows the outcome on the frame that decides
 * it; visited passes (tshark -2, the GUI) know the whole capture and show it
 * on every frame of the handshake.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "packet-apigee-hs.h"

#include <string.h>

#include <epan/address.h>
#include <epan/packet.h>
#include <epan/tap.h>

#include "apg_extract.h"
#include "apg_fields.h"
#include "apg_gui_table.h"
#include "apg_prefs.h"
#include "apg_render.h"
#include "apg_stats.h"
#include "apg_config_check.h"
#include "apg_table.h"
#include "apg_tap.h"
#include "apg_text.h"
#include "apg_undecoded.h"
#include "apg_verdict.h"

static int proto_apigee_hs = -1;
/* Wireshark's expert fields: filtering on them needs our items. Looked up
 * when a file opens: 4.4 and later register them after the plugins' handoff. */
static const char *const ws_expert_names[] = {"_ws.expert", "_ws.expert.message",
                                              "_ws.expert.group", "_ws.expert.severity"};
static int hf_ws_expert[G_N_ELEMENTS(ws_expert_names)];
static int apigee_hs_tap = -1;
static dissector_handle_t apigee_hs_handle;

/* The current file's state, from the init routine to the cleanup routine. */
static apg_capture *capture;

static apg_capture *current_capture(void)
{
    return capture;
}

static void init_state(void)
{
    /* The diagnosis is what the user opened the frame for: shown open. Once
     * (the GUI keeps the user's own choice after that); not at registration,
     * where the expansion table does not exist yet. */
    static gboolean expanded_once;
    if (!expanded_once) {
        tree_expanded_set(ett_apigee_hs, TRUE);
        expanded_once = TRUE;
    }
    for (guint i = 0; i < G_N_ELEMENTS(ws_expert_names); i++)
        hf_ws_expert[i] = proto_registrar_get_id_byname(ws_expert_names[i]);
    capture = apg_capture_new(apg_prefs_config(), apg_extract_missing_fields());
    /* A disabled protocol must not force every frame to build a tree. */
    if (proto_is_protocol_enabled(find_protocol_by_id(proto_apigee_hs)))
        set_postdissector_wanted_hfids(apigee_hs_handle, apg_extract_wanted_hfids());
}

static void cleanup_state(void)
{
    set_postdissector_wanted_hfids(apigee_hs_handle, NULL);
    apg_capture_free(capture);
    capture = NULL;
}

static void endpoint_of(const address *addr, guint32 port, apg_endpoint *out)
{
    out->family = addr->type == AT_IPv4 ? 4 : addr->type == AT_IPv6 ? 6 : 0;
    out->len = (guint8)MIN((guint)MAX(addr->len, 0), sizeof out->addr);
    out->port = (guint16)port;
    memcpy(out->addr, addr->data, out->len);
}

typedef struct {
    apg_frame_facts facts; /* filled by the walk: the stream comes before any event */
    apg_frame_in *in;
    apg_frame_ref ref;
} observe_ctx;

static void observe_event(const apg_event *ev, void *user)
{
    observe_ctx *ctx = user;
    if (!ctx->facts.has_stream)
        return;
    ctx->in->stream = ctx->facts.stream;
    apg_capture_observe(capture, ctx->in, ev, &ctx->ref);
}

/* The first pass feeds the frame's TLS and TCP facts to the capture. */
static void observe_frame(packet_info *pinfo, proto_tree *tree, apg_frame_in *in,
                          apg_frame_ref *out)
{
    /* TLS over TCP only: skip the tree walk for everything else, but an ICMP
     * error quoting a TCP segment (4.4+ leave ptype as the ICMP layer's). */
    if (pinfo->ptype != PT_TCP && !proto_is_frame_protocol(pinfo->layers, "icmp") &&
        !proto_is_frame_protocol(pinfo->layers, "icmpv6"))
        return;
    endpoint_of(&pinfo->src, pinfo->srcport, &in->src);
    endpoint_of(&pinfo->dst, pinfo->destport, &in->dst);
    observe_ctx ctx = {.in = in};
    apg_extract_frame(tree, pinfo->num, &ctx.facts, observe_event, &ctx);
    *out = ctx.ref;
}

/* " [TLS handshake failed: sni_missing]"; an established handshake names
 * no cause unless the client left at once. */
static void add_info(packet_info *pinfo, const apg_verdict *v, const apg_diagnosis *d)
{
    if (v->outcome == APG_OUTCOME_ESTABLISHED && d->cause == APG_CAUSE_NONE)
        col_append_str(pinfo->cinfo, COL_INFO, " [TLS handshake established]");
    else if (v->outcome == APG_OUTCOME_ESTABLISHED)
        col_append_fstr(pinfo->cinfo, COL_INFO, " [TLS handshake established, then left: %s?]",
                        apg_cause_token(d->cause));
    else
        col_append_fstr(pinfo->cinfo, COL_INFO, " [TLS handshake %s: %s]",
                        apg_outcome_token(v->outcome), apg_cause_token(d->cause));
}

/* Whether anyone will see the subtree: a visible tree (the GUI's details,
 * tshark -V), or one of our fields, our expert entries or the protocol
 * referenced by a filter, a column, -e or a tap. Wireshark marks the protocol
 * when one of its fields is referenced. Otherwise drawing is wasted work:
 * tshark builds a tree on every frame for the fields we read. */
static gboolean draws_tree(proto_tree *tree)
{
    if (!tree)
        return FALSE;
    if (proto_field_is_referenced(tree, proto_apigee_hs))
        return TRUE;
    for (guint i = 0; i < G_N_ELEMENTS(hf_ws_expert); i++)
        if (hf_ws_expert[i] > 0 && proto_field_is_referenced(tree, hf_ws_expert[i]))
            return TRUE;
    return FALSE;
}

/* Taps and expert info before any tree test: they must work without one. */
static void tap_verdict(packet_info *pinfo, const apg_report *rep)
{
    apg_tap_record *rec = wmem_new(pinfo->pool, apg_tap_record);
    *rec = (apg_tap_record){.conv = rep->conv,
                            .hs = rep->hs,
                            .outcome = rep->verdict.outcome,
                            .cause = rep->view.d.cause,
                            .confidence = rep->view.d.confidence,
                            .stage = rep->verdict.stage,
                            .direction = rep->view.direction,
                            .has_alert = rep->verdict.has_alert,
                            .alert = rep->verdict.alert};
    tap_queue_packet(apigee_hs_tap, pinfo, rec);
    add_info(pinfo, &rep->verdict, &rep->view.d);
}

static int dissect_apigee_hs(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    gboolean visited = PINFO_FD_VISITED(pinfo);
    apg_frame_in in = {.frame = pinfo->num,
                       .time_us = (gint64)pinfo->abs_ts.secs * G_USEC_PER_SEC +
                                  pinfo->abs_ts.nsecs / 1000};
    apg_frame_ref first_pass = {0};
    if (!visited)
        observe_frame(pinfo, tree, &in, &first_pass);
    if (!draws_tree(tree))
        tree = NULL; /* nothing shows or filters our items: only the verdict frame works */
    apg_report rep;
    if (!apg_capture_report(capture, &in, visited ? NULL : &first_pass, tree != NULL, &rep)) {
        const apg_undecoded *u = apg_capture_undecoded_at(capture, pinfo->num, visited);
        if (!u)
            return 0;
        apg_undecoded_render(pinfo, tree, tvb, proto_apigee_hs, u);
        return tvb_captured_length(tvb);
    }
    if (rep.here)
        tap_verdict(pinfo, &rep);
    if (rep.here && !tree)
        apg_render_expert(pinfo, &rep);
    if (tree)
        apg_render_tree(pinfo, tree, tvb, proto_apigee_hs, &rep);
    apg_report_clear(&rep);
    return tvb_captured_length(tvb);
}

void proto_register_apigee_hs(void)
{
    proto_apigee_hs =
        proto_register_protocol("Apigee handshake diagnosis", "Apigee-HS", "apigee_hs");
    apg_fields_register(proto_apigee_hs);
    apg_undecoded_register(proto_apigee_hs);
    apg_prefs_register(proto_apigee_hs);
    apigee_hs_handle = register_dissector("apigee_hs", dissect_apigee_hs, proto_apigee_hs);
    register_postdissector(apigee_hs_handle);
    register_init_routine(init_state);
    register_cleanup_routine(cleanup_state);
    apigee_hs_tap = register_tap(APG_TAP_NAME);
    apg_table_register(current_capture);
    apg_config_check_register(current_capture);
    apg_stats_register();
    apg_gui_table_register();
}

void proto_reg_handoff_apigee_hs(void)
{
    apg_extract_resolve_fields();
    apg_fields_borrow_tls_names();
    apg_prefs_config()->suite_name = apg_extract_suite_name;
    apg_prefs_config()->group_name = apg_extract_group_name;
}
