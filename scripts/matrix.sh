#!/usr/bin/env bash
# Builds and tests the plugin against other Wireshark versions, each in a
# Debian chroot made with debootstrap from Debian's archive (needs root):
#   sudo scripts/matrix.sh [bookworm] [trixie] [sid]   (default: all three)
# bookworm has Wireshark 4.0, trixie 4.4, sid 4.6.
# Chroots are cached in $APG_CHROOTS (default /var/cache/apigee-hs-chroots);
# a suite takes 1.1 GB; its first run downloads for about two minutes, a test run
# takes about 100 s.
# Then every bundled and public capture's verdicts (scripts/verdict_tables.sh)
# are compared with the host's (Wireshark 4.0 on Debian 12, built from the same
# files): a difference not explained in tests/e2e/version-differences.tsv
# fails the suite.
# Results are appended to docs/matrix-results.md, a row per suite even when
# it fails (naming the step); the exit status is 1 if any suite failed. A chroot is reused only
# once its setup finished (its .apg-ready stamp); an interrupted run leaves no
# proc mounted.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${APG_CHROOTS:-/var/cache/apigee-hs-chroots}
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(bookworm trixie sid)
# Only Debian suite names: a name becomes a path under $cache.
for suite in "${suites[@]}"; do
  case "$suite" in
    bookworm | trixie | forky | sid) ;;
    *) echo "matrix.sh: unknown suite '$suite' (bookworm, trixie, forky, sid)" >&2; exit 2 ;;
  esac
done

[ "$(id -u)" = 0 ] || { echo "matrix.sh needs root (debootstrap, chroot)" >&2; exit 1; }
command -v debootstrap >/dev/null || { apt-get update -qq; apt-get install -y -qq debootstrap >/dev/null; }

deps="cmake gcc make pkg-config libglib2.0-dev libwireshark-dev wireshark-dev libgnutls28-dev tshark python3 util-linux"
mkdir -p "$cache"

# Whatever happens (an error, Ctrl-C), no proc stays mounted in a chroot.
mounted=()
cleanup() {
  for m in "${mounted[@]}"; do
    mountpoint -q "$m" && umount "$m" || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

in_chroot() { chroot "$1" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 "${@:2}"; }

# apt-get update in a chroot. The archive a machine reaches may be a snapshot
# whose Release file has expired (sid's, a month after the snapshot): then the
# update is done again without the expiry check, and the run says so (note).
apt_update() { # DIR
  local log
  log=$(in_chroot "$1" apt-get update -qq 2>&1) && ! grep -q "is expired" <<<"$log" && return 0
  if grep -q "is expired" <<<"$log"; then
    echo "$(basename "$1"): the archive's Release file has expired; updating without the expiry check" >&2
    echo "Release file expired: apt-get update with Acquire::Check-Valid-Until=false" >"$1.note"
    printf 'Acquire::Check-Valid-Until "false";\n' >"$1/etc/apt/apt.conf.d/99apg-snapshot"
    in_chroot "$1" apt-get update -qq
    return
  fi
  echo "$log" >&2
  return 1
}

mount_proc() {
  mountpoint -q "$1/proc" || { mount -t proc proc "$1/proc"; mounted+=("$1/proc"); }
}

# Sets dir to a ready chroot of SUITE. Not run inside $(...), so that set -e
# stops the script at the first failed step; a chroot is ready only once its
# stamp is written, and one without it (a run cut short) is made again.
prepare() {
  dir=$cache/$1
  if [ ! -e "$dir/.apg-ready" ]; then
    if [ -d "$dir" ]; then
      echo "$1: removing a chroot a previous run did not finish" >&2
      mountpoint -q "$dir/proc" && umount "$dir/proc"
      rm -rf --one-file-system "$dir"
    fi
    debootstrap --variant=minbase --include=ca-certificates "$1" "$dir" \
      http://deb.debian.org/debian >/dev/null
    mount_proc "$dir"
    apt_update "$dir"
    in_chroot "$dir" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $deps >/dev/null
    touch "$dir/.apg-ready"
  fi
  mount_proc "$dir"
}

# One suite, whole, in a subshell with set -e: a failing step fails the suite (its
# row says at which step, from $cache/SUITE.step), never the run, so that every
# suite gets its row.
run_suite() { # SUITE
  local suite=$1
  echo "debootstrap and packages" >"$cache/$suite.step"
  prepare "$suite"
  echo "copying the sources" >"$cache/$suite.step"
  rm -rf "$dir/src" && mkdir -p "$dir/src"
  (cd "$top" && git ls-files -z | xargs -0 cp --parents -t "$dir/src")
  if [ -d "$top/../shared/captures/public" ]; then
    mkdir -p "$dir/shared/captures" && cp -r "$top/../shared/captures/public" "$dir/shared/captures/"
  fi
  echo "the test command" >"$cache/$suite.step"
  # The README's test command, inside the chroot.
  in_chroot "$dir" sh -c 'cd /src && scripts/test.sh' >"$cache/$suite.log" 2>&1
  echo "the verdict comparison" >"$cache/$suite.step"
  compare_verdicts "$suite"
}

# The host's verdict tables: the same files built in a copy (never the
# user's build/), with the host's Wireshark; made once, when the first suite
# has passed its tests (a suite runs in a subshell: the version is kept in
# $cache/host.version), and kept for a later run while the files that make
# them (all but docs/ and *.md) are the same. Sets ref_version; empty without
# a host build.
sources_id() {
  (cd "$top" && git ls-files -z | grep -zv -e '^docs/' -e '\.md$' | xargs -0 sha256sum | sha256sum | cut -c1-16)
}
host_tables() {
  if [ -s "$cache/host.version" ] && [ -n "$(sed -n 1p "$cache/host.version")" ] &&
     [ "$(sed -n 2p "$cache/host.version")" = "$(sources_id)" ]; then
    ref_version=$(sed -n 1p "$cache/host.version")
    return 0
  fi
  local copy=$cache/host
  ref_version=
  : >"$cache/host.version"
  rm -rf "$copy" "$cache/host.verdicts" && mkdir -p "$copy/src"
  (cd "$top" && git ls-files -z | xargs -0 cp --parents -t "$copy/src")
  [ -d "$top/../shared" ] && ln -sfn "$(cd "$top/../shared" && pwd)" "$copy/shared"
  if ! "$copy/src/scripts/build.sh" >"$cache/host.log" 2>&1; then
    echo "matrix.sh: the host build failed (log $cache/host.log): no verdict comparison" >&2
    return 0
  fi
  "$copy/src/scripts/verdict_tables.sh" "$copy/src" "$cache/host.verdicts" >>"$cache/host.log" 2>&1
  ref_version=$(tshark -v 2>/dev/null | head -1 | sed 's/^TShark (Wireshark) \([^ ]*\).*/\1/')
  printf '%s\n%s\n' "$ref_version" "$(sources_id)" >"$cache/host.version"
}

# SUITE's verdict tables ($cache/SUITE.verdicts) against the host's; the row's note
# (from $cache/SUITE.compared) says how they compare.
compare_verdicts() { # SUITE
  host_tables
  [ -n "$ref_version" ] || { echo "no verdict comparison (no host build)" >"$dir.compared"; return 0; }
  rm -rf "$dir/tmp/verdicts" "$cache/$1.verdicts"
  in_chroot "$dir" sh -c 'cd /src && scripts/verdict_tables.sh /src /tmp/verdicts' >>"$cache/$1.log" 2>&1
  cp -r "$dir/tmp/verdicts" "$cache/$1.verdicts"
  local summary rc=0
  summary=$("$top/scripts/verdict_diff.py" "$cache/host.verdicts" "$cache/$1.verdicts" --tables-only \
    --known "$top/tests/e2e/version-differences.tsv" 2>&1 | tee "$cache/$1.verdict-diff" | tail -1) || rc=$?
  echo "verdicts against $ref_version: $summary" >"$dir.compared"
  return $rc
}

failed=0
for suite in "${suites[@]}"; do
  start=$(date +%s)
  dir=$cache/$suite
  rm -f "$cache/$suite.step" "$dir.note" "$dir.compared"
  set +e
  (set -e; run_suite "$suite")
  rc=$?
  set -e
  note=$(cat "$dir.note" "$dir.compared" 2>/dev/null | paste -sd';' - | sed 's/;/; /g' || true)
  status=pass
  if [ $rc -ne 0 ]; then
    status=FAIL
    failed=1
    note="failed at: $(cat "$cache/$suite.step" 2>/dev/null || echo start)${note:+; $note}"
  fi
  version=$(in_chroot "$dir" dpkg-query -W -f '${Version}' tshark 2>/dev/null || echo -)
  [ -f "$cache/$suite.log" ] && tail -3 "$cache/$suite.log"
  mountpoint -q "$dir/proc" && umount "$dir/proc" || true
  secs=$(( $(date +%s) - start ))
  echo "$suite: Wireshark $version: $status in ${secs}s (log $cache/$suite.log)"
  printf '| %s | %s | %s | %s | %s | %ss | %s |\n' "$(date -u +%Y-%m-%d)" \
    "$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo -)" "$suite" "$version" "$status" \
    "$secs" "$note" >>"$top/docs/matrix-results.md"
done
# Every suite has its row; the run fails if one suite did.
exit $failed
