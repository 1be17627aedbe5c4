package dev.newstape.flink.v2;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * News impact v2 of one headline on one symbol (docs/impact-v2.md "Headline impact") read from a {@link Market}, and
 * {@link #compute} — the whole definition as one pure function of a golden vector's inputs.
 */
public final class ImpactV2 {
  private ImpactV2() {}

  static final long MIN = Eastern.MIN;
  static final int[] HORIZONS = {1, 5, 15};
  static final long DAY = 24 * 60 * MIN;

  /** Everything a golden vector file gives. */
  public record Input(V2.Settings settings, Map<String, List<V2.Span>> coverage, List<V2.MinuteBar> minuteBars,
      List<V2.Print> prints, List<V2.Headline> articles) {}

  public record Output(List<V2.ImpactRecord> impacts, List<V2.MoveAlert> moves) {}

  /** The distinct tickers of a headline, in order. */
  public static List<String> tickers(V2.Headline h) {
    return new ArrayList<>(new LinkedHashSet<>(List.of(h.tickers)));
  }

  /** The definition at {@code asOf}: one record per (article, ticker), and every move alert of asOf's trading day. */
  public static Output compute(Input in, long asOf) {
    Market m = new Market(in.settings());
    in.coverage().forEach((s, spans) -> spans.forEach(sp -> m.addCoverage(s, sp)));
    for (V2.MinuteBar b : in.minuteBars()) m.addMinuteBar(b);
    for (V2.Print p : in.prints()) if ("live".equals(p.source) && p.valid()) m.noteFirstLive(p.symbol, p.ts);
    for (V2.Print p : in.prints()) if (p.ts <= asOf) m.add(p);
    List<V2.MoveAlert> moves = new ArrayList<>();
    long day = Eastern.day(asOf);
    for (String s : m.eligible.keySet()) {
      if (s.equals(in.settings().proxy())) continue;
      MoveDetector det = new MoveDetector(s);
      Series x = m.eligible(s);
      for (int i = 0; i < x.n; i++) {
        if (Eastern.day(x.ts[i]) != day) continue;
        V2.MoveAlert a = det.onPrint(m, x.ts[i]);
        if (a != null) moves.add(a);
      }
    }
    moves.sort(Comparator.<V2.MoveAlert>comparingLong(a -> a.detectedAt).thenComparing(a -> a.symbol));
    linkHeadlines(moves, in.articles());
    List<V2.ImpactRecord> out = new ArrayList<>();
    for (V2.Headline h : in.articles())
      for (String s : tickers(h)) out.add(record(m, h, s, asOf, in.articles(), moves));
    return new Output(out, moves);
  }

  static boolean tagged(V2.Headline h, String s) {
    for (String t : h.tickers) if (s.equals(t)) return true;
    return false;
  }

  static boolean links(V2.Headline h, V2.MoveAlert a) {
    return tagged(h, a.symbol) && h.published >= a.detectedAt - 3 * MIN && h.published <= a.detectedAt + 3 * MIN;
  }

  /** Fills each move's {@code headlines}: linked article ids sorted by (published, id). */
  public static void linkHeadlines(List<V2.MoveAlert> moves, List<V2.Headline> articles) {
    for (V2.MoveAlert a : moves) {
      TreeMap<String, V2.Headline> ids = new TreeMap<>();
      for (V2.Headline h : articles) if (links(h, a)) ids.put(h.id, h);
      List<V2.Headline> hs = new ArrayList<>(ids.values());
      hs.sort(Comparator.<V2.Headline>comparingLong(h -> h.published).thenComparing(h -> h.id));
      a.headlines = new ArrayList<>();
      for (V2.Headline h : hs) a.headlines.add(h.id);
    }
  }

  /** The move a headline belongs to: the linked one nearest in time (ties: the earlier move). */
  public static String moveOf(V2.Headline h, String s, List<V2.MoveAlert> moves) {
    V2.MoveAlert best = null;
    for (V2.MoveAlert a : moves) {
      if (!a.symbol.equals(s) || !links(h, a)) continue;
      long d = Math.abs(a.detectedAt - h.published);
      if (best == null || d < Math.abs(best.detectedAt - h.published)
          || (d == Math.abs(best.detectedAt - h.published) && a.detectedAt < best.detectedAt)) best = a;
    }
    return best == null ? null : best.id;
  }

  /** The stale rule: the 10 latest other headlines tagged S in [t0 − 24 h, t0) (ties: later in input first). */
  public static boolean stale(V2.Headline h, String s, List<V2.Headline> articles) {
    List<int[]> idx = new ArrayList<>();
    for (int i = 0; i < articles.size(); i++) {
      V2.Headline o = articles.get(i);
      if (o.id.equals(h.id) || !tagged(o, s)) continue;
      if (o.published >= h.published - DAY && o.published < h.published) idx.add(new int[] {i});
    }
    idx.sort((a, b) -> {
      int c = Long.compare(articles.get(b[0]).published, articles.get(a[0]).published);
      return c != 0 ? c : Integer.compare(b[0], a[0]);
    });
    List<String> titles = new ArrayList<>();
    for (int i = 0; i < Math.min(10, idx.size()); i++) titles.add(articles.get(idx.get(i)[0]).title);
    return Words.staleAgainst(h.title, titles);
  }

  /** One impact record at {@code asOf}; reads only prints with ts ≤ asOf. */
  public static V2.ImpactRecord record(Market m, V2.Headline h, String s, long asOf, List<V2.Headline> articles,
      List<V2.MoveAlert> moves) {
    V2.Settings st = m.settings;
    long t0 = h.published;
    V2.ImpactRecord r = new V2.ImpactRecord();
    r.articleId = h.id;
    r.symbol = s;
    r.published = t0;
    r.receivedAt = h.receivedAt;
    r.asOf = asOf;
    r.settings = st;
    r.latencyMs = h.receivedAt - t0;
    r.fin = asOf >= t0 + 15 * MIN;
    r.stale = stale(h, s, articles);
    r.move = moveOf(h, s, moves);
    Series x = m.eligible(s);
    long known = Math.min(asOf, Long.MAX_VALUE);
    // p0 and sigma read the price at t0, which cannot see past asOf (article-after-asof: asOf < t0).
    long tRef = Math.min(t0, known);
    r.source = source(x, t0, known);
    r.p0 = m.price(s, tRef);
    r.beta = m.beta(s, Eastern.day(t0));
    Double[] sig = m.sigma(s, tRef);
    r.sigma = sig[0];
    r.sigmaRealised = sig[1];
    r.sigmaFloor = sig[2];
    Double[] ret = new Double[3], ar = new Double[3], z = new Double[3];
    Boolean[] quiet = new Boolean[3];
    Double a5 = null;
    for (int i = 0; i < 3; i++) {
      int k = HORIZONS[i];
      long tk = t0 + k * MIN;
      if (asOf < tk) continue;
      quiet[i] = quiet(m, s, x, t0, k);
      if (r.p0 == null || x == null || x.countIn(t0, tk) == 0) continue;
      Double pk = m.price(s, tk);
      double[] a = m.abnormal(s, t0, tk, r.beta);
      if (pk == null || a == null) continue;
      ret[i] = pk / r.p0 - 1;
      ar[i] = Math.exp(a[0]) - 1;
      z[i] = r.sigma == null ? null : a[0] / (r.sigma * Math.sqrt(k));
      if (k == 5) a5 = a[0];
    }
    // a(t0, ·) uses the proxy exactly when M has a price at t0 (it never loses it later): one check says it.
    r.adjusted = !s.equals(st.proxy()) && r.p0 != null && m.price(st.proxy(), tRef) != null;
    r.ret1 = ret[0];
    r.ret5 = ret[1];
    r.ret15 = ret[2];
    r.ar1 = ar[0];
    r.ar5 = ar[1];
    r.ar15 = ar[2];
    r.z1 = z[0];
    r.z5 = z[1];
    r.z15 = z[2];
    r.quiet1 = quiet[0];
    r.quiet5 = quiet[1];
    r.quiet15 = quiet[2];
    if (asOf >= t0 + 5 * MIN) rvol(m, s, t0, r);
    signal(m, s, x, t0, asOf, r, a5);
    if (r.detectedAt != null) r.alertAt = Math.max(r.detectedAt, h.receivedAt);
    return r;
  }

  static String source(Series x, long t0, long asOf) {
    if (x == null) return null;
    int k = x.countAtOrBefore(t0);
    if (k > 0 && x.ts[k - 1] <= asOf) return Series.sourceName(x.src[k - 1]);
    if (k < x.n && x.ts[k] <= asOf) return Series.sourceName(x.src[k]);
    return null;
  }

  static boolean quiet(Market m, String s, Series x, long t0, int k) {
    long tk = t0 + k * MIN;
    if (x != null && x.countIn(t0, tk) > 0) return false;
    if (!m.covered(s, t0 - 30 * MIN, tk)) return false;
    long w = 0;
    if (x != null) for (int i = x.countBefore(t0 - 30 * MIN), e = x.countBefore(t0); i < e; i++) w += x.weight[i];
    return w * (double) k / 30 >= 20;
  }

  static void rvol(Market m, String s, long t0, V2.ImpactRecord r) {
    // The numerator's window must be covered too: volume the data does not see is unknown, not zero.
    if (!m.covered(s, t0, t0 + 5 * MIN)) return;
    double v = m.volumeIn(s, t0, t0 + 5 * MIN);
    Double mean = m.slotMean(s, t0);
    if (mean != null && mean > 0) {
      r.rvol5 = v / mean;
      r.rvolBasis = "slot";
      return;
    }
    if (m.covered(s, t0 - 60 * MIN, t0)) {
      double base = m.volumeIn(s, t0 - 60 * MIN, t0) / 12;
      if (base > 0) {
        r.rvol5 = v / base;
        r.rvolBasis = "hour";
      }
    }
  }

  /** R5(x) with its sign: +1/−1 when it holds, 0 otherwise. */
  static int r5(double x, V2.ImpactRecord r, V2.Settings st) {
    if (r.sigma == null) return 0;
    double zz = Math.abs(x) / (r.sigma * Math.sqrt(5));
    boolean holds = zz >= st.z() || (r.rvol5 != null && r.rvol5 >= st.rvol() && zz >= st.zWithVolume());
    return !holds || x == 0 ? 0 : x > 0 ? 1 : -1;
  }

  /** Early signal, the +5 m rule, confirmed and detectedAt. */
  static void signal(Market m, String s, Series x, long t0, long asOf, V2.ImpactRecord r, Double a5) {
    V2.Settings st = m.settings;
    long t5 = t0 + 5 * MIN;
    // p_S(t0) and p_M(t0) for a(t0, t) at every print below, looked up once (nothing changes the market meanwhile).
    double s0 = m.px(s, t0), m0 = m.px(st.proxy(), t0);
    if (x != null && r.sigma != null && r.p0 != null) {
      MoveDetector.Confirmation run = new MoveDetector.Confirmation();
      double bound = st.z() * r.sigma * Math.sqrt(5);
      for (int i = x.countAtOrBefore(t0), e = x.countAtOrBefore(Math.min(t5, asOf)); i < e; i++) {
        long t = x.ts[i];
        double a = m.move(s, s0, m0, t, r.beta); // NaN: abnormal() would be null
        int d = Double.isNaN(a) || !(Math.abs(a) >= bound) || a == 0 ? 0 : a > 0 ? 1 : -1;
        if (run.step(d, t)) {
          r.signal = d > 0 ? "up" : "down";
          r.detectedAt = t;
          break;
        }
      }
    }
    if (asOf < t5) return;
    int held = a5 == null ? 0 : r5(a5, r, st);
    if (r.signal == null) {
      int first = x == null ? 0 : x.countAtOrBefore(t0), last = x == null ? 0 : x.countAtOrBefore(t5) - 1;
      if (held != 0 && last >= first && Boolean.FALSE.equals(r.quiet5)) {
        long lastTs = x.ts[last];
        int i = last;
        long runStart = Long.MAX_VALUE;
        while (i >= first) {
          double a = m.move(s, s0, m0, x.ts[i], r.beta);
          if (Double.isNaN(a) || r5(a, r, st) != held) break;
          runStart = x.ts[i];
          i--;
        }
        if (runStart <= lastTs - MoveDetector.CONFIRM) {
          r.signal = held > 0 ? "up" : "down";
          r.detectedAt = t5;
        }
      }
    }
    if (r.signal == null) {
      r.signal = "none";
      return;
    }
    r.confirmed = held == ("up".equals(r.signal) ? 1 : -1);
  }
}
