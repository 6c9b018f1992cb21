/* apg_apigee_audit.h - the configuration check without a capture
 * (core/apigee/audit.c): used by "tshark -z apigee_hs,config" (judged at the
 * capture's last frame) and by apg-config-check (judged now, or --at).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_APIGEE_AUDIT_H
#define APG_APIGEE_AUDIT_H

#include "apg_apigee.h"

/* One sentence per finding, at the time given (seconds since the epoch);
 * warn_days: certificates expiring within them are listed (0: none). */
GPtrArray *apg_apigee_audit(const apg_apigee *a, gint64 at, guint warn_days);
/* The whole check as text: summary, problems, notes, findings; judged_at
 * says where the time comes from ("the capture's last frame", "now"). */
char *apg_apigee_report(const apg_apigee *a, gint64 at, guint warn_days, const char *judged_at,
                        guint *n_findings);
/* "12 files read (1 ignored): 3 TargetServers, ..."; g_free. */
char *apg_apigee_summary(const apg_apigee *a);

#endif /* APG_APIGEE_AUDIT_H */
