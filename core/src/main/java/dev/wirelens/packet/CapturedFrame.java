package dev.wirelens.packet;

import io.netty.buffer.ByteBuf;

/**
 * A captured frame where it lies: the buffer that holds it, the index of its first byte, its captured length and
 * its link type. Capture readers implement it (the pcapng module's {@code CaptureReader} does), so that
 * {@link PacketDissector#dissect(CapturedFrame)} decodes the current frame in place, without the slice object that
 * a {@code ByteBuf} argument would need.
 *
 * <p>Lifetime: the buffer is borrowed; it is valid, and these values describe the current frame, until the
 * implementation moves on to the next frame. Callers must not move the buffer's indices.
 *
 * <p>Allocation: implementations allocate nothing in these accessors.
 *
 * <p>Thread safety: as the implementation; capture readers are not thread safe.
 *
 * <pre>{@code
 * while (reader.next() == DecodeStatus.FRAME) {
 *   dissector.dissect(reader);        // reader is a CapturedFrame: no slice, no allocation
 * }
 * }</pre>
 */
public interface CapturedFrame {
  /** The buffer holding the current frame (borrowed; do not move its indices). */
  ByteBuf frameBuffer();

  /** Absolute index of the frame's first byte in {@link #frameBuffer()}. */
  int frameIndex();

  /** Number of bytes of the frame that were captured (at most the snaplen). */
  int capturedLength();

  /** The frame's link type, a {@code dev.wirelens.link.LinkTypes} value. */
  int linkType();
}
