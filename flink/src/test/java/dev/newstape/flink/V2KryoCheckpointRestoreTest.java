package dev.newstape.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.newstape.flink.v2.Eastern;
import dev.newstape.flink.v2.V2;
import dev.newstape.flink.v2.V2Engine;
import dev.newstape.flink.v2.V2Event;
import dev.newstape.flink.v2.V2Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real checkpoint of the v2 operator as the job kept it before its own state serializer (one Kryo value, state
 * engine-v2, written by commit 44003e1): this job restores from it and takes its state over — the headline, the
 * prints before the checkpoint and their de-duplication keys — so the final record equals the one of a run without
 * a restart.
 */
class V2KryoCheckpointRestoreTest {
  @TempDir Path tmp;
  static final long OPEN = LocalDateTime.parse("2026-11-24T09:30:00").atZone(Eastern.NY).toInstant().toEpochMilli();
  static final int N = 2_400;
  static final ConcurrentLinkedQueue<V2.ImpactRecord> OUT = new ConcurrentLinkedQueue<>();

  /**
   * Event n at OPEN + n/2 s: prints of A and SPY, a headline on A at 100 s, A 2 % up from 130 s on, and after 900 s
   * prints sent again with the sequence number of one from before the checkpoint (at half their price: only the
   * restored keys reject them, and the final price at 1,000 s reads some).
   */
  static V2Event event(long n) {
    long t = OPEN + n * 500;
    if (n == 200) return V2Event.of(new V2.Headline("a1", t, t, "A wins a contract", "A"));
    boolean a = n % 2 == 0;
    if (n > 1_800 && n != 1_900 && (n % 10 == 7 || n % 10 == 8 || n % 10 == 0)) {
      long orig = n - 1_700; // events 101..299: before every checkpoint the test can restore from
      return V2Event.of(new V2.Print(a ? "A" : "SPY", t, price(orig) / 2, 100, new int[0], orig + 1, "live"));
    }
    return V2Event.of(new V2.Print(a ? "A" : "SPY", t, price(n), 100, new int[0], n + 1, "live"));
  }

  static double price(long n) {
    boolean a = n % 2 == 0;
    double p = (a ? 40 : 600) * (1 + 0.001 * Math.sin(n / 7.0));
    if (a && n > 260) p *= 1.02;
    return Math.round(p * 100) / 100.0;
  }

  static DataStream<V2Event> events(StreamExecutionEnvironment env, double perSecond) {
    DataGeneratorSource<V2Event> gen = new DataGeneratorSource<>(V2KryoCheckpointRestoreTest::event, N,
        RateLimiterStrategy.perSecond(perSecond), TypeInformation.of(V2Event.class));
    return env.fromSource(gen, WatermarkStrategy.<V2Event>forMonotonousTimestamps().withTimestampAssigner((e, x) -> e.time),
        "events").uid("gen-events");
  }

  /** The final record of a1|A from the engine over every event, without a restart. */
  static V2.ImpactRecord reference() {
    V2Engine eng = new V2Engine(V2.Settings.DEFAULT);
    for (long n = 0; n < N; n++) eng.add(event(n));
    return eng.advanceTo(Long.MAX_VALUE - 1).impacts().stream().filter(r -> r.fin).findFirst().orElseThrow();
  }

  /**
   * fixtures/flink/v2-kryo-checkpoint-44003e1: checkpoint 12 of this tape through {@link Pipelines#impactV2} as commit
   * 44003e1 had it (the source rate-limited to 100 events/s, checkpoints every 300 ms, state inline in _metadata up to
   * 1 MB), taken near event 400.
   */
  static Path fixture(Path into) throws Exception {
    Path src = Path.of(System.getProperty("basedir", ".")).toAbsolutePath()
        .resolve("../fixtures/flink/v2-kryo-checkpoint-44003e1/_metadata").normalize();
    Path chk = into.resolve("chk-12");
    Files.createDirectories(chk);
    Files.copy(src, chk.resolve("_metadata"));
    return chk;
  }

  @Test
  void theJobRestoresFromAKryoCheckpointOfTheEarlierVersion() throws Exception {
    Path old = fixture(tmp.resolve("old"));
    assertFalse(NewstapeJob.isV1Checkpoint(old));
    StreamExecutionEnvironment env = V1CheckpointRestoreTest.env(tmp.resolve("now"), old.toString());
    OUT.clear();
    Pipelines.impactV2(events(env, 100_000), V2.Settings.DEFAULT).map(r -> {
      OUT.add(r);
      return 1;
    }).returns(Types.INT).sinkTo(new DiscardingSink<>());
    env.execute("restored");

    List<V2.ImpactRecord> fin = OUT.stream().filter(r -> r.fin && r.articleId.equals("a1")).toList();
    assertEquals(1, fin.size(), "the final record of the headline from before the checkpoint");
    assertTrue(OUT.stream().noneMatch(r -> r.asOf <= OPEN + 100_000 + 60_000), "records before the checkpoint are not replayed");
    assertEquals(V2Json.impact(reference()).toString(), V2Json.impact(fin.get(0)).toString());
  }
}
