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
#include <epan/to_str.h>
#include <epan/packet.h>
#include <epan/proto_data.h>
#include <epan/tap.h>

#include "apg_extract.h"
#include "apg_fields.h"
#include "apg_prefs.h"
#include "apg_render.h"
#include "apg_stats.h"
#include "apg_table.h"
#include "apg_text.h"
#include "apg_verdict.h"

static int proto_apigee_hs = -1;
static int hf_ws_expert = -1; /* Wireshark's _ws.expert: filtering on it needs our items */
static int apigee_hs_tap = -1;
static dissector_handle_t apigee_hs_handle;

/* A TCP stream as the glue knows it: the core's conversation plus the
 * address that defines endpoint 0. */
typedef struct {
    apg_conversation *core;
    address addr0;
    guint32 port0;
    guint32 index; /* in conversations */
} glue_conv;

typedef struct {
    apg_conversation *conv;
    apg_handshake *hs;
} frame_state;

/* Which handshake a frame belongs to, for the passes after the first: one
 * compact entry per frame, appended in frame order by the first pass and
 * found by binary search (a proto-data entry per frame cost eight times as
 * much memory on a capture of a million frames). */
typedef struct {
    guint32 frame;
    guint32 conv_index;
    guint32 hs_index;
} frame_entry;
static GArray *frame_entries;

static GHashTable *conv_by_stream; /* stream -> glue_conv (file scope) */
static GPtrArray *conversations;   /* apg_conversation*, owned */
static GHashTable *certificates;   /* DER -> itself: a server sends the same chain often */
static GHashTable *profiles;       /* server "addr:port" -> apg_server_profile */
static apg_cert_cache *cert_cache; /* parsed certificates, once each */
/* The time of the last frame read: at the end of the first pass, the
 * capture's end, which tells whether an unanswered ClientHello had time. */
static gint64 capture_end_us;

GPtrArray *apg_state_conversations(void)
{
    return conversations;
}

static void init_state(void)
{
    capture_end_us = 0;
    frame_entries = g_array_new(FALSE, FALSE, sizeof(frame_entry));
    conversations = g_ptr_array_new_with_free_func((GDestroyNotify)apg_conv_free);
    conv_by_stream = g_hash_table_new(g_direct_hash, g_direct_equal);
    cert_cache = apg_cert_cache_new();
    profiles =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)apg_profile_free);
    certificates =
        g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, NULL);
    /* A disabled protocol must not force every frame to build a tree. */
    if (proto_is_protocol_enabled(find_protocol_by_id(proto_apigee_hs)))
        set_postdissector_wanted_hfids(apigee_hs_handle, apg_extract_wanted_hfids());
}

static void cleanup_state(void)
{
    set_postdissector_wanted_hfids(apigee_hs_handle, NULL);
    g_hash_table_destroy(conv_by_stream);
    conv_by_stream = NULL;
    g_array_free(frame_entries, TRUE);
    frame_entries = NULL;
    g_ptr_array_free(conversations, TRUE);
    conversations = NULL;
    g_hash_table_destroy(certificates);
    certificates = NULL;
    g_hash_table_destroy(profiles);
    profiles = NULL;
    apg_cert_cache_free(cert_cache);
    cert_cache = NULL;
}

/* Single pass learns each server from the handshakes established so far;
 * visited passes see what the whole capture taught. */
static void learn_server(const apg_conversation *conv, apg_handshake *hs, const apg_verdict *v)
{
    if (hs->profiled || v->outcome != APG_OUTCOME_ESTABLISHED)
        return;
    hs->profiled = TRUE;
    const char *server = apg_conv_endpoint(conv, hs, APG_ROLE_SERVER);
    apg_server_profile *p = g_hash_table_lookup(profiles, server);
    if (!p) {
        p = apg_profile_new();
        g_hash_table_insert(profiles, g_strdup(server), p);
    }
    apg_profile_learn(p, hs);
}

static const char *name_to_check(const apg_handshake *hs, const char *server);

/* The checks of a handshake's chains. Nothing is kept per handshake: the
 * certificate cache keeps what costs (parsing, signatures, host names), and
 * the rest is a few comparisons, redone when a verdict is drawn. */
static void check_chains(const apg_handshake *hs, const char *server, apg_view *out)
{
    out->checked[0] = apg_chain_check(cert_cache, hs->server_certs, name_to_check(hs, server),
                                      hs->server_cert_time, apg_prefs_truststore(),
                                      apg_prefs_expiry_warning_days());
    out->checked[1] = apg_chain_check(cert_cache, hs->client_certs, NULL, hs->client_cert_time,
                                      apg_prefs_truststore(), 0);
    out->chain = &out->checked[0];
    out->client_chain = &out->checked[1];
}

/* The name the leaf must carry: the SNI, else what the user says the
 * server is called. */
static const char *name_to_check(const apg_handshake *hs, const char *server)
{
    return hs->offer.sni ? hs->offer.sni : apg_prefs_expected_host(server);
}

/* What every drawing needs: the checked chains and the leg; no diagnosis. */
static void state_view(const apg_conversation *conv, const apg_handshake *hs, apg_view *out)
{
    const char *client = apg_conv_endpoint(conv, hs, APG_ROLE_CLIENT);
    const char *server = apg_conv_endpoint(conv, hs, APG_ROLE_SERVER);
    memset(&out->d, 0, sizeof out->d);
    check_chains(hs, server, out);
    out->direction = apg_direction_of(apg_prefs_roles(), client, server);
}

void apg_state_diagnose(const apg_conversation *conv, const apg_handshake *hs, const apg_verdict *v,
                        apg_view *out)
{
    const char *server = apg_conv_endpoint(conv, hs, APG_ROLE_SERVER);
    const GArray *suites = apg_prefs_server_suites(server);
    state_view(conv, hs, out);
    apg_context ctx = {
        .direction = out->direction,
        .profile = g_hash_table_lookup(profiles, server),
        .server_suites = suites ? (const guint16 *)(const void *)suites->data : NULL,
        .n_server_suites = suites ? suites->len : 0,
        .suite_name = apg_extract_suite_name,
        .chain = out->chain,
        .client_chain = out->client_chain,
    };
    out->d = apg_diagnose(hs, v, &ctx);
}

const apg_cert *apg_state_certificate(GBytes *der)
{
    return apg_cert_cache_get(cert_cache, der);
}

void apg_view_clear(apg_view *view)
{
    apg_diagnosis_clear(&view->d);
    apg_chain_report_clear(&view->checked[0]);
    apg_chain_report_clear(&view->checked[1]);
}

/* One stored copy per distinct certificate, shared by every handshake. */
static const GBytes *intern_certificate(const GBytes *der)
{
    GBytes *stored = g_hash_table_lookup(certificates, der);
    if (stored)
        return stored;
    stored = g_bytes_ref((GBytes *)der);
    g_hash_table_add(certificates, stored);
    return stored;
}

static char *endpoint_text(const address *addr, guint32 port)
{
    char *a = address_to_str(NULL, addr);
    char *s = addr->type == AT_IPv6 ? g_strdup_printf("[%s]:%u", a, port)
                                    : g_strdup_printf("%s:%u", a, port);
    wmem_free(NULL, a);
    return s;
}

static glue_conv *conv_create(packet_info *pinfo, guint32 stream)
{
    glue_conv *gc = wmem_new0(wmem_file_scope(), glue_conv);
    gc->core = apg_conv_new(stream);
    copy_address_wmem(wmem_file_scope(), &gc->addr0, &pinfo->src);
    gc->port0 = pinfo->srcport;
    gc->core->endpoint_name[0] = endpoint_text(&pinfo->src, pinfo->srcport);
    gc->core->endpoint_name[1] = endpoint_text(&pinfo->dst, pinfo->destport);
    gc->index = conversations->len;
    g_ptr_array_add(conversations, gc->core);
    g_hash_table_insert(conv_by_stream, GUINT_TO_POINTER(stream), gc);
    return gc;
}

typedef struct {
    packet_info *pinfo;
    apg_frame_facts facts;
    glue_conv *gc;
    apg_handshake *hs;
} observe_ctx;

static gboolean is_tcp_only(apg_event_kind kind)
{
    return kind == APG_EV_TCP_FIN || kind == APG_EV_TCP_RST || kind == APG_EV_TCP_PAYLOAD ||
           kind == APG_EV_TCP_SEGMENT;
}

static void observe_event(const apg_event *ev, void *user)
{
    observe_ctx *ctx = user;
    if (!ctx->facts.has_stream)
        return;
    if (!ctx->gc)
        ctx->gc = g_hash_table_lookup(conv_by_stream, GUINT_TO_POINTER(ctx->facts.stream));
    if (!ctx->gc) {
        if (is_tcp_only(ev->kind))
            return; /* TCP streams without TLS cost nothing */
        ctx->gc = conv_create(ctx->pinfo, ctx->facts.stream);
    }
    apg_event routed = *ev;
    routed.time = (gint64)ctx->pinfo->abs_ts.secs;
    routed.time_us = routed.time * G_USEC_PER_SEC + ctx->pinfo->abs_ts.nsecs / 1000;
    if (ev->kind == APG_EV_CERTIFICATE)
        for (guint i = 0; i < ev->u.certificate.count && i < APG_MAX_CERTS; i++)
            routed.u.certificate.der[i] = intern_certificate(ev->u.certificate.der[i]);
    gboolean from_0 =
        addresses_equal(&ctx->pinfo->src, &ctx->gc->addr0) && ctx->pinfo->srcport == ctx->gc->port0;
    routed.sender = from_0 ? 0 : 1;
    apg_handshake *hs = apg_conv_observe(ctx->gc->core, &routed);
    if (hs)
        ctx->hs = hs;
}

gint64 apg_state_capture_end_us(void)
{
    return capture_end_us;
}

static gboolean frame_lookup(guint32 frame, frame_state *out)
{
    guint lo = 0, hi = frame_entries->len;
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        const frame_entry *e = &g_array_index(frame_entries, frame_entry, mid);
        if (e->frame == frame) {
            out->conv = g_ptr_array_index(conversations, e->conv_index);
            out->hs = g_ptr_array_index(out->conv->handshakes, e->hs_index);
            return TRUE;
        }
        if (e->frame < frame)
            lo = mid + 1;
        else
            hi = mid;
    }
    return FALSE;
}

static gboolean observe_frame(packet_info *pinfo, proto_tree *tree, frame_state *out)
{
    capture_end_us = MAX(capture_end_us, (gint64)pinfo->abs_ts.secs * G_USEC_PER_SEC +
                                             pinfo->abs_ts.nsecs / 1000);
    if (pinfo->ptype != PT_TCP)
        return FALSE; /* TLS over TCP only: skip the tree walk for everything else */
    observe_ctx ctx = {.pinfo = pinfo};
    apg_extract_frame(tree, pinfo->num, &ctx.facts, observe_event, &ctx);
    if (!ctx.hs)
        return FALSE;
    out->conv = ctx.gc->core;
    out->hs = ctx.hs;
    frame_entry e = {pinfo->num, ctx.gc->index, ctx.hs->index};
    const frame_entry *last = frame_entries->len
                                  ? &g_array_index(frame_entries, frame_entry, frame_entries->len - 1)
                                  : NULL;
    if (!last || last->frame < e.frame) /* kept sorted: the first pass reads in order */
        g_array_append_val(frame_entries, e);
    return TRUE;
}

/* The frame that carries the verdict's expert info, its tap row and
 * apigee_hs.verdict_here: the deciding frame, or for verdicts only the end
 * of the capture decides, the handshake's first frame. A single pass that
 * learns of its deciding frame only later (a TLS 1.3 record read as an alert
 * once the connection closes) shows it on the frame that settled it, once;
 * later passes keep that frame, so a filter selects the same frames whether
 * it was given when the file was opened or applied afterwards. */
static gboolean carries_verdict(const apg_verdict *v, apg_handshake *hs, guint32 frame,
                                gboolean visited)
{
    if (v->outcome == APG_OUTCOME_PENDING)
        return FALSE;
    if (hs->verdict_frame)
        return hs->verdict_frame == frame;
    if (!v->decided_frame)
        return hs->first_frame == frame;
    if (visited || v->decided_frame > frame)
        return v->decided_frame == frame;
    hs->verdict_frame = frame;
    return TRUE;
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
    return tree && (proto_field_is_referenced(tree, proto_apigee_hs) ||
                    (hf_ws_expert >= 0 && proto_field_is_referenced(tree, hf_ws_expert)));
}

static int dissect_apigee_hs(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    gboolean visited = PINFO_FD_VISITED(pinfo);
    frame_state state;
    if (!(visited ? frame_lookup(pinfo->num, &state) : observe_frame(pinfo, tree, &state)))
        return 0;
    frame_state *fs = &state;

    apg_verdict v = apg_evaluate_at(fs->hs, visited, capture_end_us);
    if (!visited)
        learn_server(fs->conv, fs->hs, &v);
    gboolean here = carries_verdict(&v, fs->hs, pinfo->num, visited);
    if (!draws_tree(tree))
        tree = NULL; /* nothing shows or filters our items: only the verdict frame works */
    if (!here && !tree)
        return tvb_captured_length(tvb);
    /* Frames that do not show the verdict (single pass, before or after the
     * deciding frame) only need the ladder and the facts: no diagnosis. */
    gboolean shows_verdict = visited || here;
    apg_view view;
    if (shows_verdict)
        apg_state_diagnose(fs->conv, fs->hs, &v, &view);
    else
        state_view(fs->conv, fs->hs, &view);
    if (here) {
        /* Before any tree test: taps and expert info must work without one. */
        apg_tap_record *rec = wmem_new(pinfo->pool, apg_tap_record);
        *rec = (apg_tap_record){fs->conv, fs->hs, v.outcome, view.d.cause, view.direction,
                                v.has_alert, v.alert};
        tap_queue_packet(apigee_hs_tap, pinfo, rec);
        add_info(pinfo, &v, &view.d);
        if (!tree)
            apg_render_expert(pinfo, &v, &view);
    }
    if (tree)
        apg_render_tree(pinfo, tree, tvb, proto_apigee_hs, fs->conv, fs->hs, &v, &view,
                        shows_verdict, here);
    apg_view_clear(&view);
    return tvb_captured_length(tvb);
}

void proto_register_apigee_hs(void)
{
    proto_apigee_hs =
        proto_register_protocol("Apigee handshake diagnosis", "Apigee-HS", "apigee_hs");
    apg_fields_register(proto_apigee_hs);
    apg_prefs_register(proto_apigee_hs);
    apigee_hs_handle = register_dissector("apigee_hs", dissect_apigee_hs, proto_apigee_hs);
    register_postdissector(apigee_hs_handle);
    register_init_routine(init_state);
    register_cleanup_routine(cleanup_state);
    apigee_hs_tap = register_tap("apigee_hs");
    apg_table_register();
    apg_stats_register();
}

void proto_reg_handoff_apigee_hs(void)
{
    apg_extract_resolve_fields();
    apg_fields_borrow_tls_names();
    hf_ws_expert = proto_registrar_get_id_byname("_ws.expert");
}
