/* apg_shared.h - what the handshakes of one capture share, stored once:
 * empty arrays, identical certificate chains, identical offers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_SHARED_H
#define APG_SHARED_H

#include "apg_handshake.h"

apg_shared *apg_shared_new(void);
void apg_shared_free(apg_shared *sh);

/* Most handshakes send no alert and no client certificate: until one comes,
 * they hold these empty arrays (never written) instead of two of their own. */
GArray *apg_shared_no_alerts(const apg_shared *sh);
GPtrArray *apg_shared_no_certs(const apg_shared *sh);

/* The chain a Certificate message carries, shared with every handshake that
 * got the same; released once per share. */
GPtrArray *apg_shared_chain(apg_shared *sh, const apg_event *ev);
void apg_shared_chain_release(apg_shared *sh, GPtrArray *chain);

/* The offer of a ClientHello, pointing into a shared copy. */
void apg_shared_offer_set(apg_shared *sh, apg_offer *o, const apg_client_hello *ch);
void apg_shared_offer_clear(apg_shared *sh, apg_offer *o);

/* A short string many handshakes repeat (an ALPN protocol), stored once
 * for the capture's life, valid UTF-8. */
const char *apg_shared_intern(apg_shared *sh, const char *text);

#endif /* APG_SHARED_H */
