#!/usr/bin/env python3
"""Regenerates the small TLS name tables in tls/src/main/java/dev/wirelens/tls/: TlsVersions, ContentTypes,
HandshakeTypes, AlertDescriptions, ExtensionTypes, NamedGroups, SignatureSchemes.

The data below is typed from the IANA TLS registries (https://www.iana.org/assignments/tls-parameters/ and
.../tls-extensiontype-values/), read in their CSV form; see each table's SOURCE. Names are IANA's with two
documented edits: the "_RESERVED" suffix IANA adds to values TLS 1.3 no longer uses is dropped (TLS 1.2 captures
still carry them: "server_key_exchange", "decryption_failed"), and the " (OBSOLETE)" remark on two pre-standard
named groups is dropped. Tests compare the generated tables with tshark's value strings and with IANA CSV rows
recorded in tls/src/test/resources/names/.

Run from the repository root: python3 scripts/tls-names/gen-small-tables.py
"""

TABLES = []

def table(cls, width, source, summary, wire, unknown, rows, const=None):
    TABLES.append(dict(cls=cls, width=width, source=source, summary=summary, wire=wire, unknown=unknown,
                       rows=rows, const=const))

table("TlsVersions", 4,
      "RFC 6101 (SSL 3.0), RFC 2246, RFC 4346, RFC 5246, RFC 8446 (TLS 1.0 to 1.3), RFC 6347 and RFC 9147 (DTLS "
      "1.0, 1.2, 1.3), and the SSL 2.0 value 0x0002 of the SSLv2-compatible ClientHello (RFC 5246 Appendix E.2). "
      "The spelling (\"TLSv1.3\", \"SSLv3\") is the one of design.md's audit contract, which is also OpenSSL's",
      "protocol versions", "{@code ProtocolVersion} is a {@code uint16} (RFC 8446 §4.1.2): the record's "
      "{@code legacy_record_version}, the hello's {@code legacy_version}, each entry of {@code supported_versions}",
      "null",
      [(0x0002, "SSLv2", "SSL_2_0"), (0x0300, "SSLv3", "SSL_3_0"), (0x0301, "TLSv1.0", "TLS_1_0"),
       (0x0302, "TLSv1.1", "TLS_1_1"), (0x0303, "TLSv1.2", "TLS_1_2"), (0x0304, "TLSv1.3", "TLS_1_3"),
       (0xFEFF, "DTLSv1.0", "DTLS_1_0"), (0xFEFD, "DTLSv1.2", "DTLS_1_2"), (0xFEFC, "DTLSv1.3", "DTLS_1_3")])

table("ContentTypes", 2,
      "the IANA \"TLS ContentType\" registry (tls-parameters-5)",
      "record content types", "{@code ContentType} is the first byte of a record header (RFC 8446 §5.1)", "null",
      [(20, "change_cipher_spec"), (21, "alert"), (22, "handshake"), (23, "application_data"), (24, "heartbeat"),
       (25, "tls12_cid"), (26, "ACK"), (27, "return_routability_check")],
      const={26: "ACK"})

table("AlertLevels", 2,
      "the IANA \"TLS Alerts\" level values of RFC 5246 §7.2 (RFC 8446 §6 keeps them, though TLS 1.3 implies the "
      "level from the description); the audit's alert \"level\" field uses these names",
      "alert levels", "the first byte of an alert, {@code AlertLevel level} (RFC 8446 §6)", "null",
      [(1, "warning"), (2, "fatal")])

table("HandshakeTypes", 2,
      "the IANA \"TLS HandshakeType\" registry (tls-parameters-7), \"_RESERVED\" suffixes dropped",
      "handshake message types", "{@code HandshakeType msg_type} is the first byte of a handshake message "
      "(RFC 8446 §4)", "null",
      [(0, "hello_request"), (1, "client_hello"), (2, "server_hello"), (3, "hello_verify_request"),
       (4, "new_session_ticket"), (5, "end_of_early_data"), (6, "hello_retry_request"),
       (8, "encrypted_extensions"), (9, "request_connection_id"), (10, "new_connection_id"), (11, "certificate"),
       (12, "server_key_exchange"), (13, "certificate_request"), (14, "server_hello_done"),
       (15, "certificate_verify"), (16, "client_key_exchange"), (17, "client_certificate_request"),
       (20, "finished"), (21, "certificate_url"), (22, "certificate_status"), (23, "supplemental_data"),
       (24, "key_update"), (25, "compressed_certificate"), (26, "ekt_key"), (254, "message_hash")])

table("AlertDescriptions", 2,
      "the IANA \"TLS Alerts\" registry (tls-parameters-6), \"_RESERVED\" suffixes dropped",
      "alert descriptions", "an alert is two bytes, {@code AlertLevel level} then {@code AlertDescription "
      "description} (RFC 8446 §6)", "null",
      [(0, "close_notify"), (10, "unexpected_message"), (20, "bad_record_mac"), (21, "decryption_failed"),
       (22, "record_overflow"), (30, "decompression_failure"), (40, "handshake_failure"), (41, "no_certificate"),
       (42, "bad_certificate"), (43, "unsupported_certificate"), (44, "certificate_revoked"),
       (45, "certificate_expired"), (46, "certificate_unknown"), (47, "illegal_parameter"), (48, "unknown_ca"),
       (49, "access_denied"), (50, "decode_error"), (51, "decrypt_error"), (52, "too_many_cids_requested"),
       (60, "export_restriction"), (70, "protocol_version"), (71, "insufficient_security"),
       (80, "internal_error"), (86, "inappropriate_fallback"), (90, "user_canceled"), (100, "no_renegotiation"),
       (109, "missing_extension"), (110, "unsupported_extension"), (111, "certificate_unobtainable"),
       (112, "unrecognized_name"), (113, "bad_certificate_status_response"), (114, "bad_certificate_hash_value"),
       (115, "unknown_psk_identity"), (116, "certificate_required"), (117, "general_error"),
       (120, "no_application_protocol"), (121, "ech_required")])

table("ExtensionTypes", 4,
      "the IANA \"TLS ExtensionType Values\" registry (tls-extensiontype-values-1). Value 53 is IANA's "
      "\"connection_id (deprecated)\", named {@code connection_id_deprecated} here; 40 and 46 are reserved and "
      "unnamed. Non-IANA code points seen in the wild (Google's 0x4469 application_settings, 0x3374 NPN, "
      "0x7550 channel_id) are not in the table",
      "extension types", "{@code ExtensionType extension_type} is a {@code uint16} at the start of every "
      "extension (RFC 8446 §4.2)", "null",
      [(0, "server_name"), (1, "max_fragment_length"), (2, "client_certificate_url"), (3, "trusted_ca_keys"),
       (4, "truncated_hmac"), (5, "status_request"), (6, "user_mapping"), (7, "client_authz"),
       (8, "server_authz"), (9, "cert_type"), (10, "supported_groups"), (11, "ec_point_formats"), (12, "srp"),
       (13, "signature_algorithms"), (14, "use_srtp"), (15, "heartbeat"),
       (16, "application_layer_protocol_negotiation"), (17, "status_request_v2"),
       (18, "signed_certificate_timestamp"), (19, "client_certificate_type"), (20, "server_certificate_type"),
       (21, "padding"), (22, "encrypt_then_mac"), (23, "extended_master_secret"), (24, "token_binding"),
       (25, "cached_info"), (26, "tls_lts"), (27, "compress_certificate"), (28, "record_size_limit"),
       (29, "pwd_protect"), (30, "pwd_clear"), (31, "password_salt"), (32, "ticket_pinning"),
       (33, "tls_cert_with_extern_psk"), (34, "delegated_credential"), (35, "session_ticket"), (36, "TLMSP"),
       (37, "TLMSP_proxying"), (38, "TLMSP_delegate"), (39, "supported_ekt_ciphers"), (41, "pre_shared_key"),
       (42, "early_data"), (43, "supported_versions"), (44, "cookie"), (45, "psk_key_exchange_modes"),
       (47, "certificate_authorities"), (48, "oid_filters"), (49, "post_handshake_auth"),
       (50, "signature_algorithms_cert"), (51, "key_share"), (52, "transparency_info"),
       (53, "connection_id_deprecated"), (54, "connection_id"), (55, "external_id_hash"),
       (56, "external_session_id"), (57, "quic_transport_parameters"), (58, "ticket_request"),
       (59, "dnssec_chain"), (60, "sequence_number_encryption_algorithms"), (61, "rrc"),
       (0xFD00, "ech_outer_extensions"), (0xFE0D, "encrypted_client_hello"), (0xFF01, "renegotiation_info")],
      const={36: "TLMSP", 37: "TLMSP_PROXYING", 38: "TLMSP_DELEGATE"})

table("NamedGroups", 4,
      "the IANA \"TLS Supported Groups\" registry (tls-parameters-8); the \" (OBSOLETE)\" remark on 25497 and "
      "25498 is dropped from their names. Values 512 to 514 are ML-KEM in IANA (tshark 4.0.17 still names them "
      "after pre-standard FrodoKEM code points)",
      "named groups (supported_groups, key_share, ServerKeyExchange curves)",
      "{@code NamedGroup} is a {@code uint16} (RFC 8446 §4.2.7)", "null",
      [(1, "sect163k1"), (2, "sect163r1"), (3, "sect163r2"), (4, "sect193r1"), (5, "sect193r2"),
       (6, "sect233k1"), (7, "sect233r1"), (8, "sect239k1"), (9, "sect283k1"), (10, "sect283r1"),
       (11, "sect409k1"), (12, "sect409r1"), (13, "sect571k1"), (14, "sect571r1"), (15, "secp160k1"),
       (16, "secp160r1"), (17, "secp160r2"), (18, "secp192k1"), (19, "secp192r1"), (20, "secp224k1"),
       (21, "secp224r1"), (22, "secp256k1"), (23, "secp256r1"), (24, "secp384r1"), (25, "secp521r1"),
       (26, "brainpoolP256r1"), (27, "brainpoolP384r1"), (28, "brainpoolP512r1"), (29, "x25519"), (30, "x448"),
       (31, "brainpoolP256r1tls13"), (32, "brainpoolP384r1tls13"), (33, "brainpoolP512r1tls13"),
       (34, "GC256A"), (35, "GC256B"), (36, "GC256C"), (37, "GC256D"), (38, "GC512A"), (39, "GC512B"),
       (40, "GC512C"), (41, "curveSM2"), (256, "ffdhe2048"), (257, "ffdhe3072"), (258, "ffdhe4096"),
       (259, "ffdhe6144"), (260, "ffdhe8192"), (512, "MLKEM512"), (513, "MLKEM768"), (514, "MLKEM1024"),
       (4587, "SecP256r1MLKEM768"), (4588, "X25519MLKEM768"), (4589, "SecP384r1MLKEM1024"),
       (25497, "X25519Kyber768Draft00"), (25498, "SecP256r1Kyber768Draft00"),
       (65281, "arbitrary_explicit_prime_curves"), (65282, "arbitrary_explicit_char2_curves")])

table("SignatureSchemes", 4,
      "the IANA \"TLS SignatureScheme\" registry (tls-signaturescheme); the ranges it reserves for backward "
      "compatibility (TLS 1.2 hash/signature pairs such as 0x0202 dsa_sha1) are unnamed there and here",
      "signature schemes (signature_algorithms, CertificateVerify, ServerKeyExchange)",
      "{@code SignatureScheme} is a {@code uint16} (RFC 8446 §4.2.3)", "null",
      [(0x0201, "rsa_pkcs1_sha1"), (0x0203, "ecdsa_sha1"), (0x0401, "rsa_pkcs1_sha256"),
       (0x0403, "ecdsa_secp256r1_sha256"), (0x0420, "rsa_pkcs1_sha256_legacy"), (0x0501, "rsa_pkcs1_sha384"),
       (0x0503, "ecdsa_secp384r1_sha384"), (0x0520, "rsa_pkcs1_sha384_legacy"), (0x0601, "rsa_pkcs1_sha512"),
       (0x0603, "ecdsa_secp521r1_sha512"), (0x0620, "rsa_pkcs1_sha512_legacy"), (0x0704, "eccsi_sha256"),
       (0x0705, "iso_ibs1"), (0x0706, "iso_ibs2"), (0x0707, "iso_chinese_ibs"), (0x0708, "sm2sig_sm3"),
       (0x0709, "gostr34102012_256a"), (0x070A, "gostr34102012_256b"), (0x070B, "gostr34102012_256c"),
       (0x070C, "gostr34102012_256d"), (0x070D, "gostr34102012_512a"), (0x070E, "gostr34102012_512b"),
       (0x070F, "gostr34102012_512c"), (0x0804, "rsa_pss_rsae_sha256"), (0x0805, "rsa_pss_rsae_sha384"),
       (0x0806, "rsa_pss_rsae_sha512"), (0x0807, "ed25519"), (0x0808, "ed448"), (0x0809, "rsa_pss_pss_sha256"),
       (0x080A, "rsa_pss_pss_sha384"), (0x080B, "rsa_pss_pss_sha512"),
       (0x081A, "ecdsa_brainpoolP256r1tls13_sha256"), (0x081B, "ecdsa_brainpoolP384r1tls13_sha384"),
       (0x081C, "ecdsa_brainpoolP512r1tls13_sha512"), (0x0904, "mldsa44"), (0x0905, "mldsa65"),
       (0x0906, "mldsa87")])


def const_name(t, v, name):
    if t["const"] and v in t["const"]:
        return t["const"][v]
    return name.upper()

import textwrap

def wrap(text):
    return "\n * ".join(textwrap.wrap(text, 112, break_long_words=False, break_on_hyphens=False))

def render(t):
    w = t["width"]
    fmt = "0x%0" + str(w) + "X"
    rows = [(r[0], r[1], r[2] if len(r) > 2 else const_name(t, r[0], r[1])) for r in t["rows"]]
    consts = "\n".join("  /** %s: {@code %s}. */\n  public static final int %s = %s;" % (fmt % v, n, c, fmt % v)
                       for v, n, c in rows)
    cases = "\n".join("      case %s: return \"%s\";" % (fmt % v, n) for v, n, c in rows)
    maxv = "0xFF" if w == 2 else "0xFFFF"
    return f'''package dev.wirelens.tls;

/**
 * {wrap("Names of TLS " + t["summary"] + ": one {@code int} constant per registered value and {@link #nameOf(int)}.")}
 *
 * <p>{wrap("Wire format: " + t["wire"] + "; the value is read unsigned.")}
 *
 * <p>{wrap("Source: " + t["source"] + ". Generated by {@code scripts/tls-names/gen-small-tables.py}; tests compare the table with tshark's value strings and IANA CSV rows recorded in {@code tls/src/test/resources/names/}.")}
 *
 * <p>Unknown values: {{@link #nameOf(int)}} returns {{@code null}} (unknown numbers are values, not errors).
 *
 * <p>Lifetime: static lookups; nothing is borrowed or kept. Allocation: none; the lookup is a {{@code switch}}.
 * Thread safety: stateless, safe from any thread.
 *
 * <pre>{{@code
 * String name = {t["cls"]}.nameOf({fmt % rows[0][0]});   // "{rows[0][1]}"; null for a value without a name
 * }}</pre>
 */
public final class {t["cls"]} {{
  private {t["cls"]}() {{}}

{consts}

  /**
   * The registered name of a value.
   *
   * @param value the unsigned value, 0 to {maxv}
   * @return the name, or {{@code null}} when the value has none here
   */
  public static String nameOf(int value) {{
    switch (value) {{
{cases}
      default: return null;
    }}
  }}
}}
'''

for t in TABLES:
    names = [r[1] for r in t["rows"]]
    values = [r[0] for r in t["rows"]]
    assert len(set(names)) == len(names) and len(set(values)) == len(values), t["cls"]
    open("tls/src/main/java/dev/wirelens/tls/%s.java" % t["cls"], "w").write(render(t))
    print(t["cls"], len(t["rows"]))
