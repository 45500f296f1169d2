/**
 * Test kit shipped in the {@code wirelens-core} test-jar for every module's tests and the benchmarks:
 * {@link dev.wirelens.testkit.PacketBuilder} (frames with correct lengths and checksums),
 * {@link dev.wirelens.testkit.BufferShape} (the five buffer shapes), {@link dev.wirelens.testkit.Hex},
 * {@link dev.wirelens.testkit.Corpus}, {@link dev.wirelens.testkit.PcapFiles} / {@link dev.wirelens.testkit.PcapFrames}
 * (minimal classic pcap writing and reading, since core cannot use the pcapng module) and the auto-registered
 * {@link dev.wirelens.testkit.LeakDetectionExtension}.
 *
 * <p>Internal: not exported; no compatibility promise.
 */
package dev.wirelens.testkit;
