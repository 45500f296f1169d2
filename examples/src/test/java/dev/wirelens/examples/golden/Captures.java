package dev.wirelens.examples.golden;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;

/** The recorded captures in {@code src/test/resources/captures} (see its README.md). */
final class Captures {
  static final List<String> ALL = List.of("ethernet.pcapng", "midstream.pcapng", "vlan.pcap", "qinq.pcap", "sll2.pcap", "sll.pcap",
      "loopback.pcap", "ipv6-ext.pcap", "ipv4-fragments.pcap", "snaplen.pcap", "multi-interface.pcapng");

  private Captures() {}

  static Path path(String name) {
    URL url = Captures.class.getResource("/captures/" + name);
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
