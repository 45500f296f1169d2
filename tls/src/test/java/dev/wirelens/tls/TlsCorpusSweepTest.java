package dev.wirelens.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.pcapng.CaptureReader;
import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.Direction;
import dev.wirelens.tcp.GapReason;
import dev.wirelens.tcp.TcpConnection;
import dev.wirelens.tcp.TcpReassembler;
import dev.wirelens.tcp.TcpStreamListener;
import dev.wirelens.testkit.Corpus;
import dev.wirelens.tls.handshake.ClientHello;
import dev.wirelens.tls.handshake.HandshakeMessage;
import dev.wirelens.tls.handshake.HandshakeReader;
import dev.wirelens.tls.handshake.ServerHello;
import dev.wirelens.tls.handshake.TlsExtensionCursor;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The TLS captures of the shared corpus (read in place, any licence) through TcpReassembler, TlsDetector,
 * TlsRecordReader and HandshakeReader, compared per connection and direction with tshark's records: the sequence of
 * record lengths, content types and plaintext handshake types ({@code expected/tls-corpus-records.tsv}, recorded by
 * {@code scripts/record-tls-corpus-expectations.sh}). A direction cut by a gap or a malformation must give a prefix
 * of tshark's sequence (tshark may resynchronise after a gap; we do not guess). A direction that does not start
 * with TLS (STARTTLS protocols) is not compared.
 */
@Tag("corpus")
class TlsCorpusSweepTest {
  /** tshark's records of one direction, in frame order. */
  static final class Seq {
    final List<String> lengths = new ArrayList<>();
    final List<String> types = new ArrayList<>();
    final List<String> handshakes = new ArrayList<>();
    /** Content types of TLS 1.3 protected records, which tshark without keys reports as tls.record.opaque_type. */
    final List<String> opaque = new ArrayList<>();

    @Override
    public String toString() {
      return "lengths=" + lengths + " types=" + types + " opaque=" + opaque + " handshakes=" + handshakes;
    }

    boolean equalTo(Seq o) {
      return lengths.equals(o.lengths) && types.equals(o.types) && handshakes.equals(o.handshakes)
          && opaque.equals(o.opaque);
    }

    boolean prefixOf(Seq o) {
      return isPrefix(lengths, o.lengths) && isPrefix(types, o.types) && isPrefix(handshakes, o.handshakes)
          && isPrefix(opaque, o.opaque);
    }
  }

  static Map<String, Map<String, Seq>> expected() {
    Map<String, Map<String, Seq>> out = new LinkedHashMap<>();
    String text;
    try (InputStream in = TlsCorpusSweepTest.class.getClassLoader()
        .getResourceAsStream("expected/tls-corpus-records.tsv")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      Seq s = out.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).computeIfAbsent(f[2] + ":" + f[3], k -> new Seq());
      split(f[4], s.types);
      split(f[5], s.handshakes);
      split(f[6], s.lengths);
      split(f[7], s.opaque);
    }
    return out;
  }

  static void split(String field, List<String> into) {
    if (!field.isEmpty()) {
      into.addAll(Arrays.asList(field.split(",")));
    }
  }

  /** Our reading of one direction. */
  static final class Side implements AutoCloseable {
    final TlsRecordReader records = new TlsRecordReader(Limits.defaults());
    final HandshakeReader handshakes = new HandshakeReader(Limits.defaults());
    final Seq seen = new Seq();
    TlsDetection detection = TlsDetection.NEED_MORE;
    boolean cut;
    boolean handshakeCut;
    boolean ccs;
    /** The ClientHello offered TLS 1.3 early data: tshark reads the client's application data records as opaque. */
    boolean earlyData;
    /** ClientHello/ServerHello fields in tshark's formats, in order, per tshark field name. */
    final Map<String, List<String>> hellos = new LinkedHashMap<>();
    int helloFailures;
    boolean ssl2;

    void hello(String field, String value) {
      hellos.computeIfAbsent(field, k -> new ArrayList<>()).add(value);
    }

    @Override
    public void close() {
      records.close();
      handshakes.close();
    }
  }

  /** Both directions of one connection. */
  static final class Conn implements TcpStreamListener {
    final Side[] sides = {new Side(), new Side()};
    final ServerHello serverHello = new ServerHello();
    final ClientHello clientHello = new ClientHello();
    final TlsExtensionCursor extensions = new TlsExtensionCursor();
    TcpConnection connection;
    boolean tls13;

    @Override
    public void onOpen(TcpConnection c) {
      connection = c;
    }

    @Override
    public int onData(TcpConnection c, Direction d, long streamOffset, ByteBuf data) {
      Side s = sides[d.ordinal()];
      if (s.cut || s.detection == TlsDetection.NO) {
        return data.readableBytes();
      }
      if (s.detection == TlsDetection.NEED_MORE) {
        s.detection = TlsDetector.looksLikeTls(data);
        if (s.detection != TlsDetection.YES) {
          return s.detection == TlsDetection.NO ? data.readableBytes() : 0;
        }
      }
      s.records.feed(data.retainedSlice());
      DecodeStatus st;
      while ((st = s.records.next()) == DecodeStatus.RECORD) {
        TlsRecord r = s.records.record();
        s.seen.lengths.add(Integer.toString(r.length()));
        if (r.isSsl2()) {
          s.ssl2 = true;
          s.seen.handshakes.add(Integer.toString(r.fragment().getUnsignedByte(0)));
          continue;
        }
        if ((tls13 || s.earlyData) && r.contentType() == ContentTypes.APPLICATION_DATA) {
          s.seen.opaque.add(Integer.toString(r.contentType()));
        } else {
          s.seen.types.add(Integer.toString(r.contentType()));
        }
        if (r.contentType() == ContentTypes.CHANGE_CIPHER_SPEC) {
          s.ccs = true;
        } else if (r.contentType() == ContentTypes.HANDSHAKE && (!s.ccs || tls13) && !s.handshakeCut) {
          handshake(s, r);
        }
      }
      if (st == DecodeStatus.MALFORMED) {
        s.cut = true;
      }
      return data.readableBytes();
    }

    private void handshake(Side s, TlsRecord r) {
      s.handshakes.feed(r.retainedFragment());
      DecodeStatus st;
      while ((st = s.handshakes.next()) == DecodeStatus.RECORD) {
        HandshakeMessage m = s.handshakes.message();
        s.seen.handshakes.add(Integer.toString(m.msgType()));
        if (m.msgType() == HandshakeTypes.CLIENT_HELLO) {
          if (clientHello.wrap(m.buffer(), m.bodyOffset(), m.length())) {
            s.earlyData = clientHello.extensions(extensions).seek(ExtensionTypes.EARLY_DATA);
            HelloFields.clientHello(clientHello, s::hello);
          } else {
            s.helloFailures++;
          }
        } else if (m.msgType() == HandshakeTypes.SERVER_HELLO) {
          if (serverHello.wrap(m.buffer(), m.bodyOffset(), m.length())) {
            HelloFields.serverHello(serverHello, s::hello);
          } else {
            s.helloFailures++;
          }
        }
        if (s.handshakes.message().msgType() == HandshakeTypes.SERVER_HELLO
            && serverHello.wrap(s.handshakes.message().buffer(), s.handshakes.message().bodyOffset(),
                s.handshakes.message().length())) {
          tls13 = serverHello.selectedVersion() == 0x0304 || (serverHello.selectedVersion() & 0xff00) == 0x7f00;
        }
      }
      if (st == DecodeStatus.MALFORMED) {
        s.handshakeCut = true;
      }
    }

    @Override
    public void onGap(TcpConnection c, Direction d, long streamOffset, long length, GapReason why) {
      sides[d.ordinal()].cut = true;
    }

    @Override
    public void onClose(TcpConnection c, CloseReason why) {
      sides[0].close();
      sides[1].close();
    }
  }

  /**
   * Directions where tshark 4.0 shows fewer records than were sent because its TCP reassembly gives up (checked by
   * hand with {@code tshark -T fields -e tcp.seq -e tcp.len}); there our records must contain tshark's as a
   * subsequence.
   */
  static final Map<String, String> TSHARK_MISSES = Map.of(
      "zeek/tls/dhe.pcap stream:port 0:62277",
      "frame 15 is a retransmission carrying 53 new bytes (an encrypted alert record of 48); tshark skips them",
      "zeek/tls/hrr.pcap stream:port 0:443",
      "frames 9 and 11 arrive out of order; tshark does not reassemble the ServerHello (155) and the next record");

  static boolean isSubsequence(List<String> small, List<String> big) {
    int i = 0;
    for (String s : big) {
      if (i < small.size() && small.get(i).equals(s)) {
        i++;
      }
    }
    return i == small.size();
  }

  @Test
  void recordsAndHandshakeTypesAgreeWithTsharkPerDirection() {
    Map<String, Map<String, Seq>> expected = expected();
    int exact = 0;
    int prefix = 0;
    int notAtStart = 0;
    int nullCipherFinished = 0;
    int tsharkMisses = 0;
    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, Map<String, Seq>> file : expected.entrySet()) {
      Map<String, Conn> byKey = run(file.getKey());
      for (Map.Entry<String, Seq> dir : file.getValue().entrySet()) {
        String where = file.getKey() + " stream:port " + dir.getKey();
        Conn conn = byKey.get(dir.getKey());
        if (conn == null) {
          failures.add(where + ": no such connection");
          continue;
        }
        Side side = side(conn, dir.getKey());
        if (side.detection != TlsDetection.YES) {
          notAtStart++;
          continue;
        }
        Seq want = dir.getValue();
        Seq got = side.seen;
        if (TSHARK_MISSES.containsKey(where)) {
          assertThat(isSubsequence(want.lengths, got.lengths)).as(where + ": " + got).isTrue();
          assertThat(got.lengths.size()).as(where).isGreaterThan(want.lengths.size());
          tsharkMisses++;
          continue;
        }
        boolean ok;
        if (side.cut || side.handshakeCut) {
          ok = got.prefixOf(want);
          prefix++;
        } else {
          ok = got.equalTo(want);
          exact++;
        }
        if (!ok && side.ccs && !side.cut && got.lengths.equals(want.lengths) && got.types.equals(want.types)
            && got.opaque.equals(want.opaque) && want.handshakes.size() == got.handshakes.size() + 1
            && isPrefix(got.handshakes, want.handshakes)
            && want.handshakes.get(want.handshakes.size() - 1).equals("20")) {
          // a NULL-encryption suite: tshark reads the Finished after ChangeCipherSpec, which we (without the
          // suite's MAC length) treat as protected
          ok = true;
          nullCipherFinished++;
        }
        if (!ok) {
          failures.add(where + (side.cut ? " (cut)" : "") + "\n  want " + want + "\n  got  " + got);
        }
      }
    }
    System.out.printf("TLS corpus sweep: %d directions equal to tshark (%d of them but a Finished under a NULL cipher), "
        + "%d prefixes (gap/malformed), %d not TLS at stream start%n", exact, nullCipherFinished, prefix, notAtStart);
    assertThat(failures).isEmpty();
    assertThat(tsharkMisses).isEqualTo(TSHARK_MISSES.size());
    assertThat(exact).isGreaterThan(790);
  }

  /** Reads a capture through the pipeline; the connections by "tcp.stream:port" of either side. */
  static Map<String, Conn> run(String file) {
    Path path = Corpus.file(file);
    List<Conn> conns = new ArrayList<>();
    PacketDissector dissector = new PacketDissector();
    try (CaptureReader capture = CaptureReader.open(path);
        TcpReassembler reassembler = new TcpReassembler(Limits.defaults(), c -> {
          Conn conn = new Conn();
          conns.add(conn);
          return conn;
        })) {
      while (capture.next() == DecodeStatus.FRAME) {
        dissector.dissect(capture);
        reassembler.onPacket(dissector, capture.timestampNanos());
      }
    }
    Map<String, Conn> byKey = new LinkedHashMap<>();
    for (int i = 0; i < conns.size(); i++) {
      byKey.put(i + ":" + conns.get(i).connection.clientPort(), conns.get(i));
      byKey.put(i + ":" + conns.get(i).connection.serverPort(), conns.get(i));
    }
    return byKey;
  }

  static Side side(Conn conn, String key) {
    int port = Integer.parseInt(key.substring(key.indexOf(':') + 1));
    return conn.sides[port == conn.connection.clientPort()
        ? Direction.CLIENT_TO_SERVER.ordinal() : Direction.SERVER_TO_CLIENT.ordinal()];
  }

  static boolean isPrefix(List<String> got, List<String> want) {
    return got.size() <= want.size() && want.subList(0, got.size()).equals(got);
  }

  /** Hellos that are malformed (tshark: "Malformed Packet"): our view must refuse them. */
  static final Map<String, String> MALFORMED_HELLOS = Map.of(
      "pcapplusplus/packet-examples/ssl-malformed1.pcap stream:port 0:40327",
      "the extension after a 1-byte server_name claims 0xfffc bytes (tshark: Malformed Packet)");

  /** Hellos tshark 4.0 reads in the wrong layout (checked by hand in {@code tshark -x}). */
  static final Map<String, String> TSHARK_MISPARSES = Map.of(
      "suricata-verify/tls/tls13-draft14/tls13_draft14.pcap stream:port 0:443",
      "a draft-14 ServerHello (legacy_version 0x0304, no session id): the bytes after the random are cipher suite "
          + "0xc02b and extension 40 (key_share, group 23); tshark reads a session id and suite 0xacad");

  /** tshark's hello fields of the hello tsv, by column. */
  static final String[] HELLO_FIELDS = {"tls.handshake.type", "tls.handshake.version", "tls.handshake.ciphersuite",
      "tls.handshake.extension.type", "tls.handshake.extensions_server_name", "tls.handshake.extensions_alpn_str",
      "tls.handshake.extensions.supported_version", "tls.handshake.extensions_supported_group",
      "tls.handshake.extensions_key_share_group"};

  @Test
  void clientAndServerHelloFieldsAgreeWithTsharkPerDirection() {
    Map<String, Map<String, Map<String, List<String>>>> expected = new LinkedHashMap<>();
    String text;
    try (InputStream in = TlsCorpusSweepTest.class.getClassLoader()
        .getResourceAsStream("expected/tls-corpus-hellos.tsv")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      Map<String, List<String>> fields = expected.computeIfAbsent(f[0], k -> new LinkedHashMap<>())
          .computeIfAbsent(f[2] + ":" + f[3], k -> new LinkedHashMap<>());
      for (int i = 0; i < HELLO_FIELDS.length; i++) {
        List<String> values = fields.computeIfAbsent(HELLO_FIELDS[i], k -> new ArrayList<>());
        split(f[4 + i], values);
      }
    }
    int compared = 0;
    int hellos = 0;
    int malformed = 0;
    int misparsed = 0;
    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, Map<String, Map<String, List<String>>>> file : expected.entrySet()) {
      Map<String, Conn> byKey = run(file.getKey());
      for (Map.Entry<String, Map<String, List<String>>> dir : file.getValue().entrySet()) {
        String where = file.getKey() + " stream:port " + dir.getKey();
        Conn conn = byKey.get(dir.getKey());
        if (conn == null) {
          failures.add(where + ": no such connection");
          continue;
        }
        Side side = side(conn, dir.getKey());
        if (side.detection != TlsDetection.YES || side.cut || side.handshakeCut || TSHARK_MISSES.containsKey(where)
            || side.seen.handshakes.isEmpty()) {
          continue;
        }
        if (side.ssl2) {
          continue; // tshark shows the SSLv2 CLIENT-HELLO under tls.handshake.*; our TLS views do not read it
        }
        if (MALFORMED_HELLOS.containsKey(where)) {
          assertThat(side.helloFailures).as(where + ": " + MALFORMED_HELLOS.get(where)).isEqualTo(1);
          malformed++;
          continue;
        }
        if (side.helloFailures > 0) {
          failures.add(where + ": " + side.helloFailures + " hello(s) did not wrap");
          continue;
        }
        if (TSHARK_MISPARSES.containsKey(where)) {
          misparsed++;
          continue;
        }
        Map<String, List<String>> want = new LinkedHashMap<>(dir.getValue());
        // tls.handshake.type lists every message of the frame; the hellos are ours to compare
        want.get("tls.handshake.type").removeIf(t -> !t.equals("1") && !t.equals("2"));
        want.values().removeIf(List::isEmpty);
        Map<String, List<String>> got = new LinkedHashMap<>(side.hellos);
        if (!new java.util.TreeMap<>(got).equals(new java.util.TreeMap<>(want))) {
          failures.add(where + "\n  want " + new java.util.TreeMap<>(want) + "\n  got  " + new java.util.TreeMap<>(got));
        }
        compared++;
        hellos += want.getOrDefault("tls.handshake.type", List.of()).size();
      }
    }
    System.out.printf("TLS corpus hellos: %d directions (%d hellos) compared field by field with tshark, %d malformed "
        + "as tshark says, %d misread by tshark%n", compared, hellos, malformed, misparsed);
    assertThat(failures).isEmpty();
    assertThat(malformed).isEqualTo(MALFORMED_HELLOS.size());
    assertThat(misparsed).isEqualTo(TSHARK_MISPARSES.size());
    assertThat(compared).isGreaterThan(700);
  }
}
