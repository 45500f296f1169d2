#!/bin/bash
# Runs the Jazzer fuzz campaigns of the tls and websocket modules (issue 8), one target at a time (each uses one
# core), and prints each target's libFuzzer summary line (executions, exec/s, cov, ft). Findings (crash-* files)
# land in the target's src/test/resources/<package>/<Class>Inputs/<method>/ directory, where the normal build
# replays them as regression tests; the growing corpus goes to .cifuzz-corpus/ (gitignored).
#   scripts/fuzz-campaign.sh                      all targets, each for its @FuzzTest maxDuration (5 minutes)
#   scripts/fuzz-campaign.sh tls:KeyLogFuzzTest   one target
set -u
cd "$(dirname "$0")/.."
TARGETS=(
  tls:TlsRecordReaderFuzzTest tls:HandshakeReaderFuzzTest tls:TlsDetectorFuzzTest tls:KeyLogFuzzTest
  tls:RecordDecryptorFuzzTest tls:TlsConnectionDissectorFuzzTest
  websocket:HttpUpgradeFuzzTest websocket:WebSocketFrameReaderFuzzTest websocket:MessageInflaterFuzzTest
  websocket:WebSocketConnectionDissectorFuzzTest
)
[ $# -gt 0 ] && TARGETS=("$@")
mkdir -p target/fuzz-logs
for t in "${TARGETS[@]}"; do
  mod=${t%%:*}; cls=${t#*:}
  log=target/fuzz-logs/$cls.log
  JAZZER_FUZZ=1 ./mvnw -B -o -pl "$mod" test -Dtest="$cls" -Dsurefire.failIfNoSpecifiedTests=false > "$log" 2>&1
  rc=$?
  summary=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE)' "$log" | tail -1)
  echo "$cls rc=$rc ${summary}"
  grep -m1 -E 'FuzzTestFindingException' "$log" && grep -m1 'Test unit written to' "$log"
done
