/**
 * Client fingerprints computed from a ClientHello: JA3 (Salesforce, BSD-3-Clause) and JA4 (FoxIO, BSD-3-Clause).
 * Only JA4 itself is implemented; the other JA4+ methods (JA4S, JA4H, JA4X, ...) are under the FoxIO License and are
 * deliberately not part of Wirelens.
 */
package dev.wirelens.tls.fingerprint;
