package dev.newstape.flink;

import dev.newstape.flink.model.Thresholds;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/** Job settings from environment variables, overridable by {@code --NAME value} arguments. */
public record JobConfig(
    String brokers,
    String topicPrefix,
    String groupId,
    String pgUrl,
    String pgUser,
    String pgPassword,
    String pgSchema,
    long checkpointIntervalMs,
    String checkpointDir,
    long outOfOrderMs,
    long idleMs,
    long barLatenessMs,
    long barFlushMs,
    Thresholds thresholds,
    boolean bounded,
    int parallelism,
    boolean restore)
    implements Serializable {

  public static JobConfig from(Map<String, String> env, String[] args) {
    Map<String, String> m = new HashMap<>(env);
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) throw new IllegalArgumentException("expected --NAME value, got " + args[i]);
      m.put(args[i].substring(2), args[i + 1]);
    }
    return new JobConfig(
        m.getOrDefault("KAFKA_BROKERS", "127.0.0.1:9092"),
        m.getOrDefault("TOPIC_PREFIX", ""),
        m.getOrDefault("KAFKA_GROUP_ID", "newstape-flink"),
        m.getOrDefault("PG_URL", "jdbc:postgresql://127.0.0.1:5432/test"),
        m.getOrDefault("PG_USER", "postgres"),
        m.getOrDefault("PG_PASSWORD", ""),
        m.getOrDefault("PG_SCHEMA", "public"),
        Long.parseLong(m.getOrDefault("CHECKPOINT_INTERVAL_MS", "10000")),
        m.getOrDefault("CHECKPOINT_DIR", "file:///tmp/newstape-flink/checkpoints"),
        Long.parseLong(m.getOrDefault("OUT_OF_ORDER_MS", "2000")),
        Long.parseLong(m.getOrDefault("IDLE_MS", "30000")),
        Long.parseLong(m.getOrDefault("BAR_LATENESS_MS", "60000")),
        Long.parseLong(m.getOrDefault("BAR_FLUSH_MS", "500")),
        new Thresholds(
            Double.parseDouble(m.getOrDefault("SIGNAL_Z", "3")),
            Double.parseDouble(m.getOrDefault("SIGNAL_RVOL", "3")),
            Double.parseDouble(m.getOrDefault("SIGNAL_Z_WITH_VOLUME", "2"))),
        Boolean.parseBoolean(m.getOrDefault("BOUNDED", "false")),
        Integer.parseInt(m.getOrDefault("PARALLELISM", "1")),
        Boolean.parseBoolean(m.getOrDefault("RESTORE", "true")));
  }

  public String topic(String name) {
    return topicPrefix + name;
  }

  /** JDBC URL with the schema on the search_path. */
  public String jdbcUrl() {
    return pgUrl + (pgUrl.contains("?") ? "&" : "?") + "currentSchema=" + pgSchema;
  }
}
