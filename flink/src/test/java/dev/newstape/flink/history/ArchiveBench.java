package dev.newstape.flink.history;

import dev.newstape.flink.model.Trade;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * Benchmark: archive throughput for trades (records written and committed per second, on a local mini cluster
 * with checkpoints) and size on disk per million trades. Prints one line {@code RESULT <json>}. Arguments ({@code --NAME value}):
 * TRADES (1000000), CHECKPOINT_MS (2000), PARALLELISM (1), SYMBOLS (20). Uses a fresh temporary warehouse.
 */
public final class ArchiveBench {
  private ArchiveBench() {}

  static final long BASE = 1795532400000L; // 2026-11-24T14:30Z, market open

  /** A synthetic but realistic trade: a bounded walk per symbol, round and odd lots, a few condition codes. */
  static Trade trade(long i, int symbols) {
    int s = (int) (i % symbols);
    long k = i / symbols;
    double price = Math.round((50 + 10 * s + 2 * Math.sin(k / 500.0) + (k % 13) * 0.01) * 100) / 100.0;
    Trade t = new Trade("SYM" + s, BASE + i * 2, price, (k % 9 == 0) ? 1 + k % 99 : 100 * (1 + k % 5),
        k % 17 == 0 ? new int[] {37} : new int[0], i);
    t.exchange = (int) (k % 20) + 1;
    t.id = Long.toString(1_000_000_000L + i);
    t.tape = 1 + s % 3;
    return t;
  }

  static long size(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> m = new java.util.HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) m.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    long n = Long.parseLong(m.getOrDefault("TRADES", "1000000"));
    long checkpointMs = Long.parseLong(m.getOrDefault("CHECKPOINT_MS", "2000"));
    int parallelism = Integer.parseInt(m.getOrDefault("PARALLELISM", "1"));
    int symbols = Integer.parseInt(m.getOrDefault("SYMBOLS", "20"));

    Path dir = Files.createTempDirectory("newstape-iceberg-bench");
    try {
      HistoryConfig hc = HistoryConfig.local(dir.resolve("warehouse").toString());
      Table table = ArchiveTables.ensure(hc).get(ArchiveTables.TRADES);
      Configuration conf = new Configuration();
      conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(checkpointMs));
      conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.resolve("chk").toUri().toString());
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
      env.setParallelism(parallelism);
      final int syms = symbols;
      Archive.trades(hc, env.fromSequence(0, n - 1).map(i -> trade(i, syms)).returns(Types.POJO(Trade.class)));
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      env.execute("iceberg-bench");
      double secs = (System.nanoTime() - t0) / 1e9;
      double cpuSecs = (os.getProcessCpuTime() - cpu0) / 1e9;

      table.refresh();
      Snapshot s = table.currentSnapshot();
      long committed = s == null ? 0 : Long.parseLong(s.summary().get("total-records"));
      long dataBytes = s == null ? 0 : Long.parseLong(s.summary().get("total-files-size"));
      long files = s == null ? 0 : Long.parseLong(s.summary().get("total-data-files"));
      int snapshots = 0;
      for (Snapshot ignored : table.snapshots()) snapshots++;
      long diskBytes = size(Path.of(java.net.URI.create(table.location())));
      double perMillion = committed == 0 ? 0 : diskBytes * 1e6 / committed;
      // The wall time includes the mini cluster's start (a few seconds); CPU seconds are the steadier figure on a
      // shared machine.
      System.out.println("RESULT {\"trades\":" + n + ",\"committed\":" + committed + ",\"seconds\":"
          + String.format(java.util.Locale.ROOT, "%.3f", secs) + ",\"recordsPerSec\":" + Math.round(committed / secs) + ",\"cpuSeconds\":"
          + String.format(java.util.Locale.ROOT, "%.3f", cpuSecs) + ",\"recordsPerCpuSec\":" + Math.round(committed / cpuSecs) + ",\"dataBytes\":"
          + dataBytes + ",\"diskBytes\":" + diskBytes + ",\"bytesPerMillionTrades\":" + Math.round(perMillion)
          + ",\"dataFiles\":" + files + ",\"snapshots\":" + snapshots + ",\"parallelism\":" + parallelism
          + ",\"checkpointMs\":" + checkpointMs + "}");
    } finally {
      try (Stream<Path> w = Files.walk(dir)) {
        w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
