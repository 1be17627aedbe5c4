package dev.newstape.flink.v2;

import dev.newstape.flink.bench.ImpactV2Throughput;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Benchmark (not a test): what a checkpoint costs the v2 operator's thread. The heap state backend copies the
 * engine on its first use after each checkpoint ({@link V2EngineSerializer#copy}) while its asynchronous part writes
 * the original out. Measures, on the throughput benchmark's session, the copy as it is (prints shared, copy-on-write)
 * and, in the same run, the same copy plus the array clones the copy made before (every print held, every
 * de-duplication key), and the write. Prints one {@code RESULT {...}} line, medians of 5.
 *
 * <p>Run from the test jar: {@code java -cp flink/target/newstape-flink-0.1.0-tests.jar:<job class path>
 * dev.newstape.flink.v2.StateCopyBench 1000000}.
 */
public final class StateCopyBench {
  private StateCopyBench() {}

  /** The clones the copy made before the prints were shared: every array of every Series and de-duplication set. */
  static long eagerClones(V2Engine e) {
    long bytes = 0;
    for (Series s : e.market.eligible.values()) bytes += clone(s);
    for (Series s : e.market.volume.values()) bytes += clone(s);
    for (Dedup.Days d : e.market.dedupAsIs().bySymbol.values())
      for (int i = 0; i < d.n; i++) bytes += 8L * d.seqs[i].sorted.clone().length;
    return bytes;
  }

  private static long clone(Series s) {
    return 8L * (s.ts.clone().length + s.seq.clone().length + s.price.clone().length + s.size.clone().length)
        + 4L * s.weight.clone().length + s.src.clone().length;
  }

  static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }

  public static void main(String[] args) throws Exception {
    int trades = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    List<V2Event> ev = ImpactV2Throughput.session(trades, 50);
    V2Engine eng = new V2Engine(V2.Settings.DEFAULT);
    long end = Long.MIN_VALUE;
    for (V2Event e : ev) {
      eng.add(e);
      end = Math.max(end, e.time);
    }
    eng.advanceTo(end);
    V2EngineSerializer ser = new V2EngineSerializer();
    int rounds = 5;
    double[] shared = new double[rounds], eager = new double[rounds], write = new double[rounds];
    long cloned = 0;
    for (int r = 0; r < rounds; r++) {
      long a = System.nanoTime();
      V2Engine c = ser.copy(eng);
      long b = System.nanoTime();
      cloned = eagerClones(eng);
      ser.copy(eng); // the copy made before: these clones, then the rest as now
      long d = System.nanoTime();
      DataOutputSerializer out = new DataOutputSerializer(1 << 20);
      ser.serialize(eng, out);
      long w = System.nanoTime();
      shared[r] = (b - a) / 1e6;
      eager[r] = (d - b) / 1e6;
      write[r] = (w - d) / 1e6;
      eng = c; // the operator goes on with the copy, as after a checkpoint
    }
    int held = 0;
    for (Series s : eng.market.eligible.values()) held += s.n;
    System.out.printf("RESULT {\"trades\":%d,\"eligiblePrintsHeld\":%d,\"copyMs\":%.2f,\"copyWithClonesMs\":%.2f,"
        + "\"clonedMB\":%.1f,\"writeMs\":%.1f}%n", trades, held, median(shared), median(eager), cloned / 1e6, median(write));
  }
}
