#!/usr/bin/env bash
# Installs the Debian packages this project needs, only those missing.
#   scripts/install-deps.sh            build, run and test the plugin
#   scripts/install-deps.sh --gui      also the Wireshark GUI under Xvfb, for the GUI smoke
#                                      test and scripts/screenshots.sh (scripts/test.sh)
#   scripts/install-deps.sh --fuzz     also clang and valgrind (the fuzzers, tests/fuzz/valgrind.py)
#   scripts/install-deps.sh --lint     also clang-format and universal-ctags (scripts/check_format.sh, scripts/code_size.sh)
#   scripts/install-deps.sh --generate also the TLS peers that regenerate captures/
set -euo pipefail

packages=(cmake gcc make pkg-config libglib2.0-dev libwireshark-dev wireshark-dev
  libgnutls28-dev libjson-glib-dev libssl-dev tshark python3 util-linux)
for arg in "$@"; do
  case "$arg" in
    --gui) packages+=(wireshark-qt xvfb xdotool imagemagick x11-utils fonts-dejavu-core) ;;
    --fuzz) packages+=(clang valgrind) ;;
    --lint) packages+=(clang-format universal-ctags) ;;
    --generate)
      packages+=(openssl gnutls-bin nginx-light openjdk-17-jdk-headless curl iproute2 ethtool
        nodejs golang-go haproxy apache2 tinyproxy chromium nftables) ;;
    *) echo "usage: $0 [--gui] [--fuzz] [--lint] [--generate]" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "need root to install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
echo "installing: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
