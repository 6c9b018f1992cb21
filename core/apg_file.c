/* apg_file.c - a bounded read of a file the user names.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_file.h"

#include <errno.h>
#include <unistd.h>

/* Reads ask for multiples of 8 bytes: /proc/self/pagemap refuses others,
 * and must be refused as too large, not for its read size. */
static gsize round8(gsize n)
{
    return (n + 7) & ~(gsize)7;
}

char *apg_file_read_bounded(int fd, gsize expected, gsize max, gsize *len, gboolean *too_big)
{
    gsize bound = round8(max + 1); /* past max: more than the bound */
    gsize cap = MIN(round8(MAX(expected + 1, 4096)), bound);
    char *buf = g_malloc(cap + 1);
    *len = 0;
    *too_big = FALSE;
    for (;;) {
        if (*len >= cap && cap == bound)
            break;
        if (*len == cap) {
            cap = MIN(cap * 2, bound);
            buf = g_realloc(buf, cap + 1);
        }
        gssize n = read(fd, buf + *len, cap - *len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int saved = errno;
            g_free(buf);
            errno = saved;
            return NULL;
        }
        if (n == 0)
            break;
        *len += (gsize)n;
    }
    if (*len > max) {
        *too_big = TRUE;
        g_free(buf);
        return NULL;
    }
    buf[*len] = '\0';
    return buf;
}
