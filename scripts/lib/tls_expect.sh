# tshark's view of a TLS capture, written beside it. Source this file; call tls_expect NAME [TSHARK-ARGS...] in the
# capture's folder (NAME.pcap or NAME.pcapng, and NAME.keys there; TSHARK-ARGS e.g. -d tcp.port==8084,tls for a port tshark does
# not know). Writes (each file starts with "# " and the exact command, then a header row; tab separated):
#   NAME.tls.tsv        one row per TLS handshake message, alert, or other record, as tshark sees it WITHOUT keys
#   NAME.tls-keys.tsv   the same WITH the key log (-o tls.keylog_file:NAME.keys): TLS 1.3 handshakes decrypted
#   NAME.certs.tsv      every certificate tshark shows (with keys): DER length and SHA-256; in_clear=1 when it is
#                       also visible without keys
#   NAME.plaintext.tsv  per TCP stream and direction, the decrypted application data (follow,tls,yaml with keys):
#                       length, SHA-256, number of records' worth of chunks tshark gave
#   NAME.dsb.pcapng     NAME.pcap with the key log injected as a decryption-secrets block (editcap --inject-secrets),
#                       when the key log has any secret
# Needs tshark, editcap (wireshark-common), python3.
TLS_EXPECT_PY="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/tls_expect.py"

tls_expect() {
  local n="$1"; shift
  local cap="$n.pcap"; [ -f "$cap" ] || cap="$n.pcapng"
  local extra=("$@") tmp; local xs="${*:+ $*}"
  tmp="$(mktemp -d)"
  local json=(-T json --no-duplicate-keys -J "frame ip ipv6 tcp tls")
  local kopt=(-o "tls.keylog_file:$n.keys")
  local py="scripts/lib/tls_expect.py"
  tshark -n -r "$cap" "${extra[@]}" "${json[@]}" > "$tmp/nokeys.json" 2>/dev/null
  tshark -n -r "$cap" "${extra[@]}" "${kopt[@]}" "${json[@]}" > "$tmp/keys.json" 2>/dev/null
  { echo "# tshark -n -r $cap$xs -T json --no-duplicate-keys -J 'frame ip ipv6 tcp tls' | $py records"
    python3 "$TLS_EXPECT_PY" records < "$tmp/nokeys.json"; } > "$n.tls.tsv"
  { echo "# tshark -n -r $cap$xs -o tls.keylog_file:$n.keys -T json --no-duplicate-keys -J 'frame ip ipv6 tcp tls' | $py records"
    python3 "$TLS_EXPECT_PY" records < "$tmp/keys.json"; } > "$n.tls-keys.tsv"
  { echo "# tshark (as $n.tls-keys.tsv and as $n.tls.tsv) | $py certs KEYS.json NOKEYS.json"
    python3 "$TLS_EXPECT_PY" certs "$tmp/keys.json" "$tmp/nokeys.json"; } > "$n.certs.tsv"
  tshark -n -r "$cap" "${extra[@]}" -T fields -e frame.number -e tcp.stream -e ip.src -e ipv6.src -e tcp.srcport \
    -e tcp.flags.syn -e tcp.flags.ack > "$tmp/frames.tsv" 2>/dev/null
  local streams s yamls=()
  streams=$(cut -f2 "$tmp/frames.tsv" | grep . | sort -n | uniq)
  for s in $streams; do
    tshark -n -r "$cap" "${extra[@]}" "${kopt[@]}" -q -z "follow,tls,yaml,$s" > "$tmp/f$s.yaml" 2>/dev/null
    yamls+=("$tmp/f$s.yaml")
  done
  { echo "# for each tcp.stream N: tshark -n -r $cap$xs -o tls.keylog_file:$n.keys -q -z follow,tls,yaml,N | $py plaintext (direction by the sender of the SYN: tshark -T fields -e frame.number -e tcp.stream -e ip.src -e ipv6.src -e tcp.srcport -e tcp.flags.syn -e tcp.flags.ack)"
    python3 "$TLS_EXPECT_PY" plaintext "$tmp/frames.tsv" "${yamls[@]}"; } > "$n.plaintext.tsv"
  rm -f "$n.dsb.pcapng"
  if grep -q '^[A-Z]' "$n.keys"; then
    editcap --inject-secrets "tls,$n.keys" "$cap" "$n.dsb.pcapng"
    chmod 644 "$n.dsb.pcapng"
  fi
  chmod 644 "$n.tls.tsv" "$n.tls-keys.tsv" "$n.certs.tsv" "$n.plaintext.tsv"
  rm -r "$tmp"
  log "$n: $(($(wc -l < "$n.tls-keys.tsv") - 2)) TLS rows, $(($(wc -l < "$n.certs.tsv") - 2)) certificates, $(($(wc -l < "$n.plaintext.tsv") - 2)) plaintext directions"
}

type log >/dev/null 2>&1 || log() { printf '[record] %s\n' "$*" >&2; }
