#!/bin/sh
# Records tshark's value strings for the TLS name tables into tls/src/test/resources/names/tshark-<field>.tsv,
# the oracle NameTablesTest compares our tables with. Run from the repository root; needs tshark.
set -eu
out=tls/src/test/resources/names
version=$(tshark --version | head -1)
tshark -G values > /tmp/wirelens-tshark-values.$$
for field in tls.record.version tls.record.content_type tls.handshake.type tls.alert_message.desc tls.alert_message.level \
    tls.handshake.extension.type tls.handshake.extensions_supported_group tls.handshake.sig_hash_alg; do
  f="$out/tshark-$field.tsv"
  {
    echo "# tshark -G values | awk -F'\\t' '\$1==\"V\" && \$2==\"$field\" {print \$3 \"\\t\" \$4}'   ($version)"
    awk -F'\t' -v f="$field" '$1=="V" && $2==f {print $3 "\t" $4}' /tmp/wirelens-tshark-values.$$
  } > "$f"
done
rm -f /tmp/wirelens-tshark-values.$$
