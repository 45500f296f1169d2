package dev.wirelens;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ScatteringByteChannel;

/**
 * Internal: the view {@link BorrowedViews#lend} hands to a callback. It shares the lent buffer's index space (index
 * {@code i} here is index {@code i} there, capacity included) with its own reader and writer index, and forwards
 * every access after checking that the loan has not been revoked. Retained slices and duplicates, and copies, are
 * taken from the lent buffer, so they outlive the loan; plain slices and duplicates are views of this view and
 * become stale with it.
 *
 * <p>Reference counting is the lent buffer's. When revoked, {@link #refCnt()} is never 0, so that an access
 * reaches the check and fails with the rule's message rather than Netty's {@code refCnt: 0}.
 *
 * <p>Allocation: this object. Thread safety: not thread safe.
 */
final class RevocableView extends AbstractByteBuf {
  private final ByteBuf target;
  private final int capacity; // as lent: a released target may report 0, and the index check must reach check()
  private final String callback;
  private boolean revoked;

  RevocableView(ByteBuf target, String callback) {
    super(target.capacity());
    this.target = target;
    this.capacity = target.capacity();
    this.callback = callback;
    setIndex(target.readerIndex(), target.writerIndex());
  }

  void revoke() {
    revoked = true;
  }

  private void check() {
    if (revoked) {
      throw new IllegalStateException(BorrowedViews.RULE + ": the ByteBuf of " + callback
          + " is a reused view lent for that call only; keep bytes with retainedSlice() (and release them) or a"
          + " copy (stale-view check: wirelens.debug.views)");
    }
  }

  @Override
  protected byte _getByte(int index) {
    check();
    return target.getByte(index);
  }

  @Override
  protected short _getShort(int index) {
    check();
    return target.getShort(index);
  }

  @Override
  protected short _getShortLE(int index) {
    check();
    return target.getShortLE(index);
  }

  @Override
  protected int _getUnsignedMedium(int index) {
    check();
    return target.getUnsignedMedium(index);
  }

  @Override
  protected int _getUnsignedMediumLE(int index) {
    check();
    return target.getUnsignedMediumLE(index);
  }

  @Override
  protected int _getInt(int index) {
    check();
    return target.getInt(index);
  }

  @Override
  protected int _getIntLE(int index) {
    check();
    return target.getIntLE(index);
  }

  @Override
  protected long _getLong(int index) {
    check();
    return target.getLong(index);
  }

  @Override
  protected long _getLongLE(int index) {
    check();
    return target.getLongLE(index);
  }

  @Override
  protected void _setByte(int index, int value) {
    check();
    target.setByte(index, value);
  }

  @Override
  protected void _setShort(int index, int value) {
    check();
    target.setShort(index, value);
  }

  @Override
  protected void _setShortLE(int index, int value) {
    check();
    target.setShortLE(index, value);
  }

  @Override
  protected void _setMedium(int index, int value) {
    check();
    target.setMedium(index, value);
  }

  @Override
  protected void _setMediumLE(int index, int value) {
    check();
    target.setMediumLE(index, value);
  }

  @Override
  protected void _setInt(int index, int value) {
    check();
    target.setInt(index, value);
  }

  @Override
  protected void _setIntLE(int index, int value) {
    check();
    target.setIntLE(index, value);
  }

  @Override
  protected void _setLong(int index, long value) {
    check();
    target.setLong(index, value);
  }

  @Override
  protected void _setLongLE(int index, long value) {
    check();
    target.setLongLE(index, value);
  }

  @Override
  public int capacity() {
    return capacity;
  }

  @Override
  public ByteBuf capacity(int newCapacity) {
    throw new UnsupportedOperationException("a lent view cannot change its capacity");
  }

  @Override
  public ByteBufAllocator alloc() {
    return target.alloc();
  }

  @Override
  @SuppressWarnings("deprecation")
  public ByteOrder order() {
    return target.order();
  }

  @Override
  public ByteBuf unwrap() {
    return target;
  }

  @Override
  public boolean isDirect() {
    return target.isDirect();
  }

  @Override
  public boolean isReadOnly() {
    return target.isReadOnly();
  }

  @Override
  public ByteBuf getBytes(int index, ByteBuf dst, int dstIndex, int length) {
    check();
    target.getBytes(index, dst, dstIndex, length);
    return this;
  }

  @Override
  public ByteBuf getBytes(int index, byte[] dst, int dstIndex, int length) {
    check();
    target.getBytes(index, dst, dstIndex, length);
    return this;
  }

  @Override
  public ByteBuf getBytes(int index, ByteBuffer dst) {
    check();
    target.getBytes(index, dst);
    return this;
  }

  @Override
  public ByteBuf getBytes(int index, OutputStream out, int length) throws IOException {
    check();
    target.getBytes(index, out, length);
    return this;
  }

  @Override
  public int getBytes(int index, GatheringByteChannel out, int length) throws IOException {
    check();
    return target.getBytes(index, out, length);
  }

  @Override
  public int getBytes(int index, FileChannel out, long position, int length) throws IOException {
    check();
    return target.getBytes(index, out, position, length);
  }

  @Override
  public ByteBuf setBytes(int index, ByteBuf src, int srcIndex, int length) {
    check();
    target.setBytes(index, src, srcIndex, length);
    return this;
  }

  @Override
  public ByteBuf setBytes(int index, byte[] src, int srcIndex, int length) {
    check();
    target.setBytes(index, src, srcIndex, length);
    return this;
  }

  @Override
  public ByteBuf setBytes(int index, ByteBuffer src) {
    check();
    target.setBytes(index, src);
    return this;
  }

  @Override
  public int setBytes(int index, InputStream in, int length) throws IOException {
    check();
    return target.setBytes(index, in, length);
  }

  @Override
  public int setBytes(int index, ScatteringByteChannel in, int length) throws IOException {
    check();
    return target.setBytes(index, in, length);
  }

  @Override
  public int setBytes(int index, FileChannel in, long position, int length) throws IOException {
    check();
    return target.setBytes(index, in, position, length);
  }

  @Override
  public ByteBuf copy(int index, int length) {
    check();
    return target.copy(index, length);
  }

  @Override
  public ByteBuf retainedSlice() {
    return retainedSlice(readerIndex(), readableBytes());
  }

  @Override
  public ByteBuf retainedSlice(int index, int length) {
    check();
    checkIndex(index, length);
    return target.retainedSlice(index, length);
  }

  @Override
  public ByteBuf readRetainedSlice(int length) {
    checkReadableBytes(length);
    ByteBuf slice = retainedSlice(readerIndex(), length);
    readerIndex(readerIndex() + length);
    return slice;
  }

  @Override
  public ByteBuf retainedDuplicate() {
    check();
    ByteBuf duplicate = target.retainedDuplicate();
    duplicate.setIndex(readerIndex(), writerIndex());
    return duplicate;
  }

  @Override
  public int nioBufferCount() {
    return target.nioBufferCount();
  }

  @Override
  public ByteBuffer nioBuffer(int index, int length) {
    check();
    return target.nioBuffer(index, length);
  }

  @Override
  public ByteBuffer internalNioBuffer(int index, int length) {
    check();
    return target.internalNioBuffer(index, length);
  }

  @Override
  public ByteBuffer[] nioBuffers(int index, int length) {
    check();
    return target.nioBuffers(index, length);
  }

  @Override
  public boolean hasArray() {
    return target.hasArray();
  }

  @Override
  public byte[] array() {
    check();
    return target.array();
  }

  @Override
  public int arrayOffset() {
    return target.arrayOffset();
  }

  @Override
  public boolean hasMemoryAddress() {
    return target.hasMemoryAddress();
  }

  @Override
  public long memoryAddress() {
    check();
    return target.memoryAddress();
  }

  @Override
  public ByteBuf retain(int increment) {
    target.retain(increment);
    return this;
  }

  @Override
  public ByteBuf retain() {
    target.retain();
    return this;
  }

  @Override
  public ByteBuf touch() {
    target.touch();
    return this;
  }

  @Override
  public ByteBuf touch(Object hint) {
    target.touch(hint);
    return this;
  }

  @Override
  public int refCnt() {
    // Revoked: never 0, so that Netty's accessibility check lets the access reach check() and its message.
    return revoked ? Math.max(1, target.refCnt()) : target.refCnt();
  }

  @Override
  public boolean release() {
    return target.release();
  }

  @Override
  public boolean release(int decrement) {
    return target.release(decrement);
  }
}
