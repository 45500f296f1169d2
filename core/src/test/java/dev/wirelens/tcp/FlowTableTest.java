package dev.wirelens.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Limits;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The flow table against a {@link HashMap} as the oracle: random adds and removes, with slot hashes the test chooses
 * from a small set (so that runs collide, grow, and wrap around the end of the array), leave every key findable
 * exactly when the map holds it, after every step.
 */
class FlowTableTest {
  private static final TcpReassembler OWNER = new TcpReassembler(Limits.defaults(), new TcpStreamListener() { });

  private static TcpConnection connection(int n) {
    FlowKey key = new FlowKey().setIpv4(0x0a000001, 0x0a000002 + n, 6, 40000 + n, 443);
    TcpConnection c = new TcpConnection(n, key, OWNER, k -> new TcpStreamListener() { }, 0);
    c.tableKey = key;
    return c;
  }

  @Property(tries = 200, seed = "20261128")
  void everyKeyIsFoundExactlyWhileItIsInTheTable(@ForAll @IntRange(min = 1, max = 300) int keys,
      @ForAll @IntRange(min = 1, max = 40) int distinctHashes, @ForAll long seed) {
    Random random = new Random(seed);
    TcpConnection[] all = new TcpConnection[keys];
    int[] hashes = new int[keys];
    for (int i = 0; i < keys; i++) {
      all[i] = connection(i);
      // high and low values: home slots at both ends of the array, so runs wrap around
      hashes[i] = random.nextBoolean() ? random.nextInt(distinctHashes) : -1 - random.nextInt(distinctHashes);
    }
    FlowTable table = new FlowTable();
    Map<Integer, TcpConnection> oracle = new HashMap<>();
    for (int step = 0; step < keys * 6; step++) {
      int i = random.nextInt(keys);
      if (oracle.containsKey(i)) {
        table.remove(all[i]);
        oracle.remove(i);
      } else {
        table.add(all[i], hashes[i]);
        oracle.put(i, all[i]);
      }
      assertThat(table.size()).isEqualTo(oracle.size());
      for (int k = 0; k < keys; k++) {
        assertThat(table.get(all[k].tableKey.copy(), hashes[k])).isSameAs(oracle.get(k));
      }
    }
  }

  @Test
  void removingAConnectionNotInTheTableChangesNothing() {
    FlowTable table = new FlowTable();
    TcpConnection in = connection(1);
    TcpConnection out = connection(2);
    table.add(in, 5);
    out.tableHash = 5;
    table.remove(out);
    assertThat(table.size()).isEqualTo(1);
    assertThat(table.get(in.tableKey, 5)).isSameAs(in);
    table.clear();
    assertThat(table.size()).isZero();
    assertThat(table.get(in.tableKey, 5)).isNull();
  }
}
