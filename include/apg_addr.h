/* apg_addr.h - address lists as users type them in the role preferences:
 * IPv4 and IPv6 addresses and CIDR ranges, separated by commas, semicolons
 * or spaces; and server endpoints written the way Wireshark prints them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_ADDR_H
#define APG_ADDR_H

#include <glib.h>

typedef struct apg_addr_list apg_addr_list;

/* Items of a list: split on ',', ';' and white space, empty items dropped.
 * Free with g_strfreev(). */
char **apg_split_list(const char *text);

/* Parses "10.0.0.5, 10.1.0.0/16; 2001:db8::/32". Every item that is not an
 * address or range adds a sentence to problems ("what: 'x' is not an IPv4
 * or IPv6 address or CIDR range"); the usable items are kept. */
apg_addr_list *apg_addr_list_parse(const char *text, const char *what, GPtrArray *problems);
void apg_addr_list_free(apg_addr_list *list);
gboolean apg_addr_list_is_empty(const apg_addr_list *list);
/* Whether an address, as text ("10.0.0.5", "::1"), is in the list. */
gboolean apg_addr_list_has(const apg_addr_list *list, const char *addr);

/* "10.0.0.5:443", "[2001:db8::1]:443" or "2001:db8::1:443"... as Wireshark
 * writes a server endpoint ("[2001:db8::1]:443"), or NULL if it is not an
 * address and a port. Free with g_free(). */
char *apg_endpoint_normalize(const char *text);

/* "127.0.1.1:9443" -> "127.0.1.1" and 9443; "[::1]:9443" -> "::1" and 9443. */
gboolean apg_endpoint_split(const char *ep, char *addr, gsize addr_len, guint *port);

#endif /* APG_ADDR_H */
