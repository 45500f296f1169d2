package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.testkit.Corpus;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code wirelens audit --json} against tshark 4.0 on corpus captures with retransmissions, duplicate ACKs,
 * out-of-order segments, zero windows and port reuse: tshark's numbers are in {@code captures/audit-corpus.tsv}
 * (recorded by {@code scripts/record-audit-expectations.sh}, same columns as audit.tsv), the captures are read from
 * ../shared/corpus. Bytes and gaps are not compared here (no follow output is recorded for these).
 */
@Tag("corpus")
class AuditCommandMatchesTsharkOnCorpusTest {
  @Test
  void everyConnectionMatchesTshark() throws IOException {
    int compared = AuditCommandMatchesTsharkTest.compare(AuditCommandMatchesTsharkTest.rows("audit-corpus.tsv"),
        file -> Corpus.root().resolve(file), Map.of());
    assertThat(compared).isEqualTo(40);
  }
}
