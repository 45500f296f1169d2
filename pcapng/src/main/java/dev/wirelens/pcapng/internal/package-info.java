/**
 * Internal: not exported; no compatibility promise. Byte accumulation and timestamp arithmetic shared by the pcap
 * and pcapng readers.
 */
package dev.wirelens.pcapng.internal;
