package dev.newstape.flink.v2;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The v2 operator: every print, headline and minute bar under one key, because a move of S reads the proxy M's
 * prices at the same instants and the records of S read other symbols' never (so one instance sees the whole market;
 * it is one slot, see flink/README.md). Events wait for the watermark; the engine ({@link V2Engine}) then applies
 * them in event-time order. Impact records go to the main output, move alerts to {@link #MOVES}.
 */
public class ImpactV2Function extends KeyedProcessFunction<Integer, V2Event, V2.ImpactRecord> {
  private static final long serialVersionUID = 1L;
  public static final OutputTag<V2.MoveAlert> MOVES = new OutputTag<>("moves", Types.POJO(V2.MoveAlert.class));

  private final V2.Settings settings;
  /** The engine of the key, in {@link V2EngineSerializer}'s format. */
  private transient ValueState<V2Engine> state;
  /**
   * The engine as earlier versions kept it (Kryo, state name engine-v2): read once per key after a restore from such
   * a checkpoint, then cleared; the engine takes its de-duplication keys over on first use ({@link Market#dedup()}).
   */
  private transient ValueState<V2Engine> legacy;

  public ImpactV2Function(V2.Settings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext ctx) {
    state = getRuntimeContext().getState(new ValueStateDescriptor<>("engine", new V2EngineSerializer()));
    legacy = getRuntimeContext().getState(new ValueStateDescriptor<>("engine-v2", TypeInformation.of(V2Engine.class)));
    lastWakeup = Long.MIN_VALUE;
  }

  private V2Engine engine() throws Exception {
    V2Engine e = state.value();
    if (e != null) return e;
    e = legacy.value();
    if (e != null) {
      legacy.clear();
      return e;
    }
    return new V2Engine(settings);
  }

  /**
   * The batch timer registered last, and its key: consecutive events of one batch need it once (registering again
   * is a no-op in Flink, but a lookup per event). Forgotten when a timer at or after it fires.
   */
  private transient long lastWakeup;
  private transient int lastWakeupKey;

  @Override
  public void processElement(V2Event e, Context ctx, Collector<V2.ImpactRecord> out) throws Exception {
    V2Engine eng = engine();
    eng.add(e);
    long w = V2Engine.batchWakeup(e);
    int key = ctx.getCurrentKey();
    if (w != lastWakeup || key != lastWakeupKey) {
      ctx.timerService().registerEventTimeTimer(w);
      lastWakeup = w;
      lastWakeupKey = key;
    }
    if (e.headline != null) for (int k : V2Engine.STAGES) ctx.timerService().registerEventTimeTimer(e.headline.published + k * Eastern.MIN);
    state.update(eng);
  }

  @Override
  public void onTimer(long ts, OnTimerContext ctx, Collector<V2.ImpactRecord> out) throws Exception {
    if (ts >= lastWakeup) lastWakeup = Long.MIN_VALUE;
    V2Engine eng = engine();
    V2Engine.Out o = eng.advanceTo(ts);
    int key = ctx.getCurrentKey();
    for (V2.ImpactRecord r : o.impacts()) {
      r.market = key;
      out.collect(r);
    }
    for (V2.MoveAlert a : o.moves()) {
      a.market = key;
      ctx.output(MOVES, a);
    }
    state.update(eng);
  }
}
