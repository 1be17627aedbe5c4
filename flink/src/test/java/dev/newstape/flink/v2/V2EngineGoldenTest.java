package dev.newstape.flink.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The streaming engine against every v2 golden vector: events fed in event-time order as the job feeds them, the
 * engine advanced one second at a time (so records are emitted on the way, as in the job), its state put through
 * the checkpoint serializer halfway, and the records as of the file's asOf compared field by field.
 */
class V2EngineGoldenTest {
  /** The golden inputs as engine events (prints known at asOf only), and the snapshot request at the end. */
  static List<V2Event> events(GoldenV2 g) {
    ImpactV2.Input in = g.input();
    long asOf = g.asOf();
    List<V2Event> ev = new ArrayList<>();
    in.coverage().forEach((s, spans) -> spans.forEach(sp -> ev.add(V2Event.coverage(s, sp))));
    for (V2.MinuteBar b : in.minuteBars()) ev.add(V2Event.of(b));
    for (V2.Print p : in.prints()) if (p.ts <= asOf) ev.add(V2Event.of(p));
    long end = asOf;
    for (V2.Headline h : in.articles()) {
      V2Event e = V2Event.of(h);
      ev.add(e);
      end = Math.max(end, e.time);
    }
    ev.add(V2Event.snapshotAt(end, asOf));
    for (int i = 0; i < ev.size(); i++) ev.get(i).order = i;
    return ev;
  }

  /** Compares the snapshot records and the latest version of every move of asOf's day with the file. */
  static void check(GoldenV2 g, List<V2.ImpactRecord> impacts, List<V2.MoveAlert> moves) {
    List<V2.ImpactRecord> snap = impacts.stream().filter(r -> r.asOf == g.asOf()).toList();
    // The snapshot is the last group at asOf; earlier stage records with the same asOf are identical or older.
    Map<String, V2.ImpactRecord> last = new LinkedHashMap<>();
    for (V2.ImpactRecord r : snap) last.put(r.key(), r);
    List<V2.ImpactRecord> got = new ArrayList<>();
    for (var exp : g.expectedImpacts()) {
      V2.ImpactRecord r = last.get(exp.get("articleId").asText() + "|" + exp.get("symbol").asText());
      assertTrue(r != null, g.file() + ": no record for " + exp.get("articleId") + "|" + exp.get("symbol"));
      got.add(r);
    }
    for (int i = 0; i < got.size(); i++)
      GoldenV2.assertJson(g.file() + " impacts[" + i + "]", g.expectedImpacts().get(i), V2Json.impact(got.get(i)));
    Map<String, V2.MoveAlert> byId = new LinkedHashMap<>();
    long day = Eastern.day(g.asOf());
    for (V2.MoveAlert a : moves) if (Eastern.day(a.detectedAt) == day && a.detectedAt <= g.asOf()) byId.put(a.id, a);
    List<V2.MoveAlert> ms = new ArrayList<>(byId.values());
    ms.sort(Comparator.<V2.MoveAlert>comparingLong(a -> a.detectedAt).thenComparing(a -> a.symbol));
    assertEquals(g.expectedMoves().size(), ms.size(), g.file() + ": moves " + ms.stream().map(a -> a.id).toList());
    for (int i = 0; i < ms.size(); i++)
      GoldenV2.assertJson(g.file() + " moves[" + i + "]", g.expectedMoves().get(i), V2Json.move(ms.get(i)));
  }

  /** What a checkpoint and restore do to the state: the state serializer there and back, then its copy. */
  static V2Engine roundTrip(V2Engine e) throws Exception {
    V2EngineSerializer ser = new V2EngineSerializer();
    DataOutputSerializer out = new DataOutputSerializer(1 << 16);
    ser.serialize(e, out);
    return ser.copy(ser.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())));
  }

  @TestFactory
  List<DynamicTest> everyGoldenVectorThroughTheEngine() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    for (GoldenV2 g : GoldenV2.all()) {
      tests.add(DynamicTest.dynamicTest(g.file(), () -> {
        List<V2Event> ev = events(g);
        V2Engine eng = new V2Engine(g.input().settings());
        ev.forEach(eng::add);
        long first = ev.stream().filter(e -> e.print != null).mapToLong(e -> e.time).min().orElse(g.asOf());
        long end = ev.stream().mapToLong(e -> e.time).max().orElseThrow();
        List<V2.ImpactRecord> impacts = new ArrayList<>();
        List<V2.MoveAlert> moves = new ArrayList<>();
        boolean restored = false;
        for (long t = first - 1; ; t = Math.min(t + 1000, end)) {
          V2Engine.Out o = eng.advanceTo(t);
          impacts.addAll(o.impacts());
          moves.addAll(o.moves());
          if (!restored && t >= (first + end) / 2) {
            eng = roundTrip(eng); // what a checkpoint and restore do to the state
            restored = true;
          }
          if (t == end) break;
        }
        assertEquals(0, eng.pendingSize());
        check(g, impacts, moves);
      }));
    }
    return tests;
  }
}
