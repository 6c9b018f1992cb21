#!/usr/bin/env bash
# Instructions (callgrind) of plain tshark, an older build's plugin and ours on one
# capture, the three runs in parallel: they repeat to a few parts in 10,000 where CPU
# seconds on a busy or virtual machine move by more than a small effect.
#   sudo bench/instructions.sh BASE_BUILD CAPTURE [TSHARK-ARGS...]   e.g. -2, or -q -z apigee_hs,handshakes
# BASE_BUILD as for bench/compare.sh. Use a capture of about 100k packets (bench/make_capture.py):
# callgrind runs some 50 times slower. Prints each count and each plugin's cost in points of
# plain tshark's.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
base=${1:?base build folder}
capture=${2:?capture}
shift 2
[ "$(id -u)" = 0 ] || { echo "run as root (tshark then runs as uid 65534)" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "needs valgrind (scripts/install-deps.sh --fuzz)" >&2; exit 2; }
work=$(mktemp -d /tmp/apg-instructions.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/ours" "$work/base" "$work/none" "$work/home" "$work/out"
cp -r "$top/build/plugins/." "$work/ours/"
cp -r "$base/plugins/." "$work/base/"
cp "$capture" "$work/capture"
chown 65534:65534 "$work/home" && chmod 1777 "$work/out" && chmod -R a+rX "$work"
for who in none base ours; do
  setpriv --reuid=65534 --regid=65534 --clear-groups env -i HOME="$work/home" PATH=/usr/bin:/bin \
    WIRESHARK_PLUGIN_DIR="$work/$who" valgrind --tool=callgrind \
    --callgrind-out-file="$work/out/$who.cg" tshark -n -r "$work/capture" "$@" \
    >/dev/null 2>"$work/out/$who.log" &
done
wait
count() { sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/out/$1.log"; }
plain=$(count none) b=$(count base) o=$(count ours)
echo "tshark -n -r $(basename "$capture") $*: instructions"
printf "plain %14d\nbase  %14d  %+6.2f points of plain\nours  %14d  %+6.2f points of plain (%+.2f against base)\n" \
  "$plain" "$b" "$(awk -v x="$b" -v p="$plain" 'BEGIN {print (x - p) * 100 / p}')" \
  "$o" "$(awk -v x="$o" -v p="$plain" 'BEGIN {print (x - p) * 100 / p}')" \
  "$(awk -v o="$o" -v b="$b" -v p="$plain" 'BEGIN {print (o - b) * 100 / p}')"
