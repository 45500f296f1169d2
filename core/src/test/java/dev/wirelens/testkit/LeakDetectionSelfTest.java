package dev.wirelens.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** Proves that the leak check can fail: a buffer dropped without release is reported. */
class LeakDetectionSelfTest {
  @Test
  void anUnreleasedBufferIsReported() {
    LeakDetectionExtension.collectLeaks();
    LeakDetectionExtension.drainLeaks();
    leak();
    LeakDetectionExtension.collectLeaks();
    assertThat(LeakDetectionExtension.drainLeaks()).isNotEmpty();
  }

  private static void leak() {
    ByteBuf b = Unpooled.directBuffer(16).writeLong(42);
    assertThat(b.refCnt()).isEqualTo(1);
  }
}
