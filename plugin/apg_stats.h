/* apg_stats.h - the statistics tree "tshark -z apigee_hs,tree" (Statistics >
 * Apigee handshake diagnosis in the GUI).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_STATS_H
#define APG_STATS_H

void apg_stats_register(void);

#endif /* APG_STATS_H */
