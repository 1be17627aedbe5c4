package dev.newstape.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.newstape.flink.model.Impact;
import dev.newstape.flink.model.Mention;
import dev.newstape.flink.model.Thresholds;
import dev.newstape.flink.model.Trade;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The golden vectors of fixtures/news-impact (format in its README), read from disk on every run. */
public record Golden(String file, String name, long asOf, Thresholds thresholds, Mention article, String[] tickers,
    List<Mention> history, List<Trade> trades, JsonNode expected) {

  public static Path dir() {
    String override = System.getProperty("newstape.golden.dir");
    Path base = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    return override != null ? Path.of(override) : base.resolve("../fixtures/news-impact").normalize();
  }

  /** Every *.json in the golden directory; fails loudly when there is none. */
  public static List<Golden> all() throws IOException {
    Path d = dir();
    if (!Files.isDirectory(d)) fail("golden vector directory missing: " + d);
    List<Path> files;
    try (Stream<Path> s = Files.list(d)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    if (files.isEmpty()) fail("no golden vectors (*.json) in " + d + ": the news-impact tests have nothing to check");
    List<Golden> out = new ArrayList<>();
    for (Path f : files) out.add(read(f));
    return out;
  }

  static Golden read(Path f) throws IOException {
    JsonNode root = Codec.MAPPER.readTree(f.toFile());
    JsonNode a = root.get("article");
    assertNotNull(a, f + ": no article");
    JsonNode th = root.get("thresholds");
    Thresholds t = th == null || th.isNull() ? Thresholds.DEFAULT
        : new Thresholds(th.path("z").asDouble(3), th.path("rvol").asDouble(3), th.path("zWithVolume").asDouble(2));
    String[] tickers = new String[a.get("tickers").size()];
    for (int i = 0; i < tickers.length; i++) tickers[i] = a.get("tickers").get(i).asText();
    long published = a.get("published").asLong();
    Mention m = new Mention(a.get("id").asText(), null, published, a.path("receivedAt").asLong(published),
        a.path("title").asText(""));
    List<Mention> history = new ArrayList<>();
    int i = 0;
    for (JsonNode h : root.path("history")) {
      history.add(new Mention(h.has("id") ? h.get("id").asText() : "history-" + i, h.get("symbol").asText(),
          h.get("published").asLong(), h.get("published").asLong(), h.get("title").asText()));
      i++;
    }
    List<Trade> trades = new ArrayList<>();
    long seq = 0;
    for (JsonNode tr : root.path("trades")) {
      seq++;
      JsonNode c = tr.get("conditions");
      int[] cond = new int[c == null ? 0 : c.size()];
      for (int k = 0; k < cond.length; k++) cond[k] = c.get(k).asInt();
      trades.add(new Trade(tr.get("symbol").asText(), tr.get("ts").asLong(), tr.get("price").asDouble(),
          tr.get("size").asDouble(), cond, tr.has("seq") ? tr.get("seq").asLong() : seq));
    }
    return new Golden(f.getFileName().toString(), root.path("name").asText(f.getFileName().toString()),
        root.get("asOf").asLong(), t, m, tickers, history, trades, root.get("expected"));
  }

  public Mention mention(String symbol) {
    return new Mention(article.articleId, symbol, article.published, article.receivedAt, article.title);
  }

  static boolean close(double a, double b) {
    double d = Math.abs(a - b);
    return d <= 1e-9 || d <= 1e-9 * Math.abs(b);
  }

  static void assertNum(String what, JsonNode exp, Double actual) {
    if (exp.isNull()) {
      assertEquals(null, actual, what + ": expected null");
      return;
    }
    assertNotNull(actual, what + ": expected " + exp + ", got null");
    assertTrue(close(actual, exp.asDouble()), what + ": expected " + exp.asDouble() + ", got " + actual);
  }

  /** Compares every field of one expected entry with an impact record. */
  public static void assertMatches(String where, JsonNode exp, Impact r) {
    for (Iterator<Map.Entry<String, JsonNode>> it = exp.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String what = where + " " + e.getKey();
      JsonNode v = e.getValue();
      switch (e.getKey()) {
        case "symbol" -> {}
        case "p0" -> assertNum(what, v, r.p0);
        case "ret1" -> assertNum(what, v, r.ret1);
        case "ret5" -> assertNum(what, v, r.ret5);
        case "ret15" -> assertNum(what, v, r.ret15);
        case "sigma" -> assertNum(what, v, r.sigma);
        case "z1" -> assertNum(what, v, r.z1);
        case "z5" -> assertNum(what, v, r.z5);
        case "z15" -> assertNum(what, v, r.z15);
        case "rvol5" -> assertNum(what, v, r.rvol5);
        case "signal" -> assertEquals(v.isNull() ? null : v.asText(), r.signal, what);
        case "latencyMs" -> assertEquals(v.asLong(), r.latencyMs, what);
        case "stale" -> assertEquals(v.asBoolean(), r.stale, what);
        case "final" -> assertEquals(v.asBoolean(), r.fin, what);
        case "articleId" -> assertEquals(v.asText(), r.articleId, what);
        case "published" -> assertEquals(v.asLong(), r.published, what);
        case "origin" -> {}
        default -> fail(what + ": unknown expected field");
      }
    }
  }
}
