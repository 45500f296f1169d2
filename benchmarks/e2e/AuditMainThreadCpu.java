import dev.wirelens.Limits;
import dev.wirelens.examples.audit.Audit;
import dev.wirelens.examples.audit.AuditSession;
import dev.wirelens.pcapng.CaptureReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;

/**
 * The audit of one capture file, the way main did it (CaptureReader.open, AuditSession.read: everything on the calling
 * thread) and the way the audit does it now (CaptureReader.openMapped, AuditSession.readAhead: the file mapped and read
 * a batch ahead on a second thread), alternated in one JVM, round after round: wall time, the calling thread's CPU time
 * (the critical path: what the wall time is on an idle 2-core machine once the JIT has settled) and the process's CPU
 * time. A single-file program: java -Xmx128m -cp examples/target/wirelens.jar benchmarks/e2e/AuditMainThreadCpu.java F 7
 */
public class AuditMainThreadCpu {
  public static void main(String[] a) {
    Path p = Path.of(a[0]);
    int rounds = Integer.parseInt(a[1]);
    ThreadMXBean t = ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (int r = 0; r < rounds; r++) {
      StringBuilder sb = new StringBuilder("round " + r + ":");
      for (String m : new String[] {"read", "readAhead"}) {
        long w0 = System.nanoTime();
        long c0 = t.getCurrentThreadCpuTime();
        long p0 = os.getProcessCpuTime();
        long[] n = {0};
        AuditSession s = Audit.builder().build().session(rep -> n[0]++);
        if (m.equals("read")) {
          s.read(CaptureReader.open(p, Limits.defaults()));
        } else {
          s.readAhead(CaptureReader.openMapped(p, Limits.defaults()));
        }
        s.finish();
        sb.append(String.format("  %s: wall %4.0f ms, calling thread %4.0f ms CPU, process %4.0f ms CPU (%d reports);",
            m, (System.nanoTime() - w0) / 1e6, (t.getCurrentThreadCpuTime() - c0) / 1e6,
            (os.getProcessCpuTime() - p0) / 1e6, n[0]));
      }
      System.out.println(sb + " load " + os.getSystemLoadAverage());
    }
  }
}
