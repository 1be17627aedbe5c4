package dev.newstape.flink.history;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Per-symbol distribution of past news impact. Pure. Quantiles interpolate linearly between order statistics
 * (PostgreSQL's {@code percentile_cont}, R type 7), so a dashboard query over the same rows gives the same numbers.
 */
public final class ImpactStats {
  private ImpactStats() {}

  /** Count and quartiles of one return horizon; the quartiles are null when no value is known. */
  public record Quartiles(int n, Double q1, Double median, Double q3) {}

  /** One row of {@code impact_history}. */
  public static class SymbolHistory {
    public String symbol;
    /** Measured headlines: final impact rows, one per (article, symbol). */
    public int headlines;
    public int ret1N;
    public Double ret1Q1, ret1Median, ret1Q3;
    public int ret5N;
    public Double ret5Q1, ret5Median, ret5Q3;
    public int ret15N;
    public Double ret15Q1, ret15Median, ret15Q3;
    /** Headlines whose final signal is up or down. */
    public int signals;
    public double signalShare;
    public long firstPublished;
    public long lastPublished;

    public SymbolHistory() {}
  }

  /** The p-quantile (0 ≤ p ≤ 1) of sorted values, linear between closest ranks; null for none. */
  public static Double quantile(double[] sorted, double p) {
    if (sorted.length == 0) return null;
    double h = (sorted.length - 1) * p;
    int lo = (int) Math.floor(h);
    if (lo >= sorted.length - 1) return sorted[sorted.length - 1];
    return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
  }

  /** Quartiles of the known (non-null, finite) values. */
  public static Quartiles quartiles(Collection<Double> values) {
    double[] v = values.stream().filter(x -> x != null && Double.isFinite(x)).mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(v);
    return new Quartiles(v.length, quantile(v, 0.25), quantile(v, 0.5), quantile(v, 0.75));
  }

  /**
   * Summary of one symbol's final impact rows. The caller passes one row per article (see {@link #better}); rows
   * that are not final are ignored, and null when none is left.
   */
  public static SymbolHistory summarize(String symbol, Collection<ImpactPoint> rows) {
    List<Double> r1 = new ArrayList<>(), r5 = new ArrayList<>(), r15 = new ArrayList<>();
    SymbolHistory h = new SymbolHistory();
    h.symbol = symbol;
    h.firstPublished = Long.MAX_VALUE;
    h.lastPublished = Long.MIN_VALUE;
    for (ImpactPoint p : rows) {
      if (!p.fin) continue;
      h.headlines++;
      r1.add(p.ret1);
      r5.add(p.ret5);
      r15.add(p.ret15);
      if ("up".equals(p.signal) || "down".equals(p.signal)) h.signals++;
      h.firstPublished = Math.min(h.firstPublished, p.published);
      h.lastPublished = Math.max(h.lastPublished, p.published);
    }
    if (h.headlines == 0) return null;
    Quartiles q1 = quartiles(r1), q5 = quartiles(r5), q15 = quartiles(r15);
    h.ret1N = q1.n();
    h.ret1Q1 = q1.q1();
    h.ret1Median = q1.median();
    h.ret1Q3 = q1.q3();
    h.ret5N = q5.n();
    h.ret5Q1 = q5.q1();
    h.ret5Median = q5.median();
    h.ret5Q3 = q5.q3();
    h.ret15N = q15.n();
    h.ret15Q1 = q15.q1();
    h.ret15Median = q15.median();
    h.ret15Q3 = q15.q3();
    h.signalShare = (double) h.signals / h.headlines;
    return h;
  }

  /**
   * Which of two rows of the same (article, symbol) the history keeps: a final row over an early one, then the
   * later {@code asOf}. The archive is append-only, so a replay or a late trade can leave several.
   */
  public static ImpactPoint better(ImpactPoint a, ImpactPoint b) {
    if (a == null) return b;
    if (b == null) return a;
    if (a.fin != b.fin) return a.fin ? a : b;
    return b.asOf > a.asOf ? b : a;
  }
}
