/* fuzz_events.c - libFuzzer harness: arbitrary event sequences into the
 * capture state, the tracker, the verdicts and the diagnosis.
 *
 * The input is read as records: a kind byte, then the bytes that kind needs
 * (see next_event). Short input ends the sequence. Every handshake is then
 * judged mid-capture and at its end, diagnosed and its ladder written, the
 * way the plugin's passes do.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "apg_capture.h"
#include "apg_text.h"

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

typedef struct {
    const guint8 *p, *end;
} reader;

static gboolean take(reader *r, void *out, gsize n)
{
    if ((gsize)(r->end - r->p) < n)
        return FALSE;
    memcpy(out, r->p, n);
    r->p += n;
    return TRUE;
}

static guint16 u16(reader *r)
{
    guint8 b[2] = {0, 0};
    take(r, b, 2);
    return (guint16)(b[0] << 8 | b[1]);
}

static guint8 u8(reader *r)
{
    guint8 b = 0;
    take(r, &b, 1);
    return b;
}

/* A count from the input, at most what the glue ever hands over (a
 * function: MIN() would read the input twice). */
static guint bounded(guint n, guint max)
{
    return n < max ? n : max;
}

/* kind, flags (bit 0 sender, bit 1 next frame, bits 2-4 stream), record
 * version, record length, then per kind: ClientHello lists and name; a
 * ServerHello; an alert; certificates as length-prefixed blobs. */
/* Up to 4 length-prefixed blobs (certificates, CA names) into ders. */
static guint read_blobs(reader *r, GBytes **ders)
{
    guint n = bounded(u8(r), 4);
    for (guint i = 0; i < n; i++) {
        guint16 len = u16(r);
        len = (guint16)MIN((gsize)len, (gsize)(r->end - r->p));
        ders[i] = g_bytes_new(r->p, len);
        r->p += len;
    }
    return n;
}

/* The ClientHello's extension lists and ALPN text, arbitrary. */
static void read_extensions(reader *r, apg_client_hello *ch)
{
    ch->n_groups = bounded(u8(r), APG_MAX_GROUPS);
    for (guint i = 0; i < ch->n_groups; i++)
        ch->groups[i] = u16(r);
    ch->n_key_shares = bounded(u8(r), APG_MAX_KEY_SHARES);
    for (guint i = 0; i < ch->n_key_shares; i++)
        ch->key_shares[i] = u16(r);
    ch->n_sig_algs = bounded(u8(r), APG_MAX_SIG_ALGS);
    for (guint i = 0; i < ch->n_sig_algs; i++)
        ch->sig_algs[i] = u16(r);
    guint8 alpn_len = u8(r);
    ch->has_alpn = alpn_len > 0;
    take(r, ch->alpn, MIN(alpn_len, APG_MAX_ALPN_LEN));
    ch->alpn[APG_MAX_ALPN_LEN] = '\0';
}

static gboolean next_event(reader *r, apg_event *ev, apg_client_hello *ch, GBytes **ders,
                           guint *stream, gboolean *from_client)
{
    static char text[APG_MAX_PROXY_TARGET + 1]; /* a target or a protocol, NUL-ended */
    memset(text, 0, sizeof text);
    guint8 kind;
    if (!take(r, &kind, 1))
        return FALSE;
    guint8 flags = u8(r);
    memset(ev, 0, sizeof *ev);
    ev->kind = kind % APG_EV_COUNT;
    *from_client = !(flags & 1);
    *stream = (flags >> 2) & 7;
    ev->record_version = u16(r);
    ev->record_length = u16(r);
    ev->handshake_type = u8(r);
    switch (ev->kind) {
    case APG_EV_CLIENT_HELLO: {
        memset(ch, 0, sizeof *ch);
        ch->legacy_version = u16(r);
        ch->n_versions = bounded(u8(r), APG_MAX_VERSIONS);
        for (guint i = 0; i < ch->n_versions; i++)
            ch->versions[i] = u16(r);
        ch->n_suites = bounded(u16(r), APG_MAX_SUITES);
        for (guint i = 0; i < ch->n_suites; i++)
            ch->suites[i] = u16(r);
        ch->n_extensions = bounded(u8(r), APG_MAX_EXTENSIONS);
        for (guint i = 0; i < ch->n_extensions; i++)
            ch->extensions[i] = u16(r);
        guint8 sni_len = u8(r);
        ch->has_sni = sni_len > 0;
        take(r, ch->sni, MIN(sni_len, APG_MAX_SNI_LEN)); /* arbitrary bytes, not UTF-8 */
        ch->sni[APG_MAX_SNI_LEN] = '\0';
        read_extensions(r, ch);
        ev->u.client_hello = ch;
        break;
    }
    case APG_EV_PROXY_CONNECT:
        take(r, text, MIN(u8(r), sizeof text - 1)); /* arbitrary bytes */
        ev->u.proxy.target = text;
        break;
    case APG_EV_PROXY_RESPONSE: ev->u.proxy.status = u16(r); break;
    case APG_EV_CERT_REQUEST:
        ev->u.cert_request.count = read_blobs(r, ders);
        for (guint i = 0; i < ev->u.cert_request.count; i++)
            ev->u.cert_request.name[i] = ders[i];
        break;
    case APG_EV_SERVER_HELLO:
        ev->u.server_hello.is_hrr = u8(r) & 1;
        ev->u.server_hello.legacy_version = u16(r);
        ev->u.server_hello.selected_version = u16(r);
        ev->u.server_hello.suite = u16(r);
        ev->u.server_hello.group = u16(r);
        take(r, text, MIN(u8(r), sizeof text - 1));
        ev->alpn = text[0] ? text : NULL;
        break;
    case APG_EV_ALERT:
        ev->u.alert.level = u8(r);
        ev->u.alert.desc = u8(r);
        ev->u.alert.encrypted = u8(r) & 1;
        break;
    case APG_EV_OTHER_HANDSHAKE:
        ev->dh_bits = u16(r);
        ev->named_curve = u16(r);
        break;
    case APG_EV_TCP_PAYLOAD: ev->u.payload.looks_tls = u8(r) & 1; break;
    case APG_EV_TCP_SEGMENT:
        ev->u.tcp.out_of_order = u8(r) & 1;
        ev->u.tcp.acks_unseen = u8(r) & 1;
        break;
    case APG_EV_CERTIFICATE:
        ev->u.certificate.count = read_blobs(r, ders);
        for (guint i = 0; i < ev->u.certificate.count; i++)
            ev->u.certificate.der[i] = ders[i];
        break;
    default: break;
    }
    return TRUE;
}

static void judge_all(apg_capture *cap, gboolean at_end)
{
    const GPtrArray *convs = apg_capture_conversations(cap);
    for (guint c = 0; c < convs->len; c++) {
        const apg_conversation *conv = g_ptr_array_index(convs, c);
        for (guint h = 0; h < conv->handshakes->len; h++) {
            apg_handshake *hs = g_ptr_array_index(conv->handshakes, h);
            apg_verdict v = apg_capture_evaluate(cap, hs, at_end);
            apg_capture_learn(cap, conv, hs, &v);
            apg_view view;
            apg_capture_diagnose(cap, conv, hs, &v, &view);
            g_assert(g_utf8_validate(view.d.summary, -1, NULL));
            apg_view_clear(&view);
            char *ladder = apg_ladder_text(hs);
            g_free(ladder);
        }
    }
}

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
    static apg_config config;
    static apg_client_hello ch;
    if (!config.problems) {
        apg_config_init(&config);
        apg_config_set_server_suites(&config, "0xc02f,0x1301");
    }
    apg_capture *cap = apg_capture_new(&config, NULL);
    reader r = {data, data + size};
    apg_event ev;
    GBytes *ders[APG_MAX_CERTS] = {0};
    guint32 frame = 1, stream = 0;
    gboolean from_client = TRUE;
    apg_frame_ref ref = {0};
    while (next_event(&r, &ev, &ch, ders, &stream, &from_client)) {
        gboolean new_frame = TRUE; /* one event a frame keeps the index simple */
        apg_frame_in in = {.frame = frame, .time_us = (gint64)frame * 1000, .stream = stream};
        in.src = (apg_endpoint){.family = 4,
                                .len = 4,
                                .port = from_client ? 40000 : 443,
                                .addr = {10, 0, 0, from_client ? 1 : 2}};
        in.dst = (apg_endpoint){.family = 4,
                                .len = 4,
                                .port = from_client ? 443 : 40000,
                                .addr = {10, 0, 0, from_client ? 2 : 1}};
        ev.frame = frame;
        memset(&ref, 0, sizeof ref);
        apg_capture_observe(cap, &in, &ev, &ref);
        for (guint i = 0; i < APG_MAX_CERTS; i++)
            if (ders[i]) {
                g_bytes_unref(ders[i]);
                ders[i] = NULL;
            }
        apg_report rep; /* as the glue asks, with nothing drawn */
        if (apg_capture_report(cap, &in, &ref, FALSE, &rep))
            apg_report_clear(&rep);
        frame += new_frame;
    }
    judge_all(cap, FALSE);
    judge_all(cap, TRUE);
    for (guint32 f = 0; f <= frame; f++) { /* a later pass, drawn */
        apg_frame_in again = {.frame = f};
        apg_report rep;
        if (apg_capture_report(cap, &again, NULL, f % 2, &rep))
            apg_report_clear(&rep);
    }
    apg_capture_free(cap);
    return 0;
}
