package dev.wirelens.examples.cli;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;

/**
 * The allocator the CLI hands to the libraries where they allocate (capture reader, audit): unpooled, heap buffers
 * preferred. Netty's default ({@link ByteBufAllocator#DEFAULT}, its adaptive pooled allocator) costs ~0.03 s to start
 * in every process and gave no gain on large or WebSocket captures, where these buffers are few (chunks of a capture
 * read from a stream, bytes of WebSocket frames cut across TCP segments; a mapped file needs none): see
 * benchmarks/README.md, "Session 6: the allocator". Output does not depend on the allocator.
 *
 * <p>Netty makes its default allocator when {@code ByteBufUtil} is first used, and the CLI's paths use it whatever
 * allocator they are given ({@code getIntLE} of a read-only mapped buffer swaps bytes there; {@code
 * ByteBuf.toString(Charset)} decodes there). So {@code main} also sets {@value #NETTY_ALLOCATOR_TYPE}{@code =unpooled}
 * unless it is set: with every allocation of the CLI's paths going to {@link #ALLOC}, nothing allocates from the
 * default, and making it unpooled only skips the pooled allocator's start-up.
 *
 * <p>Thread safety: the allocator is thread safe.
 */
final class CliAllocator {
  /** Netty's system property choosing {@link ByteBufAllocator#DEFAULT}: {@code adaptive} (4.2's default), ... */
  static final String NETTY_ALLOCATOR_TYPE = "io.netty.allocator.type";

  /** Unpooled; {@code buffer()} gives heap buffers ({@code directBuffer()} still gives direct ones). */
  static final ByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);

  private CliAllocator() {}
}
