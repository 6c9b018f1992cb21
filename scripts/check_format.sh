#!/usr/bin/env bash
# Fails when a C file of the project differs from .clang-format (clang-format 14,
# Debian 12's). Reformat with: scripts/check_format.sh --fix
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
command -v clang-format >/dev/null || { echo "clang-format is not installed (scripts/install-deps.sh --lint)" >&2; exit 1; }
mapfile -t files < <(find core include plugin tests bench -name '*.[ch]' -not -path '*/build*' | sort)
if [ "${1:-}" = --fix ]; then
  clang-format -i "${files[@]}"
  exit 0
fi
bad=0
for f in "${files[@]}"; do
  if ! clang-format "$f" | cmp -s - "$f"; then
    echo "differs from .clang-format: $f (scripts/check_format.sh --fix)" >&2
    bad=$((bad + 1))
  fi
done
echo "${#files[@]} C files checked, $bad differ from .clang-format"
[ "$bad" -eq 0 ]
