package dev.wirelens.pcapng;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file of the pcapng-test-generator set (little- and big-endian) reads as its .txt description says (block
 * sequence and counts), and its IDBs, options and comments match what tshark's pcapng file dissector recorded.
 */
class PcapngConformanceTest {
  static final Path DIR = Paths.get("src/test/resources/vectors/pcapng");

  static Stream<String> vectors() throws IOException {
    try (Stream<Path> s = Files.walk(DIR)) {
      return s.filter(p -> p.toString().endsWith(".pcapng")).map(p -> DIR.relativize(p).toString()).sorted()
          .toList().stream();
    }
  }

  /** What our block reader saw. */
  static final class Seen {
    final List<String> blocks = new ArrayList<>();
    final List<String> comments = new ArrayList<>();
    final List<String> linkTypes = new ArrayList<>();
    final List<String> snapLengths = new ArrayList<>();
    final List<String> names = new ArrayList<>();
    final List<String> tsresols = new ArrayList<>();
    final List<String> blockTypeHex = new ArrayList<>();
    DecodeStatus end;
  }

  static Seen walk(String vector) throws IOException {
    Seen seen = new Seen();
    try (PcapngReader r = new PcapngReader(Limits.defaults())) {
      r.feed(Unpooled.wrappedBuffer(Files.readAllBytes(DIR.resolve(vector))));
      r.endOfInput();
      DecodeStatus s;
      while ((s = r.next()) == DecodeStatus.BLOCK) {
        int type = r.blockType();
        seen.blocks.add(PcapngBlockTypes.nameOf(type));
        seen.blockTypeHex.add(String.format("0x%08x", type));
        PcapngOptionCursor o = options(r);
        if (type == PcapngBlockTypes.INTERFACE_DESCRIPTION) {
          seen.linkTypes.add(Integer.toString(r.interfaceDescription().linkType()));
          seen.snapLengths.add(Long.toString(r.interfaceDescription().snapLength()));
        }
        if (o != null) {
          while (o.next()) {
            if (o.code() == PcapngOptionCodes.COMMENT) {
              seen.comments.add(o.valueAsString());
            } else if (type == PcapngBlockTypes.INTERFACE_DESCRIPTION && o.code() == PcapngOptionCodes.IF_NAME) {
              seen.names.add(o.valueAsString());
            } else if (type == PcapngBlockTypes.INTERFACE_DESCRIPTION && o.code() == PcapngOptionCodes.IF_TSRESOL) {
              seen.tsresols.add(String.format("0x%02x", o.valueU8()));
            }
          }
          assertThat(o.report().isMalformed()).as(o.report().toString()).isFalse();
        }
      }
      seen.end = s;
    }
    return seen;
  }

  static PcapngOptionCursor options(PcapngReader r) {
    switch (r.blockType()) {
      case PcapngBlockTypes.SECTION_HEADER: return r.sectionHeader().options();
      case PcapngBlockTypes.INTERFACE_DESCRIPTION: return r.interfaceDescription().options();
      case PcapngBlockTypes.ENHANCED_PACKET: return r.enhancedPacket().options();
      case PcapngBlockTypes.PACKET: return r.packet().options();
      case PcapngBlockTypes.NAME_RESOLUTION: return r.nameResolution().options();
      case PcapngBlockTypes.INTERFACE_STATISTICS: return r.interfaceStatistics().options();
      case PcapngBlockTypes.DECRYPTION_SECRETS: return r.decryptionSecrets().options();
      default: return null;
    }
  }

  /** The generator's .txt: "Block counts:" lines and the "Block sequence:" line. */
  static List<String> sequence(String vector) throws IOException {
    for (String line : Files.readAllLines(DIR.resolve(vector.replace(".pcapng", ".txt")))) {
      if (line.startsWith("Block sequence:")) {
        return Arrays.asList(line.substring("Block sequence:".length()).trim().split(",\\s*"));
      }
    }
    throw new AssertionError("no block sequence in the description of " + vector);
  }

  static Map<String, Integer> counts(String vector) throws IOException {
    Map<String, Integer> counts = new TreeMap<>();
    boolean in = false;
    for (String line : Files.readAllLines(DIR.resolve(vector.replace(".pcapng", ".txt")))) {
      if (line.startsWith("Block counts:")) {
        in = true;
      } else if (in && line.startsWith("\t")) {
        String[] kv = line.trim().split(":\\s*");
        counts.put(kv[0], Integer.parseInt(kv[1]));
      } else if (in && !line.isBlank()) {
        in = false;
      }
    }
    return counts;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void blockSequenceAndCountsMatchTheDescription(String vector) throws IOException {
    Seen seen = walk(vector);
    assertThat(seen.end).isEqualTo(DecodeStatus.END);
    assertThat(seen.blocks).isEqualTo(sequence(vector));
    Map<String, Integer> counted = new TreeMap<>();
    seen.blocks.forEach(b -> counted.merge(b, 1, Integer::sum));
    assertThat(counted).isEqualTo(counts(vector));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void interfacesOptionsAndCommentsMatchTshark(String vector) throws IOException {
    Seen seen = walk(vector);
    String[] cols = Files.readString(DIR.resolve(vector + ".tshark.tsv")).replaceAll("\n$", "").split("\t", -1);
    Map<String, List<String>> ours = new LinkedHashMap<>();
    ours.put("block types", seen.blockTypeHex);
    ours.put("comments", seen.comments);
    ours.put("link types", seen.linkTypes);
    ours.put("snaplens", seen.snapLengths);
    ours.put("if_name", seen.names);
    ours.put("if_tsresol", seen.tsresols);
    int i = 0;
    boolean prefixOnly = false;
    for (Map.Entry<String, List<String>> e : ours.entrySet()) {
      List<String> theirs = cols[i].isEmpty() ? List.of() : Arrays.asList(cols[i].split("\u001e"));
      theirs = theirs.stream().map(PcapngConformanceTest::unescape).toList();
      if (i == 0) {
        // tshark's file dissector stops at a section of the other byte order (test202): compare prefixes then
        prefixOnly = theirs.size() < e.getValue().size();
      }
      List<String> mine = prefixOnly ? e.getValue().subList(0, Math.min(theirs.size(), e.getValue().size()))
          : e.getValue();
      assertThat(mine).as(e.getKey()).isEqualTo(theirs);
      i++;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void captureReaderYieldsOneFramePerPacketBlockWithItsInterfaceLinkType(String vector) throws IOException {
    Map<String, Integer> counts = counts(vector);
    int packets = counts.getOrDefault("EPB", 0) + counts.getOrDefault("SPB", 0) + counts.getOrDefault("PB", 0);
    try (CaptureReader r = CaptureReader.of(Unpooled.wrappedBuffer(Files.readAllBytes(DIR.resolve(vector))),
        Limits.defaults())) {
      int n = 0;
      while (r.next() == DecodeStatus.FRAME) {
        n++;
        assertThat(r.linkType()).isEqualTo(r.interfaces().get(r.interfaceId()).linkType());
        assertThat(r.capturedLength()).isEqualTo(r.frame().readableBytes());
      }
      assertThat(r.report().isMalformed()).as(r.report().toString()).isFalse();
      assertThat(n).isEqualTo(packets);
    }
  }

  private static String unescape(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        b.append(n == 'n' ? '\n' : n == 'r' ? '\r' : n == 't' ? '\t' : n);
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
