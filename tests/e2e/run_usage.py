#!/usr/bin/env python3
"""What Wireshark users do with the plugin, checked through tshark.

- The expert entries are in the packet tree: each apigee_hs.expert.* filter selects the
  frames whose tree holds that entry, as many as `-z expert` (the Expert Information
  dialog's data) counts for its summary, whether the filter is given when the file is
  opened (single pass) or applied afterwards (-2); the entry agrees with the outcome and
  its severity with the confidence.
- apigee_hs.verdict_here selects the same frames in both cases.
- A misspelt name in an enumerated field's filter is refused.
- Long texts are wrapped into apigee_hs.line items that hold the whole text.
- Preference values that cannot be used are reported on stderr and in every tree; lists
  accept any separator, CIDR ranges and IPv6.
- -z apigee_hs,handshakes (with its filter argument and totals), -z apigee_hs,csv and
  the stats tree -z apigee_hs,tree agree; a capture whose TLS another dissector took says
  how to use Decode As.
- -T json and -T ek are valid, and the keys of our layer are field names, never data.
"""
import argparse
import csv
import json
import os
import re
import sys
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


def json_frames(tshark, capture, two_pass, extra=()):
    args = (["-2"] if two_pass else []) + ["-r", capture, *extra, "-T", "json",
                                            "--no-duplicate-keys", "-J", "frame apigee_hs"]
    out = tshark.run(args).stdout
    frames = {}
    for pkt in json.loads(out) if out.strip() else []:
        layers = pkt["_source"]["layers"]
        if "apigee_hs" in layers:
            frames[int(layers["frame"]["frame.number"])] = layers["apigee_hs"]
    return frames


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
        out = tshark.run((["-2"] if two_pass else []) + ["-r", capture, "-T", "ek",
                                                          "-J", "apigee_hs"]).stdout
        for line in out.splitlines():
            try:
                json.loads(line)
            except json.JSONDecodeError as e:
                fails.check(False, f"{label} {mode}: -T ek line is not JSON: {e}")
                break


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
            lines = layer.get(key + "_tree", {}).get("apigee_hs.line", [])
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
        "apigee_hs.expected_hosts:backend.example.com": "expected_hosts: 'backend.example.com'",
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


def check_info(fails, tshark, captures):
    out = tshark.fields(["-r", os.path.join(captures, "tls12-ok.pcapng"), "-Y",
                         "apigee_hs.verdict_here"], ["_ws.col.Info"])
    fails.check(out and all("[TLS handshake established]" in r["_ws.col.Info"] for r in out),
                f"established Info: {out}")


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
                "tshark -d tcp.port==8080,tls" in out, f"no Decode As hint: {out[-400:]}")


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
        check_info(fails, tshark, args.captures)
        tabled = sum(check_tables(fails, tshark, staged[n], n)
                     for n in EXPERT_CAPTURES + sorted(END_DECIDED))
        fails.check(tabled > 30, f"only {tabled} handshakes in the tables checked")
        check_decode_as_hint(fails, tshark, staged["tls12-ok"])
    finally:
        tshark.close()
    for f in fails.items:
        print("FAIL:", f)
    print(f"{fails.checks - len(fails.items)} passed, {len(fails.items)} failed")
    return 1 if fails.items else 0


if __name__ == "__main__":
    sys.exit(main())
