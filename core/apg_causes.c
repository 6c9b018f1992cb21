/* apg_causes.c - the lookups of include/apg_causes.def: one row per cause.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_diagnosis.h"
#include "apg_text.h"

#include <string.h>

typedef struct {
    const char *token;
    apg_cause_group group;
    const char *expert, *step, *title;
    const char *remedy, *northbound, *southbound;
} cause_row;

static const cause_row rows[APG_CAUSE_COUNT] = {
#define APG_CAUSE(id, token, group, expert, step, title, remedy, north, south)                    \
    [APG_CAUSE_##id] = {token, APG_GROUP_##group, expert, step, title, remedy, north, south},
#include "apg_causes.def"
#undef APG_CAUSE
};

static const cause_row *row_of(apg_cause c)
{
    return c < APG_CAUSE_COUNT ? &rows[c] : NULL;
}

const char *apg_cause_token(apg_cause c)
{
    return row_of(c) ? row_of(c)->token : "unknown";
}

const char *apg_cause_text(apg_cause c)
{
    return row_of(c) ? row_of(c)->title : "";
}

const char *apg_cause_expert_text(apg_cause c)
{
    return row_of(c) ? row_of(c)->expert : "";
}

const char *apg_cause_step(apg_cause c)
{
    return row_of(c) ? row_of(c)->step : "-";
}

apg_cause_group apg_cause_group_of(apg_cause c)
{
    return row_of(c) ? row_of(c)->group : APG_GROUP_SECURITY;
}

apg_cause apg_cause_from_token(const char *token)
{
    for (int c = 0; token && c < APG_CAUSE_COUNT; c++)
        if (strcmp(rows[c].token, token) == 0)
            return (apg_cause)c;
    return APG_CAUSE_COUNT;
}

const char *apg_remedy_text(apg_cause cause, apg_direction direction)
{
    const cause_row *r = row_of(cause);
    if (!r)
        return "";
    if (direction == APG_DIRECTION_NORTHBOUND && r->northbound)
        return r->northbound;
    if (direction == APG_DIRECTION_SOUTHBOUND && r->southbound)
        return r->southbound;
    return r->remedy;
}
