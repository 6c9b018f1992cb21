/* apg_text.h - names and one-line texts for everything the core decides,
 * and the ladder string.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_TEXT_H
#define APG_TEXT_H

#include "apg_verdict.h"

const char *apg_outcome_token(apg_outcome o); /* established, failed, ... */
/* From include/apg_causes.def (core/apg_causes.c). */
const char *apg_cause_token(apg_cause c);       /* none, alert_other, ...  */
const char *apg_cause_text(apg_cause c);        /* its title, one sentence */
const char *apg_cause_expert_text(apg_cause c); /* completes "TLS handshake failed: " */
const char *apg_cause_step(apg_cause c);        /* the playbook section */
apg_cause_group apg_cause_group_of(apg_cause c);
/* The cause with this token, or APG_CAUSE_COUNT. */
apg_cause apg_cause_from_token(const char *token);
const char *apg_stage_text(apg_stage s); /* before ServerHello, ... */
const char *apg_role_token(apg_role r);  /* client / server */
const char *apg_version_name(guint16 v); /* TLSv1.2, or NULL */
const char *apg_alert_level_name(guint8 level);
const char *apg_alert_desc_name(guint8 desc); /* RFC 8446 names, or NULL */
const char *apg_handshake_type_name(guint8 type);

/* Bytes from the wire as valid UTF-8 of at most max bytes: invalid
 * sequences replaced (U+FFFD), cut between characters. g_free(). */
char *apg_utf8_bounded(const char *s, gsize len, gsize max);

/* Text from the wire or a preference, fit to be shown as it is (a terminal,
 * JSON, a CSV cell): valid UTF-8, every control character (C0, DEL, C1)
 * written as \xNN, so a name cannot forge a line or move a cursor. g_free(). */
char *apg_text_printable(const char *s);

/* "C:ClientHello#4 > S:Alert(fatal,handshake_failure)#6 > S:FIN#8".
 * Long ladders keep their first and last steps. Free with g_free(). */
char *apg_ladder_text(const apg_handshake *hs);

#endif /* APG_TEXT_H */
