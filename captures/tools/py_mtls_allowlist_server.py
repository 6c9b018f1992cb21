#!/usr/bin/env python3
"""A Python ssl server for two-way TLS that checks the client's certificate
after the handshake, against an allow-list of subjects (as an API gateway's
"allowed client certificates" rule does): a client outside the list is
dropped without an alert and without a byte. TLS 1.3, no session tickets, so
nothing follows the client's Finished; with --tls12, TLS 1.2: the server's
Finished completes the handshake before it drops the client.
Usage: py_mtls_allowlist_server.py ADDR PORT CERT KEY CAFILE... --allow CN [--keylog FILE]
       [--tls12]"""
import argparse
import socket
import ssl


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("addr")
    ap.add_argument("port", type=int)
    ap.add_argument("cert")
    ap.add_argument("key")
    ap.add_argument("cafile", nargs="+")
    ap.add_argument("--allow", action="append", required=True)
    ap.add_argument("--keylog")
    ap.add_argument("--tls12", action="store_true")
    args = ap.parse_args()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    if args.tls12:
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    else:
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    ctx.num_tickets = 0
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.load_cert_chain(args.cert, args.key)
    for ca in args.cafile:
        ctx.load_verify_locations(ca)
    if args.keylog:
        ctx.keylog_filename = args.keylog
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((args.addr, args.port))
    srv.listen(1)
    raw, _ = srv.accept()
    conn = ctx.wrap_socket(raw, server_side=True)
    subject = dict(x[0] for x in conn.getpeercert()["subject"])
    cn = subject.get("commonName")
    if cn not in args.allow:
        print(f"refused client certificate {cn!r}: not in the allow-list")
        raw.close()  # the TLS object unused: no close_notify, no data
        return
    conn.sendall(b"HTTP/1.0 200 OK\r\n\r\nok")
    conn.close()


if __name__ == "__main__":
    main()
