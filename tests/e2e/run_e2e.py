#!/usr/bin/env python3
"""End-to-end tests: the built plugin in tshark over captures/, single pass and -2.

Expected verdicts come from tests/e2e/expected.tsv (what each scenario was built
to do). Evidence frame numbers come from plain tshark without the plugin (the TLS
dissector's own fields), so neither is copied from the plugin's output.
"""
import argparse
import os
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tsharkrun import Tshark  # noqa: E402

PLUGIN_FIELDS = ["frame.number", "apigee_hs.stream", "apigee_hs.index", "apigee_hs.outcome",
                 "apigee_hs.cause", "apigee_hs.confidence", "apigee_hs.stage", "apigee_hs.alert.sender",
                 "apigee_hs.alert.desc", "apigee_hs.decided_frame",
                 "apigee_hs.client_hello_frame", "apigee_hs.server_hello_frame",
                 "apigee_hs.alert.frame", "apigee_hs.client_version", "apigee_hs.sni",
                 "apigee_hs.direction", "apigee_hs.remedy", "apigee_hs.summary",
                 "apigee_hs.ladder"]
ORACLE_FIELDS = ["frame.number", "tcp.stream", "tcp.srcport", "tcp.dstport", "tcp.flags.fin",
                 "tcp.flags.reset", "tcp.len",
                 "tls.handshake.type", "tls.record.content_type", "tls.record.opaque_type",
                 "tls.record.length", "tls.alert_message.level", "tls.alert_message.desc",
                 "tls.change_cipher_spec",
                 "tls.handshake.version", "tls.handshake.extensions.supported_version",
                 "tls.handshake.extensions_server_name",
                 "tls.handshake.extensions_key_share_selected_group"]
VERSIONS = {"TLSv1.0": 0x301, "TLSv1.1": 0x302, "TLSv1.2": 0x303, "TLSv1.3": 0x304}


class Failures:
    def __init__(self):
        self.items = []
        self.checks = 0

    def check(self, ok, what):
        self.checks += 1
        if not ok:
            self.items.append(what)
        return ok


def read_expected(path):
    rows = []
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            keys = ["capture", "opts", "stream", "index", "outcome", "cause", "confidence",
                    "stage", "alert_sender", "alert_desc", "decided_by", "direction",
                    "remedy_has", "one_pass"]
            rows.append(dict(zip(keys, cols)))
    return rows


def fields_run(tshark, capture, extra, fields, two_pass):
    args = (["-2"] if two_pass else []) + ["-r", capture, *extra]
    return tshark.fields(args, fields)


def split(value):
    return [v for v in value.split(",") if v != ""] if value else []


class Oracle:
    """Frame facts from the TLS dissector alone, per TCP stream."""

    def __init__(self, rows):
        self.by_stream = defaultdict(list)
        for r in rows:
            if r["tcp.stream"]:
                self.by_stream[int(r["tcp.stream"])].append(r)

    @staticmethod
    def is_hrr(r):
        """A HelloRetryRequest: only it carries a selected group (RFC 8446 4.2.8)."""
        return bool(r.get("tls.handshake.extensions_key_share_selected_group"))

    def client_hellos(self, stream):
        """The ClientHellos that open a handshake: the retry after a HelloRetryRequest
        belongs to the handshake before it."""
        out, retry_due = [], False
        for r in self.by_stream[stream]:
            types = split(r["tls.handshake.type"])
            if "1" in types:
                if not retry_due:
                    out.append(r)
                retry_due = False
            if "2" in types:
                retry_due = self.is_hrr(r)
        return out

    def server_port(self, stream):
        chs = self.client_hellos(stream)
        if chs:
            return chs[0]["tcp.dstport"]
        # a capture that starts after the ClientHello: the ServerHello's sender
        shs = [r for r in self.by_stream[stream] if "2" in split(r["tls.handshake.type"])]
        return shs[0]["tcp.srcport"] if shs else None

    def from_server(self, stream, r):
        return r["tcp.srcport"] == self.server_port(stream)

    def highest_offer(self, stream, index=0):
        ch = self.client_hellos(stream)[index]
        offered = [int(v, 16) for v in split(ch["tls.handshake.extensions.supported_version"])]
        offered = [v for v in offered if v >> 8 == 3 and v & 0x0f0f != 0x0a0a]
        return max(offered) if offered else int(split(ch["tls.handshake.version"])[0], 16)

    def first_frame(self, stream, pred):
        for r in self.by_stream[stream]:
            if pred(r):
                return int(r["frame.number"])
        return 0

    def decided(self, stream, how):
        rows = self.by_stream[stream]
        if how == "none":
            return 0
        if how == "fatal_alert":
            return self.first_frame(stream, lambda r: "2" in split(r["tls.alert_message.level"]))
        if how == "encrypted_alert":
            return self.first_frame(stream, lambda r: (
                "21" in split(r["tls.record.content_type"]) and not r["tls.alert_message.level"])
                or ("23" in split(r["tls.record.opaque_type"])
                    and "19" in split(r["tls.record.length"])))
        if how == "last_ccs":
            ccs = [int(r["frame.number"]) for r in rows if r["tls.change_cipher_spec"]]
            return ccs[-1] if ccs else -1
        if how in ("client_fin", "server_fin", "server_rst"):
            flag = "tcp.flags.reset" if how.endswith("rst") else "tcp.flags.fin"
            server = how.startswith("server")
            return self.first_frame(stream, lambda r: self.from_server(stream, r) == server
                                    and r[flag] in ("1", "True"))
        if how == "proxy_status":
            # the proxy's first bytes: its status line (HTTP may reassemble the headers later)
            sent = [r for r in rows if r["tcp.len"] not in ("", "0")]
            return next((int(r["frame.number"]) for r in sent
                         if sent and r["tcp.srcport"] != sent[0]["tcp.srcport"]), -1)
        if how == "server_payload":
            return self.first_frame(stream, lambda r: self.from_server(stream, r)
                                    and r["tcp.len"] not in ("", "0"))
        if how == "client_small_record":
            return self.first_frame(stream, lambda r: not self.from_server(stream, r)
                                    and "23" in split(r["tls.record.opaque_type"]))
        if how == "client_close_notify":
            return self.first_frame(stream, lambda r: not self.from_server(stream, r)
                                    and "0" in split(r["tls.alert_message.desc"]))
        if how == "server_last_record":
            close = self.first_frame(stream, lambda r: r["tcp.flags.fin"] in ("1", "True")
                                     or r["tcp.flags.reset"] in ("1", "True"))
            records = [int(r["frame.number"]) for r in rows if self.from_server(stream, r)
                       and r["tls.record.length"] != "" and int(r["frame.number"]) < close]
            return records[-1] if records else -1
        if how == "tls13_accept":
            final = self.first_frame(stream, lambda r: not self.from_server(stream, r)
                                     and ("23" in split(r["tls.record.opaque_type"])
                                          or "20" in split(r["tls.handshake.type"])))
            return self.first_frame(stream, lambda r: self.from_server(stream, r)
                                    and int(r["frame.number"]) > final
                                    and r["tls.record.length"] != ""
                                    and r["tls.record.length"] != "19")
        raise ValueError(how)

    def settled(self, stream, decided):
        """An established call settles where the client first sends data or
        a side leaves (docs/fields.md): after the frame of its
        ChangeCipherSpec, the client's first application-data, handshake or
        alert record (TLS 1.3 without keys: its second opaque record, the
        first being its Finished; a 19-byte one is an alert), or its FIN or
        RST; or the server's alert, FIN or RST from the deciding frame on.
        0: the capture ends first, or a new ClientHello settles it, a frame
        that belongs to the next handshake."""
        def closes(r):
            return r["tcp.flags.fin"] in ("1", "True") or r["tcp.flags.reset"] in ("1", "True")

        ends, opaque, after_ccs = [], 0, False
        for r in self.by_stream[stream]:
            frame = int(r["frame.number"])
            types = split(r["tls.record.content_type"])
            if not self.from_server(stream, r):
                if closes(r):
                    ends.append(frame)
                    break
                opaque += len(split(r["tls.record.opaque_type"]))
                if after_ccs and "1" in split(r["tls.handshake.type"]):
                    return 0
                if (after_ccs and {"21", "22", "23"} & set(types)) or opaque > 1:
                    ends.append(frame)
                    break
                after_ccs = after_ccs or bool(r["tls.change_cipher_spec"])
        for r in self.by_stream[stream]:
            frame = int(r["frame.number"])
            opaque_alert = split(r["tls.record.opaque_type"]) and split(r["tls.record.length"])[-1:] == ["19"]
            if self.from_server(stream, r) and frame >= decided and (
                    closes(r) or "21" in split(r["tls.record.content_type"]) or opaque_alert):
                ends.append(frame)
                break
        return max(decided, min(ends)) if ends else 0

def expand_rows(rows, oracle):
    """Turns offer:VERSION selectors into one row per matching stream."""
    out = []
    for row in rows:
        if row["stream"].startswith("offer:"):
            want = VERSIONS[row["stream"].split(":", 1)[1]]
            for s in sorted(oracle.by_stream):
                if oracle.client_hellos(s) and oracle.highest_offer(s) == want:
                    out.append(dict(row, stream=str(s)))
        elif row["stream"] != "none":
            out.append(row)
    return out


def plugin_handshakes(rows):
    hs = defaultdict(list)
    for r in rows:
        if r["apigee_hs.stream"]:
            hs[(int(r["apigee_hs.stream"]), int(r["apigee_hs.index"]))].append(r)
    return hs


def verdict_of(r):
    return (r["apigee_hs.outcome"], r["apigee_hs.cause"], r["apigee_hs.confidence"],
            r["apigee_hs.stage"], r["apigee_hs.alert.sender"] or "-",
            r["apigee_hs.alert.desc"] or "-", int(r["apigee_hs.decided_frame"] or 0),
            r["apigee_hs.direction"])


ROLES = ["-o", "apigee_hs.router_addrs:127.0.1.1", "-o", "apigee_hs.mp_addrs:127.0.2.10"]


def tshark_options(tshark, captures, opts):
    if opts == "noroles":
        return []
    extra = list(ROLES)
    if opts.startswith("keylog="):
        keys = tshark.stage(os.path.join(captures, opts.split("=", 1)[1]))
        extra += ["-o", f"tls.keylog_file:{keys}"]
    elif opts.startswith("truststore="):
        pem = tshark.stage(os.path.join(captures, opts.split("=", 1)[1]))
        extra += ["-o", f"apigee_hs.truststore:{pem}"]
    elif opts.startswith("suites="):
        extra += ["-o", f"apigee_hs.server_suites:{opts.split('=', 1)[1]}"]
    elif opts == "ooo":
        extra += ["-o", "tcp.reassemble_out_of_order:TRUE"]
    elif opts.startswith("hosts="):
        extra += ["-o", f"apigee_hs.expected_hosts:{opts.split('=', 1)[1]}"]
    elif opts.startswith("apigee="):
        extra += apigee_options(tshark, opts.split("=", 1)[1])
    return extra


APIGEE_FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "apigee-config")


def apigee_options(tshark, spec):
    """apigee=FOLDER[@PRODUCT[-VERSION]]: a fixture export of tests/apigee-config ("-": the
    product alone)."""
    folder, _, product = spec.partition("@")
    extra = [] if folder == "-" else [
        "-o", "apigee_hs.apigee_config:" + tshark.stage_tree(os.path.join(APIGEE_FIXTURES, folder))]
    if product.startswith("edge-opdk-"):
        extra += ["-o", "apigee_hs.apigee_product:edge-opdk",
                  "-o", "apigee_hs.apigee_version:" + product[len("edge-opdk-"):]]
    elif product:
        extra += ["-o", "apigee_hs.apigee_product:" + product]
    return extra


ONE_PASS_FIELDS = list(dict.fromkeys(ORACLE_FIELDS + PLUGIN_FIELDS))


def one_pass_run(tshark, capture, extra):
    """Single pass, once: the TLS and TCP fields the oracle reads, the plugin's
    fields and the -z apigee_hs,handshakes table (printed after the frames)."""
    rows, rest = tshark.fields_and_rest(["-r", capture, *extra, "-z", "apigee_hs,handshakes"],
                                        ONE_PASS_FIELDS)
    oracle = [{f: r[f] for f in ORACLE_FIELDS} for r in rows]
    plugin = [{f: r[f] for f in PLUGIN_FIELDS} for r in rows]
    return oracle, plugin, rest


def check_capture(fails, tshark, captures, name, rows):
    """Returns the single pass's -z table and the oracle, for check_table."""
    opts = rows[0]["opts"]
    capture = tshark.stage(os.path.join(captures, name + ".pcapng"))
    extra = tshark_options(tshark, captures, opts)
    label = f"{name}{' [' + opts + ']' if opts != '-' else ''}"
    oracle_rows, one_pass, table = one_pass_run(tshark, capture, extra)
    oracle = Oracle(oracle_rows)
    expected = expand_rows(rows, oracle)
    for two_pass in (False, True):
        mode = "-2" if two_pass else "1-pass"
        plugin_rows = fields_run(tshark, capture, extra, PLUGIN_FIELDS, True) if two_pass else one_pass
        seen = plugin_handshakes(plugin_rows)
        fails.check(sorted(seen) == sorted((int(e["stream"]), int(e["index"])) for e in expected),
                    f"{label} {mode}: handshakes {sorted(seen)} != expected "
                    f"{[(e['stream'], e['index']) for e in expected]}")
        for e in expected:
            check_handshake(fails, label, mode, e, seen.get((int(e["stream"]), int(e["index"])), []),
                            oracle, two_pass)
    return table, oracle


# Deciding frames a single pass only recognises once the connection closes.
HINDSIGHT = {"server_last_record"}


def check_handshake(fails, label, mode, e, frames, oracle, two_pass):
    stream = int(e["stream"])
    where = f"{label} {mode} stream {stream} hs {e['index']}"
    decided = oracle.decided(stream, e["decided_by"])
    want = (e["outcome"], e["cause"], e["confidence"], e["stage"], e["alert_sender"],
            e["alert_desc"], decided, e["direction"])
    alt_cause, _, alt_conf = e["one_pass"].partition(":")
    with_outcome = [r for r in frames if r["apigee_hs.outcome"]]
    if two_pass:
        fails.check(frames and len(with_outcome) == len(frames),
                    f"{where}: {len(frames) - len(with_outcome)} frames lack an outcome in -2")
    else:
        want_frames = [decided] if decided else []
        if e["outcome"] == "established" and decided:
            # shown once the client sent data or a side left (docs/fields.md)
            settled = oracle.settled(stream, decided)
            want_frames = [settled] if settled else []
        elif e["decided_by"] in HINDSIGHT and decided:
            # single pass shows it on the close that settled it (docs/fields.md)
            want_frames = [oracle.first_frame(stream, lambda r: int(r["frame.number"]) > decided
                                              and (r["tcp.flags.fin"] in ("1", "True")
                                                   or r["tcp.flags.reset"] in ("1", "True")))]
        got_frames = [int(r["frame.number"]) for r in with_outcome]
        fails.check(got_frames == want_frames,
                    f"{where}: outcome shown on frames {got_frames}, expected {want_frames}")
    for r in with_outcome:
        got = verdict_of(r)
        same = all(w == "*" or w == g for w, g in zip(want, got))
        if not same and not two_pass and e["one_pass"] != "-":
            alt = (want[0], alt_cause, alt_conf) + want[3:]
            same = all(w == "*" or w == g for w, g in zip(alt, got))
        if e["remedy_has"] != "-" and (two_pass or (got[1], got[2]) != (alt_cause, alt_conf)):
            text = r["apigee_hs.summary"] + " " + r["apigee_hs.remedy"]
            fails.check(all(p in text for p in e["remedy_has"].split(" && ")),
                        f"{where}: summary and remedy lack {e['remedy_has']!r}: {text!r}")
        fails.check(r["apigee_hs.outcome"] == "established" or len(r["apigee_hs.summary"]) > 20,
                    f"{where}: no summary")
        if not fails.check(same, f"{where} frame {r['frame.number']}: got {got}, want {want}\n"
                                 f"    ladder: {r['apigee_hs.ladder']}"):
            break
    if frames:
        chs = oracle.client_hellos(stream)
        # a capture without the ClientHello (missing-handshake-start) has none to point at
        want_ch = int(chs[int(e["index"])]["frame.number"]) if int(e["index"]) < len(chs) else 0
        got_ch = int(frames[0]["apigee_hs.client_hello_frame"] or 0)
        fails.check(got_ch == want_ch, f"{where}: client_hello_frame {got_ch}, want {want_ch}")
        ch_frames = [int(r["frame.number"]) for r in chs]
        idx = int(e["index"])
        lo = ch_frames[idx] if idx < len(ch_frames) else 0
        hi = ch_frames[idx + 1] if idx + 1 < len(ch_frames) else float("inf")
        sh = oracle.first_frame(stream, lambda r: "2" in split(r["tls.handshake.type"])
                                and not oracle.is_hrr(r) and lo < int(r["frame.number"]) < hi)
        got_sh = max(int(r["apigee_hs.server_hello_frame"] or 0) for r in frames)
        fails.check(got_sh == sh, f"{where}: server_hello_frame {got_sh}, want {sh}")
        if idx < len(chs):
            want_version = oracle.highest_offer(stream, idx)
            got_version = int(frames[0]["apigee_hs.client_version"] or "0", 16)
            fails.check(got_version == want_version,
                        f"{where}: client_version {got_version:#06x}, want {want_version:#06x}")
            want_sni = split(chs[idx]["tls.handshake.extensions_server_name"])
            fails.check(frames[0]["apigee_hs.sni"] == (want_sni[0] if want_sni else ""),
                        f"{where}: sni {frames[0]['apigee_hs.sni']!r}, want {want_sni}")
        if e["alert_sender"] != "-" and two_pass:
            got_alert = int(frames[0]["apigee_hs.alert.frame"] or 0)
            fails.check(got_alert == decided, f"{where}: alert.frame {got_alert}, want {decided}")


def check_table(fails, name, rows, table, oracle):
    """tshark -z apigee_hs,handshakes prints one row per handshake."""
    body = [ln for ln in table if ln[:6].strip().isdigit()]
    expected = expand_rows([r for r in rows if r["opts"] == "-"], oracle)
    fails.check(len(body) == len(expected),
                f"{name} -z table: {len(body)} rows, expected {len(expected)}\n" + "\n".join(table))
    for e, line in zip(sorted(expected, key=lambda e: (int(e["stream"]), int(e["index"]))), body):
        cols = line.split()
        fails.check(cols[0] == e["stream"] and cols[4:8] == [e["outcome"], e["cause"],
                                                              e["confidence"], e["direction"]],
                    f"{name} -z table row {line!r} does not match {e}")


def check_field_reference(fails, tshark, doc_path):
    """docs/fields.md names every field the plugin registers."""
    with open(doc_path) as f:
        doc = f.read()
    for line in tshark.run(["-G", "fields"]).stdout.splitlines():
        cols = line.split("\t")
        if len(cols) > 4 and cols[0] == "F" and cols[4] == "apigee_hs":
            fails.check(f"`{cols[2]}`" in doc, f"{cols[2]} is missing from docs/fields.md")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--captures", required=True)
    ap.add_argument("--expected", required=True)
    args = ap.parse_args()

    tshark = Tshark(args.build)
    try:
        tshark.require_plugin()
        by_capture = defaultdict(list)
        for row in read_expected(args.expected):
            by_capture[(row["capture"], row["opts"])].append(row)
        fails = Failures()
        tables = {}
        for (name, opts), rows in by_capture.items():
            table, oracle = check_capture(fails, tshark, args.captures, name, rows)
            if opts == "-":  # the lab roles, as diagnose.sh gives them
                tables[name] = (table, oracle)
        for name, (table, oracle) in sorted(tables.items()):
            check_table(fails, name, [r for (n, _), rs in by_capture.items() if n == name for r in rs],
                        table, oracle)
        check_field_reference(fails, tshark, os.path.join(os.path.dirname(args.expected),
                                                           "..", "..", "docs", "fields.md"))
        listed = {n for n, _ in by_capture}
        on_disk = {f[:-7] for f in os.listdir(args.captures) if f.endswith(".pcapng")}
        fails.check(on_disk <= listed, f"captures without expectations: {sorted(on_disk - listed)}")
    finally:
        tshark.close()
    for f in fails.items:
        print("FAIL:", f)
    passed = fails.checks - len(fails.items)
    print(f"{passed} passed, {len(fails.items)} failed")
    return 1 if fails.items else 0


if __name__ == "__main__":
    sys.exit(main())
