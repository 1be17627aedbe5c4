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

  /** First index in [lo, hi] whose ts is > t, given that every ts before lo is ≤ t and ts[hi] (if any) is > t. */
  private int firstAfter(long t, int lo, int hi) {
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ts[mid] <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * {@link #countAtOrBefore(long)} searched outwards from a previous answer {@code h}: the engine asks for times that
   * move forward a little between calls, so this takes a few comparisons instead of a binary search over hours of
   * prints. Any {@code h} gives the right answer.
   */
  int countAtOrBefore(long t, int h) {
    if (h > n) h = n;
    if (h < 0) h = 0;
    if (h < n && ts[h] <= t) { // the answer is above h
      int lo = h + 1, step = 1, p = lo;
      while (p < n && ts[p] <= t) {
        lo = p + 1;
        p = lo + step;
        step <<= 1;
      }
      return firstAfter(t, lo, Math.min(p, n));
    }
    if (h == 0 || ts[h - 1] <= t) return h;
    int hi = h - 1, step = 1, p = hi - 1; // ts[hi] > t: the answer is at most hi
    while (p >= 0 && ts[p] > t) {
      hi = p;
      p = hi - 1 - step;
      step <<= 1;
    }
    return firstAfter(t, Math.max(p + 1, 0), hi);
  }

  // ---- p_S(t): the median of a 2-second window, from a cursor that follows the asked time ----

  /**
   * Transient search state, rebuilt on demand (not in checkpoints). {@link #at}: per slot (minute of the asked time,
   * mod {@link #SLOTS}) the last answer of {@link #countAtOrBefore(long)}. {@link #cursors}: per slot {@link #WAYS}
   * cursors, each the last price window asked through it. The move rule asks for prices at t, t − 1 min, …, t − 31
   * min at every print (sigma's 30 intervals), so a cursor follows one of those times forwards and its window
   * changes by a print or so between asks; the other ways serve fixed times asked in between (a headline's t0).
   */
  static final class Hints {
    int[] at = new int[SLOTS];
    Cursor[] cursors = new Cursor[SLOTS * WAYS];
  }

  /** The last time asked through it, its answers, and the prices of prints [lo, hi) sorted ({@code lo > hi}: none). */
  static final class Cursor {
    long t;
    int hiHint, loHint;
    int lo = 1, hi = 0;
    double[] v = new double[16];
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

  /**
   * The way of {@code t}'s slot whose last time is nearest to t (so the fewest prints differ); a fresh one while the
   * slot has room and none is within {@link Market#PRICE_WINDOW}.
   */
  private Cursor cursor(long t) {
    Cursor[] cs = hints().cursors;
    int base = slot(t) * WAYS, free = -1;
    Cursor best = null;
    long bestD = Long.MAX_VALUE;
    for (int i = base; i < base + WAYS; i++) {
      Cursor c = cs[i];
      if (c == null) {
        if (free < 0) free = i;
        continue;
      }
      long d = c.t > t ? c.t - t : t - c.t;
      if (d < 0) d = Long.MAX_VALUE; // overflow: far apart
      if (best == null || d < bestD) {
        best = c;
        bestD = d;
      }
    }
    if (best == null || (free >= 0 && bestD > Market.PRICE_WINDOW)) best = cs[free] = new Cursor();
    best.t = t;
    return best;
  }

  /**
   * p_S(t) (docs/impact-v2.md "Price"): the median of the prints in (t − window, t] when there are at least 3, else
   * the last at or before t; NaN when there is none.
   */
  public double priceAt(long t, long window) {
    Cursor c = cursor(t);
    int hi = countAtOrBefore(t, c.hiHint);
    c.hiHint = hi;
    if (hi == 0) return Double.NaN;
    int lo = countAtOrBefore(t - window, c.loHint);
    c.loHint = lo;
    if (hi - lo < 3) return price[hi - 1];
    move(c, lo, hi);
    return median(c.v, hi - lo);
  }

  /** The median of sorted {@code v[0..k)}: the middle value, or the mean of the two middle values for even k. */
  static double median(double[] v, int k) {
    int mid = k >>> 1;
    return (k & 1) == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  }

  /** Makes {@code w} hold the prices of [lo, hi): removes and inserts the prints that differ, or sorts afresh. */
  private void move(Cursor w, int lo, int hi) {
    if (w.lo == lo && w.hi == hi) return;
    int k = hi - lo;
    int keepFrom = Math.max(w.lo, lo), keepTo = Math.min(w.hi, hi);
    int kept = Math.max(0, keepTo - keepFrom);
    int changes = (w.hi - w.lo - kept) + (k - kept);
    if (w.lo > w.hi || kept == 0 || changes > k) {
      if (w.v.length < k) w.v = new double[Math.max(k, w.v.length * 2)];
      System.arraycopy(price, lo, w.v, 0, k);
      Arrays.sort(w.v, 0, k);
    } else {
      int m = w.hi - w.lo;
      for (int i = w.lo; i < keepFrom; i++) m = remove(w.v, m, price[i]);
      for (int i = keepTo; i < w.hi; i++) m = remove(w.v, m, price[i]);
      if (w.v.length < k) w.v = Arrays.copyOf(w.v, Math.max(k, w.v.length * 2));
      for (int i = lo; i < keepFrom; i++) m = insert(w.v, m, price[i]);
      for (int i = keepTo; i < hi; i++) m = insert(w.v, m, price[i]);
    }
    w.lo = lo;
    w.hi = hi;
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

  /** Indices moved (an insert out of order, a drop): forget the windows; hints stay valid as hints. */
  private void invalidate() {
    if (hints != null) for (Cursor c : hints.cursors) if (c != null) {
      c.lo = 1;
      c.hi = 0;
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
  }
}
