package dev.newstape.flink.history;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * Archive settings from environment variables, overridable by {@code --NAME value} arguments (the same convention
 * as {@link dev.newstape.flink.JobConfig}, so one command line configures both).
 *
 * <ul>
 *   <li>{@code ICEBERG_ENABLED} (true): whether the streaming job also archives to Iceberg.
 *   <li>{@code ICEBERG_WAREHOUSE} (file:///tmp/newstape-flink/iceberg): the warehouse folder (or any Hadoop URI).
 *   <li>{@code ICEBERG_CATALOG} (hadoop): {@code hadoop} keeps the catalog in the warehouse folder itself;
 *       {@code jdbc} keeps table pointers in PostgreSQL ({@code ICEBERG_JDBC_URL}, default PG_URL), which makes
 *       commits from several processes (job + maintenance) safe on filesystems without atomic rename.
 *   <li>{@code ICEBERG_NAMESPACE} (newstape), {@code ICEBERG_TRADE_BUCKETS} (4).
 * </ul>
 */
public record HistoryConfig(
    boolean enabled,
    String warehouse,
    String catalogType,
    String namespace,
    String jdbcUrl,
    String jdbcUser,
    String jdbcPassword,
    int tradeBuckets)
    implements Serializable {

  public static final String DEFAULT_WAREHOUSE = "file:///tmp/newstape-flink/iceberg";

  public static HistoryConfig from(Map<String, String> env, String[] args) {
    Map<String, String> m = new HashMap<>(env);
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) throw new IllegalArgumentException("expected --NAME value, got " + args[i]);
      m.put(args[i].substring(2), args[i + 1]);
    }
    String type = m.getOrDefault("ICEBERG_CATALOG", "hadoop");
    if (!type.equals("hadoop") && !type.equals("jdbc"))
      throw new IllegalArgumentException("ICEBERG_CATALOG must be hadoop or jdbc, got " + type);
    int buckets = Integer.parseInt(m.getOrDefault("ICEBERG_TRADE_BUCKETS", "4"));
    if (buckets < 1) throw new IllegalArgumentException("ICEBERG_TRADE_BUCKETS must be >= 1");
    return new HistoryConfig(
        Boolean.parseBoolean(m.getOrDefault("ICEBERG_ENABLED", "true")),
        warehouseUri(m.getOrDefault("ICEBERG_WAREHOUSE", DEFAULT_WAREHOUSE)),
        type,
        m.getOrDefault("ICEBERG_NAMESPACE", "newstape"),
        m.getOrDefault("ICEBERG_JDBC_URL", m.getOrDefault("PG_URL", "jdbc:postgresql://127.0.0.1:5432/test")),
        m.getOrDefault("ICEBERG_JDBC_USER", m.getOrDefault("PG_USER", "postgres")),
        m.getOrDefault("ICEBERG_JDBC_PASSWORD", m.getOrDefault("PG_PASSWORD", "")),
        buckets);
  }

  /** A plain path becomes a file: URI, so a relative folder cannot be read as an HDFS path. */
  static String warehouseUri(String w) {
    if (w.contains("://") || w.startsWith("file:")) return w;
    return java.nio.file.Path.of(w).toAbsolutePath().normalize().toUri().toString();
  }

  /** A config for a given warehouse folder with every other setting at its default (tests, benchmark). */
  public static HistoryConfig local(String warehouse) {
    return from(Map.of("ICEBERG_WAREHOUSE", warehouse), new String[0]);
  }
}
