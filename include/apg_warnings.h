/* apg_warnings.h - the warnings of an established handshake, one bit per
 * row of include/apg_warnings.def (the token, the meaning, the fix).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_WARNINGS_H
#define APG_WARNINGS_H

#include <glib.h>

/* Warnings on an established handshake: one bit per row of
 * include/apg_warnings.def, in its order. */
enum {
#define APG_WARNING(id, token, fix, meaning) APG_WARN_BIT_##id,
#include "apg_warnings.def"
#undef APG_WARNING
    APG_WARN_COUNT_BITS,
};
enum {
#define APG_WARNING(id, token, fix, meaning) APG_WARN_##id = 1 << APG_WARN_BIT_##id,
#include "apg_warnings.def"
#undef APG_WARNING
};
/* "old_version" for one warning bit, the value of apigee_hs.warning; NULL
 * for a bit that is no warning. */
const char *apg_warning_token(guint bit);

#endif /* APG_WARNINGS_H */
