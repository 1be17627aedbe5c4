package dev.newstape.flink.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The rules of docs/impact-v2.md one by one, with numbers worked out by hand from the document. */
class ImpactV2Test {
  static final long MIN = 60_000;

  /** Epoch ms of an ET wall-clock time, e.g. et("2026-12-07T10:00:00"). */
  static long et(String local) {
    return LocalDateTime.parse(local).atZone(Eastern.NY).toInstant().toEpochMilli();
  }

  static V2.Print live(String s, long ts, double price, long seq, int... cond) {
    return new V2.Print(s, ts, price, 100, cond, seq, "live");
  }

  static Stream<Arguments> words() {
    return Stream.of(
        Arguments.of("Apple beats estimates", Set.of("apple", "beats", "estimates")),
        Arguments.of("ＡＰＰＬＥ ｂｅａｔｓ", Set.of("apple", "beats")), // NFKC folds full-width forms
        Arguments.of("Q3: EPS $1.25 (vs. 1.10)", Set.of("q3", "eps", "1", "25", "vs", "10")),
        Arguments.of("Straße—München", Set.of("straße", "münchen")),
        Arguments.of("٣ مليار", Set.of("٣", "مليار")), // Arabic-Indic digit is Nd
        Arguments.of("ⅻ…", Set.of("xii")), // NFKC: roman numeral twelve becomes letters
        Arguments.of("— !!", Set.of()));
  }

  @ParameterizedTest
  @MethodSource
  void words(String title, Set<String> expected) {
    assertEquals(expected, Words.of(title));
  }

  static Stream<Arguments> similarity() {
    return Stream.of(
        Arguments.of("a b c d e", "a b c f g", false), // 3/7
        Arguments.of("a b c", "a b c d e", true), // 3/5 = 0.6 exactly
        Arguments.of("a b c d", "a b c d e f g", false), // 4/7
        Arguments.of("", "", false), // two empty sets are not similar
        Arguments.of("Apple Beats", "APPLE beats", true));
  }

  @ParameterizedTest
  @MethodSource
  void similarity(String a, String b, boolean expected) {
    assertEquals(expected, Words.similar(Words.of(a), Words.of(b)));
  }

  static Stream<Arguments> eligibility() {
    return Stream.of(
        Arguments.of("10:00:00", new int[] {}, true, true),
        Arguments.of("10:00:00", new int[] {12}, true, true), // Form T alone is eligible
        Arguments.of("10:00:00", new int[] {12, 37}, false, true), // odd-lot Form T is not
        Arguments.of("10:00:00", new int[] {13}, false, true), // out of sequence
        Arguments.of("10:00:00", new int[] {32}, false, true),
        Arguments.of("03:59:59", new int[] {}, false, true), // no session: volume only
        Arguments.of("04:00:00", new int[] {12}, true, true), // pre-market opens
        Arguments.of("19:59:59", new int[] {12}, true, true),
        Arguments.of("20:00:00", new int[] {12}, false, true));
  }

  @ParameterizedTest
  @MethodSource
  void eligibility(String time, int[] cond, boolean eligible, boolean counts) {
    Market m = new Market(V2.Settings.DEFAULT);
    int r = m.add(live("AAPL", et("2026-12-07T" + time), 100, 1, cond));
    assertEquals(eligible, (r & 1) != 0, "eligible");
    assertEquals(counts, (r & 2) != 0, "volume");
  }

  @Test
  void duplicatesCountOnceAndInvalidPrintsNotAtAll() {
    Market m = new Market(V2.Settings.DEFAULT);
    long t = et("2026-12-07T10:00:00");
    assertEquals(3, m.add(live("AAPL", t, 100, 7)));
    assertEquals(0, m.add(live("AAPL", t, 100, 7)), "same seq, same day: dropped");
    assertEquals(3, m.add(live("MSFT", t, 100, 7)), "other symbol");
    assertEquals(3, m.add(live("AAPL", t + 86_400_000L, 100, 7)), "next trading day");
    assertEquals(0, m.add(live("AAPL", t, Double.NaN, 8)));
    assertEquals(0, m.add(new V2.Print("AAPL", t, 100, 0, new int[0], 9L, "live")));
    assertEquals(100, m.volumeIn("AAPL", t, t + 1), 0);
    assertEquals(1, m.eligible("AAPL").countIn(t - 1, t));
  }

  static Stream<Arguments> coverage() {
    // spans (from, to pairs), then the asked [a, b]
    return Stream.of(
        Arguments.of(new long[] {0, 100}, 0L, 100L, true),
        Arguments.of(new long[] {0, 100}, 0L, 101L, false),
        Arguments.of(new long[] {0, 100, 101, 200}, 50L, 150L, true), // 1 ms apart: one stretch
        Arguments.of(new long[] {0, 100, 102, 200}, 50L, 150L, false), // a 1-ms hole
        Arguments.of(new long[] {101, 200, 0, 100}, 0L, 200L, true), // any order
        Arguments.of(new long[] {0, 150, 100, 120, 140, 300}, 10L, 290L, true)); // overlapping and nested
  }

  @ParameterizedTest
  @MethodSource
  void coverage(long[] spans, long a, long b, boolean covered) {
    Market m = new Market(V2.Settings.DEFAULT);
    for (int i = 0; i < spans.length; i += 2) m.addCoverage("AAPL", new V2.Span(spans[i], spans[i + 1], "live"));
    assertEquals(covered, m.covered("AAPL", a, b));
    assertFalse(m.covered("MSFT", a, b));
  }

  static Stream<Arguments> prices() {
    // prints at offsets (ms) with prices; asked at offset q
    return Stream.of(
        Arguments.of(new long[] {0}, new double[] {10}, 0L, 10.0),
        Arguments.of(new long[] {0}, new double[] {10}, -1L, null),
        Arguments.of(new long[] {0, 500}, new double[] {10, 11}, 1000L, 11.0), // two: the last
        Arguments.of(new long[] {0, 500, 900}, new double[] {12, 10, 11}, 1000L, 11.0), // median of 3
        Arguments.of(new long[] {0, 100, 200, 300}, new double[] {1, 4, 2, 3}, 300L, 2.5), // even: mean of middle
        Arguments.of(new long[] {0, 500, 900}, new double[] {12, 10, 11}, 2000L, 11.0), // 0 left the window (t−2000, t]
        Arguments.of(new long[] {0, 500, 900}, new double[] {12, 10, 11}, 1999L, 11.0));
  }

  @ParameterizedTest
  @MethodSource
  void prices(long[] at, double[] px, long q, Double expected) {
    Market m = new Market(V2.Settings.DEFAULT);
    long base = et("2026-12-07T10:00:00");
    for (int i = 0; i < at.length; i++) m.add(live("AAPL", base + at[i], px[i], i + 1));
    assertEquals(expected, m.price("AAPL", base + q));
  }

  /** Regular-session bars of day {@code d} from 10:00 whose successive log returns are {@code r}. */
  static List<V2.MinuteBar> barsWithReturns(String s, String day, double[] r) {
    List<V2.MinuteBar> out = new ArrayList<>();
    long t = et(day + "T10:00:00");
    double c = 100;
    out.add(new V2.MinuteBar(s, t, c, 1000));
    for (int i = 0; i < r.length; i++) {
      c *= Math.exp(r[i]);
      out.add(new V2.MinuteBar(s, t + (i + 1) * MIN, c, 1000));
    }
    return out;
  }

  static Stream<Arguments> betas() {
    double[] x = {0.001, -0.001, 0.001, -0.001};
    double[] e = {0.001, 0.001, -0.001, -0.001};
    double[] y = new double[4], fit = new double[4], five = new double[4];
    for (int i = 0; i < 4; i++) {
      y[i] = 2 * x[i] + e[i];
      fit[i] = 2 * x[i];
      five[i] = 5 * x[i];
    }
    // y on x: beta-hat 2, residuals e, s² = 4e-6/2, se² = s²/Sxx = 2e-6/4e-6 = 0.5, w = 0.5: (0.5·2 + 1)/1.5
    return Stream.of(
        Arguments.of(x, y, (0.5 * 2 + 1) / 1.5),
        Arguments.of(x, fit, 2.0), // exact fit: as measured
        Arguments.of(x, five, 3.0), // clamped
        Arguments.of(new double[] {0.001, -0.001}, new double[] {0.002, -0.002}, 1.0)); // n < 3
  }

  @ParameterizedTest
  @MethodSource
  void betas(double[] market, double[] stock, double expected) {
    Market m = new Market(V2.Settings.DEFAULT);
    barsWithReturns("SPY", "2026-12-04", market).forEach(m::addMinuteBar);
    barsWithReturns("AAPL", "2026-12-04", stock).forEach(m::addMinuteBar);
    assertEquals(expected, m.beta("AAPL", Eastern.day(et("2026-12-07T10:00:00"))), 1e-6);
    assertEquals(1.0, m.beta("SPY", Eastern.day(et("2026-12-07T10:00:00"))), "the proxy against itself");
    assertEquals(1.0, m.beta("AAPL", Eastern.day(et("2026-12-04T10:00:00"))), "only days before the reference day");
  }

  @Test
  void sigmaFloorFromThePreviousSessionAndTheCentTerm() {
    Market m = new Market(V2.Settings.DEFAULT);
    double[] r = new double[12];
    for (int i = 0; i < r.length; i++) r[i] = (i % 2 == 0 ? 1 : -1) * 0.002 * (1 + i % 3);
    barsWithReturns("AAPL", "2026-12-04", r).forEach(m::addMinuteBar);
    double[] abs = new double[r.length];
    for (int i = 0; i < r.length; i++) abs[i] = Math.abs(r[i]);
    java.util.Arrays.sort(abs);
    double med = (abs[5] + abs[6]) / 2;
    double mean = java.util.Arrays.stream(r).average().orElseThrow();
    double var = java.util.Arrays.stream(r).map(v -> (v - mean) * (v - mean)).sum() / (r.length - 1);
    double floor = Math.max(1.4826 * med, 0.5 * Math.sqrt(var));
    long t = et("2026-12-07T10:00:00");
    Double[] sig = m.sigma("AAPL", t);
    assertNull(sig[1], "no coverage: no realised");
    assertEquals(floor, sig[2], 1e-12);
    assertEquals(floor, sig[0], 1e-12, "no price: no cent term");
    m.add(live("AAPL", t - 1000, 0.5, 1)); // a cent is 2 % of this price
    assertEquals(0.02, m.sigma("AAPL", t)[0], 1e-12);
    Market none = new Market(V2.Settings.DEFAULT);
    none.add(live("AAPL", t - 1000, 100, 1));
    assertNull(none.sigma("AAPL", t)[0], "neither realised nor floor: null, even with a price");
  }

  @Test
  void realisedSigmaNeedsTenCoveredMinutesInsideTheSession() {
    Market m = new Market(V2.Settings.DEFAULT);
    long open = et("2026-12-07T09:30:00");
    m.addCoverage("AAPL", new V2.Span(et("2026-12-07T09:00:00"), et("2026-12-07T11:00:00"), "live"));
    // one print per minute, alternating 100 / 101
    for (int i = -30; i <= 30; i++) m.add(live("AAPL", open + i * MIN, i % 2 == 0 ? 100 : 101, i + 100));
    double step = Math.log(101.0 / 100);
    // At 09:39:30 only 9 intervals start at or after 09:30: absent. At 09:40 ten do.
    assertNull(m.sigma("AAPL", open + 9 * MIN + 30_000)[1]);
    Double[] at10 = m.sigma("AAPL", open + 10 * MIN);
    // ten returns alternating ±step (SPY has no price: raw): mean 0, sample variance 10·step²/9
    assertEquals(Math.sqrt(10 * step * step / 9), at10[1], 1e-12);
    assertEquals(at10[1], at10[0], 0, "realised above the cent term");
  }

  /** A day of AAPL and SPY prints every 500 ms from 09:30, AAPL wiggling ±1 c per minute, with shocks. */
  static final class Day {
    final List<V2.Print> prints = new ArrayList<>();
    final Map<String, List<V2.Span>> cov = Map.of("AAPL", List.of(new V2.Span(et("2026-12-07T04:00:00"), et("2026-12-07T20:00:00"), "live")),
        "SPY", List.of(new V2.Span(et("2026-12-07T04:00:00"), et("2026-12-07T20:00:00"), "live")));
    long seq = 1;

    Day(long from, long to, java.util.function.LongToDoubleFunction aapl, java.util.function.LongPredicate gap) {
      for (long t = from; t <= to; t += 500) {
        prints.add(live("SPY", t, 500, seq++));
        if (!gap.test(t)) prints.add(live("AAPL", t, aapl.applyAsDouble(t), seq++));
      }
    }

    ImpactV2.Output at(long asOf, V2.Headline... hs) {
      return ImpactV2.compute(new ImpactV2.Input(V2.Settings.DEFAULT, cov, List.of(), prints, List.of(hs)), asOf);
    }
  }

  static double wiggle(long t) {
    return (t / MIN) % 2 == 0 ? 100 : 100.01;
  }

  @Test
  void moveAlertsConfirmSilenceAndFlip() {
    long open = et("2026-12-07T09:30:00"), x = et("2026-12-07T10:30:00");
    // +3 % at x, back at x + 2 min (a flip: emitted during the up alert's silence), +10 % at x + 8 min (the two
    // earlier jumps are in the realised sigma by then: 3 % would be under 4 sigma)
    Day d = new Day(open, x + 12 * MIN, t -> wiggle(t) * (t >= x && t < x + 2 * MIN ? 1.03 : t >= x + 8 * MIN ? 1.10 : 1), t -> false);
    V2.Headline h = new V2.Headline("n1", x - 20_000, x + 5_000, "Apple jumps", "AAPL");
    ImpactV2.Output out = d.at(x + 12 * MIN, h);
    List<V2.MoveAlert> moves = out.moves();
    assertEquals(List.of("up", "down", "up"), moves.stream().map(a -> a.direction).toList());
    Market m = new Market(V2.Settings.DEFAULT);
    d.cov.forEach((s, l) -> l.forEach(sp -> m.addCoverage(s, sp)));
    d.prints.forEach(m::add);
    long[] shocks = {x, x + 2 * MIN, x + 8 * MIN};
    for (int i = 0; i < 3; i++) {
      V2.MoveAlert a = moves.get(i);
      // At the print 500 ms after the shock, the 4 prints in (t − 2 s, t] are two old and two new: their middle mean
      // is half the jump, far beyond 4 sigma for the first and the third; the run starts there and fires 1 s later.
      // For the second, sigma at u holds the first 3 % minute (about 0.03/√30, so 4 sigma ≈ 2.2 %): half of 3 %
      // is not enough, the run starts at the next print (three new of four: the full move).
      long runStart = shocks[i] + (i == 1 ? 1000 : 500);
      assertEquals(runStart + 1000, a.detectedAt, "alert " + i);
      assertEquals(a.detectedAt - MIN, a.windowStart);
      assertEquals("AAPL|" + a.detectedAt, a.id);
      assertEquals(m.price("AAPL", a.detectedAt), a.price, 0);
      assertEquals(a.size / a.sigma, a.z, 1e-12);
      assertTrue(Math.abs(a.z) >= 4);
      assertTrue(a.adjusted);
      assertEquals(1.0, a.beta, "no minute bars: beta 1");
    }
    assertEquals(List.of("n1"), moves.get(0).headlines, "t0 within 3 min of the first alert");
    assertEquals(List.of("n1"), moves.get(1).headlines, "and of the second");
    assertEquals(List.of(), moves.get(2).headlines);
    V2.ImpactRecord r = out.impacts().get(0);
    assertEquals(moves.get(0).id, r.move, "nearest alert");
    assertEquals("up", r.signal);
    assertEquals(Boolean.FALSE, r.confirmed, "back down by +5 m");
    assertEquals(Math.max(r.detectedAt, r.receivedAt), r.alertAt);
  }

  @Test
  void aSameDirectionRunDuringSilenceIsSwallowed() {
    long open = et("2026-12-07T09:30:00"), x = et("2026-12-07T10:30:00");
    // +3 % at x, a 2-second dip back (ends the run), +3 % again: the second up run fires inside the silence
    Day d = new Day(open, x + 4 * MIN, t -> wiggle(t) * (t >= x && !(t >= x + 20_000 && t < x + 22_000) ? 1.03 : 1), t -> false);
    List<V2.MoveAlert> moves = d.at(x + 4 * MIN).moves();
    assertEquals(1, moves.size(), moves.stream().map(a -> a.id).toList().toString());
  }

  @Test
  void noAlertAfterAQuietSpell() {
    long open = et("2026-12-07T09:30:00"), x = et("2026-12-07T10:30:00");
    // AAPL does not trade for 6 minutes and reopens 3 % higher: u is before the quiet spell's end
    Day d = new Day(open, x + 3 * MIN, t -> wiggle(t) * (t >= x ? 1.03 : 1), t -> t >= x - 6 * MIN && t < x);
    assertEquals(List.of(), d.at(x + 3 * MIN).moves());
  }

  @Test
  void headlineFieldsQuietAndHourRvol() {
    long open = et("2026-12-07T09:30:00"), t0 = et("2026-12-07T10:40:00");
    // AAPL halts at t0 (no prints after it); every 500 ms before
    Day d = new Day(open, t0 + 16 * MIN, ImpactV2Test::wiggle, t -> t > t0);
    V2.Headline h = new V2.Headline("n2", t0, t0 + 2_000, "Apple halted", "AAPL");
    V2.ImpactRecord at4 = d.at(t0 + 4 * MIN, h).impacts().get(0);
    assertNull(at4.signal, "before +5 m");
    assertEquals(Boolean.TRUE, at4.quiet1);
    assertNull(at4.quiet5);
    assertNull(at4.ret1, "no trades since the headline: never 0 %");
    assertEquals("live", at4.source);
    assertEquals(2_000, at4.latencyMs);
    V2.ImpactRecord r = d.at(t0 + 15 * MIN, h).impacts().get(0);
    assertTrue(r.fin);
    assertEquals("none", r.signal);
    assertNull(r.confirmed);
    assertEquals(Boolean.TRUE, r.quiet15);
    // the print at t0 itself is in [t0, t0 + 5 m); the hour before holds 7200 prints of 100
    assertEquals("hour", r.rvolBasis);
    assertEquals(100 / (7200 * 100 / 12.0), r.rvol5, 1e-12);
    // p0: median of the 4 prints in (t0 − 2 s, t0]: three of 10:39 (100.01) and the one at t0 (100)
    assertEquals(100.01, r.p0, 0);
    assertNotNull(r.sigmaRealised);
    assertNull(r.sigmaFloor);
    assertFalse(r.stale);
  }

  @Test
  void staleAgainstEarlierHeadlinesOnly() {
    long t0 = et("2026-12-07T10:40:00");
    List<V2.Headline> hs = List.of(
        new V2.Headline("a", t0 - 86_400_000L, t0, "Apple beats estimates", "AAPL"), // exactly 24 h: in
        new V2.Headline("b", t0 + 1, t0, "Apple beats estimates again", "AAPL"), // later: not a candidate
        new V2.Headline("c", t0, t0, "APPLE beats estimates", "AAPL"));
    assertTrue(ImpactV2.stale(hs.get(2), "AAPL", hs));
    assertFalse(ImpactV2.stale(hs.get(0), "AAPL", hs));
    assertFalse(ImpactV2.stale(hs.get(2), "MSFT", hs), "candidates are tagged with the same symbol");
  }
}
