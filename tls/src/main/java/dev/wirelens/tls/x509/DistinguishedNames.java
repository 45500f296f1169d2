package dev.wirelens.tls.x509;

import java.io.IOException;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;

/** RFC 4514 strings of X.500 names, spelled as {@code openssl -nameopt RFC2253,-esc_msb} prints them. */
final class DistinguishedNames {
  private static final String CN = "2.5.4.3";

  /** OpenSSL's short names (its {@code objects.txt}) for the attribute types certificates use. */
  private static final Map<String, String> SHORT_NAMES = Map.ofEntries(
      Map.entry("2.5.4.3", "CN"), Map.entry("2.5.4.4", "SN"), Map.entry("2.5.4.5", "serialNumber"),
      Map.entry("2.5.4.6", "C"), Map.entry("2.5.4.7", "L"), Map.entry("2.5.4.8", "ST"),
      Map.entry("2.5.4.9", "street"), Map.entry("2.5.4.10", "O"), Map.entry("2.5.4.11", "OU"),
      Map.entry("2.5.4.12", "title"), Map.entry("2.5.4.13", "description"),
      Map.entry("2.5.4.15", "businessCategory"), Map.entry("2.5.4.17", "postalCode"),
      Map.entry("2.5.4.41", "name"), Map.entry("2.5.4.42", "GN"), Map.entry("2.5.4.43", "initials"),
      Map.entry("2.5.4.46", "dnQualifier"), Map.entry("2.5.4.65", "pseudonym"),
      Map.entry("2.5.4.97", "organizationIdentifier"),
      Map.entry("0.9.2342.19200300.100.1.1", "UID"), Map.entry("0.9.2342.19200300.100.1.25", "DC"),
      Map.entry("1.2.840.113549.1.9.1", "emailAddress"),
      Map.entry("1.3.6.1.4.1.311.60.2.1.1", "jurisdictionL"),
      Map.entry("1.3.6.1.4.1.311.60.2.1.2", "jurisdictionST"),
      Map.entry("1.3.6.1.4.1.311.60.2.1.3", "jurisdictionC"));

  private DistinguishedNames() {}

  static String rfc4514(X500Name name) {
    RDN[] rdns = name.getRDNs();
    StringBuilder sb = new StringBuilder();
    // RFC 4514 §2.1: the RDN sequence is output last to first
    for (int i = rdns.length - 1; i >= 0; i--) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      AttributeTypeAndValue[] avas = rdns[i].getTypesAndValues();
      for (int j = 0; j < avas.length; j++) {
        if (j > 0) {
          sb.append('+');
        }
        appendAva(sb, avas[j]);
      }
    }
    return sb.toString();
  }

  static String mostSpecificCommonName(X500Name name) {
    RDN[] rdns = name.getRDNs();
    for (int i = rdns.length - 1; i >= 0; i--) {
      for (AttributeTypeAndValue ava : rdns[i].getTypesAndValues()) {
        if (ava.getType().getId().equals(CN) && ava.getValue() instanceof ASN1String) {
          return ((ASN1String) ava.getValue()).getString();
        }
      }
    }
    return null;
  }

  private static void appendAva(StringBuilder sb, AttributeTypeAndValue ava) {
    String oid = ava.getType().getId();
    String shortName = SHORT_NAMES.get(oid);
    sb.append(shortName != null ? shortName : oid).append('=');
    ASN1Encodable value = ava.getValue();
    if (value instanceof ASN1String && shortName != null) {
      escape(sb, ((ASN1String) value).getString());
    } else {
      // RFC 4514 §2.4: a value of an unknown type or that is not a string is "#" and the hex of its BER/DER
      sb.append('#');
      try {
        for (byte b : value.toASN1Primitive().getEncoded(ASN1Encoding.DER)) {
          hex(sb, b & 0xFF, false);
        }
      } catch (IOException e) {
        throw new IllegalStateException("re-encoding a parsed value cannot fail", e);
      }
    }
  }

  /** RFC 4514 §2.4 escaping, plus OpenSSL's {@code \XX} for control characters. */
  private static void escape(StringBuilder sb, String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      boolean special = c == '"' || c == '+' || c == ',' || c == ';' || c == '<' || c == '>' || c == '\\'
          || (i == 0 && (c == '#' || c == ' ')) || (i == n - 1 && c == ' ');
      if (special) {
        sb.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7F) {
        sb.append('\\');
        hex(sb, c, true);
      } else {
        sb.append(c);
      }
    }
  }

  private static void hex(StringBuilder sb, int b, boolean upper) {
    String digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    sb.append(digits.charAt(b >>> 4)).append(digits.charAt(b & 0xF));
  }
}
