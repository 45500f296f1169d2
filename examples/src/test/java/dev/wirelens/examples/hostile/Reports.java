package dev.wirelens.examples.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.examples.audit.ConnectionReport;
import dev.wirelens.tcp.Direction;
import dev.wirelens.tcp.TcpHandshake;

/** Test helper: what the report of {@link Wire#normal} must say. */
final class Reports {
  private Reports() {}

  /** The normal connection was processed completely and correctly: the hostile part before it did not spill over. */
  static void assertNormal(ConnectionReport r, String clientIp, int clientPort) {
    assertThat(r.client().ip()).isEqualTo(clientIp);
    assertThat(r.client().port()).isEqualTo(clientPort);
    assertThat(r.server().port()).isEqualTo(80);
    assertThat(r.handshake()).isEqualTo(TcpHandshake.COMPLETE);
    assertThat(r.close()).isEqualTo("fin");
    assertThat(r.closedBy()).isEqualTo(Direction.CLIENT_TO_SERVER);
    assertThat(r.packets(Direction.CLIENT_TO_SERVER)).isEqualTo(5);
    assertThat(r.packets(Direction.SERVER_TO_CLIENT)).isEqualTo(3);
    assertThat(r.bytes(Direction.CLIENT_TO_SERVER)).isEqualTo(100);
    assertThat(r.bytes(Direction.SERVER_TO_CLIENT)).isEqualTo(200);
    assertThat(r.gapCount(Direction.CLIENT_TO_SERVER) + r.gapCount(Direction.SERVER_TO_CLIENT)).isZero();
    assertThat(r.limits()).isEmpty();
  }
}
