package dev.newstape.flink.v2;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A small deterministic tape for the state tests: 20 minutes of a regular session of A, B, C and the proxy, an hour
 * of the previous session's bars, two headlines (one followed by a jump), and in the second half prints sent again
 * with the sequence numbers of first-half ones (duplicates that only the remembered keys can reject). The engine
 * state after {@link #SPLIT} of this tape, written by the Kryo state of the job before its own state serializer, is
 * fixtures/flink/v2-engine-kryo-44003e1.bin.gz.
 */
final class StateEvents {
  private StateEvents() {}

  static final long OPEN = LocalDateTime.parse("2026-11-24T09:30:00").atZone(Eastern.NY).toInstant().toEpochMilli();
  static final long SPLIT = OPEN + 10 * Eastern.MIN;
  static final long END = OPEN + 20 * Eastern.MIN;

  /** The events in time order. */
  static List<V2Event> events() {
    SplittableRandom r = new SplittableRandom(20261124);
    String[] names = {"A", "B", "C", "SPY"};
    double[] px = {40, 80, 120, 600};
    List<V2Event> ev = new ArrayList<>();
    long prev = OPEN - 24 * 3_600_000L;
    double[] close = px.clone();
    for (int m = 0; m < 60; m++) {
      double mk = (r.nextDouble() - 0.5) * 0.003;
      for (int i = 0; i < 4; i++) {
        close[i] *= Math.exp(i == 3 ? mk : mk * (0.6 + 0.4 * i) + (r.nextDouble() - 0.5) * 0.002);
        ev.add(V2Event.of(new V2.MinuteBar(names[i], prev + 330 * Eastern.MIN + m * Eastern.MIN, close[i], 1000 + r.nextInt(4000))));
      }
    }
    List<V2.Print> firstHalf = new ArrayList<>();
    long seq = 1;
    boolean jumped = false;
    for (long t = OPEN; t < END; t += 100 + r.nextInt(500)) {
      int i = r.nextInt(4);
      if (!jumped && i == 0 && t >= OPEN + 5 * Eastern.MIN + 20_000) {
        px[0] *= 1.02;
        jumped = true;
      }
      px[i] *= 1 + (r.nextDouble() - 0.5) * 0.0006;
      V2.Print p = new V2.Print(names[i], t, Math.round(px[i] * 100) / 100.0, 1 + r.nextInt(300), new int[0], seq++, "live");
      ev.add(V2Event.of(p));
      if (t <= SPLIT) firstHalf.add(p);
      else if (r.nextInt(40) == 0) { // a first-half print delivered again, at today's time
        V2.Print d = firstHalf.get(r.nextInt(firstHalf.size()));
        ev.add(V2Event.of(new V2.Print(d.symbol, t, d.price * 1.01, d.size, d.conditions, d.seq, "live")));
      }
    }
    ev.add(V2Event.of(new V2.Headline("h1", OPEN + 5 * Eastern.MIN, OPEN + 5 * Eastern.MIN + 1_500, "A wins a contract", "A")));
    ev.add(V2Event.of(new V2.Headline("h2", OPEN + 11 * Eastern.MIN, OPEN + 12 * Eastern.MIN, "B and C merge", "B", "C")));
    ev.sort(java.util.Comparator.comparingLong(e -> e.time));
    return ev;
  }
}
