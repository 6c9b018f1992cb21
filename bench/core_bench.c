/* core_bench.c - the core's micro-benchmark: what the first pass costs
 * without Wireshark (events a second, handshakes a second) and the state a
 * handshake leaves (heap bytes in use per handshake), on a stream of
 * synthetic events shaped like the bench capture's: 85% established TLS 1.2
 * handshakes, 10% version refusals, 5% cipher refusals, one TCP stream each,
 * every server sending the same chain.
 *
 *   apg_core_bench [HANDSHAKES] [PEM]     defaults: 100000, captures/pki/lab-root.pem
 *
 * It also checks what it measures: every handshake must get the outcome it
 * was built for, or it exits 1.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <gnutls/gnutls.h>

#include "apg_capture.h"

typedef enum { SHAPE_ESTABLISHED, SHAPE_VERSION_REFUSED, SHAPE_CIPHER_REFUSED } shape;

typedef struct {
    apg_capture *cap;
    guint32 frame;
    gint64 now_us;
    guint64 events;
    apg_frame_in in;
    apg_frame_ref ref;
    guint outcomes[APG_OUTCOME_INCOMPLETE + 1];
} run_state;

static shape shape_of(guint i)
{
    guint k = i % 20;
    return k < 2 ? SHAPE_VERSION_REFUSED : k < 3 ? SHAPE_CIPHER_REFUSED : SHAPE_ESTABLISHED;
}

static apg_endpoint ipv4(guint32 addr, guint16 port)
{
    apg_endpoint ep = {.family = 4, .len = 4, .port = port};
    ep.addr[0] = addr >> 24, ep.addr[1] = addr >> 16, ep.addr[2] = addr >> 8, ep.addr[3] = addr;
    return ep;
}

/* What the glue does after a frame's events when nothing is drawn (tshark
 * -T fields, -z): ask for the frame's report; the frame that carries a
 * verdict gets its diagnosis. */
static void end_frame(run_state *r)
{
    apg_report rep;
    if (!apg_capture_report(r->cap, &r->in, &r->ref, FALSE, &rep))
        return;
    if (rep.here)
        r->outcomes[rep.verdict.outcome]++;
    apg_report_clear(&rep);
}

/* Starts a frame from one side of the current stream. */
static void begin_frame(run_state *r, const apg_endpoint *src, const apg_endpoint *dst)
{
    r->frame++;
    r->now_us += 200;
    r->in = (apg_frame_in){
        .frame = r->frame, .time_us = r->now_us, .stream = r->in.stream, .src = *src, .dst = *dst};
    memset(&r->ref, 0, sizeof r->ref);
}

static void event(run_state *r, apg_event ev)
{
    ev.frame = r->frame;
    if (!ev.record_version && ev.kind < APG_EV_TCP_FIN)
        ev.record_version = APG_TLS12;
    if (!ev.record_length && ev.kind < APG_EV_TCP_FIN)
        ev.record_length = 100;
    r->events++;
    apg_capture_observe(r->cap, &r->in, &ev, &r->ref);
}

static void ack(run_state *r, const apg_endpoint *src, const apg_endpoint *dst)
{
    begin_frame(r, src, dst);
    event(r, (apg_event){.kind = APG_EV_TCP_SEGMENT});
    end_frame(r);
}

static void handshake(run_state *r, guint i, const apg_client_hello *offers, GBytes *cert)
{
    apg_endpoint c = ipv4(0x0a000000u + (i & 0xffffff), (guint16)(40000 + i % 20000));
    apg_endpoint s = ipv4(0x0ac80001u, 443);
    shape sh = shape_of(i);
    r->in.stream = i;
    ack(r, &c, &s); /* SYN, SYN-ACK, ACK: no TLS yet */
    ack(r, &s, &c);
    ack(r, &c, &s);
    begin_frame(r, &c, &s);
    event(r, (apg_event){.kind = APG_EV_CLIENT_HELLO, .u.client_hello = &offers[i % 3]});
    end_frame(r);
    ack(r, &s, &c);
    begin_frame(r, &s, &c);
    if (sh != SHAPE_ESTABLISHED) {
        guint8 desc = sh == SHAPE_VERSION_REFUSED ? 70 : 40;
        event(r, (apg_event){.kind = APG_EV_ALERT, .u.alert = {.level = 2, .desc = desc}});
        end_frame(r);
        begin_frame(r, &s, &c);
        event(r, (apg_event){.kind = APG_EV_TCP_FIN});
        end_frame(r);
        ack(r, &c, &s);
        return;
    }
    event(r, (apg_event){.kind = APG_EV_SERVER_HELLO,
                         .u.server_hello = {.legacy_version = APG_TLS12, .suite = 0xc02f}});
    apg_event certs = {.kind = APG_EV_CERTIFICATE, .u.certificate.count = 1};
    certs.u.certificate.der[0] = cert;
    event(r, certs);
    event(r, (apg_event){.kind = APG_EV_OTHER_HANDSHAKE, .handshake_type = 12});
    event(r, (apg_event){.kind = APG_EV_SERVER_HELLO_DONE});
    end_frame(r);
    ack(r, &c, &s);
    begin_frame(r, &c, &s);
    event(r, (apg_event){.kind = APG_EV_OTHER_HANDSHAKE, .handshake_type = 16});
    event(r, (apg_event){.kind = APG_EV_CHANGE_CIPHER_SPEC});
    event(r, (apg_event){.kind = APG_EV_ENCRYPTED_HANDSHAKE});
    end_frame(r);
    begin_frame(r, &s, &c);
    event(r, (apg_event){.kind = APG_EV_CHANGE_CIPHER_SPEC});
    event(r, (apg_event){.kind = APG_EV_ENCRYPTED_HANDSHAKE});
    end_frame(r);
    begin_frame(r, &c, &s);
    event(r, (apg_event){.kind = APG_EV_ENCRYPTED_RECORD});
    end_frame(r);
    begin_frame(r, &s, &c);
    event(r, (apg_event){.kind = APG_EV_ENCRYPTED_RECORD});
    end_frame(r);
    begin_frame(r, &c, &s);
    event(r, (apg_event){.kind = APG_EV_TCP_FIN});
    end_frame(r);
    begin_frame(r, &s, &c);
    event(r, (apg_event){.kind = APG_EV_TCP_FIN});
    end_frame(r);
    ack(r, &c, &s);
}

/* Three ClientHellos, as three client libraries send them. */
static void make_offers(apg_client_hello offers[3])
{
    static const guint16 suites[] = {0x1302, 0x1303, 0x1301, 0xc02c, 0xc030, 0x009f, 0xcca9,
                                     0xcca8, 0xccaa, 0xc02b, 0xc02f, 0x009e, 0xc024, 0xc028,
                                     0x006b, 0xc023, 0xc027, 0x0067, 0xc00a, 0xc014, 0x0039};
    static const guint16 exts[] = {0, 11, 10, 35, 22, 23, 13, 43, 45, 51};
    for (guint k = 0; k < 3; k++) {
        apg_client_hello *ch = &offers[k];
        memset(ch, 0, sizeof *ch);
        ch->legacy_version = APG_TLS12;
        ch->versions[ch->n_versions++] = APG_TLS12;
        for (guint i = 0; i + k < G_N_ELEMENTS(suites); i++)
            ch->suites[ch->n_suites++] = suites[i + k];
        for (guint i = 0; i < G_N_ELEMENTS(exts); i++)
            ch->extensions[ch->n_extensions++] = exts[i];
        ch->has_sni = TRUE;
        g_snprintf(ch->sni, sizeof ch->sni, "api%u.example.com", k);
    }
}

static GBytes *read_der(const char *pem_path)
{
    gchar *text = NULL;
    gsize len = 0;
    if (!g_file_get_contents(pem_path, &text, &len, NULL))
        return NULL;
    gnutls_datum_t pem = {(unsigned char *)text, (unsigned)len}, der = {NULL, 0};
    GBytes *out = NULL;
    if (gnutls_pem_base64_decode2("CERTIFICATE", &pem, &der) == 0)
        out = g_bytes_new(der.data, der.size);
    gnutls_free(der.data);
    g_free(text);
    return out;
}

static double cpu_seconds(void)
{
    return (double)clock() / CLOCKS_PER_SEC;
}

static size_t heap_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

int main(int argc, char **argv)
{
    guint n = argc > 1 ? (guint)g_ascii_strtoull(argv[1], NULL, 10) : 100000;
    const char *pem = argc > 2 ? argv[2] : APG_SOURCE_DIR "/captures/pki/lab-root.pem";
    GBytes *cert = read_der(pem);
    if (!n || !cert) {
        fprintf(stderr, "usage: %s [HANDSHAKES > 0] [PEM with a certificate]\n", argv[0]);
        return 2;
    }
    apg_config config;
    apg_config_init(&config);
    apg_client_hello *offers = g_new0(apg_client_hello, 3);
    make_offers(offers);
    run_state r = {0};

    size_t heap_before = heap_in_use();
    double t0 = cpu_seconds();
    r.cap = apg_capture_new(&config, NULL);
    for (guint i = 0; i < n; i++)
        handshake(&r, i, offers, cert);
    double t1 = cpu_seconds();
    size_t heap_after = heap_in_use();

    /* The -z table: every handshake diagnosed once more at the end. */
    guint rows = 0;
    const GPtrArray *convs = apg_capture_conversations(r.cap);
    for (guint c = 0; c < convs->len; c++) {
        const apg_conversation *conv = g_ptr_array_index(convs, c);
        for (guint h = 0; h < conv->handshakes->len; h++) {
            const apg_handshake *hs = g_ptr_array_index(conv->handshakes, h);
            apg_verdict v = apg_capture_evaluate(r.cap, hs, TRUE);
            apg_view view;
            apg_capture_diagnose(r.cap, conv, hs, &v, &view);
            rows++;
            apg_view_clear(&view);
        }
    }
    double t2 = cpu_seconds();

    guint want_failed = 0;
    for (guint i = 0; i < n; i++)
        want_failed += shape_of(i) != SHAPE_ESTABLISHED;
    printf("core micro-benchmark: %u handshakes, %" G_GUINT64_FORMAT " events, %u frames\n", n,
           r.events, r.frame);
    printf("first pass: %.2f s CPU, %.2f M events/s, %.0f k handshakes/s\n", t1 - t0,
           r.events / (t1 - t0) / 1e6, n / (t1 - t0) / 1e3);
    printf("state: %.0f bytes a handshake (heap in use after the first pass, over handshakes)\n",
           (double)(heap_after - heap_before) / n);
    printf("table: %.2f s CPU, %.0f k handshakes/s diagnosed once more\n", t2 - t1,
           rows / (t2 - t1) / 1e3);
    int rc = 0;
    if (r.outcomes[APG_OUTCOME_ESTABLISHED] != n - want_failed ||
        r.outcomes[APG_OUTCOME_FAILED] != want_failed || rows != n) {
        fprintf(stderr, "wrong outcomes: %u established (want %u), %u failed (want %u), %u rows\n",
                r.outcomes[APG_OUTCOME_ESTABLISHED], n - want_failed,
                r.outcomes[APG_OUTCOME_FAILED], want_failed, rows);
        rc = 1;
    }
    apg_capture_free(r.cap);
    apg_config_clear(&config);
    g_free(offers);
    g_bytes_unref(cert);
    return rc;
}
