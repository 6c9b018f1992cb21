#!/usr/bin/env python3
"""Compares two folders of scripts/verdict_tables.sh output.

Every column but the words (summary, remedy) must be identical: those are
the verdict. Changed words are listed, one line per handshake, so each can
be justified. Exit 1 when a verdict differs or a table is missing.
    scripts/verdict_diff.py OLD NEW [--words] [--tables-only] [--known FILE]
--tables-only skips the .findings files: across Wireshark versions their
_ws.expert.message column also holds Wireshark's own expert texts, which
change between versions. --known FILE lists differences explained by a wire
fact (scripts/matrix.sh: tests/e2e/version-differences.tsv), one per line:
table, stream/hs, column, why (tab-separated, # comments); each is reported
as KNOWN and not counted.
"""
import csv, fnmatch, io, os, sys

WORDS = {"summary", "remedy"}


def rows(path):
    with open(path, newline="") as f:
        text = f.read()
    # the table follows its header line; anything before it is tshark's
    start = text.find("stream,")
    return list(csv.DictReader(io.StringIO(text[start:]))) if start >= 0 else []


def known_differences(argv):
    """[(table glob, stream/hs, column, why)] of --known FILE."""
    if "--known" not in argv:
        return []
    path = argv[argv.index("--known") + 1]
    if not os.path.exists(path):
        return []
    known = []
    with open(path) as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if line.strip() and not line.startswith("#") and len(cols) >= 4:
                known.append(tuple(cols[:4]))
    return known


def explained(known, name, hs, column):
    return next((k[3] for k in known
                 if fnmatch.fnmatch(name, k[0]) and k[1] in (hs, "*") and k[2] == column), None)


def main():
    old, new = sys.argv[1], sys.argv[2]
    show_words = "--words" in sys.argv
    tables_only = "--tables-only" in sys.argv
    known = known_differences(sys.argv)
    bad = changed = total = 0
    known_hs = set()  # (table, stream/hs) with a documented difference
    for name in sorted(set(os.listdir(old)) | set(os.listdir(new))):
        if tables_only and name.endswith(".findings"):
            continue
        a, b = os.path.join(old, name), os.path.join(new, name)
        if not (os.path.exists(a) and os.path.exists(b)):
            print(f"MISSING {name}")
            bad += 1
            continue
        if name.endswith(".findings"):  # -T fields lines: compared whole
            if open(a).read() != open(b).read():
                print(f"FINDINGS {name} differ: diff {a} {b}")
                bad += 1
            continue
        ra, rb = rows(a), rows(b)
        if len(ra) != len(rb):
            print(f"VERDICT {name}: {len(ra)} rows, now {len(rb)}")
            bad += 1
            continue
        for x, y in zip(ra, rb):
            total += 1
            hs = f"{x.get('stream')}/{x.get('hs')}"
            for k in x:
                if k in WORDS or x[k] == y.get(k):
                    continue
                why = explained(known, name, hs, k)
                if why:
                    print(f"KNOWN {name} hs {hs}: {k} {x[k]!r} -> {y.get(k)!r}: {why}")
                    known_hs.add((name, hs))
                    continue
                print(f"VERDICT {name} hs {hs}: {k} {x[k]!r} -> {y.get(k)!r}")
                bad += 1
            for k in WORDS:
                if x.get(k) != y.get(k):
                    changed += 1
                    if show_words:
                        print(f"WORDS {name} hs {x.get('stream')}/{x.get('hs')} {k}:\n  - {x.get(k)}\n  + {y.get(k)}")
    # A documented difference is said, not hidden behind "0 verdict differences".
    known = f", {len(known_hs)} with documented differences (KNOWN)" if known_hs else ""
    print(f"{total} handshakes compared: {bad} verdict differences{known}, {changed} changed texts")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
