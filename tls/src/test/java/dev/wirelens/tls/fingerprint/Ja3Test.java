package dev.wirelens.tls.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wirelens.tls.handshake.ClientHello;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** JA3 against tshark 4.0.17's tls.handshake.ja3_full / ja3 for corpus ClientHellos (fingerprint/SOURCES.md). */
class Ja3Test {

  static List<RecordedClientHellos.Line> clientHellos() throws IOException {
    return RecordedClientHellos.all();
  }

  static List<RecordedClientHellos.Line> sweep() throws IOException {
    return RecordedClientHellos.sweep();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sweep")
  void ja3EqualsTsharksForEveryClientHelloOfThePermissiveCorpus(RecordedClientHellos.Line line) {
    ja3EqualsTsharks(line);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clientHellos")
  void ja3EqualsTsharks(RecordedClientHellos.Line line) {
    ByteBuf buf = Unpooled.wrappedBuffer(line.handshake());
    try {
      ClientHello hello = new ClientHello();
      assertThat(line.handshake()[0]).as("msg_type client_hello").isEqualTo((byte) 1);
      assertThat(hello.wrap(buf, 4, buf.readableBytes() - 4)).as(hello.report().toString()).isTrue();
      Ja3 ja3 = Ja3.of(hello);
      assertThat(ja3.fullString()).isEqualTo(line.ja3Full());
      assertThat(ja3.hash()).isEqualTo(line.ja3());
      assertThat(ja3.toString()).isEqualTo(line.ja3());
    } finally {
      buf.release();
    }
  }

  @Test
  void recordedSetCoversGreaseAndEmptyLists() throws IOException {
    List<RecordedClientHellos.Line> lines = RecordedClientHellos.all();
    assertThat(lines).hasSizeGreaterThanOrEqualTo(19);
    // Chrome's split ClientHello carries GREASE; tshark's string has none of it
    RecordedClientHellos.Line chrome = RecordedClientHellos.find("arkime/tls-split-client-hello.pcap", 5);
    assertThat(chrome.ja3()).isEqualTo("35708a08e7be9f7aa5bce7f2d5c1cecb"); // also Arkime's expected ja3
    assertThat(RecordedClientHellos.find("snet-decrypt-by-keylog/decrypt_by_keylog/ssl3_0.pcap", 6).ja3Full())
        .endsWith(",,,");
  }

  @Test
  void greaseIsLeftOutOfEveryListButPointFormats() {
    Ja3 ja3 = Ja3.of(0x0303, new int[] {0x0a0a, 0x1301, 0xfafa}, new int[] {0x1a1a, 0, 10, 11}, new int[] {0x2a2a, 29},
        new int[] {0});
    assertThat(ja3.fullString()).isEqualTo("771,4865,0-10-11,29,0");
  }

  @Test
  void emptyListsLeaveEmptyFields() {
    assertThat(Ja3.of(0x0300, new int[] {0x39}, new int[0], new int[0], new int[0]).fullString())
        .isEqualTo("768,57,,,");
  }

  @Test
  void anUnwrappedViewIsMisuse() {
    assertThatThrownBy(() -> Ja3.of(new ClientHello())).isInstanceOf(IllegalArgumentException.class);
  }
}
