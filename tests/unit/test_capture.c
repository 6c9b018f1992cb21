/* test_capture.c - unit tests of the capture state (conversations by stream,
 * senders, the frame index, verdict frames) and of the preferences' parsing
 * into the core's config. No Wireshark involved.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "apg_capture.h"
#include "apg_path_mtu.h"

static apg_endpoint ipv4(guint8 a, guint8 b, guint8 c, guint8 d, guint16 port)
{
    apg_endpoint ep = {.family = 4, .len = 4, .port = port, .addr = {a, b, c, d}};
    return ep;
}

typedef struct {
    apg_config config;
    apg_capture *cap;
    apg_client_hello ch;
} cfix;

static void csetup(cfix *f, gconstpointer data)
{
    (void)data;
    apg_config_init(&f->config);
    f->cap = apg_capture_new(&f->config, NULL);
    memset(&f->ch, 0, sizeof f->ch);
    f->ch.legacy_version = APG_TLS12;
    f->ch.suites[f->ch.n_suites++] = 0xc02f;
}

static void cteardown(cfix *f, gconstpointer data)
{
    (void)data;
    apg_capture_free(f->cap);
    apg_config_clear(&f->config);
}

/* One frame with one event; returns where it went. */
static apg_frame_ref frame(cfix *f, guint32 num, guint32 stream, apg_endpoint src, apg_endpoint dst,
                           apg_event_kind kind)
{
    apg_frame_in in = {
        .frame = num, .time_us = num * 1000, .stream = stream, .src = src, .dst = dst};
    apg_event ev = {.kind = kind, .frame = num, .record_version = APG_TLS12, .record_length = 90};
    if (kind == APG_EV_CLIENT_HELLO)
        ev.u.client_hello = &f->ch;
    if (kind == APG_EV_SERVER_HELLO)
        ev.u.server_hello.legacy_version = APG_TLS12;
    apg_frame_ref ref = {0};
    apg_capture_note_time(f->cap, in.time_us);
    apg_capture_observe(f->cap, &in, &ev, &ref);
    apg_capture_index_frame(f->cap, num, &ref);
    return ref;
}

static void test_streams_and_senders(cfix *f, gconstpointer data)
{
    (void)data;
    apg_endpoint c = ipv4(10, 0, 0, 1, 50000), s = ipv4(10, 0, 0, 2, 443);
    /* TCP before any TLS opens nothing */
    g_assert_null(frame(f, 1, 3, c, s, APG_EV_TCP_SEGMENT).conv);
    g_assert_cmpuint(apg_capture_conversations(f->cap)->len, ==, 0);
    apg_frame_ref ch = frame(f, 2, 3, c, s, APG_EV_CLIENT_HELLO);
    g_assert_nonnull(ch.hs);
    g_assert_true(apg_endpoint_equal(&ch.conv->endpoint[0], &c));
    g_assert_true(apg_endpoint_equal(&ch.conv->endpoint[1], &s));
    apg_frame_ref sh = frame(f, 3, 3, s, c, APG_EV_SERVER_HELLO);
    g_assert_true(sh.hs == ch.hs);
    g_assert_cmpuint(ch.hs->server_hello_frame, ==, 3);
    char *server = apg_endpoint_text(apg_conv_endpoint(ch.conv, ch.hs, APG_ROLE_SERVER));
    g_assert_cmpstr(server, ==, "10.0.0.2:443");
    g_free(server);
    /* another stream, same endpoints: its own conversation */
    apg_frame_ref other = frame(f, 4, 4, c, s, APG_EV_CLIENT_HELLO);
    g_assert_false(other.conv == ch.conv);
    g_assert_cmpuint(apg_capture_conversations(f->cap)->len, ==, 2);
    g_assert_cmpint(apg_capture_end_us(f->cap), ==, 4000);
}

/* Issue 11: a shuffled stream Wireshark did not reassemble shows its
 * out-of-order segments before any TLS; the handshake the server's alert then
 * opens must blame them, not "the capture starts after the ClientHello". */
static void test_out_of_order_before_tls(cfix *f, gconstpointer data)
{
    (void)data;
    apg_endpoint c = ipv4(10, 0, 0, 1, 50000), s = ipv4(10, 0, 0, 2, 443);
    apg_frame_in in = {.frame = 5, .time_us = 5000, .stream = 9, .src = c, .dst = s};
    apg_event ooo = {.kind = APG_EV_TCP_SEGMENT,
                     .frame = 5,
                     .tcp_seq = 1,
                     .tcp_len = 100, /* data: a flag on a segment without any hides nothing */
                     .u.tcp.out_of_order = TRUE};
    apg_frame_ref ref = {0};
    apg_capture_observe(f->cap, &in, &ooo, &ref);
    g_assert_null(ref.conv);
    apg_event alert = {.kind = APG_EV_ALERT,
                       .frame = 9,
                       .record_version = APG_TLS12,
                       .record_length = 2,
                       .u.alert = {.level = 2, .desc = 40}};
    in = (apg_frame_in){.frame = 9, .time_us = 9000, .stream = 9, .src = s, .dst = c};
    apg_capture_observe(f->cap, &in, &alert, &ref);
    g_assert_nonnull(ref.hs);
    g_assert_cmpuint(ref.hs->out_of_order_frame, ==, 5);
    apg_verdict v = apg_capture_evaluate(f->cap, ref.hs, TRUE);
    g_assert_cmpint(v.outcome, ==, APG_OUTCOME_INCOMPLETE);
    g_assert_cmpint(v.gap, ==, APG_GAP_OUT_OF_ORDER);
}

/* Issue 22: the same shuffled stream as Wireshark 4.6 marks it (the late
 * segments retransmissions, none out of order): read from the sequence
 * numbers, before any TLS. Another stream's retransmission (bytes seen
 * before) is no late arrival. */
static void segment(cfix *f, guint32 frame, guint32 stream, apg_endpoint src, apg_endpoint dst,
                    guint32 seq, guint32 len, gboolean resent)
{
    apg_frame_in in = {
        .frame = frame, .time_us = frame * 1000, .stream = stream, .src = src, .dst = dst};
    apg_event ev = {.kind = resent ? APG_EV_TCP_SEGMENT : APG_EV_TCP_PAYLOAD,
                    .frame = frame,
                    .tcp_seq = seq,
                    .tcp_len = len};
    ev.u.tcp.resent_data = resent;
    apg_frame_ref ref = {0};
    apg_capture_observe(f->cap, &in, &ev, &ref);
    g_assert_null(ref.conv);
}

static apg_handshake *server_alert(cfix *f, guint32 frame, guint32 stream, apg_endpoint s,
                                   apg_endpoint c)
{
    apg_event alert = {.kind = APG_EV_ALERT,
                       .frame = frame,
                       .record_version = APG_TLS12,
                       .record_length = 2,
                       .u.alert = {.level = 2, .desc = 40}};
    apg_frame_in in = {
        .frame = frame, .time_us = frame * 1000, .stream = stream, .src = s, .dst = c};
    apg_frame_ref ref = {0};
    apg_capture_observe(f->cap, &in, &alert, &ref);
    g_assert_nonnull(ref.hs);
    return ref.hs;
}

static void test_late_segments_before_tls(cfix *f, gconstpointer data)
{
    (void)data;
    apg_endpoint c = ipv4(10, 0, 0, 1, 50000), s = ipv4(10, 0, 0, 2, 443);
    segment(f, 3, 9, c, s, 1, 0, FALSE);   /* the client's ACK of the SYN-ACK */
    segment(f, 4, 9, c, s, 81, 40, FALSE); /* the ClientHello's last part first */
    segment(f, 5, 9, c, s, 41, 40, TRUE);  /* 4.6: "retransmission" */
    segment(f, 6, 9, c, s, 1, 40, TRUE);
    apg_handshake *hs = server_alert(f, 9, 9, s, c);
    g_assert_cmpuint(hs->out_of_order_frame, ==, 5);
    apg_verdict v = apg_capture_evaluate(f->cap, hs, TRUE);
    g_assert_cmpint(v.gap, ==, APG_GAP_OUT_OF_ORDER);

    apg_endpoint c2 = ipv4(10, 0, 0, 3, 50001);
    segment(f, 10, 11, c2, s, 1, 40, FALSE);
    segment(f, 11, 11, c2, s, 1, 40, TRUE); /* resent: its bytes were seen */
    segment(f, 12, 11, c2, s, 41, 40, FALSE);
    hs = server_alert(f, 13, 11, s, c2);
    g_assert_cmpuint(hs->out_of_order_frame, ==, 0);
}

/* One TCP event of stream 9 flagged tcp.analysis.out_of_order. */
static apg_frame_ref flagged(cfix *f, guint32 frame, apg_endpoint src, apg_endpoint dst,
                             guint32 seq, guint32 len)
{
    apg_frame_in in = {
        .frame = frame, .time_us = frame * 1000, .stream = 9, .src = src, .dst = dst};
    apg_event ev = {.kind = APG_EV_TCP_SEGMENT, .frame = frame, .tcp_seq = seq, .tcp_len = len};
    ev.u.tcp.out_of_order = TRUE;
    apg_frame_ref ref = {0};
    apg_capture_observe(f->cap, &in, &ev, &ref);
    return ref;
}

/* The bytes a stream showed before its first TLS are the handshake's: the
 * ClientHello's first segment (frame 12) resent and flagged out of order
 * (frame 15) hides nothing; nor does a SYN-ACK sent again and flagged (4.4
 * and 4.6), which carries no data. */
static void test_resend_of_bytes_before_tls(cfix *f, gconstpointer data)
{
    (void)data;
    apg_endpoint c = ipv4(10, 0, 0, 1, 50000), s = ipv4(10, 0, 0, 2, 443);
    flagged(f, 11, s, c, 0, 0);
    segment(f, 12, 9, c, s, 1, 1428, FALSE);
    apg_frame_in in = {.frame = 14, .time_us = 14000, .stream = 9, .src = c, .dst = s};
    apg_event ch = {.kind = APG_EV_CLIENT_HELLO,
                    .frame = 14,
                    .record_version = APG_TLS12,
                    .record_length = 1539,
                    .tcp_seq = 1429,
                    .tcp_len = 116};
    ch.u.client_hello = &f->ch;
    apg_frame_ref ref = {0};
    apg_capture_observe(f->cap, &in, &ch, &ref);
    g_assert_nonnull(ref.hs);
    flagged(f, 15, c, s, 1, 1428);
    g_assert_cmpuint(ref.hs->out_of_order_frame, ==, 0);
    g_assert_cmpuint(ref.hs->ch_retransmissions, ==, 1);
    flagged(f, 16, c, s, 1545, 100); /* new bytes, flagged: they count */
    g_assert_cmpuint(ref.hs->out_of_order_frame, ==, 16);
}

/* A router's report on a packet of stream 9, from router r. */
static void too_big(cfix *f, guint32 frame, apg_endpoint r, apg_endpoint sender)
{
    apg_frame_in in = {
        .frame = frame, .time_us = frame * 1000, .stream = 9, .src = r, .dst = sender};
    apg_event ev = {.kind = APG_EV_PATH_TOO_BIG, .frame = frame};
    ev.u.too_big.sender = sender;
    ev.u.too_big.mtu = 1280;
    ev.u.too_big.packet_len = 1500;
    apg_frame_ref ref = {0};
    apg_capture_observe(f->cap, &in, &ev, &ref);
}

/* The IPv6 path-MTU capture: the ClientHello's first segment is refused
 * before its last makes it a ClientHello (and the stream a conversation):
 * that report is the first of the handshake's. One on another host's packet
 * is not. */
static void test_too_big_before_tls(cfix *f, gconstpointer data)
{
    (void)data;
    apg_endpoint c = ipv4(10, 0, 0, 1, 50000), s = ipv4(10, 0, 0, 2, 443);
    apg_endpoint r = ipv4(10, 0, 0, 254, 0), other = ipv4(10, 0, 0, 7, 50002);
    segment(f, 12, 9, c, s, 1, 1428, FALSE);
    too_big(f, 13, r, c);
    too_big(f, 13, r, other);
    apg_frame_ref ch = frame(f, 14, 9, c, s, APG_EV_CLIENT_HELLO);
    too_big(f, 17, r, c);
    const apg_path_report *rep = apg_hs_too_big(ch.hs, APG_ROLE_CLIENT);
    g_assert_nonnull(rep);
    g_assert_cmpuint(rep->frame, ==, 13);
    g_assert_cmpuint(rep->last_frame, ==, 17);
    g_assert_cmpuint(rep->count, ==, 2);
    g_assert_true(apg_endpoint_equal(&rep->router, &r));
}

static void test_endpoint_text(void)
{
    apg_endpoint v6 = {.family = 6,
                       .len = 16,
                       .port = 8443,
                       .addr = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5}};
    char *t = apg_endpoint_text(&v6);
    g_assert_cmpstr(t, ==, "[2001:db8::5]:8443");
    g_free(t);
    apg_endpoint other = {.family = 0, .len = 2, .port = 7, .addr = {0xab, 0x01}};
    t = apg_endpoint_text(&other);
    g_assert_cmpstr(t, ==, "ab01:7");
    g_free(t);
    apg_endpoint lying = {.family = 4, .len = 200, .port = 1}; /* len beyond addr: bounded */
    t = apg_endpoint_text(&lying);
    g_assert_nonnull(t);
    g_free(t);
}

/* Runs of frames of one handshake, interleaved conversations, gaps, and
 * runs longer than one entry holds. */
static void test_frame_index(cfix *f, gconstpointer data)
{
    (void)data;
    apg_endpoint a = ipv4(10, 0, 0, 1, 1000), b = ipv4(10, 0, 0, 2, 443);
    apg_endpoint c = ipv4(10, 0, 0, 3, 1001);
    apg_handshake *one = frame(f, 1, 1, a, b, APG_EV_CLIENT_HELLO).hs;
    frame(f, 2, 1, b, a, APG_EV_SERVER_HELLO);
    apg_handshake *two = frame(f, 3, 2, c, b, APG_EV_CLIENT_HELLO).hs;
    frame(f, 4, 1, a, b, APG_EV_TCP_SEGMENT); /* a pure ACK: no step, not indexed */
    /* frame 5: not TCP */
    for (guint32 n = 6; n < 700; n++)
        frame(f, n, 2, n % 2 ? c : b, n % 2 ? b : c, APG_EV_ENCRYPTED_RECORD);
    /* a handshake with pure ACKs in between, longer than one entry spans */
    apg_endpoint d = ipv4(10, 0, 0, 4, 1002);
    apg_handshake *three = NULL;
    const guint32 records[] = {701, 703, 706, 709, 710, 711};
    for (guint i = 0, n = 701; n <= 712; n++) {
        gboolean record = i < G_N_ELEMENTS(records) && records[i] == n;
        apg_frame_ref got =
            frame(f, n, 5, d, b, record ? APG_EV_ENCRYPTED_RECORD : APG_EV_TCP_SEGMENT);
        if (record) {
            three = three ? three : got.hs;
            i++;
        }
    }
    apg_frame_ref r;
    const struct {
        guint32 frame;
        apg_handshake *hs;
    } want[] = {{1, one},     {2, one},     {3, two},     {4, NULL},   {5, NULL},   {6, two},
                {261, two},   {262, two},   {263, two},   {699, two},  {700, NULL}, {0, NULL},
                {701, three}, {702, NULL},  {703, three}, {704, NULL}, {705, NULL}, {706, three},
                {709, three}, {710, three}, {711, three}, {712, NULL}, {713, NULL}};
    for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
        memset(&r, 0, sizeof r);
        gboolean found = apg_capture_lookup_frame(f->cap, want[i].frame, &r);
        if (found != (want[i].hs != NULL))
            g_test_message("frame %u", want[i].frame);
        g_assert_cmpint(found, ==, want[i].hs != NULL);
        if (found)
            g_assert_true(r.hs == want[i].hs);
    }
    /* a frame indexed twice (the first pass is in order) changes nothing */
    apg_frame_ref again = {.conv = NULL};
    apg_capture_index_frame(f->cap, 2, &again);
    g_assert_true(apg_capture_lookup_frame(f->cap, 2, &r) && r.hs == one);
}

static void test_verdict_frame(cfix *f, gconstpointer data)
{
    (void)data;
    apg_endpoint a = ipv4(10, 0, 0, 1, 1000), b = ipv4(10, 0, 0, 2, 443);
    apg_handshake *hs = frame(f, 1, 1, a, b, APG_EV_CLIENT_HELLO).hs;
    apg_verdict pending = {.outcome = APG_OUTCOME_PENDING};
    g_assert_false(apg_capture_verdict_here(&pending, hs, 1, FALSE));
    apg_verdict failed = {.outcome = APG_OUTCOME_FAILED, .decided_frame = 5};
    /* single pass reaching frame 7 before knowing frame 5 decided: 7, then kept */
    g_assert_true(apg_capture_verdict_here(&failed, hs, 7, FALSE));
    g_assert_false(apg_capture_verdict_here(&failed, hs, 5, TRUE));
    g_assert_true(apg_capture_verdict_here(&failed, hs, 7, TRUE));
    apg_verdict at_end = {.outcome = APG_OUTCOME_FAILED};
    apg_handshake *other = frame(f, 2, 2, a, b, APG_EV_CLIENT_HELLO).hs;
    g_assert_true(apg_capture_verdict_here(&at_end, other, 2, TRUE));
    g_assert_false(apg_capture_verdict_here(&at_end, other, 3, TRUE));
}

/* One address serving two names (virtual hosts): what the server did for
 * one name is not evidence for the other; no SNI is a name of its own. */
static void test_profiles_by_name(cfix *f, gconstpointer data)
{
    (void)data;
    apg_endpoint s = ipv4(10, 0, 0, 2, 443);
    f->ch.has_sni = TRUE;
    g_strlcpy(f->ch.sni, "a.example.test", sizeof f->ch.sni);
    apg_frame_ref ok = frame(f, 1, 1, ipv4(10, 0, 0, 1, 1000), s, APG_EV_CLIENT_HELLO);
    frame(f, 2, 1, s, ipv4(10, 0, 0, 1, 1000), APG_EV_SERVER_HELLO);
    apg_verdict established = {.outcome = APG_OUTCOME_ESTABLISHED};
    apg_capture_learn(f->cap, ok.conv, ok.hs, &established);
    const char *names[] = {"a.example.test", "b.example.test", NULL};
    const gboolean learned[] = {TRUE, FALSE, FALSE};
    for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
        f->ch.has_sni = names[i] != NULL;
        g_strlcpy(f->ch.sni, names[i] ? names[i] : "", sizeof f->ch.sni);
        apg_endpoint c = ipv4(10, 0, 1, (guint8)i, 2000);
        apg_frame_ref ref = frame(f, 10 + 2 * i, 10 + i, c, s, APG_EV_CLIENT_HELLO);
        apg_frame_in in = {
            .frame = 11 + 2 * i, .time_us = 20000, .stream = 10 + i, .src = s, .dst = c};
        apg_event refusal = {
            .kind = APG_EV_ALERT,
            .frame = in.frame,
            .record_version = APG_TLS12,
            .record_length = 2,
            .u.alert = {.level = APG_ALERT_LEVEL_FATAL, .desc = APG_ALERT_HANDSHAKE_FAILURE}};
        apg_capture_observe(f->cap, &in, &refusal, &ref);
        apg_verdict failed = apg_capture_evaluate(f->cap, ref.hs, TRUE);
        g_assert_cmpint(failed.outcome, ==, APG_OUTCOME_FAILED);
        apg_view view;
        apg_capture_diagnose(f->cap, ref.conv, ref.hs, &failed, &view);
        if (view.d.has_overlap != learned[i])
            g_test_message("%s: %s", names[i] ? names[i] : "(no SNI)", view.d.summary);
        g_assert_cmpint(view.d.has_overlap, ==, learned[i]);
        apg_view_clear(&view);
    }
}

/* An endpoint as a user types it. */
static const apg_endpoint *ep_of(const char *text, apg_endpoint *out)
{
    g_assert_true(apg_endpoint_parse(text, out));
    return out;
}

/* One frame of the first pass as the glue gives it: its events, then one
 * question. */
static gboolean first_pass(cfix *f, apg_frame_in *in, const apg_event *ev, gboolean drawn,
                           apg_report *rep)
{
    apg_frame_ref ref = {0};
    if (ev)
        apg_capture_observe(f->cap, in, ev, &ref);
    return apg_capture_report(f->cap, in, &ref, drawn, rep);
}

/* The one call a frame: which frames belong to a handshake, which carries
 * the verdict, and what is filled for a tree or for the verdict alone. */
static void test_frame_report(cfix *f, gconstpointer data)
{
    (void)data;
    apg_endpoint c = ipv4(10, 0, 0, 1, 50000), s = ipv4(10, 0, 0, 2, 443);
    apg_config_set_mp_addrs(&f->config, "10.0.0.1, nonsense");
    apg_frame_in in = {.frame = 1, .time_us = 1000, .stream = 1, .src = c, .dst = s};
    apg_event hello = {.kind = APG_EV_CLIENT_HELLO,
                       .frame = 1,
                       .record_version = APG_TLS12,
                       .record_length = 90,
                       .u.client_hello = &f->ch};
    apg_report rep;
    g_assert_true(first_pass(f, &in, &hello, FALSE, &rep));
    g_assert_false(rep.here);
    g_assert_false(rep.filled); /* nothing drawn, no verdict here: no work */
    apg_report_clear(&rep);
    apg_event alert = {
        .kind = APG_EV_ALERT,
        .frame = 2,
        .record_version = APG_TLS12,
        .record_length = 2,
        .u.alert = {.level = APG_ALERT_LEVEL_FATAL, .desc = APG_ALERT_HANDSHAKE_FAILURE}};
    in = (apg_frame_in){.frame = 2, .time_us = 2000, .stream = 1, .src = s, .dst = c};
    g_assert_true(first_pass(f, &in, &alert, FALSE, &rep));
    g_assert_true(rep.here && rep.shows_outcome && rep.filled);
    g_assert_cmpint(rep.verdict.outcome, ==, APG_OUTCOME_FAILED);
    g_assert_cmpint(rep.view.d.cause, ==,
                    APG_CAUSE_SNI_MISSING); /* no server_name, then handshake_failure */
    g_assert_cmpint(rep.view.direction, ==, APG_DIRECTION_SOUTHBOUND); /* the client is an MP */
    g_assert_true(rep.config_problems == f->config.problems && rep.config_problems->len == 1);
    apg_report_clear(&rep);
    in = (apg_frame_in){.frame = 3, .time_us = 3000}; /* not TCP: no events */
    g_assert_false(first_pass(f, &in, NULL, TRUE, &rep));
    /* a later pass finds the frames in the index and knows the outcome everywhere */
    apg_frame_in again = {.frame = 1};
    g_assert_true(apg_capture_report(f->cap, &again, NULL, TRUE, &rep));
    g_assert_true(!rep.here && rep.shows_outcome && rep.filled);
    g_assert_cmpint(rep.view.d.cause, ==,
                    APG_CAUSE_SNI_MISSING); /* no server_name, then handshake_failure */
    apg_report_clear(&rep);
    again.frame = 2;
    g_assert_true(apg_capture_report(f->cap, &again, NULL, FALSE, &rep) && rep.here);
    apg_report_clear(&rep);
    again.frame = 3;
    g_assert_false(apg_capture_report(f->cap, &again, NULL, TRUE, &rep));
    /* the -z tables' question: the same verdict, settled */
    const apg_conversation *conv = g_ptr_array_index(apg_capture_conversations(f->cap), 0);
    apg_capture_settled(f->cap, conv, g_ptr_array_index(conv->handshakes, 0), &rep);
    g_assert_cmpint(rep.view.d.cause, ==,
                    APG_CAUSE_SNI_MISSING); /* no server_name, then handshake_failure */
    apg_report_clear(&rep);
}

static void test_config_parsing(void)
{
    apg_endpoint e1, e2;
    apg_config c;
    apg_config_init(&c);
    apg_config_set_server_suites(&c, "0xc02f, 49200; 10.0.0.5:443=0x1301; nonsense=1; 0xzz");
    const GArray *own = apg_config_server_suites(&c, ep_of("10.0.0.5:443", &e1));
    g_assert_nonnull(own);
    g_assert_cmpuint(own->len, ==, 1);
    g_assert_cmpuint(g_array_index(own, guint16, 0), ==, 0x1301);
    /* the last list for every server wins: "0xzz" left it empty */
    g_assert_null(apg_config_server_suites(&c, ep_of("10.0.0.6:443", &e1)));
    /* names as nginx, the Router, IANA and JSSE write them, evaluated by OpenSSL */
    apg_config_set_server_suites(&c, "10.0.0.8:443=TLS_AES_128_GCM_SHA256 "
                                     "SSL_RSA_WITH_AES_128_CBC_SHA "
                                     "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384");
    const GArray *named = apg_config_server_suites(&c, ep_of("10.0.0.8:443", &e1));
    const guint16 want_named[] = {0x1301, 0x002f, 0xc02f, 0xc030};
    g_assert_cmpuint(named->len, ==, G_N_ELEMENTS(want_named));
    for (guint i = 0; i < G_N_ELEMENTS(want_named); i++)
        g_assert_cmphex(g_array_index(named, guint16, i), ==, want_named[i]);
    g_assert_null(apg_config_expected_host(&c, ep_of("10.1.1.1:443", &e1))); /* no default yet */
    apg_config_set_expected_hosts(&c, "[2001:db8::5]:443=api.example.com, 10.0.0.7=x, "
                                      "default.example.com 10.0.0.9:8443= 2001:db8::9=h");
    g_assert_cmpstr(apg_config_expected_host(&c, ep_of("[2001:db8::5]:443", &e1)), ==,
                    "api.example.com");
    g_assert_cmpstr(apg_config_expected_host(&c, ep_of("10.0.0.7:443", &e1)), ==, "x");
    g_assert_cmpstr(apg_config_expected_host(&c, ep_of("10.0.0.7:8443", &e1)), ==, "x");
    g_assert_cmpstr(apg_config_expected_host(&c, ep_of("10.1.1.1:443", &e1)), ==,
                    "default.example.com");
    apg_config_set_router_addrs(&c, "10.0.0.0/8, router");
    apg_config_add_router_port(&c, 9001);
    g_assert_cmpuint(c.roles.n_router_ports, ==, 1);
    g_assert_cmpint(
        apg_direction_of(&c.roles, ep_of("192.168.1.1:5000", &e1), ep_of("10.1.2.3:9001", &e2)), ==,
        APG_DIRECTION_NORTHBOUND);
    apg_config_set_truststore(&c, "/nonexistent/roots.pem");
    g_assert_null(c.truststore);
    const char *expect[] = {"server_suites: 'nonsense' is not an address:port",
                            "server_suites: '0xzz' is not a cipher suite number",
                            "expected_hosts: '10.0.0.9:8443=' is not address:port=host",
                            "expected_hosts: '2001:db8::9=h' is not address:port=host",
                            "router_addrs: 'router'",
                            "truststore /nonexistent/roots.pem"};
    g_assert_cmpuint(c.problems->len, ==, G_N_ELEMENTS(expect));
    for (guint i = 0; i < G_N_ELEMENTS(expect); i++)
        g_assert_true(g_str_has_prefix(g_ptr_array_index(c.problems, i), expect[i]));
    apg_config_clear(&c);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add("/capture/streams-and-senders", cfix, NULL, csetup, test_streams_and_senders,
               cteardown);
    g_test_add("/capture/frame-index", cfix, NULL, csetup, test_frame_index, cteardown);
    g_test_add("/capture/verdict-frame", cfix, NULL, csetup, test_verdict_frame, cteardown);
    g_test_add("/capture/frame-report", cfix, NULL, csetup, test_frame_report, cteardown);
    g_test_add("/capture/profiles-by-name", cfix, NULL, csetup, test_profiles_by_name, cteardown);
    g_test_add("/capture/late-segments-before-tls", cfix, NULL, csetup,
               test_late_segments_before_tls, cteardown);
    g_test_add("/capture/too-big-before-tls", cfix, NULL, csetup, test_too_big_before_tls,
               cteardown);
    g_test_add("/capture/resend-of-bytes-before-tls", cfix, NULL, csetup,
               test_resend_of_bytes_before_tls, cteardown);
    g_test_add("/capture/out-of-order-before-tls", cfix, NULL, csetup, test_out_of_order_before_tls,
               cteardown);
    g_test_add_func("/capture/endpoint-text", test_endpoint_text);
    g_test_add_func("/config/parsing", test_config_parsing);
    return g_test_run();
}
