/**
 * Link-layer views: {@link dev.wirelens.link.EthernetFrame} with {@link dev.wirelens.link.VlanTag}, BSD loopback
 * ({@link dev.wirelens.link.LoopbackHeader}), Linux cooked capture ({@link dev.wirelens.link.LinuxSllHeader},
 * {@link dev.wirelens.link.LinuxSll2Header}), and the open number sets {@link dev.wirelens.link.LinkTypes} and
 * {@link dev.wirelens.link.EtherTypes}.
 *
 * <p>Every view is a reusable flyweight: {@code wrap(buf, offset, length)} validates once and borrows the buffer;
 * accessors read absolute positions and never throw. Views are not thread safe.
 */
package dev.wirelens.link;
