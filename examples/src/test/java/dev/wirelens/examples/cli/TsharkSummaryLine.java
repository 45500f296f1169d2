package dev.wirelens.examples.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of tshark's default one-line output ({@code tshark -r X}), or of ours, split into columns:
 * number, time, source, destination (may be empty, as tshark prints for SLL frames without a destination),
 * protocol, length, info; and, for a TCP summary, the flags, relative Seq/Ack, Win and Len.
 */
final class TsharkSummaryLine {
  private static final Pattern LINE =
      Pattern.compile("^\\s*(\\d+)\\s+(\\d+\\.\\d+)\\s+(\\S*)\\s+→\\s*(\\S*)\\s+(\\S+)\\s+(\\d+)(?:\\s(.*))?$");
  private static final Pattern TCP =
      Pattern.compile("(\\d+) → (\\d+) \\[([^\\]]*)\\] Seq=(\\d+)(?: Ack=(\\d+))? Win=(\\d+)(?: Urg=\\d+)? Len=(\\d+)");
  private static final Pattern UDP = Pattern.compile("^(\\d+) → (\\d+) Len=(\\d+)");

  final long number;
  final String time;
  final String source;
  final String destination;
  final String protocol;
  final long length;
  final String info;

  private TsharkSummaryLine(Matcher m) {
    number = Long.parseLong(m.group(1));
    time = m.group(2);
    source = m.group(3);
    destination = m.group(4);
    protocol = m.group(5);
    length = Long.parseLong(m.group(6));
    info = m.group(7) == null ? "" : m.group(7).trim();
  }

  static TsharkSummaryLine parse(String line) {
    Matcher m = LINE.matcher(line);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a summary line: " + line);
    }
    return new TsharkSummaryLine(m);
  }

  /** "ports [flags] Seq= Ack= Win= Len=" of a TCP summary, or null when the info holds none. */
  String tcpFields() {
    Matcher m = TCP.matcher(info);
    if (!m.find()) {
      return null;
    }
    return m.group(1) + " → " + m.group(2) + " [" + m.group(3) + "] Seq=" + m.group(4)
        + (m.group(5) != null ? " Ack=" + m.group(5) : "") + " Win=" + m.group(6) + " Len=" + m.group(7);
  }

  /** "ports Len=" of a UDP summary, or null. */
  String udpFields() {
    Matcher m = UDP.matcher(info);
    return m.find() ? m.group(1) + " → " + m.group(2) + " Len=" + m.group(3) : null;
  }
}
