#!/usr/bin/env bash
# scripts/matrix.sh refuses suite names that are not Debian suites (a name
# becomes a chroot path: "../.." once pointed it at /) before it does
# anything: no chroot is made, nothing is installed or mounted.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
fail=0
for bad in "../.." "/" "bookworm/../.." "x;rm -rf y" "" "BOOKWORM"; do
  out=$(APG_CHROOTS="$cache/c" "$top/scripts/matrix.sh" "$bad" 2>&1)
  rc=$?
  if [ "$rc" != 2 ] || [ -e "$cache/c" ] || ! grep -q "unknown suite" <<<"$out"; then
    echo "not ok: '$bad' gave rc $rc, cache made: $([ -e "$cache/c" ] && echo yes || echo no): $out"
    fail=1
  else
    echo "ok: '$bad' refused"
  fi
done
exit $fail
