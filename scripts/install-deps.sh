#!/usr/bin/env bash
# Installs the Debian packages this project needs, only those missing.
#   scripts/install-deps.sh            build, run and test the plugin
#   scripts/install-deps.sh --gui      also the Wireshark GUI under Xvfb, for the GUI smoke
#                                      test and scripts/screenshots.sh (scripts/test.sh)
#   scripts/install-deps.sh --fuzz     also clang and valgrind (the fuzzers, tests/fuzz/valgrind.py)
#   scripts/install-deps.sh --lint     also clang-format and universal-ctags (scripts/check_format.sh, scripts/code_size.sh)
#   scripts/install-deps.sh --generate also the TLS peers that regenerate captures/
set -euo pipefail

# The GUI's package: wireshark-qt up to bookworm, wireshark from trixie on (where
# wireshark-qt is gone).
codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
case "$codename" in
  buster | bullseye | bookworm) gui_package=wireshark-qt ;;
  *) gui_package=wireshark ;;
esac
fuzz=
packages=(cmake gcc make pkg-config libglib2.0-dev libwireshark-dev wireshark-dev
  libgnutls28-dev libjson-glib-dev libssl-dev tshark python3 util-linux)
for arg in "$@"; do
  case "$arg" in
    --gui) packages+=("$gui_package" xvfb xdotool imagemagick x11-utils fonts-dejavu-core) ;;
    --fuzz) packages+=(clang valgrind); fuzz=1 ;;
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

# libFuzzer is in clang's runtime package (libclang-rt-N-dev), only a Recommends of
# clang from trixie on: add the one of the clang that is (or will be) installed.
clang_runtime() {
  local v
  v=$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9][0-9]*\).*/\1/p' | head -1)
  [ -n "$v" ] && echo "libclang-rt-$v-dev"
}
runtime_missing() {
  local rt
  rt=$(clang_runtime) || return 1
  [ -n "$rt" ] && ! dpkg-query -W -f='${Status}' "$rt" 2>/dev/null | grep -q 'install ok installed' &&
    apt-cache show "$rt" >/dev/null 2>&1
}
if [ ${#missing[@]} -eq 0 ]; then
  [ -n "$fuzz" ] && runtime_missing || exit 0
fi

sudo=
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "need root to install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
[ ${#missing[@]} -eq 0 ] || echo "installing: ${missing[*]}" >&2
$sudo apt-get update -qq
[ ${#missing[@]} -eq 0 ] ||
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
if [ -n "$fuzz" ] && runtime_missing; then
  echo "installing: $(clang_runtime)" >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$(clang_runtime)" >/dev/null
fi
