#!/usr/bin/env bash
# scripts/matrix.sh refuses suite names that are not Debian suites (a name
# becomes a chroot path: "../.." once pointed it at /) before it does
# anything: no chroot is made, nothing is installed or mounted. And a failed
# setup step stops it (it once ran inside $(...), where set -e does not apply,
# and went on with a half-made chroot), and a chroot a previous run left
# half-made is not reused; the failed suite still gets its row.
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

# A setup that fails: debootstrap (a stand-in on PATH) exits 1. matrix.sh must
# stop that suite there, having removed the half-made chroot of an earlier
# run, write the suite's row as FAIL naming the step, and exit non-zero. It
# runs from a copy, so nothing is written into the tree.
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$cache/tree/scripts" "$cache/tree/docs" "$cache/bin" "$cache/c2/bookworm/usr"
  cp "$top/scripts/matrix.sh" "$cache/tree/scripts/"
  printf '#!/bin/sh\necho "debootstrap: cannot reach the archive" >&2\nexit 1\n' >"$cache/bin/debootstrap"
  chmod +x "$cache/bin/debootstrap"
  out=$(PATH="$cache/bin:$PATH" APG_CHROOTS="$cache/c2" "$cache/tree/scripts/matrix.sh" bookworm 2>&1)
  rc=$?
  row=$(grep '| bookworm |' "$cache/tree/docs/matrix-results.md" 2>/dev/null || true)
  if [ "$rc" = 0 ] || [ -e "$cache/c2/bookworm/usr" ] ||
     ! grep -q '| FAIL |.*failed at: debootstrap and packages' <<<"$row"; then
    echo "not ok: a failed debootstrap: rc $rc, half-made chroot left: $([ -e "$cache/c2/bookworm/usr" ] && echo yes || echo no), row: '$row': $out"
    fail=1
  else
    echo "ok: a failed setup fails the suite (rc $rc), the half-made chroot is gone, the row says where: $row"
  fi
else
  echo "skip: the setup-failure check needs root"
fi
exit $fail
