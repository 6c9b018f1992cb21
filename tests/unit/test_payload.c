/* test_payload.c - the byte readers of plugin/apg_payload.c on well-formed,
 * cut and lying input: every length is checked against the bytes given.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_payload.h"

#include <string.h>

#define BYTES(...) ((const guint8[]){__VA_ARGS__}), sizeof((const guint8[]){__VA_ARGS__})

static void test_u16_list(void)
{
    guint16 out[4];
    g_assert_cmpuint(apg_payload_u16_list(BYTES(0, 4, 0x00, 0x1d, 0x00, 0x17), out, 4), ==, 2);
    g_assert_cmpuint(out[0], ==, 0x001d);
    g_assert_cmpuint(out[1], ==, 0x0017);
    g_assert_cmpuint(apg_payload_u16_list(BYTES(0, 3, 0, 0x1d, 0), out, 4), ==, 0); /* odd */
    g_assert_cmpuint(apg_payload_u16_list(BYTES(0, 8, 0, 0x1d), out, 4), ==, 0);    /* beyond */
    g_assert_cmpuint(apg_payload_u16_list(BYTES(0), out, 4), ==, 0);                /* cut */
    g_assert_cmpuint(apg_payload_u16_list(BYTES(0, 6, 0, 1, 0, 2, 0, 3), out, 2), ==, 2); /* cap */
}

static void test_key_shares(void)
{
    guint16 out[4];
    /* x25519 with a 2-byte key, secp256r1 with a 1-byte key */
    g_assert_cmpuint(
        apg_payload_key_shares(BYTES(0, 11, 0x00, 0x1d, 0, 2, 0xaa, 0xbb, 0x00, 0x17, 0, 1, 0xcc),
                               out, 4),
        ==, 2);
    g_assert_cmpuint(out[0], ==, 0x001d);
    g_assert_cmpuint(out[1], ==, 0x0017);
    /* a key length past the list ends the walk after its group */
    g_assert_cmpuint(apg_payload_key_shares(BYTES(0, 6, 0x00, 0x1d, 0xff, 0xff, 0, 0), out, 4), ==,
                     1);
    g_assert_cmpuint(apg_payload_key_shares(BYTES(0, 40, 0x00, 0x1d), out, 4), ==, 0);
}

static void test_alpn(void)
{
    char out[16];
    g_assert_true(
        apg_payload_alpn(BYTES(0, 12, 2, 'h', '2', 8, 'h', 't', 't', 'p', '/', '1', '.', '1'), out,
                         sizeof out, FALSE));
    g_assert_cmpstr(out, ==, "h2,http/1.1");
    g_assert_true(
        apg_payload_alpn(BYTES(0, 12, 2, 'h', '2', 8, 'h', 't', 't', 'p', '/', '1', '.', '1'), out,
                         sizeof out, TRUE));
    g_assert_cmpstr(out, ==, "h2");
    /* a name longer than the list, a zero-length name, a control byte */
    g_assert_false(apg_payload_alpn(BYTES(0, 3, 9, 'h', '2'), out, sizeof out, FALSE));
    g_assert_false(apg_payload_alpn(BYTES(0, 1, 0), out, sizeof out, FALSE));
    g_assert_true(apg_payload_alpn(BYTES(0, 3, 2, 'h', 0x01), out, sizeof out, FALSE));
    g_assert_cmpstr(out, ==, "h");
    /* cut to what fits */
    char small[4];
    g_assert_true(apg_payload_alpn(BYTES(0, 9, 8, 'h', 't', 't', 'p', '/', '1', '.', '1'), small,
                                   sizeof small, FALSE));
    g_assert_cmpstr(small, ==, "htt");
}

static void test_http_lines(void)
{
    char target[32];
    const char *connect = "CONNECT backend.example.test:8443 HTTP/1.1\r\n";
    g_assert_true(apg_payload_connect((const guint8 *)connect, (guint)strlen(connect), target,
                                      sizeof target));
    g_assert_cmpstr(target, ==, "backend.example.test:8443");
    g_assert_false(apg_payload_connect((const guint8 *)"CONNECT  x", 10, target, sizeof target));
    g_assert_false(
        apg_payload_connect((const guint8 *)"GET / HTTP/1.1", 14, target, sizeof target));
    const char *status = "HTTP/1.1 407 Proxy Authentication Required\r\n";
    g_assert_cmpuint(apg_payload_status((const guint8 *)status, (guint)strlen(status)), ==, 407);
    g_assert_cmpuint(apg_payload_status((const guint8 *)"HTTP/1.1 4x7 ", 13), ==, 0);
    g_assert_cmpuint(apg_payload_status((const guint8 *)"HTTP/1.1 099 ", 13), ==, 0);
    g_assert_cmpuint(apg_payload_status((const guint8 *)"HTTP/1.1 40", 11), ==, 0); /* cut */
    g_assert_true(apg_payload_looks_tls((const guint8[]){22, 3, 1}));
    g_assert_false(apg_payload_looks_tls((const guint8 *)"HTT"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/payload/u16-list", test_u16_list);
    g_test_add_func("/payload/key-shares", test_key_shares);
    g_test_add_func("/payload/alpn", test_alpn);
    g_test_add_func("/payload/http-lines", test_http_lines);
    return g_test_run();
}
