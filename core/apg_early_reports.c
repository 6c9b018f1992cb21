/* apg_early_reports.c - routers' reports before a stream's first TLS.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_early_reports.h"

#include "apg_path_mtu.h"

/* What a report says, without the rest of an event (344 bytes). */
typedef struct {
    guint32 frame, mtu, packet_len;
    apg_endpoint sender, router; /* the quoted packet's sender; the report's */
} early_report;

struct apg_early_reports {
    GHashTable *streams; /* tcp.stream -> GArray of early_report */
};

static void free_reports(gpointer p)
{
    g_array_free(p, TRUE);
}

apg_early_reports *apg_early_reports_new(void)
{
    apg_early_reports *e = g_new0(apg_early_reports, 1);
    e->streams = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, free_reports);
    return e;
}

void apg_early_reports_free(apg_early_reports *e)
{
    if (!e)
        return;
    g_hash_table_destroy(e->streams);
    g_free(e);
}

void apg_early_reports_add(apg_early_reports *e, guint32 stream, const apg_endpoint *router,
                           const apg_event *ev)
{
    GArray *reports = g_hash_table_lookup(e->streams, GUINT_TO_POINTER(stream));
    if (!reports) {
        if (g_hash_table_size(e->streams) >= APG_MAX_EARLY_REPORT_STREAMS)
            return;
        reports = g_array_new(FALSE, FALSE, sizeof(early_report));
        g_hash_table_insert(e->streams, GUINT_TO_POINTER(stream), reports);
    }
    early_report r = {ev->frame, ev->u.too_big.mtu, ev->u.too_big.packet_len, ev->u.too_big.sender,
                      *router};
    if (reports->len < APG_MAX_EARLY_REPORTS)
        g_array_append_val(reports, r);
}

void apg_early_reports_hand_over(apg_early_reports *e, guint32 stream, const apg_conversation *conv,
                                 apg_handshake *hs)
{
    GArray *reports = g_hash_table_lookup(e->streams, GUINT_TO_POINTER(stream));
    if (!reports)
        return;
    for (guint i = 0; i < reports->len; i++) {
        const early_report *r = &g_array_index(reports, early_report, i);
        int peer = apg_conv_peer_index(conv, &r->sender);
        if (peer < 0)
            continue; /* it quotes a packet of neither peer */
        apg_event ev = {.kind = APG_EV_PATH_TOO_BIG, .frame = r->frame, .sender = peer};
        ev.u.too_big.mtu = r->mtu;
        ev.u.too_big.packet_len = r->packet_len;
        ev.u.too_big.sender = r->sender;
        ev.u.too_big.router = r->router;
        apg_hs_note_early_too_big(hs, &ev, apg_hs_role_of(hs, peer));
    }
    g_hash_table_remove(e->streams, GUINT_TO_POINTER(stream));
}
