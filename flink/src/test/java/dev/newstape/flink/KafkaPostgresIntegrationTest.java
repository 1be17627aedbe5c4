package dev.newstape.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.newstape.flink.model.Article;
import dev.newstape.flink.model.Trade;
import dev.newstape.flink.v2.ImpactV2;
import dev.newstape.flink.v2.V2;
import dev.newstape.flink.v2.V2Json;
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
 * come out. Expected bars come from a plain loop over the recording; expected impact records and move alerts from
 * {@link ImpactV2#compute}, which the v2 golden vectors pin down.
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

    // news_impact (v2): one final row per (article, ticker), equal to the definition (docs/impact-v2.md, pinned by
    // the golden vectors) over the whole recording as of t0 + 15 min; coverage from each symbol's first print.
    ImpactV2.Input input = v2Input();
    Map<String, V2.ImpactRecord> expected = new TreeMap<>();
    for (V2.Headline h : input.articles()) {
      for (V2.ImpactRecord r : ImpactV2.compute(input, h.published + 15 * 60_000L).impacts())
        if (r.articleId.equals(h.id)) expected.put(r.key(), r);
    }
    Map<String, Map<String, Object>> impact = new TreeMap<>();
    for (Map<String, Object> r : query("SELECT *, (extract(epoch FROM detected_at) * 1000)::bigint AS detected_ms,"
        + " (extract(epoch FROM alert_at) * 1000)::bigint AS alert_ms, settings::text AS settings_text FROM news_impact"))
      impact.put(r.get("article_id") + "|" + r.get("symbol"), r);
    assertEquals(expected.keySet(), impact.keySet());
    for (V2.ImpactRecord e : expected.values()) {
      Map<String, Object> r = impact.get(e.key());
      String k = e.key();
      assertNullableClose(e.p0, r.get("p0"), k + " p0");
      assertNullableClose(e.ret1, r.get("ret1"), k + " ret1");
      assertNullableClose(e.ret5, r.get("ret5"), k + " ret5");
      assertNullableClose(e.ret15, r.get("ret15"), k + " ret15");
      assertNullableClose(e.ar5, r.get("ar5"), k + " ar5");
      assertNullableClose(e.ar15, r.get("ar15"), k + " ar15");
      assertNullableClose(e.sigma, r.get("sigma"), k + " sigma");
      assertNullableClose(e.sigmaRealised, r.get("sigma_realised"), k + " sigma_realised");
      assertNullableClose(e.sigmaFloor, r.get("sigma_floor"), k + " sigma_floor");
      assertNullableClose(e.beta, r.get("beta"), k + " beta");
      assertNullableClose(e.z5, r.get("z5"), k + " z5");
      assertNullableClose(e.z15, r.get("z15"), k + " z15");
      assertNullableClose(e.rvol5, r.get("rvol5"), k + " rvol5");
      assertEquals(e.rvolBasis, r.get("rvol_basis"), k);
      assertEquals(e.signal, r.get("signal"), k);
      assertEquals(e.confirmed, r.get("confirmed"), k);
      assertEquals(e.detectedAt, r.get("detected_ms") == null ? null : ((Number) r.get("detected_ms")).longValue(), k);
      assertEquals(e.alertAt, r.get("alert_ms") == null ? null : ((Number) r.get("alert_ms")).longValue(), k);
      assertEquals(e.move, r.get("move_id"), k);
      assertEquals(e.source, r.get("source"), k);
      assertEquals(e.adjusted, r.get("adjusted"), k);
      assertEquals(e.quiet5, r.get("quiet5"), k);
      assertEquals(e.stale, r.get("stale"), k);
      assertEquals(Boolean.TRUE, r.get("final"), k);
      assertEquals("news-impact/v2", r.get("schema_version"), k);
      assertEquals(e.latencyMs, ((Number) r.get("latency_ms")).longValue(), k);
    }
    // The recording's scenarios show up as such.
    V2.ImpactRecord shock = expected.get("business/2026/nov/24/apple-beats-iphone|AAPL");
    assertEquals("up", shock.signal);
    assertTrue(shock.detectedAt < shock.published + 5 * 60_000L, "early signal, before +5 m: " + shock.detectedAt);
    assertNotNull(shock.move, "the shock is a move alert linked to its headline");
    assertTrue(expected.get("business/2026/nov/24/apple-beats-iphone-again|AAPL").stale);
    V2.ImpactRecord pre = expected.get("business/2026/nov/24/nvidia-premarket-supply-deal|NVDA");
    assertEquals("up", pre.signal, "pre-market headline on Form T prints");
    assertNull(pre.sigmaRealised, "5 minutes of pre-market data: no realised sigma");
    assertNotNull(pre.sigmaFloor, "the previous session's bars give the floor");
    V2.ImpactRecord macro = expected.get("business/2026/nov/24/microsoft-cloud-outlook|MSFT");
    assertTrue(macro.ret5 < -0.005, "MSFT falls with the market: " + macro.ret5);
    assertTrue(Math.abs(macro.ar5) < Math.abs(macro.ret5) / 2, "abnormal move small: " + macro.ar5);
    assertEquals("none", macro.signal);

    // move_alerts: every alert of the day, equal to the definition as of the end of the recording.
    List<V2.MoveAlert> expMoves = ImpactV2.compute(input, lastTradeTs()).moves();
    assertFalse(expMoves.isEmpty());
    for (V2.MoveAlert m : expMoves)
      assertFalse(m.detectedAt >= MACRO_AT && m.detectedAt < MACRO_AT + 3 * 60_000L, "the macro move is no alert: " + m.id);
    Map<String, Map<String, Object>> moveRows = new TreeMap<>();
    for (Map<String, Object> r : query("SELECT id, symbol, direction, size, z, sigma, beta, adjusted, price,"
        + " array_to_string(headlines, ',') AS headlines, (extract(epoch FROM window_start) * 1000)::bigint AS ws FROM move_alerts"))
      moveRows.put((String) r.get("id"), r);
    assertEquals(expMoves.stream().map(m -> m.id).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)), moveRows.keySet());
    for (V2.MoveAlert m : expMoves) {
      Map<String, Object> r = moveRows.get(m.id);
      assertEquals(m.direction, r.get("direction"), m.id);
      assertClose(m.size, r.get("size"), m.id + " size");
      assertClose(m.z, r.get("z"), m.id + " z");
      assertClose(m.sigma, r.get("sigma"), m.id + " sigma");
      assertClose(m.beta, r.get("beta"), m.id + " beta");
      assertClose(m.price, r.get("price"), m.id + " price");
      assertEquals(m.adjusted, r.get("adjusted"), m.id);
      assertEquals(m.windowStart, ((Number) r.get("ws")).longValue(), m.id);
      assertEquals(String.join(",", m.headlines), r.get("headlines"), m.id);
    }
    assertTrue(moveRows.containsKey(shock.move));

    // The malformed record is kept, not lost.
    List<Map<String, Object>> rejects = query("SELECT topic, error, raw FROM ingest_rejects");
    assertEquals(1, rejects.size());
    assertEquals(prefix + "market.trades", rejects.get(0).get("topic"));
    assertTrue(((String) rejects.get(0).get("raw")).contains("NaN"));

    // signals.news-impact: keyed <articleId>|<symbol>, header news-impact/v2, the last record per key the final one;
    // sent at t0, +1 m, +5 m, +15 m, and once more when the early signal fires.
    Map<String, JsonNode> lastSignal = new HashMap<>();
    Map<String, Integer> perKey = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> rec : readAll(prefix + "signals.news-impact")) {
      Header h = rec.headers().lastHeader("schema");
      assertNotNull(h, "schema header");
      assertEquals("news-impact/v2", new String(h.value(), StandardCharsets.UTF_8));
      String key = new String(rec.key(), StandardCharsets.UTF_8);
      JsonNode v = Codec.MAPPER.readTree(rec.value());
      assertEquals(key, v.get("articleId").asText() + "|" + v.get("symbol").asText());
      assertEquals("flink", v.get("origin").asText());
      lastSignal.put(key, v);
      perKey.merge(key, 1, Integer::sum);
    }
    assertEquals(expected.keySet(), lastSignal.keySet());
    for (V2.ImpactRecord e : expected.values()) {
      JsonNode v = lastSignal.get(e.key());
      dev.newstape.flink.v2.GoldenV2.assertJson(e.key() + " signal", V2Json.impact(e), v);
      boolean early = e.detectedAt != null && e.detectedAt < e.published + 5 * 60_000L;
      assertEquals(early ? 5 : 4, perKey.get(e.key()), e.key());
    }
    // signals.moves: key = the move's id (what the app's consumer requires), header move/v1, the last record per id is the row.
    Map<String, JsonNode> lastMove = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> rec : readAll(prefix + "signals.moves")) {
      assertEquals("move/v1", new String(rec.headers().lastHeader("schema").value(), StandardCharsets.UTF_8));
      JsonNode v = Codec.MAPPER.readTree(rec.value());
      assertEquals(v.get("id").asText(), new String(rec.key(), StandardCharsets.UTF_8));
      lastMove.put(v.get("id").asText(), v);
    }
    assertEquals(moveRows.keySet(), new java.util.TreeSet<>(lastMove.keySet()));
    for (V2.MoveAlert m : expMoves) dev.newstape.flink.v2.GoldenV2.assertJson(m.id, V2Json.move(m), lastMove.get(m.id));
  }

  static final long MACRO_AT = 1_795_532_400_000L + 45 * 60_000L;

  static void assertNullableClose(Double exp, Object act, String what) {
    if (exp == null) assertNull(act, what + " should be null");
    else assertClose(exp, act, what);
  }

  static long lastTradeTs() throws Exception {
    long last = Long.MIN_VALUE;
    for (List<Trade> ts : trades().values()) for (Trade t : ts) last = Math.max(last, t.ts);
    return last;
  }

  /** The recording as the v2 definition's input: live prints, the app's minute bars, coverage from first prints. */
  static ImpactV2.Input v2Input() throws Exception {
    List<V2.Print> prints = new ArrayList<>();
    Map<String, List<V2.Span>> cov = new TreeMap<>();
    Map<String, Long> first = new TreeMap<>();
    for (JsonNode l : lines) {
      if (!l.get("topic").asText().equals("market.trades") || !l.has("value")) continue;
      Trade t = Codec.parseTrade(Codec.MAPPER.writeValueAsBytes(l.get("value")));
      prints.add(new V2.Print(t.symbol, t.ts, t.price, t.size, t.conditions, t.seq, "live"));
      first.merge(t.symbol, t.ts, Math::min);
    }
    first.forEach((s, t) -> cov.put(s, List.of(new V2.Span(t, Long.MAX_VALUE, "live"))));
    List<V2.MinuteBar> bars = new ArrayList<>();
    for (JsonNode l : lines)
      if (l.get("topic").asText().equals("market.bars.1m")) {
        JsonNode v = l.get("value");
        bars.add(new V2.MinuteBar(v.get("symbol").asText(), v.get("start").asLong(), v.get("close").asDouble(), v.get("volume").asDouble()));
      }
    List<V2.Headline> hs = new ArrayList<>();
    for (Article a : articles()) hs.add(new V2.Headline(a.id, a.published, a.receivedAt, a.title, a.tickers));
    return new ImpactV2.Input(V2.Settings.DEFAULT, cov, bars, prints, hs);
  }

  @Test
  @Order(2)
  void replayingEverythingAgainRewritesRowsWithoutDoublingThem() throws Exception {
    Map<String, Map<String, Object>> before = barRows();
    List<Map<String, Object>> impactBefore = query("SELECT article_id, symbol, p0, ret15, z15, signal, detected_at, move_id FROM news_impact ORDER BY 1, 2");
    List<Map<String, Object>> movesBefore = query("SELECT id, size, array_to_string(headlines, ',') AS headlines FROM move_alerts ORDER BY 1");
    assertFalse(before.isEmpty());
    // A new consumer group reads the topics from the start: the same as a restart that lost its offsets.
    runJob("it-replay");
    Map<String, Map<String, Object>> after = barRows();
    assertEquals(before, after);
    assertEquals(impactBefore, query("SELECT article_id, symbol, p0, ret15, z15, signal, detected_at, move_id FROM news_impact ORDER BY 1, 2"));
    assertEquals(movesBefore, query("SELECT id, size, array_to_string(headlines, ',') AS headlines FROM move_alerts ORDER BY 1"));
    assertEquals(articles().size(), query("SELECT id FROM news").size());
    assertEquals(1, query("SELECT topic FROM ingest_rejects").size());
  }

  /**
   * Every panel and annotation of grafana/dashboards/impact-v2.json runs on the recorded session's rows with the
   * dashboard's time range and symbol variable, and returns rows that say what the panel promises.
   */
  @Test
  @Order(3)
  void impactDashboardPanelsRunOnTheRecordedSession() throws Exception {
    JsonNode dash = Codec.MAPPER.readTree(Path.of(System.getProperty("basedir", ".")).resolve("../grafana/dashboards/impact-v2.json")
        .normalize().toFile());
    assertEquals("newstape-impact-v2", dash.get("uid").asText());
    long from = 1_795_532_400_000L - 3 * 3_600_000L, to = 1_795_532_400_000L + 3_600_000L;
    Map<String, String> vars = Map.of("symbol", "AAPL");
    Map<String, List<Map<String, Object>>> byTitle = new LinkedHashMap<>();
    for (JsonNode p : dash.get("panels")) {
      String title = p.get("title").asText();
      String sql = p.get("targets").get(0).get("rawSql").asText();
      assertTrue(sql.contains("$__timeFilter("), title + ": uses the dashboard's time range");
      assertTrue(sql.contains("'$symbol'"), title + ": uses the symbol variable");
      List<Map<String, Object>> rows = query(GrafanaSql.expand(sql, from, to, vars));
      assertFalse(rows.isEmpty(), title + ": no rows");
      byTitle.put(title, rows);
      // Outside the time range nothing comes back: the filter is real.
      assertTrue(query(GrafanaSql.expand(sql, to + 86_400_000L, to + 2 * 86_400_000L, vars)).stream()
          .allMatch(r -> r.values().stream().allMatch(v -> v == null || v instanceof Number n && n.doubleValue() == 0)), title);
    }
    for (JsonNode a : dash.get("annotations").get("list")) {
      if (a.has("builtIn")) continue;
      String sql = a.get("target").get("rawSql").asText();
      assertFalse(query(GrafanaSql.expand(sql, from, to, vars)).isEmpty(), a.get("name").asText());
    }
    JsonNode variable = dash.get("templating").get("list").get(0);
    assertTrue(query(GrafanaSql.expand(variable.get("query").asText(), from, to, vars)).stream().anyMatch(r -> "AAPL".equals(r.get("symbol"))));

    List<Map<String, Object>> moves = byTitle.get("$symbol — move alerts and their headlines");
    assertTrue(moves.stream().anyMatch(r -> ((String) r.get("headlines")).contains("Apple beats estimates on iPhone sales")), moves::toString);
    List<Map<String, Object>> delays = byTitle.get("$symbol — detection and alert delay after publication (s)");
    for (Map<String, Object> r : delays) {
      double d = ((Number) r.get("detection delay")).doubleValue(), al = ((Number) r.get("alert delay")).doubleValue();
      assertTrue(d > 0 && al >= d, r.toString());
    }
    long signals = query("SELECT count(*) AS n FROM news_impact WHERE symbol = 'AAPL' AND signal IN ('up', 'down')").get(0).values()
        .stream().mapToLong(v -> ((Number) v).longValue()).sum();
    long perDay = 0;
    for (Map<String, Object> r : byTitle.get("$symbol — signals per day, confirmed at +5 min or not"))
      perDay += ((Number) r.get("confirmed")).longValue() + ((Number) r.get("not confirmed")).longValue() + ((Number) r.get("before +5 min")).longValue();
    assertEquals(signals, perDay);
    List<Map<String, Object>> dist = byTitle.get("$symbol — impact history distribution (final returns)");
    assertEquals(List.of("+1 min", "+5 min", "+15 min"), dist.stream().map(r -> r.get("horizon")).toList());
    List<Map<String, Object>> ar = byTitle.get("$symbol — abnormal move after each headline (+1 / +5 / +15 min)");
    assertEquals(2, ar.size(), "two AAPL headlines: " + ar);
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
