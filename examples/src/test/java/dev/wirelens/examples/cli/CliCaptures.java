package dev.wirelens.examples.cli;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;

/**
 * The recorded captures in {@code src/test/resources/captures} (see its README.md), and the command line's sample
 * {@code http.pcap} from {@code src/main/resources/captures} (same class-path folder).
 */
final class CliCaptures {
  static final List<String> ALL = List.of("ethernet.pcapng", "midstream.pcapng", "vlan.pcap", "qinq.pcap", "sll2.pcap", "sll.pcap",
      "loopback.pcap", "ipv6-ext.pcap", "ipv4-fragments.pcap", "snaplen.pcap", "multi-interface.pcapng", "http.pcap");

  private CliCaptures() {}

  static Path path(String name) {
    URL url = CliCaptures.class.getResource("/captures/" + name);
    if (url == null) {
      throw new IllegalArgumentException("no test resource captures/" + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
