/* apg_payload.c - the first bytes of a TCP segment without TLS records: do
 * they start like a TLS record, an HTTP CONNECT to a forward proxy, or an
 * HTTP status line; and the 16-bit lists of ClientHello extensions. Each
 * reads only the n bytes it is given.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_payload.h"

#include <string.h>

#include "apg_tls.h"

/* A TLS record header: content type 20..24, then major version 3. */
gboolean apg_payload_looks_tls(const guint8 *b)
{
    return b[0] >= APG_CT_CHANGE_CIPHER_SPEC && b[0] <= APG_CT_HEARTBEAT && b[1] == 3;
}

/* A TLS handshake record's header and its first message's type: content
 * type 22, version 3.0-3.4 (SSL 3.0 to TLS 1.3's legacy values), a length
 * a record may have (RFC 8446 5.1: at most 2^14 + 2048). */
gboolean apg_payload_tls_handshake(const guint8 *b, guint n)
{
    if (n < 6 || b[0] != APG_CT_HANDSHAKE || b[1] != 3 || b[2] > 4)
        return FALSE;
    guint len = (guint)b[3] << 8 | b[4];
    return len >= 4 && len <= (1u << 14) + 2048;
}

/* "CONNECT host:port HTTP/1.1" (RFC 9110 9.3.6): the target, printable. */
gboolean apg_payload_connect(const guint8 *b, guint n, char *target, gsize cap)
{
    static const char verb[] = "CONNECT ";
    if (!cap || n <= sizeof verb - 1 || memcmp(b, verb, sizeof verb - 1) != 0)
        return FALSE;
    guint len = 0;
    for (guint i = sizeof verb - 1; i < n && len + 1 < cap; i++) {
        if (b[i] <= 0x20 || b[i] >= 0x7f)
            break;
        target[len++] = (char)b[i];
    }
    target[len] = '\0';
    return len > 0;
}

/* "HTTP/1.1 407 ...": the status, three digits. */
guint apg_payload_status(const guint8 *b, guint n)
{
    static const char version[] = "HTTP/1.";
    if (n < 12 || memcmp(b, version, sizeof version - 1) != 0 || b[8] != ' ')
        return 0;
    guint status = 0;
    for (guint i = 9; i < 12; i++) {
        if (!g_ascii_isdigit(b[i]))
            return 0;
        status = status * 10 + (guint)(b[i] - '0');
    }
    return status >= 100 ? status : 0;
}

/* A 2-byte list length, then 16-bit values (RFC 8446 4.2.3, 4.2.7), inside n
 * bytes: the values that fit in cap, or 0 when the lengths do not add up. */
guint apg_payload_u16_list(const guint8 *b, guint n, guint16 *out, guint cap)
{
    if (n < 2)
        return 0;
    guint len = (guint)b[0] << 8 | b[1], got = 0;
    if (len + 2 > n || len % 2)
        return 0;
    for (guint i = 0; i < len / 2 && got < cap; i++)
        out[got++] = (guint16)((guint)b[2 + 2 * i] << 8 | b[3 + 2 * i]);
    return got;
}

/* key_share in a ClientHello (RFC 8446 4.2.8): a 2-byte length, then
 * entries of a group, a 2-byte key length and the key: the groups. */
guint apg_payload_key_shares(const guint8 *b, guint n, guint16 *out, guint cap)
{
    if (n < 2)
        return 0;
    guint len = (guint)b[0] << 8 | b[1], at = 2, got = 0;
    if (len + 2 > n)
        return 0;
    while (at + 4 <= len + 2 && got < cap) {
        guint key = (guint)b[at + 2] << 8 | b[at + 3];
        out[got++] = (guint16)((guint)b[at] << 8 | b[at + 1]);
        at += 4 + key;
    }
    return got;
}

/* ALPN (RFC 7301 3.1): a 2-byte length, then protocols of a 1-byte length:
 * comma-joined as far as they fit in cap, or only the first (a server's
 * choice). Bytes below 0x20 end a name: the text goes into filters. */
gboolean apg_payload_alpn(const guint8 *b, guint n, char *out, gsize cap, gboolean first_only)
{
    if (n < 3 || !cap)
        return FALSE;
    guint len = (guint)b[0] << 8 | b[1], at = 2;
    gsize used = 0;
    if (len + 2 > n)
        return FALSE;
    while (at < len + 2) {
        guint name = b[at++];
        if (!name || at + name > len + 2)
            break;
        if (used && used + 1 < cap)
            out[used++] = ',';
        for (guint i = 0; i < name && used + 1 < cap && b[at + i] >= 0x20; i++)
            out[used++] = (char)b[at + i];
        at += name;
        if (first_only)
            break;
    }
    out[used] = '\0';
    return used > 0;
}
