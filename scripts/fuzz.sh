#!/usr/bin/env bash
# Runs the fuzzing campaign (issue 8): every @FuzzTest of every module, one after the other, then prints a table.
#
#   scripts/fuzz.sh [MINUTES_PER_TARGET] [TARGET_FILTER]
#
#   MINUTES_PER_TARGET  fuzzing time of each target (default 10)
#   TARGET_FILTER       extended regex matched against "module/Class#method" (default: all targets)
#
# Examples:  scripts/fuzz.sh              # all targets, 10 minutes each
#            scripts/fuzz.sh 2 pcapng/     # the pcapng module's targets, 2 minutes each
#            scripts/fuzz.sh 5 'TcpReassembler|PacketDissector'
#
# Targets are found by grep: a method annotated @FuzzTest in <module>/src/test/java (core, pcapng, tls, websocket).
# Each runs as `JAZZER_FUZZ=1 ./mvnw -o -pl <module> -am test -Dtest=Class#method` with JAZZER_MAX_DURATION
# (overrides @FuzzTest(maxDuration)); the modules it depends on are built in the same reactor, so the testkit and
# the code under test are the working tree's. Do not edit the tree while a campaign runs (each target recompiles). A finding is written by Jazzer into the target's
# src/test/resources/<package>/<Class>Inputs/<method>/ as crash-<sha1> (check it in as a regression input after
# fixing the bug); the working corpus grows in <module>/.cifuzz-corpus/ (gitignored) and is reused by later runs.
# Logs: target/fuzz/<Class>#<method>.log. Needs the JDK and a filled ~/.m2 (offline). Exit code: 1 if any target
# had a finding or did not run, else 0.
set -u
cd "$(dirname "$0")/.."
minutes="${1:-10}"
filter="${2:-.}"
logs=target/fuzz
mkdir -p "$logs"

targets=()
while IFS= read -r file; do
  module="${file%%/src/test/java/*}"
  class_path="${file#*/src/test/java/}"
  class="${class_path%.java}"
  class="${class//\//.}"
  # the method name on the first "void name(" line after each @FuzzTest annotation
  for method in $(awk '/@FuzzTest/ {want=1} want && /void [A-Za-z0-9_]+\(/ {match($0, /void [A-Za-z0-9_]+\(/); print substr($0, RSTART+5, RLENGTH-6); want=0}' "$file"); do
    target="$module/${class##*.}#$method"
    if [[ "$target" =~ $filter ]]; then
      targets+=("$module|$class|$method")
    fi
  done
done < <(grep -rl --include='*.java' '@FuzzTest' -- */src/test/java | sort)

if [ ${#targets[@]} -eq 0 ]; then
  echo "no @FuzzTest matches '$filter'" >&2
  exit 1
fi
echo "fuzzing ${#targets[@]} target(s), $minutes min each; load: $(uptime | sed 's/.*load average: //')"

summary=()
status=0
for t in "${targets[@]}"; do
  IFS='|' read -r module class method <<< "$t"
  simple="${class##*.}"
  log="$logs/$simple#$method.log"
  inputs="$module/src/test/resources/$(dirname "${class//.//}")/${simple}Inputs/$method"
  before=$(ls "$inputs" 2>/dev/null | grep -cE '^(crash|timeout|oom|leak|slow-unit)-' || true)
  echo "== $module $simple#$method ($(date -u +%H:%M:%S)Z)"
  JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${minutes}m" ./mvnw -B -o -pl "$module" -am test \
      -Dtest="$simple#$method" -Dsurefire.failIfNoSpecifiedTests=false > "$log" 2>&1
  rc=$?
  after=$(ls "$inputs" 2>/dev/null | grep -cE '^(crash|timeout|oom|leak|slow-unit)-' || true)
  # libFuzzer's last status line ("#123 NEW cov: 456 ft: 789 ...") and its "Done N runs in S second(s)"
  last=$(grep -aE '^#[0-9]+[[:space:]]+(INITED|NEW|REDUCE|pulse|DONE)' "$log" | tail -1)
  runs=$(grep -aoE 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 | awk '{print $2}')
  secs=$(grep -aoE 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 | awk '{print $5}')
  [ -z "$runs" ] && runs=$(echo "$last" | grep -oE '^#[0-9]+' | tr -d '#')
  cov=$(echo "$last" | grep -oE 'cov: [0-9]+' | awk '{print $2}')
  ft=$(echo "$last" | grep -oE 'ft: [0-9]+' | awk '{print $2}')
  rate=""
  [ -n "$runs" ] && [ -n "$secs" ] && [ "$secs" -gt 0 ] && rate=$((runs / secs))
  findings=$((after - before))
  result=ok
  if [ $findings -gt 0 ]; then
    result="FINDING (see $log)"
    status=1
  elif [ $rc -ne 0 ]; then
    result="FAILED rc=$rc (see $log)"
    status=1
  fi
  summary+=("$(printf '%-78s %12s %8s %6s %6s %8s  %s' "$simple#$method" "${runs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "$findings" "$result")")
done

echo
printf '%-78s %12s %8s %6s %6s %8s  %s\n' target executions exec/s cov ft findings result
for line in "${summary[@]}"; do
  echo "$line"
done
echo "load after: $(uptime | sed 's/.*load average: //')"
exit $status
