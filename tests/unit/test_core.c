/* test_core.c - unit tests of the core: synthetic handshakes fed event by
 * event, judged, and their ladders printed. No Wireshark involved.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_diagnosis.h"
#include "fixture.h"

static void full_tls12_flights(fixture *f)
{
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed(f, APG_EV_SERVER_HELLO, 6, EP_B);
    feed(f, APG_EV_CERTIFICATE, 6, EP_B);
    feed(f, APG_EV_SERVER_HELLO_DONE, 6, EP_B);
    feed(f, APG_EV_CHANGE_CIPHER_SPEC, 8, EP_A);
    feed(f, APG_EV_ENCRYPTED_HANDSHAKE, 8, EP_A);
}

/* Both flights and the server's Finished (frame 9). */
static apg_handshake *tls12_both_finished(fixture *f)
{
    full_tls12_flights(f);
    feed(f, APG_EV_CHANGE_CIPHER_SPEC, 9, EP_B);
    return feed(f, APG_EV_ENCRYPTED_HANDSHAKE, 9, EP_B);
}

static void test_tls12_established(fixture *f, gconstpointer data)
{
    (void)data;
    full_tls12_flights(f);
    g_assert_cmpint(apg_evaluate(apg_conv_current(f->conv), FALSE).outcome, ==,
                    APG_OUTCOME_PENDING);
    feed(f, APG_EV_CHANGE_CIPHER_SPEC, 9, EP_B);
    apg_handshake *hs = feed(f, APG_EV_ENCRYPTED_HANDSHAKE, 9, EP_B);
    /* both finished, yet the call is open until the client speaks */
    g_assert_cmpint(apg_evaluate(hs, FALSE).outcome, ==, APG_OUTCOME_PENDING);
    g_assert_cmpint(apg_evaluate(hs, TRUE).next, ==, APG_NEXT_UNSEEN);
    feed(f, APG_EV_ENCRYPTED_RECORD, 11, EP_A);
    apg_verdict v = apg_evaluate(hs, FALSE);
    g_assert_cmpint(v.outcome, ==, APG_OUTCOME_ESTABLISHED);
    g_assert_cmpint(v.cause, ==, APG_CAUSE_NONE);
    g_assert_cmpint(v.stage, ==, APG_STAGE_AFTER_FINISHED);
    g_assert_cmpuint(v.decided_frame, ==, 9);
    g_assert_cmpint(v.next, ==, APG_NEXT_CLIENT_DATA);
    g_assert_cmpuint(hs->finished_frame[APG_ROLE_CLIENT], ==, 8);
}

/* A client that checks the certificate after the handshake and leaves
 * without data settles the call at its FIN; the diagnosis may turn it into
 * a failure there. */
static void test_tls12_client_leaves_without_data(fixture *f, gconstpointer data)
{
    (void)data;
    tls12_both_finished(f);
    apg_handshake *hs = feed(f, APG_EV_TCP_FIN, 10, EP_A);
    apg_verdict v = apg_evaluate(hs, FALSE);
    g_assert_cmpint(v.outcome, ==, APG_OUTCOME_ESTABLISHED);
    g_assert_cmpint(v.next, ==, APG_NEXT_CLIENT_LEFT);
    g_assert_cmpuint(v.next_frame, ==, 10);
    apg_verdict_abandoned(&v);
    g_assert_cmpint(v.outcome, ==, APG_OUTCOME_FAILED);
    g_assert_cmpuint(v.decided_frame, ==, 10);
    g_assert_cmpint(v.failed_side, ==, APG_ROLE_CLIENT);
    g_assert_cmpint(v.stage, ==, APG_STAGE_AFTER_FINISHED);
}

/* The server closing first settles it too; when the diagnosis finds it
 * left over the client's certificate, the server's side failed there. */
static void test_tls12_server_leaves_first(fixture *f, gconstpointer data)
{
    (void)data;
    tls12_both_finished(f);
    feed(f, APG_EV_TCP_FIN, 10, EP_B);
    apg_handshake *hs = feed(f, APG_EV_TCP_FIN, 11, EP_A);
    apg_verdict v = apg_evaluate(hs, FALSE);
    g_assert_cmpint(v.outcome, ==, APG_OUTCOME_ESTABLISHED);
    g_assert_cmpint(v.next, ==, APG_NEXT_SERVER_LEFT);
    g_assert_cmpuint(v.next_frame, ==, 10);
    apg_verdict_abandoned(&v);
    g_assert_cmpint(v.outcome, ==, APG_OUTCOME_FAILED);
    g_assert_cmpint(v.failed_side, ==, APG_ROLE_SERVER);
    g_assert_cmpuint(v.decided_frame, ==, 10);
}

static void test_server_alert_before_server_hello(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_alert(f, 6, EP_B, 2, 40);
    apg_handshake *hs = feed(f, APG_EV_TCP_FIN, 8, EP_B);
    apg_verdict v = apg_evaluate(hs, FALSE);
    g_assert_cmpint(v.outcome, ==, APG_OUTCOME_FAILED);
    g_assert_cmpint(v.cause, ==, APG_CAUSE_ALERT_OTHER);
    g_assert_cmpint(v.stage, ==, APG_STAGE_BEFORE_SERVER_HELLO);
    g_assert_true(v.has_alert);
    g_assert_cmpint(v.alert.sender, ==, APG_ROLE_SERVER);
    g_assert_cmpuint(v.alert.alert.desc, ==, 40);
    g_assert_cmpuint(v.decided_frame, ==, 6);
    assert_ladder(hs, "C:ClientHello#4 > S:Alert(fatal,handshake_failure)#6 > S:FIN#8");
}

static void test_client_rejects_certificate(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed(f, APG_EV_SERVER_HELLO, 6, EP_B);
    feed(f, APG_EV_CERTIFICATE, 6, EP_B);
    feed(f, APG_EV_SERVER_HELLO_DONE, 6, EP_B);
    apg_handshake *hs = feed_alert(f, 8, EP_A, 2, 46);
    apg_verdict v = apg_evaluate(hs, TRUE);
    g_assert_cmpint(v.outcome, ==, APG_OUTCOME_FAILED);
    g_assert_cmpint(v.stage, ==, APG_STAGE_AFTER_CERTIFICATE);
    g_assert_cmpint(v.alert.sender, ==, APG_ROLE_CLIENT);
    g_assert_cmpint(v.failed_side, ==, APG_ROLE_CLIENT);
}

static void test_warning_alert_does_not_end(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    apg_handshake *hs = feed_alert(f, 6, EP_B, 1, 112); /* warning unrecognized_name */
    g_assert_cmpint(apg_evaluate(hs, FALSE).outcome, ==, APG_OUTCOME_PENDING);
}

static void test_client_hello_retransmission(fixture *f, gconstpointer data)
{
    (void)data;
    apg_handshake *first = feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    apg_handshake *again = feed(f, APG_EV_CLIENT_HELLO, 5, EP_A);
    g_assert_true(first == again);
    g_assert_cmpuint(f->conv->handshakes->len, ==, 1);
    g_assert_cmpuint(first->ch_retransmissions, ==, 1);
    g_assert_cmpuint(first->client_hello_frame, ==, 4);
}

static void test_hello_retry_request_same_handshake(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_hrr(f, 6, EP_B);
    apg_handshake *hs = feed(f, APG_EV_CLIENT_HELLO, 8, EP_A);
    g_assert_cmpuint(f->conv->handshakes->len, ==, 1);
    g_assert_cmpuint(hs->hrr_frame, ==, 6);
    g_assert_cmpuint(hs->client_hello_frame, ==, 4);
    assert_ladder(hs, "C:ClientHello#4 > S:ServerHello#6 > C:ClientHello#8");
}

static void test_hrr_alone_means_tls13(fixture *f, gconstpointer data)
{
    (void)data;
    /* The real ServerHello was lost (out-of-order segment); the HRR still
     * says TLS 1.3, so the opaque records can be read as such. */
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_hrr(f, 6, EP_B);
    feed(f, APG_EV_CLIENT_HELLO, 8, EP_A);
    feed_opaque(f, 13, EP_A, 69);
    apg_handshake *hs = feed_opaque(f, 14, EP_B, 525);
    g_assert_cmpuint(apg_hs_negotiated_version(hs), ==, APG_TLS13);
    apg_verdict v = apg_evaluate(hs, TRUE);
    g_assert_cmpint(v.outcome, ==, APG_OUTCOME_ESTABLISHED);
    g_assert_cmpuint(v.decided_frame, ==, 14);
}

/* A new conversation whose endpoints use these ports, its roles hinted. */
static void conv_with_ports(fixture *f, guint32 stream, guint16 a, guint16 b, guint16 tcp_client)
{
    apg_conv_free(f->conv);
    f->conv = apg_conv_new(stream, NULL);
    f->conv->endpoint[EP_A].port = a;
    f->conv->endpoint[EP_B].port = b;
    apg_conv_hint_roles(f->conv, tcp_client);
}

/* A capture that starts mid-connection, the server sending first: the
 * TCP handshake, else a message only one side sends, else the ports decide
 * the roles, else they stay unknown (issue 18). */
static void test_roles_mid_connection(fixture *f, gconstpointer data)
{
    (void)data;
    conv_with_ports(f, 7, 8443, 40000, 0);
    apg_handshake *hs = feed(f, APG_EV_ENCRYPTED_RECORD, 3, EP_A);
    g_assert_cmpint(hs->roles_from, ==, APG_ROLES_PORT);
    g_assert_cmpint(apg_hs_role_of(hs, EP_A), ==, APG_ROLE_SERVER);
    /* the client's ClientKeyExchange confirms it, as a message */
    feed_handshake_type(f, APG_HS_CLIENT_KEY_EXCHANGE, 4, EP_B);
    g_assert_cmpint(hs->roles_from, ==, APG_ROLES_MESSAGES);
    g_assert_cmpint(apg_hs_role_of(hs, EP_B), ==, APG_ROLE_CLIENT);

    conv_with_ports(f, 8, 50001, 50002, 0);
    hs = feed(f, APG_EV_ENCRYPTED_RECORD, 3, EP_A);
    g_assert_cmpint(hs->roles_from, ==, APG_ROLES_UNKNOWN);
    feed_handshake_type(f, APG_HS_SERVER_KEY_EXCHANGE, 4, EP_A);
    g_assert_cmpint(hs->roles_from, ==, APG_ROLES_MESSAGES);
    g_assert_cmpint(apg_hs_role_of(hs, EP_A), ==, APG_ROLE_SERVER);

    /* a SYN from port 50002 beats the ports and the messages */
    conv_with_ports(f, 9, 50001, 50002, 50002);
    hs = feed(f, APG_EV_ENCRYPTED_RECORD, 3, EP_A);
    g_assert_cmpint(hs->roles_from, ==, APG_ROLES_TCP);
    feed_handshake_type(f, APG_HS_CLIENT_KEY_EXCHANGE, 4, EP_A);
    g_assert_cmpint(apg_hs_role_of(hs, EP_B), ==, APG_ROLE_CLIENT);
}

static void test_renegotiation_is_a_new_handshake(fixture *f, gconstpointer data)
{
    (void)data;
    tls12_both_finished(f);
    apg_handshake *second = feed(f, APG_EV_CLIENT_HELLO, 20, EP_A);
    g_assert_cmpuint(f->conv->handshakes->len, ==, 2);
    g_assert_cmpuint(second->index, ==, 1);
    apg_handshake *first = g_ptr_array_index(f->conv->handshakes, 0);
    g_assert_cmpint(apg_evaluate(first, TRUE).outcome, ==, APG_OUTCOME_ESTABLISHED);
    g_assert_cmpint(apg_evaluate(second, FALSE).outcome, ==, APG_OUTCOME_PENDING);
}

static void test_role_follows_client_hello_sender(fixture *f, gconstpointer data)
{
    (void)data;
    /* The TCP initiator (endpoint 0) is the TLS server here. */
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_B);
    apg_handshake *hs = feed_alert(f, 6, EP_A, 2, 70);
    apg_verdict v = apg_evaluate(hs, TRUE);
    g_assert_cmpint(v.alert.sender, ==, APG_ROLE_SERVER);
    g_assert_cmpint(apg_hs_role_of(hs, EP_B), ==, APG_ROLE_CLIENT);
}

static void test_no_server_response(fixture *f, gconstpointer data)
{
    (void)data;
    apg_handshake *hs = feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed(f, APG_EV_TCP_SEGMENT, 5, EP_B); /* the server's stack acknowledges it */
    g_assert_cmpint(apg_evaluate(hs, FALSE).outcome, ==, APG_OUTCOME_PENDING);
    apg_verdict at_end = apg_evaluate(hs, TRUE);
    g_assert_cmpint(at_end.outcome, ==, APG_OUTCOME_FAILED);
    g_assert_cmpint(at_end.cause, ==, APG_CAUSE_NO_SERVER_RESPONSE);
    g_assert_cmpuint(at_end.decided_frame, ==, 0);
    feed(f, APG_EV_TCP_FIN, 30, EP_A);
    apg_verdict gave_up = apg_evaluate(hs, FALSE);
    g_assert_cmpint(gave_up.cause, ==, APG_CAUSE_NO_SERVER_RESPONSE);
    g_assert_cmpuint(gave_up.decided_frame, ==, 30);
}

/* A capture with no server packet at all lacks that direction: the
 * ClientHello came after a TCP handshake the server answered. */
static void test_one_sided_capture_is_incomplete(fixture *f, gconstpointer data)
{
    (void)data;
    apg_handshake *hs = feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    apg_verdict v = apg_evaluate(hs, TRUE);
    g_assert_cmpint(v.outcome, ==, APG_OUTCOME_INCOMPLETE);
    g_assert_cmpint(v.gap, ==, APG_GAP_SERVER_DIRECTION);
    /* The client's second flight proves a ServerHello the capture lacks. */
    feed(f, APG_EV_TCP_SEGMENT, 5, EP_B);
    feed(f, APG_EV_CHANGE_CIPHER_SPEC, 8, EP_A);
    feed(f, APG_EV_TCP_FIN, 9, EP_A);
    v = apg_evaluate(hs, FALSE);
    g_assert_cmpint(v.outcome, ==, APG_OUTCOME_INCOMPLETE);
    g_assert_cmpint(v.gap, ==, APG_GAP_CLIENT_WENT_ON);
}

/* A client retransmitting its ClientHello got no ACK: the server side is
 * mute, not missing from the capture. */
static void test_retransmitted_hello_without_ack(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed(f, APG_EV_CLIENT_HELLO, 6, EP_A);
    apg_handshake *hs = feed(f, APG_EV_TCP_FIN, 9, EP_A);
    g_assert_cmpint(apg_evaluate(hs, FALSE).cause, ==, APG_CAUSE_NO_SERVER_RESPONSE);
}

/* The capture ends a moment after the ClientHello: too soon to judge. */
static void test_capture_ends_too_soon(fixture *f, gconstpointer data)
{
    (void)data;
    apg_event ch = {.kind = APG_EV_CLIENT_HELLO, .frame = 4, .time_us = 5000000};
    ch.u.client_hello = &f->ch;
    apg_handshake *hs = apg_conv_observe(f->conv, &ch);
    feed(f, APG_EV_TCP_SEGMENT, 5, EP_B);
    g_assert_cmpint(apg_evaluate_at(hs, TRUE, 5200000).gap, ==, APG_GAP_TOO_SOON);
    g_assert_cmpint(apg_evaluate_at(hs, TRUE, 9000000).cause, ==, APG_CAUSE_NO_SERVER_RESPONSE);
}

/* Java: user_canceled then close_notify, both warnings, to a server that
 * never answered: the client gave up waiting. */
static void test_client_warnings_before_any_answer(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed(f, APG_EV_TCP_SEGMENT, 5, EP_B);
    feed_alert(f, 40, EP_A, 1, 90);
    apg_handshake *hs = feed_alert(f, 41, EP_A, 1, 0);
    apg_verdict v = apg_evaluate(hs, FALSE);
    g_assert_cmpint(v.cause, ==, APG_CAUSE_NO_SERVER_RESPONSE);
    g_assert_cmpuint(v.decided_frame, ==, 41);
}

/* TLS 1.3 without keys: a 35-byte server record (Java pads its alerts)
 * followed by the server's close is an alert, not a ticket. */
static void test_tls13_short_server_record_then_close(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_sh13(f, 6, EP_B);
    feed_opaque(f, 6, EP_B, 2000);
    feed_opaque(f, 8, EP_A, 53);
    feed_opaque(f, 9, EP_B, 35);
    apg_handshake *hs = feed(f, APG_EV_TCP_FIN, 10, EP_B);
    apg_verdict v = apg_evaluate(hs, FALSE);
    g_assert_cmpint(v.outcome, ==, APG_OUTCOME_FAILED);
    g_assert_true(v.has_alert && v.alert.alert.encrypted && v.inferred);
    g_assert_cmpuint(v.decided_frame, ==, 9);
    /* A longer record after it (a ticket) proves acceptance. */
    apg_conversation *other = f->conv;
    f->conv = apg_conv_new(9, NULL);
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_sh13(f, 6, EP_B);
    feed_opaque(f, 6, EP_B, 2000);
    feed_opaque(f, 8, EP_A, 53);
    feed_opaque(f, 9, EP_B, 40);
    hs = feed_opaque(f, 9, EP_B, 250);
    g_assert_cmpint(apg_evaluate(hs, TRUE).outcome, ==, APG_OUTCOME_ESTABLISHED);
    apg_conv_free(other);
}

/* TLS 1.3 draft versions are TLS 1.3. */
static void test_draft_versions(fixture *f, gconstpointer data)
{
    (void)data;
    f->ch.n_versions = 0;
    f->ch.versions[f->ch.n_versions++] = 0x7f10;
    f->ch.versions[f->ch.n_versions++] = APG_TLS12;
    apg_handshake *hs = feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    g_assert_cmpuint(apg_offer_highest_version(&hs->offer), ==, APG_TLS13);
    g_assert_cmpuint(apg_version_normalize(0x7f16), ==, APG_TLS13);
}

static void test_server_reset_and_close(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    apg_handshake *hs = feed(f, APG_EV_TCP_RST, 5, EP_B);
    apg_verdict v = apg_evaluate(hs, FALSE);
    g_assert_cmpint(v.cause, ==, APG_CAUSE_SERVER_RESET);
    g_assert_cmpint(v.failed_side, ==, APG_ROLE_SERVER);

    apg_conversation *other = apg_conv_new(8, NULL);
    apg_event ch = {.kind = APG_EV_CLIENT_HELLO,
                    .frame = 4,
                    .sender = 0,
                    .record_version = APG_TLS10,
                    .u.client_hello = &f->ch};
    apg_event fin = {.kind = APG_EV_TCP_FIN, .frame = 5, .sender = 1};
    apg_conv_observe(other, &ch);
    g_assert_cmpint(apg_evaluate(apg_conv_observe(other, &fin), FALSE).cause, ==,
                    APG_CAUSE_SERVER_CLOSED);
    apg_conv_free(other);
}

static void test_client_abort_after_server_flight(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed(f, APG_EV_SERVER_HELLO, 6, EP_B);
    feed(f, APG_EV_CERTIFICATE, 6, EP_B);
    apg_handshake *hs = feed(f, APG_EV_TCP_FIN, 8, EP_A);
    apg_verdict v = apg_evaluate(hs, FALSE);
    g_assert_cmpint(v.cause, ==, APG_CAUSE_CLIENT_ABORT);
    g_assert_cmpint(v.stage, ==, APG_STAGE_AFTER_CERTIFICATE);
}

static void test_missing_start_is_incomplete(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_SERVER_HELLO, 6, EP_B);
    feed(f, APG_EV_CERTIFICATE, 6, EP_B);
    apg_handshake *hs = feed(f, APG_EV_SERVER_HELLO_DONE, 6, EP_B);
    g_assert_false(hs->saw_start);
    g_assert_cmpint(apg_hs_role_of(hs, EP_B), ==, APG_ROLE_SERVER);
    apg_verdict v = apg_evaluate(hs, TRUE);
    g_assert_cmpint(v.outcome, ==, APG_OUTCOME_INCOMPLETE);
    g_assert_cmpint(v.cause, ==, APG_CAUSE_INCOMPLETE_CAPTURE);
    g_assert_cmpint(v.stage, ==, APG_STAGE_AFTER_CERTIFICATE);
}

static void test_tcp_before_tls_is_ignored(fixture *f, gconstpointer data)
{
    (void)data;
    g_assert_null(feed(f, APG_EV_TCP_FIN, 3, EP_A));
    g_assert_cmpuint(f->conv->handshakes->len, ==, 0);
    g_assert_cmpuint(f->conv->fin_frame[EP_A], ==, 3);
}

static void test_tls13_opaque_established(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_sh13(f, 6, EP_B);
    feed(f, APG_EV_CHANGE_CIPHER_SPEC, 6, EP_B);
    feed_opaque(f, 6, EP_B, 1730);
    feed(f, APG_EV_CHANGE_CIPHER_SPEC, 8, EP_A);
    apg_handshake *hs = feed_opaque(f, 8, EP_A, 69);
    g_assert_cmpint(apg_evaluate(hs, FALSE).outcome, ==, APG_OUTCOME_PENDING);
    feed_opaque(f, 9, EP_B, 250);
    g_assert_cmpint(apg_evaluate(hs, FALSE).outcome, ==, APG_OUTCOME_PENDING);
    feed_opaque(f, 10, EP_A, 120); /* the client's request: its second record */
    apg_verdict v = apg_evaluate(hs, FALSE);
    g_assert_cmpint(v.outcome, ==, APG_OUTCOME_ESTABLISHED);
    g_assert_cmpuint(v.decided_frame, ==, 9);
    g_assert_cmpint(v.next, ==, APG_NEXT_CLIENT_DATA);
}

static void test_tls13_opaque_client_alert(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_sh13(f, 6, EP_B);
    feed_opaque(f, 6, EP_B, 1730);
    feed(f, APG_EV_CHANGE_CIPHER_SPEC, 8, EP_A);
    feed_opaque(f, 8, EP_A, APG_TLS13_ENCRYPTED_ALERT_LEN);
    apg_handshake *hs = feed(f, APG_EV_TCP_FIN, 9, EP_A);
    apg_verdict v = apg_evaluate(hs, TRUE);
    g_assert_cmpint(v.outcome, ==, APG_OUTCOME_FAILED);
    g_assert_true(v.alert.alert.encrypted);
    g_assert_cmpint(v.alert.sender, ==, APG_ROLE_CLIENT);
    g_assert_cmpuint(v.decided_frame, ==, 8);
    g_assert_cmpint(v.stage, ==, APG_STAGE_AFTER_SERVER_HELLO);
    assert_ladder(hs, "C:ClientHello#4 > S:ServerHello#6 > S:Encrypted#6 > "
                      "C:ChangeCipherSpec#8 > C:Encrypted(19)#8 > C:FIN#9");
}

static void test_tls13_server_alert_after_client_finished(fixture *f, gconstpointer data)
{
    (void)data;
    /* Decrypted: the client finished, then the server refused its flight. */
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_sh13(f, 6, EP_B);
    feed(f, APG_EV_CERTIFICATE, 6, EP_B);
    feed(f, APG_EV_FINISHED, 6, EP_B);
    feed(f, APG_EV_FINISHED, 8, EP_A);
    apg_handshake *hs = feed_alert(f, 10, EP_B, 2, 116);
    apg_verdict v = apg_evaluate(hs, TRUE);
    g_assert_cmpint(v.outcome, ==, APG_OUTCOME_FAILED);
    g_assert_cmpint(v.stage, ==, APG_STAGE_AFTER_FINISHED);
    g_assert_cmpuint(v.alert.alert.desc, ==, 116);
}

static void test_non_tls_answer(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    apg_event http = {.kind = APG_EV_TCP_PAYLOAD, .frame = 6, .sender = EP_B};
    apg_handshake *hs = apg_conv_observe(f->conv, &http);
    apg_verdict v = apg_evaluate(hs, FALSE);
    g_assert_cmpint(v.cause, ==, APG_CAUSE_NON_TLS_RESPONSE);
    g_assert_cmpuint(v.decided_frame, ==, 6);
}

static void test_fragment_payload_is_not_non_tls(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    apg_event frag = {
        .kind = APG_EV_TCP_PAYLOAD, .frame = 6, .sender = EP_B, .u.payload.looks_tls = TRUE};
    apg_conv_observe(f->conv, &frag);
    apg_event more = {.kind = APG_EV_TCP_PAYLOAD, .frame = 7, .sender = EP_B};
    apg_handshake *hs = apg_conv_observe(f->conv, &more);
    g_assert_cmpuint(hs->non_tls_frame, ==, 0);
}

static void test_long_ladder_is_shortened(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_CLIENT_HELLO, 1, EP_A);
    for (guint i = 0; i < 100; i++)
        feed_alert(f, 2 + i, 1 - (int)(i % 2), 1, 90); /* warnings do not end it */
    char *ladder = apg_ladder_text(apg_conv_current(f->conv));
    g_assert_nonnull(strstr(ladder, " > ...(69 steps) > "));
    g_assert_true(g_str_has_prefix(ladder, "C:ClientHello#1 > S:Alert(warning,user_canceled)#2"));
    g_assert_true(g_str_has_suffix(ladder, "C:Alert(warning,user_canceled)#101"));
    g_free(ladder);
}

static void test_highest_version_skips_grease(fixture *f, gconstpointer data)
{
    (void)data;
    guint16 offered[] = {0x7a7a, APG_TLS12, APG_TLS11};
    apg_offer offer = {.legacy_version = APG_TLS12, .n_versions = 3, .versions = offered};
    g_assert_cmpuint(apg_offer_highest_version(&offer), ==, APG_TLS12);
    offer.n_versions = 0;
    g_assert_cmpuint(apg_offer_highest_version(&offer), ==, APG_TLS12);
    apg_handshake *hs = feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    g_assert_cmpuint(apg_offer_highest_version(&hs->offer), ==, APG_TLS13);
    g_assert_cmpstr(hs->offer.sni, ==, "backend.example.test");
    g_assert_cmpuint(hs->offer.n_suites, ==, 2);
}

/* Issue 11, defect 2: a name cut inside a character (254 'a' and the first
 * byte of 'é', as a 255-byte copy leaves it) is stored valid, cut before it. */
static void test_sni_cut_between_characters(fixture *f, gconstpointer data)
{
    (void)data;
    memset(f->ch.sni, 'a', 254);
    f->ch.sni[254] = (char)0xc3;
    f->ch.sni[255] = '\0';
    apg_handshake *hs = feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    g_assert_true(g_utf8_validate(hs->offer.sni, -1, NULL));
    g_assert_cmpuint(strlen(hs->offer.sni), ==, 254);
    char *t = apg_utf8_bounded("ab\xff\xfe"
                               "cd",
                               6, 255); /* invalid bytes: replaced */
    g_assert_cmpstr(t, ==,
                    "ab\xef\xbf\xbd\xef\xbf\xbd"
                    "cd");
    g_free(t);
    t = apg_utf8_bounded("a\xc3\xa9", 3, 2); /* "aé" in 2 bytes: "a" */
    g_assert_cmpstr(t, ==, "a");
    g_free(t);
}

/* Issue 21, item 6: wire text shown as it is cannot forge lines or move a
 * terminal's cursor; valid UTF-8 stays as it is. */
static void test_printable_text(void)
{
    char *t = apg_text_printable("a\r\nb\x1b[2J\x07\x7f\xc2\x9b\xff \xc3\xa9");
    g_assert_cmpstr(t, ==, "a\\x0d\\x0ab\\x1b[2J\\x07\\x7f\\x9b\xef\xbf\xbd \xc3\xa9");
    g_free(t);
    g_assert_null(apg_text_printable(NULL));
}

/* Issue 11, defect 3: the first records of a ClientHello spread over several
 * (unreadable alone, as the TLS dissector shows them) open no handshake. */
static void test_hello_fragments_open_nothing(fixture *f, gconstpointer data)
{
    (void)data;
    g_assert_null(feed(f, APG_EV_ENCRYPTED_HANDSHAKE, 4, EP_A));
    g_assert_null(feed(f, APG_EV_ENCRYPTED_HANDSHAKE, 5, EP_A));
    apg_handshake *hs = feed(f, APG_EV_CLIENT_HELLO, 6, EP_A);
    feed_alert(f, 8, EP_B, 2, 40);
    g_assert_cmpuint(f->conv->handshakes->len, ==, 1);
    g_assert_true(hs->saw_start);
    g_assert_cmpuint(hs->first_frame, ==, 6);
    g_assert_cmpint(apg_evaluate(hs, TRUE).outcome, ==, APG_OUTCOME_FAILED);
}

/* A crafted stream of ClientHellos each answered by a warning: the next
 * ClientHello settles the one before (refused by the warning), instead of
 * "the capture ends before the handshake's outcome". */
static void test_superseded_after_warning(fixture *f, gconstpointer data)
{
    (void)data;
    apg_handshake *first = feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    feed_alert(f, 6, EP_B, 1, 100);
    g_assert_cmpint(apg_evaluate(first, FALSE).outcome, ==, APG_OUTCOME_PENDING);
    feed(f, APG_EV_CLIENT_HELLO, 8, EP_A);
    g_assert_cmpuint(f->conv->handshakes->len, ==, 2);
    apg_verdict v = apg_evaluate(first, FALSE);
    g_assert_cmpint(v.outcome, ==, APG_OUTCOME_FAILED);
    g_assert_cmpint(v.cause, ==, APG_CAUSE_ALERT_OTHER);
    g_assert_cmpuint(v.decided_frame, ==, 6);
    g_assert_cmpuint(v.alert.alert.desc, ==, 100);
}

/* Issue 11, defect 5: no sentence may cite a frame that does not exist
 * ("The server chose TLSv1.3 (frame 0)" after a HelloRetryRequest alone). */
static void assert_cites_real_frames(const apg_handshake *hs, const apg_verdict *v)
{
    apg_context ctx = {0};
    apg_diagnosis d = apg_diagnose(hs, v, &ctx);
    for (const char *p = d.summary; (p = strstr(p, "frame 0")); p++)
        if (!g_ascii_isdigit(p[7]))
            g_error("cites frame 0: %s", d.summary);
    g_assert_null(strstr(d.summary, "frames 0"));
    for (guint i = 0; i < d.n_evidence; i++)
        g_assert_cmpuint(d.evidence[i], !=, 0);
    apg_diagnosis_clear(&d);
}

/* Whatever order and mix of events arrives, the tracker keeps its bounds
 * and the verdict is one of the defined values. */
static void test_random_event_storms(fixture *f, gconstpointer data)
{
    (void)data;
    for (guint round = 0; round < 200; round++) {
        apg_conversation *conv = apg_conv_new(round, NULL);
        guint32 frame = 1;
        for (guint i = 0; i < 400; i++) {
            apg_event ev = {.kind = g_test_rand_int_range(0, APG_EV_COUNT),
                            .frame = frame += g_test_rand_int_range(0, 2),
                            .sender = g_test_rand_int_range(0, 2),
                            .record_version = g_test_rand_int_range(0, 0x305),
                            .record_length = g_test_rand_int_range(0, 40)};
            if (ev.kind == APG_EV_CLIENT_HELLO)
                ev.u.client_hello = &f->ch;
            if (ev.kind == APG_EV_SERVER_HELLO) {
                static const guint16 versions[] = {0,         APG_SSL3, APG_TLS12,
                                                   APG_TLS13, 0x7f1c,   0x0380};
                ev.u.server_hello.is_hrr = g_test_rand_int_range(0, 2);
                ev.u.server_hello.legacy_version = versions[g_test_rand_int_range(0, 6)];
                ev.u.server_hello.selected_version = versions[g_test_rand_int_range(0, 6)];
            }
            if (ev.kind == APG_EV_ALERT) {
                ev.u.alert.level = g_test_rand_int_range(0, 4);
                ev.u.alert.desc = g_test_rand_int_range(0, 256);
            }
            apg_conv_observe(conv, &ev);
        }
        for (guint h = 0; h < conv->handshakes->len; h++) {
            const apg_handshake *hs = g_ptr_array_index(conv->handshakes, h);
            g_assert_cmpuint(hs->n_steps, <=, APG_MAX_EVENTS_PER_HANDSHAKE);
            g_assert_cmpuint(hs->alerts->len, <=, APG_MAX_EVENTS_PER_HANDSHAKE);
            apg_verdict v = apg_evaluate(hs, TRUE);
            g_assert_cmpint(v.outcome, !=, APG_OUTCOME_PENDING);
            g_assert_cmpint(v.cause, <, APG_CAUSE_COUNT);
            char *ladder = apg_ladder_text(hs);
            g_assert_cmpuint(strlen(ladder), <, 4096);
            g_free(ladder);
            assert_cites_real_frames(hs, &v);
        }
        apg_conv_free(conv);
    }
}

/* Short storms: many small handshakes, every one diagnosed. */
static void test_short_event_storms(fixture *f, gconstpointer data)
{
    (void)data;
    for (guint round = 0; round < 3000; round++) {
        apg_conversation *conv = apg_conv_new(round, NULL);
        guint32 frame = 1;
        guint n = g_test_rand_int_range(1, 12);
        for (guint i = 0; i < n; i++) {
            apg_event ev = {.kind = g_test_rand_int_range(0, APG_EV_COUNT),
                            .frame = frame += g_test_rand_int_range(0, 2),
                            .sender = g_test_rand_int_range(0, 2),
                            .record_version = APG_TLS12,
                            .record_length = g_test_rand_int_range(0, 40)};
            if (ev.kind == APG_EV_CLIENT_HELLO)
                ev.u.client_hello = &f->ch;
            if (ev.kind == APG_EV_SERVER_HELLO) {
                ev.u.server_hello.is_hrr = g_test_rand_int_range(0, 2);
                ev.u.server_hello.legacy_version = APG_TLS12;
                ev.u.server_hello.selected_version = g_test_rand_int_range(0, 2) ? APG_TLS13 : 0;
            }
            if (ev.kind == APG_EV_ALERT) {
                ev.u.alert.level = 2;
                ev.u.alert.desc =
                    (guint8[]){40, 42, 46, 48, 70, 112, 116}[g_test_rand_int_range(0, 7)];
                ev.u.alert.encrypted = g_test_rand_int_range(0, 4) == 0;
            }
            apg_conv_observe(conv, &ev);
        }
        for (guint h = 0; h < conv->handshakes->len; h++) {
            const apg_handshake *hs = g_ptr_array_index(conv->handshakes, h);
            apg_verdict v = apg_evaluate(hs, TRUE);
            assert_cites_real_frames(hs, &v);
        }
        apg_conv_free(conv);
    }
}

static void test_texts(void)
{
    g_assert_cmpstr(apg_outcome_token(APG_OUTCOME_FAILED), ==, "failed");
    g_assert_cmpstr(apg_cause_token(APG_CAUSE_INCOMPLETE_CAPTURE), ==, "incomplete_capture");
    g_assert_cmpstr(apg_stage_text(APG_STAGE_AFTER_CERTIFICATE), ==, "after Certificate");
    g_assert_cmpstr(apg_alert_desc_name(112), ==, "unrecognized_name");
    g_assert_null(apg_alert_desc_name(255));
    g_assert_cmpstr(apg_version_name(APG_TLS13), ==, "TLSv1.3");
    for (int c = 0; c < APG_CAUSE_COUNT; c++) {
        g_assert_nonnull(apg_cause_token(c));
        g_assert_cmpuint(strlen(apg_cause_text(c)), >, 10);
    }
}

/* The server's first segments swapped and not reassembled: no ServerHello
 * reaches the tracker, the client goes on and the server's close_notify
 * is unreadable. That is the capture's reordering, not a failure. */
static void test_server_hello_lost_to_reordering(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    apg_event mid = {.kind = APG_EV_TCP_PAYLOAD,
                     .frame = 6,
                     .sender = EP_B,
                     .tcp_seq = 525,
                     .tcp_len = 524,
                     .u.payload.looks_tls = TRUE};
    apg_conv_observe(f->conv, &mid);
    apg_event late = {.kind = APG_EV_TCP_SEGMENT,
                      .frame = 7,
                      .sender = EP_B,
                      .tcp_seq = 1,
                      .tcp_len = 524,
                      .u.tcp = {.out_of_order = TRUE}};
    apg_conv_observe(f->conv, &late);
    feed(f, APG_EV_CHANGE_CIPHER_SPEC, 16, EP_A);
    apg_handshake *hs = feed_alert(f, 30, EP_B, 1, 0);
    g_array_index(hs->alerts, apg_alert_seen, hs->alerts->len - 1).alert.encrypted = TRUE;
    apg_verdict v = apg_evaluate(hs, TRUE);
    g_assert_cmpint(v.outcome, ==, APG_OUTCOME_INCOMPLETE);
    g_assert_cmpint(v.gap, ==, APG_GAP_OUT_OF_ORDER);
    /* A readable server alert is an answer that came through. */
    feed_alert(f, 31, EP_B, 2, 40);
    v = apg_evaluate(hs, TRUE);
    g_assert_cmpint(v.outcome, ==, APG_OUTCOME_FAILED);
}

/* A segment of role's with sequence numbers; resent: Wireshark called it a
 * retransmission (4.6 does for a late segment that 4.0 calls out of order). */
static void seg(fixture *f, apg_event_kind kind, guint32 frame, int sender, guint32 seq,
                guint32 len, gboolean resent)
{
    apg_event ev = {.kind = kind, .frame = frame, .sender = sender, .tcp_seq = seq, .tcp_len = len};
    if (kind == APG_EV_TCP_SEGMENT)
        ev.u.tcp.resent_data = resent;
    else if (kind == APG_EV_TCP_PAYLOAD)
        ev.u.payload.looks_tls = TRUE;
    apg_conv_observe(f->conv, &ev);
}

/* Issue 22: the swapped server segments as 4.6 marks them (the late one a
 * retransmission, never out of order). Its bytes were never seen before:
 * read from the sequence numbers, it arrived late, as on 4.0 and 4.4. */
static void test_late_segment_read_from_sequence(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    seg(f, APG_EV_TCP_SEGMENT, 5, EP_B, 1, 0, FALSE);     /* the server's ACK */
    seg(f, APG_EV_TCP_PAYLOAD, 6, EP_B, 525, 524, FALSE); /* 1..524 not yet seen */
    seg(f, APG_EV_TCP_PAYLOAD, 7, EP_B, 1, 524, FALSE);   /* ...and here they are */
    seg(f, APG_EV_TCP_SEGMENT, 7, EP_B, 1, 524, TRUE);    /* the same frame's flag */
    seg(f, APG_EV_TCP_PAYLOAD, 8, EP_B, 1049, 524, FALSE);
    feed(f, APG_EV_CHANGE_CIPHER_SPEC, 16, EP_A);
    apg_handshake *hs = feed_alert(f, 30, EP_B, 1, 0);
    g_array_index(hs->alerts, apg_alert_seen, hs->alerts->len - 1).alert.encrypted = TRUE;
    g_assert_cmpuint(hs->out_of_order_frame, ==, 7);
    apg_verdict v = apg_evaluate(hs, TRUE);
    g_assert_cmpint(v.outcome, ==, APG_OUTCOME_INCOMPLETE);
    g_assert_cmpint(v.gap, ==, APG_GAP_OUT_OF_ORDER);
}

/* A true retransmission (bytes seen before), a segment resent after a gap
 * the capture never fills, and a wrap of the sequence space: none is late. */
static void test_retransmission_is_not_late(fixture *f, gconstpointer data)
{
    (void)data;
    feed(f, APG_EV_CLIENT_HELLO, 4, EP_A);
    guint32 base = G_MAXUINT32 - 600; /* the server's bytes cross 2^32 */
    seg(f, APG_EV_TCP_PAYLOAD, 5, EP_B, base, 524, FALSE);
    seg(f, APG_EV_TCP_SEGMENT, 6, EP_B, base, 524, TRUE);
    seg(f, APG_EV_TCP_PAYLOAD, 7, EP_B, base + 524, 524, FALSE);
    seg(f, APG_EV_TCP_PAYLOAD, 8, EP_B, base + 2096, 524, FALSE); /* a gap: 1048..2095 */
    seg(f, APG_EV_TCP_SEGMENT, 9, EP_B, base + 524, 524, TRUE);   /* before the gap */
    seg(f, APG_EV_TCP_SEGMENT, 10, EP_B, base + 2096, 524, TRUE);
    const apg_handshake *hs = apg_conv_current(f->conv);
    g_assert_cmpuint(hs->out_of_order_frame, ==, 0);
    /* Then the gap's bytes come: late. */
    seg(f, APG_EV_TCP_PAYLOAD, 11, EP_B, base + 1048, 524, FALSE);
    g_assert_cmpuint(hs->out_of_order_frame, ==, 11);
}

/* A ClientHello in two segments whose first a router keeps refusing (the
 * IPv6 path-MTU capture): the client resends it, and 4.0 calls its last
 * resend, just after the FIN, out of order. Its bytes were all seen: it hides
 * nothing, and counts as a resend. Bytes never seen, flagged, still count. */
static void test_resend_called_out_of_order(fixture *f, gconstpointer data)
{
    (void)data;
    /* (its first segment, frame 12, came before the stream's first TLS: the
     * capture layer's) */
    apg_event ch = {.kind = APG_EV_CLIENT_HELLO,
                    .frame = 14,
                    .sender = EP_A,
                    .tcp_seq = 1429,
                    .tcp_len = 116,
                    .record_version = APG_TLS12,
                    .record_length = 1539};
    ch.u.client_hello = &f->ch;
    apg_conv_observe(f->conv, &ch);
    seg(f, APG_EV_TCP_SEGMENT, 16, EP_A, 1, 1428, TRUE);
    apg_event late = {
        .kind = APG_EV_TCP_SEGMENT, .frame = 20, .sender = EP_A, .tcp_seq = 1, .tcp_len = 1428};
    late.u.tcp.out_of_order = TRUE;
    apg_conv_observe(f->conv, &late);
    const apg_handshake *hs = apg_conv_current(f->conv);
    g_assert_cmpuint(hs->out_of_order_frame, ==, 0);
    g_assert_cmpuint(hs->ch_retransmissions, ==, 2);
    /* 4.4 and 4.6 flag the server's SYN-ACK sent again: no data, no record */
    apg_event synack = {.kind = APG_EV_TCP_SEGMENT, .frame = 21, .sender = EP_B};
    synack.u.tcp.out_of_order = TRUE;
    apg_conv_observe(f->conv, &synack);
    g_assert_cmpuint(hs->out_of_order_frame, ==, 0);
    /* the server's first bytes, flagged: nothing of them was seen before */
    apg_event first = {
        .kind = APG_EV_TCP_SEGMENT, .frame = 22, .sender = EP_B, .tcp_seq = 1, .tcp_len = 100};
    first.u.tcp.out_of_order = TRUE;
    apg_conv_observe(f->conv, &first);
    g_assert_cmpuint(hs->out_of_order_frame, ==, 22);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    ADD("/verdict/tls12-established", test_tls12_established);
    ADD("/verdict/tls12-client-leaves-without-data", test_tls12_client_leaves_without_data);
    ADD("/verdict/tls12-server-leaves-first", test_tls12_server_leaves_first);
    ADD("/tracker/roles-mid-connection", test_roles_mid_connection);
    ADD("/verdict/server-alert-before-server-hello", test_server_alert_before_server_hello);
    ADD("/verdict/client-rejects-certificate", test_client_rejects_certificate);
    ADD("/verdict/warning-alert-does-not-end", test_warning_alert_does_not_end);
    ADD("/verdict/no-server-response", test_no_server_response);
    ADD("/verdict/one-sided-capture", test_one_sided_capture_is_incomplete);
    ADD("/verdict/retransmitted-hello", test_retransmitted_hello_without_ack);
    ADD("/verdict/ends-too-soon", test_capture_ends_too_soon);
    ADD("/verdict/client-warnings-before-answer", test_client_warnings_before_any_answer);
    ADD("/verdict/tls13-short-server-record", test_tls13_short_server_record_then_close);
    ADD("/verdict/draft-versions", test_draft_versions);
    ADD("/verdict/server-reset-and-close", test_server_reset_and_close);
    ADD("/verdict/client-abort", test_client_abort_after_server_flight);
    ADD("/verdict/missing-start-is-incomplete", test_missing_start_is_incomplete);
    ADD("/verdict/tls13-opaque-established", test_tls13_opaque_established);
    ADD("/verdict/tls13-opaque-client-alert", test_tls13_opaque_client_alert);
    ADD("/verdict/tls13-server-alert-after-client-finished",
        test_tls13_server_alert_after_client_finished);
    ADD("/verdict/non-tls-answer", test_non_tls_answer);
    ADD("/tracker/fragment-payload-is-not-non-tls", test_fragment_payload_is_not_non_tls);
    ADD("/tracker/client-hello-retransmission", test_client_hello_retransmission);
    ADD("/tracker/hello-retry-request", test_hello_retry_request_same_handshake);
    ADD("/tracker/renegotiation", test_renegotiation_is_a_new_handshake);
    ADD("/tracker/hrr-alone-means-tls13", test_hrr_alone_means_tls13);
    ADD("/tracker/role-follows-client-hello", test_role_follows_client_hello_sender);
    ADD("/tracker/tcp-before-tls", test_tcp_before_tls_is_ignored);
    ADD("/tracker/random-event-storms", test_random_event_storms);
    ADD("/tracker/short-event-storms-cite-real-frames", test_short_event_storms);
    ADD("/tracker/sni-cut-between-characters", test_sni_cut_between_characters);
    ADD("/tracker/hello-fragments-open-nothing", test_hello_fragments_open_nothing);
    ADD("/verdict/superseded-after-warning", test_superseded_after_warning);
    ADD("/text/long-ladder", test_long_ladder_is_shortened);
    ADD("/verdict/server-hello-lost-to-reordering", test_server_hello_lost_to_reordering);
    ADD("/tracker/late-segment-from-sequence", test_late_segment_read_from_sequence);
    ADD("/tracker/retransmission-is-not-late", test_retransmission_is_not_late);
    ADD("/tracker/resend-called-out-of-order", test_resend_called_out_of_order);
    ADD("/text/highest-version", test_highest_version_skips_grease);
    g_test_add_func("/text/names", test_texts);
    g_test_add_func("/text/printable", test_printable_text);
    return g_test_run();
}
