/* apg_tracker.c - sorts a conversation's events into handshakes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_handshake.h"
#include "apg_text.h"

#include <string.h>

/* Most handshakes send no alert and no client certificate: until one comes,
 * they share these empty arrays (never written) instead of two of their own. */
static GArray *no_alerts;
static GPtrArray *no_certs;

static void shared_empties_init(void)
{
    static gsize done;
    if (g_once_init_enter(&done)) {
        no_alerts = g_array_new(FALSE, TRUE, sizeof(apg_alert_seen));
        no_certs = g_ptr_array_new();
        g_once_init_leave(&done, 1);
    }
}

/* Identical chains are stored once: a server sends the same chain in every
 * handshake. Chains are compared by their certificates' identity (the
 * capture keeps one GBytes per distinct certificate), so two copies of one
 * certificate that were not interned are merely not shared. */
static GHashTable *shared_chains; /* GPtrArray* of GBytes* -> how many handshakes hold it */

static guint chain_hash(gconstpointer p)
{
    const GPtrArray *a = p;
    guint h = a->len;
    for (guint i = 0; i < a->len; i++)
        h = h * 31 + g_direct_hash(a->pdata[i]);
    return h;
}

static gboolean chain_equal(gconstpointer pa, gconstpointer pb)
{
    const GPtrArray *a = pa, *b = pb;
    if (a->len != b->len)
        return FALSE;
    for (guint i = 0; i < a->len; i++)
        if (a->pdata[i] != b->pdata[i])
            return FALSE;
    return TRUE;
}

/* The chain a Certificate message carries, shared with every handshake that
 * got the same. */
static GPtrArray *chain_share(const apg_event *ev)
{
    GPtrArray *chain = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    for (guint i = 0; i < ev->u.certificate.count && i < APG_MAX_CERTS; i++) {
        GBytes *der = (GBytes *)ev->u.certificate.der[i];
        if (der)
            g_ptr_array_add(chain, g_bytes_ref(der));
    }
    if (!chain->len) {
        g_ptr_array_unref(chain);
        return no_certs;
    }
    if (!shared_chains)
        shared_chains = g_hash_table_new(chain_hash, chain_equal);
    gpointer known, holders;
    if (g_hash_table_lookup_extended(shared_chains, chain, &known, &holders)) {
        g_ptr_array_unref(chain);
        g_hash_table_insert(shared_chains, known, GUINT_TO_POINTER(GPOINTER_TO_UINT(holders) + 1));
        return known;
    }
    g_hash_table_insert(shared_chains, chain, GUINT_TO_POINTER(1));
    return chain;
}

static void chain_release(GPtrArray *chain)
{
    if (chain == no_certs)
        return;
    guint holders = GPOINTER_TO_UINT(g_hash_table_lookup(shared_chains, chain));
    if (holders > 1) {
        g_hash_table_insert(shared_chains, chain, GUINT_TO_POINTER(holders - 1));
        return;
    }
    g_hash_table_remove(shared_chains, chain);
    g_ptr_array_unref(chain);
}

static apg_handshake *handshake_new(guint index, int client_endpoint, gboolean saw_start)
{
    shared_empties_init();
    apg_handshake *hs = g_new0(apg_handshake, 1);
    hs->index = index;
    hs->client_endpoint = client_endpoint;
    hs->saw_start = saw_start;
    hs->server_certs = no_certs;
    hs->client_certs = no_certs;
    hs->alerts = no_alerts;
    return hs;
}

/* Identical offers are stored once: every client built on one TLS library
 * sends the same ClientHello, and a capture holds thousands of them. The
 * offer of a handshake points into a shared, reference-counted copy. */
typedef struct {
    guint refs;
    guint16 legacy_version;
    guint n_versions, n_suites, n_extensions;
    gboolean has_sni;
    gsize len;     /* of data */
    guint8 data[]; /* versions, suites, extensions (guint16 each), then the SNI, NUL-ended */
} shared_offer;

static GHashTable *shared_offers; /* shared_offer* (by content) -> itself */

static guint shared_offer_hash(gconstpointer p)
{
    const shared_offer *s = p;
    guint h = s->legacy_version ^ (s->n_suites << 16) ^ ((guint) !!s->has_sni << 31);
    for (gsize i = 0; i < s->len; i++)
        h = h * 31 + s->data[i];
    return h;
}

static gboolean shared_offer_equal(gconstpointer a, gconstpointer b)
{
    const shared_offer *x = a, *y = b;
    return x->legacy_version == y->legacy_version && x->n_versions == y->n_versions &&
           x->n_suites == y->n_suites && x->n_extensions == y->n_extensions &&
           x->has_sni == y->has_sni && x->len == y->len && memcmp(x->data, y->data, x->len) == 0;
}

static shared_offer *shared_offer_of(const apg_client_hello *ch)
{
    guint nv = MIN(ch->n_versions, APG_MAX_VERSIONS), ns = MIN(ch->n_suites, APG_MAX_SUITES),
          ne = MIN(ch->n_extensions, APG_MAX_EXTENSIONS);
    /* The name is stored valid and cut between characters: it goes into
     * strings a JSON reader must accept. */
    gsize sni_len = ch->has_sni ? strnlen(ch->sni, APG_MAX_SNI_LEN) : 0;
    const char *sni = ch->sni;
    char *repaired = NULL; /* only a name that is not valid UTF-8 costs a copy */
    if (sni_len && !g_utf8_validate(sni, (gssize)sni_len, NULL)) {
        sni = repaired = apg_utf8_bounded(ch->sni, sni_len, APG_MAX_SNI_LEN);
        sni_len = strlen(sni);
    }
    gsize len = (nv + ns + ne) * sizeof(guint16) + sni_len + 1;
    shared_offer *s = g_malloc0(sizeof(shared_offer) + len);
    *s = (shared_offer){1, ch->legacy_version, nv, ns, ne, ch->has_sni, len};
    guint8 *p = s->data;
    memcpy(p, ch->versions, nv * sizeof(guint16));
    memcpy(p += nv * sizeof(guint16), ch->suites, ns * sizeof(guint16));
    memcpy(p += ns * sizeof(guint16), ch->extensions, ne * sizeof(guint16));
    if (sni_len) /* memcpy from NULL is undefined even for 0 bytes */
        memcpy(p + ne * sizeof(guint16), sni, sni_len);
    g_free(repaired);
    if (!shared_offers)
        shared_offers = g_hash_table_new(shared_offer_hash, shared_offer_equal);
    shared_offer *known = g_hash_table_lookup(shared_offers, s);
    if (known) {
        g_free(s);
        known->refs++;
        return known;
    }
    g_hash_table_add(shared_offers, s);
    return s;
}

static void offer_set(apg_offer *o, const apg_client_hello *ch)
{
    shared_offer *s = shared_offer_of(ch);
    guint16 *v = (guint16 *)(void *)s->data;
    o->legacy_version = s->legacy_version;
    o->versions = v;
    o->n_versions = s->n_versions;
    o->suites = v + s->n_versions;
    o->n_suites = s->n_suites;
    o->extensions = o->suites + s->n_suites;
    o->n_extensions = s->n_extensions;
    o->sni = s->has_sni ? (char *)(o->extensions + s->n_extensions) : NULL;
}

static void offer_clear(apg_offer *o)
{
    if (!o->versions)
        return; /* no ClientHello */
    shared_offer *s =
        (shared_offer *)(void *)((guint8 *)o->versions - offsetof(shared_offer, data));
    if (--s->refs == 0) {
        g_hash_table_remove(shared_offers, s);
        g_free(s);
    }
    memset(o, 0, sizeof *o);
}

static void handshake_free(gpointer p)
{
    apg_handshake *hs = p;
    offer_clear(&hs->offer);
    chain_release(hs->server_certs);
    chain_release(hs->client_certs);
    if (hs->alerts != no_alerts)
        g_array_free(hs->alerts, TRUE);
    g_free(hs->ladder);
    g_free(hs);
}

apg_conversation *apg_conv_new(guint32 stream)
{
    apg_conversation *conv = g_new0(apg_conversation, 1);
    conv->stream = stream;
    conv->handshakes = g_ptr_array_new_with_free_func(handshake_free);
    return conv;
}

void apg_conv_free(apg_conversation *conv)
{
    if (!conv)
        return;
    g_ptr_array_free(conv->handshakes, TRUE);
    g_free(conv);
}

apg_handshake *apg_conv_current(const apg_conversation *conv)
{
    if (conv->handshakes->len == 0)
        return NULL;
    return g_ptr_array_index(conv->handshakes, conv->handshakes->len - 1);
}

apg_role apg_hs_role_of(const apg_handshake *hs, int endpoint)
{
    /* Without a ClientHello nor a server message, the TCP initiator is the
     * best guess of the client. */
    int client = hs->client_endpoint >= 0 ? hs->client_endpoint : 0;
    return endpoint == client ? APG_ROLE_CLIENT : APG_ROLE_SERVER;
}

const char *apg_conv_endpoint(const apg_conversation *conv, const apg_handshake *hs, apg_role role)
{
    int client = hs->client_endpoint >= 0 ? hs->client_endpoint : 0;
    return conv->endpoint_name[role == APG_ROLE_CLIENT ? client : 1 - client];
}

guint16 apg_version_normalize(guint16 v)
{
    if ((v >> 8) == 0x7f)
        return APG_TLS13; /* TLS 1.3 drafts: 0x7f00 + draft number */
    return v;
}

gboolean apg_version_is_draft(guint16 v)
{
    return (v >> 8) == 0x7f;
}

guint16 apg_hs_negotiated_version(const apg_handshake *hs)
{
    if (!hs->server_hello_frame) {
        if (hs->ssl2_server_frame)
            return APG_SSL2;
        return hs->hrr_frame ? APG_TLS13 : 0; /* only TLS 1.3 has HelloRetryRequest */
    }
    return apg_version_normalize(hs->sh.selected_version ? hs->sh.selected_version
                                                         : hs->sh.legacy_version);
}

guint16 apg_offer_highest_version(const apg_offer *offer)
{
    guint16 best = 0;
    for (guint i = 0; i < offer->n_versions; i++) {
        guint16 v = apg_version_normalize(offer->versions[i]);
        if (!apg_is_tls_version(v))
            continue;
        if (v > best)
            best = v;
    }
    return best ? best : apg_version_normalize(offer->legacy_version);
}

static gboolean server_has_answered(const apg_handshake *hs)
{
    return hs->server_first_record_frame != 0 || hs->non_tls_frame != 0;
}

/* Where a ClientHello goes: a retransmission or HRR retry stays in the
 * current handshake; anything else starts a new one. */
static apg_handshake *handshake_for_client_hello(apg_conversation *conv, const apg_event *ev,
                                                 gboolean *is_new)
{
    apg_handshake *cur = apg_conv_current(conv);
    *is_new = FALSE;
    if (cur && cur->client_hello_frame && cur->client_endpoint == ev->sender) {
        gboolean retry_after_hrr = cur->hrr_frame && !cur->server_hello_frame;
        if (retry_after_hrr)
            return cur;
        if (!server_has_answered(cur)) {
            cur->ch_retransmissions++;
            return cur;
        }
    }
    *is_new = TRUE;
    if (cur && !cur->superseded_frame)
        cur->superseded_frame = ev->frame;
    cur = handshake_new(conv->handshakes->len, ev->sender, TRUE);
    g_ptr_array_add(conv->handshakes, cur);
    return cur;
}

/* Only the server's first payload tells: later ones are fragments of
 * records the TLS dissector is still reassembling. */
static gboolean is_non_tls_answer(const apg_handshake *hs, const apg_event *ev, apg_role role)
{
    return ev->kind == APG_EV_TCP_PAYLOAD && role == APG_ROLE_SERVER &&
           !hs->server_first_record_frame && !hs->server_payload_seen && !ev->u.payload_looks_tls;
}

static gboolean ladder_wants(const apg_handshake *hs, const apg_event *ev, apg_role role)
{
    if (hs->n_steps >= APG_MAX_EVENTS_PER_HANDSHAKE)
        return FALSE;
    switch (ev->kind) {
    case APG_EV_ENCRYPTED_RECORD:
        /* Only the first opaque record of a side, and short ones that may
         * be alerts: a long session must not make a long ladder. */
        return hs->encrypted_frame[role] == 0 || ev->record_length == APG_TLS13_ENCRYPTED_ALERT_LEN;
    case APG_EV_TCP_PAYLOAD: return is_non_tls_answer(hs, ev, role);
    case APG_EV_TCP_FIN: return hs->fin_frame[role] == 0; /* not its retransmissions */
    case APG_EV_TCP_RST: return hs->rst_frame[role] == 0;
    case APG_EV_TCP_SEGMENT: return FALSE;
    default: return TRUE;
    }
}

static void add_step(apg_handshake *hs, const apg_event *ev, apg_role role)
{
    apg_step step = {.frame = ev->frame,
                     .role = role,
                     .kind = ev->kind,
                     .handshake_type = ev->handshake_type,
                     .record_length = ev->record_length};
    if (ev->kind == APG_EV_ALERT)
        step.alert = ev->u.alert;
    if (hs->n_steps == hs->steps_room) {
        /* 4, 6, 9, 13, 19...: measured smaller than doubling (core_bench) */
        guint room = MIN(MAX(4u, hs->steps_room + (hs->steps_room + 1u) / 2u),
                         (guint)APG_MAX_EVENTS_PER_HANDSHAKE);
        hs->ladder = g_renew(apg_step, hs->ladder, room);
        hs->steps_room = (guint16)room;
    }
    hs->ladder[hs->n_steps++] = step;
}

static void add_alert(apg_handshake *hs, const apg_event *ev, apg_role role, apg_alert_obs obs)
{
    if (hs->alerts->len >= APG_MAX_EVENTS_PER_HANDSHAKE)
        return;
    if (hs->alerts == no_alerts)
        hs->alerts = g_array_new(FALSE, TRUE, sizeof(apg_alert_seen));
    apg_alert_seen a = {.frame = ev->frame,
                        .sender = role,
                        .alert = obs,
                        .record_length = ev->record_length,
                        .record_version = ev->record_version};
    g_array_append_val(hs->alerts, a);
}

static void set_once(guint32 *slot, guint32 frame)
{
    if (*slot == 0)
        *slot = frame;
}

static void record_certificate(apg_handshake *hs, const apg_event *ev, apg_role role)
{
    if (role == APG_ROLE_CLIENT) {
        if (hs->client_cert_frame)
            return;
        hs->client_cert_frame = ev->frame;
        hs->client_cert_time = ev->time;
        hs->client_cert_count = ev->u.certificate.count;
        hs->client_certs = chain_share(ev);
        return;
    }
    if (hs->server_cert_frame)
        return;
    hs->server_cert_frame = ev->frame;
    hs->server_cert_time = ev->time;
    hs->server_certs = chain_share(ev);
}

static guint32 client_final_frame(const apg_handshake *hs);

/* TLS 1.3 without keys: a record that can only be an alert. A client's
 * short record after its Finished is its close_notify, not a refusal. */
static gboolean is_alert_record(const apg_handshake *hs, const apg_event *ev, apg_role role)
{
    if (apg_hs_negotiated_version(hs) != APG_TLS13)
        return FALSE;
    if (role == APG_ROLE_CLIENT)
        return ev->record_length == APG_TLS13_ENCRYPTED_ALERT_LEN &&
               !hs->encrypted_frame[APG_ROLE_CLIENT];
    guint32 final = client_final_frame(hs);
    if (final && ev->frame > final)
        return ev->record_length < APG_TLS13_MIN_TICKET_LEN;
    return ev->record_length == APG_TLS13_ENCRYPTED_ALERT_LEN;
}

/* The records of each side's encrypted flight: the server's until the
 * client's first encrypted record, the client's until the server answers. */
static void note_flight(apg_handshake *hs, const apg_event *ev, apg_role role)
{
    gboolean open = role == APG_ROLE_SERVER
                        ? !hs->encrypted_frame[APG_ROLE_CLIENT]
                        : !hs->server_after_client_final && !hs->short_server_frame;
    if (open && hs->n_flight[role] < G_N_ELEMENTS(hs->flight_len[role])) {
        hs->flight_len[role][hs->n_flight[role]++] = (guint16)MIN(ev->record_length, G_MAXUINT16);
        hs->flight_end_frame[role] = ev->frame;
    }
}

static void record_encrypted(apg_handshake *hs, const apg_event *ev, apg_role role)
{
    if (role == APG_ROLE_CLIENT && !hs->server_hello_frame && !hs->hrr_frame &&
        hs->client_hello_frame)
        return; /* 0-RTT early data: not the client's final flight */
    if (is_alert_record(hs, ev, role)) {
        apg_alert_obs obs = {.encrypted = TRUE};
        add_alert(hs, ev, role, obs);
        return;
    }
    gboolean tls13 = apg_hs_negotiated_version(hs) == APG_TLS13;
    if (tls13 && role == APG_ROLE_CLIENT && hs->encrypted_frame[role] &&
        ev->record_length == APG_TLS13_ENCRYPTED_ALERT_LEN) {
        set_once(&hs->client_short_after_final, ev->frame);
        return;
    }
    if (tls13)
        note_flight(hs, ev, role);
    if (!hs->encrypted_count[role]++)
        hs->first_encrypted_len[role] = ev->record_length;
    set_once(&hs->encrypted_frame[role], ev->frame);
}

/* The client's last handshake flight: its Finished when readable, else its
 * first encrypted record (TLS 1.3 without keys). */
static guint32 client_final_frame(const apg_handshake *hs)
{
    if (hs->finished_frame[APG_ROLE_CLIENT])
        return hs->finished_frame[APG_ROLE_CLIENT];
    return hs->encrypted_frame[APG_ROLE_CLIENT];
}

/* TLS 1.3: the server speaking after the client's final flight accepted it,
 * unless what it sent is alert-sized. A short record (a padded alert, or a
 * small ticket) counts only once something else follows it. */
static void note_server_acceptance(apg_handshake *hs, const apg_event *ev, apg_role role)
{
    guint32 final = client_final_frame(hs);
    if (!final || ev->frame <= final || hs->server_after_client_final)
        return;
    if (role == APG_ROLE_CLIENT) {
        /* The client going on after a short server record: it was no alert. */
        if (hs->short_server_frame && ev->kind == APG_EV_ENCRYPTED_RECORD)
            hs->server_after_client_final = hs->short_server_frame;
        return;
    }
    if (!ev->record_version || ev->kind == APG_EV_ALERT)
        return;
    gboolean opaque = ev->kind == APG_EV_ENCRYPTED_RECORD;
    if (opaque && is_alert_record(hs, ev, role))
        return;
    if (opaque && !hs->short_server_frame && ev->record_length <= APG_TLS13_SHORT_RECORD_LEN) {
        hs->short_server_frame = ev->frame;
        hs->short_server_len = ev->record_length;
        return;
    }
    hs->server_after_client_final = hs->short_server_frame ? hs->short_server_frame : ev->frame;
}

/* Roles are known once a ServerHello or a server-only message is seen. */
static void learn_roles(apg_handshake *hs, const apg_event *ev)
{
    if (hs->client_endpoint >= 0)
        return;
    switch (ev->kind) {
    case APG_EV_SERVER_HELLO:
    case APG_EV_CERT_REQUEST:
    case APG_EV_SERVER_HELLO_DONE: hs->client_endpoint = 1 - ev->sender; break;
    default: break;
    }
}

static void record_other_handshake(apg_handshake *hs, const apg_event *ev, apg_role role)
{
    if (role == APG_ROLE_CLIENT && ev->handshake_type == APG_HS_CLIENT_KEY_EXCHANGE)
        set_once(&hs->client_kx_frame, ev->frame);
    if (role == APG_ROLE_SERVER && ev->handshake_type == APG_HS_SERVER_KEY_EXCHANGE &&
        !hs->ske_frame) {
        hs->ske_frame = ev->frame;
        hs->dh_bits = ev->dh_bits;
    }
}

static void record_event(apg_handshake *hs, const apg_event *ev)
{
    learn_roles(hs, ev);
    apg_role role = apg_hs_role_of(hs, ev->sender);
    if (role == APG_ROLE_SERVER)
        hs->server_packet_seen = TRUE;
    note_server_acceptance(hs, ev, role);
    if (ladder_wants(hs, ev, role))
        add_step(hs, ev, role);
    if (role == APG_ROLE_SERVER && ev->record_version && !hs->server_first_record_frame) {
        hs->server_first_record_frame = ev->frame;
        hs->server_first_record_version = ev->record_version;
    }
    switch (ev->kind) {
    case APG_EV_CLIENT_HELLO:
        if (!hs->client_hello_frame) {
            hs->client_hello_frame = ev->frame;
            hs->client_hello_time_us = ev->time_us;
            offer_set(&hs->offer, ev->u.client_hello);
        }
        break;
    case APG_EV_SERVER_HELLO:
        if (ev->u.server_hello.is_hrr) {
            set_once(&hs->hrr_frame, ev->frame);
        } else if (!hs->server_hello_frame) {
            hs->server_hello_frame = ev->frame;
            hs->sh = ev->u.server_hello;
        }
        break;
    case APG_EV_CERTIFICATE: record_certificate(hs, ev, role); break;
    case APG_EV_CERT_REQUEST: set_once(&hs->cert_request_frame, ev->frame); break;
    case APG_EV_SERVER_HELLO_DONE: set_once(&hs->server_hello_done_frame, ev->frame); break;
    case APG_EV_FINISHED:
    case APG_EV_ENCRYPTED_HANDSHAKE: set_once(&hs->finished_frame[role], ev->frame); break;
    case APG_EV_CHANGE_CIPHER_SPEC: set_once(&hs->ccs_frame[role], ev->frame); break;
    case APG_EV_ALERT: add_alert(hs, ev, role, ev->u.alert); break;
    case APG_EV_ENCRYPTED_RECORD: record_encrypted(hs, ev, role); break;
    case APG_EV_TCP_FIN:
    case APG_EV_TCP_RST:
        set_once(ev->kind == APG_EV_TCP_FIN ? &hs->fin_frame[role] : &hs->rst_frame[role],
                 ev->frame);
        if (!hs->close_time_us)
            hs->close_time_us = ev->time_us;
        break;
    case APG_EV_TCP_PAYLOAD:
        if (is_non_tls_answer(hs, ev, role))
            hs->non_tls_frame = ev->frame;
        if (role == APG_ROLE_SERVER)
            hs->server_payload_seen = TRUE;
        break;
    case APG_EV_OTHER_HANDSHAKE: record_other_handshake(hs, ev, role); break;
    case APG_EV_TCP_SEGMENT:
        if (ev->u.tcp.acks_unseen && role == APG_ROLE_CLIENT)
            set_once(&hs->client_acks_unseen, ev->frame);
        if (ev->u.tcp.out_of_order)
            set_once(&hs->out_of_order_frame, ev->frame);
        break;
    case APG_EV_SSL2_MESSAGE:
        if (role == APG_ROLE_SERVER && ev->handshake_type == APG_SSL2_SERVER_HELLO)
            set_once(&hs->ssl2_server_frame, ev->frame);
        break;
    case APG_EV_COUNT: break;
    }
}

/* An encrypted handshake record is a Finished only after its sender's
 * ChangeCipherSpec; before, it is a fragment the TLS dissector reassembles. */
static gboolean is_unreadable_fragment(const apg_handshake *hs, const apg_event *ev)
{
    if (ev->kind != APG_EV_ENCRYPTED_HANDSHAKE)
        return FALSE;
    return hs->ccs_frame[apg_hs_role_of(hs, ev->sender)] == 0;
}

apg_handshake *apg_conv_observe(apg_conversation *conv, const apg_event *ev)
{
    apg_handshake *hs;
    gboolean is_new = FALSE;

    if (ev->kind == APG_EV_TCP_FIN)
        set_once(&conv->fin_frame[ev->sender & 1], ev->frame);
    if (ev->kind == APG_EV_TCP_RST)
        set_once(&conv->rst_frame[ev->sender & 1], ev->frame);

    if (ev->kind == APG_EV_TCP_SEGMENT) {
        /* Bookkeeping only: a pure ACK is no step of the handshake. */
        hs = apg_conv_current(conv);
        if (hs)
            record_event(hs, ev);
        return NULL;
    }
    if (ev->kind == APG_EV_CLIENT_HELLO) {
        hs = handshake_for_client_hello(conv, ev, &is_new);
        if (!is_new && hs->client_hello_frame && !hs->hrr_frame)
            return hs; /* a retransmission: nothing new to record */
    } else {
        hs = apg_conv_current(conv);
        if (!hs) {
            if (apg_event_is_tcp(ev->kind))
                return NULL;
            /* A handshake record nobody could read opens no handshake: at a
             * stream's start it is a fragment of a hello spread over several
             * records, which a later record completes and opens; if it was
             * encrypted (the capture missed the start), what follows opens
             * the handshake. */
            if (ev->kind == APG_EV_ENCRYPTED_HANDSHAKE)
                return NULL;
            /* TLS without a ClientHello: the capture missed the start. */
            hs = handshake_new(0, -1, FALSE);
            g_ptr_array_add(conv->handshakes, hs);
        }
    }
    if (is_unreadable_fragment(hs, ev))
        return hs;
    if (!hs->first_frame)
        hs->first_frame = ev->frame;
    hs->last_frame = MAX(hs->last_frame, ev->frame);
    hs->n_events++;
    record_event(hs, ev);
    return hs;
}
