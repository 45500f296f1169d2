package dev.wirelens.pcapng;

import dev.wirelens.DecodeStatus;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBufUtil;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;

/** Test helper: every frame of a reader as comparable records, and how the reader ended. */
final class Frames {
  /** One frame, with its bytes as hex. */
  record Frame(int interfaceId, int linkType, long timestampNanos, int capturedLength, long originalLength,
      long frameOffset, String hex) {}

  /** The frames and the final status and report text. */
  record Run(List<Frame> frames, DecodeStatus end, String report, MalformationReport raw) {}

  private Frames() {}

  /** Reads {@code r} to END or MALFORMED (NEED_MORE counts as an error here). */
  static Run readAll(CaptureReader r) {
    List<Frame> frames = new ArrayList<>();
    DecodeStatus s;
    while ((s = r.next()) == DecodeStatus.FRAME) {
      frames.add(current(r));
    }
    MalformationReport copy = new MalformationReport();
    copy.copyFrom(r.report());
    return new Run(frames, s, r.report().toString(), copy);
  }

  static Frame current(CaptureReader r) {
    return new Frame(r.interfaceId(), r.linkType(), r.timestampNanos(), r.capturedLength(), r.originalLength(),
        r.frameOffset(), HexFormat.of().formatHex(ByteBufUtil.getBytes(r.frame())));
  }
}
