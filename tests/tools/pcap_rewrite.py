#!/usr/bin/env python3
"""Rewrites the IP addresses and ephemeral TCP/UDP ports of a pcap or pcapng
file, keeping everything else byte for byte (timestamps, payloads, pcapng
decryption-secrets blocks). A metamorphic variant: a diagnosis must not
depend on which addresses and client ports a capture happened to use.

  pcap_rewrite.py IN OUT              rewrite addresses and ports
  pcap_rewrite.py --swap A,B IN OUT   only swap frames A and B (1-based), each
                                      position keeping its timestamp: segments
                                      recorded out of order

- IPv4 addresses are XORed with 10.90.90.90 and IPv6 interface identifiers
  with a fixed mask: a bijection, so distinct hosts stay distinct;
- ports 32768 and above (Linux, BSD and Windows ephemeral ranges) are XORed
  with 0x1555 and stay in that range; service ports stay as they are, so the
  dissectors chosen by port do not change;
- checksums are updated incrementally (RFC 1624): a checksum that was right
  stays right, one that was wrong (offloaded) stays wrong;
- ICMP errors quote the packet they answer: the quote is rewritten too.

Link types: Ethernet (with 802.1Q tags), BSD loopback (NULL, LOOP), raw IP,
Linux cooked (SLL, SLL2). Packets of other link types are copied unchanged.
Only stdlib; edits stay inside the captured bytes of a truncated packet.
"""
import struct
import sys

IPV4_MASK = bytes([10, 90, 90, 90])
IPV6_MASK = bytes([0, 0, 0, 0, 0, 0, 0, 0, 0x5a, 0x5a, 0, 0x5a, 0, 0, 0x5a, 0x5a])
PORT_MASK = 0x1555
EPHEMERAL = 32768

ETHERNET, NULL, RAW, SLL, LOOP, IPV4, IPV6, SLL2 = 1, 0, 101, 113, 108, 228, 229, 276


def xor(data, mask):
    return bytes(a ^ b for a, b in zip(data, mask))


def fold(s):
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def adjust_checksum(buf, at, old, new):
    """RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), for each 16-bit word changed."""
    if at + 2 > len(buf):
        return
    hc = struct.unpack_from("!H", buf, at)[0]
    s = (~hc) & 0xFFFF
    for i in range(0, len(old), 2):
        m, m2 = struct.unpack_from("!H", old, i)[0], struct.unpack_from("!H", new, i)[0]
        s = fold(s + ((~m) & 0xFFFF) + m2)
    struct.pack_into("!H", buf, at, (~s) & 0xFFFF)


def new_port(p):
    return p ^ PORT_MASK if p >= EPHEMERAL else p


def even(b):
    return b + b"\0" if len(b) % 2 else b


def rewrite_icmp_error(buf, off, proto, pseudo_old, pseudo_new):
    """An ICMP error quotes the offending packet's IP header and ports: they
    are rewritten like the packet itself, or the quote would point at a
    conversation that no longer exists. ICMPv6 sums a pseudo-header too."""
    errors = (3, 4, 5, 11, 12) if proto == 1 else (1, 2, 3, 4)
    if off + 8 > len(buf) or buf[off] not in errors:
        if proto == 58:
            adjust_checksum(buf, off + 2, pseudo_old, pseudo_new)
        return
    old = even(bytes(buf[off + 8:]))
    rewrite_ip(buf, off + 8)
    new = even(bytes(buf[off + 8:]))
    if proto == 58:
        old, new = pseudo_old + old, pseudo_new + new
    adjust_checksum(buf, off + 2, old, new)


def rewrite_l4(buf, off, proto, pseudo_old, pseudo_new):
    """TCP (6) or UDP (17) at off: ports, and the checksum for ports and addresses."""
    if proto in (1, 58):
        rewrite_icmp_error(buf, off, proto, pseudo_old, pseudo_new)
        return
    if proto not in (6, 17) or off + 4 > len(buf):
        return
    old = bytes(buf[off:off + 4])
    sport, dport = struct.unpack_from("!HH", buf, off)
    struct.pack_into("!HH", buf, off, new_port(sport), new_port(dport))
    new = bytes(buf[off:off + 4])
    at = off + (16 if proto == 6 else 6)
    if proto == 17 and at + 2 <= len(buf) and struct.unpack_from("!H", buf, at)[0] == 0:
        return  # UDP over IPv4 without a checksum
    adjust_checksum(buf, at, pseudo_old + old, pseudo_new + new)


def rewrite_ipv4(buf, off):
    if off + 20 > len(buf):
        return
    ihl = (buf[off] & 0x0F) * 4
    old = bytes(buf[off + 12:off + 20])
    new = xor(old[:4], IPV4_MASK) + xor(old[4:], IPV4_MASK)
    buf[off + 12:off + 20] = new
    adjust_checksum(buf, off + 10, old, new)
    frag_offset = struct.unpack_from("!H", buf, off + 6)[0] & 0x1FFF
    if ihl >= 20 and frag_offset == 0:
        rewrite_l4(buf, off + ihl, buf[off + 9], old, new)


def rewrite_ipv6(buf, off):
    if off + 40 > len(buf):
        return
    old = bytes(buf[off + 8:off + 40])
    new = xor(old[:16], IPV6_MASK) + xor(old[16:], IPV6_MASK)
    buf[off + 8:off + 40] = new
    rewrite_l4(buf, off + 40, buf[off + 6], old, new)


def rewrite_ip(buf, off, family=None):
    if off >= len(buf):
        return
    version = family or buf[off] >> 4
    if version == 4:
        rewrite_ipv4(buf, off)
    elif version == 6:
        rewrite_ipv6(buf, off)


def by_ethertype(buf, off, ethertype):
    while ethertype in (0x8100, 0x88A8) and off + 4 <= len(buf):
        ethertype = struct.unpack_from("!H", buf, off + 2)[0]
        off += 4
    if ethertype == 0x0800:
        rewrite_ip(buf, off, 4)
    elif ethertype == 0x86DD:
        rewrite_ip(buf, off, 6)


def rewrite_packet(linktype, data, little):
    buf = bytearray(data)
    if linktype == ETHERNET and len(buf) >= 14:
        by_ethertype(buf, 14, struct.unpack_from("!H", buf, 12)[0])
    elif linktype in (NULL, LOOP) and len(buf) >= 4:
        fmt = "!I" if linktype == LOOP else ("<I" if little else ">I")
        family = struct.unpack_from(fmt, buf, 0)[0]
        if family == 2:
            rewrite_ip(buf, 4, 4)
        elif family in (10, 24, 28, 30):
            rewrite_ip(buf, 4, 6)
    elif linktype in (RAW, IPV4, IPV6):
        rewrite_ip(buf, 0)
    elif linktype == SLL and len(buf) >= 16:
        by_ethertype(buf, 16, struct.unpack_from("!H", buf, 14)[0])
    elif linktype == SLL2 and len(buf) >= 20:
        by_ethertype(buf, 20, struct.unpack_from("!H", buf, 0)[0])
    return bytes(buf)


def rewrite_pcap(data):
    magic = data[:4]
    little = magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1")
    e = "<" if little else ">"
    linktype = struct.unpack_from(e + "I", data, 20)[0] & 0x0FFFFFFF
    out = [data[:24]]
    pos = 24
    while pos + 16 <= len(data):
        incl = struct.unpack_from(e + "I", data, pos + 8)[0]
        body = data[pos + 16:pos + 16 + incl]
        out.append(data[pos:pos + 16])
        out.append(rewrite_packet(linktype, body, little))
        pos += 16 + incl
    out.append(data[pos:])  # a cut last record stays as cut
    return b"".join(out)


def rewrite_pcapng(data):
    out = []
    pos, e, links = 0, "<", []
    while pos + 12 <= len(data):
        btype = struct.unpack_from(e + "I", data, pos)[0]
        if btype == 0x0A0D0D0A:  # a section header sets the byte order
            e = "<" if data[pos + 8:pos + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            links = []
            btype = 0x0A0D0D0A
        blen = struct.unpack_from(e + "I", data, pos + 4)[0]
        if blen < 12 or pos + blen > len(data):
            break
        block = bytearray(data[pos:pos + blen])
        if btype == 1 and blen >= 20:
            links.append(struct.unpack_from(e + "H", block, 8)[0])
        elif btype == 6 and blen >= 32:
            iface, caplen = struct.unpack_from(e + "I", block, 8)[0], struct.unpack_from(e + "I", block, 20)[0]
            if iface < len(links) and 28 + caplen <= blen:
                block[28:28 + caplen] = rewrite_packet(links[iface], bytes(block[28:28 + caplen]), e == "<")
        elif btype == 3 and blen >= 16 and links:
            caplen = min(struct.unpack_from(e + "I", block, 8)[0], blen - 16)
            block[12:12 + caplen] = rewrite_packet(links[0], bytes(block[12:12 + caplen]), e == "<")
        out.append(bytes(block))
        pos += blen
    out.append(data[pos:])
    return b"".join(out)


def pcapng_blocks(data):
    """(offset, length, is_packet, byte order) of each block, in order."""
    pos, e, out = 0, "<", []
    while pos + 12 <= len(data):
        if data[pos:pos + 4] == b"\x0a\x0d\x0d\x0a":
            e = "<" if data[pos + 8:pos + 12] == b"\x4d\x3c\x2b\x1a" else ">"
        btype, blen = struct.unpack_from(e + "II", data, pos)
        if blen < 12 or pos + blen > len(data):
            break
        out.append((pos, blen, btype == 6, e))
        pos += blen
    return out


def swap_frames(data, a, b):
    """Frames a and b change places; the timestamps stay where they were."""
    if data[:4] != b"\x0a\x0d\x0d\x0a":
        raise ValueError("--swap needs a pcapng file with enhanced packet blocks")
    blocks = pcapng_blocks(data)
    packets = [i for i, blk in enumerate(blocks) if blk[2]]
    ia, ib = packets[a - 1], packets[b - 1]
    raw = [bytearray(data[o:o + n]) for o, n, _, _ in blocks]
    ts_a, ts_b = bytes(raw[ia][12:20]), bytes(raw[ib][12:20])
    raw[ia], raw[ib] = raw[ib], raw[ia]
    raw[ia][12:20], raw[ib][12:20] = ts_a, ts_b
    end = blocks[-1][0] + blocks[-1][1] if blocks else 0
    return b"".join(bytes(r) for r in raw) + data[end:]


def main(argv):
    swap = None
    if len(argv) == 5 and argv[1] == "--swap":
        swap = [int(x) for x in argv[2].split(",")]
        argv = [argv[0]] + argv[3:]
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    with open(argv[1], "rb") as f:
        data = f.read()
    if swap:
        data = swap_frames(data, *swap)
    elif data[:4] == b"\x0a\x0d\x0d\x0a":
        data = rewrite_pcapng(data)
    elif data[:4] in (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d"):
        data = rewrite_pcap(data)
    else:
        sys.stderr.write(f"{argv[1]}: not a pcap or pcapng file\n")
        return 1
    with open(argv[2], "wb") as f:
        f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
