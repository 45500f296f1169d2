package dev.wirelens.examples.cli;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import dev.wirelens.link.LinkTypes;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.pcapng.CaptureReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;

/**
 * Internal: the words the subcommands use for an input they cannot read (one line on standard error, never a stack
 * trace), the link types {@link dev.wirelens.packet.PacketDissector} dissects, and the capture loop that the
 * {@code flows} and {@code audit} subcommands share.
 */
final class CaptureInputs {
  private CaptureInputs() {}

  /** Why {@code path} cannot be read as a capture file, or null when it can be tried. */
  static String fileProblem(Path path) {
    if (!Files.exists(path)) {
      return "no such file";
    }
    if (Files.isDirectory(path)) {
      return "is a directory, not a capture file";
    }
    if (!Files.isReadable(path)) {
      return "permission denied";
    }
    return null;
  }

  /** The problem a {@code MALFORMED} status of a capture reader stands for, after {@code framesRead} frames. */
  static String captureProblem(MalformationReport report, long framesRead) {
    Malformation m = report.malformation();
    if (m == Malformation.BAD_MAGIC && framesRead == 0) {
      return "not a pcap or pcapng capture (unknown magic number at offset " + report.offset() + ")";
    }
    if (m == Malformation.TRUNCATED) {
      if (framesRead == 0 && report.availableLength() == 0 && report.offset() == 0) {
        return "empty file, not a capture";
      }
      return "truncated capture: at offset " + report.offset() + " " + report.requiredLength()
          + " bytes needed, " + report.availableLength() + " available (after " + framesRead + " packets)";
    }
    return "malformed capture: " + m + " at offset " + report.offset() + " (after " + framesRead + " packets)";
  }

  /** A read error as one line. */
  static String describe(UncheckedIOException e) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    String message = cause.getMessage();
    return "read error: " + cause.getClass().getSimpleName() + (message != null ? ": " + message : "");
  }

  /** True for the link types the packet dissector decodes. */
  static boolean isSupported(int linkType) {
    switch (linkType) {
      case LinkTypes.NULL:
      case LinkTypes.ETHERNET:
      case LinkTypes.RAW:
      case LinkTypes.LOOP:
      case LinkTypes.LINUX_SLL:
      case LinkTypes.IPV4:
      case LinkTypes.IPV6:
      case LinkTypes.LINUX_SLL2:
        return true;
      default:
        return false;
    }
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
            return "unsupported link type " + linkType + " (" + LinkTypes.nameOf(linkType) + ") at packet "
                + (count + 1);
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
