package dev.wirelens.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlowKeyTest {
  @Test
  void toStringNamesEndpointsAndProtocol() {
    FlowKey k = new FlowKey().setIpv4(0x0a000001, 0x0a000002, 6, 51234, 8084);
    assertThat(k.toString()).isEqualTo("10.0.0.1:51234 -> 10.0.0.2:8084 TCP");
    FlowKey v6 = new FlowKey().setIpv6(0x20010db800000000L, 1, 0x20010db800000000L, 2, 17, 53, 5353);
    assertThat(v6.toString()).isEqualTo("[2001:db8::1]:53 -> [2001:db8::2]:5353 UDP");
    FlowKey icmp = new FlowKey().setIpv4(0x7f000001, 0x7f000001, 1, 0, 0);
    assertThat(icmp.toString()).isEqualTo("127.0.0.1 -> 127.0.0.1 ICMP");
    assertThat(new FlowKey().toString()).isEqualTo("FlowKey{empty}");
  }

  @Test
  void bothDirectionsAreOneConnection() {
    FlowKey a = new FlowKey().setIpv4(0x0a000001, 0x0a000002, 6, 51234, 8084);
    FlowKey b = new FlowKey().setIpv4(0x0a000002, 0x0a000001, 6, 8084, 51234);
    assertThat(a).isNotEqualTo(b);
    assertThat(a.sameConnection(b)).isTrue();
    assertThat(a.connectionHashCode()).isEqualTo(b.connectionHashCode());
    FlowKey ca = a.copy();
    FlowKey cb = b.copy();
    boolean swappedA = ca.canonicalize();
    boolean swappedB = cb.canonicalize();
    assertThat(swappedA).isNotEqualTo(swappedB);
    assertThat(ca).isEqualTo(cb);
    assertThat(ca.hashCode()).isEqualTo(cb.hashCode());
    assertThat(ca.isCanonical()).isTrue();
    // different protocol or port: another connection
    assertThat(a.sameConnection(new FlowKey().setIpv4(0x0a000002, 0x0a000001, 17, 8084, 51234))).isFalse();
    assertThat(a.sameConnection(new FlowKey().setIpv4(0x0a000002, 0x0a000001, 6, 8085, 51234))).isFalse();
  }

  @Test
  void directionIsOneForTheSameKeyMinusOneForItsReverseAndZeroForAnyOtherConnection() {
    FlowKey k = new FlowKey().setIpv4(0x0a000001, 0x0a000002, 6, 51234, 8084);
    assertThat(k.direction(new FlowKey().setIpv4(0x0a000001, 0x0a000002, 6, 51234, 8084))).isEqualTo(1);
    assertThat(k.direction(new FlowKey().setIpv4(0x0a000002, 0x0a000001, 6, 8084, 51234))).isEqualTo(-1);
    assertThat(k.direction(new FlowKey().setIpv4(0x0a000002, 0x0a000001, 6, 51234, 8084))).isZero(); // ports kept
    assertThat(k.direction(new FlowKey().setIpv4(0x0a000001, 0x0a000002, 17, 51234, 8084))).isZero(); // UDP
    assertThat(k.direction(new FlowKey().setIpv4(0x0a000001, 0x0a000003, 6, 51234, 8084))).isZero();
    // the same low bits over IPv6: the version and the high halves count
    FlowKey v6 = new FlowKey().setIpv6(0, 0x0a000001, 0, 0x0a000002, 6, 51234, 8084);
    assertThat(k.direction(v6)).isZero();
    FlowKey high = new FlowKey().setIpv6(0x20010db800000000L, 1, 0x20010db800000000L, 2, 6, 51234, 8084);
    assertThat(high.direction(new FlowKey().setIpv6(0x20010db800000000L, 2, 0x20010db800000000L, 1, 6, 8084, 51234)))
        .isEqualTo(-1);
    assertThat(high.direction(new FlowKey().setIpv6(0x20010db900000000L, 2, 0x20010db800000000L, 1, 6, 8084, 51234)))
        .isZero();
    // a connection from an endpoint to itself is its own reverse: the same key
    FlowKey self = new FlowKey().setIpv4(0x7f000001, 0x7f000001, 6, 5000, 5000);
    assertThat(self.direction(self.copy().reverse())).isEqualTo(1);
  }

  @Test
  void canonicalOrderComparesAddressesUnsigned() {
    // 200.0.0.1 is above 10.0.0.1 although its int bits are negative
    FlowKey k = new FlowKey().setIpv4(0xc8000001, 0x0a000001, 6, 1, 2);
    assertThat(k.isCanonical()).isFalse();
    assertThat(k.canonicalize()).isTrue();
    assertThat(k.sourceIpv4()).isEqualTo(0x0a000001);
    assertThat(k.sourcePort()).isEqualTo(2);
    // equal addresses: ports decide
    FlowKey same = new FlowKey().setIpv6(0, 1, 0, 1, 6, 9, 3);
    assertThat(same.isCanonical()).isFalse();
    same.reverse();
    assertThat(same.isCanonical()).isTrue();
  }

  @Test
  void copyIsAStableMapKeyWhileTheProbeIsReused() {
    Map<FlowKey, Integer> flows = new HashMap<>();
    FlowKey probe = new FlowKey();
    probe.setIpv4(1, 2, 6, 3, 4);
    flows.put(probe.copy(), 7);
    probe.setIpv4(5, 6, 6, 7, 8);
    flows.put(probe.copy(), 9);
    probe.setIpv4(1, 2, 6, 3, 4);
    assertThat(flows.get(probe)).isEqualTo(7);
    probe.clear();
    assertThat(probe.ipVersion()).isZero();
    assertThat(new FlowKey().copyFrom(new FlowKey().setIpv4(1, 2, 6, 3, 4))).isEqualTo(new FlowKey().setIpv4(1, 2, 6, 3, 4));
  }

  @Test
  void ipv4AndIpv6KeysNeverCollide() {
    FlowKey v4 = new FlowKey().setIpv4(1, 2, 6, 3, 4);
    FlowKey v6 = new FlowKey().setIpv6(0, 1, 0, 2, 6, 3, 4);
    assertThat(v4).isNotEqualTo(v6);
    assertThat(v4.sameConnection(v6)).isFalse();
  }
}
