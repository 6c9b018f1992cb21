/* apg_table_csv.h - the columns of "tshark -z apigee_hs,csv" and of
 * scripts/apg-batch: one row per handshake with what log correlation needs
 * (docs/fields.md, "CSV columns").
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_TABLE_CSV_H
#define APG_TABLE_CSV_H

#include "apg_capture.h"

#define APG_CSV_COLUMNS(X)                                                                         \
    X(STREAM, "stream")                                                                            \
    X(INDEX, "hs")                                                                                 \
    X(TIMESTAMP, "timestamp")                                                                      \
    X(TS, "ts")                                                                                    \
    X(CLIENT_IP, "client_ip")                                                                      \
    X(CLIENT_PORT, "client_port")                                                                  \
    X(SERVER_IP, "server_ip")                                                                      \
    X(SERVER_PORT, "server_port")                                                                  \
    X(OUTCOME, "outcome")                                                                          \
    X(CAUSE, "cause")                                                                              \
    X(CONFIDENCE, "conf")                                                                          \
    X(DIRECTION, "direction")                                                                      \
    X(STAGE, "stage")                                                                              \
    X(ALERT_SENDER, "alert_sender")                                                                \
    X(ALERT_LEVEL, "alert_level")                                                                  \
    X(ALERT_DESC, "alert_desc")                                                                    \
    X(DECIDED, "decided")                                                                          \
    X(VERSION, "version")                                                                          \
    X(CIPHER, "cipher")                                                                            \
    X(ALPN_OFFERED, "alpn_offered")                                                                \
    X(ALPN_SELECTED, "alpn_selected")                                                              \
    X(RESUMED, "resumed")                                                                          \
    X(SNI, "sni")                                                                                  \
    X(LEAF_SUBJECT, "leaf_subject")                                                                \
    X(LEAF_ISSUER, "leaf_issuer")                                                                  \
    X(LEAF_NOT_AFTER, "leaf_not_after")                                                            \
    X(LEAF_SHA256, "leaf_sha256")                                                                  \
    X(ALTERNATIVES, "alternatives")                                                                \
    X(UNSEEN, "unseen")                                                                            \
    X(SUMMARY, "summary")                                                                          \
    X(REMEDY, "remedy")                                                                            \
    X(CAPTURE, "capture")

#define APG_CSV_ENUM(id, name) APG_CSV_##id,
enum { APG_CSV_COLUMNS(APG_CSV_ENUM) APG_CSV_N_COLUMNS };

extern const char *const apg_csv_names[APG_CSV_N_COLUMNS];

/* The cells of one handshake as the whole capture settles it (owned
 * strings, "" when unknown); capture is the file's path or NULL. Returns
 * the cause, for the totals. */
apg_cause apg_csv_row(apg_capture *cap, const apg_conversation *conv, const apg_handshake *hs,
                      const char *capture, char **cells);

/* One cell on stdout, RFC 4180, then ',' or the line's end. */
void apg_csv_print_cell(const char *cell, gboolean last);

#endif /* APG_TABLE_CSV_H */
