package dev.wirelens.tls.x509;

import dev.wirelens.Malformation;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.DSAParameter;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;

/**
 * The facts of one X.509 certificate (RFC 5280) that a TLS audit reports: subject and issuer, validity, subject
 * alternative names, public key type and size, signature algorithm and the SHA-256 fingerprint; with
 * {@link #isValidAt(Instant)} and {@link #matchesHostName(String)} for the audit's rules.
 *
 * <p>Wire format: one {@code ASN1Cert} of a TLS Certificate message (RFC 8446 §4.4.2, RFC 5246 §7.4.2), the DER of
 * <pre>
 * Certificate  ::=  SEQUENCE  {
 *      tbsCertificate       TBSCertificate,     -- version, serial, signature, issuer, validity, subject,
 *                                               -- subjectPublicKeyInfo, extensions [3]
 *      signatureAlgorithm   AlgorithmIdentifier,
 *      signatureValue       BIT STRING  }
 * </pre>
 *
 * <p>Conventions, chosen so that results compare with {@code openssl x509 -nameopt RFC2253,-esc_msb}:
 * <ul>
 *   <li>{@link #subject()} and {@link #issuer()} are RFC 4514 strings: RDNs from last to first, attribute names as
 *       OpenSSL's short names ({@code CN}, {@code O}, {@code OU}, {@code C}, {@code ST}, {@code L}, {@code DC},
 *       {@code emailAddress}, {@code serialNumber}, ...; other types as a dotted OID), the RFC 4514 §2.4 characters
 *       escaped with a backslash, control characters as {@code \XX}, non-ASCII characters kept as they are, and
 *       values that are not strings as {@code #} and the hex of their DER.
 *   <li>{@link #signatureAlgorithm()} is OpenSSL's name ({@code sha256WithRSAEncryption}, {@code ecdsa-with-SHA256},
 *       {@code ED25519}, {@code rsassaPss}), or the dotted OID for an algorithm not in the table.
 *   <li>{@link #sha256()} is lower-case hex without separators.
 *   <li>IPv6 addresses among the subject alternative names are in RFC 5952 form ({@code 2001:db8::1}).
 * </ul>
 *
 * <p>Malformed input: {@link #parse} never throws for bad bytes. A certificate that is cut short reports
 * {@link Malformation#TRUNCATED}; any other DER or X.509 structure error reports {@link Malformation#BAD_LENGTH_FIELD}
 * (core's {@code Malformation} has no general "invalid content" kind) with {@link #problem()} saying what was wrong.
 * A malformed summary still has {@link #sha256()} of the bytes given; every other fact is {@code null}, empty or 0,
 * {@link #isValidAt(Instant)} and {@link #matchesHostName(String)} are false.
 *
 * <p>Lifetime: immutable; keeps no reference to the buffer it was parsed from. Allocation: parsing copies the DER
 * into a {@code byte[]} and builds BouncyCastle's ASN.1 objects (this is not a hot path: one per certificate).
 * Thread safety: immutable, safe to share.
 *
 * <pre>{@code
 * CertificateSummary cert = CertificateSummary.parse(certificateBytes);
 * if (!cert.isMalformed() && cert.matchesHostName(sni) && cert.isValidAt(captureTime)) { ... }
 * }</pre>
 */
public final class CertificateSummary {
  private final Malformation malformation;
  private final String problem;
  private final String sha256;
  private final String subject;
  private final String issuer;
  private final String subjectCommonName;
  private final Instant notBefore;
  private final Instant notAfter;
  private final List<String> sans;
  private final List<String> dnsNames;
  private final List<String> ipAddresses;
  private final List<String> emailAddresses;
  private final List<String> uris;
  private final String keyType;
  private final int keySize;
  private final String keyCurve;
  private final String signatureAlgorithm;
  private final String signatureAlgorithmOid;
  private final boolean sanMalformed;

  private CertificateSummary(Malformation malformation, String problem, String sha256, Builder b) {
    this.malformation = malformation;
    this.problem = problem;
    this.sha256 = sha256;
    this.subject = b.subject;
    this.issuer = b.issuer;
    this.subjectCommonName = b.subjectCommonName;
    this.notBefore = b.notBefore;
    this.notAfter = b.notAfter;
    this.sans = Collections.unmodifiableList(b.sans);
    this.dnsNames = Collections.unmodifiableList(b.dnsNames);
    this.ipAddresses = Collections.unmodifiableList(b.ipAddresses);
    this.emailAddresses = Collections.unmodifiableList(b.emailAddresses);
    this.uris = Collections.unmodifiableList(b.uris);
    this.keyType = b.keyType;
    this.keySize = b.keySize;
    this.keyCurve = b.keyCurve;
    this.signatureAlgorithm = b.signatureAlgorithm;
    this.signatureAlgorithmOid = b.signatureAlgorithmOid;
    this.sanMalformed = b.sanMalformed;
  }

  /**
   * Summarises the certificate in {@code length} bytes of {@code buf} from absolute index {@code offset}; the reader
   * and writer indexes are not changed. The bytes are copied.
   *
   * @param buf the buffer holding the DER, borrowed for the call
   * @param offset absolute index of the first byte of the certificate
   * @param length number of bytes of the certificate
   * @return the summary; malformed input gives a summary whose {@link #isMalformed()} is true
   * @throws IndexOutOfBoundsException if the range lies outside {@code buf}'s capacity (misuse)
   */
  public static CertificateSummary parse(ByteBuf buf, int offset, int length) {
    return parse(ByteBufUtil.getBytes(buf, offset, length, true));
  }

  /**
   * Summarises the certificate in {@code der}; the array is not kept.
   *
   * @param der the DER encoding of one certificate, nothing before or after it
   * @return the summary; malformed input gives a summary whose {@link #isMalformed()} is true
   */
  public static CertificateSummary parse(byte[] der) {
    String sha = sha256Hex(der);
    Builder b = new Builder();
    // Outer TLV first, so that a certificate cut short (a snaplen, a truncated Certificate message) is reported
    // as TRUNCATED and not as whatever exception the ASN.1 parser happens to throw.
    long declared = outerLength(der);
    if (declared == TRUNCATED_HEADER || declared > der.length) {
      return new CertificateSummary(Malformation.TRUNCATED,
          "certificate needs " + (declared == TRUNCATED_HEADER ? "a complete DER header" : declared + " bytes")
              + ", " + der.length + " available", sha, new Builder());
    }
    if (declared == BAD_HEADER) {
      return new CertificateSummary(Malformation.BAD_LENGTH_FIELD,
          "not a DER SEQUENCE with a definite length", sha, new Builder());
    }
    if (declared < der.length) {
      return new CertificateSummary(Malformation.BAD_LENGTH_FIELD,
          (der.length - declared) + " bytes follow the certificate's DER SEQUENCE", sha, new Builder());
    }
    try (ASN1InputStream in = new ASN1InputStream(der)) {
      ASN1Primitive obj = in.readObject();
      Certificate cert = Certificate.getInstance(obj);
      b.fill(cert);
      return new CertificateSummary(Malformation.NONE, null, sha, b);
    } catch (Exception | StackOverflowError e) {
      // BouncyCastle reports bad structure with IOException, IllegalArgumentException, IllegalStateException or
      // ClassCastException depending on where it is; all of them mean the same to us.
      String message = e.getMessage();
      return new CertificateSummary(Malformation.BAD_LENGTH_FIELD,
          "invalid X.509 DER: " + e.getClass().getSimpleName() + (message == null ? "" : ": " + message), sha,
          new Builder());
    }
  }

  /** Whether the bytes could not be read as a certificate. */
  public boolean isMalformed() {
    return malformation != Malformation.NONE;
  }

  /**
   * Why the bytes are not a certificate: {@link Malformation#NONE}, {@link Malformation#TRUNCATED} or
   * {@link Malformation#BAD_LENGTH_FIELD} (any other structure error, see {@link #problem()}).
   */
  public Malformation malformation() {
    return malformation;
  }

  /** A sentence saying what is wrong with malformed input, or {@code null} for a certificate. */
  public String problem() {
    return problem;
  }

  /** SHA-256 of the DER bytes given to {@link #parse}, lower-case hex (also for malformed input). */
  public String sha256() {
    return sha256;
  }

  /** TBSCertificate {@code subject} as an RFC 4514 string (see the class comment), or {@code null} if malformed. */
  public String subject() {
    return subject;
  }

  /** TBSCertificate {@code issuer} as an RFC 4514 string (see the class comment), or {@code null} if malformed. */
  public String issuer() {
    return issuer;
  }

  /** The value of the subject's most specific {@code CN} attribute, or {@code null} if there is none. */
  public String subjectCommonName() {
    return subjectCommonName;
  }

  /** TBSCertificate {@code validity.notBefore}, or {@code null} if malformed. */
  public Instant notBefore() {
    return notBefore;
  }

  /** TBSCertificate {@code validity.notAfter}, or {@code null} if malformed. */
  public Instant notAfter() {
    return notAfter;
  }

  /**
   * The subjectAltName extension's DNS names, IP addresses, e-mail addresses and URIs, in certificate order, as
   * plain strings without a type prefix; other name forms (directoryName, otherName, ...) are left out. Empty when
   * the certificate has no such extension.
   */
  public List<String> subjectAlternativeNames() {
    return sans;
  }

  /**
   * Whether the certificate has a subjectAltName extension that cannot be decoded (bad DER, or a name with a NUL
   * byte); its names are then left out, as openssl leaves them out, and the rest of the summary stands.
   */
  public boolean subjectAlternativeNamesMalformed() {
    return sanMalformed;
  }

  /** The {@code dNSName} entries of subjectAltName, as written in the certificate. */
  public List<String> dnsNames() {
    return dnsNames;
  }

  /** The {@code iPAddress} entries of subjectAltName: dotted IPv4, RFC 5952 IPv6. */
  public List<String> ipAddresses() {
    return ipAddresses;
  }

  /** The {@code rfc822Name} entries of subjectAltName. */
  public List<String> emailAddresses() {
    return emailAddresses;
  }

  /** The {@code uniformResourceIdentifier} entries of subjectAltName. */
  public List<String> uris() {
    return uris;
  }

  /**
   * The subject public key's type: {@code "RSA"}, {@code "RSA-PSS"}, {@code "EC"}, {@code "DSA"}, {@code "Ed25519"},
   * {@code "Ed448"}, {@code "X25519"}, {@code "X448"}, else the algorithm's dotted OID; {@code null} if malformed.
   */
  public String keyType() {
    return keyType;
  }

  /**
   * The key size in bits as OpenSSL's {@code Public-Key: (N bit)} gives it: the RSA modulus or DSA prime length,
   * the EC field size (256 for P-256, 521 for P-521), 256 for Ed25519, 456 for Ed448; 0 when unknown.
   */
  public int keySize() {
    return keySize;
  }

  /**
   * The named curve of an EC key: the NIST name where there is one ({@code "P-256"}, {@code "P-384"},
   * {@code "P-521"}), else the SEC/brainpool name ({@code "secp256k1"}, {@code "brainpoolP256r1"}) or the dotted OID;
   * {@code null} for other key types and explicit curve parameters.
   */
  public String keyCurve() {
    return keyCurve;
  }

  /** Type, curve or size in one label: {@code "RSA 2048"}, {@code "EC P-256"}, {@code "Ed25519"}; null if malformed. */
  public String keyDescription() {
    if (keyType == null) {
      return null;
    }
    if (keyCurve != null) {
      return keyType + " " + keyCurve;
    }
    if (keyType.startsWith("Ed") || keyType.startsWith("X") || keySize == 0) {
      return keyType;
    }
    return keyType + " " + keySize;
  }

  /** Certificate {@code signatureAlgorithm} by OpenSSL's name (see the class comment); {@code null} if malformed. */
  public String signatureAlgorithm() {
    return signatureAlgorithm;
  }

  /** Certificate {@code signatureAlgorithm} as a dotted OID; {@code null} if malformed. */
  public String signatureAlgorithmOid() {
    return signatureAlgorithmOid;
  }

  /**
   * Whether {@code time} lies within the validity period, both ends included (RFC 5280 §4.1.2.5). False for a
   * malformed certificate.
   */
  public boolean isValidAt(Instant time) {
    return notBefore != null && !time.isBefore(notBefore) && !time.isAfter(notAfter);
  }

  /**
   * Whether the certificate names {@code host}, by the rules of RFC 6125 §6.4: an IP address literal is compared
   * with the {@code iPAddress} entries; a DNS name with the {@code dNSName} entries, ignoring ASCII case and one
   * trailing dot, where a {@code *} that is the whole leftmost label matches exactly one non-empty label and needs at
   * least two labels after it ({@code *.example.test} matches {@code a.example.test}, not {@code example.test} or
   * {@code a.b.example.test}); partial-label wildcards ({@code f*.example.test}) match nothing. Only when the
   * certificate has no subjectAltName extension, or one without any DNS, IP, e-mail or URI entry, is the subject's
   * most specific {@code CN} used instead (§6.4.4: no CN-ID when other identifiers are presented); an undecodable
   * subjectAltName ({@link #subjectAlternativeNamesMalformed()}) matches nothing and disables the CN fallback.
   * Internationalised names are compared as given: pass A-labels ({@code xn--...}).
   *
   * @param host the server name, e.g. the ClientHello's server_name; {@code null} or empty matches nothing
   * @return whether the certificate is for that host
   */
  public boolean matchesHostName(String host) {
    if (host == null || host.isEmpty() || isMalformed()) {
      return false;
    }
    String ip = Ip.normalizeLiteral(host);
    if (ip != null) {
      return ipAddresses.contains(ip);
    }
    String h = stripDot(host.toLowerCase(Locale.ROOT));
    if (h.isEmpty()) {
      return false;
    }
    List<String> refs = dnsNames;
    if (sanMalformed) {
      return false;
    }
    if (sans.isEmpty()) {
      refs = subjectCommonName == null ? List.of() : List.of(subjectCommonName);
    }
    for (String ref : refs) {
      if (matchesPattern(stripDot(ref.toLowerCase(Locale.ROOT)), h)) {
        return true;
      }
    }
    return false;
  }

  /** Summary for logs: subject, or the malformation. */
  @Override
  public String toString() {
    return isMalformed() ? "CertificateSummary[" + malformation + ": " + problem + "]"
        : "CertificateSummary[" + subject + ", issuer " + issuer + ", " + keyDescription() + "]";
  }

  // --- implementation

  private static final long TRUNCATED_HEADER = -1;
  private static final long BAD_HEADER = -2;

  /** Total length (header + content) of the DER SEQUENCE at the start of {@code der}. */
  private static long outerLength(byte[] der) {
    if (der.length < 2) {
      return TRUNCATED_HEADER;
    }
    if ((der[0] & 0xFF) != 0x30) {
      return BAD_HEADER;
    }
    int first = der[1] & 0xFF;
    if (first < 0x80) {
      return 2 + first;
    }
    int n = first & 0x7F;
    if (n == 0 || n > 4) {
      return BAD_HEADER; // indefinite length is not DER; more than 4 length bytes is absurd for a certificate
    }
    if (der.length < 2 + n) {
      return TRUNCATED_HEADER;
    }
    long len = 0;
    for (int i = 0; i < n; i++) {
      len = (len << 8) | (der[2 + i] & 0xFF);
    }
    return 2 + n + len;
  }

  private static boolean matchesPattern(String pattern, String host) {
    if (pattern.isEmpty()) {
      return false;
    }
    if (!pattern.contains("*")) {
      return pattern.equals(host);
    }
    // RFC 6125 §6.4.3 as the CA/Browser Forum narrows it: only "*" as the complete leftmost label
    if (!pattern.startsWith("*.") || pattern.indexOf('*', 1) >= 0) {
      return false;
    }
    String suffix = pattern.substring(1); // ".example.test"
    if (suffix.indexOf('.', 1) < 0) {
      return false; // "*.test": a wildcard needs at least two labels after it
    }
    if (!host.endsWith(suffix)) {
      return false;
    }
    String label = host.substring(0, host.length() - suffix.length());
    return !label.isEmpty() && label.indexOf('.') < 0;
  }

  private static String stripDot(String s) {
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  private static String sha256Hex(byte[] der) {
    try {
      return ByteBufUtil.hexDump(MessageDigest.getInstance("SHA-256").digest(der));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Mutable fields while reading one certificate. */
  private static final class Builder {
    String subject;
    String issuer;
    String subjectCommonName;
    Instant notBefore;
    Instant notAfter;
    final List<String> sans = new ArrayList<>();
    final List<String> dnsNames = new ArrayList<>();
    final List<String> ipAddresses = new ArrayList<>();
    final List<String> emailAddresses = new ArrayList<>();
    final List<String> uris = new ArrayList<>();
    String keyType;
    int keySize;
    String keyCurve;
    String signatureAlgorithm;
    String signatureAlgorithmOid;
    boolean sanMalformed;

    void fill(Certificate cert) {
      subject = DistinguishedNames.rfc4514(cert.getSubject());
      issuer = DistinguishedNames.rfc4514(cert.getIssuer());
      subjectCommonName = DistinguishedNames.mostSpecificCommonName(cert.getSubject());
      notBefore = cert.getStartDate().getDate().toInstant();
      notAfter = cert.getEndDate().getDate().toInstant();
      ASN1ObjectIdentifier sigOid = cert.getSignatureAlgorithm().getAlgorithm();
      signatureAlgorithmOid = sigOid.getId();
      signatureAlgorithm = Algorithms.signatureName(sigOid.getId());
      readKey(cert.getSubjectPublicKeyInfo());
      Extensions ext = cert.getTBSCertificate().getExtensions();
      if (ext != null) {
        Extension san = ext.getExtension(Extension.subjectAlternativeName);
        if (san != null) {
          try {
            readSans(GeneralNames.getInstance(san.getParsedValue()));
          } catch (RuntimeException e) {
            // an undecodable subjectAltName names nothing (as in openssl), the rest of the certificate still counts
            sanMalformed = true;
            sans.clear();
            dnsNames.clear();
            ipAddresses.clear();
            emailAddresses.clear();
            uris.clear();
          }
        }
      }
    }

    private void readSans(GeneralNames names) {
      for (GeneralName n : names.getNames()) {
        String value;
        switch (n.getTagNo()) {
          case GeneralName.dNSName:
            value = ia5(n);
            dnsNames.add(value);
            break;
          case GeneralName.iPAddress:
            value = Ip.format(ASN1OctetString.getInstance(n.getName()).getOctets());
            ipAddresses.add(value);
            break;
          case GeneralName.rfc822Name:
            value = ia5(n);
            emailAddresses.add(value);
            break;
          case GeneralName.uniformResourceIdentifier:
            value = ia5(n);
            uris.add(value);
            break;
          default:
            continue;
        }
        sans.add(value);
      }
    }

    /**
     * An IA5String name; one with a NUL byte makes the extension invalid: it is the classic way to make a name look
     * like another to code that stops at NUL ("www.bank.test\0.evil.test"), and openssl rejects it too.
     */
    private static String ia5(GeneralName n) {
      String v = ((ASN1String) n.getName()).getString();
      if (v.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("NUL in a subjectAltName");
      }
      return v;
    }

    private void readKey(SubjectPublicKeyInfo spki) {
      AlgorithmIdentifier alg = spki.getAlgorithm();
      String oid = alg.getAlgorithm().getId();
      ASN1Encodable params = alg.getParameters();
      try {
        switch (oid) {
          case "1.2.840.113549.1.1.1":
          case "1.2.840.113549.1.1.10":
            keyType = oid.endsWith(".1") ? "RSA" : "RSA-PSS";
            keySize = RSAPublicKey.getInstance(spki.parsePublicKey()).getModulus().bitLength();
            break;
          case "1.2.840.10045.2.1":
            keyType = "EC";
            if (params instanceof ASN1ObjectIdentifier) {
              ASN1ObjectIdentifier curve = (ASN1ObjectIdentifier) params;
              keyCurve = Algorithms.curveName(curve);
              X9ECParameters p = ECNamedCurveTable.getByOID(curve);
              keySize = p == null ? 0 : p.getCurve().getFieldSize();
            } else if (params != null && !(params.toASN1Primitive() instanceof org.bouncycastle.asn1.ASN1Null)) {
              keySize = X9ECParameters.getInstance(params).getCurve().getFieldSize();
            }
            break;
          case "1.2.840.10040.4.1":
            keyType = "DSA";
            keySize = params == null ? 0 : DSAParameter.getInstance(params).getP().bitLength();
            break;
          case "1.3.101.112":
            keyType = "Ed25519";
            keySize = 256;
            break;
          case "1.3.101.113":
            keyType = "Ed448";
            keySize = 456;
            break;
          case "1.3.101.110":
            keyType = "X25519";
            keySize = 253;
            break;
          case "1.3.101.111":
            keyType = "X448";
            keySize = 448;
            break;
          default:
            keyType = oid;
            keySize = 0;
        }
      } catch (Exception e) {
        // a key we cannot read does not make the certificate unreadable: type known, size unknown
        keySize = 0;
      }
    }
  }
}
