#!/usr/bin/env bash
# Screenshots of this build in the real Wireshark GUI (Debian's wireshark-qt under
# Xvfb), for docs/training.md and the README:
#   scripts/screenshots.sh            # rewrites docs/screenshots/*.png
#   scripts/screenshots.sh --quick D  # one screenshot into D, and the GUI smoke test:
#                                     # the tests run this so the script cannot rot
# The plugin and the Apigee-HS profile are installed with `cmake --install` into a
# private HOME, as a user would; Wireshark runs as an unprivileged user (as root it
# would ignore the personal plugin folder). Needs: sudo scripts/install-deps.sh --gui
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out="$top/docs/screenshots"
quick=0
if [ "${1:-}" = --quick ]; then
  quick=1
  out=${2:?--quick needs an output folder}
fi
for tool in wireshark Xvfb xdotool import xwininfo setpriv; do
  command -v "$tool" >/dev/null || { echo "missing $tool: sudo scripts/install-deps.sh --gui" >&2; exit 2; }
done
[ -d "$top/build/plugins" ] || { echo "no plugin built yet: run scripts/build.sh" >&2; exit 2; }
mkdir -p "$out"

work=$(mktemp -d /tmp/apg-shots.XXXXXX)
xvfb_pid= gui_pid=
cleanup() {
  [ -n "$gui_pid" ] && kill "$gui_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A user's installation: the plugin and the profile, in a private HOME.
home="$work/home"
mkdir -p "$home" "$work/files"
HOME="$home" cmake --install "$top/build" >/dev/null
profile="$home/.config/wireshark/profiles/Apigee-HS"
# Fixed geometry, no bytes pane: the same picture on every machine. The column
# widths are the profile's own (profiles/Apigee-HS/recent), as a user gets them.
grep -q '^column.width:' "$profile/recent" || { echo "the installed profile has no column widths" >&2; exit 1; }
cat >> "$profile/recent" <<'EOF'
gui.geometry_main_x: 0
gui.geometry_main_y: 0
gui.geometry_main_width: 1600
gui.geometry_main_height: 1000
gui.geometry_main_maximized: FALSE
gui.geometry_main_upper_pane: 330
gui.byte_view_show: FALSE
EOF
cp "$top"/captures/*.pcapng "$work/files/"
chown -R 65534:65534 "$home"
chmod -R a+rX "$work"
mkdir -m 700 "$work/run" && chown 65534:65534 "$work/run"

display=
for n in $(seq 90 120); do
  [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || { display=":$n"; break; }
done
[ -n "$display" ] || { echo "no free X display" >&2; exit 2; }
Xvfb "$display" -screen 0 1600x1000x24 -ac -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
export DISPLAY="$display"
for _ in $(seq 50); do xwininfo -root >/dev/null 2>&1 && break; sleep 0.2; done

ROLES=(-o apigee_hs.router_addrs:127.0.1.1 -o apigee_hs.mp_addrs:127.0.2.10)

# start CAPTURE [wireshark args...]: the GUI on a bundled capture, as user 65534.
start() {
  local capture=$1
  shift
  setpriv --reuid=65534 --regid=65534 --clear-groups env -i HOME="$home" DISPLAY="$display" \
    XDG_RUNTIME_DIR="$work/run" PATH=/usr/bin:/bin LC_ALL=C.UTF-8 \
    wireshark -C Apigee-HS "${ROLES[@]}" -r "$work/files/$capture.pcapng" "$@" \
    >"$work/wireshark.out" 2>"$work/wireshark.err" &
  gui_pid=$! # setpriv and env exec: this is Wireshark's own process
}

# window TITLE-PART: waits for a window and prints its id.
window() {
  local id
  for _ in $(seq 100); do
    id=$(xdotool search --name "$1" 2>/dev/null | tail -1 || true)
    [ -n "$id" ] && { sleep 1.5; echo "$id"; return; }
    sleep 0.2
  done
  echo "no window named $1: $(tail -3 "$work/wireshark.err")" >&2
  return 1
}

# stop: ends the GUI this script started (by its process id, never by name:
# another Wireshark of the same user is left alone).
stop() {
  [ -n "$gui_pid" ] || return 0
  kill "$gui_pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$gui_pid" 2>/dev/null || break; sleep 0.2; done
  wait "$gui_pid" 2>/dev/null || true
  gui_pid=
}

# The main window: the packet list in the profile's columns and colours, and the
# verdict frame's tree with the diagnosis expanded (it is the last protocol).
shot_tree() { # NAME CAPTURE FRAME
  start "$2" -g "$3"
  local main
  main=$(window "$2.pcapng")
  xdotool windowsize "$main" 1600 1000 windowmove "$main" 0 0
  sleep 1
  # the details pane starts below the packet list; the diagnosis is its last line
  local y
  y=$(( 330 + 105 + 5 * 17 ))
  xdotool mousemove 300 "$y" click 1
  sleep 0.3
  xdotool key shift+Right
  sleep 1
  import -window root "$out/$1.png"
  stop
}

# shoot_dialog NAME WINDOW-ID WIDTH HEIGHT: one dialog, at a fixed size, then close the GUI.
shoot_dialog() {
  xdotool windowsize "$2" "$3" "$4" windowmove "$2" 0 0
  sleep 1.5
  import -window "$2" "$out/$1.png"
  stop
}

shot_expert() { # NAME CAPTURE
  start "$2" -z expert
  shoot_dialog "$1" "$(window "Expert Information")" 1100 500
}

shot_stats() { # NAME CAPTURE
  start "$2"
  local main
  main=$(window "$2.pcapng")
  xdotool windowsize "$main" 1600 1000 windowmove "$main" 0 0
  sleep 1
  xdotool mousemove 325 10 click 1   # Statistics
  sleep 1
  xdotool mousemove 412 688 click 1  # Apigee handshake diagnosis (the menu's last group)
  shoot_dialog "$1" "$(window "Apigee handshake diagnosis ·")" 1000 560
}

# The per-handshake table of the Statistics menu (stat_tap_table_ui), opened as
# the menu does: the dialog retaps the file and lists one row per handshake.
shot_table() { # NAME CAPTURE
  start "$2" -z apigee_hs,table
  shoot_dialog "$1" "$(window "Apigee handshakes ·")" 1500 420
}

# Preferences that cannot be used: the dialog Wireshark shows when they are applied.
shot_prefs() { # NAME CAPTURE
  start "$2" -o apigee_hs.router_addrs:10.0.0.0/33 -o apigee_hs.truststore:/etc/hostname
  local dialog=
  for _ in $(seq 100); do
    # a message box is titled "Wireshark" and, unlike Qt's hidden helper, has a class
    dialog=$(xwininfo -root -tree | awk '/"Wireshark": \("wireshark"/ {print $1}' | tail -1)
    [ -n "$dialog" ] && break
    sleep 0.2
  done
  [ -n "$dialog" ] || { echo "no preference dialog" >&2; return 1; }
  sleep 1.5
  import -window "$dialog" "$out/$1.png"
  stop
}

# The smoke test: the GUI loads the plugin, diagnoses, and is still running.
smoke() {
  start southbound-hostname-mismatch -z apigee_hs,handshakes
  window "southbound-hostname-mismatch.pcapng" >/dev/null
  for _ in $(seq 50); do grep -q "handshake ===" "$work/wireshark.out" && break; sleep 0.2; done
  if ! grep -qE "cert_hostname_mismatch +certain +southbound" "$work/wireshark.out"; then
    echo "GUI smoke test: the plugin did not diagnose in the GUI:" >&2
    cat "$work/wireshark.out" "$work/wireshark.err" >&2
    exit 1
  fi
  if ! grep -q "^File: southbound-hostname-mismatch.pcapng$" "$work/wireshark.out"; then
    echo "GUI smoke test: the table names no file" >&2
    exit 1
  fi
  kill -0 "$gui_pid" 2>/dev/null || { echo "GUI smoke test: Wireshark died" >&2; exit 1; }
  if grep -E "Dissector bug|CRITICAL|Segmentation" "$work/wireshark.err" >&2; then
    echo "GUI smoke test: errors on stderr" >&2
    exit 1
  fi
  stop
  echo "GUI smoke test: Wireshark $(wireshark --version | head -1 | awk '{print $2}') loaded the plugin and diagnosed the capture"
}

smoke
if [ "$quick" = 1 ]; then
  shot_tree tree "southbound-hostname-mismatch" 8
  size=$(stat -c %s "$out/tree.png")
  [ "$size" -gt 20000 ] || { echo "screenshot $out/tree.png is only $size bytes" >&2; exit 1; }
  echo "wrote $out/tree.png ($size bytes)"
  shot_table table many-conversations
  size=$(stat -c %s "$out/table.png")
  [ "$size" -gt 20000 ] || { echo "screenshot $out/table.png is only $size bytes" >&2; exit 1; }
  echo "wrote $out/table.png ($size bytes): the handshake table opened in the GUI"
  exit 0
fi
shot_tree tree-southbound-hostname-mismatch southbound-hostname-mismatch 8
shot_tree tree-tls13-hostname-mismatch-keyless tls13-hostname-mismatch 8
shot_tree profile-many-conversations many-conversations 85
shot_expert expert-dialog southbound-chain-missing-intermediate
shot_stats statistics-tree many-conversations
shot_table handshake-table many-conversations
shot_prefs bad-preferences tls12-ok
echo "wrote $(ls "$out"/*.png | wc -l) screenshots into $out"
