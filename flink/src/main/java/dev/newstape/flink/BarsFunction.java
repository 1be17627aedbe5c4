package dev.newstape.flink;

import dev.newstape.flink.model.Bar;
import dev.newstape.flink.model.Trade;
import java.util.ArrayList;
import java.util.HashSet;
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

  /** Accumulator of one symbol-minute. Flink POJO. */
  public static class Acc {
    public long openTs = Long.MAX_VALUE, openSeq, closeTs = Long.MIN_VALUE, closeSeq;
    public double open, close, high = Double.NEGATIVE_INFINITY, low = Double.POSITIVE_INFINITY;
    public double volume, pv;
    public long trades, lastCount;
    public boolean dirty, emittedComplete;
    public HashSet<Long> seqs = new HashSet<>();

    public Acc() {}
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
    if (!a.seqs.add(t.seq)) return false;
    if (tc.updatesLast(t.conditions)) {
      if (t.ts < a.openTs || (t.ts == a.openTs && t.seq < a.openSeq)) {
        a.openTs = t.ts;
        a.openSeq = t.seq;
        a.open = t.price;
      }
      if (t.ts > a.closeTs || (t.ts == a.closeTs && t.seq > a.closeSeq)) {
        a.closeTs = t.ts;
        a.closeSeq = t.seq;
        a.close = t.price;
      }
      a.high = Math.max(a.high, t.price);
      a.low = Math.min(a.low, t.price);
      a.lastCount++;
    }
    if (tc.updatesVolume(t.conditions)) {
      a.volume += t.size;
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
    long start = Math.floorDiv(t.ts, MINUTE) * MINUTE;
    long wm = ctx.timerService().currentWatermark();
    if (wm != Long.MIN_VALUE && start + MINUTE - 1 + latenessMs < wm) {
      lateTrades.inc();
      return;
    }
    Acc a = accs.get(start);
    if (a == null) a = new Acc();
    if (!add(a, t, tc)) {
      duplicateTrades.inc();
      return;
    }
    a.dirty = true;
    accs.put(start, a);
    ctx.timerService().registerEventTimeTimer(start + MINUTE - 1);
    if (latenessMs > 0) ctx.timerService().registerEventTimeTimer(start + MINUTE - 1 + latenessMs);
    if (flushMs > 0 && flushAt.value() == null) {
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
