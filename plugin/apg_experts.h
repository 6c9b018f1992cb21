/* apg_experts.h - the protocol's expert entries, raised by apg_render.c.
 * Registered in apg_experts.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_EXPERTS_H
#define APG_EXPERTS_H

#include "apg_compat.h"

#include <epan/expert.h>

#include "apg_verdict.h"

/* Registers the expert entries under proto. */
void apg_experts_register(int proto);

/* One entry per cause and certainty (incomplete and established have no
 * uncertain entry), and the entries of an established handshake. */
extern expert_field ei_certain[APG_CAUSE_COUNT];
extern expert_field ei_uncertain[APG_CAUSE_COUNT];
extern expert_field ei_risky, ei_rejected_after, ei_config;

/* One entry per certificate finding, on the frame that carries the verdict. */
enum {
    CF_HOSTNAME,
    CF_CHAIN_INCOMPLETE,
    CF_CHAIN_INVALID,
    CF_OUT_OF_DATE,
    CF_UNTRUSTED,
    CF_WEAK_SIGNATURE,
    CF_SMALL_KEY,
    CF_SELF_SIGNED,
    CF_EXPIRING,
    CF_MALFORMED,
    CF_COUNT
};
extern expert_field ei_cert[CF_COUNT];

#endif /* APG_EXPERTS_H */
