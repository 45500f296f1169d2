package dev.wirelens.examples.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.link.LinkTypes;
import dev.wirelens.pcapng.PcapngWriter;
import dev.wirelens.tcp.Direction;
import dev.wirelens.testkit.PacketBuilder;
import dev.wirelens.tls.x509.CertificateSummary;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The unit-test example of issue 7: a JDK TLS server and client (javax.net.ssl) talk on loopback through a relay
 * that records every chunk it forwards as a TCP segment into a pcapng capture (no root, no tcpdump: it runs in CI);
 * then the audit of that capture is asserted against what the JDK peers themselves negotiated (protocol, cipher
 * suite, server name, the server certificate's bytes). The JDK writes no key log, so the facts asserted are the
 * undecrypted ones: in TLS 1.3 the certificate is encrypted, in TLS 1.2 it is visible and checked.
 *
 * <p>The server's certificate is captures/tls/certs/console-rsa.pem (console.test, www.console.test), made by
 * scripts/lib/certs.sh for the recordings.
 */
class JdkTlsOnLoopbackTest {
  private static final char[] PASSWORD = "test".toCharArray();

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
  @Timeout(30)
  void aJdkClientAndServerAreAuditedAsTheyNegotiated(String protocol) throws Exception {
    X509Certificate cert = certificate();
    SSLContext server = SSLContext.getInstance("TLS");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("console", privateKey(), PASSWORD, new Certificate[] {cert});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASSWORD);
    server.init(kmf.getKeyManagers(), null, null);
    SSLContext client = SSLContext.getInstance("TLS");
    client.init(null, new TrustManager[] {new TrustAll()}, null);

    ExecutorService pool = Executors.newCachedThreadPool();
    try (SSLServerSocket tlsServer = (SSLServerSocket) server.getServerSocketFactory()
            .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ServerSocket relay = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      tlsServer.setEnabledProtocols(new String[] {protocol});
      Future<?> echo = pool.submit(() -> {
        try (SSLSocket s = (SSLSocket) tlsServer.accept()) {
          InputStream in = s.getInputStream();
          OutputStream out = s.getOutputStream();
          byte[] b = new byte[256];
          int n;
          while ((n = in.read(b)) > 0) {
            out.write(b, 0, n); // echo until the client's close_notify
            out.flush();
          }
        }
        return null;
      });
      Recorder recorder = new Recorder();
      Future<?> relaying = pool.submit(() -> {
        try (Socket fromClient = relay.accept();
            Socket toServer = new Socket(InetAddress.getLoopbackAddress(), tlsServer.getLocalPort())) {
          recorder.handshake();
          Future<?> up = pool.submit(() -> pump(fromClient, toServer, recorder, Direction.CLIENT_TO_SERVER));
          pump(toServer, fromClient, recorder, Direction.SERVER_TO_CLIENT);
          up.get(20, TimeUnit.SECONDS);
        }
        return null;
      });
      String negotiatedSuite;
      String negotiatedProtocol;
      try (SSLSocket c = (SSLSocket) client.getSocketFactory()
          .createSocket(InetAddress.getLoopbackAddress(), relay.getLocalPort())) {
        SSLParameters p = c.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName("console.test")));
        p.setProtocols(new String[] {protocol});
        c.setSSLParameters(p);
        c.startHandshake();
        negotiatedSuite = c.getSession().getCipherSuite();
        negotiatedProtocol = c.getSession().getProtocol();
        c.getOutputStream().write("hello console".getBytes(StandardCharsets.US_ASCII));
        c.getOutputStream().flush();
        byte[] back = c.getInputStream().readNBytes(13);
        assertThat(new String(back, StandardCharsets.US_ASCII)).isEqualTo("hello console");
      } // close: close_notify, then FIN from the client
      relaying.get(20, TimeUnit.SECONDS);
      echo.get(20, TimeUnit.SECONDS);

      List<ConnectionReport> reports = Audit.builder()
          .policy(AuditPolicy.builder().watchedPorts(8084).build()).build().run(recorder.capture());
      assertThat(reports).hasSize(1);
      ConnectionReport r = reports.get(0);
      assertThat(negotiatedProtocol).isEqualTo(protocol);
      assertThat(r.tls().versionName()).isEqualTo(negotiatedProtocol);
      assertThat(r.tls().cipherSuiteName()).isEqualTo(negotiatedSuite);
      assertThat(r.tls().sni()).isEqualTo("console.test");
      assertThat(r.tls().handshakeComplete()).isTrue();
      assertThat(r.tls().decrypted()).isFalse();
      assertThat(r.handshake().jsonName()).isEqualTo("complete");
      assertThat(r.close()).isEqualTo("fin");
      assertThat(r.closedBy()).isEqualTo(Direction.CLIENT_TO_SERVER);
      assertThat(r.webSocket()).isNull();
      assertThat(r.verdict()).isEqualTo(new Verdict(true, true, List.of()));
      if (protocol.equals("TLSv1.2")) {
        List<CertificateSummary> chain = r.tls().certificates();
        assertThat(chain).hasSize(1);
        assertThat(chain.get(0).sha256())
            .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded())));
      } else {
        assertThat(r.tls().certificates()).isEmpty(); // encrypted in TLS 1.3, and no key log
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Copies {@code from} to {@code to}, recording each chunk, then half-closes {@code to} (a FIN). */
  private static Void pump(Socket from, Socket to, Recorder recorder, Direction d) throws IOException {
    byte[] b = new byte[8192];
    InputStream in = from.getInputStream();
    OutputStream out = to.getOutputStream();
    int n;
    while ((n = in.read(b)) > 0) {
      recorder.segment(d, b, n);
      out.write(b, 0, n);
      out.flush();
    }
    if (d == Direction.SERVER_TO_CLIENT) {
      // The client closes first (close_notify, then FIN); a TLS 1.2 server answers the close_notify and closes at
      // once, so its FIN can reach the relay before the client's. The relay holds the server's half-close until the
      // client's FIN went through, as the wire order on the client's side would show it.
      try {
        recorder.clientFin.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    recorder.fin(d);
    to.shutdownOutput();
    return null;
  }

  /**
   * Writes what the relay sees as Ethernet/IPv4/TCP packets between 10.0.0.2:40000 (the client) and 10.0.0.1:8084
   * (the server), with sequence numbers that follow the bytes; each chunk is one segment with its wall-clock time.
   */
  private static final class Recorder {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PcapngWriter writer = new PcapngWriter(bytes, true);
    private final long[] seq = {1000, 5000};
    final java.util.concurrent.CountDownLatch clientFin = new java.util.concurrent.CountDownLatch(1);
    private final long epochNanos = System.currentTimeMillis() * 1_000_000L;
    private final long startNanos = System.nanoTime();

    Recorder() {
      writer.writeSectionHeader("relay recording (JdkTlsOnLoopbackTest)", null, null, null);
      writer.writeInterface(LinkTypes.ETHERNET, 65535, 9, "relay", null);
    }

    synchronized void handshake() {
      packet(Direction.CLIENT_TO_SERVER, PacketBuilder.SYN, new byte[0]);
      seq[0]++;
      packet(Direction.SERVER_TO_CLIENT, PacketBuilder.SYN | PacketBuilder.ACK, new byte[0]);
      seq[1]++;
      packet(Direction.CLIENT_TO_SERVER, PacketBuilder.ACK, new byte[0]);
    }

    synchronized void segment(Direction d, byte[] b, int n) {
      byte[] payload = java.util.Arrays.copyOf(b, n);
      packet(d, PacketBuilder.ACK | PacketBuilder.PSH, payload);
      seq[d.ordinal()] += n;
    }

    synchronized void fin(Direction d) {
      packet(d, PacketBuilder.FIN | PacketBuilder.ACK, new byte[0]);
      seq[d.ordinal()]++;
      if (d == Direction.CLIENT_TO_SERVER) {
        clientFin.countDown();
      }
    }

    private void packet(Direction d, int flags, byte[] payload) {
      boolean up = d == Direction.CLIENT_TO_SERVER;
      byte[] frame = PacketBuilder.ethernet().ipv4(up ? "10.0.0.2" : "10.0.0.1", up ? "10.0.0.1" : "10.0.0.2")
          .tcp(up ? 40000 : 8084, up ? 8084 : 40000).seq(seq[up ? 0 : 1])
          .ack((flags & PacketBuilder.ACK) != 0 ? seq[up ? 1 : 0] : 0).flags(flags).window(65535)
          .payload(payload).build();
      long now = epochNanos + (System.nanoTime() - startNanos); // monotonic capture time
      writer.writeEnhancedPacket(0, now, Unpooled.wrappedBuffer(frame), frame.length, -1, null);
    }

    synchronized io.netty.buffer.ByteBuf capture() {
      writer.flush();
      return Unpooled.wrappedBuffer(bytes.toByteArray());
    }
  }

  private static Path certs(String name) throws Exception {
    return Path.of(JdkTlsOnLoopbackTest.class.getResource("/captures/tls/certs/" + name).toURI());
  }

  private static X509Certificate certificate() throws Exception {
    byte[] pem = Files.readAllBytes(certs("console-rsa.pem"));
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pem));
  }

  private static PrivateKey privateKey() throws Exception {
    String pem = Files.readString(certs("console-rsa.key"));
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }

  /** The test trusts its own server (the certificate's CA is not in the JDK's trust store). */
  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
