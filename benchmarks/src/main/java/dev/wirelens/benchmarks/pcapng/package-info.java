/** Benchmarks of the capture readers (module wirelens-pcapng). */
package dev.wirelens.benchmarks.pcapng;
