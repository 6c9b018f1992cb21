/* apg_stats.c - handshakes counted by outcome, cause, direction, server,
 * SNI and alert, from the "apigee_hs" tap (one record per handshake).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_stats.h"

#include <epan/stats_tree.h>

#include "apg_compat.h"
#include "apg_tap.h"
#include "apg_text.h"

static const char st_handshakes[] = "Handshakes";
static const char st_outcome[] = "By outcome";
static const char st_cause[] = "By cause";
static const char st_direction[] = "By direction (leg)";
static const char st_server[] = "By server";
static const char st_sni[] = "By SNI";
static const char st_alert[] = "By alert and sender";

static int node_handshakes, node_outcome, node_cause, node_direction, node_server, node_sni,
    node_alert;

static void stats_init(stats_tree *st)
{
    node_handshakes = stats_tree_create_node(st, st_handshakes, 0, STAT_DT_INT, TRUE);
    node_outcome = stats_tree_create_node(st, st_outcome, node_handshakes, STAT_DT_INT, TRUE);
    node_cause = stats_tree_create_node(st, st_cause, node_handshakes, STAT_DT_INT, TRUE);
    node_direction = stats_tree_create_node(st, st_direction, node_handshakes, STAT_DT_INT, TRUE);
    node_server = stats_tree_create_node(st, st_server, node_handshakes, STAT_DT_INT, TRUE);
    node_sni = stats_tree_create_node(st, st_sni, node_handshakes, STAT_DT_INT, TRUE);
    node_alert = stats_tree_create_node(st, st_alert, node_handshakes, STAT_DT_INT, TRUE);
}

static char *alert_label(const apg_tap_record *r)
{
    if (!r->has_alert)
        return g_strdup("no alert");
    const char *desc = apg_alert_desc_name(r->alert.alert.desc);
    if (r->alert.alert.encrypted)
        return g_strdup_printf("%s: encrypted", apg_role_token(r->alert.sender));
    return desc ? g_strdup_printf("%s: %s", apg_role_token(r->alert.sender), desc)
                : g_strdup_printf("%s: %u", apg_role_token(r->alert.sender), r->alert.alert.desc);
}

static tap_packet_status stats_packet(stats_tree *st, packet_info *pinfo _U_,
                                      epan_dissect_t *edt _U_, const void *data,
                                      tap_flags_t flags _U_)
{
    const apg_tap_record *r = data;
    tick_stat_node(st, st_handshakes, 0, TRUE);
    tick_stat_node(st, st_outcome, node_handshakes, TRUE);
    tick_stat_node(st, apg_outcome_token(r->outcome), node_outcome, FALSE);
    tick_stat_node(st, st_cause, node_handshakes, TRUE);
    tick_stat_node(st, apg_cause_token(r->cause), node_cause, FALSE);
    tick_stat_node(st, st_direction, node_handshakes, TRUE);
    tick_stat_node(st, apg_direction_token(r->direction), node_direction, FALSE);
    tick_stat_node(st, st_server, node_handshakes, TRUE);
    char server[APG_ENDPOINT_TEXT_LEN];
    apg_endpoint_format(apg_conv_endpoint(r->conv, r->hs, APG_ROLE_SERVER), server);
    tick_stat_node(st, server, node_server, FALSE);
    tick_stat_node(st, st_sni, node_handshakes, TRUE);
    char *sni = r->hs->offer.sni ? g_strescape(r->hs->offer.sni, NULL) : g_strdup("(no SNI)");
    tick_stat_node(st, sni, node_sni, FALSE);
    g_free(sni);
    tick_stat_node(st, st_alert, node_handshakes, TRUE);
    char *alert = alert_label(r);
    tick_stat_node(st, alert, node_alert, FALSE);
    g_free(alert);
    return TAP_PACKET_REDRAW;
}

void apg_stats_register(void)
{
    stats_tree_register_plugin(APG_TAP_NAME, "apigee_hs", "Apigee handshake diagnosis", 0,
                               stats_packet, stats_init, NULL);
}
