package dev.newstape.flink.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Beta and the sigma floor are remembered per symbol and reference day, and a minute bar forgets only what it can
 * change (entries for days after its own; every symbol's for a bar of the proxy): at every step of random bar
 * arrivals, the remembered answers equal those of a fresh market holding the same bars.
 */
class MarketStatsTest {
  @Test
  void rememberedBetaAndFloorEqualAFreshComputation() {
    SplittableRandom r = new SplittableRandom(3);
    String[] syms = {"SPY", "AAA", "BBB"};
    long day0 = Eastern.day(ImpactV2Test.et("2026-11-16T12:00:00"));
    int days = 5, minutes = 40;
    double[][] market = new double[days][minutes]; // a random walk per day, which the stocks follow with beta ≠ 1
    for (double[] w : market) for (int i = 1; i < minutes; i++) w[i] = w[i - 1] + r.nextGaussian() * 0.002;
    Market m = new Market(V2.Settings.DEFAULT);
    List<V2.MinuteBar> all = new ArrayList<>();
    int nontrivial = 0;
    for (int step = 0; step < 1_500; step++) {
      int d = r.nextInt(days), i = r.nextInt(minutes), k = r.nextInt(3);
      long start = Eastern.wall(day0 + d, (570 + 100 + i) * Eastern.MIN);
      double close = 50 * Math.exp(market[d][i] * (k == 0 ? 1 : k == 1 ? 1.6 : 0.4) + (k == 0 ? 0 : r.nextGaussian() * 0.0005));
      V2.MinuteBar b = new V2.MinuteBar(syms[k], start, close, 100 + r.nextInt(100));
      m.addMinuteBar(b);
      all.add(b);
      if (step % 5 != 0) continue;
      Market fresh = new Market(V2.Settings.DEFAULT);
      all.forEach(fresh::addMinuteBar);
      // Two reference days at a time (what is remembered per symbol), changing now and then.
      for (String q : syms)
        for (long day : new long[] {day0 + 1 + (step / 200) % days, day0 + days}) {
          double beta = fresh.beta(q, day);
          if (beta != 1) nontrivial++;
          assertEquals(beta, m.beta(q, day), 0, q + " beta on day " + day + " after " + step);
          assertEquals(fresh.floor(q, day), m.floor(q, day), q + " floor on day " + day + " after " + step);
        }
    }
    assertTrue(nontrivial > 500, "betas measured: " + nontrivial);
  }
}
