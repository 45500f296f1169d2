/**
 * JMH benchmarks of Wirelens' hot paths, each beside the hand-written floor and the peer libraries on the same
 * input. Packages mirror the API; one {@code <Subject>Benchmark} per subject, each with a {@code main()}.
 * Not published; no compatibility promise.
 */
package dev.wirelens.benchmarks;
