/**
 * {@link dev.wirelens.packet.PacketDissector}: decodes a captured frame from the link layer to the transport header
 * into preallocated views, without allocation, laxly (outer layers stay valid when an inner one fails).
 */
package dev.wirelens.packet;
