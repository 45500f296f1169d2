/**
 * The UDP view {@link dev.wirelens.udp.UdpDatagram}: a reusable flyweight that borrows the buffer it wraps; not
 * thread safe.
 */
package dev.wirelens.udp;
