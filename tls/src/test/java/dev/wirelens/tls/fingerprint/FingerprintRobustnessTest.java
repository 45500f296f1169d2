package dev.wirelens.tls.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.tls.handshake.ClientHello;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Fingerprints of corrupted ClientHellos: whatever bytes a ClientHello view accepts, JA3 and JA4 come out well formed
 * and nothing throws (an extension list the view's framing lets through but whose inner length is bad counts as
 * empty).
 */
class FingerprintRobustnessTest {

  @Property(tries = 500)
  void anyClientHelloTheViewAcceptsHasWellFormedFingerprints(@ForAll @IntRange(min = 0, max = 1000) int which,
      @ForAll @IntRange(min = 0, max = 100_000) int position, @ForAll byte value,
      @ForAll @IntRange(min = 0, max = 100_000) int position2, @ForAll byte value2) throws IOException {
    List<RecordedClientHellos.Line> lines = RecordedClientHellos.all();
    byte[] bytes = lines.get(which % lines.size()).handshake().clone();
    int body = bytes.length - 4;
    bytes[4 + position % body] = value;
    bytes[4 + position2 % body] = value2;
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    try {
      ClientHello hello = new ClientHello();
      if (hello.wrap(buf, 4, body)) {
        Ja3 ja3 = Ja3.of(hello);
        assertThat(ja3.fullString()).matches("\\d+,[\\d-]*,[\\d-]*,[\\d-]*,[\\d-]*");
        assertThat(ja3.hash()).matches("[0-9a-f]{32}");
        assertThat(Ja4.of(hello).fingerprint())
            .matches("t(1[0-3]|s[23]|d[123]|00)[di]\\d{4}[0-9a-zA-Z]{2}_[0-9a-f]{12}_[0-9a-f]{12}");
      }
    } finally {
      buf.release();
    }
  }
}
