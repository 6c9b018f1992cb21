#!/usr/bin/env python3
"""A forward proxy for HTTP CONNECT, as a Message Processor reaches a backend
through a corporate proxy: it answers CONNECT with 200 and relays bytes both
ways. Like proxies that buffer, it waits a moment and forwards what arrived in
one write, so several TLS records share one TCP segment. CONNECT to a port in
--refuse gets 403 and a close.
Usage: connect_proxy.py LISTEN_ADDR:PORT [--refuse PORT,...] [--hold SECONDS]
                        [--resolve NAME=ADDR ...]"""
import argparse
import select
import socket
import threading


def relay(a, b, hold):
    socks = [a, b]
    try:
        while True:
            ready, _, _ = select.select(socks, [], [])
            for s in ready:
                other = b if s is a else a
                data = s.recv(65536)
                if not data:
                    other.shutdown(socket.SHUT_WR)
                    socks.remove(s)
                    if not socks:
                        return
                    continue
                # buffer what follows within the hold time: one write, one segment
                while select.select([s], [], [], hold)[0]:
                    more = s.recv(65536)
                    if not more:
                        break
                    data += more
                other.sendall(data)
    except OSError:
        pass
    finally:
        a.close()
        b.close()


def handle(client, refuse, hold, names):
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = client.recv(4096)
        if not chunk:
            client.close()
            return
        head += chunk
    line = head.split(b"\r\n", 1)[0].decode("latin-1").split()
    if len(line) < 2 or line[0] != "CONNECT":
        client.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
        client.close()
        return
    host, _, port = line[1].rpartition(":")
    if int(port) in refuse:
        client.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        client.close()
        return
    try:
        upstream = socket.create_connection((names.get(host, host), int(port)), timeout=5)
    except OSError:
        client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        client.close()
        return
    upstream.settimeout(None)
    client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
    relay(client, upstream, hold)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("listen")
    ap.add_argument("--refuse", default="")
    ap.add_argument("--hold", type=float, default=0.05)
    ap.add_argument("--resolve", action="append", default=[])
    args = ap.parse_args()
    refuse = {int(p) for p in args.refuse.split(",") if p}
    names = dict(r.split("=", 1) for r in args.resolve)
    addr, _, port = args.listen.rpartition(":")
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((addr, int(port)))
    srv.listen(8)
    while True:
        c, _ = srv.accept()
        threading.Thread(target=handle, args=(c, refuse, args.hold, names), daemon=True).start()


if __name__ == "__main__":
    main()
