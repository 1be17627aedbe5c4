package dev.newstape.flink.bench;

import dev.newstape.flink.EnvelopeDeserializer;
import dev.newstape.flink.JobConfig;
import dev.newstape.flink.NewstapeJob;
import dev.newstape.flink.Pipelines;
import dev.newstape.flink.model.Bar;
import dev.newstape.flink.model.Trade;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Benchmark: the job's trade path as it runs in production — {@code market.trades} from a real Kafka broker through
 * the job's own Kafka source, deserializer and watermarks, record splitting, and {@link Pipelines#bars1m} — on a
 * local mini cluster with checkpointing on. The trades are produced to a fresh topic <em>before</em> the job starts,
 * so the broker is not the bottleneck and producing is not timed with the job.
 *
 * <p>Reported (one {@code RESULT {...}} line for scripts/bench/flink.ts):
 * <ul>
 *   <li>processing rate: trades ÷ (first trade parsed → last bar out of the bars operator); the end of a bounded
 *       input fires every timer, so the last bar comes right after the last trade is folded in;
 *   <li>end to end: trades ÷ (job submitted → job finished), mini-cluster start-up and the final checkpoint
 *       included;
 *   <li>events per CPU-second of this JVM over the processing window (the broker's JVM is not counted): the
 *       steadier figure on a shared machine.
 * </ul>
 * The run checks itself: every trade read once, and the complete bars together count every trade.
 *
 * <p>Args: brokers [trades] [symbols] [parallelism] [partitions].
 */
public final class BarsThroughput {
  private BarsThroughput() {}

  // The mini cluster runs in this JVM, so statics are visible to the operators and to main.
  static final AtomicLong FIRST = new AtomicLong(Long.MAX_VALUE);
  static final AtomicLong FIRST_CPU = new AtomicLong();
  static final AtomicLong LAST = new AtomicLong();
  static final AtomicLong TRADES = new AtomicLong();
  static final Map<String, Long> COMPLETE = new ConcurrentHashMap<>();

  /** CPU time of the whole JVM so far, ns. */
  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static final long BASE = 1_795_532_400_000L;

  /** Trade i of the generated session: ~10 trades per ms of event time across all symbols, every 17th an odd lot. */
  static byte[] trade(long i, int symbols) {
    int s = (int) (i % symbols);
    double price = 100 + s + (i % 1000) * 0.01;
    String c = i % 17 == 0 ? "[37]" : "[]";
    return ("{\"symbol\":\"S" + s + "\",\"price\":" + price + ",\"size\":" + (1 + i % 500) + ",\"ts\":" + (BASE + i / 10)
        + ",\"exchange\":4,\"conditions\":" + c + ",\"seq\":" + i + ",\"id\":\"" + i + "\",\"tape\":3}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Pass-through after parsing: notes the first trade's time and counts trades (per subtask, published at close). */
  static final class Probe extends RichMapFunction<Trade, Trade> {
    private static final long serialVersionUID = 1L;
    private transient long count;

    @Override
    public void open(OpenContext ctx) {
      count = 0;
    }

    @Override
    public Trade map(Trade t) {
      if (count++ == 0) {
        long now = System.nanoTime();
        if (FIRST.accumulateAndGet(now, Math::min) == now) FIRST_CPU.set(cpuNanos());
      }
      return t;
    }

    @Override
    public void close() {
      TRADES.addAndGet(count);
    }
  }

  /** After the bars operator: the time of the latest bar and, per minute, the trade count of its complete bar. */
  static final class BarProbe extends RichMapFunction<Bar, Bar> {
    private static final long serialVersionUID = 1L;

    @Override
    public Bar map(Bar b) {
      LAST.accumulateAndGet(System.nanoTime(), Math::max);
      if (b.complete) COMPLETE.put(b.symbol + "@" + b.start, b.trades);
      return b;
    }
  }

  public static void main(String[] args) throws Exception {
    String brokers = args.length > 0 ? args[0] : "127.0.0.1:9092";
    long n = args.length > 1 ? Long.parseLong(args[1]) : 2_000_000L;
    int symbols = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    int parallelism = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    int partitions = args.length > 4 ? Integer.parseInt(args[4]) : parallelism;
    String run = UUID.randomUUID().toString().substring(0, 8);
    String prefix = "bench-bars-" + run + ".";
    String topic = prefix + "market.trades";
    Path chk = Files.createTempDirectory("newstape-bars-bench-");

    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
      try {
        // 1. Pre-produce (not timed with the job).
        Map<String, Object> pp = new HashMap<>();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        pp.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        pp.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        pp.put(ProducerConfig.ACKS_CONFIG, "1");
        long p0 = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer())) {
          for (long i = 0; i < n; i++)
            producer.send(new ProducerRecord<>(topic, ("S" + (i % symbols)).getBytes(StandardCharsets.UTF_8), trade(i, symbols)));
          producer.flush();
        }
        double produceSeconds = (System.nanoTime() - p0) / 1e9;

        // 2. The job's trade path, bounded at the offsets that exist now.
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BROKERS", brokers);
        env.put("TOPIC_PREFIX", prefix);
        env.put("KAFKA_GROUP_ID", "bench-bars-" + run);
        env.put("CHECKPOINT_DIR", chk.toUri().toString());
        env.put("BOUNDED", "true");
        env.put("RESTORE", "false");
        env.put("PARALLELISM", String.valueOf(parallelism));
        JobConfig cfg = JobConfig.from(env, new String[0]);
        StreamExecutionEnvironment senv = StreamExecutionEnvironment.getExecutionEnvironment(NewstapeJob.configuration(cfg));
        senv.setParallelism(cfg.parallelism());
        senv.getConfig().enableObjectReuse(); // as NewstapeJob does
        DataStream<Trade> trades = Pipelines.trades(senv.fromSource(
            NewstapeJob.source(cfg, "market.trades", EnvelopeDeserializer.Kind.TRADE), NewstapeJob.watermarks(cfg),
            "kafka market.trades")).map(new Probe()).returns(Types.POJO(Trade.class)).name("probe");
        Pipelines.bars1m(trades, cfg.barLatenessMs(), cfg.barFlushMs()).map(new BarProbe()).returns(Types.POJO(Bar.class))
            .name("bar-probe").sinkTo(new DiscardingSink<>());
        long j0 = System.nanoTime();
        senv.execute("bars-throughput");
        long j1 = System.nanoTime();
        double cpu = (cpuNanos() - FIRST_CPU.get()) / 1e9;

        long read = TRADES.get();
        long counted = COMPLETE.values().stream().mapToLong(Long::longValue).sum();
        String error = read != n ? "read " + read + " of " + n + " trades"
            : counted != n ? "complete bars count " + counted + " of " + n + " trades" : null;
        double seconds = (LAST.get() - FIRST.get()) / 1e9;
        double e2e = (j1 - j0) / 1e9;
        System.out.printf("RESULT {\"events\":%d,\"seconds\":%.3f,\"eventsPerSec\":%.0f,\"endToEndSeconds\":%.3f,"
            + "\"endToEndPerSec\":%.0f,\"startupSeconds\":%.3f,\"tailSeconds\":%.3f,\"cpuSeconds\":%.3f,\"eventsPerCpuSec\":%.0f,\"produceSeconds\":%.3f,\"bars\":%d,"
            + "\"symbols\":%d,\"parallelism\":%d,\"partitions\":%d,\"error\":%s}%n", n, seconds, n / seconds, e2e, n / e2e,
            (FIRST.get() - j0) / 1e9, (j1 - LAST.get()) / 1e9, cpu, n / cpu, produceSeconds, COMPLETE.size(), symbols, parallelism, partitions,
            error == null ? "null" : "\"" + error + "\"");
        if (error != null) System.exit(2);
      } finally {
        admin.deleteTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
        try (var s = Files.walk(chk)) {
          s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }
}
