#!/bin/sh
# Records, for every capture of the shared corpus (../shared/corpus), how many frames TShark 4.0.17 reads and the
# error it prints (empty when it reads to the end), as the oracle of CorpusFrameCountTest. Run by hand from the
# repository root where tshark and the corpus are present; CI only reads frame-counts.tsv.
set -e
CORPUS=${1:-../shared/corpus}
OUT="$(cd "$(dirname "$0")" && pwd)/frame-counts.tsv"
cd "$CORPUS"
find . -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' -o -name '*.pcap.gz' \) | sed 's|^\./||' \
  | LC_ALL=C sort | while read -r f; do
  n=$(tshark -r "$f" -T fields -e frame.number 2>/tmp/record-frame-counts.err | wc -l)
  e=$(grep -v 'Running as user' /tmp/record-frame-counts.err | tr '\n\t' '  ' | cut -c1-200)
  printf '%s\t%s\t%s\n' "$f" "$n" "$e"
done > "$OUT"
