#!/usr/bin/env python3
"""Checks that need no labels, over every bundled and public capture, plus the
public captures' expected verdicts (tests/e2e/public.tsv).

- certain review: a `certain` verdict must rest on read evidence: no `unseen`
  item, a deciding frame (failures and successes), and no encrypted deciding alert;
- single pass and -2 agree on every handshake's final verdict (the -z table);
- a `certain` verdict that single pass shows on a frame (as a live capture does)
  is the outcome and cause -2 reaches (issue 18);
- removing the key log (no tls.keylog_file for a capture that has NAME.keys)
  never raises a confidence, and the keyless cause is the with-keys cause or
  one of the alternatives either names;
- deleting every packet the servers sent gives incomplete_capture, or at most
  `possible`;
- cutting the capture right after a ClientHello gives incomplete_capture;
- rewriting every IP address and ephemeral port (tests/tools/pcap_rewrite.py)
  changes no verdict (no role preferences are set here);
- cutting a bundled capture's first packets (4 or 6: starting mid-connection)
  never swaps client and server (issue 18);
- two captures of one server whose clients ask for different names (SNI), merged
  one after the other (mergecap -a), keep every verdict: what the server did for
  one name says nothing of another (virtual hosts, issue 18).

The default campaign applies the relations that rewrite a capture to every other
capture; APG_CAMPAIGN=full to all.
"""
import argparse
import os
import subprocess
import sys
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tsharkrun import FULL_CAMPAIGN, Failures, Tshark  # noqa: E402


# APG_CAMPAIGN=full (scripts/test.sh): every relation on every capture; the default
# campaign applies the relations that rewrite a capture (cuts, one direction
# dropped, addresses moved, merges) to every other capture, in turn over the sorted
# names, so that each relation still meets half of them.
FULL = FULL_CAMPAIGN
RANK = {"possible": 0, "likely": 1, "certain": 2}
FIELDS = ["apigee_hs.stream", "apigee_hs.index", "apigee_hs.outcome", "apigee_hs.cause",
          "apigee_hs.confidence", "apigee_hs.alternative", "apigee_hs.unseen",
          "apigee_hs.warning", "apigee_hs.alert.encrypted", "apigee_hs.decided_frame",
          "apigee_hs.server", "apigee_hs.client", "apigee_hs.client_hello_frame", "apigee_hs.sni"]
# Single pass knows a server's profile only from earlier handshakes (docs/diagnosis.md).
ONE_PASS_EXCEPTIONS = {"many-conversations.pcapng"}

REWRITE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools", "pcap_rewrite.py")
# What a verdict says, apart from the endpoints themselves.
SAME_AFTER_REWRITE = [f for f in FIELDS if f not in ("apigee_hs.server", "apigee_hs.client")]


def verdicts(tshark, capture, extra=()):
    """Final verdicts per (stream, index), from tshark -2."""
    return verdicts_and_table(tshark, capture, extra)[0]


def verdicts_and_table(tshark, capture, extra=()):
    """The same, and the -2 run's -z apigee_hs,handshakes table (taps see every
    frame, whatever -Y prints)."""
    args = ["-2", "-n", "-r", capture, *extra, "-Y", "apigee_hs.outcome", "-z", "apigee_hs,handshakes"]
    out = {}
    rows, rest = tshark.fields_and_rest(args, FIELDS, aggregator="|")
    for r in rows:
        if r.get("apigee_hs.stream"):
            out.setdefault((int(r["apigee_hs.stream"]), int(r["apigee_hs.index"])), r)
    return out, table_rows(rest)


def items(v, field):
    return [x for x in v.get(field, "").split("|") if x]


def review_certain(fails, label, vs):
    for key, v in vs.items():
        if v["apigee_hs.confidence"] != "certain":
            continue
        where = f"{label} {key}: certain {v['apigee_hs.cause']}"
        fails.check(not items(v, "apigee_hs.unseen"),
                    f"{where} rests on unseen {items(v, 'apigee_hs.unseen')}")
        if v["apigee_hs.outcome"] in ("failed", "established") and v["apigee_hs.cause"] != "no_server_response":
            fails.check(v["apigee_hs.decided_frame"] not in ("", "0"), f"{where} without a deciding frame")
        # (an incomplete capture is a fact about the capture, whatever its records)
        fails.check(v["apigee_hs.outcome"] == "incomplete" or
                    ("True" not in items(v, "apigee_hs.alert.encrypted") and
                     "1" not in items(v, "apigee_hs.alert.encrypted")),
                    f"{where} on an encrypted alert")


def compare_keyless(fails, label, keyed, keyless):
    for key, k in keyed.items():
        n = keyless.get(key)
        if n is None:
            continue  # seen only with keys (a renegotiation inside encryption): no verdict to compare
        kc, nc = k["apigee_hs.cause"], n["apigee_hs.cause"]
        fails.check(RANK[n["apigee_hs.confidence"]] <= RANK[k["apigee_hs.confidence"]],
                    f"{label} {key}: confidence rose without keys "
                    f"({k['apigee_hs.confidence']} -> {n['apigee_hs.confidence']})")
        related = (nc == kc or kc in items(n, "apigee_hs.alternative")
                   or nc in items(k, "apigee_hs.alternative"))
        fails.check(related, f"{label} {key}: cause {kc} with keys became {nc} without, "
                             f"not among the alternatives {items(n, 'apigee_hs.alternative')}")


def server_endpoints(vs):
    eps = set()
    for v in vs.values():
        host, _, port = v["apigee_hs.server"].rpartition(":")
        if port.isdigit():
            eps.add((host.strip("[]"), port))
    return eps


def drop_servers(tshark, capture, eps, out):
    conds = []
    for host, port in eps:
        ip = "ipv6.src" if ":" in host else "ip.src"
        conds.append(f"({ip}=={host} && tcp.srcport=={port})")
    tshark.run(["-n", "-r", capture, "-Y", f"!({' || '.join(conds)})", "-w", out])


def metamorphic(fails, tshark, capture, label, work, vs):
    eps = server_endpoints(vs)
    if eps:
        one_sided = os.path.join(work, "no-server." + os.path.basename(capture) + ".pcapng")
        drop_servers(tshark, capture, eps, one_sided)
        for key, v in verdicts(tshark, one_sided).items():
            # A router's reports that the client's packets were too big are not the
            # server's: path_mtu may stay, never more certain, naming the server's
            # direction as unseen.
            routers_said = (v["apigee_hs.cause"] == "path_mtu" and
                            any("server's direction" in u for u in items(v, "apigee_hs.unseen")) and
                            key in vs and RANK[v["apigee_hs.confidence"]] <=
                            RANK[vs[key]["apigee_hs.confidence"]])
            fails.check(v["apigee_hs.outcome"] == "incomplete" or
                        v["apigee_hs.confidence"] == "possible" or routers_said,
                        f"{label} without server packets {key}: {v['apigee_hs.outcome']} "
                        f"{v['apigee_hs.cause']} {v['apigee_hs.confidence']}")
    first = min(vs.items(), key=lambda kv: int(kv[1]["apigee_hs.client_hello_frame"] or 10**9),
                default=None)
    if first and first[1]["apigee_hs.client_hello_frame"]:
        ch = int(first[1]["apigee_hs.client_hello_frame"])
        cut = os.path.join(work, "cut." + os.path.basename(capture) + ".pcapng")
        # tshark, not editcap: editcap cannot rewrite captures with embedded secrets
        tshark.run(["-n", "-r", capture, "-Y", f"frame.number <= {ch}", "-w", cut])
        after = verdicts(tshark, cut).get(first[0])
        fails.check(after is not None and after["apigee_hs.cause"] == "incomplete_capture",
                    f"{label} cut after the ClientHello (frame {ch}): "
                    f"{after and (after['apigee_hs.outcome'], after['apigee_hs.cause'])}")


def addresses_do_not_matter(fails, tshark, capture, label, work, vs):
    moved = os.path.join(work, "moved." + os.path.basename(capture))
    subprocess.run([sys.executable, REWRITE, capture, moved], check=True)
    after = verdicts(tshark, moved)
    fails.check(set(after) == set(vs), f"{label} rewritten: handshakes {sorted(after)} != {sorted(vs)}")
    for key, v in vs.items():
        w = after.get(key, {})
        diff = [f for f in SAME_AFTER_REWRITE if v.get(f) != w.get(f)]
        fails.check(not diff, f"{label} rewritten {key}: " +
                    ", ".join(f"{f} {v.get(f)!r} -> {w.get(f)!r}" for f in diff))


def table_rows(lines):
    rows = {}
    for ln in lines:
        cols = ln.split()
        if len(cols) > 7 and cols[0].isdigit() and cols[1].isdigit():
            rows[(int(cols[0]), int(cols[1]))] = tuple(cols[4:7])
    return rows


def one_pass(tshark, capture):
    """Single pass, once: what it shows on the frames that carry a verdict, per
    (stream, index), and its -z table (printed after the frames)."""
    args = ["-n", "-r", capture, "-Y", "apigee_hs.verdict_here", "-z", "apigee_hs,handshakes"]
    shown = defaultdict(list)
    rows, rest = tshark.fields_and_rest(args, FIELDS, aggregator="|")
    for r in rows:
        if r.get("apigee_hs.stream") and r.get("apigee_hs.outcome"):
            shown[(int(r["apigee_hs.stream"]), int(r["apigee_hs.index"]))].append(r)
    return shown, table_rows(rest)


def one_pass_checks(fails, tshark, capture, label, vs, two):
    """Single pass and -2 print the same -z table (two: -2's); and a certain
    verdict that single pass shows on a frame (as a live capture does) is the
    outcome and cause -2 reaches (issue 18)."""
    shown, one = one_pass(tshark, capture)
    if os.path.basename(capture) not in ONE_PASS_EXCEPTIONS:
        fails.check(bool(two) or not vs, f"{label}: no -2 table")
        fails.check(one == two, f"{label}: single pass {one} != -2 {two}")
    for key, rows in shown.items():
        final = vs.get(key)
        for r in rows:
            if r["apigee_hs.confidence"] != "certain" or final is None:
                continue
            fails.check((r["apigee_hs.outcome"], r["apigee_hs.cause"]) ==
                        (final["apigee_hs.outcome"], final["apigee_hs.cause"]),
                        f"{label} {key}: single pass says certain {r['apigee_hs.outcome']} "
                        f"{r['apigee_hs.cause']}, -2 {final['apigee_hs.outcome']} "
                        f"{final['apigee_hs.cause']} {final['apigee_hs.confidence']}")


# How many first packets to cut: the TCP handshake and the ClientHello; the
# server's first flight too (loopback captures: 1-3 TCP, 4 ClientHello, 6 the
# server's flight).
CUTS = (4, 6)


def roles_of(tshark, capture):
    """(client, server) of each handshake where single pass shows its verdict."""
    args = ["-n", "-r", capture, "-Y", "apigee_hs.verdict_here"]
    return {(r["apigee_hs.client"], r["apigee_hs.server"])
            for r in tshark.fields(args, ["apigee_hs.client", "apigee_hs.server"])
            if r.get("apigee_hs.client")}


def cuts_never_swap_roles(fails, tshark, capture, label, work, vs):
    """Starting mid-connection (the first N packets cut) may leave roles
    unknown, never swapped: no handshake names the full capture's server as
    its client (issue 18)."""
    full = {(v["apigee_hs.client"], v["apigee_hs.server"]) for v in vs.values()}
    if not full or "embedded-keys" in capture:  # editcap cannot rewrite embedded secrets
        return
    for n in CUTS:
        cut = os.path.join(work, f"start{n}." + os.path.basename(capture) + ".pcapng")
        subprocess.run(["editcap", "-r", capture, cut, f"{n + 1}-1000000000"], check=True,
                       stdout=subprocess.DEVNULL)
        for client, server in roles_of(tshark, cut):
            fails.check((server, client) not in full,
                        f"{label} without its first {n} packets: client {client} and server "
                        f"{server} swapped")


MAX_NAME_PAIRS = 24 if FULL else 8


def names_by_server(vs):
    """server -> the names its handshakes asked for ("" without SNI), when every
    handshake has its ClientHello and a deciding frame (no verdict the capture's
    end settles: appending another capture moves that end)."""
    out = defaultdict(set)
    for v in vs.values():
        if v["apigee_hs.decided_frame"] in ("", "0") or not v["apigee_hs.client_hello_frame"]:
            return {}
        out[v["apigee_hs.server"]].add(v["apigee_hs.sni"])
    return out


def names_do_not_mix(fails, tshark, work, caps):
    """caps: (label, staged path, verdicts) of bundled captures."""
    pairs = []
    for i, (a, pa, va) in enumerate(caps):
        na = names_by_server(va)
        for b, pb, vb in caps[i + 1:]:
            nb = names_by_server(vb)
            shared = set(na) & set(nb)
            if shared and all(na[s].isdisjoint(nb[s]) for s in shared):
                pairs.append((a, pa, va, b, pb, vb))
    fails.check(len(pairs) > 0, "no two captures of one server with different names to merge")
    for a, pa, va, b, pb, vb in pairs[:MAX_NAME_PAIRS]:
        merged = os.path.join(work, f"names-{len(pairs)}-{a}-{b}.pcapng")
        subprocess.run(["mergecap", "-a", "-w", merged, pa, pb], check=True)
        os.chmod(merged, 0o644)
        def said(vs):
            return Counter((v["apigee_hs.outcome"], v["apigee_hs.cause"], v["apigee_hs.confidence"],
                            v["apigee_hs.sni"]) for v in vs.values())
        got, want = said(verdicts(tshark, merged)), said(va) + said(vb)
        fails.check(got == want, f"{a} + {b} merged: {sorted((want - got).items())} became "
                                 f"{sorted((got - want).items())}")


def public_expectations(fails, path, seen):
    """seen: {path under the public folder: verdicts}, from the main loop."""
    with open(path) as f:
        rows = [ln.rstrip("\n").split("\t") for ln in f if ln.strip() and not ln.startswith("#")]
    for cap, stream, index, outcome, causes, max_conf, warning, why in rows:
        if not fails.check(cap in seen, f"public {cap}: not among the public captures"):
            continue
        v = seen[cap].get((int(stream), int(index)))
        where = f"public {cap} stream {stream}/{index} ({why})"
        if not fails.check(v is not None, f"{where}: no verdict"):
            continue
        got = (v["apigee_hs.outcome"], v["apigee_hs.cause"], v["apigee_hs.confidence"])
        fails.check(got[0] == outcome and got[1] in causes.split("|")
                    and RANK[got[2]] <= RANK[max_conf], f"{where}: got {got}")
        if warning != "-":
            fails.check(warning in items(v, "apigee_hs.warning"),
                        f"{where}: warnings {items(v, 'apigee_hs.warning')} lack {warning}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--captures", required=True)
    ap.add_argument("--public", required=True)
    ap.add_argument("--expected-public", required=True)
    args = ap.parse_args()
    tshark = Tshark(args.build)
    fails = Failures()
    try:
        tshark.require_plugin()
        work = os.path.join(tshark.root, "work")  # variants; tshark writes some as nobody
        os.makedirs(work)
        os.chmod(work, 0o777)
        bundled = sorted(f for f in os.listdir(args.captures) if f.endswith(".pcapng"))
        public = []
        if os.path.isdir(args.public):
            for root, _, names in os.walk(args.public):
                public += [os.path.join(root, n) for n in sorted(names)
                           if n.endswith((".pcap", ".pcapng", ".cap"))]
        staged = []
        for i, name in enumerate(bundled):
            cap = tshark.stage(os.path.join(args.captures, name))
            vs, two = verdicts_and_table(tshark, cap)
            staged.append((name, cap, vs))
            review_certain(fails, name, vs)
            one_pass_checks(fails, tshark, cap, name, vs, two)
            if FULL or i % 2 == 0:
                cuts_never_swap_roles(fails, tshark, cap, name, work, vs)
            if FULL or i % 2 == 1:
                metamorphic(fails, tshark, cap, name, work, vs)
                addresses_do_not_matter(fails, tshark, cap, name, work, vs)
            keys = os.path.join(args.captures, name[:-7] + ".keys")
            # Each *-embedded-keys capture is its NAME.pcapng with NAME.keys
            # injected (editcap cannot strip them again): the pair is checked here.
            if os.path.exists(keys):
                keyed = verdicts(tshark, cap, ["-o", f"tls.keylog_file:{tshark.stage(keys)}"])
                compare_keyless(fails, name + " [keylog]", keyed, vs)
        names_do_not_mix(fails, tshark, work, staged)
        seen = {}
        for i, path in enumerate(public):
            label = os.path.relpath(path, args.public)
            cap = tshark.stage_as(path)
            vs, two = verdicts_and_table(tshark, cap)
            seen[label] = vs
            review_certain(fails, label, vs)
            one_pass_checks(fails, tshark, cap, label, vs, two)
            if FULL or i % 2 == 0:
                metamorphic(fails, tshark, cap, label, work, vs)
            if FULL or i % 2 == 1:
                addresses_do_not_matter(fails, tshark, cap, label, work, vs)
        if public:
            public_expectations(fails, args.expected_public, seen)
        else:
            print(f"public captures not found under {args.public}: their checks skipped")
    finally:
        tshark.close()
    for f in fails:
        print("FAIL:", f)
    print(f"campaign: {'full: every relation on every capture' if FULL else 'default: the relations that rewrite a capture on every other one'} (APG_CAMPAIGN=full for all)")
    print(f"{Failures.checks - len(fails)} passed, {len(fails)} failed")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
