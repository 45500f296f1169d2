/**
 * The ICMP and ICMPv6 view {@link dev.wirelens.icmp.IcmpMessage}: a reusable flyweight that borrows the buffer it
 * wraps; not thread safe.
 */
package dev.wirelens.icmp;
