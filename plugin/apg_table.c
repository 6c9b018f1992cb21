/* apg_table.c - the per-handshake table of "tshark -z apigee_hs,handshakes".
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_table.h"

#include <stdio.h>

#include <epan/stat_tap_ui.h>
#include <epan/tap.h>

#include "apg_compat.h"
#include "apg_text.h"
#include "packet-apigee-hs.h"

static char *alert_cell(const apg_verdict *v)
{
    if (!v->has_alert)
        return g_strdup("-");
    if (v->alert.alert.encrypted)
        return g_strdup_printf("%s:encrypted", apg_role_token(v->alert.sender));
    const char *desc = apg_alert_desc_name(v->alert.alert.desc);
    return desc ? g_strdup_printf("%s:%s", apg_role_token(v->alert.sender), desc)
                : g_strdup_printf("%s:%u", apg_role_token(v->alert.sender), v->alert.alert.desc);
}

static void print_row(const apg_conversation *conv, const apg_handshake *hs)
{
    apg_verdict v = apg_evaluate_at(hs, TRUE, apg_state_capture_end_us());
    apg_view view;
    apg_state_diagnose(conv, hs, &v, &view);
    const apg_diagnosis *d = &view.d;
    char *alert = alert_cell(&v);
    char *sni = hs->offer.sni ? g_strescape(hs->offer.sni, NULL) : g_strdup("-");
    const char *version = apg_version_name(apg_hs_negotiated_version(hs));
    printf("%6u %2u %-23s %-23s %-11s %-20s %-8s %-10s %-18s %-27s %7u %-7s %s\n", conv->stream,
           hs->index, apg_conv_endpoint(conv, hs, APG_ROLE_CLIENT),
           apg_conv_endpoint(conv, hs, APG_ROLE_SERVER), apg_outcome_token(v.outcome),
           apg_cause_token(d->cause), apg_confidence_token(d->confidence),
           apg_direction_token(view.direction), apg_stage_text(v.stage), alert, v.decided_frame,
           version ? version : "-", sni);
    if (v.outcome != APG_OUTCOME_ESTABLISHED || d->warnings || d->cause != APG_CAUSE_NONE)
        printf("          why: %s\n          fix: %s\n", d->summary, d->remedy);
    apg_view_clear(&view);
    g_free(alert);
    g_free(sni);
}

static gint by_stream(gconstpointer a, gconstpointer b)
{
    const apg_conversation *x = *(const apg_conversation *const *)a;
    const apg_conversation *y = *(const apg_conversation *const *)b;
    return x->stream < y->stream ? -1 : x->stream > y->stream;
}

static void draw_table(void *tapdata _U_)
{
    GPtrArray *convs = apg_state_conversations();
    guint rows = 0;
    if (convs)
        g_ptr_array_sort(convs, by_stream);
    printf("\n=== Apigee handshake diagnosis: one row per TLS handshake ===\n");
    printf("%6s %2s %-23s %-23s %-11s %-20s %-8s %-10s %-18s %-27s %7s %-7s %s\n", "stream", "hs",
           "client", "server", "outcome", "cause", "conf", "direction", "stage", "alert", "decided",
           "ver", "sni");
    for (guint i = 0; convs && i < convs->len; i++) {
        const apg_conversation *conv = g_ptr_array_index(convs, i);
        for (guint h = 0; h < conv->handshakes->len; h++, rows++)
            print_row(conv, g_ptr_array_index(conv->handshakes, h));
    }
    printf("=== %u handshake%s ===\n", rows, rows == 1 ? "" : "s");
}

static tap_packet_status count_nothing(void *tapdata _U_, packet_info *pinfo _U_,
                                       epan_dissect_t *edt _U_, const void *data _U_,
                                       tap_flags_t flags _U_)
{
    return TAP_PACKET_DONT_REDRAW;
}

static APG_TAP_INIT_RET table_init(const char *opt_arg _U_, void *userdata _U_)
{
    static int listener_data;
    GString *err = register_tap_listener("apigee_hs", &listener_data, NULL, TL_REQUIRES_NOTHING,
                                         NULL, count_nothing, draw_table, NULL);
    if (err) {
        fprintf(stderr, "apigee_hs: cannot register the table: %s\n", err->str);
        g_string_free(err, TRUE);
    }
    APG_TAP_INIT_DONE(err == NULL);
}

void apg_table_register(void)
{
    static stat_tap_ui ui = {
        REGISTER_STAT_GROUP_GENERIC,
        "Apigee handshake diagnosis",
        "apigee_hs,handshakes",
        table_init,
        0,
        NULL,
    };
    register_stat_tap_ui(&ui, NULL);
}
