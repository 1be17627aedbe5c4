package dev.newstape.flink.v2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The v2 definition fed as a stream (the state of the Flink operator {@link ImpactV2Function}, plain Java so it is
 * tested without Flink): events are buffered and applied in event-time order once {@link #advanceTo} says no earlier
 * one can come. Move alerts are emitted as they fire; an impact record at t0, +1 m, +5 m, +15 m (final) and at
 * once when the early signal fires, each computed by {@link ImpactV2#record} as of that time, so every emitted
 * record equals the golden definition at its {@code asOf}.
 */
public final class V2Engine implements Serializable {
  private static final long serialVersionUID = 1L;
  static final long MIN = Eastern.MIN;
  static final int[] STAGES = {0, 1, 5, 15};
  /** Prints kept behind event time: an article may come up to this minus 60 min after publication and be exact. */
  public static final long RETENTION = 3 * 60 * MIN;
  /** Minute bars kept (beta reads the 5 previous sessions, a long weekend and holidays included). */
  public static final long BAR_RETENTION = 12L * 24 * 60 * MIN;
  static final long PRUNE_EVERY = 10 * MIN;

  public final Market market;
  final Map<String, MoveDetector> detectors = new HashMap<>();
  final List<V2Event> pending = new ArrayList<>();
  /** Headlines by id, in arrival order (stale's tie rule: later in input first). */
  final LinkedHashMap<String, V2.Headline> headlines = new LinkedHashMap<>();
  final LinkedHashMap<String, Tracked> tracked = new LinkedHashMap<>();
  /** Move alerts by id (recent ones: links and the records' {@code move}). */
  final LinkedHashMap<String, V2.MoveAlert> moves = new LinkedHashMap<>();
  long now = Long.MIN_VALUE;
  long lastPrune = Long.MIN_VALUE;

  /** One (headline, symbol) whose record is still to be finished. */
  static final class Tracked implements Serializable {
    private static final long serialVersionUID = 1L;
    V2.Headline h;
    String symbol;
    int stage = -1;
    boolean early;
    boolean refDone;
    Double sigma;
    Double p0;
    double beta;
    MoveDetector.Confirmation run = new MoveDetector.Confirmation();
  }

  /** What one step emitted, in order. */
  public record Out(List<V2.ImpactRecord> impacts, List<V2.MoveAlert> moves) {
    public Out() {
      this(new ArrayList<>(), new ArrayList<>());
    }
  }

  public V2Engine(V2.Settings settings) {
    market = new Market(settings);
  }

  /** The order events are applied in (ties: the order they were added, as a stable sort keeps it). */
  static final Comparator<V2Event> ORDER = Comparator.<V2Event>comparingLong(e -> e.time).thenComparingInt(V2Event::rank)
      .thenComparingLong(e -> e.print == null ? 0 : e.print.ts)
      .thenComparingLong(e -> e.print == null || e.print.seq == null ? Long.MAX_VALUE : e.print.seq)
      .thenComparingLong(e -> e.order);

  /**
   * Whether {@link #pending} is known to be in {@link #ORDER}. It is kept so (an insert is an append unless an event
   * comes out of order), so a step takes a prefix instead of scanning and sorting everything buffered; false after
   * a restore, when it is sorted once (stably: a checkpoint of a version that kept arrival order restores the same).
   */
  private transient boolean sorted;

  public void add(V2Event e) {
    sortPending();
    int i = pending.size();
    if (i > 0 && ORDER.compare(pending.get(i - 1), e) > 0) {
      int lo = 0, hi = i - 1; // first index whose event sorts after e (after its equals: arrival order)
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (ORDER.compare(pending.get(mid), e) <= 0) lo = mid + 1;
        else hi = mid;
      }
      i = lo;
    }
    pending.add(i, e);
  }

  /** The buffered events in application order (a sorted copy when not yet sorted: this changes nothing). */
  List<V2Event> pendingInOrder() {
    if (sorted) return pending;
    List<V2Event> copy = new ArrayList<>(pending);
    copy.sort(ORDER);
    return copy;
  }

  /** Buffered events read back in application order ({@link V2EngineSerializer}). */
  void restorePending(List<V2Event> inOrder) {
    pending.clear();
    pending.addAll(inOrder);
    sorted = true;
  }

  private void sortPending() {
    if (!sorted) {
      pending.sort(ORDER);
      sorted = true;
    }
  }

  /** Events are applied in batches of this much event time (one timer each instead of one per millisecond). */
  public static final long BATCH_MS = 100;

  /**
   * Event times at which the engine must be advanced for {@code e} (the Flink operator registers timers there). A
   * batch gives the same records as one step per event: events are still applied one event time after the other.
   */
  public static List<Long> wakeups(V2Event e) {
    List<Long> out = new ArrayList<>();
    out.add(batchWakeup(e));
    if (e.headline != null) for (int k : STAGES) out.add(e.headline.published + k * MIN);
    return out;
  }

  /** The first of {@link #wakeups}: the end of the batch the event is applied in. */
  public static long batchWakeup(V2Event e) {
    return e.time >= Long.MAX_VALUE - BATCH_MS ? e.time : Math.floorDiv(e.time + BATCH_MS - 1, BATCH_MS) * BATCH_MS;
  }

  /** Applies every buffered event with time ≤ t, then emits the records whose stage time is ≤ t. */
  public Out advanceTo(long t) {
    Out out = new Out();
    sortPending();
    int k = 0;
    while (k < pending.size() && pending.get(k).time <= t) k++;
    if (k == 0 && t <= now) return stages(t, out);
    V2Event[] due = pending.subList(0, k).toArray(new V2Event[0]);
    pending.subList(0, k).clear();
    int i = 0;
    while (i < k) {
      long time = due[i].time;
      int j = i;
      while (j < k && due[j].time == time) j++;
      now = Math.max(now, time);
      stages(time - 1, out);
      if (added == null) added = new ArrayList<>();
      added.clear();
      for (int g = i; g < j; g++) {
        V2Event e = due[g];
        if (e.span != null) market.addCoverage(e.spanSymbol, e.span);
        else if (e.bar != null) market.addMinuteBar(e.bar);
        else if (e.print != null) {
          V2.Print p = e.print;
          if (p.valid() && "live".equals(p.source)) {
            market.noteFirstLive(p.symbol, p.ts);
            market.coverFrom(p.symbol, p.ts);
          }
          if ((market.add(p) & 1) != 0) added.add(p);
        }
      }
      // Every print of this time is in before any is evaluated: p_S(t) reads all prints with ts ≤ t.
      for (int a = 0, n = added.size(); a < n; a++) onEligible(added.get(a), out);
      for (int g = i; g < j; g++) if (due[g].headline != null) onHeadline(due[g].headline, out);
      for (int g = i; g < j; g++) if (due[g].snapshot) snapshot(due[g].snapshotAsOf, out);
      i = j;
    }
    if (added != null) added.clear();
    now = Math.max(now, t);
    stages(t, out);
    prune();
    return out;
  }

  /** Scratch: the eligible prints of one event time (not state). */
  private transient List<V2.Print> added;

  private void onEligible(V2.Print p, Out out) {
    String s = p.symbol;
    if (!s.equals(market.settings.proxy())) {
      V2.MoveAlert a = detectors.computeIfAbsent(s, MoveDetector::new).onPrint(market, p.ts);
      if (a != null) {
        List<V2.Headline> hs = new ArrayList<>(headlines.values());
        List<V2.MoveAlert> one = List.of(a);
        ImpactV2.linkHeadlines(one, hs);
        moves.put(a.id, a);
        out.moves().add(a.copy());
      }
    }
    for (Tracked tr : tracked.values()) {
      if (!tr.symbol.equals(s) || tr.early) continue;
      long t0 = tr.h.published;
      if (p.ts <= t0 || p.ts > t0 + 5 * MIN) continue;
      earlyStep(tr, p.ts, out);
    }
  }

  private void earlyStep(Tracked tr, long t, Out out) {
    long t0 = tr.h.published;
    if (!tr.refDone) {
      tr.refDone = true;
      tr.p0 = market.price(tr.symbol, t0);
      tr.beta = market.beta(tr.symbol, Eastern.day(t0));
      tr.sigma = market.sigma(tr.symbol, t0)[0];
    }
    if (tr.sigma == null || tr.p0 == null) return;
    double a = market.move(tr.symbol, t0, t, tr.beta); // NaN: abnormal() would be null
    double bound = market.settings.z() * tr.sigma * Math.sqrt(5);
    int d = Double.isNaN(a) || !(Math.abs(a) >= bound) || a == 0 ? 0 : a > 0 ? 1 : -1;
    if (tr.run.step(d, t)) {
      tr.early = true;
      out.impacts().add(record(tr, t));
    }
  }

  private void onHeadline(V2.Headline h, Out out) {
    if (h.id == null || headlines.containsKey(h.id)) return; // a revision or a redelivery: t0 is fixed
    headlines.put(h.id, h);
    List<V2.Headline> hs = new ArrayList<>(headlines.values());
    for (String s : ImpactV2.tickers(h)) {
      Tracked tr = new Tracked();
      tr.h = h;
      tr.symbol = s;
      tracked.put(h.id + "|" + s, tr);
      stageKnown = false;
      // Prints since t0 that came before the headline did: the early signal looks at them in order.
      Series x = market.eligible(s);
      if (x != null) {
        long t0 = h.published;
        for (int i = x.countAtOrBefore(t0), e = x.countAtOrBefore(Math.min(now, t0 + 5 * MIN)); i < e && !tr.early; i++)
          earlyStep(tr, x.ts[i], out);
      }
      for (V2.MoveAlert a : moves.values()) {
        if (!a.symbol.equals(s) || !ImpactV2.links(h, a)) continue;
        ImpactV2.linkHeadlines(List.of(a), hs);
        out.moves().add(a.copy()); // sent again under the same id with the headline linked
      }
    }
  }

  private V2.ImpactRecord record(Tracked tr, long asOf) {
    List<V2.MoveAlert> known = new ArrayList<>();
    for (V2.MoveAlert a : moves.values()) if (a.detectedAt <= asOf) known.add(a);
    return ImpactV2.record(market, tr.h, tr.symbol, asOf, new ArrayList<>(headlines.values()), known);
  }

  /**
   * When {@link #stageKnown}: no stage of any tracked record falls before this. Stages are looked at before every
   * event time, so this spares a walk over every tracked record each time (transient: unknown after a restore).
   */
  private transient long nextStage;
  private transient boolean stageKnown;

  /** Records whose stage time is ≤ t: the latest passed stage of each, once. */
  private Out stages(long t, Out out) {
    if (stageKnown && t < nextStage) return out;
    List<String> done = new ArrayList<>();
    long next = Long.MAX_VALUE;
    for (Map.Entry<String, Tracked> e : tracked.entrySet()) {
      Tracked tr = e.getValue();
      int k = -1;
      for (int s : STAGES) if (tr.h.published + s * MIN <= t) k = s;
      if (k > tr.stage) {
        tr.stage = k;
        out.impacts().add(record(tr, tr.h.published + k * MIN));
        if (k == 15) done.add(e.getKey());
      }
      for (int s : STAGES) if (s > tr.stage) next = Math.min(next, tr.h.published + s * MIN);
    }
    done.forEach(tracked::remove);
    nextStage = next;
    stageKnown = true;
    return out;
  }

  /** The record of every known (headline, symbol) as of {@code asOf}, finished ones included. */
  private void snapshot(long asOf, Out out) {
    for (V2.Headline h : headlines.values())
      for (String s : ImpactV2.tickers(h)) {
        Tracked tr = new Tracked();
        tr.h = h;
        tr.symbol = s;
        out.impacts().add(record(tr, asOf));
      }
  }

  private void prune() {
    if (now == Long.MIN_VALUE || now - lastPrune < PRUNE_EVERY) return;
    lastPrune = now;
    long keep = now - RETENTION;
    for (Tracked tr : tracked.values()) keep = Math.min(keep, tr.h.published - 60 * MIN);
    market.prune(keep, now - BAR_RETENTION);
    long day = 24 * 60 * MIN;
    headlines.values().removeIf(h -> h.published < now - RETENTION - day && !trackedHas(h.id));
    moves.values().removeIf(a -> a.detectedAt < now - RETENTION);
  }

  private boolean trackedHas(String id) {
    for (Tracked tr : tracked.values()) if (tr.h.id.equals(id)) return true;
    return false;
  }

  public int pendingSize() {
    return pending.size();
  }
}
