#!/usr/bin/env python3
"""Bad input is the normal case: the plugin must never crash or hang tshark.

Runs tshark (single pass and -2) with the plugin over
  - every scenario capture truncated per packet (snaplen 80), cut in the middle
    of the file, and with random byte errors (editcap -E, fixed seeds);
  - the crafted captures tests/tools/craft.py writes (fragmented and one-byte
    records, huge and malformed names, garbage certificates, ...);
  - the public captures in ../shared/captures/public, when present.
A run passes when tshark ends on its own (no signal, no timeout), reports no
dissector bug in our protocol, every handshake it reports carries one of the
defined outcomes, -T json and -T ek write valid UTF-8 JSON, and -V with the
-z apigee_hs,handshakes table runs through and prints the table.
"""
import csv
import io
import json
import argparse
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tsharkrun import FULL_CAMPAIGN, Tshark  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import craft  # noqa: E402

OUTCOMES = {"established", "failed", "incomplete"}


def editcap(args):
    return subprocess.run(["editcap", *args], capture_output=True).returncode == 0


# APG_CAMPAIGN=full (scripts/test.sh): every damage kind on every capture, byte errors
# with three seeds, every output checked on every variant; the default campaign: one
# damaged copy per capture (see variants), one seed, the outputs (JSON, EK, the table)
# checked on the byte-error and crafted files, the exit and outcomes on all.
FULL = FULL_CAMPAIGN
SEEDS = (1, 2, 3) if FULL else (1,)


def variants(captures, workdir, shard=(0, 1)):
    """Damaged copies of the bundled captures: cut to 80 bytes per packet, byte
    errors, the file's last two fifths cut off. The full campaign makes all three
    of every capture; the default one makes one per capture, the kinds in turn
    over the sorted names (each kind still meets about a third of them)."""
    names = sorted(n for n in os.listdir(captures) if n.endswith(".pcapng"))
    for i in range(shard[0], len(names), shard[1]):
        name = names[i]
        src = os.path.join(captures, name)
        base = os.path.join(workdir, name[:-7])
        kinds = ("snap80", "errors", "cut") if FULL else (("snap80", "errors", "cut")[i % 3],)
        # editcap 4.0 cannot rewrite captures with embedded secrets: those get
        # the cut-file variant instead.
        made = False
        if "snap80" in kinds and editcap(["-s", "80", src, base + "-snap80.pcapng"]):
            made = True
            yield base + "-snap80.pcapng"
        for seed in SEEDS if "errors" in kinds else ():
            out = f"{base}-errors{seed}.pcapng"
            if editcap(["-E", "0.02", "--seed", str(seed), src, out]):
                made = True
                yield out
        if "cut" in kinds or not made:
            with open(src, "rb") as f:
                data = f.read()
            cut = base + "-cut.pcapng"
            with open(cut, "wb") as f:
                f.write(data[: len(data) * 3 // 5])
            yield cut


def crafted(workdir):
    return craft.write(os.path.join(workdir, "crafted"), craft.QUICK)


# What each crafted capture was built to show, per handshake in stream order:
# (outcome, cause or None for any, a text the summary must hold or None). From
# how craft.py builds them, not from the plugin's output; captures not listed
# are only required to pass the checks every capture passes.
CRAFTED_EXPECT = {
    "sni-utf8-cut": [("failed", None, None)],
    "sni-64k": [("failed", None, None)],
    "sni-terminal-escapes": [("failed", None, "evil.example.test")],
    # ICMP errors quote the connection's TCP header: no RST or ACK of the server's
    "icmp-quoted-rst": [("incomplete", "incomplete_capture", None)],
    # a path-MTU black hole: two reports (MTU 1400) for the ClientHello and its retransmission
    "icmp-frag-needed": [("failed", "path_mtu", "whose MTU it gave as 1400 (ICMP fragmentation needed, frame 5; 2 reports, the last in frame 7)")],
    "icmp-frag-needed-recovered": [("failed", "cipher_mismatch", None)],
    "icmp-frag-needed-bogus": [("failed", "no_server_response", "sent once more")],
    "client-hello-fragmented": [("failed", None, "ClientHello (frame 5")],
    "one-byte-records": [("failed", None, None)],
    "one-byte-segments": [("failed", "protocol_mismatch", None)],
    "hrr-only": [("failed", "client_abort", "HelloRetryRequest (frame 6)")],
    "hrr-then-client-alert": [("failed", "protocol_mismatch", "(frame 6, a HelloRetryRequest")],
    "odd-version": [("established", "none", None), ("failed", None, None)],
    "shuffled-segments": [("incomplete", "incomplete_capture", "out of order")],
    "starttls-smtp": [("failed", None, None)],
    "starttls-imap": [("failed", None, None)],
    # each signature check would be a 16,384-bit exponentiation: none is made
    "huge-rsa-ca": [("failed", None, "was not verified")] * 20,
    "dtls": [],
    "quic": [],
}


def check_crafted_verdicts(tshark, path, failures):
    name = os.path.basename(path)[:-5]
    want = CRAFTED_EXPECT.get(name)
    if want is None:
        return
    t0 = time.monotonic()
    proc = tshark.run(["-q", "-r", tshark.stage(path), "-z", "apigee_hs,csv"], check=False)
    took = time.monotonic() - t0
    if name == "huge-rsa-ca" and took > 5:
        failures.append(f"{name}: {took:.1f} s for 20 handshakes (unbounded signature work)")
    at = proc.stdout.find("stream,hs,")
    rows = list(csv.DictReader(io.StringIO(proc.stdout[at:] if at >= 0 else "")))
    rows = [r for r in rows if r.get("stream", "").isdigit()]
    if len(rows) != len(want):
        failures.append(f"{name}: {len(rows)} handshakes, built with {len(want)}")
        return
    for row, (outcome, cause, text) in zip(rows, want):
        summary = row.get("summary", "")
        if row["outcome"] != outcome or (cause and row["cause"] != cause) or \
                (text and text not in summary) or "frame 0)" in summary:
            failures.append(f"{name}: got {row['outcome']}/{row['cause']} ({summary[:160]}), "
                            f"built for {outcome}/{cause or 'any'} with {text!r}")
    if name == "icmp-frag-needed" and rows[0]["conf"] == "certain":
        failures.append("icmp-frag-needed: certain although the server sent nothing (a router's "
                        "ICMP was read as the server's ACK)")
    if name == "odd-version" and rows[1]["cause"] == "protocol_mismatch":
        failures.append("odd-version: a protocol mismatch made up from an odd version (defect 1)")
    if name == "sni-utf8-cut" and rows[0]["sni"] != "a" * 254:
        failures.append(f"sni-utf8-cut: SNI {rows[0]['sni'][:20]!r}... is not the 254 'a' before "
                        "the cut character")


def check_terminal_text(tshark, path, failures):
    """The text tables print wire bytes escaped: no control character but the
    line ends, one row per handshake, no line a name forged (issue 21, item 6)."""
    name = os.path.basename(path)[:-5]
    if name != "sni-terminal-escapes":
        return
    for tap in ("apigee_hs,handshakes", "apigee_hs,table", "apigee_hs,notes"):
        out = tshark.run_raw(["-q", "-r", tshark.stage(path), "-z", tap]).stdout
        controls = sorted({b for b in out if (b < 0x20 and b != 0x0a) or b == 0x7f})
        if controls:
            failures.append(f"{name} -z {tap}: control bytes {controls} reach the terminal")
        text = out.decode("utf-8", "replace")
        rows = [ln for ln in text.splitlines() if ln[:6].strip().isdigit()]
        if tap == "apigee_hs,handshakes" and len(rows) != 1:
            failures.append(f"{name} -z {tap}: {len(rows)} rows for one handshake: {rows}")
        if any(ln.lstrip().startswith("fix: curl") for ln in text.splitlines()):
            failures.append(f"{name} -z {tap}: the name forged a fix: line")
        if "\u009b" in text:
            failures.append(f"{name} -z {tap}: a C1 control (CSI) reaches the terminal")


def public_captures(root):
    if not root or not os.path.isdir(root):
        return
    for path, _, names in sorted(os.walk(root)):
        for n in sorted(names):
            if n.endswith((".pcap", ".pcapng", ".cap")):
                yield os.path.join(path, n)


def check(tshark, path, failures):
    staged = tshark.stage(path)
    label = os.path.relpath(path)
    for two_pass in (False, True):
        args = (["-2"] if two_pass else []) + ["-r", staged]
        try:
            rows, proc = tshark.info_rows(args, "apigee_hs.outcome", check=False, timeout=120)
        except subprocess.TimeoutExpired:
            failures.append(f"{label}: tshark hung (over 120 s)")
            continue
        mode = "-2" if two_pass else "1-pass"
        # A file cut short or damaged is reported by tshark with an exit code that
        # depends on the version (2 in 4.0, 14 in 4.6); a signal never is fine.
        read_error = any(m in proc.stderr for m in ("cut short", "damaged or corrupt"))
        if proc.returncode != 0 and not (read_error and 0 < proc.returncode < 128):
            failures.append(f"{label} {mode}: tshark exited {proc.returncode}: {proc.stderr[-400:]}")
        if "Dissector bug, protocol Apigee" in proc.stdout:
            failures.append(f"{label} {mode}: dissector bug in our protocol")
        for outcome, _ in rows:
            if outcome and outcome not in OUTCOMES:
                failures.append(f"{label} {mode}: undefined outcome {outcome!r}")
                break
    if FULL or not path.endswith(("-snap80.pcapng", "-cut.pcapng")):
        check_outputs(tshark, staged, label, failures)


def check_outputs(tshark, staged, label, failures):
    """The outputs users parse: JSON and EK must be valid UTF-8 JSON (a name cut
    inside a character once broke them), -V and the table must come out."""
    runs = {
        "json": ["-2", "-r", staged, "-T", "json", "-Y", "apigee_hs"],
        "ek": ["-r", staged, "-T", "ek", "-Y", "apigee_hs"],
        "table": ["-2", "-V", "-r", staged, "-Y", "apigee_hs.verdict_here", "-z",
                  "apigee_hs,handshakes"],
    }
    for what, args in runs.items():
        try:
            proc = tshark.run_raw(args, timeout=120)
        except subprocess.TimeoutExpired:
            failures.append(f"{label} {what}: tshark hung (over 120 s)")
            continue
        if proc.returncode >= 128 or proc.returncode < 0:
            failures.append(f"{label} {what}: tshark died ({proc.returncode})")
            continue
        try:
            text = proc.stdout.decode("utf-8")
            if what == "json":
                json.loads(text or "[]")
            elif what == "ek":
                for line in text.splitlines():
                    if line.strip():
                        json.loads(line)
            elif "=== Apigee handshake diagnosis" not in text:
                failures.append(f"{label} table: no -z apigee_hs,handshakes table")
        except (UnicodeDecodeError, ValueError) as e:
            failures.append(f"{label} {what}: not valid JSON/UTF-8: {str(e)[:200]}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--captures", required=True)
    ap.add_argument("--public")
    ap.add_argument("--crafted-only", action="store_true",
                    help="only the crafted captures (the sanitizer pass)")
    ap.add_argument("--shard", default="0/1",
                    help="I/N: the I-th of N parts of the inputs, so that ctest runs them "
                         "side by side")
    args = ap.parse_args()
    shard = tuple(int(x) for x in args.shard.split("/"))
    tshark = Tshark(args.build)
    failures, runs = [], 0
    try:
        tshark.require_plugin()
        with tempfile.TemporaryDirectory() as work:
            if args.crafted_only:
                inputs = list(crafted(work))
            else:
                others = list(crafted(work)) + list(public_captures(args.public))
                inputs = (list(variants(args.captures, work, shard)) +
                          others[shard[0]::shard[1]])
            for path in inputs:
                before = len(failures)
                check(tshark, path, failures)
                check_crafted_verdicts(tshark, path, failures)
                check_terminal_text(tshark, path, failures)
                runs += 1
                if len(failures) > before:
                    print("FAIL:", "\n      ".join(failures[before:]))
    finally:
        tshark.close()
    print(f"campaign: {'full' if FULL else 'default'} (APG_CAMPAIGN=full for every seed and "
          f"output), shard {args.shard}")
    if args.crafted_only:
        print("note: crafted captures only (--crafted-only)")
    elif not any(True for _ in public_captures(args.public)):
        print(f"note: no public captures at {args.public}; ran the scenario variants only")
    print(f"{runs - len({f.split(':')[0] for f in failures})} passed, "
          f"{len({f.split(':')[0] for f in failures})} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
