/**
 * X.509 certificate summaries: the facts of a certificate in a TLS Certificate message that an audit reports and
 * checks (names, validity, key, signature algorithm, fingerprint, host-name match), read with BouncyCastle's ASN.1
 * classes from the DER bytes.
 */
package dev.wirelens.tls.x509;
