package dev.wirelens.tls;

import dev.wirelens.DecodeStatus;
import dev.wirelens.LengthSource;
import dev.wirelens.Limits;
import dev.wirelens.MalformationReport;
import dev.wirelens.tls.internal.ByteQueue;
import dev.wirelens.tls.internal.Framer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;

/**
 * Frames the TLS records of one direction of a reassembled byte stream (RFC 8446 §5.1, RFC 5246 §6.2.1; the header
 * layout is drawn in {@link TlsRecord}). Records may span any number of fed buffers, one buffer may hold many
 * records, and bytes may arrive one at a time.
 *
 * <p>Grammar: {@code ((feed | pass)* next)* [endOfInput next] close} ({@code pass} only with a
 * {@link FragmentFilter}). {@link #next()} returns
 * <ul>
 *   <li>{@link DecodeStatus#RECORD}: {@link #record()} holds the next record;
 *   <li>{@link DecodeStatus#NEED_MORE}: feed more bytes;
 *   <li>{@link DecodeStatus#MALFORMED}: {@link #report()} says why; terminal until {@link #reset()}. A length above
 *       {@link Limits#maxTlsRecordLength()} is LIMIT_EXCEEDED at the stream offset of the length field (header + 3;
 *       + 0 for SSLv2), BAD_LENGTH_FIELD there instead when the header cannot be a TLS record's (a length over
 *       2^14 + 2048, the most any TLS version allows, RFC 5246 §6.2.3, or a version whose major byte is not 3); after {@link #endOfInput()}, a partial record is TRUNCATED at its header's stream offset
 *       ({@link LengthSource#TLS_LENGTH}, or HEADER_MINIMUM when not even the header is complete);
 *   <li>{@link DecodeStatus#END}: {@link #endOfInput()} was called and the stream ended at a record boundary.
 * </ul>
 * Unknown content types and versions are values, not malformations.
 *
 * <p><b>SSLv2.</b> A stream whose first bytes are an SSLv2 record header (high bit set) followed by msg_type 1
 * (CLIENT-HELLO, the SSLv2-compatible ClientHello of RFC 5246 Appendix E.2) or 4 (SERVER-HELLO, a genuine SSLv2
 * server) is framed with 2-byte SSLv2 headers for as long as records start with the high bit set; a record whose
 * first byte has the high bit clear is a TLS record again (the client that upgrades to TLS after an SSLv2-compatible
 * hello). SSLv2 records come as {@link DecodeStatus#RECORD} with {@link TlsRecord#isSsl2()} true and content type
 * {@link TlsRecord#SSL2}; the first one, if a CLIENT-HELLO, also has {@link TlsRecord#isSsl2ClientHello()} (details
 * in {@link TlsRecord}). The 3-byte SSLv2 header (high bit clear, 14-bit length, then a padding length) is not
 * recognised, on purpose: RFC 5246 Appendix E.2 (and RFC 6101 Appendix E) give the SSLv2-compatible ClientHello a
 * {@code msg_length} whose "highest bit MUST be 1", a genuine SSL 2.0 CLIENT-HELLO goes in the clear, where the
 * block-cipher padding the 3-byte header carries has no use, and tshark 4.0.17 shows a ClientHello with a 3-byte
 * header as "Continuation Data" (recorded by scripts/tls-sslv2-header/record.sh); such bytes are read as a TLS
 * header, and are not TLS. After a TLS first record, a high-bit content type is just an unknown content type.
 *
 * <p>Lifetime: {@link #feed(ByteBuf)} transfers one reference. The record from {@link #record()} and its fragment
 * are valid until the next {@code feed}, {@code next}, {@code reset} or {@code close}; use
 * {@link TlsRecord#retainedFragment()} to keep one. After MALFORMED, the unread bytes stay referenced until
 * {@code reset()}/{@code close()}.
 *
 * <p>Allocation: none for a record inside one fed buffer (its fragment is a slice of that buffer); a record spanning
 * fed buffers is copied into one heap buffer of exactly its size, at most {@code 5 + maxTlsRecordLength()} bytes,
 * released at the next call. Between calls the owner of a long-lived reader calls {@link #compact()}, so that a partial
 * record does not keep a whole fed buffer alive.
 * With a {@link FragmentFilter}, a record whose fragment is not needed is neither copied nor held: its bytes are
 * released as they arrive (or passed over by the caller without feeding them, {@link #bytesToPass()}).
 *
 * <p>Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * try (TlsRecordReader reader = new TlsRecordReader(Limits.defaults())) {
 *   reader.feed(data.retain());
 *   DecodeStatus s;
 *   while ((s = reader.next()) == DecodeStatus.RECORD) {
 *     TlsRecord r = reader.record();
 *     if (r.contentType() == ContentTypes.HANDSHAKE) handshakes.feed(r.retainedFragment());
 *   }
 *   if (s == DecodeStatus.MALFORMED) log(reader.report());
 * }
 * }</pre>
 */
public final class TlsRecordReader implements AutoCloseable {
  /** 2^14 + 2048: the longest TLSCiphertext fragment of any TLS version (RFC 5246 §6.2.3). */
  static final int MAX_TLS_CIPHERTEXT_LENGTH = (1 << 14) + 2048;
  private final int maxLength;
  private final Framer framer;
  private final ByteQueue input;
  private final TlsRecord record = new TlsRecord();
  private final ByteBuf peek = Unpooled.buffer(TlsRecord.HEADER_LENGTH, TlsRecord.HEADER_LENGTH);
  private static final int SSL2_CLIENT_HELLO = 1;
  private static final int SSL2_SERVER_HELLO = 4;

  private boolean first = true;
  private boolean ssl2;
  /** Whether {@link #next()} may frame in place: past the first record, not MALFORMED and not passing a record over. */
  private boolean hot;
  /** 0x80 once the stream is SSLv2-framed (a high-bit first byte is then an SSLv2 header, framed slowly), else 0. */
  private int ssl2Bit;
  private FragmentFilter filter;
  /** True while a record is being passed over (until next() returns it). */
  private boolean passing;
  /** Bytes of the passed-over record (header included) still to come. */
  private int passRemaining;
  private int passType;
  private int passVersion;
  private int passLength;
  private long passAt;

  /**
   * Says, from a record's header, whether the caller reads the record's fragment. A reader given one
   * ({@link #fragmentFilter(FragmentFilter)}) passes over the fragments not needed: their bytes are counted and
   * released as they arrive (or never fed at all, see {@link #pass(int)}), never buffered or copied, and the record
   * comes from {@link #next()} when its last byte has passed, with {@link TlsRecord#hasFragment()} false. Statuses,
   * offsets and truncation reports are the same as without the filter.
   */
  @FunctionalInterface
  public interface FragmentFilter {
    /**
     * True when the caller will read the fragment of the record whose header has this content type and
     * legacy_record_version. Asked once per record (not for the stream's first record or SSLv2 records), when its
     * header is complete; the answer must stay true for that record until it is returned.
     */
    boolean needsFragment(int contentType, int legacyVersion);
  }

  /** Creates a reader with the caps of {@code limits}, copying spanning records into unpooled heap buffers. */
  public TlsRecordReader(Limits limits) {
    this(limits, UnpooledByteBufAllocator.DEFAULT);
  }

  /** Creates a reader with the caps of {@code limits}, copying spanning records into buffers of {@code allocator}. */
  public TlsRecordReader(Limits limits, ByteBufAllocator allocator) {
    this.maxLength = limits.maxTlsRecordLength();
    this.framer = new Framer(allocator);
    this.input = framer.input();
  }

  /**
   * From now on, records whose fragment {@code filter} says is not needed are returned without it (see
   * {@link FragmentFilter}); null (the default) keeps every fragment.
   */
  public void fragmentFilter(FragmentFilter filter) {
    this.filter = filter;
  }

  /**
   * Bytes of the stream that belong to the fragment being passed over and have not been fed yet: the caller may
   * {@link #pass(int)} up to this many instead of feeding them. 0 when no fragment is being passed over (or bytes
   * are still queued, or the reader is malformed).
   */
  public int bytesToPass() {
    return !passing || framer.isMalformed() || input.available() != 0 ? 0 : passRemaining;
  }

  /**
   * Consumes the next {@code n} bytes of the stream without being given them: the caller read them in its own
   * buffer and they belong to the fragment being passed over ({@code 0 <= n <= bytesToPass()}). The next
   * {@link #next()} returns the record once its last byte has passed.
   */
  public void pass(int n) {
    if (n < 0 || n > bytesToPass()) {
      throw new IllegalArgumentException("pass(" + n + ") with " + bytesToPass() + " bytes to pass");
    }
    input.skipUnqueued(n);
    passRemaining -= n;
  }

  /** Appends the readable bytes of {@code data} to the stream; takes ownership of one reference. */
  public void feed(ByteBuf data) {
    framer.requireOpen(data);
    record.clear();
    input.add(data);
  }

  /** Declares that no more bytes follow; {@link #next()} then returns END at a record boundary or TRUNCATED. */
  public void endOfInput() {
    framer.endOfInput();
  }

  /** Frames the next record. See the class comment for the statuses. */
  public DecodeStatus next() {
    if (hot) {
      ByteBuf head = input.hotHead();
      if (head != null) {
        // the hot path: the whole record in the first fed buffer, read in place (nothing to reclaim before); one
        // 8-byte read covers the 5-byte header whenever 3 more bytes follow (a fragment is never empty in practice),
        // so each record costs one bounds-checked ByteBuf access; the queue's hot cursor keeps the position
        int ri = input.hotIndex();
        int readable = input.hotLimit() - ri;
        if (readable >= 8) {
          long h = head.getLong(ri);
          int type = (int) (h >>> 56);
          int len = (int) (h >>> 24) & 0xffff;
          int total = TlsRecord.HEADER_LENGTH + len;
          if (readable >= total && len <= maxLength && (type & ssl2Bit) == 0) {
            int version = (int) (h >>> 40) & 0xffff;
            FragmentFilter f = filter;
            if (f == null || f.needsFragment(type, version)) {
              record.set(head, ri, type, version, len, input.hotBase() + ri);
            } else {
              // whole in the fed buffer: nothing to pass over, the record just does not point into it
              record.setHeaderOnly(type, version, len, input.hotBase() + ri);
            }
            input.skipHot(total);
            return DecodeStatus.RECORD;
          }
        }
      }
    }
    return nextSlow();
  }

  /** Everything but the hot path, kept out of {@link #next()} so that next() stays small enough to inline. */
  private DecodeStatus nextSlow() {
    record.clear();
    DecodeStatus s = passing ? passing() : frameSlow();
    hot = !first && s != DecodeStatus.MALFORMED && !passing; // a record being passed over is finished slowly
    ssl2Bit = ssl2 ? 0x80 : 0;
    return s;
  }

  private DecodeStatus frameSlow() {
    DecodeStatus boundary = framer.atBoundary();
    if (boundary != null) {
      return boundary;
    }
    int avail = input.available();
    long at = input.position();
    int b0 = input.getUnsignedByte(0);
    if ((b0 & 0x80) != 0 && (first || ssl2)) {
      if (ssl2) {
        // the first record may have been recognised (3 bytes seen) by an earlier call that then waited for its end
        return ssl2(at, avail, b0, first && input.getUnsignedByte(2) == SSL2_CLIENT_HELLO);
      }
      if (avail < 3) {
        return framer.needMore(at, 3, avail, LengthSource.HEADER_MINIMUM);
      }
      int msgType = input.getUnsignedByte(2);
      if (msgType == SSL2_CLIENT_HELLO || msgType == SSL2_SERVER_HELLO) {
        ssl2 = true;
        return ssl2(at, avail, b0, msgType == SSL2_CLIENT_HELLO);
      }
    }
    if (avail < TlsRecord.HEADER_LENGTH) {
      return framer.needMore(at, TlsRecord.HEADER_LENGTH, avail, LengthSource.HEADER_MINIMUM);
    }
    int len = (input.getUnsignedByte(3) << 8) | input.getUnsignedByte(4);
    if (len > maxLength) {
      // over the cap and over what any TLS version allows (or not a TLS header at all): not a cap hit
      return len > MAX_TLS_CIPHERTEXT_LENGTH || input.getUnsignedByte(1) != 3
          ? framer.badLength(at + 3) : framer.limitExceeded(at + 3);
    }
    int total = TlsRecord.HEADER_LENGTH + len;
    int version = (input.getUnsignedByte(1) << 8) | input.getUnsignedByte(2);
    if (!first && filter != null && !filter.needsFragment(b0, version)) {
      passType = b0;
      passVersion = version;
      passLength = len;
      passAt = at;
      passRemaining = total;
      passing = true;
      return passing();
    }
    if (avail < total) {
      return framer.needMore(at, total, avail, LengthSource.TLS_LENGTH);
    }
    ByteBuf b = input.take(total);
    record.set(b, input.takenOffset(), b0, version, len, at);
    first = false;
    return DecodeStatus.RECORD;
  }

  /** The record being passed over: consumes what is queued of it; RECORD (header only) once it is complete. */
  private DecodeStatus passing() {
    if (framer.isMalformed()) {
      return DecodeStatus.MALFORMED;
    }
    int k = Math.min(passRemaining, input.available());
    if (k > 0) {
      input.skip(k);
      passRemaining -= k;
    }
    int total = TlsRecord.HEADER_LENGTH + passLength;
    if (passRemaining > 0) {
      return framer.needMore(passAt, total, total - passRemaining, LengthSource.TLS_LENGTH);
    }
    passing = false;
    record.setHeaderOnly(passType, passVersion, passLength, passAt);
    return DecodeStatus.RECORD;
  }

  private DecodeStatus ssl2(long at, int avail, int b0, boolean clientHello) {
    // RFC 6101 Appendix E / RFC 5246 Appendix E.2: a 2-byte header, high bit set, 15-bit length (the 3-byte header of
    // SSL 2.0, for padded records, is never a ClientHello's: see the class comment); then the message:
    // CLIENT-HELLO: msg_type 1, version (2), ...; SERVER-HELLO: msg_type 4, session_id_hit, certificate_type,
    // version (2), ...
    if (avail < 2) {
      return framer.needMore(at, 2, avail, LengthSource.HEADER_MINIMUM);
    }
    int len = ((b0 & 0x7f) << 8) | input.getUnsignedByte(1);
    if (len > maxLength) {
      return framer.limitExceeded(at);
    }
    int total = 2 + len;
    if (avail < total) {
      return framer.needMore(at, total, avail, LengthSource.TLS_LENGTH);
    }
    int version = 0;
    if (first) {
      int v = clientHello ? 3 : 5;
      version = len >= v + 1 ? (input.getUnsignedByte(v) << 8) | input.getUnsignedByte(v + 1) : 0;
    }
    ByteBuf b = input.take(total);
    record.set(b, input.takenOffset(), TlsRecord.SSL2, version, len, at);
    record.ssl2ClientHello(first && clientHello);
    first = false;
    return DecodeStatus.RECORD;
  }

  /**
   * Whether the bytes at the current record boundary (not yet framed) look like a TLS record header, by the rules of
   * {@link TlsDetector}: lets a dissector notice a stream that stops being TLS (plaintext after a TLS handshake)
   * before reading it as records. An SSLv2 header is plausible only at the start of the stream or after SSLv2 records.
   * NEED_MORE when
   * fewer bytes than needed to decide are buffered. Does not consume anything.
   */
  public TlsDetection nextLooksLikeTls() {
    int n = Math.min(TlsRecord.HEADER_LENGTH, input.available());
    peek.clear();
    for (int i = 0; i < n; i++) {
      peek.writeByte(input.getUnsignedByte(i));
    }
    if (n > 0 && (peek.getUnsignedByte(0) & 0x80) != 0) {
      if (ssl2) {
        return n >= 2 ? TlsDetection.YES : TlsDetection.NEED_MORE;
      }
      if (!first) {
        return TlsDetection.NO;
      }
    }
    return TlsDetector.looksLikeTls(peek, 0, n);
  }

  /**
   * Byte 0, the content type, of the TLS record header at the next record boundary, once its 5 bytes are buffered:
   * after {@link #next()} returned NEED_MORE, the header of the record the reader waits for. -1 when fewer than 5
   * bytes are buffered, the next header is an SSLv2 one, a fragment is being passed over, or the reader is MALFORMED.
   * Lets a dissector judge a header before its record completes (plaintext after a TLS handshake may announce a
   * record that never comes). Does not consume anything. Allocation: none.
   */
  public int pendingContentType() {
    return hasPendingHeader() ? input.getUnsignedByte(0) : -1;
  }

  /**
   * Package-private: the first {@code i + 1}-th byte queued at the record boundary (0: the content type, 1: the major
   * byte of legacy_record_version), or -1 when fewer are queued or a fragment is being passed over; also after
   * MALFORMED, whose unread bytes stay queued. Lets the connection dissector judge a header cut short by the end of
   * the stream (fewer than 5 bytes, TRUNCATED) by the bytes it has. Does not consume anything.
   */
  int queuedByte(int i) {
    return passing || i >= input.available() ? -1 : input.getUnsignedByte(i);
  }

  /**
   * Package-private: whether a first byte with the high bit set at the record boundary may start an SSLv2 header (the
   * stream's first record, or SSLv2 records so far), which is then framed as SSLv2, not judged as a TLS header.
   */
  boolean mayFrameSsl2() {
    return first || ssl2;
  }

  /** Bytes 1-2, the legacy_record_version, of the header of {@link #pendingContentType()}; -1 when that is -1. */
  public int pendingLegacyVersion() {
    return hasPendingHeader() ? (input.getUnsignedByte(1) << 8) | input.getUnsignedByte(2) : -1;
  }

  private boolean hasPendingHeader() {
    if (passing || framer.isMalformed() || input.available() < TlsRecord.HEADER_LENGTH) {
      return false;
    }
    return (input.getUnsignedByte(0) & 0x80) == 0 || !(first || ssl2); // a high bit there may be SSLv2 framing
  }

  /** The record found by the last {@link #next()} that returned RECORD; borrowed until the next call. */
  public TlsRecord record() {
    return record;
  }

  /**
   * The malformation after MALFORMED, else NONE. Its offset, like {@link #streamOffset()} and
   * {@link TlsRecord#streamOffset()}, counts the bytes of this reader's stream: fed (or passed) since construction or
   * {@link #reset()}; a caller that starts a reader midway through a connection (after plaintext, after a gap) adds
   * the offset where it started, as {@link TlsConnectionDissector} does.
   */
  public MalformationReport report() {
    return framer.report();
  }

  /** Stream offset of the first byte not yet framed (bytes consumed since construction or {@link #reset()}). */
  public long streamOffset() {
    return input.position();
  }

  /** Bytes fed and not yet framed. */
  public int bufferedBytes() {
    return input.available();
  }

  /**
   * Between calls, when the caller keeps nothing of the last record: lets go of what only the last record needed (a
   * spanning record's copy) and copies the unframed remainder where it would otherwise keep alive a much larger fed
   * buffer (a capture reader's read chunk); at most 256 bytes or less than 1/8 of that buffer, the reassembler's rule. After it, what the reader holds is about
   * {@link #bufferedBytes()}. The last record is invalid afterwards. Allocation: a heap copy of each such remainder.
   */
  public void compact() {
    record.forget();
    input.compact();
  }

  /** Bytes of memory the reader keeps alive: the capacity of each distinct buffer under what it holds. */
  public long retainedCapacity() {
    return input.retainedCapacity();
  }

  /** Releases all buffered bytes and starts a new stream at offset 0. */
  public void reset() {
    record.forget();
    framer.reset();
    passing = false;
    passRemaining = 0;
    first = true;
    ssl2 = false;
    hot = false;
    ssl2Bit = 0;
  }

  /** Releases all buffered bytes; the same as {@link #release()}. */
  @Override
  public void close() {
    release();
  }

  /** Releases all buffered bytes. The reader may be reused after {@link #reset()}. */
  public void release() {
    record.forget();
    framer.release();
    passing = false;
    passRemaining = 0;
  }
}
