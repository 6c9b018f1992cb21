#!/usr/bin/env python3
"""Writes the Elasticsearch/OpenSearch templates for the plugin's documents and the
example bulk input tshark -T ek gives for one capture (docs/elasticsearch/).

    scripts/es_template.py            # rewrites the files from the built plugin

- apigee_hs-mappings.json: a component template with the mappings of our -T ek layer,
  for users who compose it into their own packets-* template;
- apigee_hs-template.json: an index template for apigee-hs-* (never packets-*, which
  users' own templates own) composed of it;
- apigee_hs-batch-template.json: an index template for apigee-hs-batch-* (the JSON
  Lines of scripts/apg-batch: addresses as ip, ports as numbers, names as keywords).

The mappings are made from what tshark itself says of the fields: numbers, booleans,
addresses and times from `tshark -G elastic-mapping --elastic-mapping-filter apigee_hs`
(but hex numbers, which -T ek writes as "0x0304", as keywords), strings from
`tshark -G fields` (keyword; the long texts also as text), and the names of the
enumerations from `tshark -G values`: -T ek writes numbers, so each enumeration gets a
runtime field FIELD_name that names them (Painless, from the same table, also in
_meta.value_names). tests/e2e/run_usage.py checks the committed files against these,
against Elasticsearch's documented mapping rules, and every -T ek and batch document
against them.
"""
import json
import os
import re
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


INDEX_PATTERN = "apigee-hs-*"
BATCH_PATTERN = "apigee-hs-batch-*"
COMPONENT = "apigee_hs-mappings"
LAYER = "layers.apigee_hs."
# -T ek names its indices packets-YYYY-MM-DD and adds a mapping type Elasticsearch 7+
# and OpenSearch refuse; the documents go to apigee-hs-YYYY-MM-DD instead.
EK_REWRITE = [("\"_index\":\"packets-", "\"_index\":\"apigee-hs-"), (",\"_type\":\"doc\"", "")]


def runtime_names(names):
    """A keyword runtime field per enumeration, naming its numbers."""
    source = ("for (def v : doc[params.field]) { def n = params.names[String.valueOf(v)]; "
              "if (n != null) { emit(n); } }")
    return {f"{LAYER}{key}_name": {"type": "keyword", "script": {
        "source": source, "params": {"field": LAYER + key, "names": table}}}
        for key, table in sorted(names.items())}


def make_component(run):
    """The component template, from run(tshark_args) -> stdout of a tshark with the plugin."""
    mapping = json.loads(run(["-G", "elastic-mapping", "--elastic-mapping-filter", "apigee_hs"]))
    props = mapping["mappings"]["properties"]["layers"]["properties"]["apigee_hs"]["properties"]
    for p in props.values():
        # 4.6 maps times as date_nanos, which ends in 2262: a certificate valid to
        # 9999-12-31 (common for roots) would be refused. date on every version.
        if p.get("type") == "date_nanos":
            p["type"] = "date"
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
        "_meta": {
            "description": "Apigee handshake diagnosis (Wireshark plugin apigee_hs) fields "
                           "of tshark -T ek; enumerations are numbers, named by the runtime "
                           "fields *_name and in value_names",
            "value_names": names,
        },
        "template": {
            "settings": mapping.get("settings", {}),
            "mappings": {
                "dynamic": False,
                "runtime": runtime_names(names),
                "properties": {
                    "timestamp": {"type": "date"},
                    "layers": {"properties": {"apigee_hs": {"properties": dict(sorted(
                        props.items()))}}},
                },
            },
        },
    }


def make_template(_run=None):
    """The index template for apigee-hs-*: the component, nothing else."""
    return {
        "index_patterns": [INDEX_PATTERN],
        "priority": 200,
        "composed_of": [COMPONENT],
        "_meta": {"description": "tshark -T ek documents of the apigee_hs layer, indexed as "
                                 "apigee-hs-YYYY-MM-DD (docs/elasticsearch/README.md)"},
    }


BATCH_TYPES = {"stream": "long", "hs": "integer", "decided": "long", "client_port": "integer",
               "server_port": "integer", "client_ip": "ip", "server_ip": "ip",
               "timestamp": "date", "leaf_not_after": "date", "ts": "keyword",
               "summary": "text", "remedy": "text", "unseen": "text"}


def make_batch_template(columns):
    """The index template for the JSON Lines of scripts/apg-batch (its columns)."""
    props = {}
    for c in columns:
        kind = BATCH_TYPES.get(c, "keyword")
        props[c] = ({"type": kind, "fields": {"keyword": {"type": "keyword", "ignore_above": 2048}}}
                    if kind == "text" else {"type": kind})
    return {
        "index_patterns": [BATCH_PATTERN],
        "priority": 210,  # above apigee-hs-*, which also matches these names
        "_meta": {"description": "scripts/apg-batch JSON Lines (docs/fields.md, CSV columns)"},
        "template": {"mappings": {"dynamic": False, "properties": dict(sorted(props.items()))}},
    }


HEX_VALUE = re.compile(r"0x[0-9a-fA-F]+")


def _decimal(value):
    if isinstance(value, list):
        return [_decimal(v) for v in value]
    if isinstance(value, str) and HEX_VALUE.fullmatch(value):
        return str(int(value, 16))
    return value


def ek_facts(text):
    """What a -T ek bulk text says of our layer, the same from every Wireshark
    version: per document its action, timestamp and apigee_hs layer, hex values
    in decimal. The example bulk is 4.0's; 4.4 and later write hex fields as
    "771" (4.0: "0x0303"), other keys in another order and the other layers'
    "filtered" markers differently."""
    lines = text.splitlines()
    facts = []
    for action, source in zip(lines[0::2], lines[1::2]):
        doc = json.loads(source)
        layer = doc.get("layers", {}).get("apigee_hs", {})
        facts.append((json.loads(action), doc.get("timestamp"),
                      {k: _decimal(v) for k, v in layer.items()}))
    return facts


def rewrite_ek(text):
    for old, new in EK_REWRITE:
        text = text.replace(old, new)
    return text


def make_example(run, capture):
    return rewrite_ek(run([*EXAMPLE_ARGS[:1], "-r", capture, *EXAMPLE_ARGS[1:]]))


def batch_columns(run):
    """The batch's columns: the capture, the plugin's CSV columns, the note."""
    empty = os.path.join(HERE, "..", "tests", "e2e", "empty.pcap")
    out = run(["-q", "-r", empty, "-z", "apigee_hs,csv"])
    header = out[out.index("stream,hs,"):].splitlines()[0].split(",")
    return ["capture", *[c for c in header if c != "capture"], "note"]


def tshark_runner():
    tshark = os.path.join(HERE, "apg-tshark")

    def run(args):
        return subprocess.run([tshark, *args], check=True, capture_output=True,
                              text=True).stdout
    return run


def main():
    run = tshark_runner()
    os.makedirs(OUT, exist_ok=True)
    for name, doc in (("apigee_hs-mappings.json", make_component(run)),
                      ("apigee_hs-template.json", make_template()),
                      ("apigee_hs-batch-template.json", make_batch_template(batch_columns(run)))):
        with open(os.path.join(OUT, name), "w") as f:
            json.dump(doc, f, indent=2)
            f.write("\n")
    capture = os.path.join(HERE, "..", "captures", EXAMPLE_CAPTURE)
    with open(os.path.join(OUT, "example-bulk.ndjson"), "w") as f:
        f.write(make_example(run, capture))
    print(f"wrote the templates and example-bulk.ndjson into {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
