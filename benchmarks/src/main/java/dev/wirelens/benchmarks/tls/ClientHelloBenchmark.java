package dev.wirelens.benchmarks.tls;

import dev.wirelens.benchmarks.AbstractMicrobenchmark;
import dev.wirelens.testkit.Hex;
import dev.wirelens.tls.ExtensionTypes;
import dev.wirelens.tls.handshake.ClientHello;
import dev.wirelens.tls.handshake.KeyShareCursor;
import dev.wirelens.tls.handshake.TlsExtensionCursor;
import dev.wirelens.tls.handshake.TlsNameCursor;
import dev.wirelens.tls.handshake.TlsValueList;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * ClientHello parsing, ladder style, over the 244-byte ClientHello body of the illustrated TLS 1.3 connection
 * (https://tls13.xargs.org, syncsynchalt/illustrated-tls13 {@code captures/caps/clienthello}, MIT; 4 cipher suites,
 * 10 extensions): {@code viewOnly} is {@code wrap} (validates the framing and walks the extension headers once),
 * {@code allFields} also reads every cipher suite, every extension and the values of server_name, supported_groups,
 * signature_algorithms, supported_versions and key_share, {@code convenience} adds the host name as a
 * {@code String}. Gate: {@code gc.alloc.rate.norm} about 0 B/op for {@code viewOnly} and {@code allFields}.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar ClientHelloBenchmark -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ClientHelloBenchmark extends AbstractMicrobenchmark {
  /** The illustrated TLS 1.3 ClientHello body (after the record and handshake headers). */
  static final String BODY = "0303000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20e0e1e2e3e4e5e6e7e8e9eaebecedee"
      + "eff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff000813021303130100ff010000a30000001800160000136578616d706c652e756c"
      + "666865696d2e6e6574000b000403000102000a00160014001d0017001e001900180100010101020103010400230000001600"
      + "0000170000000d001e001c040305030603080708080809080a080b080408050806040105010601002b0003020304002d0002"
      + "0101003300260024001d0020358072d6365880d1aeea329adf9121383851ed21a28e3b75e965d0d2cd166254";

  /** The body in a read-only heap buffer and reusable views. */
  @State(Scope.Thread)
  public static class Input {
    ByteBuf body;
    final ClientHello hello = new ClientHello();
    final TlsExtensionCursor extensions = new TlsExtensionCursor();
    final TlsValueList list = new TlsValueList();
    final TlsNameCursor names = new TlsNameCursor();
    final KeyShareCursor shares = new KeyShareCursor();

    /** Builds the input. */
    @Setup(Level.Trial)
    public void setUp() {
      byte[] b = Hex.decode(BODY);
      if (b.length != 244) {
        throw new IllegalStateException("ClientHello body is " + b.length + " bytes");
      }
      body = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(b).asReadOnly());
    }
  }

  /** {@code wrap} only. */
  @Benchmark
  public boolean viewOnly(Input in) {
    return in.hello.wrap(in.body, 0, 244);
  }

  /** {@code wrap}, every suite, every extension and the values of the common ones. */
  @Benchmark
  public long allFields(Input in) {
    ClientHello h = in.hello;
    if (!h.wrap(in.body, 0, 244)) {
      return -1;
    }
    long sum = h.legacyVersion() + h.sessionIdLength();
    for (int i = 0; i < h.cipherSuiteCount(); i++) {
      sum += h.cipherSuite(i);
    }
    TlsExtensionCursor c = h.extensions(in.extensions);
    while (c.next()) {
      sum += c.type();
      switch (c.type()) {
        case ExtensionTypes.SERVER_NAME:
          if (c.names(in.names) && in.names.next()) {
            sum += in.names.nameLength();
          }
          break;
        case ExtensionTypes.SUPPORTED_GROUPS:
        case ExtensionTypes.SIGNATURE_ALGORITHMS:
        case ExtensionTypes.SUPPORTED_VERSIONS:
          if (c.values(in.list)) {
            for (int i = 0; i < in.list.count(); i++) {
              sum += in.list.value(i);
            }
          }
          break;
        case ExtensionTypes.KEY_SHARE:
          if (c.keyShares(in.shares)) {
            while (in.shares.next()) {
              sum += in.shares.group();
            }
          }
          break;
        default:
          break;
      }
    }
    return sum;
  }

  /** {@code wrap}, then the server name as a {@code String} (allocates). */
  @Benchmark
  public String convenience(Input in) {
    ClientHello h = in.hello;
    if (h.wrap(in.body, 0, 244) && h.extensions(in.extensions).seek(ExtensionTypes.SERVER_NAME)
        && in.extensions.names(in.names) && in.names.next()) {
      return in.names.nameAsString();
    }
    return null;
  }

  /** Runs these benchmarks; JMH options may be given. */
  public static void main(String[] args) throws Exception {
    run(ClientHelloBenchmark.class, args);
  }
}
