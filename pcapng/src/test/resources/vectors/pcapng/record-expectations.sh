#!/bin/sh
# Records what TShark's pcapng file-format dissector (tshark -X read_format:"MIME Files Format") sees in every
# conformance file, as expected values for PcapngConformanceTest. Run by hand where tshark is installed (recorded
# with TShark 4.0.17); CI only reads the outputs. <file>.tshark.tsv holds one line of tab-separated columns,
# values within a column separated by the byte 0x1e, in file order: block types, opt_comment strings (tshark
# escapes \n, \r, \t and \\), IDB link types, IDB snaplens, if_name strings, if_tsresol values.
# Note: the dissector stops at the first section whose byte order differs from the first one (test202), so its
# lists may be a prefix of the file's content; the test checks them as prefixes then.
set -e
cd "$(dirname "$0")"
for f in output_*/*/*.pcapng; do
  tshark -r "$f" -X read_format:"MIME Files Format" -T fields -E aggregator="$(printf '\036')" \
      -e pcapng.block.type -e pcapng.options.option.data.comment -e pcapng.interface_description.link_type \
      -e pcapng.interface_description.snap_length -e pcapng.options.option.data.interface.name \
      -e pcapng.options.option.data.interface.timestamp_resolution > "$f.tshark.tsv" 2>/dev/null
done
