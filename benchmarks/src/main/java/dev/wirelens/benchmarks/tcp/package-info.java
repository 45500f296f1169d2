/** TCP reassembly benchmarks: whole captures in order and impaired, and flow-table lookups. */
package dev.wirelens.benchmarks.tcp;
