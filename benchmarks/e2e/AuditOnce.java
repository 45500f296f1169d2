import dev.wirelens.Limits;
import dev.wirelens.examples.audit.Audit;
import dev.wirelens.examples.audit.AuditSession;
import dev.wirelens.pcapng.CaptureReader;
import java.nio.file.Path;

/**
 * The audit of one capture file ROUNDS times, the way the command does it (mapped, read ahead), reports discarded: a
 * target for instruction counting, where the difference between a 3-round and a 1-round run is the cost of two
 * rounds without start-up. Compile it first (javac -cp examples/target/wirelens.jar -d /tmp/e2e AuditOnce.java), then
 * valgrind --tool=callgrind --separate-threads=yes java -XX:TieredStopAtLevel=1 -Xbatch
 * -cp examples/target/wirelens.jar:/tmp/e2e AuditOnce FILE ROUNDS (thread 02 in the output is the dissecting thread).
 */
public class AuditOnce {
  public static void main(String[] a) {
    for (int r = 0; r < Integer.parseInt(a[1]); r++) {
      AuditSession s = Audit.builder().build().session(report -> { });
      s.readAhead(CaptureReader.openMapped(Path.of(a[0]), Limits.defaults()));
      s.finish();
    }
  }
}
