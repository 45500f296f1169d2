package dev.wirelens.examples.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AuditOrder}: id order while it fits in its bound, out of order (and said so) beyond it. */
class AuditOrderTest {
  private final List<Long> printed = new ArrayList<>();
  private final List<Long> late = new ArrayList<>();

  private AuditOrder<Long> order(int max) {
    return new AuditOrder<>(max, printed::add, late::add);
  }

  private static Long report(long id) {
    return id;
  }

  @Test
  void reportsClosingInAnyOrderArePrintedInIdOrder() {
    AuditOrder<Long> o = order(10);
    o.finished(2, report(2));
    o.finished(1, report(1));
    assertThat(printed).isEmpty();
    o.finished(0, report(0));
    assertThat(printed).containsExactly(0L, 1L, 2L);
    assertThat(o.waiting()).isZero();
    assertThat(late).isEmpty();
  }

  @Test
  void filteredOutConnectionsNeitherPrintNorBlock() {
    AuditOrder<Long> o = order(10);
    o.finished(1, report(1));
    o.finished(0, null);
    assertThat(printed).containsExactly(1L);
  }

  @Test
  void aLongLivedLowIdIsGivenUpOnWhenTheBoundIsExceededAndPrintedWhenItCloses() {
    AuditOrder<Long> o = order(2);
    o.finished(1, report(1));
    o.finished(2, report(2));
    assertThat(printed).isEmpty();
    o.finished(3, report(3)); // three wait for 0: over the bound of 2
    assertThat(late).containsExactly(0L);
    assertThat(printed).containsExactly(1L, 2L, 3L);
    o.finished(5, report(5));
    assertThat(printed).containsExactly(1L, 2L, 3L); // 4 is still open, within the bound
    o.finished(0, report(0));
    assertThat(printed).containsExactly(1L, 2L, 3L, 0L);
    assertThat(o.printedLate()).isEqualTo(1);
    o.finished(4, report(4));
    assertThat(printed).containsExactly(1L, 2L, 3L, 0L, 4L, 5L);
    assertThat(o.waiting()).isZero();
  }

  @Test
  void aBoundOfZeroPrintsEachReportWhenItCloses() {
    AuditOrder<Long> o = order(0);
    o.finished(1, report(1));
    o.finished(0, report(0));
    assertThat(printed).containsExactly(1L, 0L);
    assertThat(late).containsExactly(0L);
  }
}
