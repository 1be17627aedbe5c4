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
    int lo = 0, hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ts[mid] <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Number of prints with ts < t. */
  public int countBefore(long t) {
    int lo = 0, hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ts[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Prints with ts in (a, b]. */
  public int countIn(long aExclusive, long bInclusive) {
    return Math.max(0, countAtOrBefore(bInclusive) - countAtOrBefore(aExclusive));
  }

  private transient long[] cacheKey;
  private transient double[] cacheVal;

  /**
   * Median price of prints [lo, hi): p_S(t) is the same for every t with the same window, so recent windows are
   * remembered (a direct-mapped cache, cleared when a print is inserted out of order).
   */
  double median(int lo, int hi, Market m) {
    if (cacheKey == null) {
      cacheKey = new long[1024];
      cacheVal = new double[1024];
      Arrays.fill(cacheKey, -1);
    }
    long key = ((long) lo << 32) | hi;
    int slot = (int) ((key ^ (key >>> 29)) * 0x9E3779B97F4A7C15L >>> 54);
    if (cacheKey[slot] == key) return cacheVal[slot];
    int k = hi - lo;
    double[] v = m.scratch(k);
    System.arraycopy(price, lo, v, 0, k);
    double med = Market.median(v, k);
    cacheKey[slot] = key;
    cacheVal[slot] = med;
    return med;
  }

  private void invalidate() {
    if (cacheKey != null) Arrays.fill(cacheKey, -1);
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
