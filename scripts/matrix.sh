#!/usr/bin/env bash
# Builds and tests the plugin against other Wireshark versions, each in a
# Debian chroot made with debootstrap from Debian's archive (needs root):
#   sudo scripts/matrix.sh [bookworm] [trixie] [sid]   (default: all three)
# bookworm has Wireshark 4.0, trixie 4.4, sid 4.6.
# Chroots are cached in $APG_CHROOTS (default /var/cache/apigee-hs-chroots);
# a suite takes 1.1 GB; its first run downloads for about two minutes, a test run
# takes about 100 s.
# Results are appended to docs/matrix-results.md. A chroot is reused only
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
    in_chroot "$dir" apt-get update -qq
    in_chroot "$dir" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $deps >/dev/null
    touch "$dir/.apg-ready"
  fi
  mount_proc "$dir"
}

for suite in "${suites[@]}"; do
  start=$(date +%s)
  prepare "$suite"
  version=$(in_chroot "$dir" dpkg-query -W -f '${Version}' tshark)
  rm -rf "$dir/src" && mkdir -p "$dir/src"
  (cd "$top" && git ls-files -z | xargs -0 cp --parents -t "$dir/src")
  [ -d "$top/../shared/captures/public" ] && mkdir -p "$dir/shared/captures" &&
    cp -r "$top/../shared/captures/public" "$dir/shared/captures/"
  status=pass
  # The README's test command, inside the chroot.
  if ! in_chroot "$dir" sh -c 'cd /src && scripts/test.sh' >"$cache/$suite.log" 2>&1; then
    status=FAIL
  fi
  tail -3 "$cache/$suite.log"
  umount "$dir/proc" || true
  secs=$(( $(date +%s) - start ))
  echo "$suite: Wireshark $version: $status in ${secs}s, chroot $(du -sh --one-file-system "$dir" | cut -f1) (log $cache/$suite.log)"
  printf '| %s | %s | %s | %s | %s | %ss | |\n' "$(date -u +%Y-%m-%d)" \
    "$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo -)" "$suite" "$version" "$status" \
    "$secs" >>"$top/docs/matrix-results.md"
done
