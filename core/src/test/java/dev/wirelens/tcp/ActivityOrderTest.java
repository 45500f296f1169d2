package dev.wirelens.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Limits;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The activity order against a {@link LinkedHashSet} as the oracle (remove and re-add = move to the end): random adds,
 * touches and removes, enough of them to squeeze and double the log many times, leave the listed connections in the
 * oracle's order; the mark keeps exactly the connections at or before it that were neither touched nor removed since.
 */
class ActivityOrderTest {
  private static final TcpReassembler OWNER = new TcpReassembler(Limits.defaults(), new TcpStreamListener() { });

  private static List<TcpConnection> listed(ActivityOrder order) {
    List<TcpConnection> out = new ArrayList<>();
    for (long at = order.start(); at < order.end(); at++) {
      if (order.at(at) != null) {
        out.add(order.at(at));
      }
    }
    return out;
  }

  private static List<TcpConnection> upToMark(ActivityOrder order) {
    List<TcpConnection> out = new ArrayList<>();
    for (long at = order.start(); at <= order.mark(); at++) {
      if (order.at(at) != null) {
        out.add(order.at(at));
      }
    }
    return out;
  }

  @Property(tries = 100, seed = "20261128")
  void listedConnectionsStayInOrderOfTheirLastActivity(@ForAll @IntRange(min = 1, max = 200) int connections,
      @ForAll long seed) {
    Random random = new Random(seed);
    TcpConnection[] all = new TcpConnection[connections];
    for (int i = 0; i < connections; i++) {
      all[i] = new TcpConnection(i, new FlowKey().setIpv4(1, 2 + i, 6, 1000 + i, 443), OWNER,
          k -> new TcpStreamListener() { }, 0);
    }
    ActivityOrder order = new ActivityOrder();
    Set<TcpConnection> oracle = new LinkedHashSet<>();
    List<TcpConnection> marked = new ArrayList<>();
    for (int step = 0; step < connections * 20; step++) {
      TcpConnection c = all[random.nextInt(connections)];
      int what = random.nextInt(10);
      if (!oracle.contains(c)) {
        order.add(c);
        oracle.add(c);
      } else if (what == 0) {
        order.remove(c);
        oracle.remove(c);
        marked.remove(c);
        assertThat(c.activityPosition).isEqualTo(-1);
      } else {
        order.touch(c);
        oracle.remove(c);
        oracle.add(c);
        marked.remove(c);
      }
      if (random.nextInt(50) == 0) { // mark the current first half
        List<TcpConnection> now = listed(order);
        int k = now.size() / 2;
        marked = new ArrayList<>(now.subList(0, k));
        order.mark(k == 0 ? -1 : now.get(k - 1).activityPosition);
      }
      if (random.nextInt(30) == 0) {
        TcpConnection first = order.first();
        assertThat(first).isSameAs(oracle.isEmpty() ? null : oracle.iterator().next());
      }
      assertThat(order.size()).isEqualTo(oracle.size());
      assertThat(listed(order)).containsExactlyElementsOf(oracle);
      assertThat(upToMark(order)).containsExactlyElementsOf(marked);
    }
    order.clear();
    assertThat(order.first()).isNull();
    assertThat(order.mark()).isEqualTo(-1);
  }
}
