/* apg_prefs.h - the Apigee roles and the servers' cipher suites, as the user
 * sets them (Preferences > Protocols > Apigee-HS, or -o apigee_hs.NAME:VALUE).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_PREFS_H
#define APG_PREFS_H

#include "apg_compat.h"

#include "apg_config.h"

void apg_prefs_register(int proto);
/* The preferences, parsed into the core's config (the same struct for the
 * program's life). */
apg_config *apg_prefs_config(void);

#endif /* APG_PREFS_H */
