/* load.c - a folder of exports walked within bounds: regular files only
 * (no symbolic links, no devices), so many entries, folders so deep, files
 * and totals so large; JSON to json.c, PEM to pem.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_apigee.h"
#include "apg_file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

typedef struct {
    apg_apigee *a;
    const apg_apigee_limits *limits;
    guint entries;
    gsize total;
    gboolean stopped;         /* a bound was reached: said once */
    GPtrArray *ignored_names; /* a few files that held nothing readable, for the problem line */
} walk;

static gboolean has_suffix(const char *name, const char *const *suffixes)
{
    for (; *suffixes; suffixes++)
        if (g_str_has_suffix(name, *suffixes))
            return TRUE;
    return FALSE;
}

/* At most max bytes (apg_file.c); NULL with *too_big when it holds more. */
static char *read_bounded(const char *path, gsize expected, gsize max, gsize *len,
                          gboolean *too_big)
{
    *too_big = FALSE;
    int fd = g_open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
    if (fd < 0)
        return NULL;
    char *data = apg_file_read_bounded(fd, expected, max, len, too_big);
    int saved = errno;
    close(fd);
    errno = saved;
    return data;
}

static void read_file(walk *w, const char *path, const char *rel, goffset size)
{
    static const char *const json[] = {".json", ".JSON", NULL};
    static const char *const pem[] = {".pem", ".crt", ".cer", ".PEM", ".CRT", NULL};
    gboolean is_json = has_suffix(rel, json), is_pem = has_suffix(rel, pem);
    if (!is_json && !is_pem)
        return;
    const apg_apigee_limits *lim = w->limits;
    if ((gsize)size > lim->max_file) {
        apg_apigee_problem(w->a, lim, "%s: %.1f MiB, over the %zu MiB a file may have: not read",
                           rel, size / 1048576.0, lim->max_file >> 20);
        return;
    }
    if (w->total + (gsize)size > lim->max_total) {
        w->stopped = TRUE;
        apg_apigee_problem(w->a, lim,
                           "the export holds more than %zu MiB: the files after %s "
                           "were not read",
                           lim->max_total >> 20, rel);
        return;
    }
    gsize len = 0;
    gboolean too_big;
    char *data = read_bounded(path, (gsize)size, lim->max_file, &len, &too_big);
    if (!data) {
        apg_apigee_problem(w->a, lim, "%s: %s", rel,
                           too_big ? "grew while read: not read" : g_strerror(errno));
        return;
    }
    w->total += len;
    guint before = w->a->files_ignored;
    if (is_json)
        apg_apigee_read_json(w->a, data, len, rel, lim);
    else
        apg_apigee_read_pem(w->a, data, len, rel);
    if (w->a->files_ignored > before && w->ignored_names->len < 3)
        g_ptr_array_add(w->ignored_names, g_strdup(rel));
    g_free(data);
}

static gint by_name(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted, so that the first of two same-named things is always the same. */
static GPtrArray *list_dir(walk *w, const char *dir, const char *rel)
{
    GError *err = NULL;
    GDir *d = g_dir_open(dir, 0, &err);
    if (!d) {
        apg_apigee_problem(w->a, w->limits, "%s: %s", *rel ? rel : dir, err->message);
        g_error_free(err);
        return NULL;
    }
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *name;
    while ((name = g_dir_read_name(d)) && !w->stopped) {
        if (++w->entries > w->limits->max_entries) {
            w->stopped = TRUE;
            apg_apigee_problem(w->a, w->limits,
                               "the export has more than %u files and "
                               "folders: the rest were not read",
                               w->limits->max_entries);
            break;
        }
        g_ptr_array_add(names, g_strdup(name));
    }
    g_dir_close(d);
    g_ptr_array_sort(names, by_name);
    return names;
}

static void walk_dir(walk *w, const char *dir, const char *rel, guint depth);

static void visit(walk *w, const char *dir, const char *rel, const char *name, guint depth)
{
    char *path = g_build_filename(dir, name, NULL);
    char *shown = g_filename_display_name(name);
    char *child = *rel ? g_strconcat(rel, "/", shown, NULL) : g_strdup(shown);
    if (!g_utf8_validate(name, -1, NULL))
        apg_apigee_problem(w->a, w->limits,
                           "%s: the name is not valid UTF-8 (shown with "
                           "replacement characters)",
                           child);
    GStatBuf st;
    if (g_lstat(path, &st) != 0)
        apg_apigee_problem(w->a, w->limits, "%s: %s", child, g_strerror(errno));
    else if (S_ISDIR(st.st_mode) && depth < w->limits->max_depth)
        walk_dir(w, path, child, depth + 1);
    else if (S_ISDIR(st.st_mode))
        apg_apigee_problem(w->a, w->limits, "%s: deeper than %u folders: not read", child,
                           w->limits->max_depth);
    else if (S_ISREG(st.st_mode))
        read_file(w, path, child, st.st_size);
    g_free(path);
    g_free(shown);
    g_free(child);
}

static void walk_dir(walk *w, const char *dir, const char *rel, guint depth)
{
    GPtrArray *names = list_dir(w, dir, rel);
    for (guint i = 0; names && i < names->len && !w->stopped; i++)
        visit(w, dir, rel, names->pdata[i], depth);
    if (names)
        g_ptr_array_free(names, TRUE);
}

static void say_ignored(walk *w)
{
    apg_apigee *a = w->a;
    if (!a->files_ignored)
        return;
    char *some = g_strjoinv(", ", (char **)w->ignored_names->pdata);
    g_ptr_array_add(a->notes,
                    g_strdup_printf("%u file%s held no TargetServer, virtual host, keystore, "
                                    "certificate or reference (%s%s): ignored",
                                    a->files_ignored, a->files_ignored == 1 ? "" : "s", some,
                                    a->files_ignored > w->ignored_names->len - 1 ? ", ..." : ""));
    g_free(some);
}

apg_apigee *apg_apigee_load(const char *dir, const apg_apigee_limits *limits)
{
    apg_apigee *a = apg_apigee_new();
    a->folder = g_strdup(dir);
    walk w = {.a = a, .limits = limits ? limits : &apg_apigee_default_limits};
    w.ignored_names = g_ptr_array_new_with_free_func(g_free);
    GStatBuf st;
    if (g_stat(dir, &st) != 0)
        apg_apigee_problem(a, w.limits, "%s: %s", dir, g_strerror(errno));
    else if (!S_ISDIR(st.st_mode))
        apg_apigee_problem(a, w.limits, "%s: not a folder", dir);
    else
        walk_dir(&w, dir, "", 0);
    g_ptr_array_add(w.ignored_names, NULL);
    say_ignored(&w);
    g_ptr_array_free(w.ignored_names, TRUE);
    if (!a->files_read && !a->problems->len)
        apg_apigee_problem(a, w.limits,
                           "%s: no Apigee export in it (no TargetServer, virtual "
                           "host, keystore, certificate or reference in a JSON or PEM file)",
                           dir);
    apg_apigee_finish(a);
    return a;
}
