package dev.newstape.flink;

import dev.newstape.flink.model.Article;
import dev.newstape.flink.model.Bar;
import dev.newstape.flink.model.Envelope;
import dev.newstape.flink.model.Reject;
import dev.newstape.flink.model.Trade;
import dev.newstape.flink.v2.ImpactV2Function;
import dev.newstape.flink.v2.V2;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;

/** Thin wiring: Kafka sources → {@link Pipelines} → PostgreSQL upserts and the signals topic. */
public final class NewstapeJob {
  private NewstapeJob() {}

  public static void main(String[] args) throws Exception {
    JobConfig cfg = JobConfig.from(System.getenv(), args);
    Schema.apply(cfg);
    Topics.ensure(cfg);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration(cfg));
    build(env, cfg);
    System.out.println("newstape-flink: kafka " + cfg.brokers() + " prefix '" + cfg.topicPrefix() + "' → postgres "
        + cfg.pgUrl() + " schema " + cfg.pgSchema() + ", checkpoints " + cfg.checkpointDir());
    env.execute("newstape");
  }

  /** Checkpointing, retained checkpoints, and a restore from the newest retained one when there is one. */
  public static Configuration configuration(JobConfig cfg) {
    Configuration conf = new Configuration();
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(cfg.checkpointIntervalMs()));
    conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, cfg.checkpointDir());
    conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    if (cfg.restore()) latestCheckpoint(cfg.checkpointDir()).ifPresent(p -> {
      System.out.println("newstape-flink: restoring from " + p);
      if (isV1Checkpoint(p)) System.out.println(V1_RESTORE_NOTICE);
      conf.set(StateRecoveryOptions.SAVEPOINT_PATH, p.toString());
      // Checkpoints from before the sinks lost their (empty, at-least-once) committers hold state for those
      // committer operators only; it is empty and may be left behind (Sinks.writerOnly).
      conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
    });
    return conf;
  }

  public static final String V1_RESTORE_NOTICE = "newstape-flink: this checkpoint is from before news impact v2: its v1"
      + " impact state is left behind and v2 starts empty at the checkpoint's offsets (no earlier prints of the day, no"
      + " headlines in progress, no previous sessions' bars until the app publishes some). For complete v2 numbers,"
      + " start once with RESTORE=false and a new KAFKA_GROUP_ID (replays the topics; rows are upserts). See"
      + " flink/README.md, Restarts.";

  /** Whether a retained checkpoint holds the v1 impact operator's state (uid news-impact) and none of v2's. */
  public static boolean isV1Checkpoint(Path chk) {
    try (java.io.DataInputStream in = new java.io.DataInputStream(Files.newInputStream(chk.resolve("_metadata")))) {
      org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata md = org.apache.flink.runtime.checkpoint.Checkpoints
          .loadCheckpointMetadata(in, NewstapeJob.class.getClassLoader(), chk.toString());
      org.apache.flink.runtime.jobgraph.OperatorID v1 = operatorId("news-impact"), v2 = operatorId("news-impact-v2");
      boolean hasV1 = false, hasV2 = false;
      for (org.apache.flink.runtime.checkpoint.OperatorState s : md.getOperatorStates()) {
        if (s.getOperatorID().equals(v1) && s.getStateSize() > 0) hasV1 = true;
        if (s.getOperatorID().equals(v2)) hasV2 = true;
      }
      return hasV1 && !hasV2;
    } catch (IOException | RuntimeException e) {
      return false; // unreadable metadata: the restore itself will say what is wrong
    }
  }

  static org.apache.flink.runtime.jobgraph.OperatorID operatorId(String uid) {
    return new org.apache.flink.runtime.jobgraph.OperatorID(
        org.apache.flink.streaming.api.graph.StreamGraphHasherV2.generateUserSpecifiedHash(uid));
  }

  /** The newest {@code <dir>/<job>/chk-N} with metadata, for local file checkpoint directories. */
  public static Optional<Path> latestCheckpoint(String dir) {
    Path root;
    try {
      root = dir.startsWith("file:") ? Path.of(URI.create(dir)) : Path.of(dir);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (!Files.isDirectory(root)) return Optional.empty();
    try (Stream<Path> s = Files.find(root, 2, (p, a) -> a.isDirectory() && p.getFileName().toString().startsWith("chk-")
        && Files.exists(p.resolve("_metadata")))) {
      return s.max(Comparator.comparingLong(p -> p.resolve("_metadata").toFile().lastModified()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  public static KafkaSource<Envelope> source(JobConfig cfg, String topic, EnvelopeDeserializer.Kind kind) {
    KafkaSourceBuilder<Envelope> b = KafkaSource.<Envelope>builder()
        .setBootstrapServers(cfg.brokers())
        .setTopics(cfg.topic(topic))
        .setGroupId(cfg.groupId())
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setDeserializer(new EnvelopeDeserializer(kind))
        .setProperty("partition.discovery.interval.ms", "10000")
        .setProperty("commit.offsets.on.checkpoint", "true")
        .setProperties(cfg.kafkaProperties()); // TLS/SASL (JobConfig.kafkaClientProps)
    if (cfg.bounded()) b.setBounded(OffsetsInitializer.latest());
    return b.build();
  }

  /**
   * How often sources emit watermarks (Flink's default is 200 ms): a signal waits up to this long on top of the
   * trades' bound, and a lone headline's source needs two emits to go idle (NewsWatermarksTest).
   */
  public static final long WATERMARK_INTERVAL_MS = 100;

  /** Event time of the parsed envelope, bounded out-of-orderness, idle sources left behind after IDLE_MS. */
  public static WatermarkStrategy<Envelope> watermarks(JobConfig cfg) {
    return WatermarkStrategy.<Envelope>forBoundedOutOfOrderness(Duration.ofMillis(cfg.outOfOrderMs()))
        .withTimestampAssigner((e, ts) -> e.ts)
        .withIdleness(Duration.ofMillis(cfg.idleMs()));
  }

  /**
   * Articles: event time {@code max(published, receivedAt)} without a bound (the app produces an article as it
   * receives it) and idle after {@code NEWS_IDLE_MS} (0.5 s) without one. A lone headline used to hold every v2 output
   * at its receipt until the 30-s idleness let go; now it holds event time for NEWS_IDLE_MS at most, less than the
   * trades' bound, so live signals never wait for the news. While the source reads a backlog (a replay) articles keep
   * it active, so prints still wait for the headlines of their time. An article that comes behind the watermark anyway
   * is applied at once and gives the same records (V2EngineLateHeadlineTest).
   */
  public static WatermarkStrategy<Envelope> newsWatermarks(JobConfig cfg) {
    return WatermarkStrategy.<Envelope>forMonotonousTimestamps()
        .withTimestampAssigner((e, ts) -> e.ts)
        .withIdleness(Duration.ofMillis(cfg.newsIdleMs()));
  }

  public static void build(StreamExecutionEnvironment env, JobConfig cfg) {
    build(env, cfg, dev.newstape.flink.history.HistoryConfig.from(System.getenv(), new String[0]));
  }

  /** The job with the given archive settings ({@code history.enabled() == false} leaves the archive out). */
  public static void build(StreamExecutionEnvironment env, JobConfig cfg, dev.newstape.flink.history.HistoryConfig history) {
    env.setParallelism(cfg.parallelism());
    env.getConfig().setAutoWatermarkInterval(WATERMARK_INTERVAL_MS);
    // No function mutates its input or keeps one that a chained upstream reuses (parsers allocate per record), so
    // chained operators may pass records without the reflective POJO copy that otherwise dominates the profile.
    env.getConfig().enableObjectReuse();
    WatermarkStrategy<Envelope> wm = watermarks(cfg);

    DataStream<Envelope> tradeIn = env.fromSource(source(cfg, "market.trades", EnvelopeDeserializer.Kind.TRADE), wm,
        "kafka market.trades").uid("src-trades");
    DataStream<Envelope> barIn = env.fromSource(source(cfg, "market.bars.1m", EnvelopeDeserializer.Kind.BAR), wm,
        "kafka market.bars.1m").uid("src-bars");
    DataStream<Envelope> newsIn = env.fromSource(source(cfg, "news.articles", EnvelopeDeserializer.Kind.ARTICLE),
        newsWatermarks(cfg),
        "kafka news.articles").uid("src-news");

    SingleOutputStreamOperator<Trade> trades = Pipelines.trades(tradeIn);
    SingleOutputStreamOperator<Bar> appBars = Pipelines.appBars(barIn);
    SingleOutputStreamOperator<Article> articles = Pipelines.articles(newsIn);

    DataStream<Bar> bars = Pipelines.bars1m(trades, cfg.barLatenessMs(), cfg.barFlushMs()).union(appBars);
    bars.sinkTo(Sinks.jdbc(cfg, Sinks.BARS_UPSERT, Sinks.BARS)).name("pg bars_1m").uid("sink-bars");
    articles.sinkTo(Sinks.jdbc(cfg, Sinks.NEWS_UPSERT, Sinks.NEWS)).name("pg news").uid("sink-news");

    // News impact v2 and move alerts (docs/impact-v2.md). The v1 operator (uid news-impact) is gone: a checkpoint
    // from before holds its state, which the restore leaves behind (see configuration()).
    SingleOutputStreamOperator<V2.ImpactRecord> impactV2 = Pipelines.impactV2(Pipelines.impactV2Events(trades, articles, bars),
        cfg.impactSettings());
    DataStream<V2.MoveAlert> moves = impactV2.getSideOutput(ImpactV2Function.MOVES);
    impactV2.sinkTo(Sinks.jdbc(cfg, Sinks.IMPACT_V2_UPSERT, Sinks.IMPACT_V2)).name("pg news_impact").uid("sink-impact");
    impactV2.sinkTo(Sinks.signalsV2(cfg)).name("kafka signals.news-impact").uid("sink-signals");
    moves.sinkTo(Sinks.jdbc(cfg, Sinks.MOVES_UPSERT, Sinks.MOVES)).name("pg move_alerts").uid("sink-moves");
    moves.sinkTo(Sinks.moves(cfg)).name("kafka signals.moves").uid("sink-signals-moves");
    // History hook (flink/HISTORY.md): also append the four streams to the Iceberg archive (news_impact with the v2
    // columns, added to a table from before v2 on start); ICEBERG_* env variables configure it, ICEBERG_ENABLED=false
    // leaves it out.
    dev.newstape.flink.history.Archive.attach(history, trades, bars, articles, impactV2);

    DataStream<Reject> rejects = trades.getSideOutput(Pipelines.REJECTS)
        .union(appBars.getSideOutput(Pipelines.REJECTS), articles.getSideOutput(Pipelines.REJECTS));
    rejects.sinkTo(Sinks.jdbc(cfg, Sinks.REJECT_UPSERT, Sinks.REJECTS)).name("pg ingest_rejects").uid("sink-rejects");
  }

  /** Starts the job without blocking (tests, benchmarks). */
  public static JobClient start(StreamExecutionEnvironment env, JobConfig cfg) throws Exception {
    build(env, cfg);
    return env.executeAsync("newstape");
  }
}
