package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/** One in-process run of {@code wirelens flows} and what it wrote. */
record FlowsRun(int code, String out, String err, Path dir) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static FlowsRun run(InputStream stdin, Path dir, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Wirelens.run(stdin, new PrintWriter(out), new PrintWriter(err), args);
    return new FlowsRun(code, out.toString(), err.toString(), dir);
  }

  /** {@code wirelens flows --out DIR CAPTURE} plus extra options. */
  static FlowsRun file(Path dir, Path capture, String... options) {
    List<String> args = new ArrayList<>(List.of("flows", "--out", dir.toString()));
    args.addAll(List.of(options));
    args.add(capture.toString());
    return run(new ByteArrayInputStream(new byte[0]), dir, args.toArray(String[]::new));
  }

  JsonNode index() throws IOException {
    return JSON.readTree(dir.resolve("index.json").toFile());
  }

  /** The index's connections sorted by id. */
  List<JsonNode> connections() throws IOException {
    List<JsonNode> list = new ArrayList<>();
    index().get("connections").forEach(list::add);
    list.sort(Comparator.comparingLong(c -> c.get("id").asLong()));
    return list;
  }

  byte[] bytes(String fileName) throws IOException {
    return Files.readAllBytes(dir.resolve(fileName));
  }

  void assertOneErrorLine(String file, String problem) {
    assertThat(code).isEqualTo(2);
    assertThat(err.lines().toList()).hasSize(1);
    assertThat(err).startsWith("wirelens flows: " + file + ": ").contains(problem)
        .doesNotContain("Exception:").doesNotContain("\tat ");
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
