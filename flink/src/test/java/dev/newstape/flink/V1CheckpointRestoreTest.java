package dev.newstape.flink;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.newstape.flink.model.Article;
import dev.newstape.flink.model.Bar;
import dev.newstape.flink.model.Thresholds;
import dev.newstape.flink.model.Trade;
import dev.newstape.flink.v2.V2;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real checkpoint of the v1 impact operator (uid news-impact, the job before v2): the start-up check recognises it
 * (so the job prints what to do), and the v2 job restores from it — the v1 state left behind — and runs on, its own
 * checkpoints then being v2 ones.
 */
class V1CheckpointRestoreTest {
  @TempDir Path tmp;
  static final long BASE = 1_795_532_400_000L;

  static Trade trade(long i) {
    return new Trade("AAPL", BASE + i * 100, 230 + (i % 7) * 0.01, 100, new int[0], i + 1);
  }

  static StreamExecutionEnvironment env(Path chk, String restoreFrom) {
    Configuration conf = new Configuration();
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(300));
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, chk.toUri().toString());
    conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    if (restoreFrom != null) {
      conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
      conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true); // as NewstapeJob.configuration does
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(1);
    return env;
  }

  static DataStream<Trade> trades(StreamExecutionEnvironment env) {
    DataGeneratorSource<Trade> gen = new DataGeneratorSource<>(V1CheckpointRestoreTest::trade, 1_000_000,
        RateLimiterStrategy.perSecond(200), Types.POJO(Trade.class));
    return env.fromSource(gen, WatermarkStrategy.noWatermarks(), "trades").uid("gen-trades");
  }

  static DataStream<Article> articles(StreamExecutionEnvironment env) {
    return env.fromData(List.of(new Article("a1", BASE + 60_000, BASE + 62_000, "Apple beats", "AAPL")), Types.POJO(Article.class))
        .uid("articles");
  }

  /** Runs until {@code done} holds for the newest retained checkpoint, then cancels; returns that checkpoint. */
  static Path runUntil(StreamExecutionEnvironment env, Path chk, java.util.function.Predicate<Path> done) throws Exception {
    JobClient job = env.executeAsync();
    long deadline = System.currentTimeMillis() + 120_000;
    try {
      while (true) {
        Optional<Path> last = NewstapeJob.latestCheckpoint(chk.toUri().toString());
        if (last.isPresent() && done.test(last.get())) return last.get();
        if (System.currentTimeMillis() > deadline) fail("no fitting checkpoint within 120 s under " + chk);
        if (job.getJobStatus().get().isGloballyTerminalState()) fail("job ended: " + job.getJobStatus().get());
        Thread.sleep(200);
      }
    } finally {
      job.cancel().get();
    }
  }

  @Test
  void aV1CheckpointIsRecognisedAndTheV2JobRestoresFromIt() throws Exception {
    Path chk1 = tmp.resolve("v1");
    StreamExecutionEnvironment first = env(chk1, null);
    Pipelines.newsImpact(trades(first), articles(first), Thresholds.DEFAULT).sinkTo(new DiscardingSink<>());
    Path v1 = runUntil(first, chk1, NewstapeJob::isV1Checkpoint);
    assertTrue(NewstapeJob.isV1Checkpoint(v1));

    Path chk2 = tmp.resolve("v2");
    StreamExecutionEnvironment second = env(chk2, v1.toString());
    DataStream<Trade> t = trades(second);
    DataStream<Bar> noBars = second.fromData(List.of(new Bar()), Types.POJO(Bar.class)).uid("bars").filter(b -> false);
    Pipelines.impactV2(Pipelines.impactV2Events(t, articles(second), noBars), V2.Settings.DEFAULT).sinkTo(new DiscardingSink<>());
    Path v2 = runUntil(second, chk2, p -> true);
    assertFalse(NewstapeJob.isV1Checkpoint(v2), "the restored job's own checkpoints are v2 ones");
  }
}
