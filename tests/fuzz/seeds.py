#!/usr/bin/env python3
"""Seed corpora for the libFuzzer harnesses, from the captures.

    seeds.py CAPTURES_DIR OUTDIR

OUTDIR/cert/: every distinct certificate the captures carry (DER, read with
tshark), and pairs of a certificate and its issuer as fuzz_cert splits them.
OUTDIR/events/: each capture's handshake messages, alerts and TCP closes as
the event records fuzz_events reads (kind, flags, record version and length,
handshake type, then what the kind needs).
"""
import hashlib
import os
import struct
import subprocess
import sys

# apg_event_kind, in include/apg_observations.h order
CH, SH, CERT, CERT_REQ, SHD, OTHER, FIN_HS, ENC_HS, CCS, ALERT, ENC_REC, TCP_FIN, TCP_RST = range(13)
HS_KIND = {1: CH, 2: SH, 11: CERT, 13: CERT_REQ, 14: SHD, 20: FIN_HS}


def tshark_fields(path, fields):
    out = subprocess.run(["tshark", "-n", "-r", path, "-T", "fields", "-E", "separator=\t",
                          *sum((["-e", f] for f in fields), [])],
                         capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines()]


def event(kind, from_client, version=0x0303, length=100, hs_type=0, extra=b""):
    return struct.pack("!BBHHB", kind, 0 if from_client else 1, version, length, hs_type) + extra


def events_of(path):
    rows = tshark_fields(path, ["tcp.srcport", "tcp.flags", "tls.record.content_type",
                                "tls.handshake.type", "tls.alert_message.desc"])
    out, client_port = b"", None
    for sport, flags, ctypes, htypes, alerts in ((r + [""] * 5)[:5] for r in rows):
        if not sport:
            continue
        if client_port is None and htypes.split(",")[0] == "1":
            client_port = sport
        from_client = sport == client_port
        for t in filter(None, htypes.split(",")):
            kind = HS_KIND.get(int(t), OTHER)
            extra = b""
            if kind == CH:
                extra = struct.pack("!HB", 0x0303, 2) + struct.pack("!HH", 0x0304, 0x0303)
                extra += struct.pack("!H", 2) + struct.pack("!HH", 0x1301, 0xC02F)
                extra += struct.pack("!B", 0) + struct.pack("!B", 20) + b"backend.example.test"
                # groups, key shares, signature algorithms, ALPN
                extra += struct.pack("!BHH", 2, 0x001D, 0x0017) + struct.pack("!BH", 1, 0x001D)
                extra += struct.pack("!BHH", 2, 0x0403, 0x0804) + struct.pack("!B", 2) + b"h2"
            elif kind == SH:
                extra = struct.pack("!BHHHHB", 0, 0x0303, 0x0304, 0x1301, 0x001D, 0)
            out += event(kind, from_client, hs_type=int(t), extra=extra)
        for d in filter(None, alerts.split(",")):
            out += event(ALERT, from_client, extra=struct.pack("!BBB", 2, int(d), 0))
        if not htypes and not alerts:
            for c in filter(None, ctypes.split(",")):
                kind = {"20": CCS, "22": ENC_HS, "23": ENC_REC, "21": ALERT}.get(c)
                if kind is not None:
                    out += event(kind, from_client, extra=b"\0\0\1" if kind == ALERT else b"")
        f = int(flags, 16) if flags else 0
        if f & 0x04:
            out += event(TCP_RST, from_client)
        elif f & 0x01:
            out += event(TCP_FIN, from_client)
    return out


def main(captures, outdir):
    os.makedirs(os.path.join(outdir, "cert"), exist_ok=True)
    os.makedirs(os.path.join(outdir, "events"), exist_ok=True)
    for name in sorted(os.listdir(captures)):
        if not name.endswith((".pcap", ".pcapng")):
            continue
        path = os.path.join(captures, name)
        for (certs,) in (r[:1] for r in tshark_fields(path, ["tls.handshake.certificate"])):
            ders = [bytes.fromhex(c.replace(":", "")) for c in certs.split(",") if c]
            for der in ders:
                open(os.path.join(outdir, "cert", hashlib.sha1(der).hexdigest()), "wb").write(der)
            if len(ders) > 1:
                pair = ders[0] + b"\n--\n" + ders[1]
                open(os.path.join(outdir, "cert", hashlib.sha1(pair).hexdigest()), "wb").write(pair)
        seq = events_of(path)
        if seq:
            open(os.path.join(outdir, "events", name.rsplit(".", 1)[0]), "wb").write(seq)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
