/**
 * Short recipes, one task per file, each a {@code main} run by a test against the sample captures in
 * {@code src/main/resources/captures} (OkHttp's recipes style): {@link dev.wirelens.examples.recipes.AuditCapture}
 * (audit a capture and print the verdict), {@link dev.wirelens.examples.recipes.AssertTls13} (the assertion a unit
 * test makes), {@link dev.wirelens.examples.recipes.ListDecryptedWebSocketMessages} (the layers without the audit:
 * TCP, TLS with a key log, WebSocket messages) and {@link dev.wirelens.examples.recipes.WriteFlows} (each
 * connection's reassembled bytes to files).
 */
package dev.wirelens.examples.recipes;
