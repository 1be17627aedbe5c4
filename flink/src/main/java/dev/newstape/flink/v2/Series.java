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

  /**
   * Copy-on-write, for checkpoints ({@link #copy}): the prints below this index are also another Series's, which a
   * checkpoint may be writing out, so they are never written in place. The capacity after {@link #n} is this one's:
   * the other never reads past its own n.
   */
  private transient int shared;
  /** A copy was taken from this Series: its arrays past n are the copy's now, so any write takes its own arrays first. */
  private transient boolean frozen;

  public void add(long t, long q, double p, double s, int w, byte source) {
    if (frozen) own(ts.length);
    if (n == ts.length) grow();
    int at = n;
    if (n > 0 && (ts[n - 1] > t || (ts[n - 1] == t && seq[n - 1] > q))) {
      at = upper(t, q);
      if (at < shared) own(ts.length); // the shift below would write into shared prints
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
    if (steps != null && t <= steps.upTo) steps.changedFrom(t); // p_S from t on was computed without this print
  }

  private void grow() {
    own(ts.length * 2);
  }

  /** Takes arrays of its own with the given capacity (the prints kept, nothing shared any more). */
  private void own(int c) {
    ts = Arrays.copyOf(ts, c);
    seq = Arrays.copyOf(seq, c);
    price = Arrays.copyOf(price, c);
    size = Arrays.copyOf(size, c);
    weight = Arrays.copyOf(weight, c);
    src = Arrays.copyOf(src, c);
    shared = 0;
    frozen = false;
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
    if (at == null) at = new int[SLOTS];
    int slot = slot(t);
    int c = countAtOrBefore(t, at[slot]);
    at[slot] = c;
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

  // ---- p_S(t) ----

  /** Per slot (minute of the asked time, mod {@link #SLOTS}): the last answer of {@link #countAtOrBefore(long)}. */
  private transient int[] at;

  static final int SLOTS = 64, WAYS = 2;

  private static int slot(long t) {
    return (int) (Math.floorDiv(t, Eastern.MIN) & (SLOTS - 1));
  }

  /**
   * p_S(t) (docs/impact-v2.md "Price"): the median of the prints in (t − window, t] when there are at least 3, else
   * the last at or before t; NaN when there is none. Read from the step function ({@link Steps}) of the prints held
   * now.
   */
  public double priceAt(long t, long window) {
    if (n == 0 || t < ts[0]) return Double.NaN;
    Steps st = steps(window);
    if (st == null) return computed(t, window);
    if (t > st.upTo) st.extend(this, t);
    if (st.n == 0 || t < st.t[0]) return computed(t, window);
    return st.value(t);
  }

  /**
   * p_S(base − i·step) for i in [0, count) into {@code out} (NaN: none). The move rule asks this with a base that
   * moves forwards a little each time (sigma's 31 interval ends), so the i-th time is searched from where the i-th
   * time of the last call was found.
   */
  void pricesBack(long base, long step, int count, long window, double[] out) {
    if (grid == null || grid.length < count) grid = new int[Math.max(count, 32)];
    Steps st = n == 0 ? null : steps(window);
    if (st != null && base > st.upTo) st.extend(this, base);
    for (int i = 0; i < count; i++) {
      long x = base - i * step;
      if (n == 0 || x < ts[0]) out[i] = Double.NaN;
      else if (st == null || st.n == 0 || x < st.t[0]) out[i] = computed(x, window);
      else {
        int c = countAtOrBefore(st.t, st.n, x, grid[i]);
        grid[i] = c;
        out[i] = st.v[c - 1];
      }
    }
  }

  /** {@link #pricesBack}'s positions in the step function (transient). */
  private transient int[] grid;

  /** p_S(t) computed from the prints (the few times the step function does not reach: before a prune's cut). */
  private double computed(long t, long window) {
    int hi = countAtOrBefore(t, n), lo = countAtOrBefore(t - window, 0);
    if (hi == 0) return Double.NaN;
    int k = hi - lo;
    if (k < 3) return price[hi - 1];
    double[] v = Arrays.copyOfRange(price, lo, hi);
    Arrays.sort(v);
    return median(v, k);
  }

  /** The median of sorted {@code v[0..k)}: the middle value, or the mean of the two middle values for even k. */
  static double median(double[] v, int k) {
    int mid = k >>> 1;
    return (k & 1) == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
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

  /** a + b, or Long.MAX_VALUE when that overflows (b ≥ 0). */
  static long plus(long a, long b) {
    long r = a + b;
    return r < a ? Long.MAX_VALUE : r;
  }

  private static long distance(long a, long b) {
    long d = a > b ? a - b : b - a;
    return d < 0 ? Long.MAX_VALUE : d; // overflow: far apart
  }

  /**
   * p_S as a step function of the prints held now (transient, rebuilt on demand). p_S(t) changes only where a print
   * enters the window (its ts) or leaves it (ts + window), so it is constant between two such breakpoints. The
   * breakpoints up to the latest time asked are computed once each, in order, by one window that sweeps forwards
   * (a print in, a print out: a binary search and a short move in a sorted array); a price is then a search from a
   * remembered position. A print added at or before that time throws away the breakpoints from its ts on. The move
   * rule asks 64 prices per print (sigma's 31 interval ends of S and of M, and both ends of the move).
   */
  static final class Steps {
    long w;
    long[] t = new long[64];
    double[] v = new double[64];
    int n;
    /** Every breakpoint at or before this is in t/v. */
    long upTo = Long.MIN_VALUE;
    /** The sweep after the last breakpoint: counts of prints ≤ it and ≤ it − w, and the window's prices sorted. */
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

    /** The value at {@code at}, for at in [t[0], upTo]. */
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

    /** Adds every breakpoint up to {@code until}. */
    void extend(Series s, long until) {
      if (!swept) resweep(s);
      int pn = s.n;
      while (true) {
        long enter = hi < pn ? s.ts[hi] : Long.MAX_VALUE;
        long leave = lo < hi ? plus(s.ts[lo], w) : Long.MAX_VALUE;
        long b = Math.min(enter, leave);
        if (b > until) break;
        int m = hi - lo;
        while (lo < hi && plus(s.ts[lo], w) <= b) m = remove(win, m, s.price[lo++]);
        while (hi < pn && s.ts[hi] <= b) {
          if (win.length == m) win = Arrays.copyOf(win, m * 2);
          m = insert(win, m, s.price[hi++]);
        }
        double x = m < 3 ? s.price[hi - 1] : median(win, m);
        if (n == t.length) {
          t = Arrays.copyOf(t, n * 2);
          v = Arrays.copyOf(v, n * 2);
        }
        t[n] = b;
        v[n++] = x;
      }
      upTo = Math.max(upTo, until);
    }

    /** The sweep afresh after the last breakpoint kept (or before the first print when none is). */
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

    /** A print at {@code from} was added: breakpoints from it on are computed again when asked for. */
    void changedFrom(long from) {
      n = countAtOrBefore(t, n, from - 1, n);
      upTo = from - 1;
      swept = false; // the sweep may have passed from, and indices may have moved
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

  /** The step function for {@code window} (null for another window: the engine asks one only). */
  private Steps steps(long window) {
    if (steps == null) steps = new Steps(window);
    return steps.w == window ? steps : null;
  }

  /**
   * A copy of the prints (not of the caches) that shares their arrays (copy-on-write: {@link #shared},
   * {@link #frozen}). The heap state backend copies the state on its first use after each checkpoint and writes the
   * original out meanwhile; cloning every print held there stalled the operator for about 0.07 s per million prints,
   * every checkpoint, and that stall was the tail of the trade → signal latency (docs/benchmarks.md). Prints are
   * appended almost always, so the copy mostly never clones; an insert among the shared prints, a prune or growth
   * gives it arrays of its own.
   */
  Series copy() {
    Series c = new Series();
    c.ts = ts;
    c.seq = seq;
    c.price = price;
    c.size = size;
    c.weight = weight;
    c.src = src;
    c.n = n;
    c.shared = n;
    c.frozen = frozen; // a Series copied before gave its spare capacity to that copy: this one gets none either
    frozen = true;
    return c;
  }

  /** Moves the caches of {@code from}, which holds the same prints, over to this (see {@link Market#takeCaches}). */
  void takeCaches(Series from) {
    if (from == null || from.n != n || (n > 0 && (from.ts[n - 1] != ts[n - 1] || from.ts[0] != ts[0]))) return;
    steps = from.steps;
    at = from.at;
    grid = from.grid;
    from.steps = null;
    from.at = null;
    from.grid = null;
  }

  /** Drops prints with ts < t (state pruning). */
  public void dropBefore(long t) {
    int k = countBefore(t);
    if (k == 0) return;
    int len = n - k;
    if (frozen || shared > 0) { // the shift would write into shared arrays: move the rest into new ones instead
      int to = k + Math.max(16, ts.length - k); // never an empty array: growth doubles the capacity
      ts = Arrays.copyOfRange(ts, k, to);
      seq = Arrays.copyOfRange(seq, k, to);
      price = Arrays.copyOfRange(price, k, to);
      size = Arrays.copyOfRange(size, k, to);
      weight = Arrays.copyOfRange(weight, k, to);
      src = Arrays.copyOfRange(src, k, to);
      shared = 0;
      frozen = false;
    } else {
      System.arraycopy(ts, k, ts, 0, len);
      System.arraycopy(seq, k, seq, 0, len);
      System.arraycopy(price, k, price, 0, len);
      System.arraycopy(size, k, size, 0, len);
      System.arraycopy(weight, k, weight, 0, len);
      System.arraycopy(src, k, src, 0, len);
    }
    n = len;
    if (steps != null) steps.dropped(this, k, t);
  }
}
