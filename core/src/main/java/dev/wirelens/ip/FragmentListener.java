package dev.wirelens.ip;

/**
 * Receives the {@link FragmentEvent}s of an {@link IpDefragmenter} as they happen.
 *
 * <p>Lifetime: called synchronously from {@link IpDefragmenter#offer} and {@link IpDefragmenter#close()}.
 *
 * <p>Allocation: the defragmenter allocates nothing per call.
 *
 * <p>Thread safety: called on the thread that feeds the defragmenter.
 */
@FunctionalInterface
public interface FragmentListener {
  /** A listener that ignores every event. */
  FragmentListener NONE = (event, ipVersion, identification, fragmentOffset, timestampNanos) -> { };

  /**
   * One event about the datagram with {@code identification} (IPv4: 16 bits, IPv6: 32 bits, unsigned) of IP version
   * {@code ipVersion} (4 or 6); {@code fragmentOffset} is the byte offset of the fragment concerned, or -1 when the
   * event concerns the whole datagram; {@code timestampNanos} is the capture time of the packet being offered.
   */
  void onEvent(FragmentEvent event, int ipVersion, long identification, int fragmentOffset, long timestampNanos);
}
