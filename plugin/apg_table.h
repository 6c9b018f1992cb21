/* apg_table.h - "tshark -z apigee_hs,handshakes": one row per handshake of
 * the capture, printed at the end from the file-scoped state.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_TABLE_H
#define APG_TABLE_H

#include "apg_verdict.h"

void apg_table_register(void);

#endif /* APG_TABLE_H */
