#!/usr/bin/env python3
"""What Wireshark users do with the plugin, checked through tshark.

- The expert entries are in the packet tree: each apigee_hs.expert.* filter selects the
  frames whose tree holds that entry, as many as `-z expert` (the Expert Information
  dialog's data) counts for its summary, whether the filter is given when the file is
  opened (single pass) or applied afterwards (-2); the entry agrees with the outcome and
  its severity with the confidence.
- apigee_hs.verdict_here selects the same frames in both cases.
- A misspelt name in an enumerated field's filter is refused.
- Long texts are wrapped into apigee_hs.*_line items that hold the whole text.
- Preference values that cannot be used are reported on stderr and on every verdict
  frame, a few and a count, printable whatever their bytes; lists accept any separator,
  CIDR ranges and IPv6.
- -z apigee_hs,handshakes (with its filter argument and totals), -z apigee_hs,csv and
  the stats tree -z apigee_hs,tree agree; a capture whose TLS another dissector took says
  how to use Decode As.
- The configuration profile cmake --install puts next to the plugin gives its columns,
  colouring rules and filter buttons.
- docs/training.md: each frame it says to click shows the verdict it describes.
- scripts/apg-batch writes every handshake of a folder of captures once to CSV and JSON
  Lines, naming the files it cannot read without stopping.
- The Elasticsearch index template and example bulk input in docs/elasticsearch/ are
  what the plugin gives, and every -T ek document of every capture fits the template.
- -T json and -T ek are valid, and the keys of our layer are field names, never data.
"""
import argparse
import csv
import fnmatch
import ipaddress
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict

from tsharkrun import Tshark

# Captures covering certain and uncertain failures, successes with and without risk,
# certificate findings, two-way TLS, TLS 1.3 without keys, many handshakes.
EXPERT_CAPTURES = [
    "tls12-ok", "risky-tls10-success", "weak-cert-success", "gnutls-server-hostname-mismatch",
    "tls13-hostname-mismatch", "northbound-tls13-hostname-mismatch-curl",
    "southbound-chain-missing-intermediate", "mtls-expired-client-cert-java",
    "sni-missing-openssl", "many-conversations", "northbound-sni-missing-default-cert-curl",
    "cipher-mismatch-learned-profile",
]
# Handshakes that only the end of the capture settles have no verdict frame in a
# single pass (docs/fields.md): in these captures single pass selects fewer.
END_DECIDED = {"cut-after-client-hello", "no-server-response"}
KEY = re.compile(r"^(apigee_hs(\.[a-z0-9_]+)+|_ws\.expert(\.[a-z_]+)?)(_tree)?$")
SEVERITY = {"Errors": "error", "Warns": "warning", "Notes": "note", "Chats": "chat"}


class Failures:
    def __init__(self):
        self.items, self.checks = [], 0

    def check(self, ok, what):
        self.checks += 1
        if not ok:
            self.items.append(what)
        return ok


def walk(node, visit, path=()):
    """Calls visit(key, value, path) for every key of a -T json layer."""
    if isinstance(node, dict):
        for k, v in node.items():
            visit(k, v, path)
            walk(v, visit, path + (k,))
    elif isinstance(node, list):
        for v in node:
            walk(v, visit, path)


JSON_RUNS = {}
EK_RUNS = {}
# The lab roles (as scripts/es_template.py's example uses them): -2's -T ek
# documents then carry the direction fields too, for the template check.
ROLES = ["-o", "apigee_hs.router_addrs:127.0.1.1", "-o", "apigee_hs.mp_addrs:127.0.2.10"]


def ek_run(tshark, capture, two_pass):
    """-T ek of our layer, every frame; -2 with the lab roles. Made once: the
    output check and the Elasticsearch check read the same documents."""
    key = (capture, two_pass)
    if key not in EK_RUNS:
        args = ["-2", *ROLES] if two_pass else []
        EK_RUNS[key] = tshark.run(args + ["-r", capture, "-T", "ek", "-J", "apigee_hs"]).stdout
    return EK_RUNS[key]


def json_frames(tshark, capture, two_pass, extra=()):
    """{frame: our layer} of a -T json run; each run made once (the expert, output
    and long-text checks read the same trees)."""
    key = (capture, two_pass, tuple(extra))
    if key not in JSON_RUNS:
        args = (["-2"] if two_pass else []) + ["-r", capture, *extra, "-T", "json",
                                                "--no-duplicate-keys", "-J", "frame apigee_hs"]
        out = tshark.run(args).stdout
        frames = {}
        for pkt in json.loads(out) if out.strip() else []:
            layers = pkt["_source"]["layers"]
            if "apigee_hs" in layers:
                frames[int(layers["frame"]["frame.number"])] = layers["apigee_hs"]
        JSON_RUNS[key] = frames
    return JSON_RUNS[key]


def experts_in(layer):
    """[(name, message)] of the expert entries in one frame's tree."""
    found = []

    def visit(k, v, _path):
        if k != "_ws.expert":
            return
        for entry in v if isinstance(v, list) else [v]:
            names = [n for n in entry if n.startswith("apigee_hs.expert.")]
            messages = entry.get("_ws.expert.message")
            messages = messages if isinstance(messages, list) else [messages]
            found.extend(zip(names, messages))
    walk(layer, visit)
    return found


def z_expert(tshark, capture, two_pass):
    """{summary: (severity, count)} of the Apigee-HS rows of -z expert."""
    out = tshark.run((["-2"] if two_pass else []) + ["-q", "-r", capture, "-z", "expert"]).stdout
    rows, severity = {}, None
    for line in out.splitlines():
        m = re.match(r"^(\w+) \(\d+\)$", line.strip())
        if m:
            severity = SEVERITY.get(m.group(1))
            continue
        m = re.match(r"^\s*(\d+)\s+(\S+)\s+Apigee-HS\s+(.*)$", line)
        if m:
            rows[m.group(3).strip()] = (severity, int(m.group(1)))
    return rows


def frames_matching(tshark, capture, two_pass, filt):
    args = (["-2"] if two_pass else []) + ["-r", capture, "-Y", filt, "-T", "fields",
                                            "-e", "frame.number"]
    return {int(x) for x in tshark.run(args).stdout.split()}


def frames_by_message(tshark, capture, two_pass, messages):
    """{message: frames} that the filter _ws.expert.message == "message" selects,
    for all the messages in one run: their filters joined by ||, each selected
    frame credited to the messages it holds."""
    if not messages:
        return {}
    filt = " || ".join(f'_ws.expert.message == "{m}"' for m in sorted(messages))
    args = (["-2"] if two_pass else []) + ["-r", capture, "-Y", filt]
    found = defaultdict(set)
    # (\x1f: messages hold commas, and str.splitlines() splits at \x1c-\x1e)
    for r in tshark.fields(args, ["frame.number", "_ws.expert.message"], aggregator="\x1f"):
        for m in set(r["_ws.expert.message"].split("\x1f")) & messages:
            found[m].add(int(r["frame.number"]))
    return found


def one(layer, key):
    v = layer.get(key)
    return v[0] if isinstance(v, list) else v


def check_experts(fails, tshark, capture, label):
    here_by_mode = {}
    for two_pass in (False, True):
        mode = "-2" if two_pass else "1-pass"
        frames = json_frames(tshark, capture, two_pass)
        counts, where = Counter(), defaultdict(set)
        for num, layer in frames.items():
            for name, message in experts_in(layer):
                counts[(name, message)] += 1
                where[name].add(num)
        zrows = z_expert(tshark, capture, two_pass)
        fails.check(sum(c for _, c in zrows.values()) == sum(counts.values()),
                    f"{label} {mode}: -z expert counts {sum(c for _, c in zrows.values())} "
                    f"Apigee-HS entries, the trees hold {sum(counts.values())}")
        for (name, message), n in counts.items():
            fails.check(zrows.get(message, (None, 0))[1] == n,
                        f"{label} {mode}: {name} in {n} trees, -z expert counts "
                        f"{zrows.get(message)} for {message!r}")
            got = frames_matching(tshark, capture, two_pass, name)
            fails.check(got == where[name], f"{label} {mode}: filter {name} selects {sorted(got)}, "
                                            f"the trees hold it in {sorted(where[name])}")
        # Wireshark's own expert fields, which name no field of ours, find them too
        by_message = frames_by_message(tshark, capture, two_pass, {m for _, m in counts})
        for (name, message) in counts:
            fails.check(where[name] <= by_message[message],
                        f"{label} {mode}: _ws.expert.message == {message!r} selects "
                        f"{sorted(by_message[message])}, the trees hold {name} in "
                        f"{sorted(where[name])}")
        here = frames_matching(tshark, capture, two_pass, "apigee_hs.verdict_here")
        here_by_mode[mode] = here
        verdict_frames = {n for n, layer in frames.items() if "apigee_hs.verdict_here" in layer}
        fails.check(here == verdict_frames, f"{label} {mode}: verdict_here filter {sorted(here)} "
                                            f"vs trees {sorted(verdict_frames)}")
        names = tshark.value_names()
        for num in verdict_frames:
            layer = frames[num]
            outcome = names["apigee_hs.outcome"][int(one(layer, "apigee_hs.outcome"))]
            cause = names["apigee_hs.cause"][int(one(layer, "apigee_hs.cause"))]
            confidence = names["apigee_hs.confidence"][int(one(layer, "apigee_hs.confidence"))]
            verdict = [n for n, _ in experts_in(layer) if ".expert.cert." not in n
                       and n not in ("apigee_hs.expert.risky_success",
                                     "apigee_hs.expert.config_problem")]
            if outcome == "established":
                want = ("apigee_hs.expert.none" if cause == "none"
                        else "apigee_hs.expert.rejected_after_handshake")
            elif outcome == "incomplete":
                want = "apigee_hs.expert.incomplete_capture"
            else:
                want = f"apigee_hs.expert.{cause}" + ("" if confidence == "certain" else "_likely")
            fails.check(verdict == [want], f"{label} {mode} frame {num}: {outcome} {cause} "
                                           f"{confidence} carries {verdict}, want [{want}]")
            if outcome == "failed":
                message = dict(experts_in(layer)).get(want)
                severity = zrows.get(message, ("?",))[0]
                wanted = "error" if confidence == "certain" else "warning"
                fails.check(severity == wanted, f"{label} {mode}: {want} is {severity}, "
                                                f"want {wanted}")
    if os.path.basename(capture)[:-7] not in END_DECIDED:
        fails.check(here_by_mode["1-pass"] == here_by_mode["-2"],
                    f"{label}: verdict_here selects {sorted(here_by_mode['1-pass'])} in a single "
                    f"pass, {sorted(here_by_mode['-2'])} with -2")


def check_machine_output(fails, tshark, capture, label):
    """Valid JSON and EK, keys that are field names."""
    for two_pass in (False, True):
        mode = "-2" if two_pass else "1-pass"
        try:
            frames = json_frames(tshark, capture, two_pass)
        except json.JSONDecodeError as e:
            fails.check(False, f"{label} {mode}: -T json is not JSON: {e}")
            continue
        bad = set()
        for layer in frames.values():
            walk(layer, lambda k, v, p: bad.add(k) if not KEY.match(k) else None)
        fails.check(not bad, f"{label} {mode}: keys that are not field names: {sorted(bad)[:5]}")
        out = ek_run(tshark, capture, two_pass)
        repeated = set()

        def no_repeats(pairs):
            keys = [k for k, _ in pairs]
            repeated.update(k for k in keys if keys.count(k) > 1)
            return dict(pairs)
        for line in out.splitlines():
            try:
                json.loads(line, object_pairs_hook=no_repeats)
            except json.JSONDecodeError as e:
                fails.check(False, f"{label} {mode}: -T ek line is not JSON: {e}")
                break
        # Elasticsearch refuses a document that repeats a key.
        fails.check(not repeated, f"{label} {mode}: -T ek repeats keys {sorted(repeated)}")


def check_typos(fails, tshark, capture):
    for filt in ("apigee_hs.cause == sni_mising", 'apigee_hs.outcome == "faild"',
                 "apigee_hs.confidence == sure"):
        proc = tshark.run(["-r", capture, "-Y", filt], check=False)
        fails.check(proc.returncode != 0 and "cannot be found among the possible values"
                    in proc.stderr, f"typo accepted: {filt!r} (rc {proc.returncode})")
    for filt in ("apigee_hs.outcome == established", 'apigee_hs.cause == "none"'):
        proc = tshark.run(["-r", capture, "-Y", filt], check=False)
        fails.check(proc.returncode == 0 and proc.stdout.strip(),
                    f"a correct name selects nothing: {filt!r}: {proc.stderr[-200:]}")


def check_long_texts(fails, tshark, capture, label):
    """Every text longer than a line is under it whole, in lines of at most 110 characters."""
    seen = 0
    for layer in json_frames(tshark, capture, True).values():
        for key in ("apigee_hs.summary", "apigee_hs.remedy", "apigee_hs.ladder"):
            text = one(layer, key)
            if not text or len(text) <= 110:
                continue
            seen += 1
            lines = layer.get(key + "_tree", {}).get(key + "_line", [])
            lines = lines if isinstance(lines, list) else [lines]
            fails.check(" ".join(lines).split() == text.split(),
                        f"{label}: {key} of {len(text)} characters is not whole in its lines")
            fails.check(all(len(x) <= 110 for x in lines), f"{label}: a line over 110 characters")
    return seen


def prefs_run(tshark, capture, prefs):
    args = ["-2", "-r", capture, "-Y", "apigee_hs.verdict_here"]
    for p in prefs:
        args += ["-o", p]
    proc = tshark.run(args + ["-T", "fields", "-E", "aggregator=|", "-e", "apigee_hs.direction",
                              "-e", "apigee_hs.config_problem"], check=False)
    names = tshark.value_names()["apigee_hs.direction"]
    rows = [line.split("\t") for line in proc.stdout.splitlines()]
    return proc, [(names[int(d)] if d else "", p) for d, p in rows]


def check_prefs(fails, tshark, northbound, southbound):
    bad = {
        "apigee_hs.router_addrs:notanip": "router_addrs: 'notanip' is not an IPv4 or IPv6",
        "apigee_hs.mp_addrs:10.0.0.0/40": "mp_addrs: '10.0.0.0/40'",
        "apigee_hs.expected_hosts:10.0.2.5:443=": "expected_hosts: '10.0.2.5:443='",
        "apigee_hs.server_suites:0xc02f,cheese": "server_suites: 'cheese'",
        "apigee_hs.truststore:/nonexistent/roots.pem": "truststore /nonexistent/roots.pem could "
                                                       "not be read",
        "apigee_hs.truststore:/dev/zero": "not a regular file",
    }
    for pref, text in bad.items():
        proc, rows = prefs_run(tshark, northbound, [pref])
        fails.check(proc.returncode == 0, f"{pref}: tshark exited {proc.returncode}")
        fails.check(text in proc.stderr, f"{pref}: stderr does not say {text!r}: "
                                         f"{proc.stderr[-300:]!r}")
        fails.check(rows and all(text in p for _, p in rows),
                    f"{pref}: not every handshake's tree says {text!r}: {rows}")
    # What users type: separators, ranges, IPv6; the right leg, no complaint.
    for value in ("127.0.1.1", "10.9.9.9;127.0.1.1", "10.9.9.9 127.0.1.1", "127.0.1.0/24",
                  "::1, 127.0.0.0/8"):
        proc, rows = prefs_run(tshark, northbound, [f"apigee_hs.router_addrs:{value}"])
        fails.check(rows and all(d == "northbound" and not p for d, p in rows),
                    f"router_addrs {value!r}: {rows} {proc.stderr[-200:]!r}")
    proc, rows = prefs_run(tshark, southbound, ["apigee_hs.mp_addrs:127.0.2.0/24"])
    fails.check(rows and all(d == "southbound" for d, _ in rows), f"mp_addrs range: {rows}")
    proc, rows = prefs_run(tshark, northbound, [])
    fails.check(rows and all(d == "unknown" and not p for d, p in rows), f"no roles: {rows}")


HOSTILE = "\udcff\udcfe\x1b]0;owned\x07\x1b[2Jbad"  # invalid UTF-8 (as raw bytes), ESC, BEL


def check_hostile_prefs(fails, tshark, capture):
    """Issue 21, items 4 and 5: preference text with invalid UTF-8 and control
    characters leaves -T json, ek and pdml valid UTF-8 without raw control
    characters; 100,000 bad entries give a few problems and a count, on the
    verdict frame only, and a short report."""
    prefs = [f"apigee_hs.router_addrs:{HOSTILE}", f"apigee_hs.mp_addrs:{HOSTILE}",
             f"apigee_hs.server_suites:{HOSTILE}", f"apigee_hs.expected_hosts:{HOSTILE}",
             f"apigee_hs.truststore:/nonexistent/{HOSTILE}"]
    args = ["-2", "-r", capture]
    for p in prefs:
        args += ["-o", p]
    for fmt in ("json", "ek", "pdml"):
        out = tshark.run_raw(args + ["-T", fmt]).stdout
        try:
            text = out.decode("utf-8")
        except UnicodeDecodeError as e:
            fails.check(False, f"hostile preferences: -T {fmt} is not UTF-8: {e}")
            continue
        raw = sorted({c for c in text if ord(c) < 0x20 and c not in "\n\r\t"})
        fails.check(not raw, f"hostile preferences: -T {fmt} holds raw control characters {raw}")
        fails.check("config_problem" in text, f"hostile preferences: -T {fmt} says no problem")
        if fmt == "json":
            json.loads(text)
        elif fmt == "ek":
            for line in text.splitlines():
                json.loads(line)
    # 100,000 bad entries, as a preferences file holds them (-o is bounded by argv)
    folder = os.path.join(tshark.home, ".config", "wireshark")
    os.makedirs(folder, exist_ok=True)
    prefs_file = os.path.join(folder, "preferences")
    try:
        with open(prefs_file, "w") as f:
            f.write("apigee_hs.router_addrs: " + " ".join(f"x{i}" for i in range(100000)) + "\n")
        os.chmod(prefs_file, 0o644)
        many = tshark.run_raw(["-2", "-r", capture, "-V"])
    finally:
        os.unlink(prefs_file)
    few = tshark.run_raw(["-2", "-r", capture, "-V"])
    grown = len(many.stdout) - len(few.stdout)
    fails.check(grown < 20000, f"100,000 bad router_addrs entries: -V grew by {grown} bytes")
    fails.check(len(many.stderr) < 5000, f"100,000 bad entries: a report of {len(many.stderr)} bytes")
    fails.check(b"99999 more" in many.stdout or b"99,995 more" in many.stdout or
                b"more problems" in many.stdout,
                "100,000 bad entries: the tree does not count the ones not shown")


def check_info(fails, tshark, captures):
    out, _ = tshark.info_rows(["-r", os.path.join(captures, "tls12-ok.pcapng"), "-Y",
                               "apigee_hs.verdict_here"], "apigee_hs.outcome")
    fails.check(out and all(o == "established" and "[TLS handshake established]" in info
                            for o, info in out), f"established Info: {out}")


def z_table(tshark, capture, arg, two_pass=True):
    args = (["-2"] if two_pass else []) + ["-q", "-r", capture, "-z", arg]
    return tshark.run(args).stdout


def table_rows(text):
    """{(stream, hs): (outcome, cause)} of a -z apigee_hs,handshakes table."""
    rows = {}
    for ln in text.splitlines():
        cols = ln.split()
        if len(cols) > 7 and cols[0].isdigit() and cols[1].isdigit():
            rows[(int(cols[0]), int(cols[1]))] = (cols[4], cols[5])
    return rows


def csv_rows(text):
    lines = text[text.index("stream,hs,"):].splitlines(keepends=True)
    return {(int(r["stream"]), int(r["hs"])): (r["outcome"], r["cause"])
            for r in csv.DictReader(lines)}


def stats_counts(text):
    """{(branch, item): count} of -z apigee_hs,tree."""
    counts, branch = {}, None
    for ln in text.splitlines():
        m = re.match(r"^( *)(\S.*?)\s{2,}(\d+)\s", ln)
        if not m:
            continue
        depth = len(m.group(1))
        if depth == 1:
            branch = m.group(2)
        elif depth == 2:
            counts[(branch, m.group(2))] = int(m.group(3))
    return counts


def check_tables(fails, tshark, capture, label):
    """The text table, its CSV form, its filter argument and the stats tree agree."""
    text = z_table(tshark, capture, "apigee_hs,handshakes")
    rows = table_rows(text)
    fails.check(f"File: {os.path.basename(capture)}" in text, f"{label}: table names no file")
    fails.check(csv_rows(z_table(tshark, capture, "apigee_hs,csv")) == rows,
                f"{label}: the CSV rows differ from the table's")
    by_cause = Counter(c for _, c in rows.values())
    for cause, n in by_cause.items():
        fails.check(re.search(rf"^  {cause}\s+{n}$", text, re.M) is not None,
                    f"{label}: no total {n} for {cause}")
    failed = {k: v for k, v in rows.items() if v[0] == "failed"}
    got = table_rows(z_table(tshark, capture, "apigee_hs,handshakes,apigee_hs.outcome == failed"))
    if os.path.basename(capture)[:-7] not in END_DECIDED:
        fails.check(got == failed, f"{label}: filtered table {got} != failed rows {failed}")
    tree = stats_counts(z_table(tshark, capture, "apigee_hs,tree"))
    want = Counter()
    for outcome, cause in rows.values():
        want[("By outcome", outcome)] += 1
        want[("By cause", cause)] += 1
    if os.path.basename(capture)[:-7] not in END_DECIDED:
        got_tree = {k: v for k, v in tree.items() if k[0] in ("By outcome", "By cause")}
        fails.check(got_tree == dict(want), f"{label}: stats tree {got_tree} != table {dict(want)}")
    return len(rows)


def check_decode_as_hint(fails, tshark, capture):
    out = tshark.run(["-q", "-r", capture, "-d", "tcp.port==8443,http", "-z",
                      "apigee_hs,handshakes"]).stdout
    fails.check("=== 0 handshakes ===" in out and "Decode As" in out and
                "tshark -d tcp.port==8443,tls" in out, f"no Decode As hint: {out[-400:]}")


def check_batch(fails, tshark, captures, work):
    """scripts/apg-batch over a folder: every handshake once in CSV and JSON Lines, the
    unreadable file and the missing one named, the others done."""
    folder = os.path.join(work, "batch")
    os.makedirs(os.path.join(folder, "sub"))
    names = ["tls12-ok", "many-conversations", "tls13-hostname-mismatch"]
    for i, n in enumerate(names):
        shutil.copy(os.path.join(captures, n + ".pcapng"),
                    os.path.join(folder, "sub" if i else "", n + ".pcapng"))
    with open(os.path.join(folder, "notes.pcap"), "w") as f:
        f.write("not a capture\n")
    out = os.path.join(work, "report")
    batch = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts",
                         "apg-batch")
    proc = subprocess.run([batch, "-j", "2", "--quiet", "-w", out, folder,
                           os.path.join(work, "missing.pcapng")],
                          capture_output=True, text=True, timeout=600)
    fails.check(proc.returncode == 1, f"apg-batch exited {proc.returncode}: {proc.stderr}")
    fails.check(f"{folder}/notes.pcap: " in proc.stderr and "isn't a capture file" in proc.stderr,
                f"apg-batch does not name the unreadable file: {proc.stderr}")
    fails.check("missing.pcapng: no such file" in proc.stderr, f"missing file: {proc.stderr}")
    with open(out + ".csv", newline="") as f:
        rows = list(csv.DictReader(f))
    with open(out + ".jsonl") as f:
        lines = [json.loads(ln) for ln in f]
    fails.check(len(rows) == len(lines), f"CSV {len(rows)} rows, JSON Lines {len(lines)}")
    check_batch_documents(fails, lines)
    for n in names:
        staged = tshark.stage(os.path.join(captures, n + ".pcapng"))
        want = table_rows(z_table(tshark, staged, "apigee_hs,handshakes"))
        got = {(int(r["stream"]), int(r["hs"])): (r["outcome"], r["cause"])
               for r in rows if os.path.basename(r["capture"]) == n + ".pcapng" and not r["note"]}
        fails.check(got == want, f"apg-batch {n}: {got} != the table's {want}")
        got_j = {(r["stream"], r["hs"]): (r["outcome"], r["cause"])
                 for r in lines if os.path.basename(r["capture"]) == n + ".pcapng" and not r["note"]}
        fails.check(got_j == want, f"apg-batch JSON Lines {n}: {got_j} != {want}")


SCRIPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts")
ES_DIR = os.path.join(SCRIPTS, "..", "docs", "elasticsearch")
ISO_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$")
INT_RANGES = {"byte": 8, "short": 16, "integer": 32, "long": 64}


def value_fits(value, mapping):
    kind = mapping.get("type")
    if kind in INT_RANGES:
        try:
            n = int(value)
        except (TypeError, ValueError):
            return False
        return -(1 << (INT_RANGES[kind] - 1)) <= n < (1 << (INT_RANGES[kind] - 1))
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "date":
        return isinstance(value, str) and bool(ISO_TIME.match(value))
    if kind in ("keyword", "text"):
        return isinstance(value, str)
    if kind == "ip":
        try:
            ipaddress.ip_address(value)
            return True
        except ValueError:
            return False
    return False


def document_problems(doc, props, where=""):
    """What in one -T ek layer the template does not map, or maps to another type."""
    problems = []
    for key, value in doc.items():
        if value is None:
            continue  # FT_NONE items and expert names carry no value
        mapping = props.get(key)
        if mapping is None:
            problems.append(f"{where}{key} is not in the template")
            continue
        for v in value if isinstance(value, list) else [value]:
            if "properties" in mapping:
                problems += document_problems(v, mapping["properties"], f"{where}{key}.")
            elif not value_fits(v, mapping):
                problems.append(f"{where}{key}={v!r} does not fit {mapping['type']}")
    return problems


# Elasticsearch's documented field and runtime types (Mapping > Field data types; Runtime
# fields > Map a runtime field), and the shapes of _index_template and
# _component_template bodies (Index templates > Create or update an index template).
FIELD_TYPES = {"keyword", "text", "long", "integer", "short", "byte", "double", "float",
               "boolean", "date", "ip", "object"}
RUNTIME_TYPES = {"boolean", "composite", "date", "double", "geo_point", "ip", "keyword", "long",
                 "lookup"}
INDEX_TEMPLATE_KEYS = {"index_patterns", "composed_of", "priority", "template", "version",
                       "_meta", "data_stream", "allow_auto_create"}


def mapping_problems(props, where=""):
    problems = []
    for key, m in props.items():
        if "properties" in m:
            problems += mapping_problems(m["properties"], f"{where}{key}.")
        elif m.get("type") not in FIELD_TYPES:
            problems.append(f"{where}{key}: type {m.get('type')!r} is not a field type")
        for sub, sm in m.get("fields", {}).items():
            if sm.get("type") not in FIELD_TYPES:
                problems.append(f"{where}{key}.{sub}: multi-field type {sm.get('type')!r}")
    return problems


def leaf_paths(props, prefix=""):
    out = {}
    for key, m in props.items():
        if "properties" in m:
            out.update(leaf_paths(m["properties"], f"{prefix}{key}."))
        else:
            out[prefix + key] = m
    return out


def template_problems(component, template, batch):
    """Elasticsearch's rules for these bodies, and no harm to the user's packets-*."""
    problems = []
    for name, t in (("template", template), ("batch", batch)):
        extra = set(t) - INDEX_TEMPLATE_KEYS
        if extra:
            problems.append(f"{name}: keys {extra} are not index template keys")
        for pattern in t["index_patterns"]:
            if fnmatch.fnmatch("packets-2026-11-30", pattern) or pattern.startswith("packets"):
                problems.append(f"{name}: {pattern} would shadow the user's packets-* templates")
    if template["priority"] == batch["priority"]:
        problems.append("apigee-hs-* and apigee-hs-batch-* overlap at the same priority")
    if set(component) - {"template", "version", "_meta"}:
        problems.append(f"component: keys {set(component)}")
    mappings = component["template"]["mappings"]
    problems += mapping_problems(mappings["properties"])
    problems += mapping_problems(batch["template"]["mappings"]["properties"], "batch.")
    paths = leaf_paths(mappings["properties"])
    for name, rt in mappings.get("runtime", {}).items():
        if rt.get("type") not in RUNTIME_TYPES:
            problems.append(f"runtime {name}: type {rt.get('type')!r}")
        field = rt["script"]["params"]["field"]
        if field not in paths:
            problems.append(f"runtime {name} reads {field}, which is not mapped")
        if "emit(" not in rt["script"]["source"]:
            problems.append(f"runtime {name}: its script emits nothing")
    return problems


def runtime_name_problems(doc, runtime, names):
    """The runtime fields' tables name each number as tshark -G values does."""
    problems = []
    by_key = {es_name(f): table for f, table in names.items()}
    for rt in runtime.values():
        key = rt["script"]["params"]["field"][len("layers.apigee_hs."):]
        values = doc.get(key)
        for v in values if isinstance(values, list) else ([values] if values is not None else []):
            got = rt["script"]["params"]["names"].get(str(int(v)))
            want = by_key.get(key, {}).get(int(v))
            if got != want:
                problems.append(f"{key}={v}: runtime name {got!r}, tshark says {want!r}")
    return problems


def es_name(field):
    return "apigee_hs_" + field.replace(".", "_")


def check_elasticsearch(fails, tshark, captures):
    """The shipped templates and example bulk input are what this plugin gives, they follow
    Elasticsearch's documented rules without touching the user's packets-*, and every
    document tshark -T ek writes for our layer fits them."""
    sys.path.insert(0, SCRIPTS)
    import es_template
    run = lambda a: tshark.run(a).stdout  # noqa: E731
    shipped = {}
    for name, want in (("apigee_hs-mappings.json", es_template.make_component(run)),
                       ("apigee_hs-template.json", es_template.make_template()),
                       ("apigee_hs-batch-template.json",
                        es_template.make_batch_template(es_template.batch_columns(run)))):
        with open(os.path.join(ES_DIR, name)) as f:
            shipped[name] = json.load(f)
        fails.check(shipped[name] == want, f"docs/elasticsearch/{name} is out of date: run "
                                           "scripts/es_template.py")
    component = shipped["apigee_hs-mappings.json"]
    problems = template_problems(component, shipped["apigee_hs-template.json"],
                                 shipped["apigee_hs-batch-template.json"])
    fails.check(not problems, f"templates: {problems[:4]}")
    example = es_template.make_example(run, tshark.stage(os.path.join(
        captures, es_template.EXAMPLE_CAPTURE)))
    with open(os.path.join(ES_DIR, "example-bulk.ndjson")) as f:
        shipped_example = f.read()
    # The shipped file is 4.0's; 4.4 and later write the same facts another way.
    fails.check(es_template.ek_facts(shipped_example) == es_template.ek_facts(example),
                "docs/elasticsearch/example-bulk.ndjson is out of date")
    mappings = component["template"]["mappings"]
    props = mappings["properties"]["layers"]["properties"]["apigee_hs"]["properties"]
    pattern = shipped["apigee_hs-template.json"]["index_patterns"][0]
    names = tshark.value_names()
    docs = 0
    for name in sorted(os.listdir(captures)):
        if not name.endswith(".pcapng"):
            continue
        out = es_template.rewrite_ek(ek_run(tshark, tshark.stage(os.path.join(captures, name)), True))
        lines = out.splitlines()
        for action, source in zip(lines[0::2], lines[1::2]):
            meta = json.loads(action).get("index", {})
            fails.check(fnmatch.fnmatch(meta.get("_index", ""), pattern) and "_type" not in meta,
                        f"{name}: action {meta} not for {pattern}")
            doc = json.loads(source)
            fails.check(str(doc.get("timestamp", "")).isdigit(), f"{name}: timestamp")
            layer = doc.get("layers", {}).get("apigee_hs")
            if layer is None:  # a frame of no handshake: a document without our layer
                continue
            problems = document_problems(layer, props)
            problems += runtime_name_problems(layer, mappings["runtime"], names)
            fails.check(not problems, f"{name}: {problems[:4]}")
            docs += 1
    fails.check(docs > 60, f"only {docs} documents checked against the template")


def check_batch_documents(fails, lines):
    """scripts/apg-batch's JSON Lines fit apigee_hs-batch-template.json."""
    with open(os.path.join(ES_DIR, "apigee_hs-batch-template.json")) as f:
        props = json.load(f)["template"]["mappings"]["properties"]
    for ln in lines:
        doc = {k: v for k, v in ln.items() if v != ""}  # an empty cell is no value
        for k in ("timestamp", "leaf_not_after"):
            if k in doc:  # ISO 8601, which Elasticsearch's default date format reads
                doc[k] = doc[k] if ISO_TIME.match(doc[k]) else f"not a date: {doc[k]}"
        problems = document_problems(doc, props)
        if not fails.check(not problems, f"batch document: {problems[:4]}"):
            return


def check_profile(fails, tshark, build, captures):
    """The profile `cmake --install` puts next to the plugin gives the columns, colours
    and filter buttons it promises (tshark -C reads a profile as the GUI does)."""
    env = dict(os.environ, HOME=tshark.home)
    proc = subprocess.run(["cmake", "--install", build], env=env, capture_output=True, text=True)
    profile = os.path.join(tshark.home, ".config", "wireshark", "profiles", "Apigee-HS")
    if not fails.check(proc.returncode == 0 and os.path.isdir(profile),
                       f"cmake --install left no profile: {proc.stdout}{proc.stderr}"):
        return
    # the test's plugin comes from WIRESHARK_PLUGIN_DIR: drop the installed copy
    shutil.rmtree(os.path.join(tshark.home, ".local"), ignore_errors=True)
    for root, dirs, files in os.walk(os.path.join(tshark.home, ".config")):
        for n in dirs + files:
            os.chmod(os.path.join(root, n), 0o755)
    cap = lambda n: tshark.stage(os.path.join(captures, n + ".pcapng"))  # noqa: E731
    proc = tshark.run(["-2", "-C", "Apigee-HS", "-r", cap("tls13-hostname-mismatch")], check=False)
    fails.check(proc.returncode == 0 and "prefs" not in proc.stderr.lower(),
                f"profile: tshark -C Apigee-HS: {proc.stderr[-300:]}")
    alert = [ln for ln in proc.stdout.splitlines() if "Alert" in ln]
    fails.check(alert and all(w in alert[0] for w in ("cert_hostname_mismatch", "possible",
                                                      "backend.example.test", "client")),
                f"profile columns do not show cause, confidence, SNI, alert sender: {alert}")
    colours = {"gnutls-server-hostname-mismatch": "Apigee-HS failed (certain)",
               "tls13-hostname-mismatch": "Apigee-HS failed (uncertain)",
               "weak-cert-success": "Apigee-HS risky success",
               "tls12-ok": "Apigee-HS established",
               "cut-after-client-hello": "Apigee-HS incomplete capture"}
    for name, rule in colours.items():
        rows = tshark.fields(["-2", "-C", "Apigee-HS", "--color", "-r", cap(name), "-Y",
                              "apigee_hs.verdict_here"], ["frame.coloring_rule.name"])
        fails.check(rows and all(r["frame.coloring_rule.name"] == rule for r in rows),
                    f"profile colours {name}: {rows}, want {rule}")
    with open(os.path.join(profile, "dfilter_buttons")) as f:
        buttons = [next(csv.reader([ln])) for ln in f if ln.strip()]
    for _enabled, label, expr, _comment in buttons:
        proc = tshark.run(["-r", cap("tls12-ok"), "-Y", expr], check=False)
        fails.check(proc.returncode == 0, f"filter button {label!r} does not compile: "
                                          f"{proc.stderr[-200:]}")
    fails.check(len(buttons) >= 6, f"only {len(buttons)} filter buttons")
    failed = next(expr for _e, label, expr, _c in buttons if label == "Failed")
    left = tshark.run(["-2", "-r", cap("northbound-hostname-after-handshake-python"), "-Y", failed])
    fails.check(len(left.stdout.splitlines()) == 1,
                f"the Failed button misses a call the client refused after the handshake: {left.stdout}")
    check_profile_layout(fails, tshark, profile, cap)


def check_system_install(fails, tshark, work):
    """-DAPG_INSTALL_SYSTEM=ON puts the profile in the global configuration folder
    `tshark -G folders` names, and the install honours DESTDIR."""
    top = os.path.join(SCRIPTS, "..")
    build = os.path.join(work, "system-build")
    proc = subprocess.run(["cmake", "-S", top, "-B", build, "-DAPG_INSTALL_SYSTEM=ON",
                           "-DBUILD_TESTING=OFF"], capture_output=True, text=True, timeout=300)
    if not fails.check(proc.returncode == 0, f"system configure: {proc.stderr[-300:]}"):
        return
    folders = subprocess.run(["tshark", "-G", "folders"], capture_output=True, text=True).stdout
    glob = re.search(r"^Global configuration:\s*(\S+)", folders, re.M).group(1)
    with open(os.path.join(build, "cmake_install.cmake")) as f:
        script = f.read()
    dest = re.search(r'set\(APG_PROFILE_DEST "([^"]+)"\)', script)
    fails.check(dest and dest.group(1) == os.path.join(glob, "profiles", "Apigee-HS"),
                f"system profile goes to {dest and dest.group(1)}, Wireshark reads {glob}/profiles")
    destdir = os.path.join(work, "destdir")
    proc = subprocess.run(["cmake", f"-DAPG_PROFILE_SRC={os.path.join(top, 'profiles', 'Apigee-HS')}",
                           f"-DAPG_PROFILE_DEST={dest.group(1) if dest else '/x'}",
                           "-DAPG_WS_DEFAULT_COLORFILTERS=/usr/share/wireshark/colorfilters",
                           "-P", os.path.join(top, "cmake", "apg_install_profile.cmake")],
                          env=dict(os.environ, DESTDIR=destdir), capture_output=True, text=True)
    installed = sorted(os.listdir(destdir + dest.group(1))) if dest and os.path.isdir(
        destdir + dest.group(1)) else []
    fails.check(proc.returncode == 0 and installed == ["colorfilters", "dfilter_buttons",
                                                       "preferences", "profile_settings", "recent"],
                f"DESTDIR install: {installed} {proc.stderr[-300:]}")


def check_profile_layout(fails, tshark, profile, cap):
    """Column widths that show cause, direction and SNI whole on 1600 pixels; Wireshark's
    Bad TCP rule before ours; the 4.4+ auto-switch filter compiles."""
    with open(os.path.join(profile, "preferences")) as f:
        # the recent file names a custom column by its field alone, as Wireshark writes it
        formats = [re.sub(r"^(%Cus:[^:]+):.*$", r"\1", c)
                   for c in re.findall(r'"[^"]*", "(%[^"]*)"', f.read())]
    with open(os.path.join(profile, "recent")) as f:
        widths = dict(re.findall(r"^\t(%[^,]+), (\d+),?$", f.read(), re.M))
    fails.check(set(formats) == set(widths), f"recent widths {sorted(widths)} != columns {formats}")
    px = {k: int(v) for k, v in widths.items()}
    longest_cause = max(len(n) for n in tshark.value_names()["apigee_hs.cause"].values())
    # 8.5 pixels a character in Wireshark's default 10-point font (measured on the GUI
    # test's screenshot), plus the cell's margins
    fails.check(px.get("%Cus:apigee_hs.cause", 0) >= 8.5 * longest_cause + 16,
                f"the cause column ({px.get('%Cus:apigee_hs.cause')} px) cuts "
                f"{longest_cause}-character causes")
    fails.check(px.get("%Cus:apigee_hs.direction", 0) >= 8.5 * len("southbound") + 16 and
                px.get("%Cus:apigee_hs.sni", 0) >= 8.5 * len("backend.example.test") + 16,
                f"direction or SNI column too narrow: {px}")
    fails.check(sum(px.values()) <= 1600, f"the columns need {sum(px.values())} px, over 1600")
    with open(os.path.join(profile, "colorfilters")) as f:
        rules = [ln.split("@")[1] for ln in f if ln.startswith("@")]
    if os.path.exists("/usr/share/wireshark/colorfilters"):
        fails.check(rules[0] == "Bad TCP" and rules[1].startswith("Apigee-HS"),
                    f"colouring rules in the wrong order: {rules[:3]}")
        # the swapped segment: out of order in 4.0 and 4.4, a retransmission in 4.6
        rows = tshark.fields(["-2", "-C", "Apigee-HS", "--color", "-r", cap("out-of-order-server-flight"),
                              "-Y", "tcp.analysis.out_of_order || tcp.analysis.retransmission"],
                             ["frame.coloring_rule.name"])
        fails.check(rows and all(r["frame.coloring_rule.name"] == "Bad TCP" for r in rows),
                    f"a TCP problem in a handshake lost its Bad TCP colour: {rows}")
    with open(os.path.join(profile, "profile_settings")) as f:
        switch = re.search(r"^auto_switch_filter: (.+)$", f.read(), re.M)
    proc = tshark.run(["-r", cap("southbound-sni-missing-java"), "-Y", switch.group(1)] if switch else ["-v"])
    fails.check(switch and len(proc.stdout.splitlines()) >= 1,
                f"the auto-switch filter does not select a failed handshake: {switch}")


def check_training(fails, tshark, captures):
    """docs/training.md: every frame it says to click shows the verdict it describes, and
    every screenshot it shows exists."""
    doc_path = os.path.join(SCRIPTS, "..", "docs", "training.md")
    with open(doc_path) as f:
        doc = f.read()
    checks = re.findall(r"<!-- check: (\S+) (\d+) (\S+) (\S+) (\S+) -->", doc)
    fails.check(len(checks) >= 15, f"training.md: only {len(checks)} checks")
    roles = ["-o", "apigee_hs.router_addrs:127.0.1.1", "-o", "apigee_hs.mp_addrs:127.0.2.10"]
    for name, frame, cause, confidence, direction in checks:
        rows = tshark.fields(["-2", "-r", tshark.stage(os.path.join(captures, name + ".pcapng")),
                              *roles, "-Y", "apigee_hs.verdict_here"],
                             ["frame.number", "apigee_hs.cause", "apigee_hs.confidence",
                              "apigee_hs.direction"])
        got = {r["frame.number"]: (r["apigee_hs.cause"], r["apigee_hs.confidence"],
                                   r["apigee_hs.direction"]) for r in rows}
        fails.check(got.get(frame) == (cause, confidence, direction),
                    f"training.md: {name} frame {frame} shows {got}, the text says "
                    f"{(cause, confidence, direction)}")
    for image in re.findall(r"\]\((screenshots/[^)]+)\)", doc):
        fails.check(os.path.exists(os.path.join(os.path.dirname(doc_path), image)),
                    f"training.md shows {image}, which does not exist")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--captures", required=True)
    args = ap.parse_args()
    tshark = Tshark(args.build)
    fails = Failures()
    try:
        tshark.require_plugin()
        staged = {f[:-7]: tshark.stage(os.path.join(args.captures, f))
                  for f in sorted(os.listdir(args.captures)) if f.endswith(".pcapng")}
        for name in EXPERT_CAPTURES + sorted(END_DECIDED):
            check_experts(fails, tshark, staged[name], name)
        long_texts = 0
        for name, path in staged.items():
            check_machine_output(fails, tshark, path, name)
            long_texts += check_long_texts(fails, tshark, path, name)
        fails.check(long_texts > 20, f"only {long_texts} long texts seen: the wrap is untested")
        check_typos(fails, tshark, staged["tls12-ok"])
        check_prefs(fails, tshark, staged["northbound-ok"], staged["southbound-sni-ok-java"])
        check_hostile_prefs(fails, tshark, staged["northbound-ok"])
        check_info(fails, tshark, args.captures)
        tabled = sum(check_tables(fails, tshark, staged[n], n)
                     for n in EXPERT_CAPTURES + sorted(END_DECIDED))
        fails.check(tabled > 30, f"only {tabled} handshakes in the tables checked")
        check_decode_as_hint(fails, tshark, staged["tls12-ok"])
        check_elasticsearch(fails, tshark, args.captures)
        check_profile(fails, tshark, args.build, args.captures)
        check_training(fails, tshark, args.captures)
        work = tempfile.mkdtemp(prefix="apigee-hs-usage.")
        try:
            check_batch(fails, tshark, args.captures, work)
            check_system_install(fails, tshark, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    finally:
        tshark.close()
    for f in fails.items:
        print("FAIL:", f)
    print(f"{fails.checks - len(fails.items)} passed, {len(fails.items)} failed")
    return 1 if fails.items else 0


if __name__ == "__main__":
    sys.exit(main())
