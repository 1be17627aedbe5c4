package dev.newstape.flink;

import dev.newstape.flink.model.Bar;
import dev.newstape.flink.model.Trade;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by symbol: 1-minute bars from trades with the rules of fixtures/trade-conditions.json. Emits the bar of a
 * minute once event time passes its end ({@code complete=true}); while the minute is open it also emits the bar
 * so far at most every {@code flushMs} of processing time, so a dashboard sees a trade within seconds. Trades up to
 * {@code latenessMs} late re-open and re-emit their bar; later ones are dropped and counted (lateTrades).
 * Redelivered trades (same seq in the same minute) count once.
 */
public class BarsFunction extends KeyedProcessFunction<String, Trade, Bar> {
  private static final long serialVersionUID = 1L;
  public static final long MINUTE = 60_000L;

  /**
   * Accumulator of one symbol-minute. Flink POJO (no generic fields, so no Kryo in state or checkpoints).
   *
   * <p>The seqs seen this minute, for dropping redelivered trades: trades mostly arrive in seq order, so the seqs
   * above all earlier ones are appended to {@code seqRun} (ascending, {@code seqRunCount} used); the others are
   * looked up there by binary search and, when new, kept in {@code seqTable}, an open-addressing set of primitive
   * longs ({@code seqTableCount} used; {@link #FREE} marks an empty slot, and a seq equal to FREE is noted in
   * {@code seqFree}). In-order trades thus cost an append instead of a random memory access.
   */
  public static class Acc {
    public long openTs = Long.MAX_VALUE, openSeq, closeTs = Long.MIN_VALUE, closeSeq;
    public double open, close, high = Double.NEGATIVE_INFINITY, low = Double.POSITIVE_INFINITY;
    public double volume, pv;
    public long trades, lastCount;
    public boolean dirty, emittedComplete;
    public long[] seqRun;
    public int seqRunCount;
    public long[] seqTable;
    public int seqTableCount;
    public boolean seqFree;

    public Acc() {}
  }

  static final long FREE = Long.MIN_VALUE;

  /** Adds seq to the accumulator's set of seqs; false when it was there already. */
  static boolean addSeq(Acc a, long seq) {
    int n = a.seqRunCount;
    long[] run = a.seqRun;
    if (n == 0 || seq > run[n - 1]) {
      if (run == null || n == run.length) a.seqRun = run = java.util.Arrays.copyOf(run == null ? new long[0] : run,
          Math.max(16, n * 2));
      run[n] = seq;
      a.seqRunCount = n + 1;
      return true;
    }
    if (java.util.Arrays.binarySearch(run, 0, n, seq) >= 0) return false;
    return addToTable(a, seq);
  }

  private static boolean addToTable(Acc a, long seq) {
    if (seq == FREE) {
      if (a.seqFree) return false;
      a.seqFree = true;
      return true;
    }
    long[] tab = a.seqTable;
    if (tab == null) {
      tab = new long[16];
      java.util.Arrays.fill(tab, FREE);
      a.seqTable = tab;
    }
    int mask = tab.length - 1;
    for (int i = slot(seq) & mask; ; i = (i + 1) & mask) {
      long v = tab[i];
      if (v == seq) return false;
      if (v == FREE) {
        tab[i] = seq;
        break;
      }
    }
    if (++a.seqTableCount * 2 > tab.length) {
      long[] bigger = new long[tab.length * 2];
      java.util.Arrays.fill(bigger, FREE);
      int m = bigger.length - 1;
      for (long v : tab) {
        if (v == FREE) continue;
        int i = slot(v) & m;
        while (bigger[i] != FREE) i = (i + 1) & m;
        bigger[i] = v;
      }
      a.seqTable = bigger;
    }
    return true;
  }

  private static int slot(long seq) {
    long h = seq * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }

  private final long latenessMs;
  private final long flushMs;
  private transient TradeConditions tc;
  private transient MapState<Long, Acc> accs;
  private transient ValueState<Long> flushAt;
  private transient Counter lateTrades;
  private transient Counter duplicateTrades;

  public BarsFunction(long latenessMs, long flushMs) {
    this.latenessMs = latenessMs;
    this.flushMs = flushMs;
  }

  @Override
  public void open(OpenContext ctx) {
    tc = TradeConditions.load();
    TypeInformation<Acc> accType = TypeInformation.of(new TypeHint<Acc>() {});
    accs = getRuntimeContext().getMapState(new MapStateDescriptor<>("bars", Types.LONG, accType));
    flushAt = getRuntimeContext().getState(new ValueStateDescriptor<>("flushAt", Types.LONG));
    lateTrades = getRuntimeContext().getMetricGroup().counter("lateTrades");
    duplicateTrades = getRuntimeContext().getMetricGroup().counter("duplicateTrades");
  }

  /** Folds one trade into an accumulator; false when it was a duplicate. Pure apart from mutating acc. */
  static boolean add(Acc a, Trade t, TradeConditions tc) {
    if (!addSeq(a, t.seq)) return false;
    long at = t.barTime();
    if (tc.updatesLast(t.conditions)) {
      if (at < a.openTs || (at == a.openTs && t.seq < a.openSeq)) {
        a.openTs = at;
        a.openSeq = t.seq;
        a.open = t.price;
      }
      if (at > a.closeTs || (at == a.closeTs && t.seq > a.closeSeq)) {
        a.closeTs = at;
        a.closeSeq = t.seq;
        a.close = t.price;
      }
      a.high = Math.max(a.high, t.price);
      a.low = Math.min(a.low, t.price);
      a.lastCount++;
    }
    if (tc.updatesVolume(t.conditions)) {
      // Summed in millionths of a share and kept as their nearest double: exact (whole shares stay whole,
      // fractional-share trades add to the millionth) up to ~9 billion shares, with no change to the state's type.
      a.volume = (Math.round(a.volume * 1e6) + Math.round(t.size * 1e6)) / 1e6;
      a.pv += t.price * t.size;
      a.trades++;
    }
    return true;
  }

  static Bar toBar(String symbol, long start, Acc a, boolean complete) {
    Bar b = new Bar();
    b.symbol = symbol;
    b.start = start;
    b.end = start + MINUTE;
    b.open = a.open;
    b.high = a.high;
    b.low = a.low;
    b.close = a.close;
    b.volume = a.volume;
    b.vwap = a.volume > 0 ? a.pv / a.volume : a.close;
    b.trades = a.trades;
    b.source = "flink";
    b.complete = complete;
    return b;
  }

  @Override
  public void processElement(Trade t, Context ctx, Collector<Bar> out) throws Exception {
    // A late TRF print lands in the minute of its trft (Trade#barTime), as in Polygon's aggregates and the app.
    long placed = t.barTime();
    if (placed == Trade.NO_BAR) {
      lateTrades.inc();
      return;
    }
    long start = Math.floorDiv(placed, MINUTE) * MINUTE;
    long last = start + MINUTE - 1;
    long wm = ctx.timerService().currentWatermark();
    if (wm != Long.MIN_VALUE && last + latenessMs < wm) {
      lateTrades.inc();
      return;
    }
    Acc a = accs.get(start);
    boolean fresh = a == null;
    if (fresh) a = new Acc();
    // A dirty minute with a price has a flush pending: only flush timers clear flushAt, and they emit (and clean)
    // every such minute. So flushAt need not be read then.
    boolean flushPending = a.dirty && a.lastCount > 0;
    if (!add(a, t, tc)) {
      duplicateTrades.inc();
      return;
    }
    a.dirty = true;
    accs.put(start, a);
    // Timers are registered with the minute; registering them again is a no-op while they are pending (the
    // watermark is before the minute's end), and re-arms the close of a minute a late trade re-opened.
    if (fresh || wm >= last) {
      ctx.timerService().registerEventTimeTimer(last);
      if (latenessMs > 0) ctx.timerService().registerEventTimeTimer(last + latenessMs);
    }
    if (flushMs > 0 && !flushPending && flushAt.value() == null) {
      long at = ctx.timerService().currentProcessingTime() + flushMs;
      flushAt.update(at);
      ctx.timerService().registerProcessingTimeTimer(at);
    }
  }

  @Override
  public void onTimer(long ts, OnTimerContext ctx, Collector<Bar> out) throws Exception {
    String symbol = ctx.getCurrentKey();
    long wm = ctx.timerService().currentWatermark();
    boolean eventTime = ctx.timeDomain() == TimeDomain.EVENT_TIME;
    if (!eventTime) flushAt.clear();
    List<Long> drop = new ArrayList<>();
    for (Map.Entry<Long, Acc> e : accs.entries()) {
      long start = e.getKey();
      Acc a = e.getValue();
      long last = start + MINUTE - 1;
      boolean complete = eventTime ? last <= ts : last <= wm;
      if (a.lastCount > 0 && (a.dirty || (complete && !a.emittedComplete))) {
        out.collect(toBar(symbol, start, a, complete));
        a.dirty = false;
        if (complete) a.emittedComplete = true;
        accs.put(start, a);
      }
      if (eventTime && last + latenessMs <= ts) drop.add(start);
    }
    for (Long k : drop) accs.remove(k);
  }
}
