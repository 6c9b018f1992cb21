#!/usr/bin/env python3
"""Compares two folders of scripts/verdict_tables.sh output.

Every column but the words (summary, remedy) must be identical: those are
the verdict. Changed words are listed, one line per handshake, so each can
be justified. Exit 1 when a verdict differs or a table is missing.
    scripts/verdict_diff.py OLD NEW [--words]
"""
import csv, io, os, sys

WORDS = {"summary", "remedy"}


def rows(path):
    with open(path, newline="") as f:
        text = f.read()
    # the table follows its header line; anything before it is tshark's
    start = text.find("stream,")
    return list(csv.DictReader(io.StringIO(text[start:]))) if start >= 0 else []


def main():
    old, new = sys.argv[1], sys.argv[2]
    show_words = "--words" in sys.argv
    bad = changed = total = 0
    for name in sorted(set(os.listdir(old)) | set(os.listdir(new))):
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
            for k in x:
                if k in WORDS or x[k] == y.get(k):
                    continue
                print(f"VERDICT {name} hs {x.get('stream')}/{x.get('hs')}: {k} {x[k]!r} -> {y.get(k)!r}")
                bad += 1
            for k in WORDS:
                if x.get(k) != y.get(k):
                    changed += 1
                    if show_words:
                        print(f"WORDS {name} hs {x.get('stream')}/{x.get('hs')} {k}:\n  - {x.get(k)}\n  + {y.get(k)}")
    print(f"{total} handshakes compared: {bad} verdict differences, {changed} changed texts")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
