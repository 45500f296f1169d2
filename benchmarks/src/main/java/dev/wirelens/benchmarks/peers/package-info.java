/** The peer libraries' paths (pcap4j 1.8.2, pkts 3.0.18) over the same input, for the benchmarks to compare. */
package dev.wirelens.benchmarks.peers;
