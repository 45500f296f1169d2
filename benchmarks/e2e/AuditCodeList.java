import dev.wirelens.Limits;
import dev.wirelens.examples.audit.Audit;
import dev.wirelens.examples.audit.AuditSession;
import dev.wirelens.pcapng.CaptureReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.ObjectName;

/**
 * AuditOnce, then the code cache's list of compiled methods and their address ranges (the Compiler.codelist
 * diagnostic command) written to CODELIST: with callgrind's per-instruction counts (--dump-instr=yes) it names the JIT
 * code that callgrind can only show as addresses (benchmarks/e2e/jit_attribution.py). Compile it like AuditOnce, then
 * valgrind --tool=callgrind --separate-threads=yes --dump-instr=yes java -XX:TieredStopAtLevel=1 -Xbatch
 * -cp examples/target/wirelens.jar:/tmp/e2e AuditCodeList FILE ROUNDS CODELIST
 */
public class AuditCodeList {
  public static void main(String[] a) throws Exception {
    for (int r = 0; r < Integer.parseInt(a[1]); r++) {
      AuditSession s = Audit.builder().build().session(report -> { });
      s.readAhead(CaptureReader.openMapped(Path.of(a[0]), Limits.defaults()));
      s.finish();
    }
    Object list = ManagementFactory.getPlatformMBeanServer().invoke(
        new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerCodelist",
        new Object[] {new String[0]}, new String[] {String[].class.getName()});
    Files.writeString(Path.of(a[2]), list.toString());
  }
}
