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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

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
}
