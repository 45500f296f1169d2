package dev.wirelens.examples.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every recipe's {@code main} on the sample captures, so the recipes cannot rot; expected values come from the
 * tshark files recorded beside the captures (captures/websocket/agent-console.*.tsv, captures/flows.tsv).
 */
class RecipesTest {
  private static String path(String name) {
    try {
      return Path.of(RecipesTest.class.getResource("/captures/" + name).toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }

  interface Main {
    void run() throws Exception;
  }

  private static List<String> stdout(Main main) throws Exception {
    PrintStream saved = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      main.run();
    } finally {
      System.setOut(saved);
    }
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void auditCapturePrintsEachConnectionAndTheVerdict() throws Exception {
    List<String> out = stdout(() -> AuditCapture.main(new String[] {path("agent-console.pcapng"),
        path("agent-console.keys")}));
    // agent-console.tls.tsv: one connection 10.200.0.1:56214 -> 10.200.0.2:8084, ServerHello 0x0304 / 0x1302
    assertThat(out).containsExactly("0 10.200.0.1:56214 -> 10.200.0.2:8084 TLSv1.3 TLS_AES_256_GCM_SHA384",
        "encrypted: true, stable: true");
    List<String> plain = stdout(() -> AuditCapture.main(new String[] {path("http.pcap")}));
    assertThat(plain).last().isEqualTo("encrypted: true, stable: true"); // port 8080 is not watched
  }

  @Test
  void assertTls13PassesOnTheSampleAndFailsOnAnotherName() throws Exception {
    assertThat(stdout(() -> AssertTls13.main(new String[] {path("agent-console.pcapng"), "console.test"})))
        .containsExactly("1 TLS 1.3 connection(s) to console.test, closed cleanly");
    assertThatThrownBy(() -> AssertTls13.main(new String[] {path("agent-console.pcapng"), "other.test"}))
        .isInstanceOf(AssertionError.class).hasMessage("connection 0 asked for console.test");
    assertThatThrownBy(() -> AssertTls13.main(new String[] {path("http.pcap"), "console.test"}))
        .isInstanceOf(AssertionError.class).hasMessage("connection 0 is not TLS");
  }

  @Test
  void listDecryptedWebSocketMessagesPrintsEveryTextMessageInOrder() throws Exception {
    List<String> out = stdout(() -> ListDecryptedWebSocketMessages.main(new String[] {path("agent-console.pcapng"),
        path("agent-console.keys")}));
    // agent-console.ws.tsv (tshark with the key log): the text frames (all FIN), sender and SHA-256 of the text
    List<String> expected = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(path("websocket/agent-console.ws.tsv")))) {
      String[] f = line.split("\t", -1);
      if (line.startsWith("#") || f[0].equals("frame") || !f[8].equals("1")) {
        continue;
      }
      expected.add((f[3].equals("8084") ? "server> " : "client> ") + f[f.length - 1]);
    }
    List<String> ours = out.stream().map(l -> l.substring(0, 8) + sha256(l.substring(8))).toList();
    assertThat(expected).hasSize(16);
    assertThat(ours).isEqualTo(expected);
  }

  @Test
  void writeFlowsWritesWhatEachSideSent(@TempDir Path dir) throws Exception {
    stdout(() -> WriteFlows.main(new String[] {path("http.pcap"), dir.toString()}));
    // flows.tsv, http.pcap: node0 (client) 79 and 82 bytes, node1 (server) 205 bytes each, SHA-256 as recorded
    assertThat(sha256(Files.readAllBytes(dir.resolve("0-client.bin"))))
        .isEqualTo("bf61852731f7a620a69e7bdcaea23bbe98fc7f65e825c3c7993dcd08b3953fc6");
    assertThat(sha256(Files.readAllBytes(dir.resolve("0-server.bin"))))
        .isEqualTo("9dd10d8a39b99bb244f9e46eb3d1c12f7dbd384ea1fc73527bb64041bf4eb6fe");
    assertThat(sha256(Files.readAllBytes(dir.resolve("1-client.bin"))))
        .isEqualTo("31ac63bfd356a48f4cb137ef316bf502da107d39efa8644878d51901084e2baf");
    assertThat(sha256(Files.readAllBytes(dir.resolve("1-server.bin"))))
        .isEqualTo("9dd10d8a39b99bb244f9e46eb3d1c12f7dbd384ea1fc73527bb64041bf4eb6fe");
  }

  private static String sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
