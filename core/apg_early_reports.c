/* apg_early_reports.c - routers' reports before a stream's first TLS.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_early_reports.h"

#include "apg_path_mtu.h"

struct apg_early_reports {
    GHashTable *streams; /* tcp.stream -> GArray of apg_event */
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

void apg_early_reports_add(apg_early_reports *e, guint32 stream, const apg_event *ev)
{
    GArray *reports = g_hash_table_lookup(e->streams, GUINT_TO_POINTER(stream));
    if (!reports) {
        if (g_hash_table_size(e->streams) >= APG_MAX_EARLY_REPORT_STREAMS)
            return;
        reports = g_array_new(FALSE, FALSE, sizeof(apg_event));
        g_hash_table_insert(e->streams, GUINT_TO_POINTER(stream), reports);
    }
    if (reports->len < APG_MAX_EARLY_REPORTS)
        g_array_append_val(reports, *ev);
}

void apg_early_reports_hand_over(apg_early_reports *e, guint32 stream, const apg_conversation *conv,
                                 apg_handshake *hs)
{
    GArray *reports = g_hash_table_lookup(e->streams, GUINT_TO_POINTER(stream));
    if (!reports)
        return;
    for (guint i = 0; i < reports->len; i++) {
        apg_event ev = g_array_index(reports, apg_event, i);
        const apg_endpoint *sender = &ev.u.too_big.sender;
        if (!apg_endpoint_equal(sender, &conv->endpoint[0]) &&
            !apg_endpoint_equal(sender, &conv->endpoint[1]))
            continue; /* it quotes a packet of neither peer */
        ev.sender = apg_endpoint_equal(sender, &conv->endpoint[0]) ? 0 : 1;
        apg_hs_note_early_too_big(hs, &ev, apg_hs_role_of(hs, ev.sender));
    }
    g_hash_table_remove(e->streams, GUINT_TO_POINTER(stream));
}
