package dev.newstape.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.newstape.flink.model.Article;
import dev.newstape.flink.model.Impact;
import dev.newstape.flink.model.Mention;
import dev.newstape.flink.model.Thresholds;
import dev.newstape.flink.model.Trade;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job on a local mini cluster against the real Kafka broker and the real PostgreSQL: the recorded
 * session fixtures/flink/session.jsonl goes in (fresh topic prefix, fresh schema), the expected rows and signals
 * come out. Expected bars come from a plain loop over the recording; expected impact from {@link ImpactMath},
 * which the golden vectors pin down.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaPostgresIntegrationTest {
  static String brokers;
  static Services.Pg pg;
  static String prefix;
  static String schema;
  static List<JsonNode> lines;
  @TempDir static Path tmp;

  @BeforeAll
  static void setUp() throws Exception {
    brokers = Services.brokers();
    pg = Services.postgres();
    String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    prefix = "flinkit-" + run + ".";
    schema = "flink_it_" + run;
    lines = Services.session();

    Services.createTopics(brokers, prefix);
    Services.produce(brokers, prefix, lines);
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (pg == null || schema == null) return;
    try (Connection c = pg.connect(); Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
    if (brokers == null) return;
    Services.deleteTopics(brokers, prefix);
  }

  static void runJob(String group) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BROKERS", brokers);
    env.put("TOPIC_PREFIX", prefix);
    env.put("KAFKA_GROUP_ID", group);
    env.put("PG_URL", pg.url());
    env.put("PG_USER", pg.user());
    env.put("PG_SCHEMA", schema);
    env.put("CHECKPOINT_DIR", tmp.resolve(group).toUri().toString());
    env.put("CHECKPOINT_INTERVAL_MS", "1000");
    env.put("BOUNDED", "true");
    env.put("RESTORE", "false");
    JobConfig cfg = JobConfig.from(env, new String[0]);
    Schema.apply(cfg);
    StreamExecutionEnvironment senv = StreamExecutionEnvironment.getExecutionEnvironment(NewstapeJob.configuration(cfg));
    NewstapeJob.build(senv, cfg);
    senv.execute("newstape-it-" + group);
  }

  static List<Map<String, Object>> query(String sql) throws Exception {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Connection c = pg.connect(schema); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) row.put(md.getColumnLabel(i), rs.getObject(i));
        rows.add(row);
      }
    }
    return rows;
  }

  /** Trades of the recording, redeliveries dropped (same symbol and seq). */
  static Map<String, List<Trade>> trades() throws Exception {
    return trades(lines);
  }

  static Map<String, List<Trade>> trades(List<JsonNode> lines) throws Exception {
    Map<String, Map<Long, Trade>> bySym = new TreeMap<>();
    for (JsonNode l : lines) {
      if (!l.get("topic").asText().equals("market.trades") || !l.has("value")) continue;
      Trade t = Codec.parseTrade(Codec.MAPPER.writeValueAsBytes(l.get("value")));
      bySym.computeIfAbsent(t.symbol, k -> new HashMap<>()).put(t.seq, t);
    }
    Map<String, List<Trade>> out = new TreeMap<>();
    bySym.forEach((s, m) -> out.put(s, new ArrayList<>(m.values())));
    return out;
  }

  static List<Article> articles() throws Exception {
    List<Article> out = new ArrayList<>();
    for (JsonNode l : lines)
      if (l.get("topic").asText().equals("news.articles")) out.add(Codec.parseArticle(Codec.MAPPER.writeValueAsBytes(l.get("value"))));
    return out;
  }

  /** Reference bars: a plain loop over the rules of trade-conditions.json. Key symbol@start → [o,h,l,c,v,vwap,n]. */
  static Map<String, double[]> referenceBars() throws Exception {
    return referenceBars(lines);
  }

  static Map<String, double[]> referenceBars(List<JsonNode> lines) throws Exception {
    TradeConditions tc = TradeConditions.load();
    Map<String, double[]> out = new TreeMap<>();
    for (List<Trade> ts : trades(lines).values()) {
      ts.sort(Trade::compareTime);
      Map<Long, List<Trade>> byMin = new TreeMap<>();
      for (Trade t : ts) byMin.computeIfAbsent(Math.floorDiv(t.ts, 60_000L) * 60_000L, k -> new ArrayList<>()).add(t);
      for (Map.Entry<Long, List<Trade>> e : byMin.entrySet()) {
        double o = Double.NaN, h = Double.NEGATIVE_INFINITY, lo = Double.POSITIVE_INFINITY, c = Double.NaN, v = 0, pv = 0, n = 0;
        for (Trade t : e.getValue()) {
          if (tc.updatesLast(t.conditions)) {
            if (Double.isNaN(o)) o = t.price;
            c = t.price;
            h = Math.max(h, t.price);
            lo = Math.min(lo, t.price);
          }
          if (tc.updatesVolume(t.conditions)) {
            v += t.size;
            pv += t.price * t.size;
            n++;
          }
        }
        if (!Double.isNaN(o)) out.put(e.getValue().get(0).symbol + "@" + e.getKey(), new double[] {o, h, lo, c, v, pv / v, n});
      }
    }
    return out;
  }

  static void assertClose(double exp, Object act, String what) {
    assertNotNull(act, what + " is null");
    double a = ((Number) act).doubleValue();
    assertTrue(Math.abs(a - exp) <= 1e-9 * Math.max(1, Math.abs(exp)), what + ": expected " + exp + ", got " + a);
  }

  static Map<String, Map<String, Object>> barRows() throws Exception {
    Map<String, Map<String, Object>> rows = new TreeMap<>();
    for (Map<String, Object> r : query("SELECT symbol, (extract(epoch FROM start_time) * 1000)::bigint AS start_ms,"
        + " (extract(epoch FROM end_time) * 1000)::bigint AS end_ms, open, high, low, close, volume, vwap, trades, complete"
        + " FROM bars_1m WHERE source = 'flink'"))
      rows.put(r.get("symbol") + "@" + r.get("start_ms"), r);
    return rows;
  }

  @Test
  @Order(1)
  void recordedSessionBecomesBarsNewsImpactAndSignals() throws Exception {
    runJob("it-first");

    // bars_1m: every minute of the recording, complete, equal to the reference loop.
    Map<String, double[]> expBars = referenceBars();
    Map<String, Map<String, Object>> bars = barRows();
    assertEquals(expBars.keySet(), bars.keySet());
    for (Map.Entry<String, double[]> e : expBars.entrySet()) {
      Map<String, Object> r = bars.get(e.getKey());
      double[] x = e.getValue();
      String[] cols = {"open", "high", "low", "close", "volume", "vwap", "trades"};
      for (int i = 0; i < cols.length; i++) assertClose(x[i], r.get(cols[i]), e.getKey() + " " + cols[i]);
      assertEquals(Boolean.TRUE, r.get("complete"), e.getKey());
      assertEquals(((Number) r.get("start_ms")).longValue() + 60_000, ((Number) r.get("end_ms")).longValue());
    }
    // The app's own bar passes through under its source.
    List<Map<String, Object>> am = query("SELECT symbol, volume FROM bars_1m WHERE source = 'AM'");
    assertEquals(1, am.size());
    assertEquals("MSFT", am.get(0).get("symbol"));

    // news: one row per article, tickers as an array.
    List<Article> arts = articles();
    List<Map<String, Object>> news = query("SELECT id, array_to_string(tickers, ',') AS tickers,"
        + " (extract(epoch FROM published) * 1000)::bigint AS published_ms FROM news ORDER BY id");
    assertEquals(arts.size(), news.size());
    for (Article a : arts) {
      Map<String, Object> row = news.stream().filter(r -> a.id.equals(r.get("id"))).findFirst().orElseThrow();
      assertEquals(String.join(",", a.tickers), row.get("tickers"));
      assertEquals(a.published, ((Number) row.get("published_ms")).longValue());
    }

    // news_impact: one final row per (article, ticker), equal to the definition over the whole recording.
    Map<String, List<Trade>> trades = trades();
    List<Mention> headlines = new ArrayList<>();
    for (Article a : arts) for (String s : a.tickers) headlines.add(new Mention(a.id, s, a.published, a.receivedAt, a.title));
    Map<String, Impact> expected = new TreeMap<>();
    for (Mention m : headlines) {
      Impact r = ImpactMath.compute(m, trades.get(m.symbol), headlines, m.published + 15 * 60_000L, Thresholds.DEFAULT,
          TradeConditions.load());
      expected.put(r.key(), r);
    }
    Map<String, Map<String, Object>> impact = new TreeMap<>();
    for (Map<String, Object> r : query("SELECT * FROM news_impact")) impact.put(r.get("article_id") + "|" + r.get("symbol"), r);
    assertEquals(expected.keySet(), impact.keySet());
    for (Impact e : expected.values()) {
      Map<String, Object> r = impact.get(e.key());
      assertClose(e.p0, r.get("p0"), e.key() + " p0");
      assertClose(e.ret1, r.get("ret1"), e.key() + " ret1");
      assertClose(e.ret5, r.get("ret5"), e.key() + " ret5");
      assertClose(e.ret15, r.get("ret15"), e.key() + " ret15");
      assertClose(e.sigma, r.get("sigma"), e.key() + " sigma");
      assertClose(e.z5, r.get("z5"), e.key() + " z5");
      assertClose(e.rvol5, r.get("rvol5"), e.key() + " rvol5");
      assertEquals(e.signal, r.get("signal"), e.key());
      assertEquals(e.stale, r.get("stale"), e.key());
      assertEquals(Boolean.TRUE, r.get("final"), e.key());
      assertEquals(e.latencyMs, ((Number) r.get("latency_ms")).longValue(), e.key());
    }
    // The recording's shock and its recycled headline show up as such.
    assertEquals("up", impact.get("business/2026/nov/24/apple-beats-iphone|AAPL").get("signal"));
    assertEquals(Boolean.TRUE, impact.get("business/2026/nov/24/apple-beats-iphone-again|AAPL").get("stale"));

    // The malformed record is kept, not lost.
    List<Map<String, Object>> rejects = query("SELECT topic, error, raw FROM ingest_rejects");
    assertEquals(1, rejects.size());
    assertEquals(prefix + "market.trades", rejects.get(0).get("topic"));
    assertTrue(((String) rejects.get(0).get("raw")).contains("NaN"));

    // signals.news-impact: keyed <articleId>|<symbol>, header schema, the last record per key is the final row.
    Map<String, JsonNode> lastSignal = new HashMap<>();
    Map<String, Integer> perKey = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> rec : readAll(prefix + "signals.news-impact")) {
      Header h = rec.headers().lastHeader("schema");
      assertNotNull(h, "schema header");
      assertEquals("news-impact/v1", new String(h.value(), StandardCharsets.UTF_8));
      String key = new String(rec.key(), StandardCharsets.UTF_8);
      JsonNode v = Codec.MAPPER.readTree(rec.value());
      assertEquals(key, v.get("articleId").asText() + "|" + v.get("symbol").asText());
      assertEquals("flink", v.get("origin").asText());
      lastSignal.put(key, v);
      perKey.merge(key, 1, Integer::sum);
    }
    assertEquals(expected.keySet(), lastSignal.keySet());
    for (Impact e : expected.values()) {
      JsonNode v = lastSignal.get(e.key());
      assertTrue(v.get("final").asBoolean(), e.key());
      assertClose(e.z5, v.get("z5").isNull() ? null : v.get("z5").asDouble(), e.key() + " signal z5");
      assertEquals(e.signal, v.get("signal").isNull() ? null : v.get("signal").asText());
      // Emitted at t0, +1m, +5m and +15m.
      assertEquals(4, perKey.get(e.key()), e.key());
    }
  }

  @Test
  @Order(2)
  void replayingEverythingAgainRewritesRowsWithoutDoublingThem() throws Exception {
    Map<String, Map<String, Object>> before = barRows();
    List<Map<String, Object>> impactBefore = query("SELECT article_id, symbol, p0, ret15, z15, signal FROM news_impact ORDER BY 1, 2");
    assertFalse(before.isEmpty());
    // A new consumer group reads the topics from the start: the same as a restart that lost its offsets.
    runJob("it-replay");
    Map<String, Map<String, Object>> after = barRows();
    assertEquals(before, after);
    assertEquals(impactBefore, query("SELECT article_id, symbol, p0, ret15, z15, signal FROM news_impact ORDER BY 1, 2"));
    assertEquals(articles().size(), query("SELECT id FROM news").size());
    assertEquals(1, query("SELECT topic FROM ingest_rejects").size());
  }

  static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)))
        c.poll(Duration.ofMillis(500)).forEach(out::add);
    }
    return out;
  }
}
