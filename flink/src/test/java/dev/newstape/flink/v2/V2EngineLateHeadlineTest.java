package dev.newstape.flink.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * A headline that reaches the engine after event time has passed it (the news source went idle and the prints moved
 * the watermark on: NewstapeJob.newsWatermarks) is applied at once and measured exactly: against every golden
 * vector, with every headline held back by up to 20 minutes, the records as of the file's asOf still match the file,
 * every record of a key is one the on-time run emitted too (a late headline only skips stages already passed), and
 * the latest record of every key and the last version of every move alert are the on-time run's.
 */
class V2EngineLateHeadlineTest {
  static final long[] DELAYS = {500, 30_000, 3 * Eastern.MIN, 20 * Eastern.MIN};

  record Run(Map<String, List<String>> impacts, Map<String, String> moves, List<V2.ImpactRecord> all, List<V2.MoveAlert> allMoves) {}

  /**
   * Feeds the golden events, each headline only once the engine has advanced {@code delay} past its event time, and
   * advances to {@code after} past the last event time.
   */
  static Run run(GoldenV2 g, long delay, long after) {
    List<V2Event> ev = V2EngineGoldenTest.events(g);
    V2Engine eng = new V2Engine(g.input().settings());
    List<V2Event> held = new ArrayList<>();
    for (V2Event e : ev) {
      if (e.headline != null && delay > 0) held.add(e);
      else if (e.snapshot) {
        // the snapshot request comes after the last held headline, as of the same asOf
        long at = e.time + delay;
        V2Event s = V2Event.snapshotAt(at, e.snapshotAsOf);
        s.order = e.order;
        eng.add(s);
      } else eng.add(e);
    }
    long first = ev.stream().filter(e -> e.print != null).mapToLong(e -> e.time).min().orElse(g.asOf());
    long end = ev.stream().mapToLong(e -> e.time).max().orElseThrow() + after; // the same horizon in every run
    List<V2.ImpactRecord> impacts = new ArrayList<>();
    List<V2.MoveAlert> moves = new ArrayList<>();
    for (long t = first - 1; ; t = Math.min(t + 1000, end)) {
      for (var it = held.iterator(); it.hasNext(); ) {
        V2Event h = it.next();
        if (t >= h.time + delay) {
          eng.add(h);
          it.remove();
        }
      }
      V2Engine.Out o = eng.advanceTo(t);
      impacts.addAll(o.impacts());
      moves.addAll(o.moves());
      if (t == end) break;
    }
    assertTrue(held.isEmpty(), g.file() + ": headlines never fed");
    assertEquals(0, eng.pendingSize());
    Map<String, List<String>> byKey = new LinkedHashMap<>();
    for (V2.ImpactRecord r : impacts) byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(V2Json.impact(r).toString());
    Map<String, String> lastMove = new LinkedHashMap<>();
    for (V2.MoveAlert a : moves) lastMove.put(a.id, V2Json.move(a).toString());
    return new Run(byKey, lastMove, impacts, moves);
  }

  /** The record of the key with the latest asOf (the snapshot request emits one as of an earlier time, so not the last emitted). */
  static String latest(Run r, String key) {
    V2.ImpactRecord best = null;
    for (V2.ImpactRecord x : r.all()) if (x.key().equals(key) && (best == null || x.asOf >= best.asOf)) best = x;
    return best == null ? null : V2Json.impact(best).toString();
  }

  @TestFactory
  List<DynamicTest> lateHeadlinesGiveTheSameRecords() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    int withHeadlines = 0;
    for (GoldenV2 g : GoldenV2.all()) {
      if (g.input().articles().isEmpty()) continue;
      withHeadlines++;
      for (long delay : DELAYS) {
        tests.add(DynamicTest.dynamicTest(g.file() + " late by " + delay + " ms", () -> {
          long after = DELAYS[DELAYS.length - 1] + 1000;
          Run onTime = run(g, 0, after);
          Run late = run(g, delay, after);
          V2EngineGoldenTest.check(g, late.all(), late.allMoves());
          assertEquals(onTime.impacts().keySet(), late.impacts().keySet(), g.file() + ": keys");
          for (var e : late.impacts().entrySet()) {
            List<String> want = onTime.impacts().get(e.getKey());
            Set<String> known = new LinkedHashSet<>(want);
            for (String r : e.getValue()) assertTrue(known.contains(r), g.file() + " " + e.getKey() + ": a record the on-time run never emitted:\n" + r + "\non time:\n" + String.join("\n", want));
            assertEquals(latest(onTime, e.getKey()), latest(late, e.getKey()), g.file() + " " + e.getKey() + ": latest record");
          }
          assertEquals(onTime.moves(), late.moves(), g.file() + ": last version of each move alert");
        }));
      }
    }
    assertTrue(withHeadlines >= 5, "golden vectors with headlines: " + withHeadlines);
    return tests;
  }
}
