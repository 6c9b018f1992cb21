/* finding.c - recording a finding: cause, confidence, evidence frames,
 * alternatives, what it rests on and the facts it compared. No words here.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "playbook.h"

gboolean conclude(finding *g, apg_cause cause, apg_confidence confidence)
{
    g->d->cause = cause;
    g->d->confidence = confidence;
    return TRUE;
}

/* The other causes the evidence leaves open. */
void allow(finding *g, apg_cause c)
{
    g->d->alternatives |= APG_CAUSE_BIT(c);
}

void rests_on(finding *g, guint basis)
{
    g->d->basis |= basis;
}

void compares(finding *g, guint what)
{
    g->d->compared |= what;
}

/* A frame the finding cites. */
void cite(finding *g, guint32 frame)
{
    apg_diagnosis *d = g->d;
    for (guint i = 0; i < d->n_evidence; i++)
        if (d->evidence[i] == frame)
            return;
    if (frame && d->n_evidence < G_N_ELEMENTS(d->evidence))
        d->evidence[d->n_evidence++] = frame;
}

/* The deciding alert, cited with what reading it rests on. */
void note_alert(finding *g, const facts *f)
{
    const apg_verdict *v = f->v;
    cite(g, v->alert.frame);
    g->end = (ending){.alert = TRUE,
                      .encrypted = f->alert_encrypted,
                      .level = v->alert.alert.level,
                      .desc = f->desc,
                      .sender = f->alert_sender,
                      .frame = v->alert.frame,
                      .length = v->alert.record_length};
    if (f->alert_encrypted) {
        rests_on(g, APG_BASIS_ENCRYPTED_ALERT);
        if (v->inferred)
            rests_on(g, APG_BASIS_RECORD_SIZES);
    } else {
        compares(g, APG_COMPARED_ALERT);
    }
}

/* The alert, or the server's TCP close without one. */
void note_ending(finding *g, const facts *f)
{
    if (f->v->has_alert) {
        note_alert(g, f);
        return;
    }
    cite(g, f->v->decided_frame);
    g->end = (ending){.sender = APG_ROLE_SERVER,
                      .frame = f->v->decided_frame,
                      .reset = f->v->cause == APG_CAUSE_SERVER_RESET};
}

void note_client_hello(finding *g, const facts *f)
{
    cite(g, f->hs->client_hello_frame);
    g->client_hello_frame = f->hs->client_hello_frame;
    g->client_min = f->client_min;
    g->client_max = f->client_max;
    g->sni = f->hs->offer.sni;
    g->n_suites = f->hs->offer.n_suites;
}

/* The server's choice of version, and the frame that made it: a
 * HelloRetryRequest or an SSL 2.0 hello when no ServerHello did. */
void note_server_choice(finding *g, const facts *f)
{
    const apg_handshake *hs = f->hs;
    guint32 frame = hs->server_hello_frame;
    g->chosen_by = "";
    if (!frame && hs->hrr_frame) {
        frame = hs->hrr_frame;
        g->chosen_by = ", a HelloRetryRequest";
    } else if (!frame && hs->ssl2_server_frame) {
        frame = hs->ssl2_server_frame;
        g->chosen_by = ", an SSL 2.0 SERVER-HELLO";
    }
    g->chosen_version = apg_hs_negotiated_version(hs);
    g->chosen_frame = frame;
    cite(g, frame);
}
