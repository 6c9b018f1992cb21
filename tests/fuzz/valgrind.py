#!/usr/bin/env python3
"""Valgrind memcheck over tshark with the plugin.

    valgrind.py --build BUILD --captures DIR [--sample N]

Runs tshark -2 -V -z apigee_hs,handshakes under memcheck over the crafted
captures (tests/tools/craft.py) and N scenario captures, and counts the errors
memcheck reports whose stack passes through the plugin (apigee_hs.so).
Wireshark's own reports are counted apart; leaks are not looked for (Wireshark
does not free everything at exit). Exits 1 when any error is the plugin's.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "e2e"))
sys.path.insert(0, os.path.join(here, "..", "tools"))
from tsharkrun import Tshark  # noqa: E402
import craft  # noqa: E402


def errors(log):
    """(ours, theirs): memcheck error records, split by whether the plugin is on the stack."""
    ours = theirs = 0
    for record in re.split(r"\n==\d+== \n", log):
        if not re.search(r"Invalid (read|write|free)|uninitialised|Mismatched free|overlap",
                         record):
            continue
        if "apigee_hs.so" in record or "/core/apg_" in record or "/plugin/apg" in record:
            ours += 1
        else:
            theirs += 1
    return ours, theirs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--captures", required=True)
    ap.add_argument("--sample", type=int, default=6)
    args = ap.parse_args()
    tshark = Tshark(args.build)
    total_ours = total_theirs = runs = 0
    try:
        tshark.require_plugin()
        with tempfile.TemporaryDirectory() as work:
            scenario = sorted(os.path.join(args.captures, n) for n in os.listdir(args.captures)
                              if n.endswith(".pcapng"))[:: max(1, 60 // max(args.sample, 1))]
            inputs = craft.write(os.path.join(work, "crafted"), craft.QUICK) + scenario[:args.sample]
            for path in inputs:
                staged = tshark.stage(path)
                cmd = tshark.command(["-2", "-V", "-r", staged, "-z", "apigee_hs,handshakes"])
                at = cmd.index("tshark")
                cmd[at:at] = ["valgrind", "--error-limit=no", "--num-callers=30"]
                proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace",
                                      timeout=1800)
                ours, theirs = errors(proc.stderr)
                if "=== Apigee handshake diagnosis" not in proc.stdout:
                    ours += 1  # the plugin did not run: nothing was checked
                    print(f"{os.path.basename(path)}: no table; the plugin did not run")
                runs += 1
                total_ours += ours
                total_theirs += theirs
                print(f"{os.path.basename(path)}: exit {proc.returncode}, plugin errors {ours}, "
                      f"Wireshark's {theirs}", flush=True)
    finally:
        tshark.close()
    print(f"valgrind memcheck: {runs} captures, errors through the plugin {total_ours}, "
          f"elsewhere {total_theirs}")
    return 1 if total_ours else 0


if __name__ == "__main__":
    sys.exit(main())
