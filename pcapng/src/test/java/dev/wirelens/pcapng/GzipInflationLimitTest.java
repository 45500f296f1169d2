package dev.wirelens.pcapng;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Layer;
import dev.wirelens.Limits;
import dev.wirelens.Malformation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * {@link Limits#maxCaptureInflationRatio()}: a gzip-compressed capture that decompresses beyond the ratio (plus
 * {@link Limits#CAPTURE_INFLATION_ALLOWANCE}) ends with LIMIT_EXCEEDED after the frames decompressed until then; one
 * within it is read whole.
 */
class GzipInflationLimitTest {
  private static final int RECORD = 16 + 65_000;
  private static final int RECORDS = 1_300; // ~84.5 MB of frames of zeros: compresses about 1,000 times

  @Test
  void aCaptureInflatingBeyondTheRatioEndsWithLimitExceededAfterTheFramesBeforeTheCut() throws IOException {
    byte[] gz = zeroFramesGzipped();
    CaptureReader r = CaptureReader.open(new ByteArrayInputStream(gz), Limits.builder().maxCaptureInflationRatio(10)
        .build());
    long frames = 0;
    DecodeStatus s;
    while ((s = r.next()) == DecodeStatus.FRAME) {
      frames++;
    }
    assertThat(s).isEqualTo(DecodeStatus.MALFORMED);
    assertThat(r.isInflationLimitExceeded()).isTrue();
    assertThat(r.report().malformation()).isEqualTo(Malformation.LIMIT_EXCEEDED);
    assertThat(r.report().layer()).isEqualTo(Layer.CAPTURE);
    long cut = r.report().offset();
    // decompressed bytes read: more than 10 x compressed (at most all of it) + 64 MiB, less than the whole capture
    assertThat(cut).isGreaterThan(Limits.CAPTURE_INFLATION_ALLOWANCE)
        .isLessThanOrEqualTo(Limits.CAPTURE_INFLATION_ALLOWANCE + 10L * gz.length + (1 << 20))
        .isLessThan(24L + (long) RECORDS * RECORD);
    assertThat(frames).isEqualTo((cut - 24) / RECORD); // every whole record before the cut was delivered
    r.close();
  }

  @Test
  void theSameCaptureWithinTheDefaultRatioIsReadWhole() throws IOException {
    CaptureReader r = CaptureReader.open(new ByteArrayInputStream(zeroFramesGzipped()),
        Limits.builder().maxCaptureInflationRatio(2_000).build());
    long frames = 0;
    DecodeStatus s;
    while ((s = r.next()) == DecodeStatus.FRAME) {
      frames++;
    }
    assertThat(s).isEqualTo(DecodeStatus.END);
    assertThat(r.isInflationLimitExceeded()).isFalse();
    assertThat(frames).isEqualTo(RECORDS);
    r.close();
  }

  private static byte[] zeroFramesGzipped() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
      ByteArrayOutputStream pcap = new ByteArrayOutputStream();
      PcapWriter w = new PcapWriter(pcap, 1, 65_535, false, true);
      w.flush();
      gz.write(pcap.toByteArray());
      byte[] record = new byte[RECORD];
      record[8] = (byte) 0xe8; // incl_len = orig_len = 65,000 (0xfde8), little-endian
      record[9] = (byte) 0xfd;
      record[12] = (byte) 0xe8;
      record[13] = (byte) 0xfd;
      for (int i = 0; i < RECORDS; i++) {
        gz.write(record);
      }
    }
    return out.toByteArray();
  }
}
