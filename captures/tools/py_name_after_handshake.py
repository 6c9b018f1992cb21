#!/usr/bin/env python3
"""A Python ssl client that checks the host name after the handshake, as older
libraries did (check_hostname off, ssl.match_hostname on the peer's
certificate): the chain is verified in the handshake, the name afterwards, and
a wrong name closes the socket without an alert and without data.
Usage: py_name_after_handshake.py HOST PORT NAME CA.pem [BIND]"""
import socket
import ssl
import sys
import warnings

host, port, name, ca = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
bind = sys.argv[5] if len(sys.argv) > 5 else None
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.maximum_version = ssl.TLSVersion.TLSv1_2
ctx.check_hostname = False
ctx.load_verify_locations(ca)
raw = socket.create_connection((host, port), source_address=(bind, 0) if bind else None)
s = ctx.wrap_socket(raw, server_hostname=name)
print("handshake done:", s.version(), s.cipher()[0])
try:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        ssl.match_hostname(s.getpeercert(), name)
except Exception as e:  # ssl.CertificateError
    print("refused after the handshake:", e)
    s.close()
    sys.exit(1)
s.sendall(b"GET / HTTP/1.0\r\nHost: x\r\n\r\n")
print(s.recv(100))
s.close()
