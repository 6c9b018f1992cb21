#!/usr/bin/env python3
"""Writes the Elasticsearch/OpenSearch index template for the plugin's fields and the
example bulk input tshark -T ek gives for one capture (docs/elasticsearch/).

    scripts/es_template.py            # rewrites both files from the built plugin

The template is made from what tshark itself says of the fields: numbers, booleans and
times from `tshark -G elastic-mapping --elastic-mapping-filter apigee_hs` (but hex
numbers, which -T ek writes as "0x0304", as keywords), strings from
`tshark -G fields` (keyword; the long texts also as text), and the names of the
enumerations from `tshark -G values` (in _meta.value_names: -T ek writes numbers).
tests/e2e/run_usage.py checks the committed files against these and against each other.
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "docs", "elasticsearch")
EXAMPLE_CAPTURE = "southbound-hostname-mismatch.pcapng"
EXAMPLE_ARGS = ["-2", "-Y", "apigee_hs.verdict_here", "-T", "ek", "-J", "apigee_hs",
                "-o", "apigee_hs.router_addrs:127.0.1.1", "-o", "apigee_hs.mp_addrs:127.0.2.10"]
LONG_TEXTS = {"apigee_hs.summary", "apigee_hs.remedy", "apigee_hs.ladder",
              "apigee_hs.summary_line", "apigee_hs.remedy_line", "apigee_hs.ladder_line",
              "apigee_hs.apigee.playbook_remedy"}
ENUMS = ["apigee_hs.outcome", "apigee_hs.cause", "apigee_hs.confidence", "apigee_hs.direction",
         "apigee_hs.stage", "apigee_hs.failed_side", "apigee_hs.alert.sender",
         "apigee_hs.alert.level", "apigee_hs.fin_sender", "apigee_hs.rst_sender", "apigee_hs.warning",
         "apigee_hs.alternative"]


def ek_name(field):
    """The key -T ek gives a field of ours: apigee_hs.alert.level -> apigee_hs_apigee_hs_alert_level."""
    return "apigee_hs_" + field.replace(".", "_")


def make_template(run):
    """The template, from run(tshark_args) -> stdout of a tshark with the plugin."""
    mapping = json.loads(run(["-G", "elastic-mapping", "--elastic-mapping-filter", "apigee_hs"]))
    props = mapping["mappings"]["properties"]["layers"]["properties"]["apigee_hs"]["properties"]
    for line in run(["-G", "fields"]).splitlines():
        cols = line.split("\t")
        if len(cols) > 5 and cols[0] == "F" and cols[4] == "apigee_hs" and cols[5] == "BASE_HEX":
            # -T ek writes these as "0x0304", which a numeric mapping refuses
            props[ek_name(cols[2])] = {"type": "keyword"}
        if len(cols) > 4 and cols[0] == "F" and cols[4] == "apigee_hs" and cols[3] == "FT_STRING":
            if cols[2] in LONG_TEXTS:
                props[ek_name(cols[2])] = {"type": "text", "fields": {
                    "keyword": {"type": "keyword", "ignore_above": 2048}}}
            else:
                props[ek_name(cols[2])] = {"type": "keyword", "ignore_above": 1024}
    props["_ws_expert"] = {"properties": {
        "_ws_expert__ws_expert_message": {"type": "keyword"},
        "_ws_expert__ws_expert_severity": {"type": "long"},
        "_ws_expert__ws_expert_group": {"type": "long"}}}
    names = {}
    for line in run(["-G", "values"]).splitlines():
        cols = line.split("\t")
        if len(cols) == 4 and cols[0] == "V" and cols[1] in ENUMS:
            names.setdefault(ek_name(cols[1]), {})[str(int(cols[2], 0))] = cols[3]
    return {
        "index_patterns": ["packets-*"],
        "priority": 200,
        "_meta": {
            "description": "Apigee handshake diagnosis (Wireshark plugin apigee_hs) fields "
                           "of tshark -T ek; enumerations are numbers, named in value_names",
            "value_names": names,
        },
        "template": {
            "settings": mapping.get("settings", {}),
            "mappings": {
                "dynamic": False,
                "properties": {
                    "timestamp": {"type": "date"},
                    "layers": {"properties": {"apigee_hs": {"properties": dict(sorted(
                        props.items()))}}},
                },
            },
        },
    }


def make_example(run, capture):
    return run([*EXAMPLE_ARGS[:1], "-r", capture, *EXAMPLE_ARGS[1:]])


def tshark_runner():
    tshark = os.path.join(HERE, "apg-tshark")

    def run(args):
        return subprocess.run([tshark, *args], check=True, capture_output=True,
                              text=True).stdout
    return run


def main():
    run = tshark_runner()
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "apigee_hs-template.json"), "w") as f:
        json.dump(make_template(run), f, indent=2)
        f.write("\n")
    capture = os.path.join(HERE, "..", "captures", EXAMPLE_CAPTURE)
    with open(os.path.join(OUT, "example-bulk.ndjson"), "w") as f:
        f.write(make_example(run, capture))
    print(f"wrote {OUT}/apigee_hs-template.json and example-bulk.ndjson", file=sys.stderr)


if __name__ == "__main__":
    main()
