package dev.newstape.flink.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.newstape.flink.NewstapeJob;
import dev.newstape.flink.model.Trade;
import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
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
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trades stream (checkpointed, rate-limited generator) archived on a mini cluster, cancelled in the middle and
 * restored from its last retained checkpoint, the way NewstapeJob restarts: the table then holds every trade
 * exactly once. Then housekeeping compacts the many per-checkpoint files and expires the old snapshots without
 * changing a row.
 */
class ArchiveRestartTest {
  static final int N = 6_000;
  static final long BASE = 1795564700000L; // 2026-11-24T23:58:20Z: the stream crosses midnight, so two days

  @TempDir Path tmp;

  static Trade trade(long i) {
    Trade t = new Trade(new String[] {"AAPL", "MSFT", "NVDA", "TSLA", "AMZN"}[(int) (i % 5)], BASE + i * 33,
        100 + (i % 977) / 100.0, 1 + i % 300, i % 11 == 0 ? new int[] {12, 37} : new int[0], i);
    t.exchange = (int) (i % 19);
    t.id = "t" + i;
    t.tape = 1 + (int) (i % 3);
    return t;
  }

  private StreamExecutionEnvironment env(Path chk, String restoreFrom) {
    Configuration conf = new Configuration();
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(300));
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, chk.toUri().toString());
    conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    if (restoreFrom != null) conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    return env;
  }

  private static DataStream<Trade> build(StreamExecutionEnvironment env, HistoryConfig hc) {
    // 400/s: 15 s of input, so even on a loaded machine (seen at load 20 on 2 cores) the cancel lands mid-run.
    DataGeneratorSource<Trade> gen = new DataGeneratorSource<>(ArchiveRestartTest::trade, N,
        RateLimiterStrategy.perSecond(400), Types.POJO(Trade.class));
    DataStream<Trade> s = env.fromSource(gen, WatermarkStrategy.noWatermarks(), "trades generator").uid("gen-trades");
    Archive.trades(hc, s);
    return s;
  }

  private static long committedRows(Table t) {
    t.refresh();
    Snapshot s = t.currentSnapshot();
    return s == null ? 0 : Long.parseLong(s.summary().get("total-records"));
  }

  private static Set<String> liveFiles(Table t) throws Exception {
    t.refresh();
    Set<String> out = new HashSet<>();
    try (CloseableIterable<FileScanTask> tasks = t.newScan().planFiles()) {
      for (FileScanTask f : tasks) out.add(f.file().location());
    }
    return out;
  }

  private static boolean onDisk(String location) {
    return (location.startsWith("file:") ? new File(URI.create(location)) : new File(location)).exists();
  }

  @Test
  void cancelAndRestoreLeavesNoGapAndNoDuplicateThenMaintenanceKeepsEveryRow() throws Exception {
    HistoryConfig hc = HistoryConfig.local(tmp.resolve("warehouse").toString());
    Table table = ArchiveTables.ensure(hc).get(ArchiveTables.TRADES);
    Path chk = tmp.resolve("chk");

    StreamExecutionEnvironment first = env(chk, null);
    build(first, hc);
    JobClient job = first.executeAsync("archive-restart-1");
    long deadline = System.currentTimeMillis() + 120_000;
    while (committedRows(table) < N / 5) {
      if (System.currentTimeMillis() > deadline) fail("no checkpoint committed rows within 120 s");
      if (job.getJobStatus().get().isGloballyTerminalState()) fail("job ended early: " + job.getJobStatus().get());
      Thread.sleep(100);
    }
    job.cancel().get();
    // The per-job mini cluster goes away with the job, so wait on the result rather than poll the status.
    ExecutionException cancelled = assertThrows(ExecutionException.class, () -> job.getJobExecutionResult().get());
    assertTrue(cancelled.getCause().toString().contains("cancel"), "ended by the cancel: " + cancelled.getCause());
    long before = committedRows(table);
    assertTrue(before > 0 && before < N, "cancelled in the middle: " + before + " of " + N + " committed");

    Optional<Path> last = NewstapeJob.latestCheckpoint(chk.toUri().toString());
    assertTrue(last.isPresent(), "a retained checkpoint under " + chk);
    StreamExecutionEnvironment second = env(chk, last.get().toString());
    org.apache.flink.util.CloseableIterator<Trade> emitted = build(second, hc).collectAsync();
    second.execute("archive-restart-2");
    long emittedCount = 0, emittedMin = Long.MAX_VALUE, emittedMax = -1;
    Set<Long> emittedSeqs = new HashSet<>();
    while (emitted.hasNext()) {
      Trade t = emitted.next();
      emittedCount++;
      emittedSeqs.add(t.seq);
    }
    long e0 = emittedSeqs.stream().filter(x -> x < N / 2).count(), e1 = emittedSeqs.size() - e0;
    // Load the table afresh, as any reader does: this handle last refreshed before the restored job ran, and with
    // a checkpoint every 300 ms that job commits more than write.metadata.previous-versions-max (20) times, so the
    // metadata version it remembers has been pruned (HadoopTableOperations.refresh then fails on the missing file).
    table = ArchiveTables.ensure(hc).get(ArchiveTables.TRADES);

    List<Trade> all = new ArrayList<>();
    for (long i = 0; i < N; i++) all.add(trade(i));
    List<String> want = ArchiveCheck.lines(all, ArchiveCheck::line);
    List<String> got = ArchiveCheck.read(table, ArchiveTables.TRADES);
    StringBuilder history = new StringBuilder();
    for (Snapshot sn : table.snapshots())
      history.append("\n  ").append(sn.summary().get("flink.job-id")).append(" chk ")
          .append(sn.summary().get("flink.max-committed-checkpoint-id")).append(" +").append(sn.summary().get("added-records"));
    Set<Long> seen = new HashSet<>();
    for (String l : got) seen.add(Long.parseLong(l.split("\\|")[6]));
    List<String> gaps = new ArrayList<>();
    for (long i = 0; i < N; i++) {
      if (seen.contains(i)) continue;
      long j = i;
      while (j + 1 < N && !seen.contains(j + 1)) j++;
      gaps.add(i + "-" + j);
      i = j;
    }
    history.append("\n  missing seq ranges ").append(gaps).append("\n  second job emitted ").append(emittedCount)
        .append(" (first half ").append(e0).append(", second half ").append(e1).append(")");
    assertEquals(N, got.size(), "rows after restore from " + last.get() + " (before cancel: " + before + "); snapshots:"
        + history);
    assertEquals(N, new HashSet<>(got).size(), "duplicates");
    assertEquals(ArchiveCheck.checksum(want), ArchiveCheck.checksum(got), "checksum");
    assertEquals(want, got);

    // Housekeeping: many small files (one set per checkpoint) become one per partition; old snapshots go.
    Set<String> filesBefore = liveFiles(table);
    int partitions = 2 * 4; // two days × at most 4 symbol buckets
    assertTrue(filesBefore.size() > partitions, "expected small files before compaction: " + filesBefore.size());
    HistoryMaintain.Options o = HistoryMaintain.Options.from(Map.of("MAINTAIN_EXPIRE_OLDER_THAN_HOURS", "0",
        "MAINTAIN_RETAIN_LAST", "1", "MAINTAIN_TABLES", ArchiveTables.TRADES), new String[0]);
    List<HistoryMaintain.Result> results = HistoryMaintain.run(hc, o);
    HistoryMaintain.Result r = results.get(0);
    Set<String> filesAfter = liveFiles(table);
    assertEquals(filesBefore.size(), r.filesBefore());
    assertEquals(filesAfter.size(), r.filesAfter());
    assertTrue(filesAfter.size() <= partitions, "after compaction: " + r.json());
    assertEquals(1, r.snapshotsAfter(), r.json());
    for (String f : filesAfter) assertTrue(onDisk(f), "live file missing: " + f);
    // Iceberg deletes a replaced file when the snapshot that replaced it expires: after the job's next commit
    // (an empty append stands for it) the next maintenance run frees the space.
    table.newAppend().commit();
    HistoryMaintain.run(hc, o);
    for (String f : filesBefore)
      if (!filesAfter.contains(f)) assertFalse(onDisk(f), "compacted-away file still on disk: " + f);
    assertEquals(filesAfter, liveFiles(table));
    assertEquals(want, ArchiveCheck.read(table, ArchiveTables.TRADES), "rows after maintenance");
  }
}
