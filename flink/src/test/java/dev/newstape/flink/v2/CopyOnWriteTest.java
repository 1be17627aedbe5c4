package dev.newstape.flink.v2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The copies the heap state backend takes after each checkpoint share their arrays (Series, the de-duplication
 * keys) instead of copying every print held. Whatever the original, its copy and copies of the copy go on to do, in
 * any interleaving (appends, inserts among the shared prints, prunes, growth), each holds exactly the prints a
 * naive list given the same operations holds: a checkpoint writing out the original never sees the copy's writes.
 */
class CopyOnWriteTest {
  record P(long ts, long seq, double price, double size, int weight, byte src) {}

  static final Comparator<P> ORDER = Comparator.comparingLong(P::ts).thenComparingLong(P::seq);

  /** A Series and the list that says what it must hold. */
  static final class Pair {
    final Series s;
    final List<P> want;

    Pair(Series s, List<P> want) {
      this.s = s;
      this.want = want;
    }

    void add(P p) {
      s.add(p.ts, p.seq, p.price, p.size, p.weight, p.src);
      int i = 0;
      while (i < want.size() && ORDER.compare(want.get(i), p) <= 0) i++; // after equals: as Series.upper
      want.add(i, p);
    }

    void dropBefore(long t) {
      s.dropBefore(t);
      want.removeIf(p -> p.ts < t);
    }

    Pair copy() {
      return new Pair(s.copy(), new ArrayList<>(want));
    }

    void check(String what) {
      assertEquals(want.size(), s.n, what + ": count");
      for (int i = 0; i < s.n; i++) {
        P p = want.get(i);
        P got = new P(s.ts[i], s.seq[i], s.price[i], s.size[i], s.weight[i], s.src[i]);
        assertEquals(p, got, what + ": print " + i);
      }
    }
  }

  @Test
  void seriesCopiesAndOriginalsNeverSeeEachOthersWrites() {
    for (long seed = 1; seed <= 40; seed++) {
      SplittableRandom r = new SplittableRandom(seed);
      List<Pair> all = new ArrayList<>();
      all.add(new Pair(new Series(), new ArrayList<>()));
      long clock = 1_000_000;
      long seq = 0;
      for (int step = 0; step < 3_000; step++) {
        Pair x = all.get(r.nextInt(all.size()));
        int op = r.nextInt(100);
        if (op < 80) { // mostly appends, some out of order (inserts among earlier, maybe shared, prints)
          clock += r.nextInt(50);
          long t = r.nextInt(10) == 0 ? clock - r.nextInt(5_000) : clock;
          x.add(new P(t, seq++, 100 + r.nextInt(1000) / 100.0, 1 + r.nextInt(500), 1 + r.nextInt(3), (byte) r.nextInt(3)));
        } else if (op < 84) {
          x.dropBefore(clock - r.nextInt(60_000));
        } else if (op < 87 && all.size() < 12) {
          all.add(x.copy()); // a checkpoint: x goes on as the copy, the original is written out (or used again)
        }
        if (step % 50 == 0) for (int i = 0; i < all.size(); i++) all.get(i).check("seed " + seed + " step " + step + " series " + i);
      }
      for (int i = 0; i < all.size(); i++) all.get(i).check("seed " + seed + " end, series " + i);
      assertTrue(all.size() > 3, "copies taken: " + all.size());
    }
  }

  /** Table: a full Series (n = capacity), copied, then every print pruned, then more added, on either side. */
  @Test
  void pruningEverythingOfAFullSharedSeriesLeavesRoomToAdd() {
    for (int size : new int[] {1, 15, 16, 17, 32, 100}) {
      for (boolean onCopy : new boolean[] {true, false}) {
        Pair o = new Pair(new Series(), new ArrayList<>());
        for (int i = 0; i < size; i++) o.add(new P(1_000 + i, i, 10, 1, 1, (byte) 0));
        Pair c = o.copy();
        Pair x = onCopy ? c : o;
        x.dropBefore(10_000);
        for (int i = 0; i < 40; i++) x.add(new P(20_000 + i, 100 + i, 11, 1, 1, (byte) 0));
        o.check(size + (onCopy ? " original" : " pruned original"));
        c.check(size + (onCopy ? " pruned copy" : " copy"));
      }
    }
  }

  @Test
  void seqSetCopiesAndOriginalsNeverSeeEachOthersKeys() {
    for (long seed = 1; seed <= 40; seed++) {
      SplittableRandom r = new SplittableRandom(seed);
      List<Dedup.SeqSet> sets = new ArrayList<>();
      List<TreeSet<Long>> want = new ArrayList<>();
      sets.add(new Dedup.SeqSet());
      want.add(new TreeSet<>());
      long top = 0;
      for (int step = 0; step < 3_000; step++) {
        int i = r.nextInt(sets.size());
        if (r.nextInt(100) < 4 && sets.size() < 12) {
          sets.add(sets.get(i).copy());
          want.add(new TreeSet<>(want.get(i)));
          continue;
        }
        long k = r.nextInt(8) == 0 ? r.nextLong(Math.max(1, top)) : (top += 1 + r.nextInt(5)); // redeliveries, late keys
        assertEquals(want.get(i).add(k), sets.get(i).add(k), "seed " + seed + " step " + step + ": new? " + k);
      }
      for (int i = 0; i < sets.size(); i++)
        assertArrayEquals(want.get(i).stream().mapToLong(Long::longValue).toArray(), sets.get(i).toArray(), "seed " + seed + " set " + i);
    }
  }
}
