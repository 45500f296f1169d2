package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The operator's story in the top-level README.md and examples/AUDIT.md shows the real output of the commands it
 * tells the newcomer to run on the shipped agent/console sample, so the documents cannot drift from the product:
 * the table verbatim, the pretty-printed JSON object equal to the {@code --json} line, and the first set-up command
 * auditing files that exist in the repository. (Tests run in the examples module's folder.)
 */
class DocumentedAuditOutputTest {
  private static final Path README = Path.of("..", "README.md");
  private static final Path AUDIT_MD = Path.of("AUDIT.md");
  private static final String KEYS = "examples/src/main/resources/captures/agent-console.keys";
  private static final String CAPTURE = "examples/src/main/resources/captures/agent-console.pcapng";

  private static AuditRun sample(String... options) {
    String[] args = new String[options.length + 3];
    System.arraycopy(options, 0, args, 0, options.length);
    args[options.length] = "--keylog";
    args[options.length + 1] = CliCaptures.path("agent-console.keys").toString();
    args[options.length + 2] = CliCaptures.path("agent-console.pcapng").toString();
    return AuditRun.run(args);
  }

  @Test
  void theReadmeAndAuditMdShowTheTableTheSampleGives() throws IOException {
    AuditRun r = sample();
    assertThat(r.code()).isZero();
    assertThat(Files.readString(README)).contains(r.out());
    assertThat(Files.readString(AUDIT_MD)).contains(r.out());
  }

  @Test
  void auditMdShowsTheJsonObjectTheSampleGives() throws IOException {
    String doc = Files.readString(AUDIT_MD);
    int start = doc.indexOf("```json\n");
    assertThat(start).isNotNegative();
    String block = doc.substring(start + 8, doc.indexOf("```", start + 8));
    ObjectMapper json = new ObjectMapper();
    JsonNode shown = json.readTree(block);
    JsonNode real = sample("--json").json().get(0);
    assertThat(shown).isEqualTo(real);
  }

  @Test
  void theReadmesFirstSetUpCommandAuditsTheSampleThatShipsInTheRepository() throws IOException {
    String doc = Files.readString(README);
    int setUp = doc.indexOf("## Set up");
    assertThat(setUp).isNotNegative();
    int block = doc.indexOf("```sh\n", setUp);
    String first = doc.substring(block + 6, doc.indexOf("```", block + 6)).trim();
    // the launcher the build puts next to the jar (LauncherTest runs it on this same sample)
    assertThat(first).endsWith("&& examples/target/wirelens audit --keylog " + KEYS + " " + CAPTURE);
    assertThat(Path.of("..").resolve(KEYS)).isRegularFile();
    assertThat(Path.of("..").resolve(CAPTURE)).isRegularFile();
    assertThat(doc.indexOf("tcpdump")).as("the story (record with tcpdump) comes before the set-up")
        .isLessThan(setUp);
  }
}
