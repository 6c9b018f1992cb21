#!/usr/bin/env python3
"""The Apigee export preference in tshark, as an operator uses it.

    run_apigee.py --build BUILD --captures DIR

- verdicts unchanged: every bundled capture's per-handshake table (-z apigee_hs,csv,
  remedy aside) is the same with the fixture export edge-prod as without it;
- the fields: apigee_hs.apigee.* on the scenarios the fixtures were written for, in single
  pass and -2, filterable; "nothing matched" said when nothing did; -T ek stays JSON;
- bad exports (malformed JSON, deep nesting, a 100 MB file, a name that is not UTF-8, a
  folder that is not there): tshark exits 0, says each on stderr and in every tree
  (apigee_hs.config_problem), and the verdicts do not move;
- -z apigee_hs,config and build/apg-config-check: the fixture's findings, exit codes.
Expected values come from the fixtures (tests/apigee-config, written for the scenarios in
captures/README.md), never from the plugin's output.
"""
import argparse
import concurrent.futures
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tsharkrun import Failures, Tshark  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "apigee-config")
ROLES = ["-o", "apigee_hs.router_addrs:127.0.1.1", "-o", "apigee_hs.mp_addrs:127.0.2.10"]


def config(tshark, folder):
    path = folder if os.path.isabs(folder) else os.path.join(FIXTURES, folder)
    staged = tshark.stage_tree(path) if os.path.isdir(path) else path
    return ["-o", f"apigee_hs.apigee_config:{staged}"]


def table(tshark, capture, extra):
    """The -z apigee_hs,csv rows without the remedy column."""
    out = tshark.run(["-q", "-2", "-r", capture, *ROLES, *extra, "-z", "apigee_hs,csv"]).stdout
    rows = list(csv.reader(io.StringIO(out)))
    if not rows:
        return []
    drop = rows[0].index("remedy") if "remedy" in rows[0] else None
    return [[c for i, c in enumerate(r) if i != drop] for r in rows]


def check_unchanged(fails, tshark, captures, extra, label):
    names = sorted(f for f in os.listdir(captures) if f.endswith(".pcapng"))
    staged = [tshark.stage(os.path.join(captures, n)) for n in names]

    def both(path):
        return table(tshark, path, []), table(tshark, path, extra)

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        for name, (plain, withcfg) in zip(names, pool.map(both, staged)):
            fails.check(plain == withcfg, f"{label}: {name}: the table changed: {plain} != {withcfg}")
    return len(names)


FIELDS = ["apigee_hs.cause", "apigee_hs.apigee.target_server", "apigee_hs.apigee.virtual_host",
          "apigee_hs.apigee.environment", "apigee_hs.apigee.matched_by",
          "apigee_hs.apigee.setting", "apigee_hs.apigee.value", "apigee_hs.apigee.file"]

# (capture, fixture, product options, expected fields of the verdict frame), from the
# fixture's design: the TargetServer or virtual host written for that scenario.
MATCHES = [
    ("southbound-protocol-mismatch", "edge-prod", [],
     {"apigee_hs.apigee.target_server": "payments-ts", "apigee_hs.apigee.environment": "prod",
      "apigee_hs.apigee.matched_by": "sni_port", "apigee_hs.apigee.setting": "sSLInfo.protocols",
      "apigee_hs.apigee.value": "[TLSv1.2]",
      "apigee_hs.apigee.file": "environments/prod/targetservers/payments-ts.json"}),
    ("northbound-cipher-mismatch", "edge-prod", [],
     {"apigee_hs.apigee.virtual_host": "secure", "apigee_hs.apigee.setting": "ssl_ciphers",
      "apigee_hs.apigee.value": "ECDHE-RSA-AES256-GCM-SHA384"}),
    ("northbound-expired-node-tls12", "edge-prod", [],
     {"apigee_hs.apigee.virtual_host": "secure", "apigee_hs.apigee.setting": "sSLInfo.keyStore",
      "apigee_hs.apigee.value": "ks-router / api-cert"}),
    ("southbound-sni-missing-java", "edge-maven", [],
     {"apigee_hs.apigee.target_server": "legacy-backend", "apigee_hs.apigee.matched_by": "port",
      "apigee_hs.apigee.environment": "test", "apigee_hs.apigee.setting": "host"}),
    ("southbound-no-truststore-wrong-host-leaf-only", "x-deployed",
     ["-o", "apigee_hs.apigee_product:x"],
     {"apigee_hs.apigee.target_server": "orders", "apigee_hs.apigee.setting": "sSLInfo.enforce",
      "apigee_hs.apigee.value": "unset"}),
    ("northbound-ok", "x-apigeecli", [], {"apigee_hs.apigee.matched_by": "none",
                                          "apigee_hs.apigee.target_server": ""}),
]


def check_fields(fails, tshark, captures):
    for name, folder, product, want in MATCHES:
        capture = tshark.stage(os.path.join(captures, name + ".pcapng"))
        extra = [*ROLES, *config(tshark, folder), *product]
        for mode in ([], ["-2"]):
            rows = tshark.fields(["-r", capture, *mode, *extra, "-Y", "apigee_hs.verdict_here"],
                                 FIELDS)
            label = f"{name} [{folder}] {'-2' if mode else '1-pass'}"
            fails.check(len(rows) == 1, f"{label}: {len(rows)} verdict frames")
            for key, value in want.items():
                got = rows[0].get(key) if rows else None
                fails.check(got == value, f"{label}: {key} = {got!r}, expected {value!r}")
        who = want.get("apigee_hs.apigee.target_server") or want.get("apigee_hs.apigee.virtual_host")
        if who:
            key = "target_server" if "apigee_hs.apigee.target_server" in want else "virtual_host"
            hit = tshark.run(["-r", capture, *extra, "-Y", f'apigee_hs.apigee.{key} == "{who}"'])
            fails.check(hit.stdout.strip(), f"{name}: the filter apigee_hs.apigee.{key} selects nothing")
        ek = tshark.run(["-r", capture, "-2", *extra, "-T", "ek", "-J", "apigee_hs"]).stdout
        for line in ek.splitlines():
            try:
                json.loads(line)
            except ValueError as e:
                fails.check(False, f"{name} [{folder}]: -T ek line is not JSON: {e}")


def bad_export(root):
    os.makedirs(os.path.join(root, "environments", "prod", "targetservers"))
    ts = os.path.join(root, "environments", "prod", "targetservers")
    with open(os.path.join(ts, "broken.json"), "w") as f:
        f.write('{"name": "payments-ts", "host": ')
    with open(os.path.join(ts, "deep.json"), "w") as f:
        f.write("[" * 200000)
    with open(os.path.join(ts, "huge.json"), "wb") as f:
        f.truncate(100 << 20)  # 100 MiB, sparse
    with open(os.path.join(ts.encode(), b"bad-\xff-name.json"), "w") as f:
        f.write('{"name": "odd", "host": "backend.example.test", "port": 8443}')
    return ["broken.json: not valid JSON", "deep.json: JSON nested deeper than 64 levels",
            "huge.json: 100.0 MiB, over the 8 MiB a file may have: not read",
            "the name is not valid UTF-8"]


def check_bad_input(fails, tshark, captures, work):
    root = os.path.join(work, "bad-export")
    said = bad_export(root)
    capture = tshark.stage(os.path.join(captures, "southbound-protocol-mismatch.pcapng"))
    for folder, texts in ((root, said), ("/nonexistent/apigee", ["/nonexistent/apigee: No such file"])):
        extra = config(tshark, folder)
        proc = tshark.run(["-r", capture, *ROLES, *extra, "-Y", "apigee_hs"], check=False,
                          timeout=60)
        fails.check(proc.returncode == 0, f"bad export {folder}: tshark exited {proc.returncode}")
        for text in texts:
            fails.check(text in proc.stderr, f"bad export {folder}: stderr lacks {text!r}: "
                        f"{proc.stderr[-400:]}")
        rows = tshark.fields(["-r", capture, *ROLES, *extra, "-Y", "apigee_hs.verdict_here"],
                             ["apigee_hs.config_problem"], aggregator="|")
        fails.check(rows and all(all(t in r["apigee_hs.config_problem"] for t in texts)
                                 for r in rows), f"bad export {folder}: trees lack the problems")
        fails.check(table(tshark, capture, []) == table(tshark, capture, extra),
                    f"bad export {folder}: the verdicts moved")


def check_config_reports(fails, tshark, build, captures):
    capture = tshark.stage(os.path.join(captures, "southbound-protocol-mismatch.pcapng"))
    out = tshark.run(["-q", "-r", capture, *ROLES, *config(tshark, "edge-maven"),
                      "-z", "apigee_hs,config"]).stdout
    # the four findings written into the fixture (tests/apigee-config/edge-maven)
    for text in ["Findings: 4", "ignoreValidationErrors is true",
                 "sSLInfo.protocols [TLSv1, TLSv1.1] holds only TLS 1.0/1.1",
                 "trustStore `ts-legacy` is not among the export's keystores",
                 "clientAuthEnabled is true but no keyAlias is set",
                 "Judged at: 2026-11-30 (the capture's last frame)",
                 "Handshakes matched to it: 1 of 1"]:
        fails.check(text in out, f"-z apigee_hs,config lacks {text!r}: {out}")
    tool = os.path.join(build, "apg-config-check")
    for folder, rc, text in (("edge-maven", 1, "Findings: 4"), ("x-deployed", 0, "Findings: 0"),
                             ("edge-prod", 1, "`ks-router` alias `api-cert`"),
                             ("/nonexistent", 2, "No such file")):
        path = folder if folder.startswith("/") else os.path.join(FIXTURES, folder)
        proc = subprocess.run([tool, "--at", "2026-12-04", path], capture_output=True, text=True)
        fails.check(proc.returncode == rc, f"apg-config-check {folder}: exit {proc.returncode}, "
                    f"expected {rc}")
        fails.check(text in proc.stdout, f"apg-config-check {folder}: lacks {text!r}")


def check_install(fails, build, work):
    """cmake --install puts apg-config-check, executable, where the README says."""
    home = os.path.join(work, "home")
    proc = subprocess.run(["cmake", "--install", build], capture_output=True, text=True,
                          env={**os.environ, "HOME": home})
    tool = os.path.join(home, ".local", "bin", "apg-config-check")
    fails.check(proc.returncode == 0 and os.access(tool, os.X_OK),
                f"cmake --install: no executable {tool}: {proc.stderr[-300:]}")
    if os.access(tool, os.X_OK):
        out = subprocess.run([tool, os.path.join(FIXTURES, "x-deployed")], capture_output=True,
                             text=True)
        fails.check(out.returncode == 0 and "1 TargetServers" in out.stdout,
                    f"installed apg-config-check: {out.returncode} {out.stdout[-200:]}")


def check_training(fails, tshark, captures):
    """docs/training.md, exercise 10: each frame it names shows the remedy it quotes."""
    with open(os.path.join(HERE, "..", "..", "docs", "training.md")) as f:
        steps = re.findall(r"<!-- apigee: (\S+) (\d+) (\S+) (.+?) -->", f.read())
    fails.check(len(steps) >= 2, f"training.md: only {len(steps)} Apigee steps")
    for name, frame, folder, text in steps:
        capture = tshark.stage(os.path.join(captures, name + ".pcapng"))
        rows = tshark.fields(["-2", "-r", capture, *ROLES, *config(tshark, folder),
                              "-Y", "apigee_hs.verdict_here"], ["frame.number", "apigee_hs.remedy"])
        got = {r["frame.number"]: r["apigee_hs.remedy"] for r in rows}
        fails.check(text in got.get(frame, ""), f"training.md: {name} frame {frame} remedy "
                    f"{got} lacks {text!r}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--captures", required=True)
    args = ap.parse_args()
    tshark = Tshark(args.build)
    fails = Failures()
    work = tempfile.mkdtemp(prefix="apigee-hs-apigee.")
    try:
        tshark.require_plugin()
        n = check_unchanged(fails, tshark, args.captures, config(tshark, "edge-prod"), "edge-prod")
        fails.check(n > 80, f"only {n} captures compared")
        check_fields(fails, tshark, args.captures)
        check_bad_input(fails, tshark, args.captures, work)
        check_config_reports(fails, tshark, args.build, args.captures)
        check_training(fails, tshark, args.captures)
        check_install(fails, args.build, work)
    finally:
        tshark.close()
        shutil.rmtree(work, ignore_errors=True)
    for f in fails:
        print("FAIL:", f)
    print(f"{Failures.checks - len(fails)} passed, {len(fails)} failed")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
