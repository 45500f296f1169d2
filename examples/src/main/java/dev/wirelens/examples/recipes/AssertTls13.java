package dev.wirelens.examples.recipes;

import dev.wirelens.examples.audit.Audit;
import dev.wirelens.examples.audit.ConnectionReport;
import dev.wirelens.tcp.Direction;
import java.nio.file.Path;
import java.util.List;

/**
 * What a unit test asserts about a capture of its own server: every connection negotiated TLS 1.3 for the expected
 * server name and closed cleanly. In a JUnit test the {@code check} calls are {@code assertThat(...)}; here they
 * throw {@link AssertionError} so the recipe needs no test library.
 *
 * <pre>
 * java -cp wirelens.jar dev.wirelens.examples.recipes.AssertTls13 agent-console.pcapng console.test
 * </pre>
 */
public final class AssertTls13 {
  private AssertTls13() {}

  /** {@code args}: the capture and the server name every connection must ask for. */
  public static void main(String[] args) {
    List<ConnectionReport> reports = Audit.builder().build().run(Path.of(args[0]));
    check(!reports.isEmpty(), "no TCP connection in " + args[0]);
    for (ConnectionReport r : reports) {
      check(r.tls() != null, "connection " + r.id() + " is not TLS");
      check("TLSv1.3".equals(r.tls().versionName()), "connection " + r.id() + " is " + r.tls().versionName());
      check(args[1].equals(r.tls().sni()), "connection " + r.id() + " asked for " + r.tls().sni());
      check(r.tls().handshakeComplete(), "connection " + r.id() + ": handshake not complete");
      check(r.close().equals("fin") && r.closedBy() == Direction.CLIENT_TO_SERVER,
          "connection " + r.id() + " was not closed by the client with FIN: " + r.close());
      check(r.verdict().encrypted() && r.verdict().stable(), r.verdict().reasons().toString());
    }
    System.out.println(reports.size() + " TLS 1.3 connection(s) to " + args[1] + ", closed cleanly");
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }
}
