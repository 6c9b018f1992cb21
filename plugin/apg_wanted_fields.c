/* apg_wanted_fields.c - the TLS and TCP fields the plugin reads: their
 * names, their ids once registered, the ones this Wireshark lacks, and the
 * TLS dissector's own names for cipher suites.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_wanted_fields.h"

#include <string.h>

#include "apg_extract.h"

static struct {
    const char *name;
    int hf;
} fields[F_COUNT] = {
    [F_TCP_STREAM] = {"tcp.stream", -1},
    [F_TCP_FLAGS] = {"tcp.flags", -1},
    [F_TCP_LEN] = {"tcp.len", -1},
    [F_TCP_SEQ] = {"tcp.seq", -1},
    [F_TCP_NXTSEQ] = {"tcp.nxtseq", -1},
    [F_TCP_ACK] = {"tcp.ack", -1},
    [F_TCP_OUT_OF_ORDER] = {"tcp.analysis.out_of_order", -1},
    [F_TCP_ACK_LOST_SEGMENT] = {"tcp.analysis.ack_lost_segment", -1},
    [F_TCP_LOST_SEGMENT] = {"tcp.analysis.lost_segment", -1},
    [F_TCP_RETRANSMISSION] = {"tcp.analysis.retransmission", -1},
    [F_RECORD_CONTENT_TYPE] = {"tls.record.content_type", -1},
    [F_RECORD_OPAQUE_TYPE] = {"tls.record.opaque_type", -1},
    [F_RECORD_VERSION] = {"tls.record.version", -1},
    [F_RECORD_LENGTH] = {"tls.record.length", -1},
    [F_HS_TYPE] = {"tls.handshake.type", -1},
    [F_HS_VERSION] = {"tls.handshake.version", -1},
    [F_HS_RANDOM] = {"tls.handshake.random", -1},
    [F_HS_SUPPORTED_VERSION] = {"tls.handshake.extensions.supported_version", -1},
    [F_HS_CIPHERSUITE] = {"tls.handshake.ciphersuite", -1},
    [F_HS_EXTENSION_TYPE] = {"tls.handshake.extension.type", -1},
    [F_HS_SNI] = {"tls.handshake.extensions_server_name", -1},
    [F_HS_CERTIFICATE] = {"tls.handshake.certificate", -1},
    [F_HS_DH_P_LEN] = {"tls.handshake.p_len", -1},
    [F_HS_SERVER_NAMED_CURVE] = {"tls.handshake.server_named_curve", -1},
    [F_HS_DNAME_LEN] = {"tls.handshake.dname_len", -1},
    [F_ALERT_LEVEL] = {"tls.alert_message.level", -1},
    [F_ALERT_DESC] = {"tls.alert_message.desc", -1},
    [F_ICMP] = {"icmp", -1},
    [F_ICMPV6] = {"icmpv6", -1},
    [F_ICMP_TYPE] = {"icmp.type", -1},
    [F_ICMP_CODE] = {"icmp.code", -1},
    [F_ICMP_MTU] = {"icmp.mtu", -1},
    [F_ICMPV6_TYPE] = {"icmpv6.type", -1},
    [F_ICMPV6_MTU] = {"icmpv6.mtu", -1},
    [F_IP_SRC] = {"ip.src", -1},
    [F_IP_LEN] = {"ip.len", -1},
    [F_IPV6_SRC] = {"ipv6.src", -1},
    [F_IPV6_PLEN] = {"ipv6.plen", -1},
    [F_TCP_SRCPORT] = {"tcp.srcport", -1},
};

/* Other names of a field, read as the same field where this Wireshark has
 * them: 4.4 moved SSLv2's message type from tls.handshake.type to its own
 * name. An alias is never reported missing. */
static const struct {
    int field;
    const char *name;
} aliases[] = {
    {F_HS_TYPE, "tls.ssl2.handshake.type"},
};

/* Foreign field id -> our field_id. A name can belong to several
 * registrations (the TLS dissector registers tls.handshake.version once for
 * the ClientHello and once for the ServerHello), linked by same_name_next. */
static GHashTable *field_by_hf;
/* The same as a table indexed by field id: the walk looks up every field of
 * every TCP frame, and a hash lookup each was most of the walk's time. */
static guint8 *field_table; /* hf id -> field_id + 1, 0 for fields we ignore */
static guint field_table_len;
static GString *missing_fields;

const char *apg_extract_missing_fields(void)
{
    return missing_fields && missing_fields->len ? missing_fields->str : NULL;
}

static void build_field_table(void);

/* Every registration of HF's name (a name can be registered several times)
 * read as our FIELD. */
static void map_registrations(int hf, int field)
{
    header_field_info *h = proto_registrar_get_nth(hf);
    while (h->same_name_prev_id != -1)
        h = proto_registrar_get_nth(h->same_name_prev_id);
    for (; h; h = h->same_name_next)
        g_hash_table_insert(field_by_hf, GINT_TO_POINTER(h->id), GINT_TO_POINTER(field + 1));
}

void apg_extract_resolve_fields(void)
{
    if (!field_by_hf)
        field_by_hf = g_hash_table_new(g_direct_hash, g_direct_equal);
    g_hash_table_remove_all(field_by_hf);
    if (!missing_fields)
        missing_fields = g_string_new(NULL);
    g_string_truncate(missing_fields, 0);
    for (int i = 0; i < F_COUNT; i++) {
        fields[i].hf = proto_registrar_get_id_byname(fields[i].name);
        if (fields[i].hf < 0) {
            ws_warning("apigee_hs: this Wireshark has no field %s; the diagnosis that needs it "
                       "is degraded",
                       fields[i].name);
            g_string_append_printf(missing_fields, "%s%s", missing_fields->len ? ", " : "",
                                   fields[i].name);
            continue;
        }
        map_registrations(fields[i].hf, i);
    }
    for (guint i = 0; i < G_N_ELEMENTS(aliases); i++) {
        int hf = proto_registrar_get_id_byname(aliases[i].name);
        if (hf >= 0)
            map_registrations(hf, aliases[i].field);
    }
    build_field_table();
}

GArray *apg_extract_wanted_hfids(void)
{
    GArray *ids = g_array_new(FALSE, FALSE, sizeof(int));
    GHashTableIter it;
    gpointer hf;
    g_hash_table_iter_init(&it, field_by_hf);
    while (g_hash_table_iter_next(&it, &hf, NULL)) {
        int id = GPOINTER_TO_INT(hf);
        g_array_append_val(ids, id);
    }
    return ids;
}

/* A TLS field's own name for a value: its value tables are not exported. */
static const char *value_name(int hf, guint32 value)
{
    if (hf < 0)
        return NULL;
    header_field_info *hfi = proto_registrar_get_nth(hf);
    if (!hfi || !hfi->strings)
        return NULL;
    if (hfi->display & BASE_EXT_STRING)
        return try_val_to_str_ext(value, (value_string_ext *)hfi->strings);
    return try_val_to_str(value, (const value_string *)hfi->strings);
}

const char *apg_extract_suite_name(guint16 suite)
{
    return value_name(fields[F_HS_CIPHERSUITE].hf, suite);
}

/* Groups are read from the extension's bytes (apg_extract.c), so their
 * field is only looked up for its names, never asked for. */
const char *apg_extract_group_name(guint16 group)
{
    static int hf = -2;
    if (hf == -2)
        hf = proto_registrar_get_id_byname("tls.handshake.extensions_supported_group");
    return value_name(hf, group);
}

int apg_field_of(int hf)
{
    return hf >= 0 && (guint)hf < field_table_len ? (int)field_table[hf] - 1 : -1;
}

static void build_field_table(void)
{
    GHashTableIter it;
    gpointer hf, id;
    guint len = 0;
    g_hash_table_iter_init(&it, field_by_hf);
    while (g_hash_table_iter_next(&it, &hf, NULL))
        len = MAX(len, (guint)GPOINTER_TO_INT(hf) + 1);
    g_free(field_table);
    field_table = g_new0(guint8, len);
    field_table_len = len;
    g_hash_table_iter_init(&it, field_by_hf);
    while (g_hash_table_iter_next(&it, &hf, &id))
        field_table[GPOINTER_TO_INT(hf)] = (guint8)GPOINTER_TO_INT(id);
}
