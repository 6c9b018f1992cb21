/* remedy.h - the pieces of the remedies that name an Apigee setting, inside
 * core/apigee only: one function per family of causes, each filling the
 * advice or leaving it empty (the playbook's fix then stands).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_APIGEE_REMEDY_H
#define APG_APIGEE_REMEDY_H

#include "apg_suites.h"

#include "apg_apigee_advice.h"

/* The setting the remedy names, and its value as the export has it. */
void apg_advice_set(apg_apigee_advice *out, const char *setting, char *value);
/* "TargetServer `backend-ts` (env prod)" or "virtual host `secure` (env prod)". */
void apg_say_owner(GString *s, const apg_apigee_match *m);
/* "TLSv1.2, TLSv1.3": the offered versions by name. */
char *apg_offered_versions(const apg_offer *offer);

void apg_remedy_versions(const apg_apigee *a, const apg_advice_in *in, apg_apigee_advice *out,
                         GString *s);
void apg_remedy_ciphers(const apg_apigee *a, const apg_advice_in *in, apg_apigee_advice *out,
                        GString *s);
void apg_remedy_cert_dates(const apg_apigee *a, const apg_advice_in *in, apg_apigee_advice *out,
                           GString *s);
void apg_remedy_trust(const apg_apigee *a, const apg_advice_in *in, apg_apigee_advice *out,
                      GString *s);
void apg_remedy_client_auth(const apg_apigee *a, const apg_advice_in *in, apg_apigee_advice *out,
                            GString *s);
void apg_remedy_hostname(const apg_apigee *a, const apg_advice_in *in, apg_apigee_advice *out,
                         GString *s);
void apg_remedy_sni(const apg_apigee *a, const apg_advice_in *in, apg_apigee_advice *out,
                    GString *s);
/* No TargetServer or virtual host matched: what the product changes. */
void apg_remedy_product(const apg_apigee *a, const apg_advice_in *in, apg_apigee_advice *out,
                        GString *s);
/* An established handshake with a certificate a verifying client refuses. */
void apg_remedy_unverified(const apg_apigee *a, const apg_advice_in *in, apg_apigee_advice *out,
                           GString *s);

/* suites.c: apg_suites.h */

#endif /* APG_APIGEE_REMEDY_H */
