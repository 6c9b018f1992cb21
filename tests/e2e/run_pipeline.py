#!/usr/bin/env python3
"""What a pipeline reads: the columns of -z apigee_hs,csv and the matching fields.

Each column is checked against a source that is not the plugin: the frames tshark's own
TLS and TCP dissectors show (time, addresses and ports of the ClientHello, the
ServerHello's cipher suite and version, the alert on the wire and who sent it), the
certificate's bytes read by Python's hashlib and by OpenSSL (fingerprint, subject,
issuer, notAfter; the plugin reads them with GnuTLS), and, for session resumption, the
rule RFC 5246 7.4.1.3 gives (the server echoes the client's session id) and RFC 8446
4.2.11 (a pre_shared_key in the ServerHello), over the public captures that resume.
The same facts are in the tree: -T fields on the verdict frame gives the same values.

Decode As, said where the user looks: TLS on a port decoded as another protocol gets an
expert entry on the stream's ClientHello frame (single pass and -2), the exact -d in the
tree, a line under -z apigee_hs,handshakes and a row of -z apigee_hs,notes; a capture with
one decoded and one undecoded stream gets it for the second only; a refused connection
(SYN answered by RST) is said as refused, never as a Decode As case; and no stream that
Wireshark decoded as TLS gets the hint (a ClientHello split over segments included).

The batch under signals: SIGINT or SIGTERM at any moment (while it asks tshark for the
columns, mid-run, near the end, twice) leaves no traceback, no tshark running, and either
no files or a CSV and JSON Lines that agree row for row.
"""
import argparse
import csv
import datetime
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tsharkrun import Failures, Tshark  # noqa: E402

# Captures whose columns are checked: TLS 1.2 and 1.3, alerts from either side,
# certificates, ALPN, no ServerHello, IPv4 only (the public set brings IPv6).
CAPTURES = ["tls12-ok", "northbound-ok", "southbound-sni-missing-java", "southbound-expired-leaf",
            "northbound-expired-node-tls12", "southbound-alpn-h2-only-node",
            "southbound-protocol-mismatch", "server-reset", "gnutls-ok",
            "mtls-rejected-client-cert"]
# Public captures with resumed sessions (TLS 1.2 session ids, TLS 1.3 PSK) and IPv6.
PUBLIC = ["zeek/tls13_psk_succesfull.pcap", "zeek/tls-13draft19-early-data.pcap",
          "ndpi/http_ipv6.pcap", "suricata-verify/tls-duplicate-hello/input.pcap"]


def csv_table(tshark, capture, extra=()):
    text = tshark.run(["-2", "-q", "-r", capture, *extra, "-z", "apigee_hs,csv"]).stdout
    return list(csv.DictReader(text[text.index("stream,hs,"):].splitlines(keepends=True)))


def wire(tshark, capture, filt, fields):
    """tshark's own fields, one dict per frame, without the plugin's help."""
    args = ["-2", "-r", capture, "-Y", filt, "-T", "fields", "-E", "separator=/t",
            "-E", "occurrence=a", "-E", "aggregator=,"]
    for f in fields:
        args += ["-e", f]
    return [dict(zip(fields, ln.split("\t"))) for ln in tshark.run(args).stdout.splitlines()]


def first_per_stream(frames):
    out = {}
    for f in frames:
        out.setdefault(int(f["tcp.stream"]), f)
    return out


def suite_names(tshark, capture):
    """{stream: suite name} as the TLS dissector names the ServerHello's suite in -V."""
    text = tshark.run(["-2", "-r", capture, "-Y", "tls.handshake.type == 2", "-V",
                       "-o", "gui.column.format:\"No.\",\"%m\""]).stdout
    names, stream, layer = {}, None, ""
    for ln in text.splitlines():
        if ln and not ln[0].isspace():
            layer = ln  # 4.6 gives IP and TLS their own "[Stream index: N]" lines too
        m = re.search(r"\[Stream index: (\d+)\]", ln)
        if m and layer.startswith("Transmission Control Protocol"):
            stream = int(m.group(1))
        m = re.search(r"Cipher Suite: (TLS_\w+|SSL_\w+) \(0x", ln)
        if m and stream is not None:
            names.setdefault(stream, m.group(1))
    return names


def openssl_facts(der):
    """(subject, issuer, notAfter ISO) as OpenSSL reads the certificate (RFC 2253 names)."""
    out = subprocess.run(["openssl", "x509", "-inform", "DER", "-noout", "-subject", "-issuer",
                          "-enddate", "-nameopt", "RFC2253"], input=der, capture_output=True,
                         check=True).stdout.decode()
    facts = dict(ln.split("=", 1) for ln in out.splitlines())
    end = datetime.datetime.strptime(facts["notAfter"], "%b %d %H:%M:%S %Y GMT")
    return facts["subject"], facts["issuer"], end.strftime("%Y-%m-%dT%H:%M:%SZ")


def iso(epoch):
    secs, _, frac = epoch.partition(".")
    day = datetime.datetime.fromtimestamp(int(secs), datetime.timezone.utc)
    return day.strftime("%Y-%m-%dT%H:%M:%S") + f".{(frac + '000000')[:6]}Z"


def check_hello_columns(fails, label, row, ch):
    where = f"{label} stream {row['stream']}"
    ts = ch["frame.time_epoch"]
    fails.check(abs(float(row["ts"]) - float(ts)) < 1e-6, f"{where}: ts {row['ts']} != {ts}")
    fails.check(row["timestamp"] == iso(ts), f"{where}: timestamp {row['timestamp']} != {iso(ts)}")
    src = ch["ip.src"] or ch["ipv6.src"]
    dst = ch["ip.dst"] or ch["ipv6.dst"]
    got = (row["client_ip"], row["client_port"], row["server_ip"], row["server_port"])
    want = (src, ch["tcp.srcport"], dst, ch["tcp.dstport"])
    fails.check(got == want, f"{where}: endpoints {got} != the ClientHello's {want}")
    sni = ch["tls.handshake.extensions_server_name"]
    fails.check(row["sni"] == sni, f"{where}: sni {row['sni']!r} != {sni!r}")
    alpn = ch["tls.handshake.extensions_alpn_str"]
    fails.check(row["alpn_offered"] == alpn, f"{where}: alpn_offered {row['alpn_offered']!r} != {alpn!r}")


def check_answer_columns(fails, label, row, sh, suite):
    where = f"{label} stream {row['stream']}"
    if sh is None:
        fails.check(row["cipher"] == row["version"] == row["resumed"] == "",
                    f"{where}: no ServerHello, yet cipher/version/resumed {row['cipher']}/"
                    f"{row['version']}/{row['resumed']}")
        return
    fails.check(row["cipher"] == suite, f"{where}: cipher {row['cipher']} != {suite}")
    sv = sh["tls.handshake.extensions.supported_version"] or sh["tls.handshake.version"]
    sv = "0x0304" if sv.startswith("0x7f") else sv  # TLS 1.3 drafts, read as TLS 1.3
    version = {"0x0304": "TLSv1.3", "0x0303": "TLSv1.2", "0x0302": "TLSv1.1",
               "0x0301": "TLSv1.0", "0x0300": "SSLv3"}.get(sv)
    fails.check(row["version"] == version, f"{where}: version {row['version']} != {version}")


def check_cert_columns(fails, label, row, cert_hex):
    where = f"{label} stream {row['stream']}"
    if not cert_hex:
        fails.check(row["leaf_sha256"] == row["leaf_subject"] == "",
                    f"{where}: no Certificate on the wire, yet {row['leaf_sha256']}")
        return
    der = bytes.fromhex(cert_hex.split(",")[0].replace(":", ""))
    sha = hashlib.sha256(der).hexdigest()
    fails.check(row["leaf_sha256"] == sha, f"{where}: leaf_sha256 {row['leaf_sha256']} != {sha}")
    subject, issuer, not_after = openssl_facts(der)
    got = (row["leaf_subject"], row["leaf_issuer"], row["leaf_not_after"])
    fails.check(got == (subject, issuer, not_after),
                f"{where}: leaf {got} != OpenSSL's {(subject, issuer, not_after)}")


def check_alert_columns(fails, label, row, alerts):
    """The alert the plugin names is on the wire, from the side it names."""
    where = f"{label} stream {row['stream']}"
    if not row["alert_desc"] or row["alert_desc"] == "encrypted":
        return
    server = (row["server_ip"], row["server_port"])
    seen = {("server" if (a["ip.src"] or a["ipv6.src"], a["tcp.srcport"]) == server else "client",
             d) for a in alerts for d in a["tls.alert_message.desc"].split(",")}
    names = {"40": "handshake_failure", "42": "bad_certificate", "45": "certificate_expired",
             "46": "certificate_unknown", "48": "unknown_ca", "70": "protocol_version",
             "112": "unrecognized_name", "120": "no_application_protocol", "116": "certificate_required",
             "0": "close_notify", "10": "unexpected_message", "47": "illegal_parameter",
             "80": "internal_error", "71": "insufficient_security", "49": "access_denied",
             "51": "decrypt_error", "50": "decode_error", "43": "unsupported_certificate"}
    named = {(s, names.get(d, d)) for s, d in seen}
    fails.check((row["alert_sender"], row["alert_desc"]) in named,
                f"{where}: alert {row['alert_sender']}:{row['alert_desc']} not on the wire {named}")
    fails.check(row["alert_level"] in ("fatal", "warning"), f"{where}: level {row['alert_level']}")


HELLO = ["tcp.stream", "frame.time_epoch", "ip.src", "ipv6.src", "ip.dst", "ipv6.dst",
         "tcp.srcport", "tcp.dstport", "tls.handshake.extensions_server_name",
         "tls.handshake.extensions_alpn_str"]


def check_capture(fails, tshark, capture, label):
    rows = csv_table(tshark, capture)
    hellos = first_per_stream(wire(tshark, capture, "tls.handshake.type == 1", HELLO))
    answers = first_per_stream(wire(tshark, capture, "tls.handshake.type == 2",
                                    ["tcp.stream", "tls.handshake.version",
                                     "tls.handshake.extensions.supported_version"]))
    certs = first_per_stream(wire(tshark, capture, "tls.handshake.certificate",
                                  ["tcp.stream", "tls.handshake.certificate"]))
    alerts = wire(tshark, capture, "tls.alert_message.desc",
                  ["tcp.stream", "ip.src", "ipv6.src", "tcp.srcport", "tls.alert_message.desc"])
    suites = suite_names(tshark, capture)
    checked = 0
    for row in rows:
        stream = int(row["stream"])
        if row["hs"] != "0" or stream not in hellos:
            continue
        checked += 1
        check_hello_columns(fails, label, row, hellos[stream])
        check_answer_columns(fails, label, row, answers.get(stream), suites.get(stream))
        check_cert_columns(fails, label, row, certs.get(stream, {}).get("tls.handshake.certificate"))
        check_alert_columns(fails, label, row,
                            [a for a in alerts if int(a["tcp.stream"]) == stream])
        fails.check(row["capture"] == capture, f"{label}: capture {row['capture']} != {capture}")
    fails.check(checked > 0, f"{label}: no handshake with its ClientHello checked")
    check_tree_fields(fails, tshark, capture, label, rows)
    return checked


def check_tree_fields(fails, tshark, capture, label, rows):
    """-T fields on the verdict frames gives what the CSV gives."""
    fields = ["apigee_hs.stream", "apigee_hs.index", "apigee_hs.start_time", "apigee_hs.client_ip",
              "apigee_hs.client_ipv6", "apigee_hs.client_port", "apigee_hs.server_port",
              "apigee_hs.resumed", "apigee_hs.cert.sha256"]
    got = wire(tshark, capture, "apigee_hs.verdict_here", fields)
    for r in rows:
        tree = [g for g in got if (g["apigee_hs.stream"], g["apigee_hs.index"]) == (r["stream"], r["hs"])]
        if not fails.check(len(tree) == 1, f"{label} stream {r['stream']}: {len(tree)} verdict frames"):
            continue
        t = tree[0]
        want = (r["client_ip"], r["client_port"], r["server_port"], r["leaf_sha256"],
                {"true": "1", "false": "0", "": ""}[r["resumed"]])
        have = (t["apigee_hs.client_ip"] or t["apigee_hs.client_ipv6"], t["apigee_hs.client_port"],
                t["apigee_hs.server_port"], t["apigee_hs.cert.sha256"], t["apigee_hs.resumed"])
        fails.check(have[:4] == want[:4] and have[4] in (want[4], {"1": "True", "0": "False", "": ""}[want[4]]),
                    f"{label} stream {r['stream']}: tree {have} != CSV {want}")


EVIDENCE_CAPTURES = ["gnutls-client-expired-leaf", "java-backend-expired-cert",
                     "hostname-mismatch-without-client-hello", "gnutls-server-hostname-mismatch",
                     "southbound-sni-missing-java"]


def check_evidence_order(fails, tshark, captures):
    """apigee_hs.evidence_frame lists the frames in the order the summary cites them."""
    for name in EVIDENCE_CAPTURES:
        path = tshark.stage(os.path.join(captures, name + ".pcapng"))
        for r in tshark.fields(["-2", "-r", path, "-Y", "apigee_hs.verdict_here"],
                               ["apigee_hs.evidence_frame", "apigee_hs.summary"]):
            frames = [int(x) for x in r["apigee_hs.evidence_frame"].split(",") if x]
            text = r["apigee_hs.summary"]
            cited = []
            for f in frames:
                at = [m.start() for m in re.finditer(rf"(?<!\d){f}(?!\d)", text)
                      if "frame" in text[max(0, m.start() - 24):m.start()]]
                cited.append(at[0] if at else len(text))
            fails.check(cited == sorted(cited) and len(frames) >= 1,
                        f"{name}: evidence frames {frames} not in the summary's order: {text}")


def check_operator_prefs(fails, tshark, captures):
    """Preferences filled from what an operator has: the Router's ssl_ciphers in OpenSSL
    names settle a cipher mismatch (nginx allowed ECDHE-RSA-AES256-GCM-SHA384 only,
    captures/generate.sh); expected_hosts' default and per-address entries name the
    host a client without SNI meant."""
    nb = tshark.stage(os.path.join(captures, "northbound-cipher-mismatch.pcapng"))
    for suites in ("127.0.1.1:9443=ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                   "127.0.1.1:9443=0xc030"):
        row = csv_table(tshark, nb, ["-o", f"apigee_hs.server_suites:{suites}"])[0]
        fails.check((row["cause"], row["conf"]) == ("cipher_mismatch", "certain"),
                    f"server_suites {suites}: {row['cause']} {row['conf']}")
    sb = tshark.stage(os.path.join(captures, "southbound-sni-missing-default-cert.pcapng"))
    for hosts, want in (("backend.example.test", "backend.example.test"),
                        ("*=backend.example.test", "backend.example.test"),
                        ("127.0.2.1=api.example.test backend.example.test", "api.example.test"),
                        ("127.0.2.1:8443=x.example.test 127.0.2.1=api.example.test", "x.example.test")):
        got = {r["apigee_hs.cert.checked_name"] for r in tshark.fields(
            ["-2", "-r", sb, "-o", f"apigee_hs.expected_hosts:{hosts}", "-Y", "apigee_hs.verdict_here"],
            ["apigee_hs.cert.checked_name"])}
        fails.check(got == {want}, f"expected_hosts {hosts!r}: checked {got}, want {want}")


def simple_table(tshark, capture, arg):
    """Rows of a tshark simple stat table (-z apigee_hs,table): lists of cells."""
    out = tshark.run(["-2", "-q", "-r", capture, "-z", arg]).stdout
    return [[c.strip() for c in ln.split("|")[:-1]] for ln in out.splitlines()
            if re.match(r"^\d+ \|", ln)]


def check_handshake_table(fails, tshark, captures):
    """The Statistics menu's handshake table (stat_tap_table_ui, printed by tshark as
    -z apigee_hs,table): a row per handshake with the CSV's facts; its filter works."""
    for name in ("many-conversations", "southbound-sni-missing-java", "northbound-ok"):
        path = tshark.stage(os.path.join(captures, name + ".pcapng"))
        rows = csv_table(tshark, path, ["-o", "apigee_hs.router_addrs:127.0.1.1",
                                        "-o", "apigee_hs.mp_addrs:127.0.2.10"])
        want = sorted((r["decided"] if r["decided"] != "0" else "", r["client_ip"] + ":" + r["client_port"],
                       r["server_ip"] + ":" + r["server_port"], r["sni"], r["outcome"], r["cause"],
                       r["conf"], r["direction"], r["stage"], r["alert_sender"]) for r in rows)
        out = tshark.run(["-2", "-q", "-r", path, "-o", "apigee_hs.router_addrs:127.0.1.1",
                          "-o", "apigee_hs.mp_addrs:127.0.2.10", "-z", "apigee_hs,table"]).stdout
        got = [[c.strip() for c in ln.split("|")[:-1]] for ln in out.splitlines()
               if re.match(r"^\d+ \|", ln)]
        fails.check(len(got) == len(rows) and all(len(g) == 12 for g in got),
                    f"{name}: {len(got)} table rows for {len(rows)} handshakes")
        have = sorted((g[0], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10]) for g in got)
        # the table's first column is the verdict frame, the CSV's decided frame is the
        # event that settled it: the same unless only the capture's end did
        fails.check([h[1:] for h in have] == [w[1:] for w in want],
                    f"{name}: table {have[:2]} != CSV {want[:2]}")
        failed = [g for g in got if g[5] == "failed"]
        only = simple_table(tshark, path, "apigee_hs,table,apigee_hs.outcome == failed")
        fails.check(len(only) == len(failed) and all(g[5] == "failed" for g in only),
                    f"{name}: the filtered table has {len(only)} rows, {len(failed)} failed")


def resumed_by_rfc(tshark, capture):
    """{stream: True/False} by the RFCs' own signs: TLS 1.3 pre_shared_key (41) in the
    ServerHello; earlier versions, the ServerHello echoing a non-empty session id."""
    client = first_per_stream(wire(tshark, capture, "tls.handshake.type == 1",
                                   ["tcp.stream", "tls.handshake.session_id"]))
    out = {}
    for sh in wire(tshark, capture, "tls.handshake.type == 2",
                   ["tcp.stream", "tls.handshake.session_id", "tls.handshake.extension.type",
                    "tls.handshake.extensions.supported_version", "tls.handshake.version"]):
        stream = int(sh["tcp.stream"])
        if stream in out or stream not in client:
            continue
        sv = sh["tls.handshake.extensions.supported_version"] or sh["tls.handshake.version"]
        if sv == "0x0304" or sv.startswith("0x7f"):
            out[stream] = "41" in sh["tls.handshake.extension.type"].split(",")
        else:
            sid = client[stream]["tls.handshake.session_id"]
            out[stream] = bool(sid) and sid == sh["tls.handshake.session_id"]
    return out


def check_resumption(fails, tshark, capture, label):
    rows = {int(r["stream"]): r for r in csv_table(tshark, capture) if r["hs"] == "0"}
    by_rfc = resumed_by_rfc(tshark, capture)
    for stream, want in by_rfc.items():
        got = rows.get(stream, {}).get("resumed")
        fails.check(got == ("true" if want else "false"),
                    f"{label} stream {stream}: resumed {got}, the RFC's sign says {want}")
    return sum(by_rfc.values())


def client_hello_frames(tshark, capture):
    """{stream: frame} of each stream's first ClientHello, as TLS decodes it normally."""
    return {int(s): int(f) for s, f in
            (ln.split("\t") for ln in tshark.run(
                ["-r", capture, "-Y", "tls.handshake.type == 1", "-T", "fields", "-e",
                 "tcp.stream", "-e", "frame.number"]).stdout.split("\n") if ln)}


def check_decode_as(fails, tshark, captures, work):
    tls12 = tshark.stage(os.path.join(captures, "tls12-ok.pcapng"))
    hello = min(client_hello_frames(tshark, tls12).values())
    hide = ["-d", "tcp.port==8443,http"]
    for two_pass in ([], ["-2"]):
        mode = "-2" if two_pass else "1-pass"
        got = wire_raw(tshark, [*two_pass, "-r", tls12, *hide, "-Y", "apigee_hs.expert.undecoded_tls",
                                "-T", "fields", "-e", "frame.number", "-e", "apigee_hs.decode_as",
                                "-e", "apigee_hs.undecoded_port"])
        fails.check(got == [[str(hello), "tcp.port==8443,tls", "8443"]],
                    f"Decode As {mode}: expert entries {got}, want frame {hello} port 8443")
    text = tshark.run(["-q", "-r", tls12, *hide, "-z", "apigee_hs,handshakes"]).stdout
    fails.check("Decode As:" in text and "tshark -d tcp.port==8443,tls" in text,
                f"-z handshakes names no Decode As for 8443: {text[-300:]}")
    notes = tshark.run(["-q", "-r", tls12, *hide, "-z", "apigee_hs,notes"]).stdout
    rows = list(csv.DictReader(notes[notes.index("note,"):].splitlines()))
    fails.check([(r["note"], r["frame"], r["server_port"]) for r in rows] ==
                [("undecoded_tls", str(hello), "8443")], f"-z notes: {rows}")
    # one decoded (the Router's 9443) and one undecoded stream (8443) in one file
    merged = os.path.join(work, "merged.pcapng")
    subprocess.run(["mergecap", "-w", merged, tls12,
                    os.path.join(captures, "northbound-ok.pcapng")], check=True)
    os.chmod(merged, 0o644)
    text = tshark.run(["-q", "-r", merged, *hide, "-z", "apigee_hs,handshakes"]).stdout
    fails.check("tcp.port==8443,tls" in text and "tcp.port==9443" not in text and
                "=== 1 handshake ===" in text, f"merged capture: {text[-500:]}")
    refused = tshark.stage(os.path.join(captures, "server-not-listening.pcapng"))
    text = tshark.run(["-q", "-r", refused, "-z", "apigee_hs,handshakes"]).stdout
    fails.check("Refused: connection to 127.0.2.1:8443 refused" in text and "Decode As" not in text,
                f"a refused connection is not said as refused: {text[-400:]}")
    # ClientHellos over many segments and in one-byte segments (tests/tools/craft.py)
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
    import craft  # noqa: E402
    for path in craft.write(work, ["sni-64k", "one-byte-segments", "client-hello-fragmented"]):
        os.chmod(path, 0o644)
        for two_pass in ([], ["-2"]):
            out = tshark.run([*two_pass, "-q", "-r", path, "-z", "apigee_hs,notes"]).stdout
            fails.check("undecoded_tls" not in out and out.count("\n") == 1,
                        f"{os.path.basename(path)}: a split ClientHello taken for undecoded TLS: {out}")
    for name in ("out-of-order-server-flight", "many-conversations", "northbound-chromium-untrusted-root"):
        path = tshark.stage(os.path.join(captures, name + ".pcapng"))
        for two_pass in ([], ["-2"]):
            out = tshark.run([*two_pass, "-q", "-r", path, "-z", "apigee_hs,notes"]).stdout
            fails.check("undecoded_tls" not in out, f"{name}: a Decode As hint where TLS was decoded")


BATCH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "apg-batch")


def batch(args, cwd, **kw):
    return subprocess.run([BATCH, "--quiet", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=900, **kw)


def read_report(prefix):
    with open(prefix + ".csv", newline="") as f:
        rows = list(csv.DictReader(f))
    with open(prefix + ".jsonl") as f:
        lines = [json.loads(ln) for ln in f]
    return rows, lines


def check_batch_notes(fails, tshark, captures, work):
    """Key logs beside captures, Decode As, refused connections: a row for each."""
    folder = os.path.join(work, "day")
    os.makedirs(folder)
    for n in ("tls12-ok", "server-not-listening", "northbound-expired-node-tls13"):
        shutil.copy(os.path.join(captures, n + ".pcapng"), folder)
    shutil.copy(os.path.join(captures, "northbound-expired-node-tls13.keys"),
                os.path.join(folder, "northbound-expired-node-tls13.keys.txt"))
    proc = batch(["-w", "day", "-d", "tcp.port==8443,http", "day"], work)
    fails.check(proc.returncode == 0, f"apg-batch day: exit {proc.returncode}: {proc.stderr}")
    rows, lines = read_report(os.path.join(work, "day"))
    fails.check(len(rows) == len(lines), f"day: CSV {len(rows)} rows, JSON Lines {len(lines)}")
    by = {(os.path.basename(r["capture"]), r["note"]): r for r in rows}
    u = by.get(("tls12-ok.pcapng", "undecoded_tls"), {})
    fails.check("tcp.port==8443,tls" in u.get("summary", "") and u.get("server_port") == "8443",
                f"day: no undecoded_tls row naming the Decode As: {u}")
    r = by.get(("server-not-listening.pcapng", "refused"), {})
    fails.check("refused" in r.get("summary", "") and r.get("server_ip") == "127.0.2.1",
                f"day: no refused row: {r}")
    # the key log beside the capture decrypts its alert, as tshark -o tls.keylog_file does
    keys = tshark.stage(os.path.join(captures, "northbound-expired-node-tls13.keys"))
    want = csv_table(tshark, tshark.stage(os.path.join(captures, "northbound-expired-node-tls13.pcapng")),
                     ["-o", f"tls.keylog_file:{keys}"])[0]
    got = by.get(("northbound-expired-node-tls13.pcapng", ""), {})
    fact = ("cause", "conf", "leaf_sha256")
    fails.check(want["leaf_sha256"] != "" and all(got.get(k) == want[k] for k in fact),
                f"day: the key log beside the capture was not used: {[got.get(k) for k in fact]} "
                f"!= {[want[k] for k in fact]}")
    fails.check(all(isinstance(ln["stream"], int) for ln in lines if ln["stream"] != ""),
                "day: JSON Lines streams are not numbers")


def wait_for_state(path, lines, proc, limit=120):
    for _ in range(limit * 20):
        try:
            with open(path) as f:
                if f.read().count("\n") > lines:
                    return True
        except FileNotFoundError:
            pass
        if proc.poll() is not None:
            return False
        time.sleep(0.05)
    return False


def check_batch_interrupted(fails, captures, work):
    """SIGINT and SIGTERM mid-run: the finished captures kept whole, both files agreeing,
    no tshark left running, the exit status and message; the same command resumes to what
    an uninterrupted run writes."""
    folder = os.path.join(work, "many")
    for i in range(16):
        os.makedirs(os.path.join(folder, f"c{i:02}"))
        shutil.copy(os.path.join(captures, "many-conversations.pcapng"), os.path.join(folder, f"c{i:02}"))
    full = batch(["-j", "2", "-w", "full", "many"], work)
    fails.check(full.returncode == 0, f"uninterrupted batch: {full.stderr}")
    want = sorted(json.dumps(r, sort_keys=True) for r in read_report(os.path.join(work, "full"))[0])
    per_capture = len(want) // 16
    for sig, code in ((signal.SIGINT, 130), (signal.SIGTERM, 143)):
        prefix = os.path.join(work, f"cut{int(sig)}")
        proc = subprocess.Popen([BATCH, "--quiet", "-j", "2", "-w", prefix, "many"], cwd=work,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if not fails.check(wait_for_state(prefix + ".batch-state", 2, proc),
                           f"{sig.name}: the batch finished or wrote nothing before the signal"):
            proc.kill()
            continue
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=120)
        fails.check(proc.returncode == code, f"{sig.name}: exit {proc.returncode}, want {code}")
        m = re.search(r"interrupted after (\d+) of 16 captures", err)
        fails.check(m is not None and 0 < int(m.group(1)) < 16, f"{sig.name}: {err[-300:]}")
        left = subprocess.run(["pgrep", "-f", prefix.replace("/cut", "/")], capture_output=True, text=True)
        stray = subprocess.run(["pgrep", "-af", "many/c[0-9]"], capture_output=True, text=True).stdout
        fails.check(not stray.strip(), f"{sig.name}: tshark still running: {stray}")
        del left
        rows, lines = read_report(prefix)
        fails.check(len(rows) == len(lines), f"{sig.name}: CSV {len(rows)}, JSON Lines {len(lines)}")
        counts = {}
        for r in rows:
            counts[r["capture"]] = counts.get(r["capture"], 0) + 1
        fails.check(m is not None and len(counts) == int(m.group(1)) and
                    set(counts.values()) == {per_capture},
                    f"{sig.name}: rows per capture {counts} (want {per_capture} each)")
        again = batch(["-j", "2", "-w", prefix, "many"], work)
        fails.check(again.returncode == 0 and "resuming" in again.stderr,
                    f"{sig.name}: resume: {again.returncode} {again.stderr}")
        got = sorted(json.dumps(r, sort_keys=True) for r in read_report(prefix)[0])
        fails.check(got == want, f"{sig.name}: resumed report differs from the uninterrupted one")
        fails.check(not os.path.exists(prefix + ".batch-state"), f"{sig.name}: state left")


def handlers_installed(proc):
    """True once the batch catches SIGTERM (its own handler, after Python's start-up)."""
    try:
        with open(f"/proc/{proc.pid}/status") as f:
            caught = next(ln for ln in f if ln.startswith("SigCgt:"))
        return int(caught.split()[1], 16) & (1 << (signal.SIGTERM - 1)) != 0
    except (FileNotFoundError, StopIteration):
        return False


def running(pattern):
    return subprocess.run(["pgrep", "-f", pattern], capture_output=True).returncode == 0


def signal_at(work, prefix, sig, moment):
    """Starts the batch on the folder `few`, signals it at `moment` (a delay in seconds
    once its handlers are in, or "columns": while it runs tshark for the table's columns;
    "twice": two SIGINTs), returns (exit, stderr)."""
    proc = subprocess.Popen([BATCH, "--quiet", "-j", "2", "-w", prefix, "few"], cwd=work,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not handlers_installed(proc) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    if moment == "columns":
        while (not running("apg-batch.*empty.pcap") and proc.poll() is None
               and time.monotonic() < deadline):
            time.sleep(0.002)
    else:
        time.sleep(0 if moment == "twice" else moment)
    proc.send_signal(sig)
    if moment == "twice":
        time.sleep(0.05)
        proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    return proc.returncode, err


def check_batch_signal_any_moment(fails, captures, work):
    """A signal at any moment of a run (the column run, the first captures, the end, the
    final write, twice): no traceback, the exit status of the signal or of a finished run,
    the two files agreeing row for row or not written at all, no tshark left running."""
    folder = os.path.join(work, "few")
    os.makedirs(folder)
    for i in range(4):
        shutil.copy(os.path.join(captures, "many-conversations.pcapng"),
                    os.path.join(folder, f"f{i}.pcapng"))
    moments = [("columns", signal.SIGINT), ("columns", signal.SIGTERM), ("twice", signal.SIGINT),
               (0.3, signal.SIGTERM), (0.5, signal.SIGINT), (0.7, signal.SIGTERM),
               (0.9, signal.SIGINT), (1.2, signal.SIGTERM)]
    for k, (moment, sig) in enumerate(moments):
        label = f"{sig.name} at {moment}"
        prefix = os.path.join(work, f"moment{k}")
        code, err = signal_at(work, prefix, sig, moment)
        fails.check("Traceback" not in err, f"{label}: {err[-400:]}")
        fails.check(code in (0, 128 + sig), f"{label}: exit {code}: {err[-300:]}")
        fails.check(code == 0 or "interrupted" in err, f"{label}: exit {code} without saying so")
        stray = subprocess.run(["pgrep", "-af", "few/f[0-9]|apg-batch.*empty.pcap"],
                               capture_output=True, text=True).stdout
        fails.check(not stray.strip(), f"{label}: tshark still running: {stray}")
        written = [os.path.exists(f"{prefix}.{ext}") for ext in ("csv", "jsonl")]
        fails.check(written[0] == written[1], f"{label}: only one of the two files: {written}")
        if all(written):
            rows, lines = read_report(prefix)
            fails.check(len(rows) == len(lines), f"{label}: CSV {len(rows)}, JSON Lines {len(lines)}")
        if moment == "columns":
            fails.check(not any(written) and "before the first of 4 captures" in err,
                        f"{label}: {written} {err[-300:]}")


def check_duplicate_plugin_quiet(fails, build, captures, work):
    """With the plugin also installed in the personal folder, scripts/apg-tshark run by a
    user says nothing of it (the build's copy is loaded)."""
    if os.geteuid() != 0:
        print("SKIP: the duplicate-plugin check runs as root (it makes a user's home)")
        return
    home = os.path.join(work, "home")
    sos = [os.path.join(d, f) for d, _, fs in os.walk(os.path.join(build, "plugins")) for f in fs
           if f == "apigee_hs.so"]
    minor = os.path.basename(os.path.dirname(os.path.dirname(sos[0])))
    personal = os.path.join(home, ".local", "lib", "wireshark", "plugins", minor, "epan")
    os.makedirs(personal)
    shutil.copy(sos[0], personal)
    capture = os.path.join(work, "tls12-ok.pcapng")
    shutil.copy(os.path.join(captures, "tls12-ok.pcapng"), capture)
    for top, dirs, files in os.walk(work):
        os.chmod(top, 0o755)
        for f in files:
            os.chmod(os.path.join(top, f), 0o644)
    os.chown(home, 65534, 65534)
    wrapper = os.path.join(os.path.dirname(BATCH), "apg-tshark")
    probe = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "test",
                            "-r", sos[0]], capture_output=True)
    if probe.returncode != 0:
        print("SKIP: the build is not readable by an unprivileged user here")
        return
    proc = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env",
                           f"HOME={home}", f"PATH={os.environ['PATH']}", wrapper, "-r", capture,
                           "-c", "1"], capture_output=True, text=True, cwd=work, timeout=120)
    fails.check(proc.returncode == 0 and "multiple directories" not in proc.stderr,
                f"apg-tshark with the plugin installed too: {proc.returncode} {proc.stderr}")


def free_port():
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def check_live_capture(fails, tshark, work):
    """scripts/apg-tshark -i lo as root: dumpcap captures, the unprivileged tshark reads
    the pipe; each verdict on its frame as it happens, the table when Ctrl-C ends it. The
    peers: OpenSSL's s_server allows TLS 1.3 only, its s_client offers TLS 1.2 at most."""
    if os.geteuid() != 0:
        print("SKIP: live capture through scripts/apg-tshark as root needs root")
        return
    port = free_port()
    live = os.path.join(work, "live")
    os.makedirs(live)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "k.pem", "-out", "c.pem",
                    "-days", "2", "-subj", "/CN=live.example.test"], cwd=live, check=True,
                   capture_output=True)
    server = subprocess.Popen(["openssl", "s_server", "-accept", str(port), "-cert", "c.pem",
                               "-key", "k.pem", "-tls1_3", "-quiet"], cwd=live,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wrapper = os.path.join(os.path.dirname(BATCH), "apg-tshark")
    cap = subprocess.Popen([wrapper, "-i", "lo", "-f", f"tcp port {port}", "-l", "-n",
                            "-Y", "apigee_hs.verdict_here", "-T", "fields", "-e", "frame.number",
                            "-e", "apigee_hs.cause", "-e", "apigee_hs.confidence",
                            "-z", "apigee_hs,handshakes"], cwd=live, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        time.sleep(3)  # dumpcap is listening
        client = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{port}",
                                 "-tls1_2", "-servername", "live.example.test"], input="",
                                capture_output=True, text=True, timeout=30)
        fails.check("alert protocol version" in client.stdout + client.stderr,
                    f"live: the client did not log the server's protocol_version: {client.stderr[-300:]}")
        time.sleep(2)
        os.killpg(cap.pid, signal.SIGINT)  # Ctrl-C at the terminal
        out, err = cap.communicate(timeout=60)
    finally:
        server.kill()
        if cap.poll() is None:
            os.killpg(cap.pid, signal.SIGKILL)
    lines = [ln.split("\t") for ln in out.splitlines() if re.match(r"^\d+\t", ln)]
    named = [[tshark.named("apigee_hs.cause", ln[1], ","),
              tshark.named("apigee_hs.confidence", ln[2], ",")] for ln in lines if len(ln) == 3]
    fails.check(named == [["protocol_mismatch", "certain"]], f"live: verdict lines {lines}")
    fails.check("protocol_mismatch" in out and "=== 1 handshake ===" in out,
                f"live: no table after Ctrl-C: {out[-600:]} {err[-300:]}")
    fails.check("You do not have permission" not in err, f"live: {err[-300:]}")


def wire_raw(tshark, args):
    return [ln.split("\t") for ln in tshark.run(args).stdout.splitlines() if ln]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--captures", required=True)
    ap.add_argument("--public", required=True)
    args = ap.parse_args()
    tshark = Tshark(args.build)
    fails = Failures()
    try:
        tshark.require_plugin()
        checked = sum(check_capture(fails, tshark, tshark.stage(os.path.join(args.captures, n + ".pcapng")), n)
                      for n in CAPTURES)
        fails.check(checked >= len(CAPTURES), f"only {checked} handshakes checked")
        check_evidence_order(fails, tshark, args.captures)
        check_operator_prefs(fails, tshark, args.captures)
        check_handshake_table(fails, tshark, args.captures)
        public = [p for p in PUBLIC if os.path.exists(os.path.join(args.public, p))]
        if len(public) < len(PUBLIC):
            print(f"SKIP: public captures not found under {args.public}: the resumption and IPv6 "
                  "columns are checked on the bundled captures only")
        resumed = 0
        for p in public:
            staged = tshark.stage_as(os.path.join(args.public, p))
            check_capture(fails, tshark, staged, p)
            resumed += check_resumption(fails, tshark, staged, p)
        if public:
            fails.check(resumed >= 2, f"only {resumed} resumed sessions seen: resumption untested")
            kyber = os.path.join(args.public, "zeek/chrome-1250-tls-x25519-kyber.pcap")
            if os.path.exists(kyber):  # a ClientHello over two segments
                out = tshark.run(["-q", "-r", tshark.stage_as(kyber), "-z", "apigee_hs,notes"]).stdout
                fails.check("undecoded_tls" not in out, "a split ClientHello taken for undecoded TLS")
        work = tempfile.mkdtemp(prefix="apigee-hs-pipeline.")
        os.chmod(work, 0o755)
        try:
            check_decode_as(fails, tshark, args.captures, work)
            check_batch_notes(fails, tshark, args.captures, work)
            check_batch_interrupted(fails, args.captures, work)
            check_batch_signal_any_moment(fails, args.captures, work)
            check_duplicate_plugin_quiet(fails, args.build, args.captures, work)
            check_live_capture(fails, tshark, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    finally:
        tshark.close()
    return fails.report()


if __name__ == "__main__":
    sys.exit(main())
