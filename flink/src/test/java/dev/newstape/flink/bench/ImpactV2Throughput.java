package dev.newstape.flink.bench;

import dev.newstape.flink.Pipelines;
import dev.newstape.flink.v2.Eastern;
import dev.newstape.flink.v2.V2;
import dev.newstape.flink.v2.V2Engine;
import dev.newstape.flink.v2.V2Event;
import dev.newstape.flink.v2.V2EventType;
import java.lang.management.ManagementFactory;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Benchmark: news impact v2 and move alerts over a synthetic regular session — 50 symbols and the proxy SPY, one
 * article per 20,000 trades, previous-session minute bars for beta and the sigma floor — through
 * {@link Pipelines#impactV2} on a local mini cluster (mode {@code flink}, the operator as the job runs it, watermarks
 * every 200 ms of event time, checkpoints every 10 s as the job) or through the engine alone ({@code engine}: the definition's cost
 * without Flink). Reports trades per second from the first event in to the last record out, and per CPU-second.
 *
 * <p>Prints one {@code RESULT {...}} line. Args: [mode flink|engine] [trades] [symbols]. Run from the test jar:
 * {@code java --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED -cp
 * flink/target/newstape-flink-0.1.0-tests.jar:<job class path> dev.newstape.flink.bench.ImpactV2Throughput flink 1000000 50}.
 */
public final class ImpactV2Throughput {
  private ImpactV2Throughput() {}

  static final AtomicLong FIRST = new AtomicLong(Long.MAX_VALUE);
  static final AtomicLong LAST = new AtomicLong();
  static final AtomicLong OUT = new AtomicLong();

  /** About one trade per ms over the market (SPY a tenth of them), a 2 % jump in a symbol 30 s after each article. */
  public static List<V2Event> session(int trades, int symbols) {
    SplittableRandom rnd = new SplittableRandom(42);
    long open = LocalDateTime.parse("2026-11-24T09:30:00").atZone(Eastern.NY).toInstant().toEpochMilli();
    List<V2Event> ev = new ArrayList<>(trades + 50_000);
    String[] names = new String[symbols + 1];
    double[] price = new double[symbols + 1];
    for (int i = 0; i < symbols; i++) {
      names[i] = "S" + i;
      price[i] = 50 + i;
    }
    names[symbols] = "SPY";
    price[symbols] = 600;
    // The previous session's bars (beta, floor, rvol slot basis), correlated with SPY.
    long prev = open - 24 * 3_600_000L;
    double[] close = price.clone();
    for (int m = 0; m < 390; m++) {
      double mk = (rnd.nextDouble() - 0.5) * 0.003;
      for (int i = 0; i <= symbols; i++) {
        close[i] *= Math.exp(i == symbols ? mk : mk + (rnd.nextDouble() - 0.5) * 0.002);
        ev.add(V2Event.of(new V2.MinuteBar(names[i], prev + m * 60_000L, close[i], 5_000)));
      }
    }
    long t = open;
    long seq = 1;
    int jumpSym = -1;
    long jumpAt = Long.MAX_VALUE;
    for (int n = 0; n < trades; n++) {
      t += rnd.nextInt(3); // about one trade per ms of event time over the 51 symbols
      int i = rnd.nextInt(10) == 0 ? symbols : rnd.nextInt(symbols);
      if (n > 0 && n % 20_000 == 0) {
        int s = rnd.nextInt(symbols);
        ev.add(V2Event.of(new V2.Headline("a" + n, t, t + 2_000, "Headline " + n + " about " + names[s], names[s])));
        jumpSym = s;
        jumpAt = t + 30_000;
      }
      if (i == jumpSym && t >= jumpAt) {
        price[i] *= 1.02;
        jumpSym = -1;
      }
      price[i] *= 1 + (rnd.nextDouble() - 0.5) * 0.0004;
      V2.Print p = new V2.Print(names[i], t, Math.round(price[i] * 100) / 100.0, 100, new int[0], seq++, "live");
      ev.add(V2Event.of(p));
    }
    return ev;
  }

  static double cpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
  }

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "flink";
    int trades = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    int symbols = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    List<V2Event> ev = session(trades, symbols);
    long impacts = 0, moves = 0;
    double cpu0 = cpuSeconds();
    long t0 = System.nanoTime(), t1;
    if (mode.equals("engine")) {
      V2Engine eng = new V2Engine(V2.Settings.DEFAULT);
      long next = Long.MIN_VALUE;
      for (V2Event e : ev) {
        eng.add(e);
        // Advance every 200 ms of event time, as a watermark interval would.
        if (e.print != null && e.time >= next) {
          V2Engine.Out o = eng.advanceTo(e.time - 1);
          impacts += o.impacts().size();
          moves += o.moves().size();
          next = e.time + 200;
        }
      }
      V2Engine.Out o = eng.advanceTo(Long.MAX_VALUE - 1);
      impacts += o.impacts().size();
      moves += o.moves().size();
      t1 = System.nanoTime();
    } else {
      org.apache.flink.configuration.Configuration conf = new org.apache.flink.configuration.Configuration();
      conf.set(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTS_DIRECTORY,
          java.nio.file.Files.createTempDirectory("v2-bench-chk").toUri().toString()); // as the job: file checkpoints
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
      env.setParallelism(1);
      env.enableCheckpointing(10_000); // the job's default CHECKPOINT_INTERVAL_MS
      env.getConfig().enableObjectReuse();
      DataStream<V2Event> in = env.fromData(ev, V2EventType.INFO)
          .map(new RichMapFunction<V2Event, V2Event>() {
            @Override
            public V2Event map(V2Event e) {
              if (FIRST.get() == Long.MAX_VALUE) FIRST.compareAndSet(Long.MAX_VALUE, System.nanoTime());
              return e;
            }
          }).returns(V2EventType.INFO)
          .assignTimestampsAndWatermarks(WatermarkStrategy.<V2Event>forMonotonousTimestamps().withTimestampAssigner((e, x) -> e.time));
      SingleOutputStreamOperator<V2.ImpactRecord> out = Pipelines.impactV2(in, V2.Settings.DEFAULT);
      out.map(new RichMapFunction<V2.ImpactRecord, Integer>() {
        @Override
        public void open(OpenContext c) {}

        @Override
        public Integer map(V2.ImpactRecord r) {
          OUT.incrementAndGet();
          LAST.set(System.nanoTime());
          return 1;
        }
      }).sinkTo(new DiscardingSink<>());
      out.getSideOutput(dev.newstape.flink.v2.ImpactV2Function.MOVES).map(a -> {
        LAST.set(System.nanoTime());
        return 1;
      }).returns(Types.INT).sinkTo(new DiscardingSink<>());
      env.execute("impact-v2-throughput");
      t0 = FIRST.get();
      t1 = Math.max(LAST.get(), t0 + 1);
      impacts = OUT.get();
    }
    double sec = (t1 - t0) / 1e9, cpu = cpuSeconds() - cpu0;
    System.out.printf("RESULT {\"mode\":\"%s\",\"trades\":%d,\"symbols\":%d,\"seconds\":%.3f,\"tradesPerSec\":%.0f,"
        + "\"tradesPerCpuSec\":%.0f,\"impacts\":%d,\"moves\":%d}%n", mode, trades, symbols, sec, trades / sec, trades / cpu,
        impacts, moves);
  }
}
