#!/bin/sh
# Regenerates the writer samples and records what tshark reads from them (TShark 4.0.17); run by hand from the
# pcapng module directory after `mvn test-compile`, with the test class path in CP:
#   java -cp target/classes:target/test-classes:$CP dev.wirelens.pcapng.WrittenSamples
#   src/test/resources/vectors/written/record-expectations.sh
# Outputs per sample, besides the formats of ../captures/record-expectations.sh (frames, linktypes, dsb, tshark):
#   <sample>.packets.tsv  frame.number, frame.comment (tshark escapes \n), frame.packet_flags
#   <sample>.file.tsv     pcapng file dissector, values separated by 0x1e: SHB comment, shb_hardware, shb_os,
#                         shb_userappl, if_name, if_description, if_tsresol
set -e
cd "$(dirname "$0")"
for f in *.pcap *.pcapng; do
  tshark -r "$f" -T fields -e frame.number -e frame.time_epoch -e frame.cap_len -e frame.len \
      -e frame.interface_id > "$f.frames.tsv" 2> "$f.tshark.txt" || true
  grep -v 'Running as user' "$f.tshark.txt" > "$f.tshark.tmp" || true
  mv "$f.tshark.tmp" "$f.tshark.txt"
  tshark -r "$f" -X read_format:"MIME Files Format" -T fields -e pcap.header.link_type \
      -e pcapng.interface_description.link_type -e pcapng.interface_description.snap_length \
      > "$f.linktypes.tsv" 2>/dev/null || true
  tshark -r "$f" -T fields -e frame.number -e frame.comment -e frame.packet_flags > "$f.packets.tsv" 2>/dev/null
  case "$f" in *.pcapng)
    tshark -r "$f" -X read_format:"MIME Files Format" -T fields -E aggregator="$(printf '\036')" \
        -e pcapng.options.option.data.comment -e pcapng.options.option.data.hardware \
        -e pcapng.options.option.data.os -e pcapng.options.option.data.user_application \
        -e pcapng.options.option.data.interface.name -e pcapng.options.option.data.interface.description \
        -e pcapng.options.option.data.interface.timestamp_resolution > "$f.file.tsv" 2>/dev/null
    tshark -r "$f" -X read_format:"MIME Files Format" -T fields -e pcapng.dsb.secrets_type \
        -e pcapng.dsb.secrets_length -e pcapng.dsb.secrets_data 2>/dev/null | grep -v '^\s*$' > "$f.dsb.tsv" || true
    [ -s "$f.dsb.tsv" ] || rm -f "$f.dsb.tsv";;
  esac
done
