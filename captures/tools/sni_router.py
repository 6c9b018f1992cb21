#!/usr/bin/env python3
"""An SNI router on loopback, for the virtual-host scenarios of generate.sh.

One address and port in front of several TLS servers, chosen by the name the
ClientHello asks for, as HAProxy (mode tcp, req.ssl_sni), nginx (stream,
ssl_preread) and CDNs route: the capture, taken on the front address, shows
one server answering each name with its own settings. The TLS bytes are the
real servers'; the router only reads the ClientHello's server_name to pick
one, then relays both directions (closes included, each way on its own).

    sni_router.py LISTEN_ADDR:PORT NAME=ADDR:PORT... [DEFAULT=ADDR:PORT]

A ClientHello without SNI goes to DEFAULT (the default host).
"""
import socket
import struct
import sys
import threading


def server_name(hello):
    """The server_name of a ClientHello record, or None (test tool: bounded reads)."""
    try:
        if hello[0] != 22 or hello[5] != 1:
            return None
        p = 5 + 4 + 2 + 32  # record header, handshake header, version, random
        p += 1 + hello[p]  # session id
        p += 2 + struct.unpack_from("!H", hello, p)[0]  # cipher suites
        p += 1 + hello[p]  # compression methods
        end = p + 2 + struct.unpack_from("!H", hello, p)[0]
        p += 2
        while p + 4 <= end:
            kind, length = struct.unpack_from("!HH", hello, p)
            p += 4
            if kind == 0:  # server_name: list length, type, name length, name
                name_len = struct.unpack_from("!H", hello, p + 3)[0]
                return hello[p + 5:p + 5 + name_len].decode("ascii", "replace")
            p += length
    except (IndexError, struct.error):
        return None
    return None


def read_hello(conn):
    data = b""
    while len(data) < 5 or len(data) < 5 + struct.unpack_from("!H", data, 3)[0]:
        chunk = conn.recv(16384)
        if not chunk:
            break
        data += chunk
        if len(data) > 65536:
            break
    return data


def pipe(src, dst):
    try:
        while True:
            chunk = src.recv(16384)
            if not chunk:
                break
            dst.sendall(chunk)
    except OSError:
        pass
    try:
        dst.shutdown(socket.SHUT_WR)  # pass the close on, one direction at a time
    except OSError:
        pass


def serve(conn, routes, default):
    hello = read_hello(conn)
    target = routes.get(server_name(hello), default) if hello else None
    if not target:
        conn.close()
        return
    up = socket.create_connection(target)
    up.sendall(hello)
    there = threading.Thread(target=pipe, args=(up, conn), daemon=True)
    there.start()
    pipe(conn, up)
    there.join()
    up.close()
    conn.close()


def endpoint(text):
    host, port = text.rsplit(":", 1)
    return host, int(port)


def main():
    listen = endpoint(sys.argv[1])
    routes, default = {}, None
    for arg in sys.argv[2:]:
        name, target = arg.split("=", 1)
        if name == "DEFAULT":
            default = endpoint(target)
        else:
            routes[name] = endpoint(target)
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(listen)
    srv.listen(16)
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=serve, args=(conn, routes, default), daemon=True).start()


if __name__ == "__main__":
    main()
