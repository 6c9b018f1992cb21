/* key_exchange.c - playbook step 3 beyond the suites: the key-exchange
 * group (a HelloRetryRequest the client could not follow, or no group in
 * common with what the server took elsewhere) and the signature algorithms
 * (none for the key of the certificate the server sends).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "playbook.h"

#include <string.h>

enum {
    RETRY_WITHOUT_GROUP,   /* its retried ClientHello lacks the key share asked for */
    RETRY_GROUP_UNOFFERED, /* the server asked for a group the client never offered */
};

static void note_offer(finding *g, const facts *f)
{
    note_client_hello(g, f);
    g->offer = &f->hs->offer;
    g->group_name = f->ctx->group_name;
    compares(g, APG_COMPARED_GROUPS);
}

/* The client's or the server's end: its alert, or its TCP close. */
static void note_end(finding *g, const facts *f)
{
    if (f->v->has_alert) {
        note_alert(g, f);
        return;
    }
    cite(g, f->v->decided_frame);
    g->end = (ending){.sender = f->v->has_failed_side ? f->v->failed_side : APG_ROLE_SERVER,
                      .frame = f->v->decided_frame,
                      .reset = f->v->cause == APG_CAUSE_SERVER_RESET};
}

/* A HelloRetryRequest asked for a group the client had not key-shared
 * (RFC 8446 4.1.4), and the handshake ended before any ServerHello: the
 * client retried without that group, or was asked for one it never offered.
 * A retry that carries the group leaves the group out; a client that offered
 * the group and left without retrying did not follow a request it could
 * meet (closes.c: client_abort). */
gboolean decide_group_retry(const facts *f, finding *g)
{
    const apg_handshake *hs = f->hs;
    if (!hs->hrr_frame || hs->server_hello_frame || !hs->hrr_group || hs->retry_key_share == 1)
        return FALSE;
    note_offer(g, f);
    note_end(g, f);
    cite(g, hs->hrr_frame);
    g->frame3 = hs->hrr_frame;
    g->hrr_group = hs->hrr_group;
    g->retry_key_share = hs->retry_key_share;
    if (f->saw_offer &&
        !apg_u16_listed(apg_offer_groups(&hs->offer), hs->offer.n_groups, hs->hrr_group))
        g->reading = RETRY_GROUP_UNOFFERED;
    else if (hs->retry_key_share == 2)
        g->reading = RETRY_WITHOUT_GROUP;
    else
        return FALSE; /* asked for a group it offered, the client left: closes.c words it */
    allow(g, APG_CAUSE_ALERT_OTHER);
    return conclude(g, APG_CAUSE_GROUP_MISMATCH, APG_CONFIDENCE_LIKELY);
}

void say_offered_groups(GString *s, const finding *g)
{
    g_string_append_printf(s, "The ClientHello (frame %u) offered the groups ",
                           g->client_hello_frame);
    say_group_list(s, g, apg_offer_groups(g->offer), g->offer->n_groups);
    g_string_append(s, " with key shares for ");
    say_group_list(s, g, apg_offer_key_shares(g->offer), g->offer->n_key_shares);
}

static const char *const retry_reading[] = {
    [RETRY_WITHOUT_GROUP] = "; the client's second ClientHello still lacks a key share for it "
                            "and the handshake ended with ",
    [RETRY_GROUP_UNOFFERED] = ", a group the client never offered (a server or middlebox "
                              "fault the client must refuse); the handshake ended with ",
};

void say_group_retry(GString *s, const finding *g)
{
    if (g->client_hello_frame)
        say_offered_groups(s, g);
    else
        g_string_append(s, "The ClientHello is not in the capture");
    g_string_append_printf(s, "; the server's HelloRetryRequest (frame %u) asked for ", g->frame3);
    say_group(s, g, g->hrr_group);
    g_string_append(s, retry_reading[g->reading]);
    say_ending(s, g);
    g_string_append(s, ": no key-exchange group both sides complete.");
}

/* Every suite the offer shares with the server's needs a group: TLS 1.3
 * suites and ECDHE ones (a finite-field DHE suite can go without). */
static gboolean shared_suites_need_groups(const facts *f, const apg_server_profile *p)
{
    apg_suite_namer name = f->ctx->suite_name;
    const guint16 *known = (const guint16 *)(const void *)p->suites->data;
    guint shared = 0;
    for (guint i = 0; i < f->hs->offer.n_suites && name; i++) {
        if (!apg_u16_listed(known, p->suites->len, f->hs->offer.suites[i]))
            continue;
        const char *n = name(f->hs->offer.suites[i]);
        if (!n || !(g_str_has_prefix(n, "TLS_AES_") || g_str_has_prefix(n, "TLS_CHACHA20_") ||
                    strstr(n, "_ECDHE_")))
            return FALSE;
        shared++;
    }
    return shared > 0;
}

/* The server refused at once, the suites it took elsewhere for this name
 * are among the offer's and all need a group, and none of the groups it
 * chose then is offered. What it chose is what it accepts at least, not
 * all it accepts: likely, never certain. */
gboolean decide_groups(const facts *f, finding *g)
{
    const apg_server_profile *p = f->ctx->profile;
    const apg_offer *o = &f->hs->offer;
    if (!f->saw_offer || !p || !p->groups->len || !o->n_groups || !shared_suites_need_groups(f, p))
        return FALSE;
    for (guint i = 0; i < p->groups->len; i++)
        if (apg_u16_listed(apg_offer_groups(o), o->n_groups, g_array_index(p->groups, guint16, i)))
            return FALSE;
    note_offer(g, f);
    note_alert(g, f);
    g->profile = p;
    rests_on(g, APG_BASIS_PROFILE);
    compares(g, APG_COMPARED_SUITES);
    allow(g, APG_CAUSE_ALERT_OTHER);
    return conclude(g, APG_CAUSE_GROUP_MISMATCH, APG_CONFIDENCE_LIKELY);
}

void say_groups(GString *s, const finding *g)
{
    say_offered_groups(s, g);
    g_string_append(s, " and got ");
    say_ending(s, g);
    g_string_append(s, ". For other ");
    say_clients_of_name(s, g);
    g_string_append(s, " this server chose the groups ");
    say_group_list(s, g, (const guint16 *)(const void *)g->profile->groups->data,
                   g->profile->groups->len);
    g_string_append(s, ", none of them offered here, with suites this client offers too: no "
                       "key-exchange group in common is the likely reason (the server may "
                       "accept more groups than it was seen to choose).");
}

static guint offered_key_types(const apg_offer *o)
{
    guint types = 0;
    const guint16 *algs = apg_offer_sig_algs(o);
    for (guint i = 0; i < o->n_sig_algs; i++)
        types |= apg_sig_alg_key_type(algs[i]);
    return types;
}

/* The server refused at once, and no signature algorithm offered signs
 * with the key type of the certificates it sent this name's other clients.
 * A server may hold another certificate it was not seen to send: likely. */
gboolean decide_signatures(const facts *f, finding *g)
{
    const apg_server_profile *p = f->ctx->profile;
    const apg_offer *o = &f->hs->offer;
    if (!f->saw_offer || !p || !p->key_types || !o->n_sig_algs)
        return FALSE;
    guint offered = offered_key_types(o);
    if (offered & p->key_types)
        return FALSE;
    note_client_hello(g, f);
    note_alert(g, f);
    g->offer = o;
    g->profile = p;
    g->offered_key_types = offered;
    g->server_key_types = p->key_types;
    rests_on(g, APG_BASIS_PROFILE);
    compares(g, APG_COMPARED_SIGNATURES);
    allow(g, APG_CAUSE_ALERT_OTHER);
    allow(g, APG_CAUSE_CIPHER_MISMATCH);
    return conclude(g, APG_CAUSE_SIGNATURE_MISMATCH, APG_CONFIDENCE_LIKELY);
}

static void say_key_types(GString *s, guint types)
{
    static const char *const names[] = {"RSA", "ECDSA", "EdDSA", "DSA"};
    guint shown = 0;
    for (guint i = 0; i < G_N_ELEMENTS(names); i++)
        if (types & (1u << i))
            g_string_append_printf(s, "%s%s", shown++ ? " or " : "", names[i]);
    if (!shown)
        g_string_append(s, "no known key type");
}

void say_signatures(GString *s, const finding *g)
{
    g_string_append_printf(s, "The ClientHello (frame %u) offered %u signature algorithm%s, for ",
                           g->client_hello_frame, g->offer->n_sig_algs,
                           g->offer->n_sig_algs == 1 ? "" : "s");
    say_key_types(s, g->offered_key_types);
    g_string_append(s, " keys only, and got ");
    say_ending(s, g);
    g_string_append(s, ". To other ");
    say_clients_of_name(s, g);
    g_string_append(s, " this server sent a certificate with ");
    say_key_types(s, g->server_key_types);
    g_string_append(s, " keys: it has no certificate the client can verify, so no common "
                       "signature algorithm is the likely reason.");
}
