/* apg_config_check.c - "tshark -z apigee_hs,config": the Apigee export of the
 * apigee_config preference checked alone (core/apigee/audit.c), judged at
 * the capture's last frame, and how many handshakes matched it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_config_check.h"

#include <stdio.h>
#include <string.h>

#include <epan/stat_tap_ui.h>
#include <epan/tap.h>

#include "apg_apigee_audit.h"
#include "apg_compat.h"
#include "apg_prefs.h"
#include "apg_tap.h"

static apg_capture *(*current_capture)(void);

typedef struct {
    guint handshakes;
} check_listener;

static tap_packet_status count_handshake(void *tapdata, packet_info *pinfo _U_,
                                         epan_dissect_t *edt _U_, const void *data _U_,
                                         tap_flags_t flags _U_)
{
    check_listener *cl = tapdata;
    cl->handshakes++;
    return TAP_PACKET_DONT_REDRAW;
}

static void reset_check(void *tapdata)
{
    check_listener *cl = tapdata;
    cl->handshakes = 0;
}

/* How many of the capture's handshakes ran under an entry of the export. */
static guint count_matched(apg_capture *cap)
{
    const GPtrArray *convs = cap ? apg_capture_conversations(cap) : NULL;
    guint n = 0;
    for (guint i = 0; convs && i < convs->len; i++) {
        const apg_conversation *conv = convs->pdata[i];
        for (guint h = 0; h < conv->handshakes->len; h++) {
            apg_report rep;
            apg_capture_settled(cap, conv, conv->handshakes->pdata[h], &rep);
            n += rep.view.advice.match.how != APG_MATCHED_NONE;
            apg_report_clear(&rep);
        }
    }
    return n;
}

static void draw_check(void *tapdata)
{
    check_listener *cl = tapdata;
    const apg_config *cfg = apg_prefs_config();
    apg_capture *cap = current_capture ? current_capture() : NULL;
    if (!cfg->apigee || !cfg->apigee->folder) {
        printf(
            "=== Apigee configuration check ===\n"
            "No Apigee export: set -o apigee_hs.apigee_config:FOLDER (docs/apigee-config.md).\n");
        fflush(stdout);
        return;
    }
    gint64 end = cap ? apg_capture_end_us(cap) / G_USEC_PER_SEC : 0;
    gboolean now = end <= 0;
    if (now)
        end = g_get_real_time() / G_USEC_PER_SEC;
    char *report =
        apg_apigee_report(cfg->apigee, end, cfg->expiry_warning_days,
                          now ? "now: the capture has no frame" : "the capture's last frame", NULL);
    fputs(report, stdout);
    g_free(report);
    printf("Handshakes matched to it: %u of %u\n", count_matched(cap), cl->handshakes);
    fflush(stdout);
}

static APG_TAP_INIT_RET check_init(const char *opt_arg, void *userdata _U_)
{
    check_listener *cl = g_new0(check_listener, 1);
    GString *err = register_tap_listener(APG_TAP_NAME, cl, NULL, TL_REQUIRES_NOTHING, reset_check,
                                         count_handshake, draw_check, NULL);
    if (err) {
        fprintf(stderr, "tshark: -z %s: %s\n", opt_arg, err->str);
        g_string_free(err, TRUE);
        g_free(cl);
    }
    APG_TAP_INIT_DONE(err == NULL);
}

void apg_config_check_register(apg_capture *(*current)(void))
{
    current_capture = current;
    static stat_tap_ui ui = {
        REGISTER_STAT_GROUP_GENERIC,
        "Apigee configuration check",
        "apigee_hs,config",
        check_init,
        0,
        NULL,
    };
    register_stat_tap_ui(&ui, NULL);
}
