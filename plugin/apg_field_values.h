/* apg_field_values.h - the value names of the protocol's fields (filled from
 * the core's tokens) and the TLS dissector's names borrowed at handoff.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_FIELD_VALUES_H
#define APG_FIELD_VALUES_H

#include "apg_compat.h" /* value_string.h moved in 4.6 */

#include "apg_diagnosis.h"

/* Alert level value of an alert that could not be read. */
#define APG_ALERT_LEVEL_ENCRYPTED 0

extern value_string apg_outcome_vals[APG_OUTCOME_INCOMPLETE + 2];
extern value_string apg_cause_vals[APG_CAUSE_COUNT + 1];
extern value_string apg_confidence_vals[APG_CONFIDENCE_POSSIBLE + 2];
extern value_string apg_direction_vals[APG_DIRECTION_SOUTHBOUND + 2];
extern value_string apg_stage_vals[APG_STAGE_AFTER_FINISHED + 2];
extern value_string apg_role_vals[3];
extern value_string apg_warning_vals[APG_WARN_COUNT_BITS + 1];
extern value_string apg_alert_level_vals[4];
extern const value_string apg_tls_version_vals[];

/* Fills the tables above; before the fields are registered. */
void apg_fill_value_names(void);
/* Gives our field the value names of a TLS field (their tables are not
 * exported); once both protocols are registered. */
void apg_borrow_value_names(int ours, const char *theirs);

#endif /* APG_FIELD_VALUES_H */
