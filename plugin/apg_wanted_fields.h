/* apg_wanted_fields.h - the TLS and TCP fields the plugin reads, by our own
 * ids (apg_wanted_fields.c); the walk of a frame is apg_extract.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_WANTED_FIELDS_H
#define APG_WANTED_FIELDS_H

#include "apg_compat.h"

#include <epan/proto.h>

typedef enum {
    F_TCP_STREAM,
    F_TCP_FLAGS,
    F_TCP_LEN,
    F_TCP_SEQ,
    F_TCP_NXTSEQ,
    F_TCP_ACK,
    F_TCP_OUT_OF_ORDER,
    F_TCP_ACK_LOST_SEGMENT,
    F_TCP_LOST_SEGMENT,
    F_TCP_RETRANSMISSION,
    F_RECORD_CONTENT_TYPE,
    F_RECORD_OPAQUE_TYPE,
    F_RECORD_VERSION,
    F_RECORD_LENGTH,
    F_HS_TYPE,
    F_HS_VERSION,
    F_HS_RANDOM,
    F_HS_SUPPORTED_VERSION,
    F_HS_CIPHERSUITE,
    F_HS_EXTENSION_TYPE,
    F_HS_SNI,
    F_HS_CERTIFICATE,
    F_HS_DH_P_LEN,
    F_HS_SERVER_NAMED_CURVE,
    F_HS_DNAME_LEN,
    F_ALERT_LEVEL,
    F_ALERT_DESC,
    F_ICMP, /* an ICMP error's subtree: the packet it quotes is not this frame's */
    F_ICMPV6,
    /* Read inside an ICMP error's subtree only (apg_extract_icmp.c). */
    F_QUOTED_FIRST,
    F_ICMP_TYPE = F_QUOTED_FIRST,
    F_ICMP_CODE,
    F_ICMP_MTU,
    F_ICMPV6_TYPE,
    F_ICMPV6_MTU,
    F_IP_SRC,
    F_IP_LEN,
    F_IPV6_SRC,
    F_IPV6_PLEN,
    F_TCP_SRCPORT,
    F_COUNT
} field_id;

/* Our field_id of a registered field id, -1 for fields we ignore. */
int apg_field_of(int hf);

#endif /* APG_WANTED_FIELDS_H */
