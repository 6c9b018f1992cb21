/* apg_config_check.h - "tshark -z apigee_hs,config": the Apigee export
 * checked alone, at the capture's time.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_CONFIG_CHECK_H
#define APG_CONFIG_CHECK_H

#include "apg_capture.h"

void apg_config_check_register(apg_capture *(*current)(void));

#endif /* APG_CONFIG_CHECK_H */
