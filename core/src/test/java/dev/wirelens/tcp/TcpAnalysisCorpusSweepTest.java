package dev.wirelens.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Limits;
import dev.wirelens.testkit.Corpus;
import dev.wirelens.testkit.PcapFrames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every classic pcap of the shared corpus (any licence, read in place) with TCP in it: our analysis counts against
 * tshark 4.0.17's (corpus-analysis.tsv, recorded by record-analysis.sh with NAME_ROOT set to the corpus).
 */
@Tag("corpus")
class TcpAnalysisCorpusSweepTest {
  /** Counts where we differ from tshark on purpose, with the reason. */
  static final Map<String, String> DIFFERENCES = new HashMap<>();

  static {
    // As in TcpAnalysisCorpusTest: tshark computes this round trip but never displays it.
    DIFFERENCES.put("arkime/tcp_handshake_synthetic.pcap 11 initial_rtt", "tshark does not display it");
  }

  @Test
  void everyCorpusConnectionCountsWhatTsharkFlags() throws IOException {
    List<String> lines = Files.readAllLines(TcpReassemblyCorpusTest.vectors().resolve("corpus-analysis.tsv"));
    Map<String, List<String[]>> byFile = new LinkedHashMap<>();
    for (String l : lines.subList(1, lines.size())) {
      String[] f = l.split("\\t", -1);
      byFile.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f);
    }
    List<String> mismatches = new ArrayList<>();
    List<String> notComparable = new ArrayList<>();
    int compared = 0;
    for (Map.Entry<String, List<String[]>> e : byFile.entrySet()) {
      Path file = Corpus.file(e.getKey());
      PcapFrames frames;
      try {
        frames = PcapFrames.read(file);
      } catch (IOException | RuntimeException notClassicPcap) {
        notComparable.add(e.getKey() + ": not read by the test kit");
        continue;
      }
      List<TcpConnection> connections = TcpAnalysisCorpusTest.analyze(frames, Limits.defaults());
      int streams = 0;
      for (String[] row : e.getValue()) {
        streams = Math.max(streams, Integer.parseInt(row[1]) + 1);
      }
      if (connections.size() != streams) {
        notComparable.add(e.getKey() + ": " + connections.size() + " connections, tshark " + streams + " streams");
        continue;
      }
      compared++;
      mismatches.addAll(TcpAnalysisCorpusTest.compare(e.getKey(), connections, e.getValue(), DIFFERENCES));
    }
    assertThat(compared).isGreaterThan(240);
    assertThat(notComparable).containsExactlyInAnyOrder(
        // the test kit's minimal pcap reader refuses these files
        "pcapplusplus/packet-examples/NullLoopback.pcap: not read by the test kit",
        "suricata-verify/bug-1450-04/tls_DER-incomplete-header.pcap: not read by the test kit",
        // the only TCP header is invalid (the view refuses it); tshark still counts a stream
        "pcapplusplus/packet-examples/tcp-malformed.pcap: 0 connections, tshark 1 streams",
        // ten years between packets: our idle timeout starts a new connection (TcpAnalysisCorpusTest runs its
        // copy without the timeout and matches tshark)
        "pkts/tcp-streams/passed_timeout.pcap: 2 connections, tshark 1 streams");
    assertThat(mismatches).isEmpty();
  }
}
