package dev.newstape.flink;

import dev.newstape.flink.model.Impact;
import dev.newstape.flink.model.Mention;
import dev.newstape.flink.model.Thresholds;
import dev.newstape.flink.model.Trade;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The news-impact definition of fixtures/news-impact/README.md as a pure function: one mention, the symbol's
 * trades (any order, any extra trades), the symbol's earlier headlines and the time the numbers are "as of".
 */
public final class ImpactMath {
  private ImpactMath() {}

  public static final long MINUTE = 60_000L;
  public static final long DAY = 24 * 60 * MINUTE;
  public static final int[] HORIZONS = {1, 5, 15};
  /** Trades needed around t0: the rvol baseline reaches 60 min back, the last horizon 15 min ahead. */
  public static final long LOOKBACK = 60 * MINUTE;
  public static final long LOOKAHEAD = 15 * MINUTE;
  public static final double STALE_JACCARD = 0.6;
  public static final int STALE_HISTORY = 10;

  /** Last-price lookup over the trades that update the last price, sorted by (ts, seq). */
  static final class Prices {
    final long[] ts;
    final double[] px;

    Prices(List<Trade> sorted, TradeConditions tc) {
      int n = 0;
      long[] t = new long[sorted.size()];
      double[] p = new double[sorted.size()];
      for (Trade tr : sorted) {
        if (!tc.updatesLast(tr.conditions)) continue;
        t[n] = tr.ts;
        p[n] = tr.price;
        n++;
      }
      ts = Arrays.copyOf(t, n);
      px = Arrays.copyOf(p, n);
    }

    /** price(t): the last qualifying trade with ts ≤ t, null when none. */
    Double at(long t) {
      int lo = 0, hi = ts.length - 1, found = -1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        if (ts[mid] <= t) {
          found = mid;
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      return found < 0 ? null : px[found];
    }
  }

  public static List<Trade> sorted(Iterable<Trade> trades) {
    List<Trade> out = new ArrayList<>();
    for (Trade t : trades) out.add(t);
    out.sort(Trade::compareTime);
    return out;
  }

  public static Impact compute(Mention m, List<Trade> trades, List<Mention> history, long asOf, Thresholds th,
      TradeConditions tc) {
    // Only what is known at asOf: a trade stamped later has not happened yet.
    List<Trade> sorted = new ArrayList<>(trades.size());
    for (Trade t : trades) if (t.ts <= asOf) sorted.add(t);
    sorted.sort(Trade::compareTime);
    Prices prices = new Prices(sorted, tc);
    long t0 = m.published;

    Impact r = new Impact();
    r.articleId = m.articleId;
    r.symbol = m.symbol;
    r.published = t0;
    r.latencyMs = m.receivedAt - t0;
    r.asOf = asOf;
    r.origin = "flink";
    r.fin = asOf >= t0 + 15 * MINUTE;
    r.stale = stale(m, history);

    r.p0 = prices.at(t0);
    Double[] ret = new Double[3];
    for (int i = 0; i < 3; i++) {
      long h = t0 + HORIZONS[i] * MINUTE;
      if (r.p0 == null || asOf < h) continue;
      ret[i] = prices.at(h) / r.p0 - 1;
    }
    r.ret1 = ret[0];
    r.ret5 = ret[1];
    r.ret15 = ret[2];

    r.sigma = sigma(prices, t0);
    Double[] z = new Double[3];
    for (int i = 0; i < 3; i++) {
      if (ret[i] == null || r.sigma == null || r.sigma == 0.0) continue;
      z[i] = Math.log(1 + ret[i]) / (r.sigma * Math.sqrt(HORIZONS[i]));
    }
    r.z1 = z[0];
    r.z5 = z[1];
    r.z15 = z[2];

    if (asOf >= t0 + 5 * MINUTE) {
      double after = volume(sorted, tc, t0, t0 + 5 * MINUTE);
      double before = volume(sorted, tc, t0 - LOOKBACK, t0);
      r.rvol5 = before == 0 ? null : after / (before / 12.0);
      r.signal = signal(r.z5, r.rvol5, th);
    }
    return r;
  }

  /** Sample standard deviation of the 1-minute log returns over the 30 minutes before t0. */
  static Double sigma(Prices prices, long t0) {
    double[] rets = new double[30];
    int n = 0;
    Double prev = prices.at(t0 - 30 * MINUTE);
    for (int i = 29; i >= 0; i--) {
      Double cur = prices.at(t0 - i * MINUTE);
      if (prev != null && cur != null) rets[n++] = Math.log(cur / prev);
      prev = cur;
    }
    if (n < 2) return null;
    double mean = 0;
    for (int i = 0; i < n; i++) mean += rets[i];
    mean /= n;
    double ss = 0;
    for (int i = 0; i < n; i++) ss += (rets[i] - mean) * (rets[i] - mean);
    return Math.sqrt(ss / (n - 1));
  }

  /** Sum of sizes of volume-counting trades with from ≤ ts < to. */
  static double volume(List<Trade> sorted, TradeConditions tc, long from, long to) {
    double v = 0;
    for (Trade t : sorted) {
      if (t.ts < from) continue;
      if (t.ts >= to) break;
      if (tc.updatesVolume(t.conditions)) v += t.size;
    }
    return v;
  }

  static String signal(Double z5, Double rvol5, Thresholds th) {
    if (z5 == null) return "none";
    double a = Math.abs(z5);
    boolean fires = a >= th.z() || (rvol5 != null && rvol5 >= th.rvol() && a >= th.zWithVolume());
    if (!fires) return "none";
    return z5 > 0 ? "up" : "down";
  }

  public static Set<String> words(String title) {
    Set<String> out = new HashSet<>();
    for (String w : title.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) if (!w.isEmpty()) out.add(w);
    return out;
  }

  public static double jaccard(Set<String> a, Set<String> b) {
    if (a.isEmpty() && b.isEmpty()) return 0;
    int inter = 0;
    for (String w : a) if (b.contains(w)) inter++;
    return (double) inter / (a.size() + b.size() - inter);
  }

  /**
   * Stale when the headline shares ≥ 60 % of its word set with one of the previous 10 headlines of the same symbol
   * published in [t0 − 24 h, t0). {@code history} may hold anything; this picks those.
   */
  public static boolean stale(Mention m, List<Mention> history) {
    long t0 = m.published;
    List<Mention> prev = new ArrayList<>();
    for (Mention h : history) {
      if (h.articleId != null && h.articleId.equals(m.articleId)) continue;
      if (!m.symbol.equals(h.symbol)) continue;
      if (h.published >= t0 || h.published < t0 - DAY) continue;
      prev.add(h);
    }
    prev.sort(Comparator.comparingLong((Mention h) -> h.published).reversed());
    Set<String> mine = words(m.title);
    for (int i = 0; i < Math.min(STALE_HISTORY, prev.size()); i++) {
      if (jaccard(mine, words(prev.get(i).title)) >= STALE_JACCARD) return true;
    }
    return false;
  }
}
