package dev.newstape.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The seq set of {@link BarsFunction.Acc}: the same answers as a {@code HashSet<Long>} for any arrival order. */
class BarsSeqSetTest {
  record Case(String name, long[] seqs) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> cases() {
    long[] reversed = new long[5000];
    for (int i = 0; i < reversed.length; i++) reversed[i] = reversed.length - i;
    long[] strided = new long[5000];
    for (int i = 0; i < strided.length; i++) strided[i] = (long) (i % 2500) * 1024; // a power-of-two stride, twice
    return List.of(
        new Case("in order with a redelivery", new long[] {1, 2, 3, 3, 4}),
        new Case("late and early duplicates", new long[] {5, 1, 9, 1, 5, 9, 7, 7, 2}),
        new Case("extremes", new long[] {Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, 0, -1, 0, Long.MAX_VALUE, -1}),
        new Case("extreme first out of order", new long[] {3, Long.MIN_VALUE, Long.MIN_VALUE, 3}),
        new Case("reversed", reversed),
        new Case("power-of-two stride", strided));
  }

  static void check(long[] seqs) {
    BarsFunction.Acc a = new BarsFunction.Acc();
    Set<Long> ref = new HashSet<>();
    for (int i = 0; i < seqs.length; i++)
      assertEquals(ref.add(seqs[i]), BarsFunction.addSeq(a, seqs[i]), "seq #" + i + " = " + seqs[i]);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void answersLikeAHashSet(Case c) {
    check(c.seqs());
  }

  @Test
  void randomArrivalOrdersAnswerLikeAHashSet() {
    Random r = new Random(11);
    for (int k = 0; k < 200; k++) {
      long[] s = new long[1 + r.nextInt(3000)];
      long next = r.nextInt(1000);
      for (int i = 0; i < s.length; i++) {
        int kind = r.nextInt(10);
        s[i] = kind < 7 ? (next += 1 + r.nextInt(3)) : kind < 9 ? next - r.nextInt(50) : r.nextLong();
      }
      check(s);
    }
  }
}
