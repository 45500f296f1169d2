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

  /**
   * Oracle: expected/tshark-content-type-framing.tsv, recorded by scripts/tls-content-type-framing/record.sh (tshark
   * 4.0.17): after a TLS 1.2 handshake, tshark reassembles a record split over two segments for exactly the content
   * types it takes for TLS records, and shows the others as "Ignored Unknown Record".
   */
  @Test
  void theContentTypesThatCanStartARecordAreTheOnesTsharkFramesOverTcp() throws java.io.IOException {
    int rows = 0;
    try (java.io.InputStream in = TlsDetectorTest.class.getClassLoader()
        .getResourceAsStream("expected/tshark-content-type-framing.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.startsWith("#") || line.startsWith("content_type")) {
          continue;
        }
        String[] f = line.split("\t");
        int type = Integer.parseInt(f[0]);
        boolean framed = f[1].equals("[TCP segment of a reassembled PDU]");
        assertThat(framed || f[1].equals("Ignored Unknown Record")).as(line).isTrue();
        assertThat(TlsDetector.canStartRecord(type, 0x0303)).as("content type " + type).isEqualTo(framed);
        rows++;
      }
    }
    assertThat(rows).isEqualTo(45);
  }

  @Test
  void aRecordVersionWhoseMajorByteIsNotThreeCannotStartARecord() {
    // RFC 8446 §5.1 / RFC 5246 Appendix E: SSL 3.0 and every TLS version have major byte 3; "GET /" has 0x4554
    assertThat(TlsDetector.canStartRecord(23, 0x0300)).isTrue();
    assertThat(TlsDetector.canStartRecord(23, 0x03ff)).isTrue();
    assertThat(TlsDetector.canStartRecord(23, 0x0203)).isFalse();
    assertThat(TlsDetector.canStartRecord(23, 0x0403)).isFalse();
    assertThat(TlsDetector.canStartRecord(0x47, 0x4554)).isFalse();
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
