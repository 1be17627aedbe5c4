package dev.newstape.flink.v2;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The de-duplication keys of prints (docs/impact-v2.md: symbol, sequence number, ET trading day): per symbol and
 * day, a set of sequence numbers ({@link SeqSet}: longs, no object per key). It replaces a {@code HashSet<String>} of
 * "symbol|seq|day" strings, which cost a string and a hash node per print (about 110 bytes each, kept for the whole
 * day, copied and written whole by every checkpoint); see docs/decisions/0009-v2-engine-state.md.
 */
final class Dedup {
  final Map<String, Days> bySymbol = new HashMap<>();

  /** The days of one symbol (usually one; two around midnight). */
  static final class Days {
    long[] day = new long[2];
    SeqSet[] seqs = new SeqSet[2];
    int n;

    SeqSet of(long d) {
      for (int i = n - 1; i >= 0; i--) if (day[i] == d) return seqs[i];
      if (n == day.length) {
        day = java.util.Arrays.copyOf(day, n * 2);
        seqs = java.util.Arrays.copyOf(seqs, n * 2);
      }
      day[n] = d;
      return seqs[n++] = new SeqSet();
    }
  }

  /** Whether (symbol, seq, day) is new; it is remembered from now on. */
  boolean add(String symbol, long seq, long day) {
    Days d = bySymbol.get(symbol);
    if (d == null) bySymbol.put(symbol, d = new Days());
    return d.of(day).add(seq);
  }

  /** Forgets the keys of days before {@code day}. */
  void pruneBefore(long day) {
    for (Iterator<Days> it = bySymbol.values().iterator(); it.hasNext(); ) {
      Days d = it.next();
      int k = 0;
      for (int i = 0; i < d.n; i++) {
        if (d.day[i] < day) continue;
        d.day[k] = d.day[i];
        d.seqs[k++] = d.seqs[i];
      }
      for (int i = k; i < d.n; i++) d.seqs[i] = null;
      d.n = k;
      if (k == 0) it.remove();
    }
  }

  /** Takes over the keys of the string set of earlier versions ("symbol|seq|day"). */
  void addAll(Set<String> legacy) {
    for (String k : legacy) {
      int b = k.lastIndexOf('|'), a = k.lastIndexOf('|', b - 1);
      add(k.substring(0, a), Long.parseLong(k.substring(a + 1, b)), Long.parseLong(k.substring(b + 1)));
    }
  }

  /** A deep copy. */
  Dedup copy() {
    Dedup c = new Dedup();
    bySymbol.forEach((s, d) -> {
      Days e = new Days();
      e.day = d.day.clone();
      e.seqs = new SeqSet[d.seqs.length];
      for (int i = 0; i < d.n; i++) e.seqs[i] = d.seqs[i].copy();
      e.n = d.n;
      c.bySymbol.put(s, e);
    });
    return c;
  }

  /** Every key as "symbol|seq|day" (tests). */
  List<String> keys() {
    List<String> out = new ArrayList<>();
    bySymbol.forEach((s, d) -> {
      for (int i = 0; i < d.n; i++) for (long q : d.seqs[i].toArray()) out.add(s + "|" + q + "|" + d.day[i]);
    });
    return out;
  }

  /**
   * A set of sequence numbers. Sequence numbers mostly come in increasing order per symbol, so they are appended to a
   * sorted array (sequential memory, 8 bytes each); one at or below the largest so far is looked up there by binary
   * search (a duplicate, usually) and, when new, kept in a small open-addressing table beside it.
   */
  static final class SeqSet {
    long[] sorted = new long[16];
    int n;
    /** Out-of-order keys: open addressing with linear probing, at most half full; 0 marks an empty slot. */
    long[] side;
    int sideSize;
    boolean sideZero;

    /**
     * Copy-on-write, as {@link Series} (a checkpoint writes the original out while the copy goes on): {@code sorted} is
     * shared with the copy and only appended to, past the original's n; the Set a copy was taken from is frozen and
     * takes its own array before it writes.
     */
    private transient boolean frozen;

    boolean add(long k) {
      if (n == 0 || k > sorted[n - 1]) {
        if (n == sorted.length || frozen) {
          sorted = java.util.Arrays.copyOf(sorted, n == sorted.length ? n * 2 : sorted.length);
          frozen = false;
        }
        sorted[n++] = k;
        return true;
      }
      if (java.util.Arrays.binarySearch(sorted, 0, n, k) >= 0) return false;
      return sideAdd(k);
    }

    private boolean sideAdd(long k) {
      if (k == 0) {
        if (sideZero) return false;
        sideZero = true;
        return true;
      }
      if (side == null) side = new long[16];
      int mask = side.length - 1;
      for (int i = slot(k, mask); ; i = (i + 1) & mask) {
        long x = side[i];
        if (x == k) return false;
        if (x == 0) {
          side[i] = k;
          if (++sideSize * 2 > side.length) grow();
          return true;
        }
      }
    }

    private static int slot(long k, int mask) {
      long h = k * 0x9E3779B97F4A7C15L;
      return (int) (h ^ (h >>> 32)) & mask;
    }

    private void grow() {
      long[] old = side;
      side = new long[old.length * 2];
      int mask = side.length - 1;
      for (long k : old) {
        if (k == 0) continue;
        int i = slot(k, mask);
        while (side[i] != 0) i = (i + 1) & mask;
        side[i] = k;
      }
    }

    SeqSet copy() {
      SeqSet c = new SeqSet();
      c.sorted = sorted; // shared: appends only, past n (see frozen)
      c.frozen = frozen; // copied before: the spare capacity is that copy's
      frozen = true;
      c.n = n;
      c.side = side == null ? null : side.clone();
      c.sideSize = sideSize;
      c.sideZero = sideZero;
      return c;
    }

    /** The keys in increasing order (read back, they are all appends). */
    long[] toArray() {
      int m = sideSize + (sideZero ? 1 : 0);
      if (m == 0) return java.util.Arrays.copyOf(sorted, n);
      long[] out = java.util.Arrays.copyOf(sorted, n + m);
      int j = n;
      if (side != null) for (long k : side) if (k != 0) out[j++] = k;
      if (sideZero) out[j] = 0;
      java.util.Arrays.sort(out);
      return out;
    }
  }
}
