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
    long newsIdleMs,
    long barLatenessMs,
    long barFlushMs,
    Thresholds thresholds,
    dev.newstape.flink.v2.V2.Settings impactSettings,
    boolean bounded,
    int parallelism,
    boolean restore,
    Map<String, String> kafkaClientProps)
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
        // 1 s, as the app's engine waits (src-main/signals/v2/engine.ts LIVE_LAG_MS): trades carry the SIP time, which
        // the feed delivers in order; later prints are still applied (flink/README.md, Event time).
        Long.parseLong(m.getOrDefault("OUT_OF_ORDER_MS", "1000")),
        Long.parseLong(m.getOrDefault("IDLE_MS", "30000")),
        Long.parseLong(m.getOrDefault("NEWS_IDLE_MS", "500")),
        Long.parseLong(m.getOrDefault("BAR_LATENESS_MS", "60000")),
        Long.parseLong(m.getOrDefault("BAR_FLUSH_MS", "500")),
        new Thresholds(
            Double.parseDouble(m.getOrDefault("SIGNAL_Z", "3")),
            Double.parseDouble(m.getOrDefault("SIGNAL_RVOL", "3")),
            Double.parseDouble(m.getOrDefault("SIGNAL_Z_WITH_VOLUME", "2"))),
        new dev.newstape.flink.v2.V2.Settings(
            m.getOrDefault("IMPACT_PROXY", "SPY"),
            Double.parseDouble(m.getOrDefault("SIGNAL_Z", "3")),
            Double.parseDouble(m.getOrDefault("SIGNAL_RVOL", "3")),
            Double.parseDouble(m.getOrDefault("SIGNAL_Z_WITH_VOLUME", "2")),
            Double.parseDouble(m.getOrDefault("SIGNAL_Z_MOVE", "4"))),
        Boolean.parseBoolean(m.getOrDefault("BOUNDED", "false")),
        Integer.parseInt(m.getOrDefault("PARALLELISM", "1")),
        Boolean.parseBoolean(m.getOrDefault("RESTORE", "true")),
        kafkaClientProps(m));
  }

  /**
   * Kafka client security for the source, the sink and the admin client, from the same settings the app uses
   * (issue 19): KAFKA_SECURITY_PROTOCOL (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL), KAFKA_SASL_MECHANISM (PLAIN,
   * SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER), KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD, KAFKA_SSL_CA_FILE (PEM),
   * KAFKA_SSL_KEYSTORE_PEM (client key + certificate chain, PEM, for mTLS), KAFKA_SSL_INSECURE=true (testing only:
   * no host name check), and any KAFKA_PROP_<name> as a raw client property (dots for underscores, e.g.
   * KAFKA_PROP_sasl_login_callback_handler_class). Empty for PLAINTEXT without extras.
   */
  public static Map<String, String> kafkaClientProps(Map<String, String> m) {
    Map<String, String> p = new HashMap<>();
    String protocol = m.getOrDefault("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT").trim().toUpperCase();
    if (!protocol.matches("PLAINTEXT|SSL|SASL_PLAINTEXT|SASL_SSL"))
      throw new IllegalArgumentException("KAFKA_SECURITY_PROTOCOL: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL, got " + protocol);
    boolean tls = protocol.endsWith("SSL");
    boolean sasl = protocol.startsWith("SASL");
    if (!protocol.equals("PLAINTEXT")) p.put("security.protocol", protocol);
    if (tls) {
      String ca = m.getOrDefault("KAFKA_SSL_CA_FILE", "");
      if (!ca.isEmpty()) {
        p.put("ssl.truststore.type", "PEM");
        p.put("ssl.truststore.location", ca);
      }
      String ks = m.getOrDefault("KAFKA_SSL_KEYSTORE_PEM", "");
      if (!ks.isEmpty()) {
        p.put("ssl.keystore.type", "PEM");
        p.put("ssl.keystore.location", ks);
      }
      if (Boolean.parseBoolean(m.getOrDefault("KAFKA_SSL_INSECURE", "false"))) p.put("ssl.endpoint.identification.algorithm", "");
    }
    if (sasl) {
      String mech = m.getOrDefault("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512").trim().toUpperCase();
      String user = jaasQuote(m.getOrDefault("KAFKA_SASL_USERNAME", ""));
      String pass = jaasQuote(m.getOrDefault("KAFKA_SASL_PASSWORD", ""));
      p.put("sasl.mechanism", mech);
      p.put("sasl.jaas.config", switch (mech) {
        case "PLAIN" -> "org.apache.kafka.common.security.plain.PlainLoginModule required username=" + user + " password=" + pass + ";";
        case "SCRAM-SHA-256", "SCRAM-SHA-512" ->
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=" + user + " password=" + pass + ";";
        case "OAUTHBEARER" -> "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;";
        default -> throw new IllegalArgumentException("KAFKA_SASL_MECHANISM: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER, got " + mech);
      });
    }
    for (Map.Entry<String, String> e : m.entrySet())
      if (e.getKey().startsWith("KAFKA_PROP_")) p.put(e.getKey().substring(11).replace('_', '.'), e.getValue());
    return Map.copyOf(p);
  }

  private static String jaasQuote(String v) {
    return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** The security properties as java.util.Properties (for builders that take them). */
  public java.util.Properties kafkaProperties() {
    java.util.Properties p = new java.util.Properties();
    p.putAll(kafkaClientProps);
    return p;
  }

  public String topic(String name) {
    return topicPrefix + name;
  }

  /** JDBC URL with the schema on the search_path. */
  public String jdbcUrl() {
    return pgUrl + (pgUrl.contains("?") ? "&" : "?") + "currentSchema=" + pgSchema;
  }
}
