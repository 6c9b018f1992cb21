#!/usr/bin/env python3
"""Small TLS peers that misbehave on purpose, for the scenario captures.

  raw_peers.py reset-server ADDR PORT     read the ClientHello, answer with a TCP RST
  raw_peers.py close-server ADDR PORT     read the ClientHello, close (FIN) without a word
  raw_peers.py slow-close-server ADDR PORT  the same after 3 s (a handshake timeout)
  raw_peers.py abort-client ADDR PORT SNI send a real ClientHello (Python's OpenSSL), read
                                          the server's flight, then close without an alert
  raw_peers.py small-mss-client ADDR PORT SNI CAFILE
                                          a verifying TLS 1.2 client that advertises an
                                          MSS of 536: the server's flight spans segments
"""
import socket
import ssl
import struct
import sys
import time


def serve_once(addr, port, reset, delay=0.05):
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((addr, port))
    srv.listen(1)
    conn, _ = srv.accept()
    conn.recv(65536)
    time.sleep(delay)
    if reset:  # linger 0: close() sends RST
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()
    srv.close()


def abort_client(addr, port, sni):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = ctx.wrap_bio(incoming, outgoing, server_hostname=sni)
    try:
        tls.do_handshake()
    except ssl.SSLWantReadError:
        pass
    sock = socket.create_connection((addr, port))
    sock.sendall(outgoing.read())
    sock.settimeout(2)
    try:
        sock.recv(65536)  # the server's flight; never fed to the TLS engine
    except socket.timeout:
        pass
    sock.close()


def small_mss_client(addr, port, sni, cafile):
    ctx = ssl.create_default_context(cafile=cafile)
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    sock = socket.socket()
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, 536)  # before connect: in the SYN
    sock.settimeout(5)
    sock.connect((addr, port))
    with ctx.wrap_socket(sock, server_hostname=sni) as tls:
        tls.sendall(b"GET / HTTP/1.0\r\nHost: " + sni.encode() + b"\r\n\r\n")
        tls.recv(65536)


def main():
    what, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if what == "reset-server":
        serve_once(addr, port, reset=True)
    elif what == "close-server":
        serve_once(addr, port, reset=False)
    elif what == "slow-close-server":
        serve_once(addr, port, reset=False, delay=3.0)
    elif what == "abort-client":
        abort_client(addr, port, sys.argv[4])
    elif what == "small-mss-client":
        small_mss_client(addr, port, sys.argv[4], sys.argv[5])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
