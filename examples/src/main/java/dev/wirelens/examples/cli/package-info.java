/**
 * The {@code wirelens} command line ({@link dev.wirelens.examples.cli.Wirelens}): {@code packets} prints one
 * tshark-like line per packet of a capture file or of a live {@code tcpdump -U -w -} pipe; {@code flows} writes
 * each TCP connection's reassembled streams to files with an {@code index.json}.
 *
 * <p>Not published; no compatibility promise beyond the command line's own options and output.
 */
package dev.wirelens.examples.cli;
