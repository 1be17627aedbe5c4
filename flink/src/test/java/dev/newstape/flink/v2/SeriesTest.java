package dev.newstape.flink.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The price look-ups of {@link Series} (searches from a previous answer, windows kept sorted between asks) against
 * the definition written out naively: a linear count, and the median of a freshly sorted copy.
 */
class SeriesTest {
  static final long W = Market.PRICE_WINDOW;

  static Series of(long[] ts, double[] px) {
    Series s = new Series();
    for (int i = 0; i < ts.length; i++) s.add(ts[i], i, px[i], 1, 1, Series.LIVE);
    return s;
  }

  static int naiveCount(Series s, long t) {
    int c = 0;
    for (int i = 0; i < s.n; i++) if (s.ts[i] <= t) c++;
    return c;
  }

  /** p_S(t) as docs/impact-v2.md words it. */
  static double naivePrice(Series s, long t) {
    List<Double> in = new ArrayList<>();
    double last = Double.NaN;
    for (int i = 0; i < s.n; i++) {
      if (s.ts[i] <= t) last = s.price[i];
      if (s.ts[i] > t - W && s.ts[i] <= t) in.add(s.price[i]);
    }
    if (in.size() < 3) return last;
    double[] v = in.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int k = v.length;
    return k % 2 == 1 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
  }

  static Stream<Arguments> prices() {
    long[] ts = {1_000, 1_500, 2_000, 2_000, 2_999, 3_000, 6_000};
    double[] px = {10, 12, 11, 15, 13, 14, 9};
    return Stream.of(
        Arguments.of(ts, px, 999L, Double.NaN), // nothing yet
        Arguments.of(ts, px, 1_000L, 10.0), // one print: the last
        Arguments.of(ts, px, 1_999L, 12.0), // two: the last
        Arguments.of(ts, px, 2_000L, 11.5), // 10 12 11 15: (11 + 12) / 2
        Arguments.of(ts, px, 2_999L, 12.0), // 10 12 11 15 13 → 12
        Arguments.of(ts, px, 3_000L, 13.0), // (1000, 3000]: 12 11 15 13 14 → 13
        Arguments.of(ts, px, 4_999L, 14.0), // (2999, 4999]: 14 alone → the last
        Arguments.of(ts, px, 5_999L, 14.0), // empty window: the last at or before
        Arguments.of(ts, px, 6_000L, 9.0));
  }

  @ParameterizedTest
  @MethodSource
  void prices(long[] ts, double[] px, long t, double expected) {
    Series s = of(ts, px);
    assertEquals(naivePrice(s, t), s.priceAt(t, W), 0, "naive reading of the rule at " + t);
    assertEquals(expected, s.priceAt(t, W), 0, "worked out at " + t);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void countsFromAnyHint(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = 1 + r.nextInt(300);
    long[] ts = new long[n];
    long t = r.nextLong(-1_000_000, 1_000_000);
    for (int i = 0; i < n; i++) ts[i] = t += r.nextInt(4) == 0 ? 0 : r.nextInt(50);
    Series s = of(ts, new double[n]);
    for (int q = 0; q < 2_000; q++) {
      long at = ts[0] - 100 + r.nextLong(ts[n - 1] - ts[0] + 200);
      int hint = r.nextInt(n + 3) - 1;
      assertEquals(naiveCount(s, at), s.countAtOrBefore(at, hint), "t " + at + " hint " + hint);
      assertEquals(naiveCount(s, at), s.countAtOrBefore(at));
      assertEquals(naiveCount(s, at - 1), s.countBefore(at));
    }
    assertEquals(0, s.countBefore(Long.MIN_VALUE));
    assertEquals(n, s.countAtOrBefore(Long.MAX_VALUE));
  }

  static Stream<Long> seeds() {
    return Stream.iterate(1L, x -> x + 1).limit(12);
  }

  /**
   * Random tapes asked in the patterns the engine uses (a time moving forwards with the 31 grid times behind it,
   * a fixed time in between, backwards sweeps, jumps), with prints appended, inserted out of order and pruned in
   * between: every answer equals the naive one.
   */
  @ParameterizedTest
  @MethodSource("seeds")
  void pricesInEveryAskingPattern(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Series s = new Series();
    long t = 1_700_000_000_000L, seq = 0;
    long fixed = t;
    for (int step = 0; step < 6_000; step++) {
      int op = r.nextInt(100);
      if (op < 60) { // append
        t += r.nextInt(5) == 0 ? 0 : r.nextInt(r.nextBoolean() ? 30 : 400);
        s.add(t, seq++, Math.round((50 + r.nextGaussian()) * 100) / 100.0, 1, 1, Series.LIVE);
      } else if (op < 62) { // out of order
        s.add(t - r.nextInt(5_000), seq++, Math.round((50 + r.nextGaussian()) * 100) / 100.0, 1, 1, Series.LIVE);
      } else if (op < 63 && s.n > 10) { // prune
        s.dropBefore(s.ts[r.nextInt(s.n / 2)]);
      } else if (op < 78) { // the grid behind now
        for (int k = 0; k <= 31; k++) check(s, t - k * Eastern.MIN);
      } else if (op < 85) { // the same, as the move rule asks it
        long base = t - r.nextInt(3) * 1000;
        double[] out = new double[31];
        s.pricesBack(base, Eastern.MIN, 31, W, out);
        for (int k = 0; k < 31; k++) assertEquals(naivePrice(s, base - k * Eastern.MIN), out[k], 0, "p(" + (base - k * Eastern.MIN) + ")");
      } else if (op < 92) {
        if (r.nextInt(20) == 0) fixed = t - r.nextInt(300_000);
        check(s, fixed);
        check(s, fixed + r.nextInt(300_000));
      } else if (op < 97) { // backwards sweep
        for (long at = t; at > t - 20_000; at -= r.nextInt(500)) check(s, at);
      } else {
        check(s, t - r.nextLong(100_000_000));
      }
    }
  }

  static void check(Series s, long t) {
    assertEquals(naivePrice(s, t), s.priceAt(t, W), 0, "p(" + t + ") of " + s.n + " prints");
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void medianOfSorted(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int k = 1 + r.nextInt(40);
    double[] v = new double[k];
    for (int i = 0; i < k; i++) v[i] = r.nextInt(10);
    Arrays.sort(v);
    double expected = k % 2 == 1 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
    assertEquals(expected, Series.median(v, k), 0);
  }
}
