/* apg_table_notes.h - what the capture says besides its handshakes: TLS
 * that Wireshark did not decode (the Decode As to use) and connections
 * refused; under -z apigee_hs,handshakes, and as CSV in -z apigee_hs,notes
 * (scripts/apg-batch reads it).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_TABLE_NOTES_H
#define APG_TABLE_NOTES_H

#include "apg_capture.h"

/* Lines for the text table's end; handshakes: how many rows it printed.
 * The generic Decode As advice when nothing else explains an empty table. */
void apg_table_print_notes(const apg_capture *cap, guint handshakes);
/* "-z apigee_hs,notes": note,stream,frame,server_ip,server_port,text */
void apg_table_notes_register(apg_capture *(*current)(void));

#endif /* APG_TABLE_NOTES_H */
