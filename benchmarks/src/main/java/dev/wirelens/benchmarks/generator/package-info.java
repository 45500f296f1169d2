/**
 * The seeded synthetic capture the benchmarks read: a TLS-server-like mix of about 1,000 concurrent TCP flows,
 * 20% over IPv6, written as pcap and pcapng at benchmark time (never committed).
 */
package dev.wirelens.benchmarks.generator;
