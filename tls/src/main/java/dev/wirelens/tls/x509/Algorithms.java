package dev.wirelens.tls.x509;

import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;

/** OpenSSL's names of signature algorithms and the names of EC curves. */
final class Algorithms {
  /** OID to OpenSSL's long name (its {@code objects.txt}), as {@code openssl x509 -text} prints it. */
  private static final Map<String, String> SIGNATURES = Map.ofEntries(
      Map.entry("1.2.840.113549.1.1.2", "md2WithRSAEncryption"),
      Map.entry("1.2.840.113549.1.1.4", "md5WithRSAEncryption"),
      Map.entry("1.2.840.113549.1.1.5", "sha1WithRSAEncryption"),
      Map.entry("1.2.840.113549.1.1.10", "rsassaPss"),
      Map.entry("1.2.840.113549.1.1.11", "sha256WithRSAEncryption"),
      Map.entry("1.2.840.113549.1.1.12", "sha384WithRSAEncryption"),
      Map.entry("1.2.840.113549.1.1.13", "sha512WithRSAEncryption"),
      Map.entry("1.2.840.113549.1.1.14", "sha224WithRSAEncryption"),
      Map.entry("1.2.840.10045.4.1", "ecdsa-with-SHA1"),
      Map.entry("1.2.840.10045.4.3.1", "ecdsa-with-SHA224"),
      Map.entry("1.2.840.10045.4.3.2", "ecdsa-with-SHA256"),
      Map.entry("1.2.840.10045.4.3.3", "ecdsa-with-SHA384"),
      Map.entry("1.2.840.10045.4.3.4", "ecdsa-with-SHA512"),
      Map.entry("1.2.840.10040.4.3", "dsaWithSHA1"),
      Map.entry("2.16.840.1.101.3.4.3.1", "dsa_with_SHA224"),
      Map.entry("2.16.840.1.101.3.4.3.2", "dsa_with_SHA256"),
      Map.entry("1.3.101.112", "ED25519"),
      Map.entry("1.3.101.113", "ED448"),
      Map.entry("1.2.156.10197.1.501", "SM2-with-SM3"));

  /** SEC 2 / X9.62 OIDs of the curves that FIPS 186 calls P-192 ... P-521. */
  private static final Map<String, String> NIST_CURVES = Map.of(
      "1.2.840.10045.3.1.1", "P-192", "1.3.132.0.33", "P-224", "1.2.840.10045.3.1.7", "P-256",
      "1.3.132.0.34", "P-384", "1.3.132.0.35", "P-521");

  private Algorithms() {}

  static String signatureName(String oid) {
    return SIGNATURES.getOrDefault(oid, oid);
  }

  static String curveName(ASN1ObjectIdentifier oid) {
    String nist = NIST_CURVES.get(oid.getId());
    if (nist != null) {
      return nist;
    }
    String name = ECNamedCurveTable.getName(oid);
    return name != null ? name : oid.getId();
  }
}
