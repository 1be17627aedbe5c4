package dev.newstape.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.newstape.flink.v2.V2;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * schema.sql and the v2 upserts against the real PostgreSQL: a v1 table gains the v2 columns with its rows kept, a
 * replayed earlier record never overwrites a later or final one, and a move's headlines only grow.
 */
class ImpactV2SqlTest {
  static Services.Pg pg;
  static String schema;

  @BeforeAll
  static void setUp() throws Exception {
    pg = Services.postgres();
    schema = "flink_v2sql_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    String sql = Schema.sql();
    String v1 = sql.substring(0, sql.indexOf("-- News impact v2"));
    try (Connection c = pg.connect(); Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
      st.execute("SET search_path TO " + schema);
      st.execute(v1);
      st.execute("INSERT INTO news_impact (article_id, symbol, published, p0, signal, latency_ms, stale, final, as_of)"
          + " VALUES ('old', 'AAPL', now(), 100, 'none', 5, false, true, now())");
    }
    Schema.apply(pg.url(), pg.user(), System.getenv().getOrDefault("PG_PASSWORD", ""), schema);
    Schema.apply(pg.url(), pg.user(), System.getenv().getOrDefault("PG_PASSWORD", ""), schema); // idempotent
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (pg == null) return;
    try (Connection c = pg.connect(); Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  static V2.ImpactRecord rec(long asOf, boolean fin, String signal) {
    V2.ImpactRecord r = new V2.ImpactRecord();
    r.articleId = "a1";
    r.symbol = "AAPL";
    r.published = 1_795_532_400_000L;
    r.receivedAt = r.published + 4_000;
    r.asOf = asOf;
    r.source = "live";
    r.p0 = 230.0;
    r.beta = 1.1;
    r.adjusted = true;
    r.sigma = 0.001;
    r.sigmaRealised = 0.001;
    r.quiet1 = false;
    r.signal = signal;
    r.detectedAt = signal == null ? null : r.published + 30_000;
    r.alertAt = r.detectedAt;
    r.latencyMs = 4_000;
    r.fin = fin;
    r.settings = V2.Settings.DEFAULT;
    return r;
  }

  static void upsert(V2.ImpactRecord r) throws Exception {
    try (Connection c = pg.connect(schema); PreparedStatement ps = c.prepareStatement(Sinks.IMPACT_V2_UPSERT)) {
      Sinks.IMPACT_V2.accept(ps, r);
      ps.executeUpdate();
    }
  }

  static void upsert(V2.MoveAlert a) throws Exception {
    try (Connection c = pg.connect(schema); PreparedStatement ps = c.prepareStatement(Sinks.MOVES_UPSERT)) {
      Sinks.MOVES.accept(ps, a);
      ps.executeUpdate();
    }
  }

  static Object one(String sql) throws Exception {
    try (Connection c = pg.connect(schema); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      Object o = rs.getObject(1);
      return o instanceof Array a ? List.of((Object[]) a.getArray()) : o;
    }
  }

  @Test
  void v1RowsAreKeptAndV2RowsOnlyMoveForward() throws Exception {
    assertEquals(5L, ((Number) one("SELECT latency_ms FROM news_impact WHERE article_id = 'old'")).longValue());
    assertNull(one("SELECT schema_version FROM news_impact WHERE article_id = 'old'"));
    long t0 = rec(0, false, null).published;
    upsert(rec(t0 + 60_000, false, null));
    upsert(rec(t0 + 15 * 60_000, true, "up"));
    upsert(rec(t0 + 5 * 60_000, false, "up")); // a replay of an earlier emission
    assertEquals(Boolean.TRUE, one("SELECT final FROM news_impact WHERE article_id = 'a1'"));
    assertEquals(t0 + 15 * 60_000, ((Number) one("SELECT (extract(epoch FROM as_of) * 1000)::bigint FROM news_impact WHERE article_id = 'a1'")).longValue());
    assertEquals(t0 + 30_000, ((Number) one("SELECT (extract(epoch FROM detected_at) * 1000)::bigint FROM news_impact WHERE article_id = 'a1'")).longValue());
    assertEquals("news-impact/v2", one("SELECT schema_version FROM news_impact WHERE article_id = 'a1'"));
    assertEquals("SPY", one("SELECT settings->>'proxy' FROM news_impact WHERE article_id = 'a1'"));
    assertEquals(4.0, ((Number) one("SELECT (settings->>'zMove')::float8 FROM news_impact WHERE article_id = 'a1'")).doubleValue());
  }

  @Test
  void aMovesHeadlinesOnlyGrow() throws Exception {
    V2.MoveAlert a = new V2.MoveAlert();
    a.id = "AAPL|1795532700000";
    a.symbol = "AAPL";
    a.windowStart = 1_795_532_640_000L;
    a.detectedAt = 1_795_532_700_000L;
    a.direction = "up";
    a.size = 0.02;
    a.z = 8;
    a.sigma = 0.0025;
    a.beta = 1;
    a.adjusted = true;
    a.price = 235.1;
    a.proxy = "SPY";
    a.zMove = 4;
    upsert(a);
    a.headlines = List.of("n1", "n2");
    upsert(a);
    V2.MoveAlert replay = a.copy();
    replay.headlines = List.of("n1");
    upsert(replay);
    assertEquals(List.of("n1", "n2"), one("SELECT headlines FROM move_alerts WHERE id = 'AAPL|1795532700000'"));
    assertEquals(1L, ((Number) one("SELECT count(*) FROM move_alerts")).longValue());
  }
}
