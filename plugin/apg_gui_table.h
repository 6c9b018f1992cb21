/* apg_gui_table.h - "Statistics > Apigee handshakes": one row per handshake in
 * Wireshark's table dialog (stat_tap_table_ui), with its display filter
 * box; tshark prints the same table with -z apigee_hs,table[,FILTER].
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_GUI_TABLE_H
#define APG_GUI_TABLE_H

void apg_gui_table_register(void);

#endif /* APG_GUI_TABLE_H */
