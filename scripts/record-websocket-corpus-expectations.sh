#!/usr/bin/env bash
# Records tshark's view of every WebSocket frame in the corpus WebSocket captures, as the oracle of
# websocket/src/test/java/dev/wirelens/websocket/WebSocketCorpusTest.java.
#
# One output file per capture: websocket/src/test/resources/expected/<corpus path>.tsv, a header line with the
# tshark version and the exact command, then tshark's lines: one per packet that completes at least one WebSocket
# frame; fields holding several frames are joined with ';' (-E occurrence=a -E aggregator=';').
#
# Usage: scripts/record-websocket-corpus-expectations.sh [CORPUS_DIR]   (default /work/shared/corpus)
set -euo pipefail
corpus="${1:-/work/shared/corpus}"
here="$(cd "$(dirname "$0")/.." && pwd)"
out="$here/websocket/src/test/resources/expected"
files=(
  zeek/websocket/broker-websocket.pcap
  zeek/websocket/fragmented-http-reply.pcap
  zeek/websocket/jupyter-websocket.pcap
  zeek/websocket/message-too-big-status.pcap
  zeek/websocket/oversized-close-frame.pcapng
  zeek/websocket/reply-ping-coalesced.pcap
  zeek/websocket/reply-ping-separate.pcap
  zeek/websocket/two-binary-fragments.pcap
  zeek/websocket/wrong-accept-header.pcap
  zeek/websocket/wstunnel-http.pcap
  zeek/websocket/wstunnel-ssh.pcap
  suricata-verify/websocket/basic_websockets.pcap
  suricata-verify/websocket-compressed/example_websocket.pcap
  suricata-verify/websocket-control-frag/input.pcap
  suricata-verify/websocket-ping/input.pcap
  wireshark-notes/websocket/websocket-sip.pcapng
)
fields=(frame.number tcp.stream tcp.srcport tcp.dstport websocket.fin websocket.rsv websocket.opcode websocket.mask
  websocket.payload_length websocket.payload_length_ext_16 websocket.payload_length_ext_64
  websocket.payload.close.status_code)
version="$(tshark --version | head -1)"
for f in "${files[@]}"; do
  mkdir -p "$out/$(dirname "$f")"
  args=(-r "$f" -Y websocket -T fields -E occurrence=a -E "aggregator=;")
  for x in "${fields[@]}"; do args+=(-e "$x"); done
  {
    echo "# $version: cd CORPUS && tshark ${args[*]}"
    (cd "$corpus" && tshark "${args[@]}" 2>/dev/null)
  } > "$out/$f.tsv"
done

# The audit's WebSocket tests (examples module) read four of the zeek traces, copied beside their expectations.
for f in two-binary-fragments reply-ping-coalesced message-too-big-status wrong-accept-header; do
  cp "$out/zeek/websocket/$f.pcap.tsv" "$here/examples/src/test/resources/captures/zeek-websocket/$f.pcap.tsv"
done
