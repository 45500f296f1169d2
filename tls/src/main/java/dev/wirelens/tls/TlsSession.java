package dev.wirelens.tls;

import dev.wirelens.MalformationReport;
import dev.wirelens.tcp.Direction;
import dev.wirelens.tls.x509.CertificateSummary;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What one TCP connection's TLS said, as plain Java values: the summary a {@link TlsConnectionDissector} builds and
 * the audit's {@code tls} object prints (design.md). Field meanings follow Wireshark's where it has one
 * ({@code tls.handshake.extensions_server_name}, {@code tls.handshake.ciphersuite}, ...).
 *
 * <ul>
 *   <li>{@link #version()}: the negotiated version: ServerHello supported_versions in TLS 1.3 (RFC 8446 §4.2.1),
 *       else ServerHello.legacy_version; -1 before a ServerHello.
 *   <li>{@link #resumed()}: TLS 1.3: the ServerHello carries pre_shared_key; TLS 1.2 and earlier: an abbreviated
 *       handshake (the ServerHello echoes the offered session id, or a ticket was offered, and the server sent no
 *       Certificate before its ChangeCipherSpec).
 *   <li>{@link #handshakeComplete()}: both Finished messages seen (decrypted), or without keys: application data
 *       records both ways (TLS 1.3: at least two opaque records from the client, since its first is Finished).
 *   <li>{@link #certificates()}: the server's first Certificate message, chain as sent (DER); in TLS 1.3 only when
 *       decrypted.
 * </ul>
 *
 * <p>Lifetime: a snapshot; later traffic does not change it. Allocation: made by
 * {@link TlsConnectionDissector#session()} on each call. Thread safety: immutable.
 */
public final class TlsSession {
  private final boolean tls;
  private final int version;
  private final int cipherSuite;
  private final String sni;
  private final List<String> alpnOffered;
  private final String alpn;
  private final boolean helloRetryRequest;
  private final boolean resumed;
  private final boolean handshakeComplete;
  private final List<CertificateSummary> certificates;
  private final List<TlsAlert> alerts;
  private final String ja3;
  private final String ja4;
  private final byte[] clientRandom;
  private final long[] plaintextOffset;
  private final boolean plaintextApplicationData;
  private final boolean decrypted;
  private final long[] decryptedBytes;
  private final DecryptionProblem[] problems;
  private final MalformationReport[] malformations;
  private final TlsLimit[] limitsExceeded;

  TlsSession(boolean tls, int version, int cipherSuite, String sni, List<String> alpnOffered, String alpn,
      boolean helloRetryRequest, boolean resumed, boolean handshakeComplete, List<CertificateSummary> certificates,
      List<TlsAlert> alerts, String ja3, String ja4, byte[] clientRandom, long[] plaintextOffset,
      boolean plaintextApplicationData, boolean decrypted, long[] decryptedBytes, DecryptionProblem[] problems,
      MalformationReport[] malformations, TlsLimit[] limitsExceeded) {
    this.tls = tls;
    this.version = version;
    this.cipherSuite = cipherSuite;
    this.sni = sni;
    this.alpnOffered = Collections.unmodifiableList(new ArrayList<>(alpnOffered));
    this.alpn = alpn;
    this.helloRetryRequest = helloRetryRequest;
    this.resumed = resumed;
    this.handshakeComplete = handshakeComplete;
    this.certificates = Collections.unmodifiableList(new ArrayList<>(certificates));
    this.alerts = Collections.unmodifiableList(new ArrayList<>(alerts));
    this.ja3 = ja3;
    this.ja4 = ja4;
    this.clientRandom = clientRandom;
    this.plaintextOffset = plaintextOffset.clone();
    this.plaintextApplicationData = plaintextApplicationData;
    this.decrypted = decrypted;
    this.decryptedBytes = decryptedBytes.clone();
    this.problems = problems.clone();
    this.malformations = new MalformationReport[2];
    for (int i = 0; i < 2; i++) {
      this.malformations[i] = new MalformationReport();
      this.malformations[i].copyFrom(malformations[i]);
    }
    this.limitsExceeded = limitsExceeded.clone();
  }

  /** True when the connection's first bytes (either direction) looked like TLS. */
  public boolean isTls() {
    return tls;
  }

  /** The negotiated protocol version (0x0304 for TLS 1.3), or -1 when no ServerHello was seen. */
  public int version() {
    return version;
  }

  /** design.md's name of {@link #version()}: "TLSv1.3", "TLSv1.2", ...; "0x7f1c"-style hex for others; or null. */
  public String versionName() {
    if (version < 0) {
      return null;
    }
    String n = TlsVersions.nameOf(version);
    return n != null ? n : String.format("0x%04x", version);
  }

  /** The cipher suite of the ServerHello (the last one, after a HelloRetryRequest), or -1. */
  public int cipherSuite() {
    return cipherSuite;
  }

  /** The IANA name of {@link #cipherSuite()}, or null when none or unregistered. */
  public String cipherSuiteName() {
    return cipherSuite < 0 ? null : CipherSuites.nameOf(cipherSuite);
  }

  /** The cipher suite as design.md prints it, lower-case hex as tshark does: "0x1302", "0xc02f"; or null. */
  public String cipherSuiteId() {
    return cipherSuite < 0 ? null : String.format("0x%04x", cipherSuite);
  }

  /** The first host_name of the ClientHello's server_name extension, or null. */
  public String sni() {
    return sni;
  }

  /** The protocols of the ClientHello's ALPN extension, in order; empty when not offered. */
  public List<String> alpnOffered() {
    return alpnOffered;
  }

  /** The protocol the server chose (ServerHello or EncryptedExtensions ALPN), or null. */
  public String alpn() {
    return alpn;
  }

  /** True when the server sent a HelloRetryRequest. */
  public boolean helloRetryRequest() {
    return helloRetryRequest;
  }

  /** True when the session was resumed (see the class comment). */
  public boolean resumed() {
    return resumed;
  }

  /** True once the handshake completed (see the class comment). */
  public boolean handshakeComplete() {
    return handshakeComplete;
  }

  /**
   * The server's certificate chain as sent (its first Certificate message), one summary per certificate; empty when
   * none was seen (or TLS 1.3 without keys).
   */
  public List<CertificateSummary> certificates() {
    return certificates;
  }

  /** Lower-case hex SHA-256 of each of {@link #certificates()}, in order. Allocates. */
  public List<String> certificateSha256() {
    List<String> out = new ArrayList<>(certificates.size());
    for (CertificateSummary c : certificates) {
      out.add(c.sha256());
    }
    return out;
  }

  /** The alerts seen, in the order the dissector met them (the first 64: a connection ends after a fatal one). */
  public List<TlsAlert> alerts() {
    return alerts;
  }

  /** The client's JA3 fingerprint (MD5 hex), or null when not computed. */
  public String ja3() {
    return ja3;
  }

  /** The client's JA4 fingerprint, or null when not computed. */
  public String ja4() {
    return ja4;
  }

  /** The ClientHello.random (32 bytes, a copy), or null before a ClientHello. */
  public byte[] clientRandom() {
    return clientRandom == null ? null : clientRandom.clone();
  }

  /**
   * Offset in {@code direction}'s TCP stream where bytes stopped looking like TLS (0: never looked like TLS, such as
   * the plaintext before STARTTLS), or -1. Such bytes are plaintext on a TLS connection. The offset counts from
   * byte 0 of the stream, the first byte {@code direction} sent as the reassembler delivers it, each gap counting its
   * length: the same count whether or not the record reader was restarted on the way (at a hello after STARTTLS
   * plaintext, at the first record after a gap).
   */
  public long plaintextOffset(Direction direction) {
    return plaintextOffset[direction.ordinal()];
  }

  /** True when application data was seen unprotected: records before encryption, or non-TLS bytes. */
  public boolean plaintextApplicationData() {
    return plaintextApplicationData;
  }

  /** True when keys were found and at least one record decrypted. */
  public boolean decrypted() {
    return decrypted;
  }

  /** Bytes of decrypted application data (plaintext) sent in {@code direction}. */
  public long decryptedBytes(Direction direction) {
    return decryptedBytes[direction.ordinal()];
  }

  /** Why {@code direction} was not (entirely) decrypted; NONE when it was or needed no decryption. */
  public DecryptionProblem decryptionProblem(Direction direction) {
    return problems[direction.ordinal()];
  }

  /**
   * The malformation that stopped parsing {@code direction} (a copy), or one whose kind is NONE. Its
   * {@link MalformationReport#offset() offset} is an offset in {@code direction}'s TCP stream, counted as for
   * {@link #plaintextOffset(Direction)} (from the stream's byte 0, gaps by their length, whatever restarted the
   * readers): of the offending record header field; for a handshake message, of its offending byte on the wire
   * (the record headers between its fragments counted), or, when the message was decrypted, of the header of the
   * record that carried that byte (decrypted bytes have no offset of their own). A TRUNCATED report's
   * {@link MalformationReport#requiredLength() required} and {@link MalformationReport#availableLength() available}
   * lengths count the bytes of the unit cut short (a record with its header).
   */
  public MalformationReport malformation(Direction direction) {
    MalformationReport r = new MalformationReport();
    r.copyFrom(malformations[direction.ordinal()]);
    return r;
  }

  /**
   * The cap of {@link dev.wirelens.Limits} behind {@link #malformation(Direction)} when its kind is
   * {@link dev.wirelens.Malformation#LIMIT_EXCEEDED}: {@link TlsLimit#RECORD_LENGTH} for a record header's length,
   * {@link TlsLimit#HANDSHAKE_MESSAGE_LENGTH} for a handshake message's; {@link TlsLimit#NONE} exactly when that kind
   * is another (or NONE).
   */
  public TlsLimit limitExceeded(Direction direction) {
    return limitsExceeded[direction.ordinal()];
  }

  @Override
  public String toString() {
    return "TlsSession[" + versionName() + ", " + cipherSuiteName() + ", sni=" + sni + ", alpn=" + alpnOffered + "/"
        + alpn + ", hrr=" + helloRetryRequest + ", resumed=" + resumed + ", complete=" + handshakeComplete
        + ", certs=" + certificates.size() + ", alerts=" + alerts + ", decrypted=" + decryptedBytes[0] + "/"
        + decryptedBytes[1] + " " + problems[0] + "/" + problems[1] + "]";
  }
}
