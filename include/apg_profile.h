/* apg_profile.h - what one server did in the capture's established
 * handshakes (core/apg_profile.c): the playbook's "compare with a call that
 * worked", and which suites are weak.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_PROFILE_H
#define APG_PROFILE_H

#include "apg_handshake.h"

/* The key types of a certificate, as signature algorithms need them. */
enum {
    APG_KEY_RSA = 1 << 0,
    APG_KEY_ECDSA = 1 << 1,
    APG_KEY_EDDSA = 1 << 2,
    APG_KEY_DSA = 1 << 3,
};
#define APG_PROFILE_MAX_ALPN 4

/* What one server (address:port) did in the capture's established handshakes. */
typedef struct {
    GArray *suites;          /* guint16, distinct, the suites it chose */
    GArray *groups;          /* guint16, distinct, the key-exchange groups it chose */
    guint32 versions;        /* bit (v - 0x0300) for each version it negotiated */
    guint key_types;         /* APG_KEY_* of the leaf certificates it sent */
    gconstpointer last_leaf; /* the last leaf learned from (interned GBytes) */
    const char *alpn[APG_PROFILE_MAX_ALPN]; /* the ALPN protocols it selected (interned) */
    guint n_alpn;
    guint32 alpn_frame; /* where it first selected one */
    gboolean served_without_sni;
    guint established;
} apg_server_profile;

apg_server_profile *apg_profile_new(void);
void apg_profile_free(apg_server_profile *p);
/* Learns from an established handshake with this server; key_types: the
 * APG_KEY_* of the leaf it sent (0: not read). */
void apg_profile_learn(apg_server_profile *p, const apg_handshake *hs, guint key_types);

/* The APG_KEY_* a certificate's key algorithm (GnuTLS's name) is. */
guint apg_key_type_of(const char *key_algorithm);
/* The APG_KEY_* a TLS signature scheme (RFC 8446 4.2.3, or a TLS 1.2
 * hash/signature pair) signs with; 0 for unknown values. */
guint apg_sig_alg_key_type(guint16 scheme);

/* True for NULL, EXPORT, RC4, DES/3DES, anonymous and MD5 suites, by name. */
gboolean apg_suite_is_weak(const char *name);

#endif /* APG_PROFILE_H */
