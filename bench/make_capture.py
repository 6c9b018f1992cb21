#!/usr/bin/env python3
"""Makes the benchmark captures from real handshakes.

    make_capture.py OUT.pcap PACKETS BASE.pcap...

BASE files are classic pcap files (Ethernet), e.g. the bundled captures converted with
`editcap -F pcap`: handshakes made by real TLS peers, successes and every failure the
generator makes. They are laid end to end, then the whole is repeated until OUT has at
least PACKETS packets. Each copy is moved later in time (one second after the previous
copy ends) and gets its own IPv4 addresses: the second and third octets are XORed with
the copy's number, a bijection, so copies never share a conversation and each server of
a copy is a server of its own. IPv4 header checksums are recomputed; TCP checksums are
left as they were (tshark does not check them by default).
"""
import struct
import sys

PCAP_HEADER = struct.Struct("<IHHiIII")
RECORD = struct.Struct("<IIII")
ETHERTYPE_IPV4 = 0x0800


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    magic, _maj, _min, _tz, _sig, snaplen, linktype = PCAP_HEADER.unpack_from(data, 0)
    if magic not in (0xA1B2C3D4, 0xA1B23C4D):
        sys.exit(f"{path}: not a little-endian pcap file (convert it with editcap -F pcap)")
    nano = magic == 0xA1B23C4D
    packets, off = [], PCAP_HEADER.size
    while off + RECORD.size <= len(data):
        sec, frac, caplen, wirelen = RECORD.unpack_from(data, off)
        off += RECORD.size
        usec = frac // 1000 if nano else frac
        packets.append((sec * 1_000_000 + usec, wirelen, data[off:off + caplen]))
        off += caplen
    return linktype, snaplen, packets


def ip_checksum(header):
    total = 0
    for i in range(0, len(header), 2):
        total += (header[i] << 8) + header[i + 1]
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def rewrite(frame, copy):
    """The frame with its IPv4 addresses moved to copy number `copy`."""
    if copy == 0 or len(frame) < 34 or struct.unpack_from(">H", frame, 12)[0] != ETHERTYPE_IPV4:
        return frame
    ihl = (frame[14] & 0x0F) * 4
    if ihl < 20 or len(frame) < 14 + ihl:
        return frame
    out = bytearray(frame)
    hi, lo = (copy >> 8) & 0xFF, copy & 0xFF
    for base in (26, 30):  # source, destination
        out[base + 1] ^= hi
        out[base + 2] ^= lo
    out[24:26] = b"\0\0"
    struct.pack_into(">H", out, 24, ip_checksum(out[14:14 + ihl]))
    return bytes(out)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    out_path, wanted = sys.argv[1], int(sys.argv[2])
    base, snaplen = [], 262144
    clock = None
    for path in sys.argv[3:]:
        linktype, snaplen, packets = read_pcap(path)
        if linktype != 1 or not packets:
            continue  # Ethernet only
        start = packets[0][0]
        clock = clock if clock is not None else start
        for ts, wirelen, frame in packets:
            base.append((clock + ts - start, wirelen, frame))
        clock = base[-1][0] + 1_000_000
    if not base:
        sys.exit("no Ethernet packets in the base captures")
    span = base[-1][0] - base[0][0] + 1_000_000
    written = 0
    with open(out_path, "wb") as f:
        f.write(PCAP_HEADER.pack(0xA1B2C3D4, 2, 4, 0, 0, snaplen, 1))
        copy = 0
        while written < wanted:
            if copy >= 65536:
                sys.exit("more than 65,536 copies: give bigger base captures")
            shift = copy * span
            for ts, wirelen, frame in base:
                ts += shift
                data = rewrite(frame, copy)
                f.write(RECORD.pack(ts // 1_000_000, ts % 1_000_000, len(data), wirelen))
                f.write(data)
            written += len(base)
            copy += 1
    print(f"{out_path}: {written} packets, {copy} copies of {len(base)}", file=sys.stderr)


if __name__ == "__main__":
    main()
