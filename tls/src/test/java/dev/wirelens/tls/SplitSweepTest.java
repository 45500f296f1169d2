package dev.wirelens.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.tcp.Direction;
import dev.wirelens.testkit.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every corpus TLS capture of the session oracle, its TLS streams fed in 1-byte pieces: the same sessions. */
@Tag("corpus")
class SplitSweepTest {
  /** Everything a run says, as one comparable string. */
  static String fingerprint(List<SessionRun.Conn> conns) {
    StringBuilder sb = new StringBuilder();
    for (SessionRun.Conn c : conns) {
      TlsSession s = c.session;
      sb.append(c.id).append(' ').append(c.client).append(' ').append(s).append(' ').append(s.certificateSha256())
          .append(' ').append(s.plaintextOffset(Direction.CLIENT_TO_SERVER)).append('/')
          .append(s.plaintextOffset(Direction.SERVER_TO_CLIENT)).append(' ')
          .append(s.malformation(Direction.CLIENT_TO_SERVER)).append('/')
          .append(s.malformation(Direction.SERVER_TO_CLIENT)).append(' ')
          .append(s.limitExceeded(Direction.CLIENT_TO_SERVER)).append('/')
          .append(s.limitExceeded(Direction.SERVER_TO_CLIENT)).append(' ')
          .append(c.inner.digest(Direction.CLIENT_TO_SERVER)).append(' ')
          .append(c.inner.digest(Direction.SERVER_TO_CLIENT)).append('\n');
    }
    return sb.toString();
  }

  @Test
  void everyCaptureFedOneByteAtATimeGivesTheSameSessions() throws IOException {
    List<String> differ = new ArrayList<>();
    int runs = 0;
    for (TlsSessionCorpusSweepTest.Expectation e : TlsSessionCorpusSweepTest.expectations()) {
      Path cap = Corpus.root().resolve(e.capture);
      if (!Files.isRegularFile(cap) || Files.size(cap) > 400_000) {
        continue; // the largest captures are left to the unsplit sweep (time)
      }
      KeyLog keys = TlsSessionCorpusSweepTest.keysFor(e);
      String whole = fingerprint(SessionRun.run(cap, keys, false));
      String pieces = fingerprint(SessionRun.run(cap, keys, true));
      runs++;
      if (!whole.equals(pieces)) {
        differ.add(e.name() + "\n" + whole + "--- vs 1-byte pieces ---\n" + pieces);
      }
    }
    assertThat(runs).isGreaterThan(150);
    assertThat(differ).isEmpty();
  }
}
