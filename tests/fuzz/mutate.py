#!/usr/bin/env python3
"""Mutation fuzzing of the plugin inside tshark.

    mutate.py --build BUILD --captures DIR [--public DIR] [--runs N] [--seed S]
              [--jobs J] [--report FILE]

Inputs: the scenario captures, the public captures and the crafted captures
(tests/tools/craft.py). Each run takes one input and one mutation:
  errors   editcap -E at a rate of 0.5%, 2% or 10% (random bytes changed);
  snap     editcap -s with a snap length of 40-200 bytes (every packet cut);
  cut      the file cut at a random point;
  flip     payload bytes flipped in place, packet headers left alone: editcap
           cannot rewrite captures with embedded secrets, and without this the
           decrypted TLS 1.3 paths would never see damage.
Every fourth mutant also runs against a damaged copy of a fixture Apigee export
(tests/apigee-config: one JSON file cut, bytes flipped or spliced), so the export
reader meets bad input inside tshark too.
Then tshark -2 -V -z apigee_hs,handshakes, a single pass with a filter on our
fields, and -2 -T ek (whose every line must be JSON in valid UTF-8), each with
a timeout. A failure (a signal, a timeout, a sanitizer
report, a dissector bug in our protocol) is re-run without the plugin: if
tshark fails alone too, it is Wireshark's, not ours. Prints the figures; exits 1
when any failure is the plugin's. Under the sanitizer build, run it with
APG_SANITIZER_PRELOAD set (scripts/sanitize.sh does).
"""
import argparse
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "e2e"))
from tsharkrun import Tshark  # noqa: E402

sys.path.insert(0, os.path.join(here, "..", "tools"))
import craft  # noqa: E402

TIMEOUT = 120
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "runtime error:", "ERROR: LeakSanitizer")


def inputs(captures, public, workdir):
    found = []
    for root in (captures, public):
        if root and os.path.isdir(root):
            for path, _, names in sorted(os.walk(root)):
                found += [os.path.join(path, n) for n in sorted(names)
                          if n.endswith((".pcap", ".pcapng", ".cap"))]
    return found + craft.write(os.path.join(workdir, "crafted"), craft.QUICK)


def pcapng_packet_spans(data):
    """(offset, length) of the packet bytes of each EPB/SPB in a pcapng file."""
    spans, off = [], 0
    if len(data) < 12:
        return spans
    endian = "<" if data[8:12] == b"\x4d\x3c\x2b\x1a" else ">"
    while off + 12 <= len(data):
        btype, blen = struct.unpack_from(endian + "II", data, off)
        if blen < 12 or off + blen > len(data):
            break
        if btype == 6 and blen >= 32:  # enhanced packet block
            caplen = struct.unpack_from(endian + "I", data, off + 20)[0]
            spans.append((off + 28, min(caplen, blen - 32)))
        elif btype == 3 and blen >= 16:  # simple packet block
            spans.append((off + 12, blen - 16))
        off += blen
    return spans


def pcap_packet_spans(data):
    spans, off = [], 24
    if len(data) < 24:
        return spans
    endian = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    while off + 16 <= len(data):
        caplen = struct.unpack_from(endian + "I", data, off + 8)[0]
        if off + 16 + caplen > len(data):
            break
        spans.append((off + 16, caplen))
        off += 16 + caplen
    return spans


def flip_payload(src, dst, rng):
    data = bytearray(open(src, "rb").read())
    is_ng = data[:4] == b"\x0a\x0d\x0d\x0a"
    spans = pcapng_packet_spans(data) if is_ng else pcap_packet_spans(data)
    spans = [(o + 54, n - 54) for o, n in spans if n > 54]  # past Ethernet/IP/TCP headers
    if not spans:
        return False
    for _ in range(rng.randint(1, 40)):
        o, n = rng.choice(spans)
        data[o + rng.randrange(n)] ^= 1 << rng.randrange(8)
    open(dst, "wb").write(data)
    return True


def mutate(src, dst, rng):
    """Writes a mutant of src to dst; returns its description, or None."""
    kind = rng.choice(["errors", "snap", "cut", "flip"])
    ext = ".pcapng" if src.endswith(".pcapng") else ".pcap"
    dst += ext
    if kind == "errors":
        rate = rng.choice([0.005, 0.02, 0.1])
        seed = rng.randrange(1 << 30)
        ok = subprocess.run(["editcap", "-E", str(rate), "--seed", str(seed), src, dst],
                            capture_output=True).returncode == 0
        desc = f"editcap -E {rate} --seed {seed}"
    elif kind == "snap":
        snap = rng.randint(40, 200)
        ok = subprocess.run(["editcap", "-s", str(snap), src, dst],
                            capture_output=True).returncode == 0
        desc = f"editcap -s {snap}"
    elif kind == "cut":
        data = open(src, "rb").read()
        at = rng.randrange(max(len(data), 1))
        open(dst, "wb").write(data[:at])
        ok, desc = True, f"cut at byte {at}"
    else:
        ok, desc = flip_payload(src, dst, rng), "payload bytes flipped"
    if not ok:  # editcap refuses captures with embedded secrets: flip them instead
        ok, desc = flip_payload(src, dst, rng), "payload bytes flipped"
    return (dst, desc) if ok else (None, None)


def invalid_json(stdout):
    """None when every line of -T ek output is JSON in valid UTF-8, else why."""
    try:
        for line in stdout.decode("utf-8").splitlines():
            if line.strip():
                json.loads(line)
    except (UnicodeDecodeError, ValueError) as e:
        return f"invalid JSON: {str(e)[:120]}"
    return None


def failure_of(tshark, args):
    """None, or why this tshark run failed."""
    try:
        raw = tshark.run_raw(args, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return "hang"
    proc = subprocess.CompletedProcess(raw.args, raw.returncode,
                                       raw.stdout.decode("utf-8", "replace"),
                                       raw.stderr.decode("utf-8", "replace"))
    if any(m in proc.stderr for m in SANITIZER_MARKS):
        return "sanitizer report: " + next(line for line in proc.stderr.splitlines()
                                           if any(m in line for m in SANITIZER_MARKS))
    if proc.returncode < 0 or proc.returncode >= 128:
        return f"signal/abort (exit {proc.returncode})"
    if "Dissector bug, protocol Apigee" in proc.stdout:
        return "dissector bug in our protocol"
    if "ek" in args:
        return invalid_json(raw.stdout)
    return None


# What each mutant goes through; the last also proves -T ek stays valid JSON
# (the same without the plugin tells Wireshark's invalid output from ours).
RUNS = [["-2", "-V", "-z", "apigee_hs,handshakes"],
        ["-Y", "apigee_hs.outcome || apigee_hs.cause"],
        ["-2", "-T", "ek"]]


def without_ours(extra):
    """The same run for tshark without the plugin: no filter, table or preference of ours."""
    out, skip = [], False
    for i, a in enumerate(extra):
        if skip:
            skip = False
        elif a in ("-Y", "-z") or (a == "-o" and extra[i + 1].startswith("apigee_hs.")):
            skip = True
        else:
            out.append(a)
    return out


FIXTURES = os.path.join(here, "..", "apigee-config")


def damaged_export(rng, dst):
    """A copy of a fixture export with one JSON file damaged; returns its description."""
    shutil.copytree(os.path.join(FIXTURES, rng.choice(sorted(os.listdir(FIXTURES)))), dst)
    files = sorted(os.path.join(p, n) for p, _, ns in os.walk(dst) for n in ns if n.endswith(".json"))
    victim = rng.choice(files)
    data = bytearray(open(victim, "rb").read())
    how = rng.choice(["cut", "flip", "splice"])
    if how == "cut":
        data = data[:rng.randrange(max(len(data), 1))]
    elif how == "flip":
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    else:
        at = rng.randrange(len(data))
        data[at:at] = rng.choice([b"[" * 100, b"\xff\xfe", b'"', b"{}", b"null", b"1e999"])
    open(victim, "wb").write(bytes(data))
    for p, _, ns in os.walk(dst):
        os.chmod(p, 0o755)
        for n in ns:
            os.chmod(os.path.join(p, n), 0o644)
    return f"{os.path.relpath(victim, dst)} {how}"


def one_run(n, src, args, tshark, bare, workdir):
    rng = random.Random(args.seed * 1_000_003 + n)
    path, desc = mutate(src, os.path.join(workdir, f"m{n}"), rng)
    if not path:
        return n, src, "skipped", []
    staged = tshark.stage(path)
    problems, export = [], []
    if n % 4 == 0:
        folder = os.path.join(tshark.files, f"export{n}")
        desc += f"; export {damaged_export(rng, folder)}"
        export = ["-o", f"apigee_hs.apigee_config:{folder}", "-o", "apigee_hs.mp_addrs:127.0.2.10"]
    for extra in RUNS:
        extra = [*export, *extra]
        why = failure_of(tshark, ["-r", staged, *extra])
        if why:
            alone = failure_of(bare, ["-r", staged, *without_ours(extra)])
            owner = "wireshark" if alone else "plugin"
            problems.append((owner, " ".join(extra), why))
            keep = os.path.join(args.keep, os.path.basename(path)) if args.keep else None
            if keep:
                shutil.copy(path, keep)
    os.unlink(path)
    os.unlink(staged)
    if export:
        shutil.rmtree(export[1].split(":", 1)[1], ignore_errors=True)
    return n, src, desc, problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--captures", required=True)
    ap.add_argument("--public")
    ap.add_argument("--runs", type=int, default=60)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--keep", help="folder to keep the mutants that failed")
    ap.add_argument("--report", help="append the figures to this file")
    args = ap.parse_args()
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
    tshark, bare = Tshark(args.build), Tshark(args.build, with_plugin=False)
    started = time.time()
    counts = {"runs": 0, "tshark": 0, "skipped": 0, "plugin": 0, "wireshark": 0,
              "hang": 0, "signal": 0, "sanitizer": 0, "json": 0}
    ours = []
    try:
        tshark.require_plugin()
        with tempfile.TemporaryDirectory() as work:
            os.chmod(work, 0o755)
            corpus = inputs(args.captures, args.public, work)
            rng = random.Random(args.seed)
            picks = [rng.choice(corpus) for _ in range(args.runs)]
            with ThreadPoolExecutor(max_workers=args.jobs) as pool:
                jobs = [pool.submit(one_run, n, src, args, tshark, bare, work)
                        for n, src in enumerate(picks)]
                for job in jobs:
                    n, src, desc, problems = job.result()
                    if desc == "skipped":
                        counts["skipped"] += 1
                        continue
                    counts["runs"] += 1
                    counts["tshark"] += len(RUNS)
                    for owner, mode, why in problems:
                        counts[owner] += 1
                        counts["hang" if why == "hang" else
                               "sanitizer" if why.startswith("sanitizer") else
                               "json" if why.startswith("invalid JSON") else "signal"] += 1
                        line = f"{owner}: run {n} {os.path.basename(src)} ({desc}) [{mode}]: {why}"
                        print(line, flush=True)
                        if owner == "plugin":
                            ours.append(line)
    finally:
        tshark.close()
        bare.close()
    secs = time.time() - started
    summary = (f"{counts['runs']} mutants ({counts['skipped']} skipped), {counts['tshark']} tshark "
               f"runs, seed {args.seed}, {secs:.0f} s: failures ours {counts['plugin']}, "
               f"Wireshark's {counts['wireshark']} (hangs {counts['hang']}, signals "
               f"{counts['signal']}, sanitizer reports {counts['sanitizer']}, invalid JSON "
               f"{counts['json']})")
    print(summary)
    if args.report:
        with open(args.report, "a") as f:
            f.write(time.strftime("%Y-%m-%d ") + summary + "\n")
    return 1 if ours else 0


if __name__ == "__main__":
    sys.exit(main())
