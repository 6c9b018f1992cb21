/* apg_table.h - "tshark -z apigee_hs,handshakes" and "-z apigee_hs,csv": one
 * row per handshake of the capture, printed at the end.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_TABLE_H
#define APG_TABLE_H

#include "apg_capture.h"

/* current: the capture file being read (NULL between files); the tables
 * ask it for each handshake's settled report when they draw. */
void apg_table_register(apg_capture *(*current)(void));

#endif /* APG_TABLE_H */
