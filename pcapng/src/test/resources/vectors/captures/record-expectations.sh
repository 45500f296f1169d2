#!/bin/sh
# Records tshark's view of every capture in this folder as the expected values of CaptureExpectationsTest.
# Run by hand where tshark is installed (recorded with TShark 4.0.17, Debian 12); CI only reads the outputs.
#   <capture>.frames.tsv     tshark -T fields: frame.number, frame.time_epoch, frame.cap_len, frame.len,
#                            frame.interface_id (one line per frame tshark could read)
#   <capture>.linktypes.tsv  tshark's file-format dissector (-X read_format:"MIME Files Format"): the pcap
#                            header link type field, or the link type and snaplen of every IDB, in file order
#   <capture>.dsb.tsv        (pcapng with Decryption Secrets Blocks) secrets type, length and data (hex)
#   <capture>.tshark.txt     tshark's error message on stderr (empty when it read the file to the end)
set -e
cd "$(dirname "$0")"
for f in *.pcap *.pcapng *.pcap.gz; do
  [ -f "$f" ] || continue
  tshark -r "$f" -T fields -e frame.number -e frame.time_epoch -e frame.cap_len -e frame.len \
      -e frame.interface_id > "$f.frames.tsv" 2> "$f.tshark.txt" || true
  grep -v 'Running as user' "$f.tshark.txt" > "$f.tshark.tmp" || true
  mv "$f.tshark.tmp" "$f.tshark.txt"
  tshark -r "$f" -X read_format:"MIME Files Format" -T fields -e pcap.header.link_type \
      -e pcapng.interface_description.link_type -e pcapng.interface_description.snap_length \
      > "$f.linktypes.tsv" 2>/dev/null || true
  case "$f" in *.pcapng)
    tshark -r "$f" -X read_format:"MIME Files Format" -T fields -e pcapng.dsb.secrets_type \
        -e pcapng.dsb.secrets_length -e pcapng.dsb.secrets_data 2>/dev/null | grep -v '^\s*$' > "$f.dsb.tsv" || true
    [ -s "$f.dsb.tsv" ] || rm -f "$f.dsb.tsv";;
  esac
done
