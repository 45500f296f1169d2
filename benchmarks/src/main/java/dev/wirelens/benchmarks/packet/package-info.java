/** Benchmarks of the packet dissector and views (module wirelens-core). */
package dev.wirelens.benchmarks.packet;
