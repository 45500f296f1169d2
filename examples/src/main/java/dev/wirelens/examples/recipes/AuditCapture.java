package dev.wirelens.examples.recipes;

import dev.wirelens.Limits;
import dev.wirelens.examples.audit.Audit;
import dev.wirelens.examples.audit.AuditPolicy;
import dev.wirelens.examples.audit.AuditSummary;
import dev.wirelens.tls.KeyLog;
import dev.wirelens.tls.TlsKeySource;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Audits a capture and prints one line per connection and the verdict: is everything on port 8084 encrypted, is
 * every connection stable?
 *
 * <pre>
 * java -cp wirelens.jar dev.wirelens.examples.recipes.AuditCapture agent-console.pcapng agent-console.keys
 * </pre>
 */
public final class AuditCapture {
  private AuditCapture() {}

  /** {@code args}: the capture, and optionally its TLS key log. */
  public static void main(String[] args) throws IOException {
    TlsKeySource keys = args.length > 1 ? KeyLog.read(Path.of(args[1]), Limits.defaults()) : TlsKeySource.NONE;
    Audit audit = Audit.builder()
        .keys(keys)
        .policy(AuditPolicy.builder().watchedPorts(8084).build())
        .build();
    AuditSummary summary = audit.run(Path.of(args[0]), report -> {
      String tls = report.tls() == null ? "no TLS" : report.tls().versionName() + " " + report.tls().cipherSuiteName();
      System.out.println(report.id() + " " + report.client() + " -> " + report.server() + " " + tls);
    });
    System.out.println("encrypted: " + summary.encrypted() + ", stable: " + summary.stable());
    summary.reasons().forEach(reason -> System.out.println("  " + reason));
  }
}
