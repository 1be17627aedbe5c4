package dev.newstape.flink.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ImpactStatsTest {
  static Stream<Arguments> quartileCases() {
    // values, q1, median, q3 — the numbers PostgreSQL's percentile_cont gives for the same values
    return Stream.of(
        Arguments.of(new Double[] {5.0}, 5.0, 5.0, 5.0),
        Arguments.of(new Double[] {1.0, 2.0}, 1.25, 1.5, 1.75),
        Arguments.of(new Double[] {4.0, 1.0, 3.0, 2.0}, 1.75, 2.5, 3.25),
        Arguments.of(new Double[] {1.0, 2.0, 3.0, 4.0, 5.0}, 2.0, 3.0, 4.0),
        Arguments.of(new Double[] {-0.01, null, 0.03, Double.NaN, 0.01}, 0.0, 0.01, 0.02),
        Arguments.of(new Double[] {7.0, 7.0, 7.0}, 7.0, 7.0, 7.0));
  }

  @ParameterizedTest
  @MethodSource("quartileCases")
  void quartilesInterpolateLikePercentileCont(Double[] values, double q1, double median, double q3) {
    ImpactStats.Quartiles q = ImpactStats.quartiles(Arrays.asList(values));
    assertEquals(q1, q.q1(), 1e-15);
    assertEquals(median, q.median(), 1e-15);
    assertEquals(q3, q.q3(), 1e-15);
    assertEquals(Arrays.stream(values).filter(v -> v != null && !v.isNaN()).count(), q.n());
  }

  @Test
  void noKnownValueGivesNullQuartiles() {
    ImpactStats.Quartiles q = ImpactStats.quartiles(Arrays.asList(null, null));
    assertEquals(0, q.n());
    assertNull(q.q1());
    assertNull(q.median());
    assertNull(q.q3());
  }

  static ImpactPoint p(String id, long asOf, boolean fin, Double r5, String signal) {
    return new ImpactPoint(id, "AAPL", 1000, asOf, fin, 0.001, r5, null, signal);
  }

  @Test
  void summaryCountsFinalRowsAndSignals() {
    ImpactStats.SymbolHistory h = ImpactStats.summarize("AAPL", List.of(
        p("a", 10, true, 0.01, "up"), p("b", 10, true, -0.02, "down"), p("c", 10, true, 0.0, "none"),
        p("d", 5, false, 0.5, "up")));
    assertEquals(3, h.headlines);
    assertEquals(2, h.signals);
    assertEquals(2.0 / 3, h.signalShare, 1e-15);
    assertEquals(3, h.ret5N);
    assertEquals(0.0, h.ret5Median, 1e-15);
    assertEquals(0, h.ret15N);
    assertNull(h.ret15Median);
    assertNull(ImpactStats.summarize("AAPL", List.of(p("d", 5, false, 0.5, "up"))), "nothing final: no history");
  }

  @Test
  void betterPrefersFinalThenLatest() {
    ImpactPoint early = p("a", 5, false, 0.1, "up");
    ImpactPoint fin = p("a", 15, true, 0.2, "none");
    ImpactPoint later = p("a", 16, true, 0.3, "none");
    assertSame(fin, ImpactStats.better(fin, early));
    assertSame(fin, ImpactStats.better(early, fin));
    assertSame(later, ImpactStats.better(fin, later));
    assertSame(early, ImpactStats.better(null, early));
  }
}
