#!/usr/bin/env bash
# Runs the whole benchmark suite as recorded in benchmarks/README.md (about 20 minutes on 2 cores), writing one JMH
# JSON file per class to benchmarks/results/ and a log with the machine's load before and after each class (JMH's
# text output goes to benchmarks/target/<Class>.out). SKIP_BUILD=1 uses the benchmarks.jar already built.
# The synthetic capture (2 x ~1 GiB) is generated on first use into $WIRELENS_BENCH_DIR (default /tmp/wirelens-bench).
# Extra arguments go to every JMH run (e.g. -f 1 -p captureSize=256m for a quick look).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  ./mvnw -B -q -pl benchmarks -am package -DskipTests
fi
mkdir -p benchmarks/results
log=benchmarks/results/run-conditions.txt
: > "$log"
java -cp benchmarks/target/benchmarks.jar dev.wirelens.benchmarks.generator.SyntheticCapture 1g \
  | tee -a "$log"
java -cp benchmarks/target/benchmarks.jar dev.wirelens.benchmarks.generator.SyntheticCapture 1g 20261128 impaired \
  | tee -a "$log"
for class in packet.StreamingDecodeBenchmark pcapng.CaptureReaderBenchmark packet.PacketDissectorBenchmark \
    tcp.TcpReassemblyBenchmark; do
  echo "== $class start $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$log"
  java -cp benchmarks/target/benchmarks.jar "dev.wirelens.benchmarks.$class" "$@" > "benchmarks/target/${class##*.}.out" 2>&1
  echo "== $class end   $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$log"
done
python3 benchmarks/summarize.py | tee benchmarks/results/summary.md
