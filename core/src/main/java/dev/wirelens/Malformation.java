package dev.wirelens;

/**
 * Why a view's {@code wrap} returned {@code false} or a reader returned {@link DecodeStatus#MALFORMED}.
 *
 * <p>Truncation (the bytes end before a length says they should: a snaplen, a short file) is kept apart from invalid
 * content (a length field that cannot be right, a wrong version). Semantic oddities (unknown type numbers, reserved
 * values) are not malformations: they are reported as values. A malformation is always accompanied by the layer it
 * occurred at and the absolute offset of the offending field; for {@link #TRUNCATED} also by the required and the
 * available length and by the {@link LengthSource} of the requirement.
 *
 * <p>Thread safety: immutable.
 */
public enum Malformation {
  /** No malformation: the last {@code wrap} or {@code next()} succeeded. */
  NONE,
  /**
   * The bytes end before the length the format requires: fewer than a fixed header, or fewer than a length field
   * announces (pcap {@code incl_len}, RFC 791 total length, RFC 8200 payload length, RFC 768 UDP length).
   */
  TRUNCATED,
  /**
   * A length field is impossible on its own terms: an IPv4 IHL below 5 (RFC 791 §3.1), a TCP data offset below 5
   * (RFC 9293 §3.1), an IPv4 total length below the header length, a UDP length below 8 (RFC 768), a pcapng block
   * total length below 12 or not a multiple of 4 (RFC-draft pcapng §3.1), a trailing block length that differs from
   * the leading one, an option that runs past its container.
   */
  BAD_LENGTH_FIELD,
  /**
   * A version field holds a value that this layer cannot be: IPv4 version not 4, IPv6 version not 6, a TLS record
   * header whose legacy_record_version does not start with 3 (RFC 8446 section 5.1).
   */
  BAD_VERSION,
  /** A length encoded in more bytes than needed (RFC 6455 §5.2: "the minimal number of bytes MUST be used"). */
  NON_MINIMAL_LENGTH,
  /** Bits that the specification reserves as zero are set, where that makes the unit unusable. */
  RESERVED_BITS_SET,
  /** A magic number or signature does not match any known format (pcap, pcapng, gzip). */
  BAD_MAGIC,
  /**
   * A size exceeds a cap of {@link Limits}: reported so that memory stays bounded, the input itself may be valid.
   */
  LIMIT_EXCEEDED,
  /**
   * A reference to something that does not exist: a pcapng packet block naming an interface id that no Interface
   * Description Block of its section declared (pcapng §4.3), a block before the first Section Header Block.
   */
  BAD_REFERENCE
}
