/**
 * Test kit shipped in the {@code wirelens-core} test-jar for every module's tests and the benchmarks:
 * {@link dev.wirelens.testkit.PacketBuilder} (frames with correct lengths and checksums),
 * {@link dev.wirelens.testkit.BufferShape} (the five buffer shapes), {@link dev.wirelens.testkit.Hex},
 * {@link dev.wirelens.testkit.Corpus}, {@link dev.wirelens.testkit.PcapFiles} / {@link dev.wirelens.testkit.PcapFrames}
 * (minimal classic pcap writing and reading, since core cannot use the pcapng module), the auto-registered
 * {@link dev.wirelens.testkit.LeakDetectionExtension}, and the helpers of the Jazzer fuzz targets (issue 8):
 * {@link dev.wirelens.testkit.CutPoints} (fuzz-chosen cut points), {@link dev.wirelens.testkit.ShortReadInputStream}
 * (short reads at those points), {@link dev.wirelens.testkit.EventDigest} (compare two runs) and
 * {@link dev.wirelens.testkit.ExactBuffer} (buffers that throw on any read outside the bytes given).
 *
 * <p>Internal: not exported; no compatibility promise.
 */
package dev.wirelens.testkit;
