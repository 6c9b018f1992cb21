/* apg_field_values.c - the names of the fields' values, filled from the core
 * (its tokens are their single home) before registration; and the TLS
 * dissector's own names for the fields that carry TLS numbers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_field_values.h"

#include <epan/proto.h>

#include "apg_diagnosis.h"
#include "apg_text.h"

value_string apg_outcome_vals[APG_OUTCOME_INCOMPLETE + 2];
value_string apg_cause_vals[APG_CAUSE_COUNT + 1];
value_string apg_confidence_vals[APG_CONFIDENCE_POSSIBLE + 2];
value_string apg_direction_vals[APG_DIRECTION_SOUTHBOUND + 2];
value_string apg_stage_vals[APG_STAGE_AFTER_FINISHED + 2];
value_string apg_role_vals[3];
value_string apg_warning_vals[APG_WARN_COUNT_BITS + 1];
value_string apg_alert_level_vals[4];

/* The versions with the core's one spelling ("TLSv1.2"), as in every text. */
#define VERSION_VAL(id, number, name) {number, name},
const value_string apg_tls_version_vals[] = {APG_TLS_VERSIONS(VERSION_VAL){0, NULL}};

void apg_fill_value_names(void)
{
    for (guint i = 0; i <= APG_OUTCOME_INCOMPLETE; i++)
        apg_outcome_vals[i] = (value_string){i, apg_outcome_token((apg_outcome)i)};
    for (guint i = 0; i < APG_CAUSE_COUNT; i++)
        apg_cause_vals[i] = (value_string){i, apg_cause_token((apg_cause)i)};
    for (guint i = 0; i <= APG_CONFIDENCE_POSSIBLE; i++)
        apg_confidence_vals[i] = (value_string){i, apg_confidence_token((apg_confidence)i)};
    for (guint i = 0; i <= APG_DIRECTION_SOUTHBOUND; i++)
        apg_direction_vals[i] = (value_string){i, apg_direction_token((apg_direction)i)};
    for (guint i = 0; i <= APG_STAGE_AFTER_FINISHED; i++)
        apg_stage_vals[i] = (value_string){i, apg_stage_text((apg_stage)i)};
    apg_role_vals[0] = (value_string){APG_ROLE_CLIENT, apg_role_token(APG_ROLE_CLIENT)};
    apg_role_vals[1] = (value_string){APG_ROLE_SERVER, apg_role_token(APG_ROLE_SERVER)};
    for (guint i = 0; i < APG_WARN_COUNT_BITS; i++)
        apg_warning_vals[i] = (value_string){1u << i, apg_warning_token(1u << i)};
    apg_alert_level_vals[0] = (value_string){APG_ALERT_LEVEL_ENCRYPTED, "encrypted"};
    apg_alert_level_vals[1] =
        (value_string){APG_ALERT_LEVEL_WARNING, apg_alert_level_name(APG_ALERT_LEVEL_WARNING)};
    apg_alert_level_vals[2] =
        (value_string){APG_ALERT_LEVEL_FATAL, apg_alert_level_name(APG_ALERT_LEVEL_FATAL)};
}

/* The TLS dissector's value tables are not exported: share its fields'
 * own, once both protocols are registered. */
void apg_borrow_value_names(int ours, const char *theirs)
{
    header_field_info *mine = proto_registrar_get_nth(ours);
    header_field_info *tls = proto_registrar_get_byname(theirs);
    if (!mine || !tls || !tls->strings)
        return;
    mine->strings = tls->strings;
    mine->display = (mine->display & ~BASE_EXT_STRING) | (tls->display & BASE_EXT_STRING);
}
