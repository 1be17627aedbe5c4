package dev.newstape.flink;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Applies schema.sql (idempotent) into the configured PostgreSQL schema. */
public final class Schema {
  private Schema() {}

  public static String sql() throws IOException {
    try (InputStream in = Schema.class.getResourceAsStream("/schema.sql")) {
      if (in == null) throw new IOException("schema.sql missing from the classpath");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  public static void apply(String baseUrl, String user, String password, String schema) throws IOException, SQLException {
    if (!schema.matches("[a-z_][a-z0-9_]*")) throw new IllegalArgumentException("bad schema name " + schema);
    try (Connection c = DriverManager.getConnection(baseUrl, user, password); Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
      st.execute("SET search_path TO " + schema);
      st.execute(sql());
    }
  }

  public static void apply(JobConfig cfg) throws IOException, SQLException {
    apply(cfg.pgUrl(), cfg.pgUser(), cfg.pgPassword(), cfg.pgSchema());
  }
}
