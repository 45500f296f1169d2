package dev.wirelens.examples.audit;

import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import dev.wirelens.link.LinkTypes;
import dev.wirelens.pcapng.CaptureFileShrankException;
import java.io.EOFException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipException;

/**
 * The words the audit and the command line use for an input they cannot read, one short clause each (the command
 * prints {@code wirelens audit: FILE: <clause>}), and the link types the packet dissector decodes.
 *
 * <p>Thread safety: stateless.
 */
public final class CaptureProblems {
  private CaptureProblems() {}

  /** Why {@code path} cannot be read as a capture file, or null when it can be tried. */
  public static String fileProblem(Path path) {
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
  public static String captureProblem(MalformationReport report, long framesRead) {
    Malformation m = report.malformation();
    if (m == Malformation.BAD_MAGIC && framesRead == 0) {
      return "not a pcap or pcapng capture (unknown magic number at offset " + report.offset() + ")";
    }
    if (m == Malformation.TRUNCATED) {
      if (framesRead == 0 && report.availableLength() == 0 && report.offset() == 0) {
        return "empty file, not a capture";
      }
      return "truncated capture at offset " + report.offset() + ": " + report.requiredLength()
          + " bytes needed, " + report.availableLength() + " available (after " + framesRead + " packets)";
    }
    return "malformed capture: " + m + " at offset " + report.offset() + " (after " + framesRead + " packets)";
  }

  /** The problem of a record or block longer than {@code Limits.maxCaptureBlockLength()}, {@code max}. */
  public static String blockLimit(MalformationReport report, int max, long framesRead) {
    return "capture block at offset " + report.offset() + " claims more than the limit of " + max
        + " bytes (Limits.maxCaptureBlockLength); reading stopped there (after " + framesRead + " packets)";
  }

  /** The problem of gzip data cut by {@code Limits.maxCaptureInflationRatio()}, {@code ratio}. */
  public static String inflationLimit(MalformationReport report, int ratio, long framesRead) {
    return "gzip data inflates more than " + ratio + " times (Limits.maxCaptureInflationRatio, a decompression bomb);"
        + " reading stopped at decompressed offset " + report.offset() + " (after " + framesRead + " packets)";
  }

  /**
   * A read error as one clause, in words (the OS's reason, "permission denied", ...), without exception class names:
   * the line is for an operator, not a developer.
   */
  public static String describe(UncheckedIOException e) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    if (cause instanceof CaptureFileShrankException) {
      return fileShrank(((CaptureFileShrankException) cause).offset());
    }
    if (cause instanceof AccessDeniedException) {
      return "read error: permission denied";
    }
    if (cause instanceof NoSuchFileException) {
      return "read error: no such file";
    }
    if (cause instanceof FileSystemException && ((FileSystemException) cause).getReason() != null) {
      return "read error: " + ((FileSystemException) cause).getReason();
    }
    if (cause instanceof EOFException) {
      return "read error: unexpected end of input";
    }
    if (cause instanceof ZipException) {
      return "read error: corrupt gzip data" + (cause.getMessage() != null ? " (" + cause.getMessage() + ")" : "");
    }
    String message = cause.getMessage();
    return "read error: " + (message != null ? message : "I/O error");
  }

  /**
   * The problem of a capture file truncated while it was read through mapped memory, where reading stood at input
   * offset {@code offset} (see {@code CaptureReader.openMapped}).
   */
  public static String fileShrank(long offset) {
    return "the capture file shrank while it was read (at byte " + offset + ")";
  }

  /** True for the link types {@link dev.wirelens.packet.PacketDissector} decodes. */
  public static boolean isSupported(int linkType) {
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

  /** The problem of a frame whose link type is not decoded. */
  public static String unsupportedLinkType(int linkType, long packetNumber) {
    return "unsupported link type " + linkType + " (" + LinkTypes.nameOf(linkType) + ") at packet " + packetNumber;
  }
}
