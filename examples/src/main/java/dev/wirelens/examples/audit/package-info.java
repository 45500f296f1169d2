/**
 * The audit as a library: one call that reads a capture (file, live pipe, or bytes a test recorded) through the
 * whole pipeline (capture reader, packet dissector, TCP reassembler, TLS with optional keys, HTTP Upgrade,
 * WebSocket) and yields one {@link dev.wirelens.examples.audit.ConnectionReport} per TCP connection with the facts
 * of design.md and a {@link dev.wirelens.examples.audit.Verdict} from an
 * {@link dev.wirelens.examples.audit.AuditPolicy}. The {@code wirelens audit} command is a thin layer over it.
 *
 * <pre>{@code
 * List<ConnectionReport> reports = Audit.builder().keys(KeyLog.read(keys, Limits.defaults())).build().run(capture);
 * assertThat(reports.get(0).tls().versionName()).isEqualTo("TLSv1.3");
 * }</pre>
 */
package dev.wirelens.examples.audit;
