/* apg_reorder.c - late segments, from sequence numbers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_reorder.h"

/* a < b in sequence space (RFC 793: modulo 2^32). */
static gboolean seq_before(guint32 a, guint32 b)
{
    return (gint32)(a - b) < 0;
}

/* The segment [lo, hi) took bytes out of the gap: what is left of it (a
 * segment in its middle leaves it whole: one gap is kept, not a list). */
static void shrink_gap(apg_seq_track *t, guint32 lo, guint32 hi)
{
    if (!seq_before(t->hole_lo, lo))
        t->hole_lo = hi;
    else if (!seq_before(hi, t->hole_hi))
        t->hole_hi = lo;
    t->has_hole = seq_before(t->hole_lo, t->hole_hi);
}

/* The run grows by a data segment that touches it; one beyond it (a gap)
 * leaves it as it is. */
static void extend_run(apg_seq_run *r, guint32 lo, guint32 hi)
{
    if (!r->has) {
        *r = (apg_seq_run){lo, hi, TRUE};
        return;
    }
    if (seq_before(r->hi, lo) || seq_before(hi, r->lo))
        return;
    if (seq_before(lo, r->lo))
        r->lo = lo;
    if (seq_before(r->hi, hi))
        r->hi = hi;
}

static void merge_run(apg_seq_run *r, const apg_seq_run *add)
{
    if (add->has)
        extend_run(r, add->lo, add->hi);
}

void apg_seq_add_seen(apg_seq_track *t, const apg_seq_track *before)
{
    merge_run(&t->run, &before->run);
    merge_run(&t->run_before, &before->run);
}

gboolean apg_seq_seen(const apg_seq_track *t, guint32 frame, guint32 seq, guint32 len)
{
    const apg_seq_run *r = frame == t->frame ? &t->run_before : &t->run;
    return len && r->has && !seq_before(seq, r->lo) && !seq_before(r->hi, seq + len);
}

gboolean apg_seq_may_hide_records(const apg_event *ev, gboolean resent)
{
    return ev->kind == APG_EV_TCP_SEGMENT && ev->u.tcp.out_of_order && ev->tcp_len && !resent;
}

gboolean apg_seq_note(apg_seq_track *t, guint32 frame, guint32 seq, guint32 len)
{
    guint32 lo = seq, hi = seq + len;
    if (frame != t->frame) {
        t->run_before = t->run;
        t->frame = frame;
    }
    if (len)
        extend_run(&t->run, lo, hi);
    if (!t->has_high) {
        t->high = hi;
        t->has_high = TRUE;
        return FALSE;
    }
    gboolean late = len && t->has_hole && seq_before(lo, t->hole_hi) && seq_before(t->hole_lo, hi);
    if (late)
        shrink_gap(t, lo, hi);
    if (seq_before(t->high, lo)) {
        t->hole_lo = t->high;
        t->hole_hi = lo;
        t->has_hole = TRUE;
    }
    if (seq_before(t->high, hi))
        t->high = hi;
    return late;
}

void apg_hs_note_sequence(apg_handshake *hs, const apg_event *ev, apg_role role)
{
    if (ev->kind != APG_EV_PATH_TOO_BIG &&
        apg_seq_note(&hs->seq_track[role & 1], ev->frame, ev->tcp_seq, ev->tcp_len))
        apg_set_once(&hs->out_of_order_frame, ev->frame);
}
