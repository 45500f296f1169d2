/**
 * The shared vocabulary of every Wirelens module: {@link dev.wirelens.DecodeStatus} (what a pull reader found),
 * {@link dev.wirelens.Malformation} with its {@link dev.wirelens.MalformationReport} (why a view or reader stopped,
 * truncation kept apart from invalid content), {@link dev.wirelens.Layer}, and {@link dev.wirelens.Limits} (every cap
 * on memory and work).
 *
 * <p>Contracts that every module keeps: malformed input is data, not an exception; {@code wrap} borrows, {@code
 * feed} transfers one reference, results are valid until the next call; every buffer is bounded by {@code Limits};
 * every component is single-threaded.
 */
package dev.wirelens;
