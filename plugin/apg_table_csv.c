/* apg_table_csv.c - one CSV row per handshake: each fact in a column of
 * its own (address apart from port, alert sender apart from description),
 * names as Zeek's ssl.log and Suricata's eve.json users know them where
 * they exist (docs/fields.md, "CSV columns").
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_table_csv.h"

#include <stdio.h>
#include <string.h>

#include "apg_extract.h"
#include "apg_text.h"

#define APG_CSV_NAME(id, name) name,
const char *const apg_csv_names[APG_CSV_N_COLUMNS] = {APG_CSV_COLUMNS(APG_CSV_NAME)};

static char *time_cell(gint64 secs, gint usecs)
{
    GDateTime *t = g_date_time_new_from_unix_utc(secs);
    if (!t)
        return g_strdup("");
    char *day = g_date_time_format(t, "%Y-%m-%dT%H:%M:%S");
    char *cell = usecs >= 0 ? g_strdup_printf("%s.%06dZ", day, usecs) : g_strdup_printf("%sZ", day);
    g_free(day);
    g_date_time_unref(t);
    return cell;
}

static void time_cells(const apg_handshake *hs, char **cells)
{
    gint64 us = hs->first_time_us;
    gint64 secs = us / G_USEC_PER_SEC;
    gint frac = (gint)(us % G_USEC_PER_SEC);
    cells[APG_CSV_TIMESTAMP] = us > 0 ? time_cell(secs, frac) : g_strdup("");
    cells[APG_CSV_TS] =
        us > 0 ? g_strdup_printf("%" G_GINT64_FORMAT ".%06d", secs, frac) : g_strdup("");
}

static void endpoint_cells(const apg_endpoint *ep, char **ip, char **port)
{
    char buf[APG_ENDPOINT_TEXT_LEN];
    *ip = g_strdup(apg_address_format(ep, buf));
    *port = g_strdup_printf("%u", ep->port);
}

static void alert_cells(const apg_verdict *v, char **cells)
{
    const apg_alert_obs *a = &v->alert.alert;
    const char *desc = a->encrypted ? "encrypted" : apg_alert_desc_name(a->desc);
    cells[APG_CSV_ALERT_SENDER] = g_strdup(v->has_alert ? apg_role_token(v->alert.sender) : "");
    cells[APG_CSV_ALERT_LEVEL] = g_strdup(!v->has_alert  ? ""
                                          : a->encrypted ? "encrypted"
                                                         : apg_alert_level_name(a->level));
    cells[APG_CSV_ALERT_DESC] = !v->has_alert ? g_strdup("")
                                : desc        ? g_strdup(desc)
                                              : g_strdup_printf("%u", a->desc);
}

static void answer_cells(const apg_handshake *hs, char **cells)
{
    const char *version = apg_version_name(apg_hs_negotiated_version(hs));
    const char *cipher = hs->server_hello_frame ? apg_extract_suite_name(hs->sh.suite) : NULL;
    cells[APG_CSV_VERSION] = g_strdup(version ? version : "");
    cells[APG_CSV_CIPHER] = hs->server_hello_frame && !cipher
                                ? g_strdup_printf("0x%04x", hs->sh.suite)
                                : g_strdup(cipher ? cipher : "");
    cells[APG_CSV_ALPN_OFFERED] = g_strescape(hs->offer.alpn ? hs->offer.alpn : "", NULL);
    cells[APG_CSV_ALPN_SELECTED] = g_strescape(hs->alpn_selected ? hs->alpn_selected : "", NULL);
    cells[APG_CSV_RESUMED] = g_strdup(!hs->server_hello_frame ? ""
                                      : apg_hs_resumed(hs)    ? "true"
                                                              : "false");
    cells[APG_CSV_SNI] = g_strescape(hs->offer.sni ? hs->offer.sni : "", NULL);
}

static void leaf_cells(const apg_handshake *hs, const apg_chain_report *chain, char **cells)
{
    const apg_cert *leaf = chain && chain->leaf && !chain->leaf->malformed ? chain->leaf : NULL;
    cells[APG_CSV_LEAF_SUBJECT] = g_strdup(leaf ? leaf->subject : "");
    cells[APG_CSV_LEAF_ISSUER] = g_strdup(leaf ? leaf->issuer : "");
    cells[APG_CSV_LEAF_NOT_AFTER] = leaf ? time_cell(leaf->not_after, -1) : g_strdup("");
    cells[APG_CSV_LEAF_SHA256] = hs->server_certs && hs->server_certs->len
                                     ? apg_cert_sha256(g_ptr_array_index(hs->server_certs, 0))
                                     : g_strdup("");
}

/* Alternatives and what was not seen: several items, ';'-joined. */
static void qualifier_cells(const apg_diagnosis *d, char **cells)
{
    GString *alt = g_string_new(NULL), *unseen = g_string_new(NULL);
    for (int c = 0; c < APG_CAUSE_COUNT; c++)
        if (d->alternatives & APG_CAUSE_BIT(c))
            g_string_append_printf(alt, "%s%s", alt->len ? ";" : "", apg_cause_token(c));
    for (guint bit = 1; bit < (1u << APG_BASIS_COUNT_BITS); bit <<= 1)
        if (d->basis & bit)
            g_string_append_printf(unseen, "%s%s", unseen->len ? "; " : "", apg_basis_text(bit));
    cells[APG_CSV_ALTERNATIVES] = g_string_free(alt, FALSE);
    cells[APG_CSV_UNSEEN] = g_string_free(unseen, FALSE);
}

apg_cause apg_csv_row(apg_capture *cap, const apg_conversation *conv, const apg_handshake *hs,
                      const char *capture, char **cells)
{
    apg_report rep;
    apg_capture_settled(cap, conv, hs, &rep);
    const apg_verdict *v = &rep.verdict;
    const apg_diagnosis *d = &rep.view.d;
    cells[APG_CSV_STREAM] = g_strdup_printf("%u", conv->stream);
    cells[APG_CSV_INDEX] = g_strdup_printf("%u", hs->index);
    time_cells(hs, cells);
    endpoint_cells(apg_conv_endpoint(conv, hs, APG_ROLE_CLIENT), &cells[APG_CSV_CLIENT_IP],
                   &cells[APG_CSV_CLIENT_PORT]);
    endpoint_cells(apg_conv_endpoint(conv, hs, APG_ROLE_SERVER), &cells[APG_CSV_SERVER_IP],
                   &cells[APG_CSV_SERVER_PORT]);
    cells[APG_CSV_OUTCOME] = g_strdup(apg_outcome_token(v->outcome));
    cells[APG_CSV_CAUSE] = g_strdup(apg_cause_token(d->cause));
    cells[APG_CSV_CONFIDENCE] = g_strdup(apg_confidence_token(d->confidence));
    cells[APG_CSV_DIRECTION] = g_strdup(apg_direction_token(rep.view.direction));
    cells[APG_CSV_STAGE] = g_strdup(apg_stage_text(v->stage));
    alert_cells(v, cells);
    cells[APG_CSV_DECIDED] = g_strdup_printf("%u", v->decided_frame);
    answer_cells(hs, cells);
    leaf_cells(hs, rep.view.chain, cells);
    qualifier_cells(d, cells);
    gboolean worth_a_why =
        v->outcome != APG_OUTCOME_ESTABLISHED || d->warnings || d->cause != APG_CAUSE_NONE;
    cells[APG_CSV_SUMMARY] = g_strdup(worth_a_why ? d->summary : "");
    cells[APG_CSV_REMEDY] = g_strdup(worth_a_why ? apg_view_remedy(&rep.view) : "");
    cells[APG_CSV_CAPTURE] = g_strdup(capture ? capture : "");
    apg_cause cause = d->cause;
    apg_report_clear(&rep);
    return cause;
}

void apg_csv_print_cell(const char *cell, gboolean last)
{
    if (strpbrk(cell, ",\"\r\n")) { /* RFC 4180: quoted, quotes doubled */
        putchar('"');
        for (const char *p = cell; *p; p++) {
            if (*p == '"')
                putchar('"');
            putchar(*p);
        }
        putchar('"');
    } else {
        fputs(cell, stdout);
    }
    putchar(last ? '\n' : ',');
}
