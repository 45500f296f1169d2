import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Two (or more) builds of the audit in one JVM, each wirelens.jar in its own class loader, alternated round by round
 * (so both meet the same machine load), each round the command's path (CaptureReader.openMapped, AuditSession
 * .readAhead): the calling (dissecting) thread's CPU, wall time and process CPU per build, min/median/max over the
 * measured rounds. java -Xmx256m [-XX:TieredStopAtLevel=1] AuditJarsAB.java FILE ROUNDS WARMUP_ROUNDS A.jar B.jar
 */
public class AuditJarsAB {
  public static void main(String[] a) throws Exception {
    Path file = Path.of(a[0]);
    int rounds = Integer.parseInt(a[1]);
    int warm = Integer.parseInt(a[2]);
    int n = a.length - 3;
    Object[][] builds = new Object[n][];
    for (int j = 0; j < n; j++) {
      ClassLoader l = new URLClassLoader(new URL[] {Path.of(a[3 + j]).toUri().toURL()},
          AuditJarsAB.class.getClassLoader().getParent());
      Class<?> limits = l.loadClass("dev.wirelens.Limits");
      Class<?> reader = l.loadClass("dev.wirelens.pcapng.CaptureReader");
      builds[j] = new Object[] {limits.getMethod("defaults").invoke(null),
          reader.getMethod("openMapped", Path.class, limits), l.loadClass("dev.wirelens.examples.audit.Audit")
              .getMethod("builder"), l.loadClass("dev.wirelens.examples.audit.AuditSession"), reader};
    }
    ThreadMXBean t = ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long[][][] m = new long[3][n][rounds]; // calling-thread CPU, wall, process CPU
    for (int r = 0; r < warm + rounds; r++) {
      for (int k = 0; k < n; k++) {
        int j = (k + r) % n; // who goes first alternates
        long c0 = t.getCurrentThreadCpuTime();
        long w0 = System.nanoTime();
        long p0 = os.getProcessCpuTime();
        once(file, builds[j]);
        if (r >= warm) {
          m[0][j][r - warm] = t.getCurrentThreadCpuTime() - c0;
          m[1][j][r - warm] = System.nanoTime() - w0;
          m[2][j][r - warm] = os.getProcessCpuTime() - p0;
        }
      }
    }
    String[] what = {"calling-thread CPU", "wall", "process CPU"};
    for (int j = 0; j < n; j++) {
      for (int x = 0; x < 3; x++) {
        long[] s = m[x][j].clone();
        Arrays.sort(s);
        System.out.printf("%s %s: min %d median %d max %d ms (n=%d)%n", a[3 + j], what[x], s[0] / 1_000_000,
            s[s.length / 2] / 1_000_000, s[s.length - 1] / 1_000_000, s.length);
      }
    }
    System.out.println("load " + os.getSystemLoadAverage());
  }

  private static void once(Path file, Object[] b) throws Exception {
    Object builder = ((Method) b[2]).invoke(null);
    Object audit = builder.getClass().getMethod("build").invoke(builder);
    Consumer<Object> discard = x -> { };
    Object session = audit.getClass().getMethod("session", Consumer.class).invoke(audit, discard);
    Object reader = ((Method) b[1]).invoke(null, file, b[0]);
    Class<?> s = (Class<?>) b[3];
    s.getMethod("readAhead", (Class<?>) b[4]).invoke(session, reader);
    s.getMethod("finish").invoke(session);
  }
}
