/* apg_table.c - the per-handshake tables of "tshark -z apigee_hs,handshakes"
 * (aligned text) and "tshark -z apigee_hs,csv" (RFC 4180 CSV), each with an
 * optional display filter: -z apigee_hs,handshakes,apigee_hs.outcome==failed.
 *
 * Without a filter every handshake of the file is listed, including those
 * only the end of the capture settles. With one, the handshakes whose
 * verdict frame (apigee_hs.verdict_here) passes it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_table.h"

#include <stdio.h>
#include <string.h>

#include <epan/plugin_if.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>

#include "apg_compat.h"
#include "apg_table_csv.h"
#include "apg_table_notes.h"
#include "apg_tap.h"
#include "apg_text.h"

/* The capture being read, as the dissector gave it at registration. */
static apg_capture *(*current_capture)(void);

typedef struct {
    gboolean csv;
    char *filter;      /* NULL: every handshake */
    GHashTable *shown; /* apg_handshake* tapped through the filter */
} table_listener;

/* One row's cells, in column order. */
enum {
    COL_STREAM,
    COL_INDEX,
    COL_CLIENT,
    COL_SERVER,
    COL_OUTCOME,
    COL_CAUSE,
    COL_CONFIDENCE,
    COL_DIRECTION,
    COL_STAGE,
    COL_ALERT,
    COL_DECIDED,
    COL_VERSION,
    COL_SNI,
    COL_SUMMARY,
    COL_REMEDY,
    N_COLS
};
static const char *const col_names[N_COLS] = {
    "stream", "hs",    "client",  "server", "outcome", "cause",   "conf",   "direction",
    "stage",  "alert", "decided", "ver",    "sni",     "summary", "remedy",
};

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

/* The cells of one handshake (owned strings) from its settled report, and
 * its cause. */
static apg_cause row_cells(apg_capture *cap, const apg_conversation *conv, const apg_handshake *hs,
                           char **cells)
{
    apg_report rep;
    apg_capture_settled(cap, conv, hs, &rep);
    const apg_verdict *v = &rep.verdict;
    const apg_diagnosis *d = &rep.view.d;
    const char *version = apg_version_name(apg_hs_negotiated_version(hs));
    cells[COL_STREAM] = g_strdup_printf("%u", conv->stream);
    cells[COL_INDEX] = g_strdup_printf("%u", hs->index);
    cells[COL_CLIENT] = apg_endpoint_text(apg_conv_endpoint(conv, hs, APG_ROLE_CLIENT));
    cells[COL_SERVER] = apg_endpoint_text(apg_conv_endpoint(conv, hs, APG_ROLE_SERVER));
    cells[COL_OUTCOME] = g_strdup(apg_outcome_token(v->outcome));
    cells[COL_CAUSE] = g_strdup(apg_cause_token(d->cause));
    cells[COL_CONFIDENCE] = g_strdup(apg_confidence_token(d->confidence));
    cells[COL_DIRECTION] = g_strdup(apg_direction_token(rep.view.direction));
    cells[COL_STAGE] = g_strdup(apg_stage_text(v->stage));
    cells[COL_ALERT] = alert_cell(v);
    cells[COL_DECIDED] = g_strdup_printf("%u", v->decided_frame);
    cells[COL_VERSION] = g_strdup(version ? version : "-");
    cells[COL_SNI] = hs->offer.sni ? g_strescape(hs->offer.sni, NULL) : g_strdup("-");
    gboolean worth_a_why =
        v->outcome != APG_OUTCOME_ESTABLISHED || d->warnings || d->cause != APG_CAUSE_NONE;
    cells[COL_SUMMARY] = g_strdup(worth_a_why ? d->summary : "");
    cells[COL_REMEDY] = g_strdup(worth_a_why ? apg_view_remedy(&rep.view) : "");
    apg_cause cause = d->cause;
    apg_report_clear(&rep);
    return cause;
}

static void print_text_row(char **cells)
{
    printf("%6s %2s %-23s %-23s %-11s %-23s %-8s %-10s %-18s %-27s %7s %-7s %s\n",
           cells[COL_STREAM], cells[COL_INDEX], cells[COL_CLIENT], cells[COL_SERVER],
           cells[COL_OUTCOME], cells[COL_CAUSE], cells[COL_CONFIDENCE], cells[COL_DIRECTION],
           cells[COL_STAGE], cells[COL_ALERT], cells[COL_DECIDED], cells[COL_VERSION],
           cells[COL_SNI]);
    if (*cells[COL_SUMMARY])
        printf("          why: %s\n          fix: %s\n", cells[COL_SUMMARY], cells[COL_REMEDY]);
}

/* tshark's -r argument: Wireshark 4.0 tells plugins the file's name only
 * in the GUI, so tshark's is read from the process's arguments, where the
 * system shows them (Linux); elsewhere the table names no file. */
static char *path_from_arguments(void)
{
    char *cmdline = NULL;
    gsize len = 0;
    char *name = NULL;
    if (!g_file_get_contents("/proc/self/cmdline", &cmdline, &len, NULL))
        return NULL;
    for (gsize i = 0; i < len; i += strlen(cmdline + i) + 1) {
        const char *arg = cmdline + i;
        gsize next = i + strlen(arg) + 1;
        if ((!strcmp(arg, "-r") || !strcmp(arg, "--read-file")) && next < len)
            name = g_strdup(cmdline + next);
        else if (g_str_has_prefix(arg, "--read-file="))
            name = g_strdup(arg + strlen("--read-file="));
        if (name)
            break;
    }
    g_free(cmdline);
    return name;
}

/* The file being read: as Wireshark tells its plugins (plugin_if: the GUI,
 * whatever way the file was opened), else tshark's -r. */
static char *capture_path(void)
{
    ws_info_t *info = NULL;
    plugin_if_get_ws_info(&info);
    if (info && info->cf_filename)
        return g_strdup(info->cf_filename);
    return path_from_arguments();
}

static char *capture_name(void)
{
    char *path = capture_path();
    char *name = path ? g_path_get_basename(path) : NULL;
    g_free(path);
    return name;
}

static apg_cause print_csv_row(apg_capture *cap, const apg_conversation *conv,
                               const apg_handshake *hs, const char *path)
{
    char *cells[APG_CSV_N_COLUMNS];
    apg_cause cause = apg_csv_row(cap, conv, hs, path, cells);
    for (int c = 0; c < APG_CSV_N_COLUMNS; c++) {
        apg_csv_print_cell(cells[c], c == APG_CSV_N_COLUMNS - 1);
        g_free(cells[c]);
    }
    return cause;
}

static apg_cause print_text_row_of(apg_capture *cap, const apg_conversation *conv,
                                   const apg_handshake *hs)
{
    char *cells[N_COLS];
    apg_cause cause = row_cells(cap, conv, hs, cells);
    print_text_row(cells);
    for (int c = 0; c < N_COLS; c++)
        g_free(cells[c]);
    return cause;
}

static gint by_stream(gconstpointer a, gconstpointer b)
{
    const apg_conversation *x = *(const apg_conversation *const *)a;
    const apg_conversation *y = *(const apg_conversation *const *)b;
    return x->stream < y->stream ? -1 : x->stream > y->stream;
}

static void print_header(const table_listener *tl)
{
    if (tl->csv) {
        for (int c = 0; c < APG_CSV_N_COLUMNS; c++)
            apg_csv_print_cell(apg_csv_names[c], c == APG_CSV_N_COLUMNS - 1);
        return;
    }
    char *file = capture_name();
    printf("\n=== Apigee handshake diagnosis: one row per TLS handshake ===\n");
    if (file)
        printf("File: %s\n", file);
    if (tl->filter)
        printf("Filter: %s\n", tl->filter);
    g_free(file);
    char *names[N_COLS];
    for (int c = 0; c < N_COLS; c++)
        names[c] = (char *)col_names[c];
    names[COL_SUMMARY] = "";
    print_text_row(names);
}

static void print_footer(const table_listener *tl, const apg_capture *cap, guint rows,
                         const guint *by_cause)
{
    if (tl->csv)
        return;
    printf("=== %u handshake%s ===\n", rows, rows == 1 ? "" : "s");
    if (rows)
        printf("By cause:\n");
    for (int c = 0; c < APG_CAUSE_COUNT; c++)
        if (by_cause[c])
            printf("  %-23s %6u\n", apg_cause_token((apg_cause)c), by_cause[c]);
    if (!tl->filter)
        apg_table_print_notes(cap, rows);
}

static void draw_table(void *tapdata)
{
    const table_listener *tl = tapdata;
    apg_capture *cap = current_capture ? current_capture() : NULL;
    const GPtrArray *state = cap ? apg_capture_conversations(cap) : NULL;
    guint rows = 0, by_cause[APG_CAUSE_COUNT] = {0};
    /* a sorted copy: the file state's order is what its frame index points into */
    GPtrArray *convs = state ? g_ptr_array_copy((GPtrArray *)state, NULL, NULL) : NULL;
    if (convs) {
        g_ptr_array_set_free_func(convs, NULL); /* the copy owns nothing */
        g_ptr_array_sort(convs, by_stream);
    }
    print_header(tl);
    char *path = tl->csv ? capture_path() : NULL;
    for (guint i = 0; convs && i < convs->len; i++) {
        const apg_conversation *conv = g_ptr_array_index(convs, i);
        for (guint h = 0; h < conv->handshakes->len; h++) {
            const apg_handshake *hs = g_ptr_array_index(conv->handshakes, h);
            if (tl->filter && !g_hash_table_contains(tl->shown, hs))
                continue;
            apg_cause cause =
                tl->csv ? print_csv_row(cap, conv, hs, path) : print_text_row_of(cap, conv, hs);
            if (cause < APG_CAUSE_COUNT)
                by_cause[cause]++;
            rows++;
        }
    }
    g_free(path);
    print_footer(tl, cap, rows, by_cause);
    if (convs)
        g_ptr_array_free(convs, TRUE);
    fflush(stdout); /* the GUI prints it too, to a pipe that may never be flushed */
}

static tap_packet_status note_handshake(void *tapdata, packet_info *pinfo _U_,
                                        epan_dissect_t *edt _U_, const void *data,
                                        tap_flags_t flags _U_)
{
    table_listener *tl = tapdata;
    const apg_tap_record *r = data;
    g_hash_table_add(tl->shown, (gpointer)r->hs);
    return TAP_PACKET_DONT_REDRAW;
}

static void reset_table(void *tapdata)
{
    table_listener *tl = tapdata;
    g_hash_table_remove_all(tl->shown);
}

/* opt_arg: "apigee_hs,handshakes" or "apigee_hs,handshakes,FILTER". */
static APG_TAP_INIT_RET start_table(const char *opt_arg, gboolean csv)
{
    const char *prefix = csv ? "apigee_hs,csv" : "apigee_hs,handshakes";
    table_listener *tl = g_new0(table_listener, 1);
    tl->csv = csv;
    tl->shown = g_hash_table_new(g_direct_hash, g_direct_equal);
    if (g_str_has_prefix(opt_arg, prefix) && opt_arg[strlen(prefix)] == ',')
        tl->filter = g_strdup(opt_arg + strlen(prefix) + 1);
    GString *err = register_tap_listener(APG_TAP_NAME, tl, tl->filter, TL_REQUIRES_NOTHING,
                                         reset_table, note_handshake, draw_table, NULL);
    if (err) {
        fprintf(stderr, "tshark: -z %s: %s\n", opt_arg, err->str);
        g_string_free(err, TRUE);
        g_hash_table_destroy(tl->shown);
        g_free(tl->filter);
        g_free(tl);
    }
    APG_TAP_INIT_DONE(err == NULL);
}

static APG_TAP_INIT_RET text_init(const char *opt_arg, void *userdata _U_)
{
    APG_TAP_INIT_RETURN(start_table(opt_arg, FALSE));
}

static APG_TAP_INIT_RET csv_init(const char *opt_arg, void *userdata _U_)
{
    APG_TAP_INIT_RETURN(start_table(opt_arg, TRUE));
}

void apg_table_register(apg_capture *(*current)(void))
{
    current_capture = current;
    static stat_tap_ui text_ui = {
        REGISTER_STAT_GROUP_GENERIC,
        "Apigee handshake diagnosis",
        "apigee_hs,handshakes",
        text_init,
        0,
        NULL,
    };
    static stat_tap_ui csv_ui = {
        REGISTER_STAT_GROUP_GENERIC,
        "Apigee handshake diagnosis (CSV)",
        "apigee_hs,csv",
        csv_init,
        0,
        NULL,
    };
    register_stat_tap_ui(&text_ui, NULL);
    register_stat_tap_ui(&csv_ui, NULL);
    apg_table_notes_register(current);
}
