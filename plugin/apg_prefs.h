/* apg_prefs.h - the Apigee roles and the servers' cipher suites, as the user
 * sets them (Preferences > Protocols > Apigee-HS, or -o apigee_hs.NAME:VALUE).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_PREFS_H
#define APG_PREFS_H

#include "apg_compat.h"

#include "apg_diagnosis.h"

void apg_prefs_register(int proto);
/* The configured roles, parsed. */
const apg_roles *apg_prefs_roles(void);
/* The configured suites of a server endpoint ("addr:port"), or the list for
 * every server; NULL when none. */
const GArray *apg_prefs_server_suites(const char *server_ep);
/* The host name a server is expected to have when the client sent no SNI
 * (the TargetEndpoint URL's host), or NULL. */
const char *apg_prefs_expected_host(const char *server_ep);
/* The truststore the user pointed at, or NULL. */
const apg_truststore *apg_prefs_truststore(void);
/* Sentences naming each preference value that could not be used (never
 * NULL; empty when all is well). */
const GPtrArray *apg_prefs_problems(void);
/* Warn when a certificate expires within this many days of the capture. */
guint apg_prefs_expiry_warning_days(void);

#endif /* APG_PREFS_H */
