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

/* A TCP endpoint as the wire gives it. It stays bytes: compared, hashed and
 * matched against the role lists as bytes, made text only to be shown. */
typedef struct {
    guint8 family; /* 4, 6; 0 for another address type, compared by its bytes */
    guint8 len;    /* bytes of addr used */
    guint16 port;
    guint8 addr[16];
} apg_endpoint;

/* "127.0.1.1:9443", "[::1]:9443" (as Wireshark prints them, RFC 5952), or
 * the bytes in hex for another address type; fits APG_ENDPOINT_TEXT_LEN. */
#define APG_ENDPOINT_TEXT_LEN 64
const char *apg_endpoint_format(const apg_endpoint *ep, char buf[APG_ENDPOINT_TEXT_LEN]);
/* The address alone: "10.0.0.5", "2001:db8::1" (no brackets, no port). */
const char *apg_address_format(const apg_endpoint *ep, char buf[APG_ENDPOINT_TEXT_LEN]);
/* The same, g_free. */
char *apg_endpoint_text(const apg_endpoint *ep);
/* "10.0.0.5:443", "[2001:db8::1]:443" or "2001:db8::1:443" as a user types
 * a server endpoint; FALSE if it is not an address and a port. */
gboolean apg_endpoint_parse(const char *text, apg_endpoint *out);
/* "10.0.0.5" or "[2001:db8::1]": an address alone, port 0. */
gboolean apg_address_parse(const char *text, apg_endpoint *out);
gboolean apg_endpoint_equal(const apg_endpoint *a, const apg_endpoint *b);
/* For GHashTables keyed by apg_endpoint*. */
guint apg_endpoint_hash(gconstpointer ep);
gboolean apg_endpoint_equal_func(gconstpointer a, gconstpointer b);
/* Whether the endpoint's address is in the list. */
gboolean apg_addr_list_has_endpoint(const apg_addr_list *list, const apg_endpoint *ep);

#endif /* APG_ADDR_H */
