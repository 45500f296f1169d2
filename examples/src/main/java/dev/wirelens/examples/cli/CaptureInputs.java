package dev.wirelens.examples.cli;

import dev.wirelens.DecodeStatus;
import dev.wirelens.MalformationReport;
import dev.wirelens.examples.audit.CaptureProblems;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.pcapng.CaptureReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;

/**
 * Internal: the words the subcommands use for an input they cannot read (one line on standard error, never a stack
 * trace; the texts live in {@link CaptureProblems}, which the audit library shares), and the capture loop of the
 * {@code flows} subcommand.
 */
final class CaptureInputs {
  private CaptureInputs() {}

  /** Why {@code path} cannot be read as a capture file, or null when it can be tried. */
  static String fileProblem(Path path) {
    return CaptureProblems.fileProblem(path);
  }

  /** The problem a {@code MALFORMED} status of a capture reader stands for, after {@code framesRead} frames. */
  static String captureProblem(MalformationReport report, long framesRead) {
    return CaptureProblems.captureProblem(report, framesRead);
  }

  /** A read error as one line. */
  static String describe(UncheckedIOException e) {
    return CaptureProblems.describe(e);
  }

  /** True for the link types the packet dissector decodes. */
  static boolean isSupported(int linkType) {
    return CaptureProblems.isSupported(linkType);
  }

  /** Receives each dissected packet of {@link #feed}; called with the feed's lock held. */
  interface PacketSink {
    void onPacket(PacketDissector dissector, long timestampNanos);
  }

  /**
   * Reads every frame of {@code r}, dissects it in place and hands it to {@code sink}, holding {@code lock} for each
   * packet but not while the reader waits for input (so a shutdown hook can take the lock and end the run). Returns
   * {@code interrupted} when {@code ended} became true, the problem that ended the input early, or null at its end.
   */
  static String feed(CaptureReader r, Lock lock, BooleanSupplier ended, String interrupted, PacketSink sink) {
    PacketDissector dissector = new PacketDissector();
    long count = 0;
    try {
      while (true) {
        DecodeStatus status = r.next(); // may wait for a pipe: not under the lock
        lock.lock();
        try {
          if (ended.getAsBoolean()) {
            return interrupted;
          }
          if (status == DecodeStatus.END) {
            return null;
          }
          if (status != DecodeStatus.FRAME) {
            return captureProblem(r.report(), count);
          }
          int linkType = r.linkType();
          if (!isSupported(linkType)) {
            return CaptureProblems.unsupportedLinkType(linkType, count + 1);
          }
          count++;
          dissector.dissect(r);
          sink.onPacket(dissector, r.timestampNanos());
        } finally {
          lock.unlock();
        }
      }
    } catch (UncheckedIOException e) {
      return describe(e);
    }
  }
}
