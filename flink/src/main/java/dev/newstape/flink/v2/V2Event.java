package dev.newstape.flink.v2;

/** One input of the v2 operator: a print, a headline or a minute bar, with the event time it is processed at. */
public class V2Event {
  /** The market (key of the operator): always 0 in the job; tests run several independent cases in one job. */
  public int market;
  public long time;
  /**
   * Tie-break after time and kind: input order where the runtime may not keep it (batch mode sorts by key). 0 in the
   * job, whose streaming input keeps Kafka's order.
   */
  public long order;
  public V2.Print print;
  public V2.Headline headline;
  public V2.MinuteBar bar;
  /** Coverage of {@code spanSymbol} given from outside (tests, replays); the job itself covers from the first print. */
  public V2.Span span;
  public String spanSymbol;
  /** A request for every tracked record as of {@code time} (tests compare them with golden vectors). */
  public boolean snapshot;
  public long snapshotAsOf;

  public V2Event() {}

  public static V2Event of(V2.Print p) {
    V2Event e = new V2Event();
    e.time = p.ts;
    e.print = p;
    return e;
  }

  public static V2Event of(V2.Headline h) {
    V2Event e = new V2Event();
    e.time = Math.max(h.published, h.receivedAt);
    e.headline = h;
    return e;
  }

  /** A bar is processed at its end (start + 1 min), when it is complete. */
  public static V2Event of(V2.MinuteBar b) {
    V2Event e = new V2Event();
    e.time = b.start + Eastern.MIN;
    e.bar = b;
    return e;
  }

  public static V2Event coverage(String symbol, V2.Span s) {
    V2Event e = new V2Event();
    e.time = Long.MIN_VALUE + 1;
    e.span = s;
    e.spanSymbol = symbol;
    return e;
  }

  /** Processed at event time {@code t}; the records are computed as of {@code asOf} (≤ t). */
  public static V2Event snapshotAt(long t, long asOf) {
    V2Event e = new V2Event();
    e.time = t;
    e.snapshot = true;
    e.snapshotAsOf = asOf;
    return e;
  }

  /** Order within one event time: bars, then prints by (ts, seq), then headlines. */
  int rank() {
    return span != null ? -1 : bar != null ? 0 : print != null ? 1 : headline != null ? 2 : 3;
  }
}
