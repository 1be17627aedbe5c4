package dev.newstape.flink.v2;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One symbol's prints of one kind (eligible, or volume-counting) sorted by (ts, seq), a second bar's synthetic
 * print after real prints of the same ts. Arrays grow; an insert is an append unless a print arrives out of order.
 */
public final class Series implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Sort key of a print without seq (second bar): after every real print of the same ts. */
  public static final long NO_SEQ = Long.MAX_VALUE;
  static final byte LIVE = 0, TRADES = 1, SECONDS = 2;

  public long[] ts = new long[16];
  public long[] seq = new long[16];
  public double[] price = new double[16];
  public double[] size = new double[16];
  public int[] weight = new int[16];
  public byte[] src = new byte[16];
  public int n;

  public static byte sourceCode(String s) {
    return "trades".equals(s) ? TRADES : "seconds".equals(s) ? SECONDS : LIVE;
  }

  public static String sourceName(byte b) {
    return b == TRADES ? "trades" : b == SECONDS ? "seconds" : "live";
  }

  public void add(long t, long q, double p, double s, int w, byte source) {
    if (n == ts.length) grow();
    int at = n;
    if (n > 0 && (ts[n - 1] > t || (ts[n - 1] == t && seq[n - 1] > q))) {
      at = upper(t, q);
      invalidate(); // indices after the insert point moved
      if (steps != null) steps.insertedAt(t);
      int len = n - at;
      System.arraycopy(ts, at, ts, at + 1, len);
      System.arraycopy(seq, at, seq, at + 1, len);
      System.arraycopy(price, at, price, at + 1, len);
      System.arraycopy(size, at, size, at + 1, len);
      System.arraycopy(weight, at, weight, at + 1, len);
      System.arraycopy(src, at, src, at + 1, len);
    }
    ts[at] = t;
    seq[at] = q;
    price[at] = p;
    size[at] = s;
    weight[at] = w;
    src[at] = source;
    n++;
  }

  private void grow() {
    int c = ts.length * 2;
    ts = Arrays.copyOf(ts, c);
    seq = Arrays.copyOf(seq, c);
    price = Arrays.copyOf(price, c);
    size = Arrays.copyOf(size, c);
    weight = Arrays.copyOf(weight, c);
    src = Arrays.copyOf(src, c);
  }

  /** First index whose (ts, seq) is greater than (t, q). */
  private int upper(long t, long q) {
    int lo = 0, hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ts[mid] < t || (ts[mid] == t && seq[mid] <= q)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Number of prints with ts ≤ t (so index of the last one is this − 1). */
  public int countAtOrBefore(long t) {
    Hints h = hints();
    int slot = slot(t);
    int c = countAtOrBefore(t, h.at[slot]);
    h.at[slot] = c;
    return c;
  }

  /** Number of prints with ts < t. */
  public int countBefore(long t) {
    return t == Long.MIN_VALUE ? 0 : countAtOrBefore(t - 1);
  }

  /** Prints with ts in (a, b]. */
  public int countIn(long aExclusive, long bInclusive) {
    return Math.max(0, countAtOrBefore(bInclusive) - countAtOrBefore(aExclusive));
  }

  /**
   * {@link #countAtOrBefore(long)} searched outwards from a previous answer {@code h}: the engine asks for times that
   * move forward a little between calls, so this takes a few comparisons instead of a binary search over hours of
   * prints. Any {@code h} gives the right answer.
   */
  int countAtOrBefore(long t, int h) {
    return countAtOrBefore(ts, n, t, h);
  }

  /** The number of {@code a[0..n)} (sorted) that are ≤ t, searched outwards from the guess {@code h}. */
  static int countAtOrBefore(long[] a, int n, long t, int h) {
    if (h > n) h = n;
    if (h < 0) h = 0;
    if (h < n && a[h] <= t) { // the answer is above h
      int lo = h + 1, step = 1, p = lo;
      while (p < n && a[p] <= t) {
        lo = p + 1;
        p = lo + step;
        step <<= 1;
      }
      return firstAfter(a, t, lo, Math.min(p, n));
    }
    if (h == 0 || a[h - 1] <= t) return h;
    int hi = h - 1, step = 1, p = hi - 1; // a[hi] > t: the answer is at most hi
    while (p >= 0 && a[p] > t) {
      hi = p;
      p = hi - 1 - step;
      step <<= 1;
    }
    return firstAfter(a, t, Math.max(p + 1, 0), hi);
  }

  /** First index in [lo, hi] whose value is > t, given that every one before lo is ≤ t and a[hi] (if any) is > t. */
  private static int firstAfter(long[] a, long t, int lo, int hi) {
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  // ---- p_S(t): the median of a 2-second window, from a cursor that follows the asked time ----

  /**
   * Transient search state, rebuilt on demand (not in checkpoints). {@code at}: per slot (minute of the asked time,
   * mod {@link #SLOTS}) the last answer of {@link #countAtOrBefore(long)}. Per slot {@link #WAYS} cursors (arrays
   * indexed slot × WAYS + way), each with the last time asked through it, its two search answers and the sorted
   * prices of its window [lo, hi) ({@code lo > hi}: none). The move rule asks for prices at t, t − 1 min, …,
   * t − 31 min at every print (sigma's 30 intervals), so a cursor follows one of those times forwards (into the next
   * slot when its time crosses a minute) and its window changes by a print or so between asks; the other ways serve
   * fixed times asked in between (a headline's t0).
   */
  static final class Hints {
    int[] at = new int[SLOTS];
    long[] t = new long[SLOTS * WAYS];
    int[] hiHint = new int[SLOTS * WAYS];
    int[] loHint = new int[SLOTS * WAYS];
    int[] lo = new int[SLOTS * WAYS];
    int[] hi = new int[SLOTS * WAYS];
    double[][] v = new double[SLOTS * WAYS][];

    Hints() {
      Arrays.fill(t, Long.MIN_VALUE);
      Arrays.fill(lo, 1);
    }

    void swap(int a, int b) {
      long x = t[a];
      t[a] = t[b];
      t[b] = x;
      int y = hiHint[a];
      hiHint[a] = hiHint[b];
      hiHint[b] = y;
      y = loHint[a];
      loHint[a] = loHint[b];
      loHint[b] = y;
      y = lo[a];
      lo[a] = lo[b];
      lo[b] = y;
      y = hi[a];
      hi[a] = hi[b];
      hi[b] = y;
      double[] z = v[a];
      v[a] = v[b];
      v[b] = z;
    }
  }

  static final int SLOTS = 64, WAYS = 4;
  private transient Hints hints;

  private static int slot(long t) {
    return (int) (Math.floorDiv(t, Eastern.MIN) & (SLOTS - 1));
  }

  private Hints hints() {
    if (hints == null) hints = new Hints();
    return hints;
  }

  private static long distance(long a, long b) {
    long d = a > b ? a - b : b - a;
    return d < 0 ? Long.MAX_VALUE : d; // overflow: far apart
  }

  /**
   * The cursor for {@code t}: the way of t's slot asked nearest to t when within {@code near}; else the one of the
   * previous slot that is (a time that just crossed a minute), moved into this slot; else this slot's way asked
   * farthest from t, started afresh from the nearest one's answers.
   */
  private int cursor(Hints h, long t, long near) {
    int s = slot(t), base = s * WAYS, best = base, worst = base;
    long bestD = Long.MAX_VALUE, worstD = -1;
    for (int i = base; i < base + WAYS; i++) {
      long d = h.t[i] == Long.MIN_VALUE ? Long.MAX_VALUE : distance(h.t[i], t);
      if (d < bestD) {
        bestD = d;
        best = i;
      }
      if (d > worstD) {
        worstD = d;
        worst = i;
      }
    }
    if (bestD <= near) return best;
    int prev = ((s - 1) & (SLOTS - 1)) * WAYS;
    for (int i = prev; i < prev + WAYS; i++) {
      if (h.t[i] != Long.MIN_VALUE && distance(h.t[i], t) <= near) {
        h.swap(i, worst);
        return worst;
      }
    }
    if (worst != best) {
      h.hiHint[worst] = h.hiHint[best];
      h.loHint[worst] = h.loHint[best];
    }
    h.lo[worst] = 1; // nothing kept: the window is sorted afresh
    h.hi[worst] = 0;
    return worst;
  }

  /**
   * p_S(t) (docs/impact-v2.md "Price"): the median of the prints in (t − window, t] when there are at least 3, else
   * the last at or before t; NaN when there is none. Before the last print's time it is read from the step function
   * ({@link Steps}), else computed from a cursor's window.
   */
  public double priceAt(long t, long window) {
    if (n == 0 || t < ts[0]) return Double.NaN;
    if (t < ts[n - 1]) {
      Steps st = steps(window);
      if (st != null && st.n > 0 && t >= st.t[0]) return st.value(t);
    }
    return direct(t, window);
  }

  /**
   * p_S(base − i·step) for i in [0, count) into {@code out} (NaN: none). The move rule asks this at every print with
   * a base that moves forwards a little each time (sigma's 31 interval ends), so the i-th time searches the step
   * function from where the i-th time of the last call ended, without choosing a cursor.
   */
  void pricesBack(long base, long step, int count, long window, double[] out) {
    Steps st = n == 0 ? null : steps(window);
    if (grid == null || grid.length < count) grid = new int[Math.max(count, 32)];
    for (int i = 0; i < count; i++) {
      long at = base - i * step;
      if (n == 0 || at < ts[0]) out[i] = Double.NaN;
      else if (st != null && at < ts[n - 1] && st.n > 0 && at >= st.t[0]) {
        int c = countAtOrBefore(st.t, st.n, at, grid[i]);
        grid[i] = c;
        out[i] = st.v[c - 1];
      } else out[i] = direct(at, window);
    }
  }

  /** {@link #pricesBack}'s positions in the step function (transient). */
  private transient int[] grid;

  /** p_S(t) from a cursor: its searches and its window, moved to t. */
  private double direct(long t, long window) {
    Hints h = hints();
    int c = cursor(h, t, window);
    h.t[c] = t;
    int hi = countAtOrBefore(t, h.hiHint[c]);
    h.hiHint[c] = hi;
    if (hi == 0) return Double.NaN;
    int lo = countAtOrBefore(t - window, h.loHint[c]);
    h.loHint[c] = lo;
    if (hi - lo < 3) return price[hi - 1];
    return median(window(h, c, lo, hi), hi - lo);
  }

  // ---- the step function of p_S ----

  /**
   * p_S as a step function (transient, rebuilt on demand): p_S(t) changes only where a print enters the window (its
   * ts) or leaves it (ts + window), so between two such breakpoints it is constant. Breakpoints before the last print's
   * time are final (a later print in order has a ts at or after it), and are computed once each by one window that
   * sweeps forwards; a price asked before that time is then a search from a remembered position instead of a window
   * of its own. The move rule asks 62 prices per print (sigma's 31 ends, of S and of M), nearly all of them there.
   */
  static final class Steps {
    long w;
    long[] t = new long[64];
    double[] v = new double[64];
    int n;
    /** Built for the breakpoints before this (the last print's ts then). */
    long upTo = Long.MIN_VALUE;
    /** The sweep at the last breakpoint: counts of prints ≤ it and ≤ it − w, and their prices sorted. */
    int lo, hi;
    double[] win = new double[16];
    boolean swept = true;
    /** Per slot (minute of the asked time) {@link #WAYS} remembered (time, position) pairs. */
    long[] hintT = new long[SLOTS * WAYS];
    int[] hint = new int[SLOTS * WAYS];

    Steps(long w) {
      this.w = w;
      Arrays.fill(hintT, Long.MIN_VALUE);
    }

    /** The value at t, for t in [t[0], the last print's ts). */
    double value(long at) {
      int base = slot(at) * WAYS, best = base, worst = base;
      long bestD = Long.MAX_VALUE, worstD = -1;
      for (int i = base; i < base + WAYS; i++) {
        long d = hintT[i] == Long.MIN_VALUE ? Long.MAX_VALUE : distance(hintT[i], at);
        if (d < bestD) {
          bestD = d;
          best = i;
        }
        if (d > worstD) {
          worstD = d;
          worst = i;
        }
      }
      int c = countAtOrBefore(t, n, at, hint[best]);
      int keep = bestD <= w ? best : worst; // a time far from every way's takes the way asked farthest away
      hintT[keep] = at;
      hint[keep] = c;
      return v[c - 1];
    }

    /** Adds every breakpoint before the last print's ts. */
    void extend(Series s) {
      long end = s.ts[s.n - 1];
      if (end <= upTo) return;
      if (!swept) resweep(s);
      int pn = s.n;
      while (true) {
        long enter = hi < pn ? s.ts[hi] : Long.MAX_VALUE;
        long leave = lo < pn ? plus(s.ts[lo], w) : Long.MAX_VALUE;
        long b = Math.min(enter, leave);
        if (b >= end) break;
        int m = hi - lo;
        while (lo < pn && plus(s.ts[lo], w) <= b) m = remove(win, m, s.price[lo++]);
        while (hi < pn && s.ts[hi] <= b) {
          if (win.length == m) win = Arrays.copyOf(win, m * 2);
          m = insert(win, m, s.price[hi++]);
        }
        double x = hi == 0 ? Double.NaN : m < 3 ? s.price[hi - 1] : median(win, m);
        if (n == t.length) {
          t = Arrays.copyOf(t, n * 2);
          v = Arrays.copyOf(v, n * 2);
        }
        t[n] = b;
        v[n++] = x;
      }
      upTo = end;
    }

    /** The sweep afresh at the last breakpoint kept (or before the first print when none is). */
    private void resweep(Series s) {
      if (n == 0) {
        lo = hi = 0;
      } else {
        long b = t[n - 1];
        hi = s.countAtOrBefore(b, hi);
        lo = s.countAtOrBefore(b - w, lo);
        int k = hi - lo;
        if (win.length < k) win = new double[Math.max(k, win.length * 2)];
        System.arraycopy(s.price, lo, win, 0, k);
        Arrays.sort(win, 0, k);
      }
      swept = true;
    }

    /** A print was inserted at ts {@code at} before the last one: breakpoints from {@code at} on are recomputed. */
    void insertedAt(long at) {
      n = countAtOrBefore(t, n, at - 1, n);
      upTo = n == 0 ? Long.MIN_VALUE : t[n - 1];
      swept = false;
    }

    /**
     * {@code k} prints before {@code from} were dropped. A breakpoint at or after from + w keeps its value when its
     * window had a print (they are all kept); one with an empty window read the last print before it, which is gone
     * when no print is left at or before the breakpoint.
     */
    void dropped(Series s, int k, long from) {
      int first = countAtOrBefore(t, n, plus(from, w) - 1, 0);
      if (first == n) {
        n = 0;
        upTo = Long.MIN_VALUE;
        swept = false;
        return;
      }
      System.arraycopy(t, first, t, 0, n - first);
      System.arraycopy(v, first, v, 0, n - first);
      n -= first;
      long firstTs = s.n == 0 ? Long.MAX_VALUE : s.ts[0];
      for (int i = 0; i < n && t[i] < firstTs; i++) v[i] = Double.NaN;
      lo -= k; // the last breakpoint is at or after from + w, so the k dropped prints were all ≤ it − w
      hi -= k;
      Arrays.fill(hint, 0);
    }
  }

  private transient Steps steps;

  /** a + b, or Long.MAX_VALUE when that overflows (b ≥ 0). */
  static long plus(long a, long b) {
    long r = a + b;
    return r < a ? Long.MAX_VALUE : r;
  }

  private Steps steps(long window) {
    if (steps == null) steps = new Steps(window);
    if (steps.w != window) return null;
    steps.extend(this);
    return steps;
  }

  /** The median of sorted {@code v[0..k)}: the middle value, or the mean of the two middle values for even k. */
  static double median(double[] v, int k) {
    int mid = k >>> 1;
    return (k & 1) == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  }

  /**
   * Makes cursor {@code c} hold the sorted prices of [lo, hi) and returns them: removes and inserts the prints that
   * differ from its last window, or sorts afresh when that is less work.
   */
  private double[] window(Hints h, int c, int lo, int hi) {
    int wlo = h.lo[c], whi = h.hi[c];
    double[] v = h.v[c];
    if (wlo == lo && whi == hi) return v;
    int k = hi - lo;
    int keepFrom = Math.max(wlo, lo), keepTo = Math.min(whi, hi);
    int kept = Math.max(0, keepTo - keepFrom);
    int changes = (whi - wlo - kept) + (k - kept);
    if (v == null || wlo > whi || kept == 0 || changes > k) {
      if (v == null || v.length < k) v = new double[Math.max(k, v == null ? 16 : v.length * 2)];
      System.arraycopy(price, lo, v, 0, k);
      Arrays.sort(v, 0, k);
    } else {
      int m = whi - wlo;
      for (int i = wlo; i < keepFrom; i++) m = remove(v, m, price[i]);
      for (int i = keepTo; i < whi; i++) m = remove(v, m, price[i]);
      if (v.length < k) v = Arrays.copyOf(v, Math.max(k, v.length * 2));
      for (int i = lo; i < keepFrom; i++) m = insert(v, m, price[i]);
      for (int i = keepTo; i < hi; i++) m = insert(v, m, price[i]);
    }
    h.v[c] = v;
    h.lo[c] = lo;
    h.hi[c] = hi;
    return v;
  }

  private static int remove(double[] v, int m, double x) {
    int i = Arrays.binarySearch(v, 0, m, x);
    if (i < 0) throw new IllegalStateException("price window out of step with the series");
    System.arraycopy(v, i + 1, v, i, m - i - 1);
    return m - 1;
  }

  private static int insert(double[] v, int m, double x) {
    int i = Arrays.binarySearch(v, 0, m, x);
    if (i < 0) i = -i - 1;
    System.arraycopy(v, i, v, i + 1, m - i);
    v[i] = x;
    return m + 1;
  }

  /** Indices moved (an insert out of order, a drop): forget the windows; search answers stay valid as hints. */
  private void invalidate() {
    if (hints != null) {
      Arrays.fill(hints.lo, 1);
      Arrays.fill(hints.hi, 0);
    }
  }

  /** Drops prints with ts < t (state pruning). */
  public void dropBefore(long t) {
    int k = countBefore(t);
    if (k == 0) return;
    invalidate();
    int len = n - k;
    System.arraycopy(ts, k, ts, 0, len);
    System.arraycopy(seq, k, seq, 0, len);
    System.arraycopy(price, k, price, 0, len);
    System.arraycopy(size, k, size, 0, len);
    System.arraycopy(weight, k, weight, 0, len);
    System.arraycopy(src, k, src, 0, len);
    n = len;
    if (steps != null) steps.dropped(this, k, t);
  }
}
