/* apg_gui_table.c - the per-handshake table of the Statistics menu: a row
 * per tap record (the frame that carries a handshake's verdict), with the
 * columns of -z apigee_hs,handshakes. Wireshark's table dialog filters it
 * (its display filter box), sorts it by any column, copies and saves it;
 * it has no per-row jump, so the first column is the verdict frame: Go >
 * Go to Packet (Ctrl+G) takes you there.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_gui_table.h"

#include "apg_compat.h"

#include <string.h>

#include <epan/packet.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>
#include "apg_tap.h"
#include "apg_text.h"

#define TABLE_TITLE "Apigee handshakes"

enum {
    COL_FRAME,
    COL_TIME,
    COL_CLIENT,
    COL_SERVER,
    COL_SNI,
    COL_OUTCOME,
    COL_CAUSE,
    COL_CONFIDENCE,
    COL_DIRECTION,
    COL_STAGE,
    COL_ALERT_SENDER,
    COL_ALERT,
    N_COLS
};

static stat_tap_table_item columns[N_COLS] = {
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Verdict frame", "%u"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Time (UTC)", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Client", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Server", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "SNI", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Outcome", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Cause", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Confidence", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Direction", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Stage", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Alert sender", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Alert", "%s"},
};

static void table_init(stat_tap_table_ui *ui)
{
    stat_tap_table *table = stat_tap_find_table(ui, TABLE_TITLE);
    if (table) {
        if (ui->stat_tap_reset_table_cb)
            ui->stat_tap_reset_table_cb(table);
        return;
    }
    stat_tap_add_table(ui, stat_tap_init_table(TABLE_TITLE, N_COLS, 0, NULL));
}

static char *time_text(gint64 us)
{
    GDateTime *t = us > 0 ? g_date_time_new_from_unix_utc(us / G_USEC_PER_SEC) : NULL;
    char *day = t ? g_date_time_format(t, "%Y-%m-%d %H:%M:%S") : NULL;
    char *text = day ? g_strdup_printf("%s.%06d", day, (int)(us % G_USEC_PER_SEC)) : g_strdup("");
    g_free(day);
    if (t)
        g_date_time_unref(t);
    return text;
}

static char *alert_text(const apg_tap_record *r)
{
    if (!r->has_alert)
        return g_strdup("");
    if (r->alert.alert.encrypted)
        return g_strdup("encrypted");
    const char *desc = apg_alert_desc_name(r->alert.alert.desc);
    return desc ? g_strdup_printf("%s %s", apg_alert_level_name(r->alert.alert.level), desc)
                : g_strdup_printf("%s %u", apg_alert_level_name(r->alert.alert.level),
                                  r->alert.alert.desc);
}

/* The row's cells: the frame, then owned strings. */
static void fill_row(stat_tap_table_item_type *cells, guint32 frame, const apg_tap_record *r)
{
    const apg_handshake *hs = r->hs;
    for (int c = 0; c < N_COLS; c++)
        cells[c].type = columns[c].type;
    cells[COL_FRAME].value.uint_value = frame;
    cells[COL_TIME].value.string_value = time_text(hs->first_time_us);
    cells[COL_CLIENT].value.string_value =
        apg_endpoint_text(apg_conv_endpoint(r->conv, hs, APG_ROLE_CLIENT));
    cells[COL_SERVER].value.string_value =
        apg_endpoint_text(apg_conv_endpoint(r->conv, hs, APG_ROLE_SERVER));
    cells[COL_SNI].value.string_value =
        hs->offer.sni ? g_strescape(hs->offer.sni, NULL) : g_strdup("");
    cells[COL_OUTCOME].value.string_value = g_strdup(apg_outcome_token(r->outcome));
    cells[COL_CAUSE].value.string_value = g_strdup(apg_cause_token(r->cause));
    cells[COL_CONFIDENCE].value.string_value = g_strdup(apg_confidence_token(r->confidence));
    cells[COL_DIRECTION].value.string_value = g_strdup(apg_direction_token(r->direction));
    cells[COL_STAGE].value.string_value = g_strdup(apg_stage_text(r->stage));
    cells[COL_ALERT_SENDER].value.string_value =
        g_strdup(r->has_alert ? apg_role_token(r->alert.sender) : "");
    cells[COL_ALERT].value.string_value = alert_text(r);
}

static tap_packet_status table_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_,
                                      const void *data, tap_flags_t flags _U_)
{
    stat_data_t *sd = tapdata;
    stat_tap_table *table = g_array_index(sd->stat_tap_data->tables, stat_tap_table *, 0);
    stat_tap_table_item_type cells[N_COLS];
    memset(cells, 0, sizeof cells);
    fill_row(cells, pinfo->num, data);
    stat_tap_init_table_row(table, table->num_elements, N_COLS, cells);
    return TAP_PACKET_REDRAW;
}

static void free_cell(stat_tap_table *table _U_, guint row _U_, guint column,
                      stat_tap_table_item_type *cell)
{
    if (column != COL_FRAME)
        g_free((char *)cell->value.string_value);
    cell->value.string_value = NULL;
}

/* A retap (a new filter, a reload) starts the rows over. */
static void table_reset(stat_tap_table *table)
{
    for (guint row = 0; row < table->num_elements; row++) {
        for (guint c = 0; c < table->num_fields; c++)
            free_cell(table, row, c, &table->elements[row][c]);
        g_free(table->elements[row]);
    }
    g_free(table->elements);
    table->elements = NULL;
    table->num_elements = 0;
}

void apg_gui_table_register(void)
{
    static tap_param params[] = {{PARAM_FILTER, "filter", "Filter", NULL, TRUE}};
    static stat_tap_table_ui ui = {
        REGISTER_STAT_GROUP_GENERIC,
        TABLE_TITLE,
        APG_TAP_NAME,
        "apigee_hs,table",
        table_init,
        table_packet,
        table_reset,
        free_cell,
        NULL,
        N_COLS,
        columns,
        G_N_ELEMENTS(params),
        params,
        NULL,
        0,
    };
    register_stat_tap_table_ui(&ui);
}
