package dev.wirelens.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.pcapng.CaptureReader;
import dev.wirelens.tcp.Direction;
import dev.wirelens.tcp.TcpConnection;
import dev.wirelens.tcp.TcpReassembler;
import dev.wirelens.tcp.TcpStreamListener;
import dev.wirelens.testkit.Corpus;
import dev.wirelens.tls.fingerprint.Ja3;
import dev.wirelens.tls.handshake.ClientHello;
import dev.wirelens.tls.handshake.HandshakeMessage;
import dev.wirelens.tls.handshake.HandshakeReader;
import dev.wirelens.tls.x509.CertificateSummary;
import dev.wirelens.tls.x509.CertificateSummaryTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * JA3 and certificate summaries for the corpus captures that may not be copied into the repository (GPL scapy and
 * Wireshark test captures, the unlicensed wireshark-notes), read in place: capture, TCP reassembly, TLS records,
 * handshake messages, then our fingerprint and certificate code, compared with tshark's JA3 (by client random) and
 * openssl's view of each certificate (by SHA-256) recorded in corpus/tls-facts.tsv by
 * scripts/tls-fingerprint/record-corpus-facts.py.
 *
 * <p>This test's own pipeline is deliberately simple: a direction is read as TLS only if it starts with a handshake
 * record, and only until its first ChangeCipherSpec (TLS 1.2 encrypts after it). STARTTLS streams (plaintext first)
 * are therefore not seen, which is why captures outside {@link #COMPLETE} may have fewer ClientHellos than tshark.
 */
@Tag("corpus")
class CorpusTlsFactsTest {
  /** Captures whose every TLS stream starts with TLS: we must find exactly what tshark finds. */
  static final Set<String> COMPLETE = Set.of("wireshark-notes/tls12-73-ciphersuites/dump.pcapng",
      "wireshark-notes/ssl3/dump.pcapng", "wireshark-notes/tls-works-small/dump.pcapng",
      "wireshark-testcaptures-via-wirerust/tls13-rfc8446.pcap", "wireshark-testcaptures-via-wirerust/tls12-aes256gcm.pcap",
      "scapy/raw_data/tls_nss_example.pcap");

  record Facts(String capture, Map<String, String[]> ja3ByRandom, Map<String, String[]> certsBySha256) {
    @Override
    public String toString() {
      return capture;
    }
  }

  static List<Facts> captures() throws IOException {
    Map<String, Facts> byCapture = new LinkedHashMap<>();
    String text;
    try (InputStream in = CorpusTlsFactsTest.class.getClassLoader().getResourceAsStream("corpus/tls-facts.tsv")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    for (String l : text.split("\n")) {
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      String[] f = l.split("\t", -1);
      Facts facts = byCapture.computeIfAbsent(f[1], c -> new Facts(c, new LinkedHashMap<>(), new LinkedHashMap<>()));
      (f[0].equals("ja3") ? facts.ja3ByRandom() : facts.certsBySha256()).put(f[2], f);
    }
    return new ArrayList<>(byCapture.values());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("captures")
  void ja3AndCertificatesEqualTsharkAndOpenssl(Facts facts) throws IOException {
    Handshakes found = Handshakes.read(Corpus.file(facts.capture()));
    for (Map.Entry<String, String> e : found.ja3FullByRandom.entrySet()) {
      String[] expected = facts.ja3ByRandom().get(e.getKey());
      assertThat(expected).as("tshark saw ClientHello " + e.getKey()).isNotNull();
      assertThat(e.getValue()).isEqualTo(expected[3]);
      assertThat(found.ja3ByRandom.get(e.getKey())).isEqualTo(expected[4]);
    }
    for (Map.Entry<String, CertificateSummary> e : found.certsBySha256.entrySet()) { // throws IOException
      String[] expected = facts.certsBySha256().get(e.getKey());
      assertThat(expected).as("tshark saw certificate " + e.getKey()).isNotNull();
      // columns 3.. are those of x509/corpus-certs.tsv (subject ... asn1Oid)
      CertificateSummaryTest.assertEqualsOpenssl(e.getValue(), CertificateSummaryTest.Oracle.fromSweep(expected));
    }
    if (COMPLETE.contains(facts.capture())) {
      assertThat(found.ja3FullByRandom.keySet()).containsExactlyInAnyOrderElementsOf(facts.ja3ByRandom().keySet());
      assertThat(found.certsBySha256.keySet()).containsExactlyInAnyOrderElementsOf(facts.certsBySha256().keySet());
    }
  }

  /** The ClientHellos and certificates of one capture, found by our own readers. */
  static final class Handshakes {
    final Map<String, String> ja3FullByRandom = new LinkedHashMap<>();
    final Map<String, String> ja3ByRandom = new LinkedHashMap<>();
    final Map<String, CertificateSummary> certsBySha256 = new LinkedHashMap<>();

    static Handshakes read(java.nio.file.Path capture) {
      Handshakes h = new Handshakes();
      Limits limits = Limits.defaults();
      PacketDissector dissector = new PacketDissector(limits);
      List<Side> sides = new ArrayList<>();
      TcpReassembler tcp = new TcpReassembler(limits, connection -> new TcpStreamListener() {
        final Side client = h.new Side(limits);
        final Side server = h.new Side(limits);
        {
          sides.add(client);
          sides.add(server);
        }

        @Override
        public int onData(TcpConnection c, Direction d, long streamOffset, ByteBuf data) {
          (d == Direction.CLIENT_TO_SERVER ? client : server).onData(data);
          return data.readableBytes();
        }
      });
      try (CaptureReader reader = CaptureReader.open(capture, limits)) {
        while (reader.next() == DecodeStatus.FRAME) {
          dissector.dissect(reader);
          tcp.onPacket(dissector, reader.timestampNanos());
        }
        tcp.close();
      } finally {
        sides.forEach(Side::close);
      }
      return h;
    }

    /** One direction: records, then handshake messages, until it stops looking like a TLS handshake. */
    final class Side {
      final TlsRecordReader records;
      final HandshakeReader handshakes;
      boolean started;
      boolean done;

      Side(Limits limits) {
        records = new TlsRecordReader(limits);
        handshakes = new HandshakeReader(limits);
      }

      void onData(ByteBuf data) {
        if (done || !data.isReadable()) {
          return;
        }
        if (!started) {
          started = true;
          if (data.getUnsignedByte(data.readerIndex()) != ContentTypes.HANDSHAKE) {
            done = true; // plaintext first (HTTP, STARTTLS): not for this test
            return;
          }
        }
        records.feed(data.retainedSlice());
        DecodeStatus s;
        while (!done && (s = records.next()) == DecodeStatus.RECORD) {
          TlsRecord r = records.record();
          if (r.contentType() == ContentTypes.CHANGE_CIPHER_SPEC || r.contentType() == ContentTypes.APPLICATION_DATA) {
            done = true; // what follows is encrypted
          } else if (r.contentType() == ContentTypes.HANDSHAKE && !r.isSsl2ClientHello()) {
            handshakes.feed(r.retainedFragment());
            while (handshakes.next() == DecodeStatus.RECORD) {
              onMessage(handshakes.message());
            }
          }
        }
      }

      void onMessage(HandshakeMessage m) {
        if (m.msgType() == HandshakeTypes.CLIENT_HELLO) {
          ClientHello hello = new ClientHello();
          assertThat(hello.wrap(m.buffer(), m.bodyOffset(), m.length())).isTrue();
          String random = ByteBufUtil.hexDump(hello.random());
          Ja3 ja3 = Ja3.of(hello);
          ja3FullByRandom.put(random, ja3.fullString());
          ja3ByRandom.put(random, ja3.hash());
        } else if (m.msgType() == HandshakeTypes.CERTIFICATE) {
          // TLS 1.2 Certificate: certificate_list<0..2^24-1> of ASN.1Cert<1..2^24-1> (RFC 5246 §7.4.2); TLS 1.3's
          // is encrypted and never reaches this point
          ByteBuf b = m.buffer();
          int p = m.bodyOffset() + 3;
          int end = m.bodyOffset() + m.length();
          while (p + 3 <= end) {
            int len = b.getUnsignedMedium(p);
            CertificateSummary c = CertificateSummary.parse(b, p + 3, len);
            certsBySha256.put(c.sha256(), c);
            p += 3 + len;
          }
        }
      }

      void close() {
        records.close();
        handshakes.close();
      }
    }
  }
}
