#!/usr/bin/env bash
# Shows `wirelens packets -` reading a live tcpdump pipe: each line appears while the capture is still running.
#
#   sudo scripts/live-demo.sh [path/to/wirelens.jar]
#
# Sets up the same namespaces as record-foundation.sh, starts `tcpdump -U -w - | java -jar wirelens.jar packets -`
# on the veth in wl-a, sends one ping per second for 3 seconds, and prints each output line prefixed with the
# wall-clock second it arrived: lines arriving a second apart prove the pipe is read as packets come in.
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"
JAR="${1:-$SCRIPT_DIR/../examples/target/wirelens.jar}"
. "$SCRIPT_DIR/lib/common.sh"
trap wl_cleanup EXIT
wl_setup
mkfifo "$WL_WORK/pipe"
ip netns exec "$WL_NS_A" tcpdump -U -i wla0 -w "$WL_WORK/pipe" icmp 2>/dev/null &
WL_CAP_PID=$!
java -jar "$JAR" packets - < "$WL_WORK/pipe" \
  | while IFS= read -r line; do printf '[%s] %s\n' "$(date +%H:%M:%S)" "$line"; done &
READER=$!
sleep 3
in_a ping -c 3 -i 1 "$WL_V4_B" >/dev/null
sleep 1
kill -INT "$WL_CAP_PID"
wait "$READER"
