#!/usr/bin/env bash
# Records tshark's decryption of TLS captures with their key logs as the expected values of the tls module's
# decryption tests (TlsCaptureDecryptionTest, TlsCorpusDecryptionTest). CI never runs this; it reads the output.
# Usage: scripts/record-tls-decryption-expectations.sh [CORPUS_DIR]   (default ../shared/corpus)
#
# For every (capture, key log) pair and every tcp.stream N of the capture it runs
#   tshark -r CAPTURE -o tcp.reassemble_out_of_order:TRUE -o tls.keylog_file:KEYLOG -q -z follow,tls,raw,N
# (out-of-order reassembly on, as Wirelens's TcpReassembler does: with tshark 4.0's default (off) gopacket's
# test301 loses 553,496 bytes of the server's stream to out-of-order segments)
# and writes one line: the decrypted application data each node sent, as length and SHA-256, with node 0's
# "ip:port" (tshark's follow,tls numbers the nodes by the first decrypted data, so node 0 may be the server: the
# tests match node 0 against the connection's client endpoint). Unindented hex lines are node 0's, tab-indented
# lines node 1's.
#
# Output: tls/src/test/resources/expected/tls-decryption.tsv, columns
#   capture  keylog  stream  node0  node0_bytes  node0_sha256  node1_bytes  node1_sha256
# capture and keylog are "resources:<path under tls/src/test/resources>" or "corpus:<path under the corpus>";
# keylog "embedded:dsb" means the capture's own pcapng Decryption Secrets Block (tshark run without a key log file).
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
CORPUS="${1:-$REPO_DIR/../shared/corpus}"
RES="$REPO_DIR/tls/src/test/resources"
OUT="$RES/expected/tls-decryption.tsv"
mkdir -p "$(dirname "$OUT")"

resolve() { # "resources:x" or "corpus:x" -> file path
  case "$1" in
    resources:*) echo "$RES/${1#resources:}" ;;
    corpus:*) echo "$CORPUS/${1#corpus:}" ;;
  esac
}

PAIRS=()
for p in "$RES"/captures/tls/*.pcap; do
  b="$(basename "$p" .pcap)"
  PAIRS+=("resources:captures/tls/$b.pcap resources:captures/tls/$b.keys")
done
# the whole snet matrix (tests.conf), read in place by the corpus-tagged sweep
SNET=snet-decrypt-by-keylog
while read -r pcap keylog; do
  PAIRS+=("corpus:$SNET/decrypt_by_keylog/$pcap corpus:$SNET/decrypt_by_keylog/$keylog")
done < <(awk -F' = ' '/^pcap/ {p=$2} /^keylog/ {sub(".*/", "", p); k=$2; sub(".*/", "", k); print p, k}' \
  "$CORPUS/$SNET/tests.conf")
PAIRS+=("corpus:zeek/tls/tls-1.2-stream-keylog.pcap corpus:zeek/tls/tls-1.2-stream-keylog.keylog")
# keys in a pcapng Decryption Secrets Block: tshark reads them itself ("embedded:dsb" = no -o tls.keylog_file)
PAIRS+=("corpus:gopacket/le/test301.pcapng embedded:dsb")
# keys in the SHB comment: tshark gets the sidecar .keylog extracted from it; the test reads the comment
for p in "$CORPUS"/wireshark-notes/keys-in-shb-comment/*.pcapng; do
  b="wireshark-notes/keys-in-shb-comment/$(basename "$p" .pcapng)"
  PAIRS+=("corpus:$b.pcapng corpus:$b.keylog")
done
PAIRS+=("corpus:wireshark-notes/tls12-73-ciphersuites/dump.pcapng corpus:wireshark-notes/tls12-73-ciphersuites/premaster.txt")
PAIRS+=("corpus:wireshark-testcaptures-via-wirerust/tls13-rfc8446.pcap corpus:wireshark-testcaptures-via-wirerust/tls13-rfc8446.keys")
PAIRS+=("corpus:wireshark-testcaptures-via-wirerust/tls13-rfc8446.pcap corpus:wireshark-testcaptures-via-wirerust/tls13-rfc8446-noearly.keys")

{
  echo "# $(tshark --version | head -1); made by scripts/record-tls-decryption-expectations.sh:"
  echo "# tshark -r CAPTURE -o tcp.reassemble_out_of_order:TRUE -o tls.keylog_file:KEYLOG -q -z follow,tls,raw,N  (per tcp.stream N; bytes + SHA-256 per node)"
  printf 'capture\tkeylog\tstream\tnode0\tnode0_bytes\tnode0_sha256\tnode1_bytes\tnode1_sha256\n'
  for pair in "${PAIRS[@]}"; do
    read -r cap key <<< "$pair"
    cfile="$(resolve "$cap")"
    keyopt=()
    if [[ "$key" != embedded:* ]]; then
      kfile="$(resolve "$key")"
      [ -f "$kfile" ] || { echo "missing $kfile" >&2; continue; }
      keyopt=(-o "tls.keylog_file:$kfile")
    fi
    [ -f "$cfile" ] || { echo "missing $cfile" >&2; continue; }
    for n in $(tshark -r "$cfile" -T fields -e tcp.stream 2>/dev/null | sort -un); do
      tshark -r "$cfile" -o tcp.reassemble_out_of_order:TRUE "${keyopt[@]}" -q -z "follow,tls,raw,$n" 2>/dev/null | python3 -c '
import hashlib, sys
node0 = None; n0 = bytearray(); n1 = bytearray(); body = False
for line in sys.stdin:
    line = line.rstrip("\n")
    if line.startswith("Node 0: "):
        node0 = line[8:]
        continue
    if line.startswith("Node 1: "):
        body = True
        continue
    if not body or line.startswith("===") or not line.strip():
        continue
    if line.startswith("\t"):
        n1 += bytes.fromhex(line.strip())
    else:
        n0 += bytes.fromhex(line.strip())
print("\t".join([sys.argv[1], sys.argv[2], sys.argv[3], node0 or "",
    str(len(n0)), hashlib.sha256(n0).hexdigest(), str(len(n1)), hashlib.sha256(n1).hexdigest()]))
' "$cap" "$key" "$n"
    done
  done
} > "$OUT"
echo "wrote $OUT ($(grep -vc '^#' "$OUT") lines)"
