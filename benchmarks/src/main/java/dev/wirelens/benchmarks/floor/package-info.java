/** The hand-written minimal walks that the library's paths are measured against. */
package dev.wirelens.benchmarks.floor;
