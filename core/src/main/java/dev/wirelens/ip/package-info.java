/**
 * Network-layer views: {@link dev.wirelens.ip.Ipv4Packet}, {@link dev.wirelens.ip.Ipv6Packet} with
 * {@link dev.wirelens.ip.Ipv6ExtensionCursor}, and the open number set {@link dev.wirelens.ip.IpProtocols}.
 *
 * <p>Views are reusable flyweights: {@code wrap(buf, offset, length)} validates every structural length once and
 * borrows the buffer; accessors never throw. A datagram cut short by the snaplen keeps a valid header and reports
 * {@code isTruncated()}. Views are not thread safe.
 */
package dev.wirelens.ip;
