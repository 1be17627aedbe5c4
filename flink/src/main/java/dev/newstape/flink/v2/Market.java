package dev.newstape.flink.v2;

import dev.newstape.flink.TradeConditions;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the v2 definition reads (docs/impact-v2.md): every symbol's accepted prints (valid, de-duplicated, live
 * wins over history), its coverage and previous sessions' 1-minute bars; and the pure statistics over them: p_S(t),
 * beta, a(u, t), sigma. Shared by the batch computation ({@link ImpactV2#compute}) and the streaming operator.
 */
public final class Market implements Serializable {
  private static final long serialVersionUID = 1L;
  static final long MIN = Eastern.MIN;
  static final long PRICE_WINDOW = 2_000;
  /** Form T: eligible despite updatesLast=false (extended-hours prints). */
  static final int FORM_T = 12;

  public V2.Settings settings;
  final Map<String, Series> eligible = new HashMap<>();
  final Map<String, Series> volume = new HashMap<>();
  final Map<String, List<V2.Span>> coverage = new HashMap<>();
  /** Symbol → start → bar (later duplicates replace). */
  final Map<String, TreeMap<Long, V2.MinuteBar>> bars = new HashMap<>();
  final Set<String> seen = new HashSet<>();
  final Map<String, Long> firstLive = new HashMap<>();
  long duplicates;
  long rejected;
  private transient Map<String, Double> betaCache;
  private transient Map<String, Double> floorCache;
  private transient TradeConditions tc;
  private transient double[] scratch;

  public Market(V2.Settings settings) {
    this.settings = settings;
  }

  private TradeConditions tc() {
    if (tc == null) tc = TradeConditions.load();
    return tc;
  }

  private Map<String, Double> betaCache() {
    if (betaCache == null) betaCache = new HashMap<>();
    return betaCache;
  }

  private Map<String, Double> floorCache() {
    if (floorCache == null) floorCache = new HashMap<>();
    return floorCache;
  }

  // ---- input ----

  /**
   * Adds a span to the symbol's coverage, kept as the union: spans that overlap, touch or are 1 ms apart join into
   * one stretch (history up to the socket's start, then live, is one covered stretch).
   */
  public void addCoverage(String symbol, V2.Span span) {
    if (span == null || span.from > span.to) return;
    List<V2.Span> all = new ArrayList<>(coverage.getOrDefault(symbol, List.of()));
    all.add(new V2.Span(span.from, span.to, span.source));
    all.sort((x, y) -> Long.compare(x.from, y.from));
    List<V2.Span> merged = new ArrayList<>();
    for (V2.Span sp : all) {
      V2.Span last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && (last.to == Long.MAX_VALUE || sp.from <= last.to + 1)) last.to = Math.max(last.to, sp.to);
      else merged.add(new V2.Span(sp.from, sp.to, sp.source));
    }
    coverage.put(symbol, merged);
  }

  /** Live coverage that runs on: the streaming job receives the symbol from {@code from} onwards. */
  public void coverFrom(String symbol, long from) {
    if (!coverage.containsKey(symbol)) addCoverage(symbol, new V2.Span(from, Long.MAX_VALUE, "live"));
  }

  /** Whether any coverage was given for the symbol (then the job does not assume its own). */
  public boolean hasCoverage(String symbol) {
    return coverage.containsKey(symbol);
  }

  /** The first live print of each symbol, so history at or after it is dropped ("live wins"). */
  public void noteFirstLive(String symbol, long ts) {
    firstLive.merge(symbol, ts, Math::min);
  }

  public boolean eligible(V2.Print p) {
    if (Eastern.session(p.ts) == Eastern.NONE) return false;
    if (p.seq == null) return true; // second bar: conditions []
    int[] c = p.conditions;
    boolean hasFormT = false;
    for (int x : c) if (x == FORM_T) hasFormT = true;
    if (!hasFormT) return tc().updatesLast(c);
    int[] rest = Arrays.stream(c).filter(x -> x != FORM_T).toArray();
    return tc().updatesLast(rest);
  }

  /**
   * Accepts one print: dropped when invalid, when it is history at or after the symbol's first live print, or when
   * its (symbol, seq, ET day) was seen. Returns whether it was kept (and is eligible: bit 1, volume-counting: bit 2).
   */
  public int add(V2.Print p) {
    if (p == null || !p.valid()) {
      rejected++;
      return 0;
    }
    if (!"live".equals(p.source)) {
      Long fl = firstLive.get(p.symbol);
      if (fl != null && p.ts >= fl) return 0;
    }
    if (p.seq != null && !seen.add(p.symbol + "|" + p.seq + "|" + Eastern.day(p.ts))) {
      duplicates++;
      return 0;
    }
    int out = 0;
    byte src = Series.sourceCode(p.source);
    long q = p.seq == null ? Series.NO_SEQ : p.seq;
    if (eligible(p)) {
      eligible.computeIfAbsent(p.symbol, k -> new Series()).add(p.ts, q, p.price, p.size, p.weight, src);
      out |= 1;
    }
    if (p.seq == null || tc().updatesVolume(p.conditions)) {
      volume.computeIfAbsent(p.symbol, k -> new Series()).add(p.ts, q, p.price, p.size, p.weight, src);
      out |= 2;
    }
    return out;
  }

  public void addMinuteBar(V2.MinuteBar b) {
    if (b == null || b.symbol == null || !Double.isFinite(b.close) || b.close <= 0 || !Double.isFinite(b.volume)) {
      rejected++;
      return;
    }
    bars.computeIfAbsent(b.symbol, k -> new TreeMap<>()).put(b.start, b);
    betaCache().clear();
    floorCache().clear();
  }

  public Series eligible(String s) {
    return eligible.get(s);
  }

  /** Forget prints and de-duplication keys before {@code t}, bars before {@code barsFrom} (streaming state). */
  public void prune(long t, long barsFrom) {
    for (Series s : eligible.values()) s.dropBefore(t);
    for (Series s : volume.values()) s.dropBefore(t);
    long day = Eastern.day(t);
    seen.removeIf(k -> Long.parseLong(k.substring(k.lastIndexOf('|') + 1)) < day);
    for (TreeMap<Long, V2.MinuteBar> m : bars.values()) m.headMap(barsFrom).clear();
    betaCache().clear();
    floorCache().clear();
  }

  // ---- statistics ----

  /** [a, b] covered: one stretch of the union holds all of it. */
  public boolean covered(String s, long a, long b) {
    List<V2.Span> spans = coverage.get(s);
    if (spans == null) return false;
    for (V2.Span sp : spans) if (sp.from <= a && b <= sp.to) return true;
    return false;
  }

  /** p_S(t): median of the eligible prints in (t − 2 s, t] when ≥ 3, else the last at or before t, else null. */
  public Double price(String s, long t) {
    Series x = eligible.get(s);
    if (x == null) return null;
    int hi = x.countAtOrBefore(t);
    if (hi == 0) return null;
    int lo = x.countAtOrBefore(t - PRICE_WINDOW);
    int k = hi - lo;
    if (k < 3) return x.price[hi - 1];
    return x.median(lo, hi, this);
  }

  /** Scratch space for medians (one thread per Market). */
  double[] scratch(int k) {
    if (scratch == null || scratch.length < k) scratch = new double[Math.max(k, 64)];
    return scratch;
  }

  /** Median of {@code v[0..k)}, reordering it: quickselect, the mean of the two middle values for even k. */
  static double median(double[] v, int k) {
    int mid = k / 2;
    double upper = select(v, 0, k - 1, mid);
    if ((k & 1) == 1) return upper;
    double lower = Double.NEGATIVE_INFINITY; // after select, v[0..mid) holds the smaller half
    for (int i = 0; i < mid; i++) lower = Math.max(lower, v[i]);
    return (lower + upper) / 2;
  }

  private static double select(double[] v, int lo, int hi, int k) {
    while (hi > lo) {
      if (hi - lo < 16) {
        for (int i = lo + 1; i <= hi; i++) {
          double x = v[i];
          int j = i - 1;
          while (j >= lo && v[j] > x) {
            v[j + 1] = v[j];
            j--;
          }
          v[j + 1] = x;
        }
        return v[k];
      }
      double pivot = med3(v[lo], v[(lo + hi) >>> 1], v[hi]);
      int i = lo, j = hi;
      while (i <= j) {
        while (v[i] < pivot) i++;
        while (v[j] > pivot) j--;
        if (i <= j) {
          double tmp = v[i];
          v[i] = v[j];
          v[j] = tmp;
          i++;
          j--;
        }
      }
      if (k <= j) hi = j;
      else if (k >= i) lo = i;
      else return v[k];
    }
    return v[k];
  }

  private static double med3(double a, double b, double c) {
    return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
  }

  /** a(u, t) with the given beta; [0] the move, [1] 1 when adjusted; null when p_S at either end is null. */
  public double[] abnormal(String s, long u, long t, double beta) {
    Double su = price(s, u), st = price(s, t);
    if (su == null || st == null) return null;
    double raw = Math.log(st / su);
    String m = settings.proxy();
    if (s.equals(m)) return new double[] {raw, 0};
    Double mu = price(m, u), mt = price(m, t);
    if (mu == null || mt == null) return new double[] {raw, 0};
    return new double[] {raw - beta * Math.log(mt / mu), 1};
  }

  /** Regular-session returns (minute start of the later bar → log return) of a symbol on one ET day. */
  TreeMap<Long, Double> returns(String s, long day) {
    TreeMap<Long, Double> out = new TreeMap<>();
    TreeMap<Long, V2.MinuteBar> m = bars.get(s);
    if (m == null) return out;
    long from = Eastern.wall(day, Eastern.REG_START), to = Eastern.wall(day, Eastern.POST_START);
    V2.MinuteBar prev = null;
    for (V2.MinuteBar b : m.subMap(from, true, to, false).values()) {
      if (prev != null && b.start - prev.start == MIN) out.put(b.start, Math.log(b.close / prev.close));
      prev = b;
    }
    return out;
  }

  /** The up-to-{@code k} most recent ET days before {@code day} with a bar of {@code s} (regular session only or any). */
  List<Long> daysBefore(String s, long day, int k, boolean regularOnly) {
    List<Long> out = new ArrayList<>();
    TreeMap<Long, V2.MinuteBar> m = bars.get(s);
    if (m == null) return out;
    Long key = m.lowerKey(Eastern.wall(day, 0));
    while (key != null && out.size() < k) {
      long d = Eastern.day(key);
      boolean ok = !regularOnly || Eastern.regular(key);
      if (ok) out.add(d);
      key = m.lowerKey(ok ? Eastern.wall(d, 0) : key);
    }
    return out;
  }

  /** Beta of S for ET day {@code day} (docs/impact-v2.md "Beta"). */
  public double beta(String s, long day) {
    String m = settings.proxy();
    if (s.equals(m)) return 1;
    String key = s + "|" + day;
    Double c = betaCache().get(key);
    if (c != null) return c;
    List<Long> days = daysBefore(s, day, 5, true);
    List<double[]> pairs = new ArrayList<>();
    for (int i = days.size() - 1; i >= 0; i--) {
      TreeMap<Long, Double> rs = returns(s, days.get(i)), rm = returns(m, days.get(i));
      for (Map.Entry<Long, Double> e : rs.entrySet()) {
        Double x = rm.get(e.getKey());
        if (x != null) pairs.add(new double[] {x, e.getValue()});
      }
    }
    double beta = ols(pairs);
    beta = Math.max(0, Math.min(3, beta));
    betaCache().put(key, beta);
    return beta;
  }

  static double ols(List<double[]> pairs) {
    int n = pairs.size();
    if (n < 3) return 1;
    double sx = 0, sy = 0;
    for (double[] p : pairs) {
      sx += p[0];
      sy += p[1];
    }
    double mx = sx / n, my = sy / n, sxx = 0, sxy = 0;
    for (double[] p : pairs) {
      sxx += (p[0] - mx) * (p[0] - mx);
      sxy += (p[0] - mx) * (p[1] - my);
    }
    if (sxx == 0) return 1;
    double b = sxy / sxx;
    double ssr = 0;
    for (double[] p : pairs) {
      double r = (p[1] - my) - b * (p[0] - mx);
      ssr += r * r;
    }
    double se2 = ssr / (n - 2) / sxx;
    if (se2 == 0) return b;
    double w = 0.25 / se2;
    return (w * b + 1) / (w + 1);
  }

  /** Floor of sigma for references on ET day {@code day}; null when absent. */
  public Double floor(String s, long day) {
    String key = s + "|" + day;
    if (floorCache().containsKey(key)) return floorCache().get(key);
    Double out = null;
    List<Long> prev = daysBefore(s, day, 1, true);
    if (!prev.isEmpty()) {
      double beta = beta(s, day);
      boolean proxy = s.equals(settings.proxy());
      TreeMap<Long, Double> rs = returns(s, prev.get(0)), rm = returns(settings.proxy(), prev.get(0));
      double[] r = new double[rs.size()];
      int n = 0;
      for (Map.Entry<Long, Double> e : rs.entrySet()) {
        Double x = proxy ? null : rm.get(e.getKey());
        r[n++] = x == null ? e.getValue() : e.getValue() - beta * x;
      }
      if (n >= 10) {
        double[] abs = new double[n];
        for (int i = 0; i < n; i++) abs[i] = Math.abs(r[i]);
        Arrays.sort(abs);
        double med = (n & 1) == 1 ? abs[n / 2] : (abs[n / 2 - 1] + abs[n / 2]) / 2;
        out = Math.max(1.4826 * med, 0.5 * stdev(r, n));
      }
    }
    floorCache().put(key, out);
    return out;
  }

  static double stdev(double[] v, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) s += v[i];
    double mean = s / n, q = 0;
    for (int i = 0; i < n; i++) q += (v[i] - mean) * (v[i] - mean);
    return Math.sqrt(q / (n - 1));
  }

  /** Sigma at T: {sigma, realised, floor}, each null when absent. */
  public Double[] sigma(String s, long t) {
    long day = Eastern.day(t);
    double beta = beta(s, day);
    Double realised = null;
    long start = Eastern.sessionStart(t);
    if (start != Long.MIN_VALUE) {
      double[] v = new double[30];
      int n = 0;
      // The 30 intervals share their 31 ends: each price is looked up once.
      Double[] ps = new Double[31], pm = new Double[31];
      boolean proxy = s.equals(settings.proxy());
      for (int i = 0; i <= 30; i++) {
        long at = t - i * MIN;
        if (at < start) break;
        ps[i] = price(s, at);
        if (!proxy) pm[i] = price(settings.proxy(), at);
      }
      for (int i = 0; i < 30; i++) {
        long a = t - (i + 1) * MIN, b = t - i * MIN;
        if (a < start || !covered(s, a, b)) continue;
        Double su = ps[i + 1], st = ps[i];
        if (su == null || st == null) continue;
        double raw = Math.log(st / su);
        Double mu = pm[i + 1], mt = pm[i];
        v[n++] = proxy || mu == null || mt == null ? raw : raw - beta * Math.log(mt / mu);
      }
      if (n >= 10) realised = stdev(v, n);
    }
    Double floor = floor(s, day);
    if (realised == null && floor == null) return new Double[] {null, null, null};
    double sig = Math.max(realised == null ? Double.NEGATIVE_INFINITY : realised, floor == null ? Double.NEGATIVE_INFINITY : floor);
    Double p = price(s, t);
    if (p != null) sig = Math.max(sig, 0.01 / p);
    return new Double[] {sig, realised, floor};
  }

  /** Minute-bar volume of {@code s} in the ET wall-clock slot [m, m + 5 min) averaged over the slot-basis days. */
  public Double slotMean(String s, long t0) {
    long day = Eastern.day(t0);
    List<Long> days = daysBefore(s, day, 5, false);
    if (days.isEmpty()) return null;
    long m = Math.floorDiv(Eastern.msOfDay(t0), MIN) * MIN;
    double sum = 0;
    TreeMap<Long, V2.MinuteBar> all = bars.get(s);
    for (long d : days) {
      long from = Eastern.wall(d, m);
      for (V2.MinuteBar b : all.subMap(from, true, from + 5 * MIN, false).values()) sum += b.volume;
    }
    return sum / days.size();
  }

  /** Volume-counting size of {@code s} with ts in [a, b). */
  public double volumeIn(String s, long a, long b) {
    Series v = volume.get(s);
    if (v == null) return 0;
    double sum = 0;
    for (int i = v.countBefore(a), e = v.countBefore(b); i < e; i++) sum += v.size[i];
    return sum;
  }
}
