/* apg_suites.h - cipher suites by the names each setting takes, read from
 * OpenSSL's own tables (core/apigee/suites.c): OpenSSL names and cipher
 * strings (nginx, the Router), IANA and JSSE names (TargetServers, Java).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_SUITES_H
#define APG_SUITES_H

#include <glib.h>

const char *apg_openssl_suite_name(guint16 id);
/* An IANA name, or JSSE's "SSL_" spelling of one. */
gboolean apg_standard_suite_id(const char *name, guint16 *id);
/* The TLS 1.2-and-older suites an OpenSSL cipher string selects (empty when
 * it selects none or does not parse). */
GArray *apg_openssl_cipher_list(const char *spec);

#endif /* APG_SUITES_H */
