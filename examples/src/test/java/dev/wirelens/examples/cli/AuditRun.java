package dev.wirelens.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/** One in-process run of {@code wirelens audit ...}: exit code, standard output and error. */
record AuditRun(int code, String out, String err) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static AuditRun run(InputStream stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 1];
    all[0] = "audit";
    System.arraycopy(args, 0, all, 1, args.length);
    int code = Wirelens.run(stdin, new PrintWriter(out), new PrintWriter(err), all);
    return new AuditRun(code, out.toString(), err.toString());
  }

  static AuditRun run(String... args) {
    return run(new ByteArrayInputStream(new byte[0]), args);
  }

  List<String> lines() {
    return out.lines().toList();
  }

  /** Each output line parsed as one JSON object (fails on a line that is not). */
  List<JsonNode> json() {
    return lines().stream().map(line -> {
      try {
        return JSON.readTree(line);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }).toList();
  }
}
