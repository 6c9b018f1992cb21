/* apg_shared.c - what the handshakes of a capture share, stored once: the
 * empty arrays most handshakes hold, identical certificate chains and
 * identical offers. One store per capture (apg_capture.c), so that two files
 * open at once never share state.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_shared.h"

#include <stddef.h>
#include <string.h>

#include "apg_text.h"

struct apg_shared {
    GArray *no_alerts;   /* never written */
    GPtrArray *no_certs; /* never written */
    GHashTable *chains;  /* GPtrArray* of GBytes* -> how many handshakes hold it */
    GHashTable *offers;  /* shared_offer* (by content) -> itself */
    GHashTable *strings; /* interned strings, owned */
};

/* Identical chains are stored once: a server sends the same chain in every
 * handshake. Chains are compared by their certificates' identity (the
 * capture keeps one GBytes per distinct certificate), so two copies of one
 * certificate that were not interned are merely not shared. */

static guint chain_hash(gconstpointer p)
{
    const GPtrArray *a = p;
    guint h = a->len;
    for (guint i = 0; i < a->len; i++)
        h = h * 31 + g_direct_hash(a->pdata[i]);
    return h;
}

static gboolean chain_equal(gconstpointer pa, gconstpointer pb)
{
    const GPtrArray *a = pa, *b = pb;
    if (a->len != b->len)
        return FALSE;
    for (guint i = 0; i < a->len; i++)
        if (a->pdata[i] != b->pdata[i])
            return FALSE;
    return TRUE;
}

/* The chain a Certificate message carries, shared with every handshake that
 * got the same. */
GPtrArray *apg_shared_chain(apg_shared *sh, const apg_event *ev)
{
    GPtrArray *chain = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    for (guint i = 0; i < ev->u.certificate.count && i < APG_MAX_CERTS; i++) {
        GBytes *der = (GBytes *)ev->u.certificate.der[i];
        if (der)
            g_ptr_array_add(chain, g_bytes_ref(der));
    }
    if (!chain->len) {
        g_ptr_array_unref(chain);
        return sh->no_certs;
    }
    gpointer known, holders;
    if (g_hash_table_lookup_extended(sh->chains, chain, &known, &holders)) {
        g_ptr_array_unref(chain);
        g_hash_table_insert(sh->chains, known, GUINT_TO_POINTER(GPOINTER_TO_UINT(holders) + 1));
        return known;
    }
    g_hash_table_insert(sh->chains, chain, GUINT_TO_POINTER(1));
    return chain;
}

void apg_shared_chain_release(apg_shared *sh, GPtrArray *chain)
{
    if (chain == sh->no_certs)
        return;
    guint holders = GPOINTER_TO_UINT(g_hash_table_lookup(sh->chains, chain));
    if (holders > 1) {
        g_hash_table_insert(sh->chains, chain, GUINT_TO_POINTER(holders - 1));
        return;
    }
    g_hash_table_remove(sh->chains, chain);
    g_ptr_array_unref(chain);
}

/* Identical offers are stored once: every client built on one TLS library
 * sends the same ClientHello, and a capture holds thousands of them. The
 * offer of a handshake points into a shared, reference-counted copy. */
enum { L_VERSIONS, L_SUITES, L_EXTENSIONS, L_GROUPS, L_KEY_SHARES, L_SIG_ALGS, N_LISTS };

typedef struct {
    guint refs;
    guint16 legacy_version;
    guint n[N_LISTS];
    gboolean has_sni, has_alpn;
    gsize sni_len; /* the SNI, NUL-ended, then the ALPN protocols, NUL-ended */
    gsize len;     /* of data */
    guint8 data[]; /* the lists (guint16 each), in L_ order, then the strings */
} shared_offer;

static guint shared_offer_hash(gconstpointer p)
{
    const shared_offer *s = p;
    guint h = s->legacy_version ^ (s->n[L_SUITES] << 16) ^ ((guint) !!s->has_sni << 31);
    for (gsize i = 0; i < s->len; i++)
        h = h * 31 + s->data[i];
    return h;
}

static gboolean shared_offer_equal(gconstpointer a, gconstpointer b)
{
    const shared_offer *x = a, *y = b;
    return x->legacy_version == y->legacy_version && memcmp(x->n, y->n, sizeof x->n) == 0 &&
           x->has_sni == y->has_sni && x->has_alpn == y->has_alpn && x->sni_len == y->sni_len &&
           x->len == y->len && memcmp(x->data, y->data, x->len) == 0;
}

/* A string from the wire, stored valid and cut between characters: it goes
 * into strings a JSON reader must accept. Only text that is not valid UTF-8
 * costs a copy (*repaired, g_free it); *len is what to store. */
static const char *valid_text(const char *text, gboolean present, gsize cap, gsize *len,
                              char **repaired)
{
    *len = present ? strnlen(text, cap) : 0;
    *repaired = NULL;
    if (!*len || g_utf8_validate(text, (gssize)*len, NULL))
        return text;
    *repaired = apg_utf8_bounded(text, *len, cap);
    *len = strlen(*repaired);
    return *repaired;
}

static shared_offer *shared_offer_of(apg_shared *sh, const apg_client_hello *ch)
{
    const struct {
        const guint16 *v;
        guint n, cap;
    } lists[N_LISTS] = {
        {ch->versions, ch->n_versions, APG_MAX_VERSIONS},
        {ch->suites, ch->n_suites, APG_MAX_SUITES},
        {ch->extensions, ch->n_extensions, APG_MAX_EXTENSIONS},
        {ch->groups, ch->n_groups, APG_MAX_GROUPS},
        {ch->key_shares, ch->n_key_shares, APG_MAX_KEY_SHARES},
        {ch->sig_algs, ch->n_sig_algs, APG_MAX_SIG_ALGS},
    };
    gsize sni_len, alpn_len, words = 0;
    char *sni_copy, *alpn_copy;
    const char *sni = valid_text(ch->sni, ch->has_sni, APG_MAX_SNI_LEN, &sni_len, &sni_copy);
    const char *alpn = valid_text(ch->alpn, ch->has_alpn, APG_MAX_ALPN_LEN, &alpn_len, &alpn_copy);
    for (guint i = 0; i < N_LISTS; i++)
        words += MIN(lists[i].n, lists[i].cap);
    gsize len = words * sizeof(guint16) + sni_len + 1 + alpn_len + 1;
    shared_offer *s = g_malloc0(sizeof(shared_offer) + len);
    *s = (shared_offer){.refs = 1,
                        .legacy_version = ch->legacy_version,
                        .has_sni = ch->has_sni,
                        .has_alpn = ch->has_alpn,
                        .sni_len = sni_len,
                        .len = len};
    guint8 *p = s->data;
    for (guint i = 0; i < N_LISTS; i++) {
        s->n[i] = MIN(lists[i].n, lists[i].cap);
        if (s->n[i]) /* memcpy from NULL is undefined even for 0 bytes */
            memcpy(p, lists[i].v, s->n[i] * sizeof(guint16));
        p += s->n[i] * sizeof(guint16);
    }
    if (sni_len) /* the block is zeroed: each string ends in its NUL */
        memcpy(p, sni, sni_len);
    if (alpn_len)
        memcpy(p + sni_len + 1, alpn, alpn_len);
    g_free(sni_copy);
    g_free(alpn_copy);
    shared_offer *known = g_hash_table_lookup(sh->offers, s);
    if (known) {
        g_free(s);
        known->refs++;
        return known;
    }
    g_hash_table_add(sh->offers, s);
    return s;
}

void apg_shared_offer_set(apg_shared *sh, apg_offer *o, const apg_client_hello *ch)
{
    shared_offer *s = shared_offer_of(sh, ch);
    guint16 *v = (guint16 *)(void *)s->data;
    guint16 *counts[N_LISTS] = {&o->n_versions, &o->n_suites,     &o->n_extensions,
                                &o->n_groups,   &o->n_key_shares, &o->n_sig_algs};
    guint words = 0;
    for (guint i = 0; i < N_LISTS; i++) {
        *counts[i] = (guint16)s->n[i]; /* capped at APG_MAX_SUITES and below */
        words += s->n[i];
    }
    /* the lists in L_ order: the last three follow the extensions
     * (apg_offer_groups() and after) */
    o->legacy_version = s->legacy_version;
    o->versions = v;
    o->suites = v + s->n[L_VERSIONS];
    o->extensions = o->suites + s->n[L_SUITES];
    char *text = (char *)(v + words);
    o->sni = s->has_sni ? text : NULL;
    o->alpn = s->has_alpn ? text + s->sni_len + 1 : NULL;
}

void apg_shared_offer_clear(apg_shared *sh, apg_offer *o)
{
    if (!o->versions)
        return; /* no ClientHello */
    shared_offer *s =
        (shared_offer *)(void *)((guint8 *)o->versions - offsetof(shared_offer, data));
    if (--s->refs == 0) {
        g_hash_table_remove(sh->offers, s);
        g_free(s);
    }
    memset(o, 0, sizeof *o);
}

/* A short string many handshakes repeat (an ALPN protocol), stored once. */
const char *apg_shared_intern(apg_shared *sh, const char *text)
{
    char *known = g_hash_table_lookup(sh->strings, text);
    if (known)
        return known;
    gsize len;
    char *repaired;
    const char *valid = valid_text(text, TRUE, APG_MAX_ALPN_LEN, &len, &repaired);
    char *copy = repaired ? repaired : g_strndup(valid, len);
    known = g_hash_table_lookup(sh->strings, copy);
    if (known) {
        g_free(copy);
        return known;
    }
    g_hash_table_add(sh->strings, copy);
    return copy;
}

apg_shared *apg_shared_new(void)
{
    apg_shared *sh = g_new0(apg_shared, 1);
    sh->no_alerts = g_array_new(FALSE, TRUE, sizeof(apg_alert_seen));
    sh->no_certs = g_ptr_array_new();
    sh->chains = g_hash_table_new(chain_hash, chain_equal);
    sh->offers = g_hash_table_new(shared_offer_hash, shared_offer_equal);
    sh->strings = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    return sh;
}

/* After every handshake holding a share is gone. */
void apg_shared_free(apg_shared *sh)
{
    if (!sh)
        return;
    g_array_free(sh->no_alerts, TRUE);
    g_ptr_array_unref(sh->no_certs);
    g_hash_table_destroy(sh->chains);
    g_hash_table_destroy(sh->offers);
    g_hash_table_destroy(sh->strings);
    g_free(sh);
}

GArray *apg_shared_no_alerts(const apg_shared *sh)
{
    return sh->no_alerts;
}

GPtrArray *apg_shared_no_certs(const apg_shared *sh)
{
    return sh->no_certs;
}
