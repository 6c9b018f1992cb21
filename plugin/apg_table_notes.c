/* apg_table_notes.c - the capture's notes at the end of the -z tables:
 * undecoded TLS, grouped by port, and refused connections.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_table_notes.h"

#include <stdio.h>
#include <string.h>

#include <epan/stat_tap_ui.h>
#include <epan/tap.h>

#include "apg_compat.h"
#include "apg_table_csv.h"
#include "apg_tap.h"

static apg_capture *(*current_capture)(void);

/* The first stream of each port, and how many streams that port has. */
static void print_undecoded(const GPtrArray *undecoded, guint more)
{
    GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (guint i = 0; i < undecoded->len; i++) {
        const apg_undecoded *u = g_ptr_array_index(undecoded, i);
        gpointer port = GUINT_TO_POINTER((guint)u->server.port + 1);
        guint n = GPOINTER_TO_UINT(g_hash_table_lookup(seen, port));
        g_hash_table_insert(seen, port, GUINT_TO_POINTER(n + 1));
    }
    for (guint i = 0; i < undecoded->len; i++) {
        const apg_undecoded *u = g_ptr_array_index(undecoded, i);
        gpointer port = GUINT_TO_POINTER((guint)u->server.port + 1);
        guint n = GPOINTER_TO_UINT(g_hash_table_lookup(seen, port));
        if (!n)
            continue; /* its port was printed */
        char *hint = apg_undecoded_hint(u);
        printf("Decode As: %s (%u stream%s on that port)\n", hint, n, n == 1 ? "" : "s");
        g_free(hint);
        g_hash_table_insert(seen, port, GUINT_TO_POINTER(0));
    }
    if (more)
        printf("Decode As: %u more streams start like TLS (not listed)\n", more);
    g_hash_table_destroy(seen);
}

static void print_refused(const GPtrArray *refused, guint more)
{
    for (guint i = 0; i < refused->len && i < 10; i++) {
        char *text = apg_refused_text(g_ptr_array_index(refused, i));
        printf("Refused: %s\n", text);
        g_free(text);
    }
    if (refused->len > 10 || more)
        printf("Refused: %u more connections refused\n",
               refused->len - MIN(refused->len, 10) + more);
}

void apg_table_print_notes(const apg_capture *cap, guint handshakes)
{
    guint more_undecoded = 0, more_refused = 0;
    GPtrArray *undecoded = cap ? apg_capture_undecoded(cap, &more_undecoded) : g_ptr_array_new();
    const GPtrArray *refused = cap ? apg_capture_refused(cap, &more_refused) : NULL;
    print_undecoded(undecoded, more_undecoded);
    if (refused)
        print_refused(refused, more_refused);
    gboolean explained = undecoded->len || more_undecoded || (refused && refused->len);
    if (!handshakes && !explained)
        printf("No TLS handshake was seen, and no TCP stream starts like TLS. If TLS runs on a "
               "port another protocol claims (8080, 80, ...) and the capture misses the "
               "handshake's start, decode that port as TLS: tshark -d tcp.port==8080,tls, or in "
               "the GUI Analyze > Decode As... > TCP port 8080 > TLS.\n");
    g_ptr_array_free(undecoded, TRUE);
}

static void print_note(const char *kind, guint32 stream, guint32 frame, const apg_endpoint *server,
                       char *text)
{
    char addr[APG_ENDPOINT_TEXT_LEN];
    printf("%s,%u,%u,%s,%u,", kind, stream, frame, apg_address_format(server, addr), server->port);
    apg_csv_print_cell(text, TRUE);
    g_free(text);
}

static void draw_notes(void *tapdata _U_)
{
    apg_capture *cap = current_capture ? current_capture() : NULL;
    guint more = 0;
    printf("note,stream,frame,server_ip,server_port,text\n");
    GPtrArray *undecoded = cap ? apg_capture_undecoded(cap, &more) : g_ptr_array_new();
    for (guint i = 0; i < undecoded->len; i++) {
        const apg_undecoded *u = g_ptr_array_index(undecoded, i);
        print_note("undecoded_tls", u->stream, u->frame, &u->server, apg_undecoded_hint(u));
    }
    g_ptr_array_free(undecoded, TRUE);
    const GPtrArray *refused = cap ? apg_capture_refused(cap, &more) : NULL;
    for (guint i = 0; refused && i < refused->len; i++) {
        const apg_refused *r = g_ptr_array_index(refused, i);
        print_note("refused", r->stream, r->syn_frame, &r->server, apg_refused_text(r));
    }
    fflush(stdout);
}

static APG_TAP_INIT_RET notes_init(const char *opt_arg, void *userdata _U_)
{
    GString *err = register_tap_listener(APG_TAP_NAME, (void *)notes_init, NULL,
                                         TL_REQUIRES_NOTHING, NULL, NULL, draw_notes, NULL);
    if (err) {
        fprintf(stderr, "tshark: -z %s: %s\n", opt_arg, err->str);
        g_string_free(err, TRUE);
    }
    APG_TAP_INIT_DONE(err == NULL);
}

void apg_table_notes_register(apg_capture *(*current)(void))
{
    current_capture = current;
    static stat_tap_ui notes_ui = {
        REGISTER_STAT_GROUP_GENERIC,
        "Apigee handshake notes (CSV)",
        "apigee_hs,notes",
        notes_init,
        0,
        NULL,
    };
    register_stat_tap_ui(&notes_ui, NULL);
}
