/**
 * Reading and writing captures: classic pcap and pcapng (draft-ietf-opsawg-pcap, draft-ietf-opsawg-pcapng).
 *
 * <p>{@link dev.wirelens.pcapng.CaptureReader} is the front door: it detects the format (pcap, pcapng, either
 * gzip-compressed) and yields frames. {@link dev.wirelens.pcapng.PcapngReader} and
 * {@link dev.wirelens.pcapng.PcapReader} are the block- and record-level pull readers under it, with flyweight
 * block views ({@link dev.wirelens.pcapng.EnhancedPacketBlock}, ...) and an option cursor.
 * {@link dev.wirelens.pcapng.PcapWriter} and {@link dev.wirelens.pcapng.PcapngWriter} write captures.
 */
package dev.wirelens.pcapng;
