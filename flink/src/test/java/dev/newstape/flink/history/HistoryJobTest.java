package dev.newstape.flink.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.newstape.flink.JobConfig;
import dev.newstape.flink.Services;
import dev.newstape.flink.model.Impact;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Impact rows as the streaming job emits them (t0, +1, +5 and final +15 per article and symbol, some replayed) go
 * through the archive sink; the history batch job then writes impact_history into a fresh PostgreSQL schema, and
 * every number must equal the one computed here directly from the same records in plain Java.
 */
class HistoryJobTest {
  @TempDir Path tmp;
  String schema;
  Services.Pg pg;

  @AfterEach
  void dropSchema() throws Exception {
    if (pg == null || schema == null) return;
    try (Connection c = pg.connect(); Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  static Impact row(String article, String sym, long t0, int stage, Double r1, Double r5, Double r15, String signal) {
    Impact r = new Impact();
    r.articleId = article;
    r.symbol = sym;
    r.published = t0;
    r.p0 = 100.0;
    r.ret1 = stage >= 1 ? r1 : null;
    r.ret5 = stage >= 5 ? r5 : null;
    r.ret15 = stage >= 15 ? r15 : null;
    r.signal = stage >= 5 ? signal : null;
    r.latencyMs = 1500;
    r.fin = stage == 15;
    r.asOf = t0 + stage * 60_000L;
    return r;
  }

  /** Deterministic emissions for a few symbols, with the cases the history must handle. */
  static List<Impact> emissions() {
    Random rnd = new Random(42);
    List<Impact> out = new ArrayList<>();
    long day = 1795478400000L; // 2026-11-24T00:00Z
    Map<String, Integer> articles = Map.of("AAPL", 37, "MSFT", 12, "NVDA", 1, "TSLA", 4);
    for (Map.Entry<String, Integer> e : new TreeMap<>(articles).entrySet()) {
      String sym = e.getKey();
      for (int a = 0; a < e.getValue(); a++) {
        long t0 = day + (a % 3) * 86_400_000L + a * 600_000L; // three day partitions
        String id = "a-" + sym + "-" + a;
        Double r1 = rnd.nextGaussian() * 0.002, r5 = rnd.nextGaussian() * 0.006, r15 = rnd.nextGaussian() * 0.01;
        if (a % 7 == 3) r15 = null; // no trade after t0+15m: ret15 unknown even in the final row
        String sig = Math.abs(r5) > 0.008 ? (r5 > 0 ? "up" : "down") : "none";
        for (int stage : new int[] {0, 1, 5, 15}) out.add(row(id, sym, t0, stage, r1, r5, r15, sig));
        if (a % 5 == 0) out.add(row(id, sym, t0, 15, r1, r5, r15, sig)); // replayed final row
      }
    }
    // A mention still being measured: only early rows, so it is not history yet.
    out.add(row("a-AMZN-0", "AMZN", day, 1, 0.001, null, null, null));
    out.add(row("a-AMZN-0", "AMZN", day, 5, 0.001, 0.02, null, "up"));
    return out;
  }

  /** Linear interpolation between order statistics, written out independently of ImpactStats. */
  static Double pct(List<Double> xs, double p) {
    double[] v = xs.stream().filter(x -> x != null).mapToDouble(x -> x).sorted().toArray();
    if (v.length == 0) return null;
    double pos = p * (v.length - 1);
    int i = (int) pos;
    double frac = pos - i;
    return i + 1 < v.length ? v[i] * (1 - frac) + v[i + 1] * frac : v[i];
  }

  @Test
  void impactHistoryEqualsDirectComputation() throws Exception {
    pg = Services.postgres();
    schema = "hist_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    HistoryConfig hc = HistoryConfig.local(tmp.resolve("warehouse").toString());
    List<Impact> rows = emissions();

    StreamExecutionEnvironment w = StreamExecutionEnvironment.getExecutionEnvironment();
    w.setParallelism(1);
    ArchiveTables.ensure(hc);
    Archive.impact(hc, w.fromData(rows, Types.POJO(Impact.class)));
    w.execute("write-impact");
    assertEquals(rows.size(), ArchiveCheck.read(ArchiveTables.ensure(hc).get(ArchiveTables.IMPACT),
        ArchiveTables.IMPACT).size());

    Map<String, String> env = new HashMap<>(Map.of("PG_URL", pg.url(), "PG_USER", pg.user(), "PG_SCHEMA", schema));
    JobConfig cfg = JobConfig.from(env, new String[0]);
    // A stale row from an earlier run is replaced (upsert by symbol), not duplicated.
    HistoryJob.createTable(cfg);
    try (Connection c = pg.connect(schema); Statement st = c.createStatement()) {
      st.execute("INSERT INTO impact_history (symbol, headlines, ret1_n, ret5_n, ret15_n, signals, signal_share,"
          + " first_published, last_published) VALUES ('AAPL', 999, 0, 0, 0, 0, 0, now(), now())");
    }
    StreamExecutionEnvironment r = StreamExecutionEnvironment.getExecutionEnvironment();
    r.setParallelism(2);
    HistoryJob.run(r, cfg, hc);

    // Expected, straight from the records: the final row per (article, symbol).
    Map<String, Map<String, Impact>> finals = new TreeMap<>();
    for (Impact i : rows) if (i.fin) finals.computeIfAbsent(i.symbol, k -> new HashMap<>()).put(i.articleId, i);

    Map<String, Map<String, Object>> got = new TreeMap<>();
    try (Connection c = pg.connect(schema); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT *, (extract(epoch FROM first_published) * 1000)::bigint AS first_ms,"
            + " (extract(epoch FROM last_published) * 1000)::bigint AS last_ms FROM impact_history")) {
      while (rs.next()) {
        Map<String, Object> m = new HashMap<>();
        for (int k = 1; k <= rs.getMetaData().getColumnCount(); k++) m.put(rs.getMetaData().getColumnName(k), rs.getObject(k));
        got.put(rs.getString("symbol"), m);
      }
    }
    assertEquals(finals.keySet(), got.keySet(), "one row per symbol with measured headlines");
    for (Map.Entry<String, Map<String, Impact>> e : finals.entrySet()) {
      List<Impact> fs = new ArrayList<>(e.getValue().values());
      Map<String, Object> g = got.get(e.getKey());
      String s = e.getKey() + " ";
      assertEquals(fs.size(), g.get("headlines"), s + "headlines");
      long signals = fs.stream().filter(i -> i.signal.equals("up") || i.signal.equals("down")).count();
      assertEquals((int) signals, g.get("signals"), s + "signals");
      assertEquals((double) signals / fs.size(), (Double) g.get("signal_share"), 1e-12, s + "share");
      assertEquals(fs.stream().mapToLong(i -> i.published).min().getAsLong(), g.get("first_ms"), s + "first");
      assertEquals(fs.stream().mapToLong(i -> i.published).max().getAsLong(), g.get("last_ms"), s + "last");
      Map<String, List<Double>> byK = Map.of(
          "ret1", fs.stream().map(i -> i.ret1).toList(),
          "ret5", fs.stream().map(i -> i.ret5).toList(),
          "ret15", fs.stream().map(i -> i.ret15).filter(x -> x != null).toList());
      for (var k : byK.entrySet()) {
        List<Double> xs = k.getValue();
        assertEquals(xs.size(), g.get(k.getKey() + "_n"), s + k.getKey() + "_n");
        String[] cols = {"_q1", "_median", "_q3"};
        double[] ps = {0.25, 0.5, 0.75};
        for (int q = 0; q < 3; q++) {
          Double want = pct(xs, ps[q]);
          Object have = g.get(k.getKey() + cols[q]);
          if (want == null) assertNull(have, s + k.getKey() + cols[q]);
          else assertEquals(want, (Double) have, 1e-15, s + k.getKey() + cols[q] + " of " + xs);
        }
      }
    }
    assertEquals(37, got.get("AAPL").get("headlines"), "the stale AAPL row was replaced");
    assertEquals(1, got.get("NVDA").get("headlines"));
    assertEquals(1, got.get("NVDA").get("ret5_n"));
    assertEquals(got.get("NVDA").get("ret5_q1"), got.get("NVDA").get("ret5_q3"), "one value: all quartiles equal it");
  }
}
