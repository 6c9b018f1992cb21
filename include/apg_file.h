/* apg_file.h - files the user names (an Apigee export, a truststore), read
 * within a bound whatever their size claims.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_FILE_H
#define APG_FILE_H

#include <glib.h>

/* At most max bytes of an open file, NUL-terminated; NULL with *too_big
 * when it holds more, or with errno set on a read error. expected (the
 * size fstat or lstat saw) sizes the first buffer: a /proc file says 0 and
 * holds more, a small file costs no buffer of max bytes. g_free(). */
char *apg_file_read_bounded(int fd, gsize expected, gsize max, gsize *len, gboolean *too_big);

#endif
