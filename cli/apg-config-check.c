/* apg-config-check - the Apigee export checked alone, without a capture:
 * certificates expired or expiring, TargetServers that check nothing,
 * protocol lists of TLS 1.0/1.1 only, stores, aliases and references named
 * but missing (core/apigee/audit.c, as "tshark -z apigee_hs,config").
 *
 *   apg-config-check [--product edge-opdk-4.53|edge-cloud|x|hybrid]
 *                    [--at 2026-12-01] [--warn-days 30] FOLDER
 * Exit status: 0 nothing found, 1 findings, 2 problems reading the export
 * or bad arguments.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apg_apigee_audit.h"

static int usage(void)
{
    fprintf(stderr, "usage: apg-config-check [--product P] [--at YYYY-MM-DD] [--warn-days N] "
                    "FOLDER\n");
    return 2;
}

static gboolean parse_date(const char *text, gint64 *out)
{
    char *iso = g_strdup_printf("%sT00:00:00Z", text);
    GDateTime *dt = g_date_time_new_from_iso8601(iso, NULL);
    g_free(iso);
    if (!dt)
        return FALSE;
    *out = g_date_time_to_unix(dt);
    g_date_time_unref(dt);
    return TRUE;
}

int main(int argc, char **argv)
{
    const char *product = NULL, *dir = NULL;
    gint64 at = g_get_real_time() / G_USEC_PER_SEC;
    guint64 warn_days = 30;
    gboolean at_given = FALSE;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--product") && i + 1 < argc)
            product = argv[++i];
        else if (!strcmp(argv[i], "--at") && i + 1 < argc) {
            if (!parse_date(argv[++i], &at))
                return usage();
            at_given = TRUE;
        } else if (!strcmp(argv[i], "--warn-days") && i + 1 < argc) {
            if (!g_ascii_string_to_unsigned(argv[++i], 10, 0, 3650, &warn_days, NULL))
                return usage();
        } else if (argv[i][0] == '-' || dir)
            return usage();
        else
            dir = argv[i];
    }
    if (!dir)
        return usage();
    apg_apigee *a = apg_apigee_load(dir, NULL);
    if (product && !apg_apigee_set_product(a, product)) {
        fprintf(stderr, "apg-config-check: '%s' is not edge-opdk[-VERSION], edge-cloud, x or "
                        "hybrid\n", product);
        apg_apigee_free(a);
        return 2;
    }
    guint findings = 0;
    char *report = apg_apigee_report(a, at, (guint)warn_days, at_given ? "--at" : "now",
                                     &findings);
    fputs(report, stdout);
    g_free(report);
    int rc = a->problems->len ? 2 : findings ? 1 : 0;
    apg_apigee_free(a);
    return rc;
}
