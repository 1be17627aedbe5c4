package dev.newstape.flink;

import dev.newstape.flink.model.Impact;
import dev.newstape.flink.model.Mention;
import dev.newstape.flink.model.Thresholds;
import dev.newstape.flink.model.Trade;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by symbol: buffers the symbol's trades and headlines, and for each mention emits an impact record when
 * event time reaches t0, t0+1m, t0+5m and t0+15m (the last one final). Numbers come from {@link ImpactMath}, so
 * the streaming result at event time T equals the golden definition with asOf = T.
 *
 * <p>Trades are kept for {@link #RETENTION} behind event time (plus the last price-setting trade before that as a
 * carry, so price(t) stays exact), which lets articles arrive up to RETENTION − 60 min after publication and still
 * be measured exactly; later ones are dropped and counted (metric lateMentions).
 */
public class ImpactFunction extends KeyedCoProcessFunction<String, Trade, Mention, Impact> {
  private static final long serialVersionUID = 1L;
  public static final long RETENTION = 135 * ImpactMath.MINUTE;
  private static final long PRUNE_EVERY = 5 * ImpactMath.MINUTE;
  private static final int[] STAGES = {0, 1, 5, 15};

  private final Thresholds thresholds;
  private transient TradeConditions tc;
  private transient MapState<Long, Trade> trades;
  private transient ValueState<Trade> carry;
  private transient MapState<String, Mention> headlines;
  private transient MapState<String, Mention> pending;
  private transient MapState<String, Integer> emitted;
  private transient MapState<String, Long> done;
  private transient Counter lateMentions;

  public ImpactFunction(Thresholds thresholds) {
    this.thresholds = thresholds;
  }

  @Override
  public void open(OpenContext ctx) {
    tc = TradeConditions.load();
    trades = getRuntimeContext().getMapState(new MapStateDescriptor<>("trades", Types.LONG, Types.POJO(Trade.class)));
    carry = getRuntimeContext().getState(new ValueStateDescriptor<>("carry", Types.POJO(Trade.class)));
    headlines = getRuntimeContext().getMapState(new MapStateDescriptor<>("headlines", Types.STRING, Types.POJO(Mention.class)));
    pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending", Types.STRING, Types.POJO(Mention.class)));
    emitted = getRuntimeContext().getMapState(new MapStateDescriptor<>("emitted", Types.STRING, Types.INT));
    done = getRuntimeContext().getMapState(new MapStateDescriptor<>("done", Types.STRING, Types.LONG));
    lateMentions = getRuntimeContext().getMetricGroup().counter("lateMentions");
  }

  @Override
  public void processElement1(Trade t, Context ctx, Collector<Impact> out) throws Exception {
    // Keyed by seq: a redelivered trade overwrites itself instead of counting twice.
    trades.put(t.seq, t);
    ctx.timerService().registerEventTimeTimer((Math.floorDiv(t.ts, PRUNE_EVERY) + 1) * PRUNE_EVERY);
  }

  @Override
  public void processElement2(Mention m, Context ctx, Collector<Impact> out) throws Exception {
    if (pending.contains(m.articleId) || done.contains(m.articleId)) return; // redelivery or revision: t0 is fixed
    long wm = ctx.timerService().currentWatermark();
    if (wm != Long.MIN_VALUE && m.published - ImpactMath.LOOKBACK < wm - RETENTION) {
      lateMentions.inc();
      return;
    }
    headlines.put(m.articleId, m);
    pending.put(m.articleId, m);
    for (int k : STAGES) ctx.timerService().registerEventTimeTimer(m.published + k * ImpactMath.MINUTE);
  }

  private static int stageAt(long t, long t0) {
    int s = -1;
    for (int k : STAGES) if (t >= t0 + k * ImpactMath.MINUTE) s = k;
    return s;
  }

  @Override
  public void onTimer(long ts, OnTimerContext ctx, Collector<Impact> out) throws Exception {
    List<Mention> due = new ArrayList<>();
    long minPending = Long.MAX_VALUE;
    for (Map.Entry<String, Mention> e : pending.entries()) {
      Mention m = e.getValue();
      Integer last = emitted.get(e.getKey());
      if (stageAt(ts, m.published) > (last == null ? -1 : last)) due.add(m);
      minPending = Math.min(minPending, m.published);
    }
    if (!due.isEmpty()) {
      List<Trade> buf = new ArrayList<>();
      for (Trade t : trades.values()) buf.add(t);
      Trade c = carry.value();
      if (c != null) buf.add(c);
      List<Mention> hist = new ArrayList<>();
      for (Mention h : headlines.values()) hist.add(h);
      for (Mention m : due) {
        Impact r = ImpactMath.compute(m, buf, hist, ts, thresholds, tc);
        out.collect(r);
        int stage = stageAt(ts, m.published);
        if (stage == 15) {
          pending.remove(m.articleId);
          emitted.remove(m.articleId);
          done.put(m.articleId, m.published);
        } else {
          emitted.put(m.articleId, stage);
        }
      }
    }
    if (ts % PRUNE_EVERY == 0) prune(ts, minPending);
  }

  private void prune(long now, long minPending) throws Exception {
    long cutoff = Math.min(now - RETENTION, minPending == Long.MAX_VALUE ? Long.MAX_VALUE : minPending - ImpactMath.LOOKBACK);
    Trade c = carry.value();
    List<Long> drop = new ArrayList<>();
    for (Map.Entry<Long, Trade> e : trades.entries()) {
      Trade t = e.getValue();
      if (t.ts >= cutoff) continue;
      drop.add(e.getKey());
      if (tc.updatesLast(t.conditions) && (c == null || Trade.compareTime(t, c) > 0)) c = t;
    }
    for (Long k : drop) trades.remove(k);
    if (c != null) carry.update(c);
    List<String> old = new ArrayList<>();
    for (Map.Entry<String, Mention> e : headlines.entries())
      if (e.getValue().published < now - RETENTION - ImpactMath.DAY) old.add(e.getKey());
    for (String k : old) headlines.remove(k);
    old.clear();
    for (Map.Entry<String, Long> e : done.entries()) if (e.getValue() < now - RETENTION) old.add(e.getKey());
    for (String k : old) done.remove(k);
  }
}
