package dev.newstape.flink;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The real services the integration tests need; each one either answers or fails the test saying what to start. */
public final class Services {
  private Services() {}

  public static String brokers() {
    String env = System.getenv("KAFKA_BROKERS");
    String brokers = env == null || env.isBlank() ? "127.0.0.1:9092" : env;
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    try (Admin admin = Admin.create(p)) {
      admin.describeCluster().clusterId().get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      fail("no Kafka broker answers at " + brokers + (env == null ? " (KAFKA_BROKERS is unset)" : "")
          + ": start one with `npm run kafka` (or set KAFKA_BROKERS). Cause: " + e);
    }
    return brokers;
  }

  public record Pg(String url, String user) {
    public Connection connect() throws SQLException {
      return DriverManager.getConnection(url, user, System.getenv().getOrDefault("PG_PASSWORD", ""));
    }

    public Connection connect(String schema) throws SQLException {
      return DriverManager.getConnection(url + "?currentSchema=" + schema, user, System.getenv().getOrDefault("PG_PASSWORD", ""));
    }
  }

  public static Pg postgres() {
    Map<String, String> env = System.getenv();
    String url = env.getOrDefault("PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    String[] users = env.containsKey("PG_USER") ? new String[] {env.get("PG_USER")} : new String[] {"postgres", "root"};
    StringBuilder why = new StringBuilder();
    for (String u : users) {
      try (Connection c = DriverManager.getConnection(url, u, env.getOrDefault("PG_PASSWORD", ""))) {
        return new Pg(url, u);
      } catch (SQLException e) {
        why.append(u).append(": ").append(e.getMessage()).append("; ");
      }
    }
    fail("no PostgreSQL at " + url + " for users " + String.join("/", users) + " (" + why
        + "): start the machine's PostgreSQL (trust auth, database `test`) or set PG_URL/PG_USER");
    return null;
  }

  /** The recorded simulator session fixtures/flink/session.jsonl, one envelope per line. */
  public static List<JsonNode> session() throws IOException {
    Path file = Path.of(System.getProperty("basedir", ".")).resolve("../fixtures/flink/session.jsonl").normalize();
    assertTrue(Files.exists(file), "recording missing: " + file + " (npx tsx scripts/stack/gen-flink-session.ts)");
    List<JsonNode> lines = new ArrayList<>();
    for (String l : Files.readAllLines(file)) if (!l.isBlank()) lines.add(Codec.MAPPER.readTree(l));
    return lines;
  }

  /** The job's topics and their partition counts (trades keyed by symbol over two partitions, as in the app). */
  public static final Map<String, Integer> TOPICS = topics();

  private static Map<String, Integer> topics() {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put("market.trades", 2);
    m.put("market.bars.1m", 1);
    m.put("news.articles", 1);
    m.put("signals.news-impact", 1);
    m.put("signals.moves", 1);
    return m;
  }

  /** The `schema` header the app's publisher sets on each input topic. */
  public static final Map<String, String> SCHEMA_HEADERS =
      Map.of("market.trades", "trade/v1", "market.bars.1m", "bar/v1", "news.articles", "article/v1");

  public static Admin admin(String brokers) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers));
  }

  /** Creates the job's topics under `prefix` (a test's own namespace on the shared broker). */
  public static void createTopics(String brokers, String prefix) throws Exception {
    try (Admin admin = admin(brokers)) {
      admin.createTopics(TOPICS.entrySet().stream()
          .map(e -> new NewTopic(prefix + e.getKey(), e.getValue(), (short) 1)).toList()).all().get(60, TimeUnit.SECONDS);
    }
  }

  public static void deleteTopics(String brokers, String prefix) throws Exception {
    try (Admin admin = admin(brokers)) {
      admin.deleteTopics(TOPICS.keySet().stream().map(t -> prefix + t).toList()).all().get(60, TimeUnit.SECONDS);
    }
  }

  /** Produces recorded envelopes (see {@link #session}) as the app would: key, value (or raw bytes), schema header. */
  public static void produce(String brokers, String prefix, List<JsonNode> lines) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    // One request in flight: on a loaded machine a timed-out request with others behind it left the idempotent
    // producer resending from sequence 0, which the broker refuses (OutOfOrderSequence) until the batch expires.
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "60000");
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (JsonNode l : lines) {
        String topic = l.get("topic").asText();
        byte[] value = l.has("raw") ? l.get("raw").asText().getBytes(StandardCharsets.UTF_8)
            : Codec.MAPPER.writeValueAsBytes(l.get("value"));
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(prefix + topic,
            l.get("key").asText().getBytes(StandardCharsets.UTF_8), value);
        r.headers().add("schema", SCHEMA_HEADERS.get(topic).getBytes(StandardCharsets.UTF_8));
        sent.add(producer.send(r));
      }
      producer.flush();
    }
    // A record the broker refused must fail the test here, not show up later as a row the job "lost".
    for (Future<RecordMetadata> f : sent) f.get(60, TimeUnit.SECONDS);
  }
}
