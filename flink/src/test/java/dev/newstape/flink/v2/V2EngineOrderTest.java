package dev.newstape.flink.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The engine keeps its buffered events in application order as they come (instead of sorting at every step): the
 * buffer always equals a stable sort of the events in arrival order, which is the order the engine defines.
 */
class V2EngineOrderTest {
  @Test
  void bufferIsAStableSortOfArrivalOrder() {
    SplittableRandom r = new SplittableRandom(11);
    V2Engine eng = new V2Engine(V2.Settings.DEFAULT);
    List<V2Event> arrived = new ArrayList<>();
    long t = 1_000_000;
    for (int i = 0; i < 3_000; i++) {
      long time = t + r.nextInt(40) - (r.nextInt(10) == 0 ? 500 : 0);
      t += r.nextInt(3);
      V2Event e;
      int kind = r.nextInt(10);
      if (kind < 7) {
        Long seq = r.nextInt(8) == 0 ? null : (long) r.nextInt(50);
        e = V2Event.of(new V2.Print("S" + r.nextInt(3), time, 10, 1, new int[0], seq, "live"));
      } else if (kind < 8) e = V2Event.of(new V2.MinuteBar("S0", time - Eastern.MIN, 10, 1));
      else if (kind < 9) e = V2Event.of(new V2.Headline("h" + i, time, time - r.nextInt(2), "x", "S0"));
      else e = V2Event.snapshotAt(time, time);
      e.order = r.nextInt(3);
      eng.add(e);
      arrived.add(e);
      if (i % 97 == 0) {
        List<V2Event> expected = new ArrayList<>(arrived);
        expected.sort(V2Engine.ORDER); // List.sort is stable
        assertEquals(expected, eng.pending);
      }
    }
  }
}
