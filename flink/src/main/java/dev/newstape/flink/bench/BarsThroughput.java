package dev.newstape.flink.bench;

import dev.newstape.flink.EnvelopeDeserializer;
import dev.newstape.flink.Pipelines;
import dev.newstape.flink.model.Envelope;
import dev.newstape.flink.model.Trade;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Benchmark: trades as JSON bytes (what Kafka delivers) → parse → event-time watermarks → 1-minute bars, streaming
 * mode, on a local mini cluster. Prints {@code RESULT {...}} for scripts/bench/flink.ts. Args: [trades] [symbols]
 * [parallelism]. Kafka itself is left out so the number is the job's, not the broker's.
 */
public final class BarsThroughput {
  private BarsThroughput() {}

  /** First record seen, System.nanoTime(); the mini cluster runs in this JVM, so a static is visible here. */
  static final AtomicLong FIRST = new AtomicLong();
  static final AtomicLong FIRST_CPU = new AtomicLong();

  /** CPU time of the whole JVM so far, ns: on a shared machine, events per CPU-second is the steadier figure. */
  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  public static void main(String[] args) throws Exception {
    long n = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000L;
    int symbols = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    int parallelism = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(parallelism);
    env.getConfig().enableObjectReuse(); // as NewstapeJob does
    long base = 1_795_532_400_000L;
    // ~10 trades per ms of event time across all symbols: a busy session compressed.
    DataStream<byte[]> json = env.fromSequence(0, n - 1).map((MapFunction<Long, byte[]>) i -> {
      if (FIRST.get() == 0 && FIRST.compareAndSet(0, System.nanoTime())) FIRST_CPU.set(cpuNanos());
      int s = (int) (i % symbols);
      double price = 100 + s + (i % 1000) * 0.01;
      String c = i % 17 == 0 ? "[37]" : "[]";
      return ("{\"symbol\":\"S" + s + "\",\"price\":" + price + ",\"size\":" + (1 + i % 500) + ",\"ts\":" + (base + i / 10)
          + ",\"exchange\":4,\"conditions\":" + c + ",\"seq\":" + i + ",\"id\":\"" + i + "\",\"tape\":3}")
          .getBytes(StandardCharsets.UTF_8);
    }).returns(PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO).name("json");
    DataStream<Trade> trades = json
        .map((MapFunction<byte[], Envelope>) b -> EnvelopeDeserializer.parse(EnvelopeDeserializer.Kind.TRADE, "t", 0, 0, b))
        .returns(Types.POJO(Envelope.class))
        .filter((FilterFunction<Envelope>) e -> e.trade != null)
        .map((MapFunction<Envelope, Trade>) e -> e.trade).returns(Types.POJO(Trade.class))
        .assignTimestampsAndWatermarks(WatermarkStrategy.<Trade>forBoundedOutOfOrderness(Duration.ofSeconds(2))
            .withTimestampAssigner((t, x) -> t.ts));
    Pipelines.bars1m(trades, 60_000, 1_000).sinkTo(new DiscardingSink<>());
    // Timed from the first record to the job's end, so mini-cluster start-up is not counted.
    env.execute("bars-throughput");
    double seconds = (System.nanoTime() - FIRST.get()) / 1e9;
    double cpu = (cpuNanos() - FIRST_CPU.get()) / 1e9;
    System.out.printf("RESULT {\"events\":%d,\"seconds\":%.3f,\"eventsPerSec\":%.0f,\"cpuSeconds\":%.3f,"
        + "\"eventsPerCpuSec\":%.0f,\"symbols\":%d,\"parallelism\":%d}%n", n, seconds, n / seconds, cpu, n / cpu, symbols,
        parallelism);
  }
}
