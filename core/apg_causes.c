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
#define APG_CAUSE(id, token, group, expert, step, title, remedy, north, south)                     \
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

typedef struct {
    const char *remedy, *northbound, *southbound;
} client_cert_row;

static const client_cert_row client_cert_rows[APG_CAUSE_COUNT] = {
#define APG_CAUSE(id, token, group, expert, step, title, remedy, north, south)
#define APG_CLIENT_CERT_REMEDY(id, remedy, north, south) [APG_CAUSE_##id] = {remedy, north, south},
#include "apg_causes.def"
#undef APG_CLIENT_CERT_REMEDY
#undef APG_CAUSE
};

static const char *by_leg(const char *remedy, const char *north, const char *south,
                          apg_direction direction)
{
    if (direction == APG_DIRECTION_NORTHBOUND && north)
        return north;
    if (direction == APG_DIRECTION_SOUTHBOUND && south)
        return south;
    return remedy;
}

const char *apg_client_cert_remedy_text(apg_cause cause, apg_direction direction)
{
    const client_cert_row *r = cause < APG_CAUSE_COUNT ? &client_cert_rows[cause] : NULL;
    if (!r || !r->remedy)
        return apg_remedy_text(cause, direction);
    return by_leg(r->remedy, r->northbound, r->southbound, direction);
}

const char *apg_remedy_text(apg_cause cause, apg_direction direction)
{
    const cause_row *r = row_of(cause);
    if (!r)
        return "";
    return by_leg(r->remedy, r->northbound, r->southbound, direction);
}

const char *apg_confidence_token(apg_confidence c)
{
    switch (c) {
    case APG_CONFIDENCE_CERTAIN: return "certain";
    case APG_CONFIDENCE_LIKELY: return "likely";
    case APG_CONFIDENCE_POSSIBLE: return "possible";
    }
    return "possible";
}
