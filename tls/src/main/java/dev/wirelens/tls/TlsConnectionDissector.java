package dev.wirelens.tls;

import dev.wirelens.BorrowedViews;
import dev.wirelens.DecodeStatus;
import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Limits;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.Direction;
import dev.wirelens.tcp.StreamDissector;
import dev.wirelens.tls.fingerprint.Ja3;
import dev.wirelens.tls.fingerprint.Ja4;
import dev.wirelens.tls.handshake.ClientHello;
import dev.wirelens.tls.handshake.HandshakeMessage;
import dev.wirelens.tls.handshake.HandshakeReader;
import dev.wirelens.tls.internal.HandshakeFacts;
import dev.wirelens.tls.internal.HandshakeOffsets;
import dev.wirelens.tls.internal.RecordDecryptor;
import dev.wirelens.tls.internal.RecordDecryptors;
import dev.wirelens.tls.x509.CertificateSummary;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Dissects the TLS of one TCP connection, both directions: records ({@link TlsRecordReader}), handshake messages
 * ({@link HandshakeReader}), the {@link TlsSession} summary, and, when the {@link TlsKeySource} has the
 * connection's secrets, decryption (RFC 8446 §7 key schedule, RFC 5246 §6.3 key block, via the internal record
 * decryptors), handing each direction's decrypted application data to an inner {@link StreamDissector} as a byte
 * stream, so that a WebSocket inside TLS is dissected like one in the clear.
 *
 * <p>Detection is by content ({@link TlsDetector}): a direction whose first bytes are not a TLS record, or whose
 * records stop looking like TLS midway, is reported as plaintext on a TLS connection
 * ({@link TlsSession#plaintextOffset(Direction)}), not skipped. Midway, a record header stops TLS when its length
 * is more than any TLS version allows (BAD_LENGTH_FIELD at the length field), or, as soon as its 5 bytes are there,
 * when its legacy_record_version's major byte is not 3 (BAD_VERSION at the version field) or its content type is not
 * one of 20..25 (see {@code TlsDetector.canStartRecord}); in both directions alike, so that plaintext such as
 * {@code "GET / HTTP/1.1"} after a handshake is reported, not held as a record that never completes.
 *
 * <p>Offsets ({@link TlsSession#plaintextOffset(Direction)}, the offset of {@link TlsSession#malformation(Direction)})
 * count from byte 0 of the direction's TCP stream as this dissector is given it, each gap counting its length, not
 * from where the record reader was last started (at a hello after STARTTLS plaintext, at the first record after a
 * gap); a handshake message's offsets are those of its bytes on the wire. Bytes {@code onData} left unconsumed
 * before a gap (a few, while looking for the start of TLS) count as dropped there, as the TCP reassembler drops them
 * ({@code TcpStreamListener.onData}: the gap's length does not include them).
 *
 * <p>Decryption: keys are looked up by ClientHello.random when the ServerHello arrives. TLS 1.3: records after the
 * ServerHello use the handshake traffic secrets (ChangeCipherSpec is skipped), decrypted handshake messages go to
 * the same handshake reader (EncryptedExtensions gives ALPN, Certificate the server chain, Finished switches that
 * direction to the application traffic secret), KeyUpdate derives the next secret, and 0-RTT records are decrypted
 * with the client early traffic secret or, when that fails or is absent, skipped as Wireshark does. TLS 1.2 and
 * earlier: each direction switches to its keys after its ChangeCipherSpec (encrypt_then_mac as negotiated). A
 * TCP gap stops decryption of that direction ({@link DecryptionProblem#GAP}); the other direction and the summary
 * go on. Client records after a ClientHello wait (in the record reader) until the ServerHello has been read, so
 * the result does not depend on how the two directions interleave (and 0-RTT early data can be decrypted); the wait
 * holds at most {@link #maxHeldForServerHello(Limits)} bytes. When the client sends more before the ServerHello is
 * read, the dissector stops waiting: the client direction reports {@link DecryptionProblem#LIMIT_EXCEEDED} and its
 * records are dissected without keys (application data records before the ServerHello count as opaque).
 * A handshake length over {@link Limits#maxTlsHandshakeMessageLength()} is LIMIT_EXCEEDED only where a message
 * that long could be there (the direction's handshake began with its hello, no ChangeCipherSpec was passed over,
 * and the msg_type's grammar allows that length); otherwise the bytes are not a handshake message and the session's
 * malformation is BAD_LENGTH_FIELD at the same offset. A record length over {@link Limits#maxTlsRecordLength()} is
 * LIMIT_EXCEEDED too; {@link TlsSession#limitExceeded(Direction)} says which of the two caps a LIMIT_EXCEEDED is.
 *
 * <p>Call grammar: {@code (onData | onGap | onFin)* onClose}; {@link #session()} at any time.
 *
 * <p>Lifetime: {@code onData}'s buffer is borrowed for the call; the dissector keeps a retained slice of what it
 * still needs, or a copy where a slice would keep alive a buffer much larger than the bytes (a capture reader's read
 * chunk): between calls it holds per direction at most a partial record, a partial handshake message, the client's
 * records waiting for the ServerHello and the inner dissector's unconsumed bytes, each under its cap
 * ({@link #retainedBytes()}). The inner dissector's buffers are valid during its callback only. Everything held is
 * released by {@code onClose} (or {@link #close()}).
 *
 * <p>Allocation: decrypted plaintext (one buffer per record), records and handshake messages spanning segments,
 * and the session values; nothing per record of an undecrypted connection whose records lie in one segment. Records
 * read by their header alone (protected records without keys, application data in the clear) are never copied or
 * held, whatever their length: the segments inside their fragments are counted and not even sliced.
 *
 * <p>Thread safety: this class is not thread safe; one instance per connection.
 *
 * <pre>{@code
 * TlsConnectionDissector tls = new TlsConnectionDissector(Limits.defaults(), KeyLog.parse(path), webSocket);
 * // from a TcpStreamListener: tls.onData(direction, connection.lastTimestampNanos(), data) ...
 * TlsSession s = tls.session();
 * }</pre>
 */
public final class TlsConnectionDissector implements StreamDissector, AutoCloseable {
  /** Bytes looked at to recognise a hello record after plaintext: the record header and the message type. */
  private static final int HELLO_PROBE = TlsRecord.HEADER_LENGTH + 1;
  /** Certificates of a chain summarised at most (a chain is bounded by the handshake message limit anyway). */
  static final int MAX_CERTIFICATES = 16;
  /** Alerts kept at most (a connection ends after a fatal alert; more is a hostile or broken stream). */
  static final int MAX_ALERTS = 64;
  /** Largest records' worth of client bytes held while waiting for the ServerHello: see maxHeldForServerHello. */
  static final int HELD_RECORDS_FOR_SERVER_HELLO = 2;
  /**
   * The longest ClientHello body the grammar allows (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2): legacy_version 2, random
   * 32, session id 1 + 32, cipher_suites 2 + 65534, compression methods 1 + 255, extensions 2 + 65535. Every other
   * registered message but the five of isNotACapHit is shorter too (NewSessionTicket at most 131,337, a TLS 1.2
   * CertificateRequest 131,329; the rest at most 2 + 2 + 65535).
   */
  static final int MAX_HELLO_LENGTH = 2 + 32 + 1 + 32 + 2 + 65534 + 1 + 255 + 2 + 65535;
  /** msg_type supplemental_data (RFC 4680). */
  private static final int SUPPLEMENTAL_DATA = 23;
  /** msg_type compressed_certificate (RFC 8879). */
  private static final int COMPRESSED_CERTIFICATE = 25;
  /** An emptied buffer for the inner dissector's unconsumed bytes larger than this is released, not kept. */
  private static final int KEEP_EMPTY_INNER_BUFFER = 4096;

  private final Limits limits;
  private final TlsKeySource keySource;
  private final StreamDissector inner;
  private final ByteBufAllocator alloc;
  private final Side client;
  private final Side server;
  private final HandshakeFacts facts = new HandshakeFacts();

  // session facts
  private byte[] clientRandom;
  private byte[] clientSessionId;
  private boolean ticketOffered;
  private boolean earlyDataOffered;
  private String sni;
  private String ja3;
  private String ja4;
  private final List<String> alpnOffered = new ArrayList<>();
  private String alpn;
  private boolean clientHelloSeen;
  private boolean ssl2ClientHelloSeen;
  private boolean helloRetryRequest;
  private boolean serverHelloSeen;
  private int version = -1;
  private int cipherSuite = -1;
  private byte[] serverRandom;
  private byte[] pendingClientRandom;
  private byte[] pendingServerRandom;
  private int pendingSuite;
  private int pendingVersion;
  private boolean pendingEncryptThenMac;
  private int pendingCompression;
  private boolean tls13;
  private boolean pskAccepted;
  private boolean abbreviatedCandidate;
  private boolean serverFullHandshakeMessage;
  private final List<CertificateSummary> certificates = new ArrayList<>();
  private boolean certificatesSeen;
  private final List<TlsAlert> alerts = new ArrayList<>();
  private boolean plaintextApplicationData;
  private TlsSecrets secrets;
  private boolean keysLookedUp;
  private boolean anyDecrypted;
  private boolean closed;

  /**
   * Creates the dissector of one connection.
   *
   * @param limits caps (record and handshake message sizes, bytes held per direction)
   * @param keySource where secrets are looked up by client random; {@link TlsKeySource#NONE} for none
   * @param inner receives each direction's decrypted application data; null to drop it
   */
  public TlsConnectionDissector(Limits limits, TlsKeySource keySource, StreamDissector inner) {
    this(limits, keySource, inner, UnpooledByteBufAllocator.DEFAULT);
  }

  /**
   * Like {@link #TlsConnectionDissector(Limits, TlsKeySource, StreamDissector)}, with the allocator of every buffer
   * this dissector makes: decrypted and decompressed records, records and handshake messages that span segments, the
   * inner dissector's unconsumed bytes. Buffers are asked for with {@code heapBuffer} (the decryptors work on
   * arrays). The default is {@link UnpooledByteBufAllocator#DEFAULT}; a pooled allocator suits a long-running
   * process that dissects many connections.
   *
   * @param alloc the allocator; not null
   */
  public TlsConnectionDissector(Limits limits, TlsKeySource keySource, StreamDissector inner, ByteBufAllocator alloc) {
    this.alloc = Objects.requireNonNull(alloc, "alloc");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.keySource = keySource == null ? TlsKeySource.NONE : keySource;
    this.inner = inner;
    this.client = new Side(Direction.CLIENT_TO_SERVER);
    this.server = new Side(Direction.SERVER_TO_CLIENT);
  }

  /**
   * The client bytes held at most while waiting for the ServerHello: two records of the largest length
   * ({@code 2 x (5 + limits.maxTlsRecordLength())}, 33,290 bytes by default: enough for the rest of a ClientHello
   * flight and 16 KiB of 0-RTT early data), or {@link Limits#maxBufferedBytesPerFlow()} when that is smaller.
   */
  public static int maxHeldForServerHello(Limits limits) {
    long twoRecords = (long) HELD_RECORDS_FOR_SERVER_HELLO * (TlsRecord.HEADER_LENGTH + limits.maxTlsRecordLength());
    return (int) Math.min(limits.maxBufferedBytesPerFlow(), twoRecords);
  }

  /**
   * Bytes of memory this dissector keeps alive between calls, both directions: the capacity of every distinct buffer
   * under what its record and handshake readers hold (a retained slice counts its whole root buffer) and of the
   * inner dissector's unconsumed bytes. Bounded per direction by a partial record, a partial handshake message, the
   * ServerHello wait and {@link Limits#maxBufferedBytesPerFlow()} for the inner bytes. Allocation: a small map.
   */
  public long retainedBytes() {
    return client.retainedBytes() + server.retainedBytes();
  }

  /** The inner dissector given at construction (receives decrypted application data), or null. */
  public StreamDissector inner() {
    return inner;
  }

  private Side side(Direction d) {
    return d == Direction.CLIENT_TO_SERVER ? client : server;
  }

  @Override
  public int onData(Direction direction, long timestampNanos, ByteBuf data) {
    if (closed) {
      return data.readableBytes();
    }
    return side(direction).onData(timestampNanos, data);
  }

  @Override
  public void onGap(Direction direction, long timestampNanos, long length) {
    if (!closed) {
      side(direction).onGap(timestampNanos, length);
    }
  }

  @Override
  public void onFin(Direction direction, long timestampNanos) {
    if (closed) {
      return;
    }
    Side s = side(direction);
    s.ts = timestampNanos;
    s.finish();
    if (s == server) {
      client.releaseHold();
    }
    if (inner != null) {
      inner.onFin(direction, timestampNanos);
    }
  }

  @Override
  public void onClose(CloseReason why, long timestampNanos) {
    if (closed) {
      return;
    }
    server.ts = Math.max(server.ts, timestampNanos);
    client.ts = Math.max(client.ts, timestampNanos);
    client.releaseHold();
    closed = true;
    client.release();
    server.release();
    if (inner != null) {
      inner.onClose(why, timestampNanos);
    }
  }

  /** Releases everything held, like {@code onClose} without telling the inner dissector. */
  @Override
  public void close() {
    closed = true;
    client.release();
    server.release();
  }

  /** A snapshot of what was learnt so far. */
  public TlsSession session() {
    boolean bothFinished = client.finished && server.finished;
    boolean appBothWays = client.opaqueApplicationRecords >= (tls13 ? 2 : 1) && server.opaqueApplicationRecords >= 1;
    boolean resumed = tls13 ? pskAccepted
        : abbreviatedCandidate && server.encrypting && !serverFullHandshakeMessage;
    boolean isTls = client.everTls || server.everTls;
    boolean plaintext = plaintextApplicationData
        || isTls && (client.plaintextOffset >= 0 || server.plaintextOffset >= 0);
    return new TlsSession(isTls, version, cipherSuite, sni, alpnOffered, alpn, helloRetryRequest, resumed,
        bothFinished || appBothWays, certificates, alerts, ja3, ja4,
        clientRandom == null ? null : clientRandom.clone(),
        new long[] {client.plaintextOffset, server.plaintextOffset}, plaintext, anyDecrypted,
        new long[] {client.decryptedBytes, server.decryptedBytes},
        new DecryptionProblem[] {client.problem, server.problem},
        new MalformationReport[] {client.malformation, server.malformation},
        new TlsLimit[] {client.limitExceeded, server.limitExceeded});
  }

  // ---------------------------------------------------------------------------------------------------------------

  private enum Mode { DETECT, TLS, PLAINTEXT, RESYNC, STOPPED }

  /** One direction: its readers, its keys and its counters. */
  private final class Side {
    final Direction dir;
    final TlsRecordReader records;
    final HandshakeReader handshakes;
    final MalformationReport malformation = new MalformationReport();
    /** The cap behind {@link #malformation} when it is LIMIT_EXCEEDED, else NONE: set with it by report(). */
    TlsLimit limitExceeded = TlsLimit.NONE;
    Mode mode = Mode.DETECT;
    boolean everTls;
    boolean ended;
    long ts;
    /**
     * Stream offset of the first byte of the next onData: the bytes consumed so far, the bytes left unconsumed and
     * then dropped at a gap, and the lengths of the gaps.
     */
    long streamOffset;
    /**
     * Bytes the last onData left unconsumed (at most a record header's worth, while detecting): offered again with the
     * next bytes, or dropped by the TCP reassembler at a gap, whose length does not include them
     * ({@code TcpStreamListener.onData}).
     */
    int unconsumed;
    /**
     * Stream offset of the record reader's offset 0: where it was last started (the first record, a hello after
     * STARTTLS plaintext, the first record after a gap). Added to every offset the reader reports.
     */
    long recordBase;
    /** The stream offsets of the handshake bytes that the handshake reader may report an offset in. */
    final HandshakeOffsets handshakeOffsets = new HandshakeOffsets();
    long plaintextOffset = -1;
    long plaintextBytes;
    boolean handshakeBroken;
    /**
     * msg_type of the first handshake message of this direction (its first handshake byte), or -1 before it; -2
     * once a gap reset the handshake stream (then the first message read is not the connection's first).
     */
    int firstHandshakeType = -1;
    /** A ChangeCipherSpec came before any ServerHello: the handshake records after it may be encrypted. */
    boolean changeCipherSpecPassedOver;
    /** This direction's reader returned an SSLv2 record (see sslv2Framed). */
    boolean sawSslv2Record;
    /** Client only: waiting for the ServerHello before reading more records. */
    boolean awaitingServerHello;
    boolean holdReleased;
    /** Client only: stopped waiting for the ServerHello because the held bytes hit their cap. */
    boolean holdOverflowed;
    /** Records of this direction are protected (after ChangeCipherSpec in TLS 1.2, after ServerHello in 1.3). */
    boolean encrypting;
    RecordDecryptor decryptor;
    RecordDecryptor earlyDecryptor;
    boolean earlyPhase;
    byte[] secret;
    byte[] applicationSecret;
    boolean finished;
    long opaqueApplicationRecords;
    long decryptedBytes;
    DecryptionProblem problem = DecryptionProblem.NONE;
    ByteBuf innerPending;
    /**
     * Bytes of a passed-over record fragment (see needsFragment) that onData may count without the record reader:
     * its {@link TlsRecordReader#bytesToPass()} after the last pump, less what was passed since.
     */
    int passLeft;
    /** Bytes onData passed over since the last pump, not yet told to the record reader. */
    int passPending;
    /** RFC 3749 DEFLATE record compression (TLS 1.2 and earlier): one zlib stream per direction. */
    java.util.zip.Inflater inflater;

    Side(Direction dir) {
      this.dir = dir;
      this.records = new TlsRecordReader(limits, alloc);
      this.handshakes = new HandshakeReader(limits, alloc);
      this.records.fragmentFilter(this::needsFragment);
    }

    /**
     * Whether {@link #onRecord} reads the fragment of a record with this header, asked when the header is complete:
     * not for the records it counts by their header alone (protected records without keys, application data in
     * the clear, TLS 1.3 ChangeCipherSpec, early data before the ServerHello), whose bytes then pass without being
     * held or copied. The answer cannot change before the record is complete, as the reader requires: what it
     * depends on changes with this direction's own records only, except the client's before the ServerHello
     * (reading the ServerHello switches the client to encrypting and its keys), so the client keeps every fragment
     * until then.
     */
    private boolean needsFragment(int ct, int legacyVersion) {
      if (!TlsDetector.canStartRecord(ct, legacyVersion)) {
        return true; // not TLS (any more): onRecord takes the whole record as plaintext
      }
      if (ct == ContentTypes.TLS12_CID) {
        return false; // framed (as tshark does), never read: see onRecord
      }
      if (dir == Direction.CLIENT_TO_SERVER && !serverHelloSeen) {
        return true;
      }
      boolean protectedRecord = encrypting && (!tls13 || ct == ContentTypes.APPLICATION_DATA);
      if (!protectedRecord) {
        // application data here is in the clear (encrypting is false): counted by its length
        return ct != ContentTypes.APPLICATION_DATA && !(tls13 && encrypting && ct == ContentTypes.CHANGE_CIPHER_SPEC);
      }
      return decryptor != null || earlyDecryptor != null;
    }

    int onData(long timestampNanos, ByteBuf data) {
      int n = data.readableBytes();
      int used = onData0(timestampNanos, data, n);
      unconsumed = n - used;
      return used;
    }

    /** {@code n}: data's readable bytes (read once per segment: each read through the buffer's layers costs). */
    private int onData0(long timestampNanos, ByteBuf data, int n) {
      ts = timestampNanos;
      if (ended) {
        return n;
      }
      switch (mode) {
        case DETECT:
        case RESYNC: {
          TlsDetection d = TlsDetector.looksLikeTls(data);
          if (d == TlsDetection.NEED_MORE) {
            return 0;
          }
          if (d == TlsDetection.NO) {
            if (mode == Mode.DETECT) {
              plaintext(streamOffset);
              mode = Mode.PLAINTEXT;
              return onData0(timestampNanos, data, n); // a hello may still follow in these bytes (STARTTLS)
            }
            streamOffset += n;
            return n;
          }
          mode = Mode.TLS;
          everTls = true;
          recordBase = streamOffset; // the record reader starts (again) with these bytes
          break;
        }
        case PLAINTEXT: {
          if (everTls) {
            // TLS that stopped looking like TLS stays plaintext: the bytes buffered after the bad record were
            // dropped unsearched, so searching only later bytes for a hello would depend on segment boundaries
            plaintextBytes += n;
            streamOffset += n;
            return n;
          }
          // STARTTLS (SMTP, IMAP, POP3, LDAP, MySQL, PostgreSQL, XMPP): a ClientHello or ServerHello record after
          // plaintext. Looked for at every byte, so that the result does not depend on segment boundaries.
          int at = helloStart(data);
          int plain = at < 0 ? n : at;
          plaintextBytes += plain;
          streamOffset += plain;
          if (at < 0 || n - at < HELLO_PROBE) {
            return plain; // no hello, or one that may start here: the rest is offered again with more bytes
          }
          mode = Mode.TLS;
          everTls = true;
          recordBase = streamOffset; // the record reader starts at the hello
          streamOffset += n - at;
          records.feed(data.retainedSlice(data.readerIndex() + at, n - at));
          pump();
          return n;
        }
        case STOPPED:
          streamOffset += n;
          return n;
        default:
          break;
      }
      streamOffset += n;
      if (passLeft > n) {
        // inside a fragment no one reads (see needsFragment): counted here, told to the record reader later, so
        // that such a segment touches nothing but this object (no slice, no copy, no reader state)
        passLeft -= n;
        passPending += n;
        return n;
      }
      int k = passLeft;
      passLeft = 0;
      passPending += k;
      flushPass(); // before feeding: the reader passes bytes over only while nothing is queued
      if (k < n) {
        records.feed(data.retainedSlice(data.readerIndex() + k, n - k));
      }
      pump();
      return n;
    }

    /**
     * Index (from the reader index) of the first byte that starts a plausible handshake record holding a ClientHello
     * or ServerHello, or of a 0x16 too close to the end to decide; -1 when there is none.
     */
    private int helloStart(ByteBuf data) {
      int ri = data.readerIndex();
      int n = data.readableBytes();
      for (int i = 0; i < n; i++) {
        int at = data.indexOf(ri + i, ri + n, (byte) ContentTypes.HANDSHAKE);
        if (at < 0) {
          return -1;
        }
        i = at - ri;
        if (n - i < HELLO_PROBE) {
          return i;
        }
        int msgType = data.getUnsignedByte(ri + i + TlsRecord.HEADER_LENGTH);
        if ((msgType == HandshakeTypes.CLIENT_HELLO || msgType == HandshakeTypes.SERVER_HELLO)
            && TlsDetector.looksLikeTls(data, ri + i, n - i) == TlsDetection.YES) {
          return i;
        }
      }
      return -1;
    }

    void onGap(long timestampNanos, long length) {
      ts = timestampNanos;
      if (mode == Mode.TLS || mode == Mode.RESYNC) {
        records.reset();
        passLeft = 0;
        passPending = 0;
        handshakes.reset();
        handshakeOffsets.reset();
        firstHandshakeType = -2;
        mode = Mode.RESYNC;
        if (encrypting && decryptor != null) {
          stopDecryption(DecryptionProblem.GAP);
          if (inner != null) {
            inner.onGap(dir, timestampNanos, length);
          }
        }
        decryptor = null;
        earlyDecryptor = null;
        earlyPhase = false;
      }
      streamOffset += unconsumed + length; // the reassembler dropped the unconsumed bytes before the gap
      unconsumed = 0;
    }

    void finish() {
      if (ended) {
        return;
      }
      if (mode == Mode.TLS) {
        flushPass();
        records.endOfInput();
        pump();
      }
      ended = true;
    }

    void releaseHold() {
      if (awaitingServerHello) {
        awaitingServerHello = false;
        holdReleased = true;
        if (mode == Mode.TLS) {
          pump();
        }
      }
    }

    void release() {
      if (inflater != null) {
        inflater.end();
        inflater = null;
      }
      records.close();
      passLeft = 0;
      passPending = 0;
      handshakes.close();
      if (innerPending != null) {
        innerPending.release();
        innerPending = null;
      }
    }

    private boolean held() {
      if (!awaitingServerHello) {
        return false;
      }
      if (records.bufferedBytes() > maxHeldForServerHello(limits)) {
        awaitingServerHello = false;
        holdReleased = true;
        holdOverflowed = true;
        if (problem == DecryptionProblem.NONE) {
          problem = DecryptionProblem.LIMIT_EXCEEDED; // what follows is read before its keys could be known
        }
        return false;
      }
      return true;
    }

    long retainedBytes() {
      return records.retainedCapacity() + handshakes.retainedCapacity()
          + (innerPending == null ? 0 : innerPending.capacity());
    }

    /**
     * This direction's malformation: {@code from}'s, as {@code kind} (truncation stays truncation), at the stream
     * offset {@code at} (the readers count their offsets from where they were started); {@code cap} is the cap of the
     * reader that reported it, kept as {@link #limitExceeded} when {@code kind} is LIMIT_EXCEEDED.
     */
    private void report(MalformationReport from, Malformation kind, long at, TlsLimit cap) {
      limitExceeded = kind == Malformation.LIMIT_EXCEEDED ? cap : TlsLimit.NONE;
      if (kind == Malformation.TRUNCATED) {
        malformation.truncated(from.layer(), at, from.requiredLength(), from.availableLength(), from.lengthSource());
      } else {
        malformation.invalid(from.layer(), kind, at);
      }
    }

    private void plaintext(long at) {
      if (plaintextOffset < 0) {
        plaintextOffset = at;
      }
    }

    /** Reads the records there are, then lets go of what a slice would pin beyond the bytes still needed. */
    void pump() {
      flushPass();
      try {
        pumpRecords();
      } finally {
        records.compact();
        handshakes.compact();
        passLeft = records.bytesToPass();
      }
    }

    /** Tells the record reader about the bytes onData passed over on its own. */
    private void flushPass() {
      if (passPending > 0) {
        records.pass(passPending);
        passPending = 0;
      }
    }

    private void pumpRecords() {
      while (mode == Mode.TLS && !held()) {
        DecodeStatus st = records.next();
        if (st == DecodeStatus.RECORD) {
          onRecord(records.record());
        } else if (st == DecodeStatus.MALFORMED) {
          if (cutHeaderIsNotTls()) {
            return;
          }
          MalformationReport m = records.report();
          report(m, m.malformation(), recordBase + m.offset(), TlsLimit.RECORD_LENGTH);
          if (malformation.malformation() == Malformation.BAD_LENGTH_FIELD
              || malformation.malformation() == Malformation.LIMIT_EXCEEDED
              && limits.maxTlsRecordLength() >= Limits.DEFAULT_MAX_TLS_RECORD_LENGTH) {
            // a length no TLS version allows (RFC 8446 §5.2): these bytes are not TLS (any more)
            plaintext(malformation.offset() - 3);
          }
          mode = Mode.STOPPED;
          records.release(); // never read again: the unread bytes need not stay
          stopDecryption(DecryptionProblem.NONE);
        } else {
          // NEED_MORE. A complete header that cannot start a TLS record ends TLS now, not when (if ever) the record
          // it announces is complete: "GET /" announces 8,239 bytes that a plaintext request never sends
          int ct = records.pendingContentType();
          if (ct >= 0 && !TlsDetector.canStartRecord(ct, records.pendingLegacyVersion()) && !sslv2Framed()) {
            notTls(recordBase + records.streamOffset(), records.pendingLegacyVersion(), records.bufferedBytes());
          }
          return;
        }
      }
    }

    /**
     * The rule for a record header that cannot start a TLS record ({@link TlsDetector#canStartRecord}), applied
     * alike to both directions and whether or not the record it announces is complete (its length was checked first,
     * by the record reader): the bytes from the header on are plaintext, at {@code at}; a legacy_record_version whose
     * major byte is not 3 is also BAD_VERSION at the version field ({@code at + 1}). An unknown content type alone is
     * a value, not a malformation. {@code bytes}: the header's bytes and what follows them in the record reader.
     */
    private void notTls(long at, int legacyVersion, long bytes) {
      plaintext(at);
      if ((legacyVersion >> 8) != 3 && !malformation.isMalformed()) {
        malformation.invalid(Layer.TLS, Malformation.BAD_VERSION, at + 1);
      }
      plaintextBytes += bytes;
      mode = Mode.PLAINTEXT;
      records.reset();
    }

    /**
     * The stream ended inside a record header (TRUNCATED with fewer than its 5 bytes) whose bytes already rule a TLS
     * record out by {@link TlsDetector#canStartRecord}'s rule: a content type outside 20..25, or a
     * legacy_record_version whose major byte (the second byte, when it came) is not 3. Then those bytes are plaintext,
     * as the rule makes them once 5 bytes came: at the header's offset, BAD_VERSION at the version field when its
     * major byte is known and not 3 (a client that sends "GE" and closes). A header that may still be a record's
     * (type 20..25 and major 3 or not seen yet), or an SSLv2 header, stays TRUNCATED. True when it was plaintext.
     */
    private boolean cutHeaderIsNotTls() {
      MalformationReport m = records.report();
      if (m.malformation() != Malformation.TRUNCATED || m.lengthSource() != LengthSource.HEADER_MINIMUM
          || sslv2Framed()) {
        return false;
      }
      int ct = records.queuedByte(0);
      int major = records.queuedByte(1);
      if (ct < 0 || (ct & 0x80) != 0 && records.mayFrameSsl2()) {
        return false;
      }
      boolean mayBeRecord = ct >= ContentTypes.CHANGE_CIPHER_SPEC && ct <= ContentTypes.TLS12_CID
          && (major < 0 || major == 3);
      if (mayBeRecord) {
        return false;
      }
      // the 5-byte rule's own path; a major byte not seen yet is not called a bad version (as 3 would not be)
      notTls(recordBase + m.offset(), major < 0 ? 0x0300 : major << 8, records.bufferedBytes());
      return true;
    }

    /**
     * Whether this direction began with SSLv2 records and no TLS ServerHello was read: a genuine SSLv2 connection,
     * whose records after the hellos may have the 3-byte header (RFC 6101 Appendix E: padding, high bit clear) that
     * reads as a TLS header failing {@link TlsDetector#canStartRecord}; such bytes are not plaintext. (A client that
     * upgrades to TLS after an SSLv2-compatible ClientHello gets a TLS ServerHello, and the rule again.)
     */
    private boolean sslv2Framed() {
      return sawSslv2Record && !serverHelloSeen;
    }

    private void onRecord(TlsRecord r) {
      int ct = r.contentType();
      assert r.hasFragment() || !needsFragment(ct, r.legacyVersion()) : "a passed-over fragment is needed after all";
      if (ct == TlsRecord.SSL2_CLIENT_HELLO) {
        sawSslv2Record = true;
        clientHelloSeen = true;
        ssl2ClientHelloSeen = true;
        return;
      }
      // A record header that could not start a TLS stream means the bytes stopped being TLS: plaintext from here.
      if (!TlsDetector.canStartRecord(ct, r.legacyVersion())) {
        if (!sslv2Framed()) {
          notTls(recordBase + r.streamOffset(), r.legacyVersion(),
              records.bufferedBytes() + r.headerLength() + r.length());
        }
        return; // else an SSLv2 record with a 3-byte header, framed as a TLS one: not looked into
      }
      if (ct == ContentTypes.TLS12_CID) {
        return; // RFC 9146 defines it for DTLS 1.2 only: a TLS record over TCP that nothing here reads
      }
      boolean protectedRecord = encrypting && (!tls13 || ct == ContentTypes.APPLICATION_DATA);
      if (!protectedRecord) {
        if (tls13 && encrypting && ct == ContentTypes.CHANGE_CIPHER_SPEC) {
          return;
        }
        if (ct == ContentTypes.APPLICATION_DATA && dir == Direction.CLIENT_TO_SERVER
            && (earlyDataOffered || holdOverflowed) && !serverHelloSeen) {
          opaqueApplicationRecords++; // 0-RTT data (or data the wait gave up on) whose version is not known yet
          return;
        }
        if (ct == ContentTypes.APPLICATION_DATA) { // in the clear (not encrypting): plainContent's case, by length
          plaintextApplicationData = true;
          plaintextBytes += r.length();
          return;
        }
        plainContent(ct, r.fragment(), r.legacyVersion(), recordBase + r.streamOffset() + r.headerLength(), true);
        return;
      }
      if (decryptor == null && earlyDecryptor == null) {
        opaque(ct);
        return;
      }
      decrypt(r);
    }

    private void opaque(int ct) {
      if (ct == ContentTypes.APPLICATION_DATA) {
        opaqueApplicationRecords++;
      } else if (ct == ContentTypes.ALERT) {
        addAlert(new TlsAlert(dir, -1, -1));
      }
      if (problem == DecryptionProblem.NONE && !keysLookedUpWithSecrets()) {
        problem = DecryptionProblem.NO_KEY;
      }
    }

    private void decrypt(TlsRecord r) {
      int ct = r.contentType();
      if (earlyPhase) {
        if (earlyDecryptor != null && tryDecrypt(earlyDecryptor, r)) {
          return;
        }
        if (decryptor != null && tryDecrypt(decryptor, r)) {
          earlyPhase = false;
          earlyDecryptor = null;
          return;
        }
        opaqueApplicationRecords++; // 0-RTT record the keys do not open: skipped, as Wireshark does
        return;
      }
      if (decryptor == null || !tryDecrypt(decryptor, r)) {
        if (decryptor != null) {
          stopDecryption(DecryptionProblem.AUTHENTICATION_FAILED);
        }
        opaque(ct);
      }
    }

    private boolean tryDecrypt(RecordDecryptor d, TlsRecord r) {
      ByteBuf out = alloc.heapBuffer(Math.max(16, r.length()));
      try {
        boolean ok;
        try {
          ok = d.decrypt(r.contentType(), r.legacyVersion(), r.fragment(), out);
        } catch (RuntimeException e) {
          ok = false; // a decryptor must not throw on bad input; treat it as a failed record
        }
        if (!ok) {
          return false;
        }
        anyDecrypted = true;
        int innerType = tls13 ? d.innerContentType() : r.contentType();
        if (inflater != null) {
          ByteBuf inflated = inflate(out);
          if (inflated == null) {
            stopDecryption(DecryptionProblem.LIMIT_EXCEEDED);
            return true;
          }
          try {
            plainContent(innerType, inflated, r.legacyVersion(), recordBase + r.streamOffset(), false);
          } finally {
            inflated.release();
          }
          return true;
        }
        plainContent(innerType, out, r.legacyVersion(), recordBase + r.streamOffset(), false);
        return true;
      } finally {
        out.release();
      }
    }

    /**
     * Inflates one TLSCompressed fragment (RFC 3749 §2: the zlib stream continues across records, each record ends
     * with a sync flush); at most 2^14 + 1024 bytes come out of one record (RFC 5246 §6.2.2). Null when the data is
     * not valid DEFLATE or inflates beyond that.
     */
    private ByteBuf inflate(ByteBuf compressed) {
      byte[] in = new byte[compressed.readableBytes()];
      compressed.getBytes(compressed.readerIndex(), in);
      inflater.setInput(in);
      int max = (1 << 14) + 1024;
      byte[] out = new byte[max + 1];
      int n = 0;
      try {
        while (n <= max) {
          int k = inflater.inflate(out, n, out.length - n);
          if (k == 0) {
            break;
          }
          n += k;
        }
      } catch (java.util.zip.DataFormatException e) {
        return null;
      }
      if (n > max || !inflater.needsInput()) {
        return null;
      }
      return alloc.heapBuffer(n).writeBytes(out, 0, n);
    }

    /**
     * Handles a record's plaintext: from the wire, or decrypted. {@code fragment} is borrowed. Its first byte is at
     * stream offset {@code at} and the others follow it when {@code onWire}; a decrypted fragment's bytes are not on
     * the wire, and {@code at} is the offset of the record that carried them.
     */
    private void plainContent(int ct, ByteBuf fragment, int legacyVersion, long at, boolean onWire) {
      switch (ct) {
        case ContentTypes.HANDSHAKE:
          if (!handshakeBroken) {
            if (firstHandshakeType == -1 && fragment.isReadable()) {
              firstHandshakeType = fragment.getUnsignedByte(fragment.readerIndex());
            }
            handshakeOffsets.fed(handshakes.streamOffset() + handshakes.bufferedBytes(), fragment.readableBytes(), at,
                onWire);
            handshakes.feed(fragment.retainedSlice());
            pumpHandshake();
          }
          break;
        case ContentTypes.ALERT:
          if (fragment.readableBytes() >= 2) {
            int i = fragment.readerIndex();
            addAlert(new TlsAlert(dir, fragment.getUnsignedByte(i), fragment.getUnsignedByte(i + 1)));
          } else {
            addAlert(new TlsAlert(dir, -1, -1));
          }
          break;
        case ContentTypes.CHANGE_CIPHER_SPEC:
          if (!tls13) {
            changeCipherSpec(legacyVersion);
          }
          break;
        case ContentTypes.APPLICATION_DATA:
          if (encrypting) {
            applicationData(fragment);
          } else {
            plaintextApplicationData = true;
            plaintextBytes += fragment.readableBytes();
          }
          break;
        default:
          break;
      }
    }

    /**
     * ChangeCipherSpec (TLS 1.2 and earlier): this direction's next records use the keys of the handshake that
     * preceded it; the first one, or a renegotiation's (whose hellos were decrypted, RFC 5746).
     */
    private void changeCipherSpec(int legacyVersion) {
      if (!serverHelloSeen) {
        changeCipherSpecPassedOver = true;
        return; // nothing to switch to yet: TLS 1.3 middlebox compatibility (after a HelloRetryRequest) or junk
      }
      boolean renegotiation = encrypting;
      encrypting = true;
      if (inflater != null) {
        inflater.end();
        inflater = null;
      }
      if (holdOverflowed) {
        stopDecryption(DecryptionProblem.LIMIT_EXCEEDED); // records were read before the keys could be known
        return;
      }
      if (renegotiation && pendingServerRandom == serverRandom) {
        stopDecryption(DecryptionProblem.NO_KEY); // renegotiated without hellos we could read
        return;
      }
      TlsSecrets s = renegotiation ? lookUp(pendingClientRandom) : lookUpKeys();
      if (s == null || s.masterSecret() == null) {
        stopDecryption(DecryptionProblem.NO_KEY);
        return;
      }
      RecordDecryptor d;
      try {
        d = RecordDecryptors.tls12(pendingSuite, pendingVersion, s.masterSecret(), pendingClientRandom,
            pendingServerRandom, dir == Direction.CLIENT_TO_SERVER, pendingEncryptThenMac);
      } catch (RuntimeException e) {
        d = null;
      }
      if (d == null) {
        stopDecryption(DecryptionProblem.UNSUPPORTED_SUITE);
        return;
      }
      if (pendingCompression == 1) {
        inflater = new java.util.zip.Inflater();
      } else if (pendingCompression > 1) {
        stopDecryption(DecryptionProblem.UNSUPPORTED_SUITE);
        return;
      }
      decryptor = d;
    }

    private void applicationData(ByteBuf plain) {
      int n = plain.readableBytes();
      decryptedBytes += n;
      if (inner == null || n == 0) {
        return;
      }
      if (innerPending == null || !innerPending.isReadable()) {
        int start = plain.readerIndex(); // the inner dissector may move the indices during the call
        int used = innerOnData(plain);
        if (used < n) {
          if (innerPending == null) {
            innerPending = alloc.heapBuffer(n - used);
          }
          innerPending.clear().writeBytes(plain, start + used, n - used);
        }
        return;
      }
      if (innerPending.readableBytes() + (long) n > limits.maxBufferedBytesPerFlow()) {
        long dropped = innerPending.readableBytes();
        innerPending.clear();
        if (problem == DecryptionProblem.NONE) {
          problem = DecryptionProblem.LIMIT_EXCEEDED;
        }
        inner.onGap(dir, ts, dropped);
        applicationData0(plain);
        return;
      }
      innerPending.writeBytes(plain, plain.readerIndex(), n);
      int start = innerPending.readerIndex();
      int available = innerPending.readableBytes();
      int used = innerOnData(innerPending);
      innerPending.readerIndex(start + Math.max(0, Math.min(used, available)));
      innerPending.discardReadBytes();
      if (!innerPending.isReadable() && innerPending.capacity() > KEEP_EMPTY_INNER_BUFFER) {
        innerPending.release(); // a burst's buffer: not kept for the rest of the connection
        innerPending = null;
      }
    }

    private void applicationData0(ByteBuf plain) {
      int n = plain.readableBytes();
      int start = plain.readerIndex();
      int used = innerOnData(plain);
      if (used < n) {
        innerPending.clear().writeBytes(plain, start + used, n - used);
      }
    }

    /** Hands {@code data} to the inner dissector, lent for the call only (the stale-view check of BorrowedViews). */
    private int innerOnData(ByteBuf data) {
      ByteBuf lent = BorrowedViews.lend(data, "StreamDissector.onData");
      try {
        return inner.onData(dir, ts, lent);
      } finally {
        BorrowedViews.revoke(lent, data);
      }
    }

    private void pumpHandshake() {
      while (true) {
        DecodeStatus st = handshakes.next();
        if (st == DecodeStatus.RECORD) {
          HandshakeMessage m = handshakes.message();
          onHandshake(m.msgType(), m.buffer(), m.bodyOffset(), m.length());
        } else if (st == DecodeStatus.MALFORMED) {
          if (!malformation.isMalformed()) {
            MalformationReport m = handshakes.report();
            report(m, isNotACapHit(m) ? Malformation.BAD_LENGTH_FIELD : m.malformation(),
                handshakeOffsets.streamOffset(m.offset()), TlsLimit.HANDSHAKE_MESSAGE_LENGTH);
          }
          handshakeBroken = true;
          handshakes.release(); // never read again
          return;
        } else {
          handshakeOffsets.framedUpTo(handshakes.streamOffset());
          return;
        }
      }
    }

    /**
     * Whether a handshake length over {@link Limits#maxTlsHandshakeMessageLength()} is not a cap hit but bytes that
     * are not a handshake message (reported as BAD_LENGTH_FIELD): when this direction's handshake stream did not
     * start with its hello (RFC 8446 §4.1.1, RFC 5246 §7.3: a stream joined midway, after a gap, or records of
     * content type 22 that are encrypted or made up), when a ChangeCipherSpec was passed over for want of a
     * ServerHello (what follows it is encrypted), or when the refused message's msg_type is not one whose grammar
     * allows more than {@link #MAX_HELLO_LENGTH} bytes (Certificate, ServerKeyExchange, CertificateStatus,
     * SupplementalData, CompressedCertificate) while the cap is at least that. Called before the reader is released.
     */
    private boolean isNotACapHit(MalformationReport m) {
      if (m.malformation() != Malformation.LIMIT_EXCEEDED) {
        return false;
      }
      boolean fromClient = dir == Direction.CLIENT_TO_SERVER;
      boolean startedWithHello = firstHandshakeType == (fromClient ? HandshakeTypes.CLIENT_HELLO
          : HandshakeTypes.SERVER_HELLO) || (fromClient && ssl2ClientHelloSeen && firstHandshakeType != -2);
      if (!startedWithHello || changeCipherSpecPassedOver) {
        return true;
      }
      switch (handshakes.pendingMsgType()) {
        case HandshakeTypes.CERTIFICATE:
        case HandshakeTypes.SERVER_KEY_EXCHANGE: // DH p, g, Ys and a signature: up to 4 x (2 + 65535)
        case HandshakeTypes.CERTIFICATE_STATUS: // OCSPResponse<1..2^24-1> (RFC 6066 §8)
        case SUPPLEMENTAL_DATA: // <1..2^24-1> (RFC 4680 §2)
        case COMPRESSED_CERTIFICATE: // compressed_certificate_message<1..2^24-1> (RFC 8879 §4)
          return false;
        default:
          return limits.maxTlsHandshakeMessageLength() >= MAX_HELLO_LENGTH;
      }
    }

    private void onHandshake(int type, ByteBuf b, int off, int len) {
      boolean fromClient = dir == Direction.CLIENT_TO_SERVER;
      switch (type) {
        case HandshakeTypes.CLIENT_HELLO:
          if (fromClient && serverHelloSeen && !tls13 && encrypting) {
            // renegotiation under encryption: the first handshake's facts stay, its keys come from these hellos
            if (facts.clientHello(b, off, len) || facts.random != null) {
              pendingClientRandom = facts.random;
            }
            return;
          }
          if (!fromClient || serverHelloSeen) {
            return; // a misplaced hello: the first handshake's facts stay
          }
          awaitingServerHello = !holdReleased;
          if (clientHelloSeen) {
            return; // the second ClientHello after a HelloRetryRequest: same random and facts
          }
          clientHelloSeen = true;
          fingerprint(b, off, len);
          facts.clientHello(b, off, len);
          if (facts.random != null) {
            clientRandom = facts.random;
            clientSessionId = facts.sessionId;
          }
          sni = facts.serverName;
          alpnOffered.addAll(facts.alpn);
          ticketOffered = facts.sessionTicketLength > 0;
          earlyDataOffered = facts.earlyData;
          return;
        case HandshakeTypes.SERVER_HELLO: // or HelloRetryRequest
          if (!fromClient && serverHelloSeen && !tls13 && encrypting && pendingClientRandom != clientRandom) {
            if (facts.serverHello(b, off, len) || facts.random != null) {
              pending(facts);
            }
            return;
          }
          if (fromClient || serverHelloSeen) {
            return;
          }
          if (!facts.serverHello(b, off, len) && facts.random == null) {
            return;
          }
          if (facts.helloRetryRequest) {
            helloRetryRequest = true;
            client.releaseHoldForRetry();
            return;
          }
          serverHello();
          return;
        case HandshakeTypes.END_OF_EARLY_DATA:
          if (fromClient) {
            earlyPhase = false;
            earlyDecryptor = null;
          }
          return;
        case HandshakeTypes.ENCRYPTED_EXTENSIONS:
          if (!fromClient && facts.encryptedExtensions(b, off, len) && !facts.alpn.isEmpty()) {
            alpn = facts.alpn.get(0);
          }
          return;
        case HandshakeTypes.CERTIFICATE:
          if (!fromClient && !certificatesSeen) {
            serverFullHandshakeMessage = true;
            certificatesSeen = true;
            facts.certificate(b, off, len, tls13);
            for (byte[] der : facts.certificates) {
              if (certificates.size() < MAX_CERTIFICATES) {
                certificates.add(CertificateSummary.parse(der));
              }
            }
          }
          return;
        case HandshakeTypes.SERVER_KEY_EXCHANGE:
        case HandshakeTypes.SERVER_HELLO_DONE:
          if (!fromClient) {
            serverFullHandshakeMessage = true;
          }
          return;
        case HandshakeTypes.FINISHED:
          finished = true;
          if (tls13) {
            earlyPhase = false;
            earlyDecryptor = null;
            switchTo(applicationSecret);
          }
          return;
        case HandshakeTypes.KEY_UPDATE:
          if (tls13 && secret != null && decryptor != null) {
            byte[] next;
            try {
              next = RecordDecryptors.nextTrafficSecret(cipherSuite, secret);
            } catch (RuntimeException e) {
              next = null;
            }
            switchTo(next);
          }
          return;
        default:
          return;
      }
    }

    private void releaseHoldForRetry() {
      // After a HelloRetryRequest the client answers with a second ClientHello; read on until then.
      awaitingServerHello = false;
      if (mode == Mode.TLS) {
        pump();
      }
    }

    private void switchTo(byte[] trafficSecret) {
      if (problem != DecryptionProblem.NONE && decryptor == null) {
        return;
      }
      secret = trafficSecret;
      if (trafficSecret == null) {
        decryptor = null;
        if (problem == DecryptionProblem.NONE) {
          problem = DecryptionProblem.NO_KEY;
        }
        return;
      }
      decryptor = tls13Decryptor(trafficSecret);
      if (decryptor == null && problem == DecryptionProblem.NONE) {
        problem = DecryptionProblem.UNSUPPORTED_SUITE;
      }
    }

    void firstProblem(DecryptionProblem why) {
      if (problem == DecryptionProblem.NONE) {
        problem = why;
      }
    }

    private void stopDecryption(DecryptionProblem why) {
      if (why != DecryptionProblem.NONE && (problem == DecryptionProblem.NONE)) {
        problem = why;
      }
      decryptor = null;
      earlyDecryptor = null;
      earlyPhase = false;
    }
  }

  /** JA3 and JA4 of the first ClientHello (tls.fingerprint); none when the view refuses the body. */
  private void fingerprint(ByteBuf b, int off, int len) {
    ClientHello hello = new ClientHello();
    try {
      if (hello.wrap(b, off, len)) {
        ja3 = Ja3.of(hello).hash();
        ja4 = Ja4.of(hello).fingerprint();
      }
    } catch (RuntimeException e) {
      ja3 = null; // a fingerprint is a convenience: never let it end the dissection
      ja4 = null;
    }
  }

  /** The parameters the next ChangeCipherSpec of each direction switches to (RFC 5246 §7.1). */
  private void pending(HandshakeFacts sh) {
    pendingServerRandom = sh.random;
    pendingSuite = sh.cipherSuite;
    pendingVersion = sh.selectedVersion >= 0 ? sh.selectedVersion : sh.legacyVersion;
    pendingEncryptThenMac = sh.encryptThenMac;
    pendingCompression = Math.max(0, sh.compressionMethod);
  }

  private void serverHello() {
    serverHelloSeen = true;
    pendingClientRandom = clientRandom;
    pending(facts);
    cipherSuite = facts.cipherSuite;
    version = facts.selectedVersion >= 0 ? facts.selectedVersion : facts.legacyVersion;
    serverRandom = facts.random;
    tls13 = version == TlsVersions.TLS_1_3 || (version & 0xFF00) == 0x7F00;
    if (!facts.alpn.isEmpty()) {
      alpn = facts.alpn.get(0);
    }
    if (tls13) {
      pskAccepted = facts.preSharedKey;
      server.encrypting = true;
      client.encrypting = true;
      TlsSecrets s = lookUpKeys();
      if (s == null) {
        server.problem = DecryptionProblem.NO_KEY;
        client.firstProblem(DecryptionProblem.NO_KEY);
      } else if (version != TlsVersions.TLS_1_3) {
        server.problem = DecryptionProblem.UNSUPPORTED_SUITE;
        client.firstProblem(DecryptionProblem.UNSUPPORTED_SUITE);
      } else {
        server.applicationSecret = s.serverTrafficSecret0();
        client.applicationSecret = s.clientTrafficSecret0();
        server.switchTo(s.serverHandshakeTrafficSecret());
        client.switchTo(s.clientHandshakeTrafficSecret());
        if (earlyDataOffered && !client.holdOverflowed) {
          client.earlyPhase = true;
          if (s.clientEarlyTrafficSecret() != null) {
            client.earlyDecryptor = tls13Decryptor(s.clientEarlyTrafficSecret());
          }
          if (client.decryptor == null && client.earlyDecryptor == null) {
            client.earlyPhase = false;
          }
        }
      }
    } else {
      abbreviatedCandidate = ticketOffered || facts.sessionId != null && facts.sessionId.length > 0
          && Arrays.equals(facts.sessionId, clientSessionId);
    }
    client.releaseHold();
  }

  private RecordDecryptor tls13Decryptor(byte[] trafficSecret) {
    try {
      return RecordDecryptors.tls13(cipherSuite, trafficSecret);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private TlsSecrets lookUpKeys() {
    if (!keysLookedUp && clientRandom != null) {
      keysLookedUp = true;
      try {
        secrets = keySource.secretsFor(clientRandom.clone());
      } catch (RuntimeException e) {
        secrets = null;
      }
    }
    return secrets;
  }

  private void addAlert(TlsAlert alert) {
    if (alerts.size() < MAX_ALERTS) {
      alerts.add(alert);
    }
  }

  private TlsSecrets lookUp(byte[] random) {
    if (random == null) {
      return null;
    }
    try {
      return keySource.secretsFor(random.clone());
    } catch (RuntimeException e) {
      return null;
    }
  }

  private boolean keysLookedUpWithSecrets() {
    return secrets != null;
  }
}
