package dev.wirelens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LimitsTest {
  @Test
  void tlsRecordDefaultIsTheRfc8446CiphertextLimit() {
    // RFC 8446 §5.2: "The length MUST NOT exceed 2^14 + 256 bytes."
    assertThat(Limits.defaults().maxTlsRecordLength()).isEqualTo(16384 + 256);
  }

  @Test
  void builderKeepsEveryOtherValue() {
    Limits l = Limits.builder().maxFlows(10).idleTimeout(Duration.ofSeconds(5)).build();
    assertThat(l.maxFlows()).isEqualTo(10);
    assertThat(l.idleTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(l.maxBufferedBytesPerFlow()).isEqualTo(Limits.DEFAULT_MAX_BUFFERED_BYTES_PER_FLOW);
    assertThat(l.toBuilder().build().toString()).isEqualTo(l.toString());
  }

  @Test
  void nonPositiveLimitsAreMisuse() {
    assertThatThrownBy(() -> Limits.builder().maxFlows(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Limits.builder().idleTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void truncationReportCarriesLengths() {
    MalformationReport r = new MalformationReport();
    assertThat(r.truncated(Layer.IPV4, 14, 20, 6, LengthSource.HEADER_MINIMUM)).isFalse();
    assertThat(r.malformation()).isEqualTo(Malformation.TRUNCATED);
    assertThat(r.toString()).isEqualTo("IPV4 TRUNCATED at offset 14: 20 bytes required by HEADER_MINIMUM, 6 available");
    r.clear();
    assertThat(r.isMalformed()).isFalse();
  }
}
