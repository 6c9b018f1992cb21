/* apg_profile.h - what one server did in the capture's established
 * handshakes (core/apg_profile.c): the playbook's "compare with a call that
 * worked", and which suites are weak.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_PROFILE_H
#define APG_PROFILE_H

#include "apg_handshake.h"

/* What one server (address:port) did in the capture's established handshakes. */
typedef struct {
    GArray *suites;   /* guint16, distinct, the suites it chose */
    guint32 versions; /* bit (v - 0x0300) for each version it negotiated */
    gboolean served_without_sni;
    guint established;
} apg_server_profile;

apg_server_profile *apg_profile_new(void);
void apg_profile_free(apg_server_profile *p);
/* Learns from an established handshake with this server. */
void apg_profile_learn(apg_server_profile *p, const apg_handshake *hs);

/* True for NULL, EXPORT, RC4, DES/3DES, anonymous and MD5 suites, by name. */
gboolean apg_suite_is_weak(const char *name);

#endif /* APG_PROFILE_H */
