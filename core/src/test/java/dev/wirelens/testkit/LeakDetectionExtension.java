package dev.wirelens.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty's leak detector reports a {@code ByteBuf} that was garbage collected without being
 * released. Registered for every test class through JUnit's extension auto-detection
 * ({@code META-INF/services} and {@code junit-platform.properties} of this test-jar); tests run with
 * {@code -Dio.netty.leakDetection.level=paranoid}, so every buffer is tracked.
 *
 * <p>The detector factory is replaced before Netty creates its first detector (the static initialiser of this class
 * runs when JUnit loads the extension, before any test class touches a buffer). After each class, the extension
 * collects garbage and allocates a few buffers so that the detector drains its reference queue, then fails with the
 * leak records it saw.
 *
 * <p>Thread safety: leak reports may arrive on any thread; the list is synchronised.
 */
public final class LeakDetectionExtension implements BeforeAllCallback, AfterAllCallback {
  private static final List<String> LEAKS = new ArrayList<>();

  static {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
  }

  /** Creates the extension (JUnit does this). */
  public LeakDetectionExtension() {}

  /** Leak records seen so far and not yet reported; clears them. */
  public static List<String> drainLeaks() {
    synchronized (LEAKS) {
      List<String> copy = new ArrayList<>(LEAKS);
      LEAKS.clear();
      return copy;
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    collectLeaks();
    drainLeaks(); // leaks of an earlier class were reported there
  }

  @Override
  public void afterAll(ExtensionContext context) {
    collectLeaks();
    List<String> leaks = drainLeaks();
    if (!leaks.isEmpty()) {
      throw new AssertionError(leaks.size() + " ByteBuf leak(s) in " + context.getDisplayName() + ":\n"
          + String.join("\n----\n", leaks));
    }
  }

  /** Makes the detector look at every buffer that has become unreachable. */
  public static void collectLeaks() {
    for (int round = 0; round < 3; round++) {
      System.gc();
      System.runFinalization();
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      // Tracking a new buffer polls the detector's reference queue.
      for (ByteBufAllocator alloc : new ByteBufAllocator[] {
          UnpooledByteBufAllocator.DEFAULT, PooledByteBufAllocator.DEFAULT}) {
        ByteBuf heap = alloc.heapBuffer(1);
        heap.release();
        ByteBuf direct = alloc.directBuffer(1);
        direct.release();
      }
    }
  }

  private static final class RecordingFactory extends ResourceLeakDetectorFactory {
    @Override
    @SuppressWarnings("deprecation")
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
        long maxActive) {
      return new RecordingDetector<>(resource, samplingInterval);
    }
  }

  private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
    RecordingDetector(Class<T> resource, int samplingInterval) {
      super(resource, samplingInterval);
    }

    @Override
    protected boolean needReport() {
      return true;
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
      synchronized (LEAKS) {
        LEAKS.add("LEAK " + resourceType + records);
      }
      super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
      synchronized (LEAKS) {
        LEAKS.add("LEAK " + resourceType + " (untraced)");
      }
      super.reportUntracedLeak(resourceType);
    }
  }
}
