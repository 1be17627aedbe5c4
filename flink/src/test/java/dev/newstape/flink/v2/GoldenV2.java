package dev.newstape.flink.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The v2 golden vectors of fixtures/news-impact/v2 (docs/impact-v2.md), read from disk on every run. */
public record GoldenV2(String file, JsonNode root) {

  public static Path dir() {
    String override = System.getProperty("newstape.golden.v2.dir");
    Path base = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    return override != null ? Path.of(override) : base.resolve("../fixtures/news-impact/v2").normalize();
  }

  /** Every *.json in the directory; fails loudly when there is none. */
  public static List<GoldenV2> all() throws IOException {
    Path d = dir();
    if (!Files.isDirectory(d)) fail("v2 golden vector directory missing: " + d);
    List<Path> files;
    try (Stream<Path> s = Files.list(d)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    if (files.isEmpty()) fail("no v2 golden vectors (*.json) in " + d);
    List<GoldenV2> out = new ArrayList<>();
    for (Path f : files) out.add(new GoldenV2(f.getFileName().toString(), V2Json.MAPPER.readTree(f.toFile())));
    return out;
  }

  public ImpactV2.Input input() {
    return V2Json.input(root);
  }

  public long asOf() {
    return root.get("asOf").asLong();
  }

  public JsonNode expectedImpacts() {
    return root.path("expected").path("impacts");
  }

  public JsonNode expectedMoves() {
    return root.path("expected").path("moves");
  }

  static boolean close(double a, double b) {
    double d = Math.abs(a - b);
    return d <= 1e-9 || d <= 1e-9 * Math.abs(b);
  }

  /** Every field of {@code exp} equals the same field of {@code act} (numbers to 1e-9; {@code origin} skipped). */
  public static void assertJson(String where, JsonNode exp, JsonNode act) {
    if (exp.isObject()) {
      assertTrue(act != null && act.isObject(), where + ": expected an object, got " + act);
      for (Iterator<Map.Entry<String, JsonNode>> it = exp.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().equals("origin")) continue;
        assertTrue(act.has(e.getKey()), where + "." + e.getKey() + ": missing");
        assertJson(where + "." + e.getKey(), e.getValue(), act.get(e.getKey()));
      }
      return;
    }
    if (exp.isArray()) {
      assertTrue(act != null && act.isArray(), where + ": expected an array, got " + act);
      assertEquals(exp.size(), act.size(), where + ": length (expected " + exp + ", got " + act + ")");
      for (int i = 0; i < exp.size(); i++) assertJson(where + "[" + i + "]", exp.get(i), act.get(i));
      return;
    }
    if (exp.isNull()) {
      assertTrue(act == null || act.isNull(), where + ": expected null, got " + act);
      return;
    }
    assertTrue(act != null && !act.isNull(), where + ": expected " + exp + ", got null");
    if (exp.isNumber()) {
      assertTrue(act.isNumber(), where + ": expected number " + exp + ", got " + act);
      assertTrue(close(act.asDouble(), exp.asDouble()), where + ": expected " + exp + ", got " + act);
      return;
    }
    assertEquals(exp, act, where);
  }
}
