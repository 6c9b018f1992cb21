/* apg_render_expert.c - the expert info of the diagnosis: the verdict's
 * entry, the configuration's, and one per finding of each chain.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_render.h"

#include <epan/expert.h>

#include "apg_cert_findings.h"
#include "apg_experts.h"

/* The expert entry each finding of a chain raises (both dates share one). */
static const int expert_of_finding[APG_CERT_FINDING_COUNT] = {
    [APG_CERT_EXPIRED] = CF_OUT_OF_DATE,
    [APG_CERT_NOT_YET_VALID] = CF_OUT_OF_DATE,
    [APG_CERT_CHAIN_INCOMPLETE] = CF_CHAIN_INCOMPLETE,
    [APG_CERT_CHAIN_INVALID] = CF_CHAIN_INVALID,
    [APG_CERT_NAME_MISMATCH] = CF_HOSTNAME,
    [APG_CERT_UNTRUSTED] = CF_UNTRUSTED,
    [APG_CERT_SELF_SIGNED] = CF_SELF_SIGNED,
    [APG_CERT_EXPIRING] = CF_EXPIRING,
    [APG_CERT_WEAK_SIGNATURE] = CF_WEAK_SIGNATURE,
    [APG_CERT_SMALL_KEY] = CF_SMALL_KEY,
    [APG_CERT_MALFORMED] = CF_MALFORMED,
};

static void add_certificate_experts(packet_info *pinfo, proto_item *item, const apg_chain_report *r)
{
    gboolean found[CF_COUNT] = {FALSE};
    for (int i = 0; i < APG_CERT_FINDING_COUNT; i++)
        if (apg_chain_has(r, (apg_cert_finding)i))
            found[expert_of_finding[i]] = TRUE;
    for (int i = 0; i < CF_COUNT; i++)
        if (found[i])
            expert_add_info(pinfo, item, &ei_cert[i]);
}

/* The verdict's own entry: what the outcome says, never more. */
static expert_field *verdict_entry(const apg_verdict *v, const apg_diagnosis *d)
{
    if (v->outcome == APG_OUTCOME_PENDING || d->cause >= APG_CAUSE_COUNT)
        return NULL;
    if (v->outcome == APG_OUTCOME_INCOMPLETE)
        return &ei_certain[APG_CAUSE_INCOMPLETE_CAPTURE];
    if (v->outcome == APG_OUTCOME_ESTABLISHED)
        return d->cause == APG_CAUSE_NONE ? &ei_certain[APG_CAUSE_NONE] : &ei_rejected_after;
    if (d->cause == APG_CAUSE_NONE || d->cause == APG_CAUSE_INCOMPLETE_CAPTURE)
        return &ei_uncertain[APG_CAUSE_ALERT_OTHER]; /* a failure always says so */
    return d->confidence == APG_CONFIDENCE_CERTAIN ? &ei_certain[d->cause]
                                                   : &ei_uncertain[d->cause];
}

static void add_verdict_experts(packet_info *pinfo, proto_item *item, const apg_verdict *v,
                                const apg_diagnosis *d)
{
    expert_field *entry = verdict_entry(v, d);
    if (entry)
        expert_add_info(pinfo, item, entry);
    if (d->warnings && v->outcome == APG_OUTCOME_ESTABLISHED)
        expert_add_info(pinfo, item, &ei_risky);
}

static void add_config_expert(packet_info *pinfo, proto_item *item, const apg_report *rep)
{
    if (rep->config_problems && rep->config_problems->len)
        expert_add_info(pinfo, item, &ei_config);
}

void apg_experts_of_verdict(packet_info *pinfo, proto_item *item, const apg_report *rep)
{
    add_verdict_experts(pinfo, item, &rep->verdict, &rep->view.d);
    add_config_expert(pinfo, item, rep);
}

void apg_experts_of_chains(packet_info *pinfo, proto_item *item, const apg_report *rep)
{
    add_certificate_experts(pinfo, item, rep->view.chain);
    add_certificate_experts(pinfo, item, rep->view.client_chain);
}

void apg_render_expert(packet_info *pinfo, const apg_report *rep)
{
    apg_experts_of_chains(pinfo, NULL, rep);
    apg_experts_of_verdict(pinfo, NULL, rep);
}
