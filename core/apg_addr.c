/* apg_addr.c - address lists and endpoints of the role preferences.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_addr.h"

#include <arpa/inet.h>
#include <string.h>

typedef struct {
    int family; /* AF_INET or AF_INET6 */
    guint8 bytes[16];
    guint prefix; /* bits that must match */
} addr_range;

struct apg_addr_list {
    GArray *ranges; /* addr_range */
};

char **apg_split_list(const char *text)
{
    char **items = g_strsplit_set(text ? text : "", ",; \t\r\n", -1);
    guint kept = 0;
    for (guint i = 0; items[i]; i++) {
        if (*items[i])
            items[kept++] = items[i];
        else
            g_free(items[i]);
    }
    items[kept] = NULL;
    return items;
}

/* "10.0.0.5", "[::1]", "::1" -> family and bytes. */
static gboolean parse_address(const char *text, int *family, guint8 *bytes)
{
    char buf[64];
    gsize n = strlen(text);
    if (n >= sizeof buf)
        return FALSE;
    if (n >= 2 && text[0] == '[' && text[n - 1] == ']') {
        memcpy(buf, text + 1, n - 2);
        buf[n - 2] = '\0';
    } else {
        memcpy(buf, text, n + 1);
    }
    if (inet_pton(AF_INET, buf, bytes) == 1) {
        *family = AF_INET;
        return TRUE;
    }
    if (inet_pton(AF_INET6, buf, bytes) == 1) {
        *family = AF_INET6;
        return TRUE;
    }
    return FALSE;
}

static gboolean parse_range(const char *item, addr_range *out)
{
    char *copy = g_strdup(item);
    char *slash = strchr(copy, '/');
    guint64 prefix = 0;
    gboolean ok;
    if (slash)
        *slash = '\0';
    ok = parse_address(copy, &out->family, out->bytes);
    guint max = out->family == AF_INET ? 32 : 128;
    if (ok && slash)
        ok = g_ascii_string_to_unsigned(slash + 1, 10, 0, max, &prefix, NULL);
    out->prefix = slash ? (guint)prefix : max;
    g_free(copy);
    return ok;
}

apg_addr_list *apg_addr_list_parse(const char *text, const char *what, GPtrArray *problems)
{
    apg_addr_list *list = g_new0(apg_addr_list, 1);
    list->ranges = g_array_new(FALSE, TRUE, sizeof(addr_range));
    char **items = apg_split_list(text);
    for (guint i = 0; items[i]; i++) {
        addr_range r = {0};
        if (parse_range(items[i], &r))
            g_array_append_val(list->ranges, r);
        else if (problems)
            g_ptr_array_add(problems,
                            g_strdup_printf("%s: '%s' is not an IPv4 or IPv6 address or CIDR "
                                            "range; it is ignored",
                                            what, items[i]));
    }
    g_strfreev(items);
    return list;
}

void apg_addr_list_free(apg_addr_list *list)
{
    if (!list)
        return;
    g_array_free(list->ranges, TRUE);
    g_free(list);
}

gboolean apg_addr_list_is_empty(const apg_addr_list *list)
{
    return !list || list->ranges->len == 0;
}

static gboolean in_range(const addr_range *r, int family, const guint8 *bytes)
{
    if (r->family != family)
        return FALSE;
    guint whole = r->prefix / 8, rest = r->prefix % 8;
    if (memcmp(r->bytes, bytes, whole) != 0)
        return FALSE;
    if (!rest)
        return TRUE;
    guint8 mask = (guint8)(0xFF << (8 - rest));
    return (r->bytes[whole] & mask) == (bytes[whole] & mask);
}

static gboolean list_has(const apg_addr_list *list, int family, const guint8 *bytes)
{
    for (guint i = 0; !apg_addr_list_is_empty(list) && i < list->ranges->len; i++)
        if (in_range(&g_array_index(list->ranges, addr_range, i), family, bytes))
            return TRUE;
    return FALSE;
}

gboolean apg_addr_list_has(const apg_addr_list *list, const char *addr)
{
    int family;
    guint8 bytes[16];
    return addr && parse_address(addr, &family, bytes) && list_has(list, family, bytes);
}

gboolean apg_addr_list_has_endpoint(const apg_addr_list *list, const apg_endpoint *ep)
{
    if (ep->family == 4 && ep->len == 4)
        return list_has(list, AF_INET, ep->addr);
    return ep->family == 6 && ep->len == 16 && list_has(list, AF_INET6, ep->addr);
}

/* "127.0.1.1:9443" -> "127.0.1.1" and 9443; "[::1]:9443" -> "::1" and 9443. */
static gboolean split_endpoint(const char *ep, char *addr, gsize addr_len, guint *port)
{
    const char *colon = ep ? strrchr(ep, ':') : NULL;
    guint64 value;
    if (!colon || !g_ascii_string_to_unsigned(colon + 1, 10, 0, 65535, &value, NULL))
        return FALSE;
    const char *start = ep, *end = colon;
    if (*start == '[' && end > start && end[-1] == ']') {
        start++;
        end--;
    }
    if (end <= start || (gsize)(end - start) >= addr_len)
        return FALSE;
    memcpy(addr, start, end - start);
    addr[end - start] = '\0';
    *port = (guint)value;
    return TRUE;
}

gboolean apg_endpoint_parse(const char *text, apg_endpoint *out)
{
    char addr[64];
    guint port;
    int family;
    memset(out, 0, sizeof *out);
    if (!split_endpoint(text, addr, sizeof addr, &port) || !parse_address(addr, &family, out->addr))
        return FALSE;
    out->family = family == AF_INET6 ? 6 : 4;
    out->len = family == AF_INET6 ? 16 : 4;
    out->port = (guint16)port;
    return TRUE;
}

gboolean apg_address_parse(const char *text, apg_endpoint *out)
{
    int family;
    memset(out, 0, sizeof *out);
    gsize n = text ? strlen(text) : 0;
    gboolean bracketed = n >= 2 && text[0] == '[' && text[n - 1] == ']';
    /* "2001:db8::1:443" reads as an address and a port elsewhere: bare IPv6
     * is taken here only in brackets */
    if (!n || (!bracketed && strchr(text, ':')) || !parse_address(text, &family, out->addr))
        return FALSE;
    out->family = family == AF_INET6 ? 6 : 4;
    out->len = family == AF_INET6 ? 16 : 4;
    return TRUE;
}

const char *apg_address_format(const apg_endpoint *ep, char buf[APG_ENDPOINT_TEXT_LEN])
{
    guint len = MIN(ep->len, sizeof ep->addr);
    if (ep->family == 4 && len == 4)
        g_snprintf(buf, APG_ENDPOINT_TEXT_LEN, "%u.%u.%u.%u", ep->addr[0], ep->addr[1], ep->addr[2],
                   ep->addr[3]);
    else if (ep->family == 6 && len == 16 && inet_ntop(AF_INET6, ep->addr, buf, INET6_ADDRSTRLEN))
        ;
    else /* not IP: its bytes in hex */
        for (guint i = 0; i < len; i++)
            g_snprintf(buf + 2 * i, 3, "%02x", ep->addr[i]);
    if (!len)
        buf[0] = '\0';
    return buf;
}

const char *apg_endpoint_format(const apg_endpoint *ep, char buf[APG_ENDPOINT_TEXT_LEN])
{
    char addr[APG_ENDPOINT_TEXT_LEN];
    apg_address_format(ep, addr);
    gboolean v6 = ep->family == 6 && MIN(ep->len, sizeof ep->addr) == 16 && strchr(addr, ':');
    g_snprintf(buf, APG_ENDPOINT_TEXT_LEN, v6 ? "[%s]:%u" : "%s:%u", addr, ep->port);
    return buf;
}

char *apg_endpoint_text(const apg_endpoint *ep)
{
    char buf[APG_ENDPOINT_TEXT_LEN];
    return g_strdup(apg_endpoint_format(ep, buf));
}

gboolean apg_endpoint_equal(const apg_endpoint *a, const apg_endpoint *b)
{
    return a->family == b->family && a->port == b->port && a->len == b->len &&
           memcmp(a->addr, b->addr, MIN(a->len, sizeof a->addr)) == 0;
}

gboolean apg_endpoint_equal_func(gconstpointer a, gconstpointer b)
{
    return apg_endpoint_equal(a, b);
}

guint apg_endpoint_hash(gconstpointer p)
{
    const apg_endpoint *ep = p;
    guint h = ep->family * 31u + ep->port;
    for (guint i = 0; i < MIN(ep->len, sizeof ep->addr); i++)
        h = h * 33u + ep->addr[i];
    return h;
}
