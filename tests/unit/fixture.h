/* fixture.h - builds synthetic handshakes event by event for the unit tests.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_TEST_FIXTURE_H
#define APG_TEST_FIXTURE_H

#include <string.h>

#include "apg_text.h"
#include "apg_verdict.h"

/* Endpoints: the client app is endpoint 0 unless a test says otherwise. */
enum { EP_A = 0, EP_B = 1 };

typedef struct {
    apg_conversation *conv;
    apg_client_hello ch;
} fixture;

static inline void setup(fixture *f, gconstpointer data)
{
    (void)data;
    f->conv = apg_conv_new(7, NULL);
    memset(&f->ch, 0, sizeof f->ch);
    f->ch.legacy_version = APG_TLS12;
    f->ch.versions[f->ch.n_versions++] = APG_TLS13;
    f->ch.versions[f->ch.n_versions++] = APG_TLS12;
    f->ch.suites[f->ch.n_suites++] = 0x1301;
    f->ch.suites[f->ch.n_suites++] = 0xc02f;
    f->ch.has_sni = TRUE;
    g_strlcpy(f->ch.sni, "backend.example.test", sizeof f->ch.sni);
}

static inline void teardown(fixture *f, gconstpointer data)
{
    (void)data;
    apg_conv_free(f->conv);
}

static inline apg_handshake *feed(fixture *f, apg_event_kind kind, guint32 frame, int sender)
{
    apg_event ev = {.kind = kind,
                    .frame = frame,
                    .sender = sender,
                    .record_version = kind >= APG_EV_TCP_FIN ? 0 : APG_TLS12,
                    .record_length = 100};
    if (kind == APG_EV_CLIENT_HELLO)
        ev.u.client_hello = &f->ch;
    if (kind == APG_EV_SERVER_HELLO)
        ev.u.server_hello.legacy_version = APG_TLS12;
    return apg_conv_observe(f->conv, &ev);
}

static inline apg_handshake *feed_alert(fixture *f, guint32 frame, int sender, guint8 level,
                                        guint8 desc)
{
    apg_event ev = {.kind = APG_EV_ALERT,
                    .frame = frame,
                    .sender = sender,
                    .record_version = APG_TLS12,
                    .record_length = 2};
    ev.u.alert.level = level;
    ev.u.alert.desc = desc;
    return apg_conv_observe(f->conv, &ev);
}

static inline apg_handshake *feed_sh13(fixture *f, guint32 frame, int sender)
{
    apg_event ev = {.kind = APG_EV_SERVER_HELLO,
                    .frame = frame,
                    .sender = sender,
                    .record_version = APG_TLS12,
                    .record_length = 90};
    ev.u.server_hello.legacy_version = APG_TLS12;
    ev.u.server_hello.selected_version = APG_TLS13;
    ev.u.server_hello.suite = 0x1301;
    return apg_conv_observe(f->conv, &ev);
}

static inline apg_handshake *feed_opaque(fixture *f, guint32 frame, int sender, guint32 length)
{
    apg_event ev = {.kind = APG_EV_ENCRYPTED_RECORD,
                    .frame = frame,
                    .sender = sender,
                    .record_version = APG_TLS12,
                    .record_length = length};
    return apg_conv_observe(f->conv, &ev);
}

static inline apg_handshake *feed_handshake_type(fixture *f, guint8 type, guint32 frame, int sender)
{
    apg_event ev = {.kind = APG_EV_OTHER_HANDSHAKE, .frame = frame, .sender = sender};
    ev.record_version = APG_TLS12;
    ev.handshake_type = type;
    return apg_conv_observe(f->conv, &ev);
}

static inline apg_handshake *feed_hrr(fixture *f, guint32 frame, int sender)
{
    apg_event ev = {
        .kind = APG_EV_SERVER_HELLO, .frame = frame, .sender = sender, .record_version = APG_TLS12};
    ev.u.server_hello.is_hrr = TRUE;
    return apg_conv_observe(f->conv, &ev);
}

static inline void assert_ladder(const apg_handshake *hs, const char *expected)
{
    char *ladder = apg_ladder_text(hs);
    g_assert_cmpstr(ladder, ==, expected);
    g_free(ladder);
}

#define ADD(path, fn) g_test_add(path, fixture, NULL, setup, fn, teardown)

#endif /* APG_TEST_FIXTURE_H */
