package dev.newstape.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.newstape.flink.model.Article;
import dev.newstape.flink.model.Impact;
import dev.newstape.flink.model.Thresholds;
import dev.newstape.flink.model.Trade;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The streaming transformation {@link Pipelines#newsImpact} in batch mode against every golden vector: all files
 * with the same thresholds run in one job, each case under its own symbol namespace. The stream emits at t0, t0+1m,
 * t0+5m and t0+15m; a golden case "as of" A is the latest emission at or before max(A, t0), fed only the trades
 * known at A.
 */
class PipelineGoldenTest {
  @TestFactory
  List<DynamicTest> everyGoldenVectorThroughTheStream() throws Exception {
    List<Golden> all = Golden.all();
    Map<Thresholds, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < all.size(); i++) groups.computeIfAbsent(all.get(i).thresholds(), k -> new ArrayList<>()).add(i);

    Map<String, List<Impact>> byKey = new HashMap<>();
    for (Map.Entry<Thresholds, List<Integer>> g : groups.entrySet()) {
      List<Trade> trades = new ArrayList<>();
      List<Article> articles = new ArrayList<>();
      for (int i : g.getValue()) {
        Golden c = all.get(i);
        String ns = "g" + i + ":";
        for (Trade t : c.trades()) {
          if (t.ts > c.asOf()) continue;
          Trade n = new Trade(ns + t.symbol, t.ts, t.price, t.size, t.conditions, t.seq);
          trades.add(n);
        }
        String[] tick = new String[c.tickers().length];
        for (int k = 0; k < tick.length; k++) tick[k] = ns + c.tickers()[k];
        articles.add(new Article(ns + c.article().articleId, c.article().published, c.article().receivedAt,
            c.article().title, tick));
        for (var h : c.history())
          articles.add(new Article(ns + h.articleId, h.published, h.published, h.title, ns + h.symbol));
      }
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.setRuntimeMode(RuntimeExecutionMode.BATCH);
      env.setParallelism(1);
      DataStream<Trade> ts = env.fromData(trades, Types.POJO(Trade.class))
          .assignTimestampsAndWatermarks(WatermarkStrategy.<Trade>noWatermarks().withTimestampAssigner((t, x) -> t.ts));
      DataStream<Article> as = env.fromData(articles, Types.POJO(Article.class))
          .assignTimestampsAndWatermarks(WatermarkStrategy.<Article>noWatermarks().withTimestampAssigner((a, x) -> a.receivedAt));
      try (CloseableIterator<Impact> it = Pipelines.newsImpact(ts, as, g.getKey()).executeAndCollect("golden")) {
        it.forEachRemaining(r -> byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r));
      }
    }

    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      Golden c = all.get(i);
      String ns = "g" + i + ":";
      tests.add(DynamicTest.dynamicTest(c.file() + " (" + c.name() + ")", () -> {
        for (JsonNode exp : c.expected()) {
          String sym = exp.get("symbol").asText();
          List<Impact> emitted = byKey.get(ns + c.article().articleId + "|" + ns + sym);
          assertNotNull(emitted, c.file() + " " + sym + ": nothing emitted");
          long t0 = c.article().published;
          TreeSet<Long> times = new TreeSet<>();
          for (Impact r : emitted) times.add(r.asOf);
          // One emission per stage that the data reached, never twice for a stage.
          assertEquals(emitted.size(), times.size(), "duplicate emissions " + emitted);
          for (long t : times) assertEquals(0, Math.floorMod(t - t0, 60_000L), "emission off a stage boundary " + t);
          long cut = Math.max(c.asOf(), t0);
          Impact pick = null;
          for (Impact r : emitted) if (r.asOf <= cut && (pick == null || r.asOf > pick.asOf)) pick = r;
          assertNotNull(pick, c.file() + " " + sym + ": no emission at or before " + cut + " in " + emitted);
          Golden.assertMatches(c.file() + " " + sym + " (stream)", exp, withSymbol(pick, sym));
        }
      }));
    }
    return tests;
  }

  private static Impact withSymbol(Impact r, String sym) {
    r.symbol = sym;
    return r;
  }
}
