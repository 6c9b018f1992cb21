/* answer.c - a finding being made (cause, confidence, evidence frames,
 * alternatives, what it rests on) and the phrases every step shares.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "playbook.h"

#include <string.h>

const char *vname(guint16 v)
{
    const char *n = apg_version_name(v);
    return n ? n : "an unknown version";
}

const char *alert_name(guint8 desc)
{
    const char *n = apg_alert_desc_name(desc);
    return n ? n : "an unnamed alert";
}

gboolean conclude(answer *a, apg_cause cause, apg_confidence confidence)
{
    a->d->cause = cause;
    a->d->confidence = confidence;
    return TRUE;
}

/* The other causes the evidence leaves open. */
void allow(answer *a, apg_cause c)
{
    a->d->alternatives |= APG_CAUSE_BIT(c);
}

void rests_on(answer *a, guint basis)
{
    a->d->basis |= basis;
}

/* A frame the finding cites. */
void cite(answer *a, guint32 frame)
{
    apg_diagnosis *d = a->d;
    for (guint i = 0; i < d->n_evidence; i++)
        if (d->evidence[i] == frame)
            return;
    if (frame && d->n_evidence < G_N_ELEMENTS(d->evidence))
        d->evidence[d->n_evidence++] = frame;
}

/* "a fatal handshake_failure from the server (frame 6)", with its real level. */
void say_alert(answer *a, const facts *f)
{
    cite(a, f->v->alert.frame);
    if (f->alert_encrypted) {
        rests_on(a, APG_BASIS_ENCRYPTED_ALERT);
        if (f->v->inferred)
            rests_on(a, APG_BASIS_RECORD_SIZES);
        g_string_append_printf(a->why, "an encrypted alert from the %s (frame %u, %u bytes)",
                               apg_role_token(f->alert_sender), f->v->alert.frame,
                               f->v->alert.record_length);
    } else {
        g_string_append_printf(a->why, "a %s %s from the %s (frame %u)",
                               apg_alert_level_name(f->v->alert.alert.level), alert_name(f->desc),
                               apg_role_token(f->alert_sender), f->v->alert.frame);
    }
}

void say_abort(answer *a, const facts *f)
{
    if (f->v->has_alert) {
        say_alert(a, f);
        return;
    }
    cite(a, f->v->decided_frame);
    g_string_append_printf(a->why, "a TCP %s from the server (frame %u) without an alert",
                           f->v->cause == APG_CAUSE_SERVER_RESET ? "RST" : "FIN",
                           f->v->decided_frame);
}

/* "The ClientHello (frame 4" */
void say_client_hello(answer *a, const facts *f, const char *lead)
{
    cite(a, f->hs->client_hello_frame);
    g_string_append_printf(a->why, "%s (frame %u", lead, f->hs->client_hello_frame);
}
