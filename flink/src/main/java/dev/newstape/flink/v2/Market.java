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
  /**
   * De-duplication keys "symbol|seq|day" of earlier versions, which kept them here: a Market read from such a
   * checkpoint (Kryo, see ImpactV2Function) has them here, and {@link #dedup()} moves them into {@link #dedup}.
   */
  final Set<String> seen = new HashSet<>();
  /**
   * De-duplication keys. Transient for Kryo alone, so that checkpoints of earlier versions (Kryo, this class's other
   * fields) still read; the engine's state serializer ({@link V2EngineSerializer}) writes it.
   */
  transient Dedup dedup;
  final Map<String, Long> firstLive = new HashMap<>();
  long duplicates;
  long rejected;
  /** Beta and floor per symbol, for the last two reference days asked (transient: recomputed after a restore). */
  private transient Map<String, Stats> stats;
  private transient TradeConditions tc;
  /** Sigma's price look-ups (one thread per Market). */
  private transient double[] ps, pm, vs;

  public Market(V2.Settings settings) {
    this.settings = settings;
    this.dedup = new Dedup();
  }

  /** The de-duplication keys, moved over from {@link #seen} first when this Market came from an earlier version. */
  Dedup dedup() {
    if (dedup == null) {
      dedup = new Dedup();
      dedup.addAll(seen);
      seen.clear();
    }
    return dedup;
  }

  private TradeConditions tc() {
    if (tc == null) tc = TradeConditions.load();
    return tc;
  }

  /**
   * Remembered beta and floor of one symbol. Both read only bars of days before the reference day, so a bar of
   * day D leaves every entry for a day ≤ D as it is ({@link #addMinuteBar}); the job's own bars of today arrive
   * every minute and would otherwise throw away every symbol's beta once a minute.
   */
  static final class Stats {
    long[] betaDay = {Long.MIN_VALUE, Long.MIN_VALUE};
    double[] beta = new double[2];
    long[] floorDay = {Long.MIN_VALUE, Long.MIN_VALUE};
    Double[] floor = new Double[2];
    int betaNext, floorNext;

    /** Forgets what was computed for days after {@code day}. */
    void forgetAfter(long day) {
      for (int i = 0; i < 2; i++) {
        if (betaDay[i] > day) betaDay[i] = Long.MIN_VALUE;
        if (floorDay[i] > day) floorDay[i] = Long.MIN_VALUE;
      }
    }
  }

  private Stats stats(String s) {
    if (stats == null) stats = new HashMap<>();
    Stats x = stats.get(s);
    if (x == null) stats.put(s, x = new Stats());
    return x;
  }

  /** The de-duplication keys without changing this Market: those of {@link #seen} when not yet moved over. */
  Dedup dedupAsIs() {
    if (dedup != null) return dedup;
    Dedup d = new Dedup();
    d.addAll(seen);
    return d;
  }

  /** Deep copies of the series and de-duplication keys of {@code from} ({@link V2EngineSerializer#copy}). */
  void copyPrintsFrom(Market from) {
    eligible.clear();
    volume.clear();
    from.eligible.forEach((s, x) -> eligible.put(s, x.copy()));
    from.volume.forEach((s, x) -> volume.put(s, x.copy()));
    dedup = from.dedupAsIs().copy();
  }

  /**
   * Moves the caches of {@code from}, which holds the same prints and bars (a copy of it is this), over to this:
   * {@link V2EngineSerializer#copy}.
   */
  void takeCaches(Market from) {
    stats = from.stats;
    from.stats = null;
    for (Map.Entry<String, Series> e : eligible.entrySet()) e.getValue().takeCaches(from.eligible.get(e.getKey()));
    for (Map.Entry<String, Series> e : volume.entrySet()) e.getValue().takeCaches(from.volume.get(e.getKey()));
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
    Long fl = firstLive.get(symbol);
    if (fl == null || ts < fl) firstLive.put(symbol, ts); // merge with min, without boxing on every print
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
    if (p.seq != null && !dedup().add(p.symbol, p.seq, Eastern.day(p.ts))) {
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
    if (stats != null) {
      long day = Eastern.day(b.start);
      if (b.symbol.equals(settings.proxy())) for (Stats x : stats.values()) x.forgetAfter(day); // every beta reads M
      else {
        Stats x = stats.get(b.symbol);
        if (x != null) x.forgetAfter(day);
      }
    }
  }

  public Series eligible(String s) {
    return eligible.get(s);
  }

  /** Forget prints and de-duplication keys before {@code t}, bars before {@code barsFrom} (streaming state). */
  public void prune(long t, long barsFrom) {
    for (Series s : eligible.values()) s.dropBefore(t);
    for (Series s : volume.values()) s.dropBefore(t);
    long day = Eastern.day(t);
    dedup().pruneBefore(day);
    for (TreeMap<Long, V2.MinuteBar> m : bars.values()) m.headMap(barsFrom).clear();
    stats = null;
  }

  // ---- statistics ----

  /** [a, b] covered: one stretch of the union holds all of it. */
  public boolean covered(String s, long a, long b) {
    return covered(coverage.get(s), a, b);
  }

  private static boolean covered(List<V2.Span> spans, long a, long b) {
    if (spans == null) return false;
    for (V2.Span sp : spans) if (sp.from <= a && b <= sp.to) return true;
    return false;
  }

  /** p_S(t): median of the eligible prints in (t − 2 s, t] when ≥ 3, else the last at or before t, else null. */
  public Double price(String s, long t) {
    double p = px(s, t);
    return Double.isNaN(p) ? null : p;
  }

  /** {@link #price} unboxed: NaN for null (prices are finite and positive, so NaN is never a price). */
  double px(String s, long t) {
    Series x = eligible.get(s);
    return x == null ? Double.NaN : x.priceAt(t, PRICE_WINDOW);
  }

  /** a(u, t) with the given beta; [0] the move, [1] 1 when adjusted; null when p_S at either end is null. */
  public double[] abnormal(String s, long u, long t, double beta) {
    double su = px(s, u), st = px(s, t);
    if (Double.isNaN(su) || Double.isNaN(st)) return null;
    double raw = Math.log(st / su);
    String m = settings.proxy();
    if (s.equals(m)) return new double[] {raw, 0};
    double mu = px(m, u), mt = px(m, t);
    if (Double.isNaN(mu) || Double.isNaN(mt)) return new double[] {raw, 0};
    return new double[] {raw - beta * Math.log(mt / mu), 1};
  }

  /** {@link #abnormal}'s move alone, NaN for null (the per-print rules need nothing else). */
  double move(String s, long u, long t, double beta) {
    double su = px(s, u);
    if (Double.isNaN(su)) return Double.NaN;
    return move(s, su, px(settings.proxy(), u), t, beta);
  }

  /** {@link #move(String, long, long, double)} with p_S(u) and p_M(u) (NaN: null) already looked up. */
  double move(String s, double su, double mu, long t, double beta) {
    double st = px(s, t);
    if (Double.isNaN(su) || Double.isNaN(st)) return Double.NaN;
    double raw = Math.log(st / su);
    String m = settings.proxy();
    if (s.equals(m)) return raw;
    double mt = px(m, t);
    if (Double.isNaN(mu) || Double.isNaN(mt)) return raw;
    return raw - beta * Math.log(mt / mu);
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
    Stats st = stats(s);
    for (int i = 0; i < 2; i++) if (st.betaDay[i] == day) return st.beta[i];
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
    st.betaDay[st.betaNext] = day;
    st.beta[st.betaNext] = beta;
    st.betaNext ^= 1;
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
    Stats st = stats(s);
    for (int i = 0; i < 2; i++) if (st.floorDay[i] == day) return st.floor[i];
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
    st.floorDay[st.floorNext] = day;
    st.floor[st.floorNext] = out;
    st.floorNext ^= 1;
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
    double[] r = new double[3];
    sigma(s, t, r);
    return new Double[] {boxed(r[0]), boxed(r[1]), boxed(r[2])};
  }

  private static Double boxed(double x) {
    return Double.isNaN(x) ? null : x;
  }

  /** {@link #sigma(String, long)} into {@code out} = {sigma, realised, floor}, NaN for null; returns sigma. */
  double sigma(String s, long t, double[] out) {
    return sigma(s, t, out, false);
  }

  /**
   * As {@link #sigma(String, long, double[])}; {@code follow}: t moves forwards a little from call to call (the move
   * rule), so the prices are looked up from where the last such call left off.
   */
  double sigma(String s, long t, double[] out, boolean follow) {
    long day = Eastern.day(t);
    double beta = beta(s, day);
    double realised = Double.NaN;
    long start = Eastern.sessionStart(t);
    if (ps == null) {
      ps = new double[31];
      pm = new double[31];
      vs = new double[30];
    }
    if (start != Long.MIN_VALUE) {
      int n = 0;
      // The 30 intervals share their 31 ends: each price is looked up once.
      boolean proxy = s.equals(settings.proxy());
      Series xs = eligible.get(s), xm = proxy ? null : eligible.get(settings.proxy());
      int ends = (int) Math.min(31, (t - start) / MIN + 1); // the ends at or after the session's start
      if (follow) {
        if (xs == null) Arrays.fill(ps, 0, ends, Double.NaN);
        else xs.pricesBack(t, MIN, ends, PRICE_WINDOW, ps);
        if (xm == null) Arrays.fill(pm, 0, ends, Double.NaN);
        else xm.pricesBack(t, MIN, ends, PRICE_WINDOW, pm);
      } else {
        for (int i = 0; i < ends; i++) {
          long at = t - i * MIN;
          ps[i] = xs == null ? Double.NaN : xs.priceAt(at, PRICE_WINDOW);
          pm[i] = xm == null ? Double.NaN : xm.priceAt(at, PRICE_WINDOW);
        }
      }
      List<V2.Span> spans = coverage.get(s);
      double[] v = vs;
      for (int i = 0; i + 1 < ends; i++) {
        long a = t - (i + 1) * MIN, b = t - i * MIN;
        if (!covered(spans, a, b)) continue;
        double su = ps[i + 1], st = ps[i];
        if (Double.isNaN(su) || Double.isNaN(st)) continue;
        double raw = Math.log(st / su);
        double mu = pm[i + 1], mt = pm[i];
        v[n++] = proxy || Double.isNaN(mu) || Double.isNaN(mt) ? raw : raw - beta * Math.log(mt / mu);
      }
      if (n >= 10) realised = stdev(v, n);
    }
    Double floor = floor(s, day);
    out[1] = realised;
    out[2] = floor == null ? Double.NaN : floor;
    if (Double.isNaN(realised) && floor == null) return out[0] = Double.NaN;
    double sig = Math.max(Double.isNaN(realised) ? Double.NEGATIVE_INFINITY : realised, floor == null ? Double.NEGATIVE_INFINITY : floor);
    double p = start != Long.MIN_VALUE ? ps[0] : px(s, t);
    if (!Double.isNaN(p)) sig = Math.max(sig, 0.01 / p);
    return out[0] = sig;
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
