package dev.newstape.flink.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.flink.actions.Actions;
import org.apache.iceberg.actions.RewriteDataFilesActionResult;

/**
 * Housekeeping of the archive ({@code npm run history:maintain}): per table, compacts small data files (one
 * Iceberg snapshot per Flink checkpoint leaves many) with Iceberg's Flink RewriteDataFiles action, then expires
 * old snapshots, which also deletes the data and manifest files only they referenced. Safe while the streaming
 * job runs: a rewrite only replaces files, so the job's appends and the rewrite both commit (Iceberg retries
 * the loser against the new metadata); see HISTORY.md for the catalog caveat.
 *
 * <p>Settings (env or {@code --NAME value}): HistoryConfig's ICEBERG_*, plus MAINTAIN_TARGET_FILE_MB (128),
 * MAINTAIN_EXPIRE_OLDER_THAN_HOURS (24), MAINTAIN_RETAIN_LAST (5), MAINTAIN_TABLES (all, comma-separated).
 */
public final class HistoryMaintain {
  private HistoryMaintain() {}

  public record Options(long targetFileBytes, long expireOlderThanMs, int retainLast, List<String> tables) {
    public static Options from(Map<String, String> env, String[] args) {
      Map<String, String> m = new HashMap<>(env);
      for (int i = 0; i + 1 < args.length; i += 2) if (args[i].startsWith("--")) m.put(args[i].substring(2), args[i + 1]);
      long mb = Long.parseLong(m.getOrDefault("MAINTAIN_TARGET_FILE_MB", "128"));
      double hours = Double.parseDouble(m.getOrDefault("MAINTAIN_EXPIRE_OLDER_THAN_HOURS", "24"));
      int retain = Integer.parseInt(m.getOrDefault("MAINTAIN_RETAIN_LAST", "5"));
      if (mb < 1 || hours < 0 || retain < 1) throw new IllegalArgumentException("bad maintenance settings");
      List<String> tables = m.containsKey("MAINTAIN_TABLES") ? List.of(m.get("MAINTAIN_TABLES").split(","))
          : ArchiveTables.ALL;
      for (String t : tables) ArchiveTables.schema(t); // fails early on a typo
      return new Options(mb * 1024 * 1024, (long) (hours * 3_600_000L), retain, tables);
    }
  }

  /** What one table's maintenance did. */
  public record Result(String table, int filesBefore, int filesAfter, int rewrittenFiles, int addedFiles,
      int snapshotsBefore, int snapshotsAfter) {
    public String json() {
      return "{\"table\":\"" + table + "\",\"filesBefore\":" + filesBefore + ",\"filesAfter\":" + filesAfter
          + ",\"rewrittenFiles\":" + rewrittenFiles + ",\"addedFiles\":" + addedFiles + ",\"snapshotsBefore\":"
          + snapshotsBefore + ",\"snapshotsAfter\":" + snapshotsAfter + "}";
    }
  }

  static int dataFiles(Table t) {
    Snapshot s = t.currentSnapshot();
    if (s == null) return 0;
    String n = s.summary().get("total-data-files");
    return n == null ? 0 : Integer.parseInt(n);
  }

  static int snapshots(Table t) {
    int n = 0;
    for (Snapshot ignored : t.snapshots()) n++;
    return n;
  }

  public static Result maintain(StreamExecutionEnvironment env, Table table, Options o, long nowMs) {
    table.refresh();
    int filesBefore = dataFiles(table), snapsBefore = snapshots(table);
    int rewritten = 0, added = 0;
    if (table.currentSnapshot() != null) {
      // Files are packed by their real size: the default open cost (4 MB a file) weighs a day's hundreds of tiny
      // per-checkpoint files as gigabytes and splits one partition into several output files.
      RewriteDataFilesActionResult r = Actions.forTable(env, table).rewriteDataFiles()
          .targetSizeInBytes(o.targetFileBytes()).splitOpenFileCost(1).execute();
      rewritten = r.deletedDataFiles().size();
      added = r.addedDataFiles().size();
      table.refresh();
      table.expireSnapshots().expireOlderThan(nowMs - o.expireOlderThanMs()).retainLast(o.retainLast()).commit();
      table.refresh();
    }
    return new Result(table.name(), filesBefore, dataFiles(table), rewritten, added, snapsBefore, snapshots(table));
  }

  public static List<Result> run(HistoryConfig hc, Options o) {
    Map<String, Table> tables = ArchiveTables.ensure(hc);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    Archive.registerKryo(env); // the rewrite job ships DataFiles through Kryo too
    List<Result> out = new ArrayList<>();
    for (String t : o.tables()) out.add(maintain(env, tables.get(t), o, System.currentTimeMillis()));
    return out;
  }

  public static void main(String[] args) {
    HistoryConfig hc = HistoryConfig.from(System.getenv(), args);
    Options o = Options.from(System.getenv(), args);
    System.err.println("newstape-history: maintaining " + hc.warehouse() + " (" + hc.catalogType() + ")");
    for (Result r : run(hc, o)) System.out.println(r.json());
  }
}
