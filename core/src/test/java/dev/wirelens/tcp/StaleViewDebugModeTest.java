package dev.wirelens.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wirelens.BorrowedViews;
import dev.wirelens.Limits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stale-view debug mode ({@link BorrowedViews}, on in every test run because surefire runs with {@code -ea}):
 * the buffer {@link TcpStreamListener#onData} receives is valid during the call only, and a listener that keeps it
 * gets a clear error naming the rule instead of silently reading another packet's bytes later.
 */
class StaleViewDebugModeTest {
  private static final int ACK = Traffic.ACK;
  private static final int PSH = Traffic.PSH;

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Keeps what {@code keep} makes of each data argument; consumes everything. */
  private static final class Keeper implements TcpStreamListener {
    final List<ByteBuf> kept = new ArrayList<>();
    final java.util.function.Function<ByteBuf, ByteBuf> keep;

    Keeper(java.util.function.Function<ByteBuf, ByteBuf> keep) {
      this.keep = keep;
    }

    @Override
    public int onData(TcpConnection c, Direction d, long offset, ByteBuf data) {
      kept.add(keep.apply(data));
      return data.readableBytes();
    }
  }

  private static Keeper run(java.util.function.Function<ByteBuf, ByteBuf> keep, String... payloads) {
    Keeper keeper = new Keeper(keep);
    TcpReassembler r = new TcpReassembler(Limits.defaults(), keeper);
    Traffic t = new Traffic(r);
    t.handshake(100, 500);
    long seq = 101;
    for (String p : payloads) {
      t.send(true, seq, 501, ACK | PSH, ascii(p));
      seq += p.length();
    }
    r.close();
    return keeper;
  }

  @Test
  void theModeIsOnWhenAssertionsAreEnabled() {
    assertThat(BorrowedViews.ENABLED).isTrue();
  }

  @Test
  void aListenerThatKeepsTheDataArgumentAndReadsItLaterGetsTheRule() {
    Keeper k = run(data -> data, "hello");
    ByteBuf stale = k.kept.get(0);
    assertThatThrownBy(() -> stale.getByte(stale.readerIndex()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(BorrowedViews.RULE)
        .hasMessageContaining("TcpStreamListener.onData");
    assertThatThrownBy(() -> stale.toString(StandardCharsets.US_ASCII))
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith(BorrowedViews.RULE);
    assertThatThrownBy(() -> stale.readBytes(new byte[5]))
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith(BorrowedViews.RULE);
  }

  @Test
  void aKeptPlainSliceOrDuplicateIsStaleToo() {
    Keeper k = run(ByteBuf::slice, "hello");
    ByteBuf slice = k.kept.get(0);
    assertThatThrownBy(() -> slice.getByte(0))
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith(BorrowedViews.RULE);
    Keeper d = run(ByteBuf::duplicate, "hello");
    ByteBuf duplicate = d.kept.get(0);
    assertThatThrownBy(() -> duplicate.getByte(duplicate.readerIndex()))
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith(BorrowedViews.RULE);
  }

  @Test
  void aListenerThatTakesRetainedSlicesKeepsValidBytes() {
    Keeper k = run(ByteBuf::retainedSlice, "hello", " world");
    try {
      assertThat(k.kept.get(0).toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
      assertThat(k.kept.get(1).toString(StandardCharsets.US_ASCII)).isEqualTo(" world");
    } finally {
      k.kept.forEach(ByteBuf::release);
    }
  }

  @Test
  void readRetainedSliceRetainedDuplicateAndCopyOutliveTheCall() {
    Keeper slices = run(data -> data.readRetainedSlice(3), "hello");
    Keeper duplicates = run(ByteBuf::retainedDuplicate, "hello");
    Keeper copies = run(ByteBuf::copy, "hello");
    try {
      assertThat(slices.kept.get(0).toString(StandardCharsets.US_ASCII)).isEqualTo("hel");
      assertThat(duplicates.kept.get(0).toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
      assertThat(copies.kept.get(0).toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
    } finally {
      slices.kept.forEach(ByteBuf::release);
      duplicates.kept.forEach(ByteBuf::release);
      copies.kept.forEach(ByteBuf::release);
    }
  }

  @Test
  void duringTheCallTheArgumentReadsLikeTheSegmentAndItsIndicesAreTheListenersOwn() {
    List<String> seen = new ArrayList<>();
    TcpReassembler r = new TcpReassembler(Limits.defaults(), new TcpStreamListener() {
      @Override
      public int onData(TcpConnection c, Direction d, long offset, ByteBuf data) {
        byte[] two = new byte[Math.min(2, data.readableBytes())];
        data.readBytes(two); // moves the argument's reader index: the reassembler must not care
        seen.add(new String(two, StandardCharsets.US_ASCII));
        return two.length;
      }
    });
    Traffic t = new Traffic(r);
    t.handshake(100, 500);
    t.send(true, 101, 501, ACK | PSH, ascii("abcd"));
    t.send(true, 105, 501, ACK | PSH, ascii("ef"));
    r.close();
    // each call consumes 2 bytes; the rest is offered again in front of the next bytes ("ef" waits for more)
    assertThat(seen).containsExactly("ab", "cd");
  }

  @Test
  void aRevokedViewStillNamesTheRuleWhenItsBufferWasReleased() {
    ByteBuf data = Unpooled.copiedBuffer("bytes", StandardCharsets.US_ASCII);
    ByteBuf lent = BorrowedViews.lend(data, "SomeListener.onBytes");
    assertThat(lent).isNotSameAs(data);
    assertThat(lent.toString(StandardCharsets.US_ASCII)).isEqualTo("bytes");
    BorrowedViews.revoke(lent, data);
    data.release();
    assertThatThrownBy(() -> lent.getByte(0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(BorrowedViews.RULE)
        .hasMessageContaining("SomeListener.onBytes");
  }
}
