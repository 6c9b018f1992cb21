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
typedef struct {
    guint refs;
    guint16 legacy_version;
    guint n_versions, n_suites, n_extensions;
    gboolean has_sni;
    gsize len;     /* of data */
    guint8 data[]; /* versions, suites, extensions (guint16 each), then the SNI, NUL-ended */
} shared_offer;

static guint shared_offer_hash(gconstpointer p)
{
    const shared_offer *s = p;
    guint h = s->legacy_version ^ (s->n_suites << 16) ^ ((guint) !!s->has_sni << 31);
    for (gsize i = 0; i < s->len; i++)
        h = h * 31 + s->data[i];
    return h;
}

static gboolean shared_offer_equal(gconstpointer a, gconstpointer b)
{
    const shared_offer *x = a, *y = b;
    return x->legacy_version == y->legacy_version && x->n_versions == y->n_versions &&
           x->n_suites == y->n_suites && x->n_extensions == y->n_extensions &&
           x->has_sni == y->has_sni && x->len == y->len && memcmp(x->data, y->data, x->len) == 0;
}

static shared_offer *shared_offer_of(apg_shared *sh, const apg_client_hello *ch)
{
    guint nv = MIN(ch->n_versions, APG_MAX_VERSIONS), ns = MIN(ch->n_suites, APG_MAX_SUITES),
          ne = MIN(ch->n_extensions, APG_MAX_EXTENSIONS);
    /* The name is stored valid and cut between characters: it goes into
     * strings a JSON reader must accept. */
    gsize sni_len = ch->has_sni ? strnlen(ch->sni, APG_MAX_SNI_LEN) : 0;
    const char *sni = ch->sni;
    char *repaired = NULL; /* only a name that is not valid UTF-8 costs a copy */
    if (sni_len && !g_utf8_validate(sni, (gssize)sni_len, NULL)) {
        sni = repaired = apg_utf8_bounded(ch->sni, sni_len, APG_MAX_SNI_LEN);
        sni_len = strlen(sni);
    }
    gsize len = (nv + ns + ne) * sizeof(guint16) + sni_len + 1;
    shared_offer *s = g_malloc0(sizeof(shared_offer) + len);
    *s = (shared_offer){1, ch->legacy_version, nv, ns, ne, ch->has_sni, len};
    guint8 *p = s->data;
    memcpy(p, ch->versions, nv * sizeof(guint16));
    memcpy(p += nv * sizeof(guint16), ch->suites, ns * sizeof(guint16));
    memcpy(p += ns * sizeof(guint16), ch->extensions, ne * sizeof(guint16));
    if (sni_len) /* memcpy from NULL is undefined even for 0 bytes */
        memcpy(p + ne * sizeof(guint16), sni, sni_len);
    g_free(repaired);
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
    o->legacy_version = s->legacy_version;
    o->versions = v;
    o->n_versions = s->n_versions;
    o->suites = v + s->n_versions;
    o->n_suites = s->n_suites;
    o->extensions = o->suites + s->n_suites;
    o->n_extensions = s->n_extensions;
    o->sni = s->has_sni ? (char *)(o->extensions + s->n_extensions) : NULL;
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

apg_shared *apg_shared_new(void)
{
    apg_shared *sh = g_new0(apg_shared, 1);
    sh->no_alerts = g_array_new(FALSE, TRUE, sizeof(apg_alert_seen));
    sh->no_certs = g_ptr_array_new();
    sh->chains = g_hash_table_new(chain_hash, chain_equal);
    sh->offers = g_hash_table_new(shared_offer_hash, shared_offer_equal);
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
