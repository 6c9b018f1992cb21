/* apg_capture.c - the state of one capture file.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_capture.h"
#include "apg_early_order.h"
#include "apg_early_reports.h"
#include "apg_shared.h"

#include <string.h>

/* Which handshake a frame belongs to, for the passes after the first. An
 * entry holds a frame and which of the 8 frames after it belong to the same
 * handshake (pure ACKs in between do not), so a capture of a million frames
 * needs far fewer entries than frames; where conversations interleave, an
 * entry holds one frame (12 bytes either way). */
typedef struct {
    guint32 frame;     /* the entry's first frame */
    guint32 conv;      /* index in conversations */
    guint32 hs : 24;   /* index in the conversation */
    guint32 later : 8; /* bit k: frame + 1 + k belongs too */
} frame_run;
G_STATIC_ASSERT(sizeof(frame_run) == 12);
#define MAX_INDEXED_HANDSHAKE ((1u << 24) - 1)
#define RUN_SPAN              8u

struct apg_capture {
    const apg_config *config;
    const char *missing_fields; /* fields this Wireshark lacks, or NULL */
    GPtrArray *conversations;   /* apg_conversation*, owned */
    GHashTable *conv_by_stream; /* stream -> conversation index + 1 */
    GArray *frame_runs;         /* frame_run, in frame order */
    GHashTable *certificates;   /* DER -> itself: a server sends the same chain often */
    apg_shared *shared;         /* what the handshakes share: empties, chains, offers */
    apg_cert_cache *cert_cache; /* parsed certificates and their checks, once each */
    GHashTable *profiles;       /* profile_key* (server and name) -> apg_server_profile */
    /* Segments that arrived late before any TLS was read: when their
     * records then go missing, the handshake must say why. */
    apg_early_order *early_order;
    apg_early_reports *early_reports;
    GHashTable *tcp_client_port; /* stream -> the TCP client's port + 1, until TLS opens it */
    apg_stream_notes *notes;     /* streams without TLS: undecoded TLS, refused connections */
    /* The time of the last frame read: at the end of the first pass, the
     * capture's end, which tells whether an unanswered ClientHello had time. */
    gint64 end_us;
};

/* What a server did is kept per name it was asked for: an Apigee Router's
 * virtual hosts, HAProxy's crt-list, Apache's name-based hosts and CDNs
 * give each name its own certificate, versions and suites on one address.
 * No SNI is a name of its own: the default host. */
typedef struct {
    apg_endpoint server;
    gboolean has_sni;
    char *sni; /* borrowed in lookups, owned in the table */
} profile_key;

static guint profile_key_hash(gconstpointer p)
{
    const profile_key *k = p;
    return apg_endpoint_hash(&k->server) * 31u + (k->has_sni ? g_str_hash(k->sni) : 0u);
}

static gboolean profile_key_equal(gconstpointer a, gconstpointer b)
{
    const profile_key *x = a, *y = b;
    return apg_endpoint_equal(&x->server, &y->server) && x->has_sni == y->has_sni &&
           (!x->has_sni || strcmp(x->sni, y->sni) == 0);
}

static void profile_key_free(gpointer p)
{
    profile_key *k = p;
    g_free(k->sni);
    g_free(k);
}

static profile_key profile_key_of(const apg_conversation *conv, const apg_handshake *hs)
{
    return (profile_key){*apg_conv_endpoint(conv, hs, APG_ROLE_SERVER), hs->offer.sni != NULL,
                         hs->offer.sni};
}

apg_capture *apg_capture_new(const apg_config *config, const char *missing_fields)
{
    apg_capture *cap = g_new0(apg_capture, 1);
    cap->config = config;
    cap->missing_fields = missing_fields;
    cap->conversations = g_ptr_array_new_with_free_func((GDestroyNotify)apg_conv_free);
    cap->conv_by_stream = g_hash_table_new(g_direct_hash, g_direct_equal);
    cap->frame_runs = g_array_new(FALSE, FALSE, sizeof(frame_run));
    cap->certificates =
        g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, NULL);
    cap->cert_cache = apg_cert_cache_new();
    cap->shared = apg_shared_new();
    cap->profiles = g_hash_table_new_full(profile_key_hash, profile_key_equal, profile_key_free,
                                          (GDestroyNotify)apg_profile_free);
    cap->early_order = apg_early_order_new();
    cap->early_reports = apg_early_reports_new();
    cap->tcp_client_port = g_hash_table_new(g_direct_hash, g_direct_equal);
    cap->notes = apg_stream_notes_new();
    return cap;
}

void apg_capture_free(apg_capture *cap)
{
    if (!cap)
        return;
    g_hash_table_destroy(cap->conv_by_stream);
    g_ptr_array_free(cap->conversations, TRUE);
    apg_shared_free(cap->shared); /* after the handshakes that held shares */
    g_array_free(cap->frame_runs, TRUE);
    g_hash_table_destroy(cap->certificates);
    apg_cert_cache_free(cap->cert_cache);
    g_hash_table_destroy(cap->profiles);
    apg_early_order_free(cap->early_order);
    apg_early_reports_free(cap->early_reports);
    g_hash_table_destroy(cap->tcp_client_port);
    apg_stream_notes_free(cap->notes);
    g_free(cap);
}

void apg_capture_note_time(apg_capture *cap, gint64 time_us)
{
    cap->end_us = MAX(cap->end_us, time_us);
}

gint64 apg_capture_end_us(const apg_capture *cap)
{
    return cap->end_us;
}

static guint32 conv_open(apg_capture *cap, const apg_frame_in *in)
{
    apg_conversation *conv = apg_conv_new(in->stream, cap->shared);
    conv->endpoint[0] = in->src;
    conv->endpoint[1] = in->dst;
    gpointer port = NULL;
    g_hash_table_steal_extended(cap->tcp_client_port, GUINT_TO_POINTER(in->stream), NULL, &port);
    apg_conv_hint_roles(conv, port ? (guint16)(GPOINTER_TO_UINT(port) - 1) : 0);
    guint32 index = cap->conversations->len;
    g_ptr_array_add(cap->conversations, conv);
    g_hash_table_insert(cap->conv_by_stream, GUINT_TO_POINTER(in->stream),
                        GUINT_TO_POINTER(index + 1));
    return index;
}

/* One stored copy per distinct certificate, shared by every handshake. */
static const GBytes *intern_certificate(apg_capture *cap, const GBytes *der)
{
    GBytes *stored = g_hash_table_lookup(cap->certificates, der);
    if (stored)
        return stored;
    stored = g_bytes_ref((GBytes *)der);
    g_hash_table_add(cap->certificates, stored);
    return stored;
}

/* A SYN or SYN-ACK before any TLS names the TCP client of its stream. */
static void note_tcp_handshake(apg_capture *cap, const apg_frame_in *in, const apg_event *ev)
{
    if (ev->kind != APG_EV_TCP_SEGMENT || !(ev->u.tcp.opens || ev->u.tcp.accepts))
        return;
    guint16 client = ev->u.tcp.opens ? in->src.port : in->dst.port;
    g_hash_table_insert(cap->tcp_client_port, GUINT_TO_POINTER(in->stream),
                        GUINT_TO_POINTER((guint)client + 1));
}

void apg_capture_observe(apg_capture *cap, const apg_frame_in *in, const apg_event *ev,
                         apg_frame_ref *ref)
{
    if (!ref->conv) {
        guint32 found = GPOINTER_TO_UINT(
            g_hash_table_lookup(cap->conv_by_stream, GUINT_TO_POINTER(in->stream)));
        /* a status line opens nothing: only after a CONNECT is it a proxy's */
        if (!found && ev->kind == APG_EV_PROXY_RESPONSE)
            return;
        if (!found && ev->kind == APG_EV_PATH_TOO_BIG) {
            apg_early_reports_add(cap->early_reports, in->stream, &in->src, ev);
            return;
        }
        if (!found && apg_event_is_tcp(ev->kind)) {
            note_tcp_handshake(cap, in, ev);
            apg_stream_notes_observe(cap->notes, in->stream, in->frame, &in->src, &in->dst, ev);
            apg_early_order_observe(cap->early_order, in->stream, in->frame, &in->src, ev);
            return; /* TCP streams without TLS cost little (apg_early_order.h) */
        }
        ref->conv_index = found ? found - 1 : conv_open(cap, in);
        ref->conv = g_ptr_array_index(cap->conversations, ref->conv_index);
    }
    apg_event routed = *ev;
    routed.time = in->time_us / G_USEC_PER_SEC;
    routed.time_us = in->time_us;
    if (ev->kind == APG_EV_CERTIFICATE)
        for (guint i = 0; i < ev->u.certificate.count && i < APG_MAX_CERTS; i++)
            routed.u.certificate.der[i] = intern_certificate(cap, ev->u.certificate.der[i]);
    /* A router's ICMP error speaks of the quoted segment's sender. */
    const apg_endpoint *src = &in->src;
    if (ev->kind == APG_EV_PATH_TOO_BIG) {
        src = &ev->u.too_big.sender;
        routed.u.too_big.router = in->src;
    }
    int peer = apg_conv_peer_index(ref->conv, src);
    if (peer < 0 && ev->kind == APG_EV_PATH_TOO_BIG)
        return; /* it quotes a packet of neither peer */
    routed.sender = peer == 0 ? 0 : 1;
    apg_handshake *hs = apg_conv_observe(ref->conv, &routed);
    if (hs)
        ref->hs = hs;
    if (hs)
        apg_early_reports_hand_over(cap->early_reports, in->stream, ref->conv, hs);
    guint32 early = hs ? apg_early_order_hand_over(cap->early_order, in->stream, ref->conv, hs) : 0;
    if (early && !hs->out_of_order_frame)
        hs->out_of_order_frame = early;
}

const apg_undecoded *apg_capture_undecoded_at(const apg_capture *cap, guint32 frame,
                                              gboolean settled)
{
    const apg_undecoded *u = apg_stream_notes_undecoded_at(cap->notes, frame);
    if (!u || g_hash_table_contains(cap->conv_by_stream, GUINT_TO_POINTER(u->stream)))
        return NULL; /* TLS opened the stream later: a hello split over segments */
    return settled || u->whole_record ? u : NULL;
}

GPtrArray *apg_capture_undecoded(const apg_capture *cap, guint *more)
{
    const GPtrArray *all = apg_stream_notes_undecoded(cap->notes, more);
    GPtrArray *out = g_ptr_array_new();
    for (guint i = 0; i < all->len; i++) {
        const apg_undecoded *u = g_ptr_array_index(all, i);
        if (!g_hash_table_contains(cap->conv_by_stream, GUINT_TO_POINTER(u->stream)))
            g_ptr_array_add(out, (gpointer)u);
    }
    return out;
}

const GPtrArray *apg_capture_refused(const apg_capture *cap, guint *more)
{
    return apg_stream_notes_refused(cap->notes, more);
}

static guint32 run_last_frame(const frame_run *r)
{
    return r->later ? r->frame + 1 + (guint32)g_bit_nth_msf(r->later, -1) : r->frame;
}

void apg_capture_index_frame(apg_capture *cap, guint32 frame, const apg_frame_ref *ref)
{
    if (!ref->hs || ref->hs->index > MAX_INDEXED_HANDSHAKE)
        return; /* later passes show nothing on it: better than the wrong handshake */
    GArray *runs = cap->frame_runs;
    frame_run *last = runs->len ? &g_array_index(runs, frame_run, runs->len - 1) : NULL;
    if (last && frame <= run_last_frame(last))
        return; /* kept sorted: the first pass reads in order */
    /* Only the last entry grows, so an entry never covers a frame after the
     * next entry's first: the binary search below relies on it. */
    if (last && frame - last->frame - 1 < RUN_SPAN && last->conv == ref->conv_index &&
        last->hs == ref->hs->index) {
        last->later |= 1u << (frame - last->frame - 1);
        return;
    }
    frame_run run = {frame, ref->conv_index, ref->hs->index, 0};
    g_array_append_val(runs, run);
}

gboolean apg_capture_lookup_frame(const apg_capture *cap, guint32 frame, apg_frame_ref *out)
{
    const GArray *runs = cap->frame_runs;
    guint lo = 0, hi = runs->len; /* the first entry starting after frame */
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        if (g_array_index(runs, frame_run, mid).frame <= frame)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return FALSE;
    const frame_run *r = &g_array_index(runs, frame_run, lo - 1);
    guint32 after = frame - r->frame;
    if (after > RUN_SPAN || (after > 0 && !(r->later & (1u << (after - 1)))))
        return FALSE;
    out->conv_index = r->conv;
    out->conv = g_ptr_array_index(cap->conversations, r->conv);
    out->hs = g_ptr_array_index(out->conv->handshakes, r->hs);
    return TRUE;
}

const GPtrArray *apg_capture_conversations(const apg_capture *cap)
{
    return cap->conversations;
}

apg_verdict apg_capture_evaluate(const apg_capture *cap, const apg_handshake *hs,
                                 gboolean whole_capture)
{
    return apg_evaluate_at(hs, whole_capture, cap->end_us);
}

/* The key type of the server's leaf; a server sends the same leaf again and
 * again (certificates are interned: one pointer each), so only a new one is
 * looked up. */
static guint leaf_key_type(apg_capture *cap, apg_server_profile *p, const apg_handshake *hs)
{
    if (!hs->server_certs->len || hs->server_certs->pdata[0] == p->last_leaf)
        return 0;
    p->last_leaf = hs->server_certs->pdata[0];
    const apg_cert *leaf = apg_cert_cache_get(cap->cert_cache, hs->server_certs->pdata[0]);
    return leaf && !leaf->malformed ? apg_key_type_of(leaf->key_algorithm) : 0;
}

/* Single pass learns each server from the handshakes established so far;
 * visited passes see what the whole capture taught. */
void apg_capture_learn(apg_capture *cap, const apg_conversation *conv, apg_handshake *hs,
                       const apg_verdict *v)
{
    /* without the ClientHello the name asked for is not known */
    if (hs->profiled || v->outcome != APG_OUTCOME_ESTABLISHED || !hs->saw_start)
        return;
    hs->profiled = TRUE;
    profile_key key = profile_key_of(conv, hs);
    apg_server_profile *p = g_hash_table_lookup(cap->profiles, &key);
    if (!p) {
        p = apg_profile_new();
        profile_key *stored = g_memdup2(&key, sizeof key);
        stored->sni = g_strdup(key.sni);
        g_hash_table_insert(cap->profiles, stored, p);
    }
    apg_profile_learn(p, hs, leaf_key_type(cap, p, hs));
}

gboolean apg_capture_verdict_here(const apg_verdict *v, apg_handshake *hs, guint32 frame,
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

/* The name the leaf must carry: the SNI, else what the user says the
 * server is called. */
static const char *name_to_check(const apg_capture *cap, const apg_handshake *hs,
                                 const apg_endpoint *server)
{
    return hs->offer.sni ? hs->offer.sni : apg_config_expected_host(cap->config, server);
}

/* Each certificate as sent, for display: the checks stop at a malformed one. */
static guint parse_sent(apg_capture *cap, GPtrArray *ders, const apg_cert **out)
{
    guint n = 0;
    for (; ders && n < ders->len && n < APG_MAX_CERTS; n++)
        out[n] = apg_cert_cache_get(cap->cert_cache, g_ptr_array_index(ders, n));
    return n;
}

/* Nothing of the checks is kept per handshake: the certificate cache keeps
 * what costs (parsing, signatures, host names), and the rest is a few
 * comparisons, redone when a verdict is drawn. */
void apg_capture_view(apg_capture *cap, const apg_conversation *conv, const apg_handshake *hs,
                      apg_view *out)
{
    const apg_config *cfg = cap->config;
    const apg_endpoint *client = apg_conv_endpoint(conv, hs, APG_ROLE_CLIENT);
    const apg_endpoint *server = apg_conv_endpoint(conv, hs, APG_ROLE_SERVER);
    memset(out, 0, sizeof *out);
    out->checked[0] =
        apg_chain_check(cap->cert_cache, hs->server_certs, name_to_check(cap, hs, server),
                        hs->server_cert_time, cfg->truststore, cfg->expiry_warning_days);
    out->checked[1] = apg_chain_check(cap->cert_cache, hs->client_certs, NULL, hs->client_cert_time,
                                      cfg->truststore, 0);
    out->chain = &out->checked[0];
    out->client_chain = &out->checked[1];
    out->ca_match = apg_ca_names_match(cap->cert_cache, hs->ca_names, hs->client_certs);
    out->direction = apg_direction_of(&cfg->roles, client, server);
}

/* What the server did for the same name; for a handshake whose ClientHello
 * is not in the capture, the name is not known: none. */
static const apg_server_profile *profile_of(const apg_capture *cap, const apg_conversation *conv,
                                            const apg_handshake *hs)
{
    profile_key key = profile_key_of(conv, hs);
    return hs->saw_start ? g_hash_table_lookup(cap->profiles, &key) : NULL;
}

void apg_capture_diagnose(apg_capture *cap, const apg_conversation *conv, const apg_handshake *hs,
                          apg_verdict *v, apg_view *out)
{
    const apg_endpoint *server = apg_conv_endpoint(conv, hs, APG_ROLE_SERVER);
    const GArray *suites = apg_config_server_suites(cap->config, server);
    apg_capture_view(cap, conv, hs, out);
    apg_context ctx = {
        .direction = out->direction,
        .profile = profile_of(cap, conv, hs),
        .server_suites = suites ? (const guint16 *)(const void *)suites->data : NULL,
        .n_server_suites = suites ? suites->len : 0,
        .suite_name = cap->config->suite_name,
        .group_name = cap->config->group_name,
        .chain = out->chain,
        .client_chain = out->client_chain,
        .ca_match = &out->ca_match,
        .proxy_target = conv->proxy.target,
    };
    out->d = apg_diagnose(hs, v, &ctx);
    if (out->d.abandoned) /* a call the client abandoned over its certificate failed */
        apg_verdict_abandoned(v);
    if (cap->config->apigee) {
        apg_advice_in in = {.hs = hs,
                            .verdict = v,
                            .d = &out->d,
                            .ctx = &ctx,
                            .sni = hs->offer.sni,
                            .server = server};
        apg_apigee_advise(cap->config->apigee, &in, &out->advice);
    }
}

void apg_view_clear(apg_view *view)
{
    apg_diagnosis_clear(&view->d);
    apg_chain_report_clear(&view->checked[0]);
    apg_chain_report_clear(&view->checked[1]);
    apg_apigee_advice_clear(&view->advice);
}

const char *apg_view_remedy(const apg_view *view)
{
    return view->advice.remedy ? view->advice.remedy : view->d.remedy;
}

/* Single pass learns of the whole capture only at its end: until then a
 * frame shows the outcome only where it is decided. */
gboolean apg_capture_report(apg_capture *cap, const apg_frame_in *in,
                            const apg_frame_ref *first_pass, gboolean drawn, apg_report *out)
{
    apg_frame_ref ref = {0};
    gboolean visited = first_pass == NULL;
    if (!visited) {
        apg_capture_note_time(cap, in->time_us);
        ref = *first_pass;
        apg_capture_index_frame(cap, in->frame, &ref);
    }
    if (visited ? !apg_capture_lookup_frame(cap, in->frame, &ref) : !ref.hs)
        return FALSE;
    memset(out, 0, sizeof *out);
    out->conv = ref.conv;
    out->hs = ref.hs;
    out->verdict = apg_capture_evaluate(cap, ref.hs, visited);
    if (!visited)
        apg_capture_learn(cap, ref.conv, ref.hs, &out->verdict);
    out->here = apg_capture_verdict_here(&out->verdict, ref.hs, in->frame, visited);
    out->shows_outcome = visited || out->here;
    out->filled = out->here || drawn;
    out->config_problems = cap->config->problems;
    out->missing_fields = cap->missing_fields;
    out->apigee = cap->config->apigee;
    if (out->filled && out->shows_outcome) /* frames before the verdict need no diagnosis */
        apg_capture_diagnose(cap, ref.conv, ref.hs, &out->verdict, &out->view);
    else if (out->filled)
        apg_capture_view(cap, ref.conv, ref.hs, &out->view);
    if (drawn) { /* only a tree shows each certificate */
        out->view.n_server_certs = parse_sent(cap, ref.hs->server_certs, out->view.server_certs);
        out->view.n_client_certs = parse_sent(cap, ref.hs->client_certs, out->view.client_certs);
    }
    return TRUE;
}

void apg_capture_settled(apg_capture *cap, const apg_conversation *conv, const apg_handshake *hs,
                         apg_report *out)
{
    memset(out, 0, sizeof *out);
    out->conv = conv;
    out->hs = hs;
    out->verdict = apg_capture_evaluate(cap, hs, TRUE);
    out->shows_outcome = out->filled = TRUE;
    out->config_problems = cap->config->problems;
    out->missing_fields = cap->missing_fields;
    out->apigee = cap->config->apigee;
    apg_capture_diagnose(cap, conv, hs, &out->verdict, &out->view);
}

void apg_report_clear(apg_report *r)
{
    if (r->filled)
        apg_view_clear(&r->view);
    r->filled = FALSE;
}
