#!/usr/bin/env bash
# Our plugin against an older build's, on one capture, runs interleaved (ours, theirs,
# ours, ...) so that a busy or drifting machine weighs on both alike:
#   sudo bench/compare.sh BASE_BUILD CAPTURE [RUNS]     default 5 runs
# BASE_BUILD is a build folder of the older commit (git worktree add /tmp/start COMMIT;
# cd /tmp/start && scripts/build.sh); CAPTURE e.g. a 1M-packet capture of
# bench/make_capture.py. Prints, for single pass, -2 and -q -z apigee_hs,handshakes,
# the median CPU seconds (user+sys) and peak RSS of each build and their ratio.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
base=${1:?base build folder}
capture=${2:?capture}
runs=${3:-5}
[ "$(id -u)" = 0 ] || { echo "run as root (tshark then runs as uid 65534)" >&2; exit 2; }
work=$(mktemp -d /tmp/apg-compare.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/ours" "$work/base" "$work/home" "$work/t"
cp -r "$top/build/plugins/." "$work/ours/"
cp -r "$base/plugins/." "$work/base/"
cp "$capture" "$work/capture"
chown 65534:65534 "$work/home" && chmod 1777 "$work/t" && chmod -R a+rX "$work"

one() { # PLUGIN_DIR tshark-args...: prints "cpu rss_kb"
  local dir=$1
  shift
  setpriv --reuid=65534 --regid=65534 --clear-groups env -i HOME="$work/home" PATH=/usr/bin:/bin \
    WIRESHARK_PLUGIN_DIR="$dir" /usr/bin/time -f "%U %S %M" -o "$work/t/time" \
    tshark -n -r "$work/capture" "$@" >/dev/null 2>&1 || true
  awk '{printf "%.2f %d\n", $1 + $2, $3}' "$work/t/time"
}
med() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

echo "capture: $(capinfos -c -M "$capture" 2>/dev/null | awk -F: '/packets/ {gsub(/ /, "", $2); print $2}') packets; $runs runs each, interleaved; $(tshark --version 2>/dev/null | head -1)"
printf "%-10s %9s %9s %7s %11s %11s\n" mode "ours s" "base s" ratio "ours RSS" "base RSS"
for mode in single -2 -z; do
  case $mode in
    single) args=() ;;
    -2) args=(-2) ;;
    -z) args=(-q -z apigee_hs,handshakes) ;;
  esac
  : >"$work/ours.m"; : >"$work/base.m"
  for _ in $(seq "$runs"); do
    one "$work/ours" "${args[@]}" >>"$work/ours.m"
    one "$work/base" "${args[@]}" >>"$work/base.m"
  done
  o=$(cut -d' ' -f1 "$work/ours.m" | med); b=$(cut -d' ' -f1 "$work/base.m" | med)
  orss=$(cut -d' ' -f2 "$work/ours.m" | med); brss=$(cut -d' ' -f2 "$work/base.m" | med)
  printf "%-10s %9.2f %9.2f %6.3fx %8.0f MB %8.0f MB\n" "$mode" "$o" "$b" "$(awk -v o="$o" -v b="$b" 'BEGIN {print o / b}')" \
    "$((orss / 1024))" "$((brss / 1024))"
  echo "  ours: $(cut -d' ' -f1 "$work/ours.m" | tr '\n' ' ')  base: $(cut -d' ' -f1 "$work/base.m" | tr '\n' ' ')"
done
