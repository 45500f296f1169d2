package dev.wirelens.ip;

/**
 * Something {@link IpDefragmenter} reports about IP fragments: a fragment or datagram it dropped, or an overlap whose
 * bytes disagree. Each kind has a counter ({@link IpDefragmenter#count(FragmentEvent)}) and is passed to the
 * {@link FragmentListener}. The events of a cap name exactly one {@code Limits} accessor, so that a caller can say which
 * setting to raise: {@link #DATAGRAM_LIMIT} and {@link #TOTAL_BUFFER_LIMIT}.
 *
 * <p>Thread safety: immutable.
 */
public enum FragmentEvent {
  /**
   * A fragment overlaps bytes already held and at least one overlapping byte differs. The bytes received first are
   * kept (first write wins); the differing bytes of the later fragment are discarded. This is how the overlapping
   * fragment attack of RFC 1858 §4 and RFC 3128 shows: it is reported, never obeyed.
   */
  OVERLAP_CONFLICT,
  /**
   * A first fragment (offset 0) too short to hold the transport header it announces (TCP: 20 bytes, UDP: 8 bytes;
   * RFC 1858 §3, RFC 8200 §4.5 "the first fragment ... must include the upper-layer header"). The datagram is still
   * reassembled (first bytes win), the event only says that a filter looking at fragments alone could be fooled.
   */
  TINY_FIRST_FRAGMENT,
  /**
   * A fragment that cannot be part of any datagram: a non-last fragment whose length is not a multiple of 8 (RFC 8200
   * §4.5, RFC 791), a fragment reaching past 65,535 bytes, a fragment past an already seen last fragment, a second
   * last fragment with a different end, or a fragment whose bytes are cut by the capture (snaplen). It is dropped.
   */
  INVALID_FRAGMENT,
  /**
   * A datagram in progress dropped because its first fragment is older than the reassembly timeout in capture time
   * (like Linux {@code ipfrag_time}, RFC 8200 §4.5 "60 seconds").
   */
  TIMED_OUT,
  /**
   * A datagram in progress dropped, the oldest first, because a new datagram would exceed
   * {@code Limits.maxFragmentedDatagrams()} datagrams in progress.
   */
  DATAGRAM_LIMIT,
  /**
   * A datagram in progress dropped because the fragment bytes held would exceed {@code Limits.maxBufferedBytesTotal()}:
   * the oldest other datagrams first, then, when they do not make room enough, the datagram the fragment belongs to.
   */
  TOTAL_BUFFER_LIMIT,
  /** Datagrams still incomplete when {@link IpDefragmenter#close()} was called (the end of the input). */
  INCOMPLETE_AT_END
}
