package dev.wirelens.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wirelens.Limits;
import dev.wirelens.tcp.Direction;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The allocator given to {@link TlsConnectionDissector} makes every buffer it needs: the illustrated TLS 1.3 and 1.2
 * connections (MIT, src/test/resources/vectors/tls, tshark's plaintext digests in expected/session) decrypt the same
 * through a counting allocator, which is asked for heap buffers only, whole and in 1-byte pieces.
 */
class TlsConnectionDissectorAllocatorTest {
  /** Unpooled heap buffers, counted. */
  static final class Counting extends AbstractByteBufAllocator {
    int heap;
    int direct;

    Counting() {
      super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
      heap++;
      return new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
      direct++;
      return new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
      return false;
    }
  }

  @Test
  void decryptedRecordsComeFromTheGivenAllocatorAndDecryptAsTshark() throws IOException {
    for (String name : new String[] {"illustrated-tls13", "illustrated-tls12"}) {
      Map<String, String> row = TlsDecryptionReportTest.expected(name);
      for (boolean split : new boolean[] {false, true}) {
        Counting alloc = new Counting();
        SessionRun.Conn c = TlsDecryptionReportTest.only(SessionRun.run(
            TlsDecryptionReportTest.V.resolve(name + "/capture.pcap"), TlsDecryptionReportTest.keys(name), split,
            Limits.defaults(), frame -> true, alloc));
        assertThat(c.inner.digest(Direction.CLIENT_TO_SERVER)).as(name).isEqualTo(row.get("client_app"));
        assertThat(c.inner.digest(Direction.SERVER_TO_CLIENT)).as(name).isEqualTo(row.get("server_app"));
        assertThat(c.session.decrypted()).isTrue();
        // at least one buffer per decrypted record (client and server application data both decrypt)
        assertThat(alloc.heap).as(name + (split ? " in 1-byte pieces" : " whole")).isPositive();
        assertThat(alloc.direct).isZero();
      }
    }
  }

  @Test
  void aNullAllocatorIsRefused() {
    assertThatThrownBy(() -> new TlsConnectionDissector(Limits.defaults(), TlsKeySource.NONE, null, null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("alloc");
  }
}
