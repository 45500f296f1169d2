package dev.wirelens.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.testkit.Hex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TlsDetectorTest {
  static TlsDetection detect(byte[] bytes) {
    ByteBuf b = Unpooled.wrappedBuffer(bytes);
    try {
      return TlsDetector.looksLikeTls(b);
    } finally {
      b.release();
    }
  }

  @Test
  void clientHelloRecordHeaderLooksLikeTls() {
    assertThat(detect(Hex.decode("16 0301 00f8"))).isEqualTo(TlsDetection.YES);
  }

  @Test
  void everyPrefixOfAHeaderNeedsMore() {
    byte[] h = Hex.decode("16 0303 0200");
    for (int n = 0; n < 5; n++) {
      assertThat(detect(java.util.Arrays.copyOf(h, n))).as("prefix %d", n).isEqualTo(TlsDetection.NEED_MORE);
    }
  }

  @Test
  void httpRequestIsNotTls() {
    assertThat(detect("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII))).isEqualTo(TlsDetection.NO);
  }

  @Test
  void versionAboveTls13IsNotTls() {
    assertThat(detect(Hex.decode("17 0305 0010"))).isEqualTo(TlsDetection.NO);
    assertThat(detect(Hex.decode("17 0203 0010"))).isEqualTo(TlsDetection.NO);
  }

  @Test
  void lengthThatCannotFitTheTypeIsNotTls() {
    assertThat(detect(Hex.decode("14 0303 0000"))).isEqualTo(TlsDetection.NO);
    assertThat(detect(Hex.decode("15 0303 0001"))).isEqualTo(TlsDetection.NO);
    assertThat(detect(Hex.decode("16 0303 0003"))).isEqualTo(TlsDetection.NO);
    assertThat(detect(Hex.decode("17 0303 4801"))).isEqualTo(TlsDetection.NO);
    assertThat(detect(Hex.decode("17 0303 0000"))).isEqualTo(TlsDetection.YES);
  }

  @Test
  void heartbeatAndUnknownTypesAreNotAStreamStart() {
    assertThat(detect(Hex.decode("18 0303 0010"))).isEqualTo(TlsDetection.NO);
    assertThat(detect(Hex.decode("00 0303 0010"))).isEqualTo(TlsDetection.NO);
  }

  @Test
  void sslv2CompatibleClientHelloLooksLikeTls() {
    assertThat(detect(Hex.decode("801f 01 0301 0006"))).isEqualTo(TlsDetection.YES);
    assertThat(detect(Hex.decode("801f 02 0301 0006"))).isEqualTo(TlsDetection.NO);
    assertThat(detect(Hex.decode("801f 01"))).isEqualTo(TlsDetection.NEED_MORE);
    // SSLv2 SERVER-HELLO (RFC 6101 Appendix E): msg_type 4, session_id_hit 0, certificate_type 1, version 0x0002
    assertThat(detect(Hex.decode("8100 04 00 01 0002"))).isEqualTo(TlsDetection.YES);
    assertThat(detect(Hex.decode("8100 04 00 01 0300"))).isEqualTo(TlsDetection.NO);
  }
}
