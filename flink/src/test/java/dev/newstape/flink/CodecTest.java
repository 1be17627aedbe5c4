package dev.newstape.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.newstape.flink.model.Article;
import dev.newstape.flink.model.Envelope;
import dev.newstape.flink.model.Impact;
import dev.newstape.flink.model.Trade;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The Kafka boundary: untrusted JSON in, validated values or a reason out. */
class CodecTest {
  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void parsesATrade() throws Exception {
    Trade t = Codec.parseTrade(b("{\"symbol\":\"AAPL\",\"price\":230.5,\"size\":100,\"ts\":1764340800123,"
        + "\"exchange\":4,\"conditions\":[12,37],\"seq\":99,\"id\":\"t1\",\"tape\":3}"));
    assertEquals("AAPL", t.symbol);
    assertEquals(230.5, t.price);
    assertEquals(1764340800123L, t.ts);
    assertArrayEquals(new int[] {12, 37}, t.conditions);
    assertEquals(99, t.seq);
  }

  @Test
  void skipsUnknownFieldsAndAcceptsNullOptionals() throws Exception {
    Trade t = Codec.parseTrade(b("{\"extra\":{\"a\":[1,{\"b\":2}]},\"symbol\":\"MSFT\",\"price\":1.5,\"size\":10,"
        + "\"ts\":5,\"seq\":6,\"conditions\":null,\"id\":null,\"ds\":\"0.5\"}"));
    assertEquals("MSFT", t.symbol);
    assertArrayEquals(new int[0], t.conditions);
    assertEquals("", t.id);
    assertEquals(6, t.seq);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "not json|not JSON",
      "[1,2]|not a JSON object",
      "{\"price\":1,\"size\":1,\"ts\":1,\"seq\":1}|missing symbol",
      "{\"symbol\":\"A\",\"price\":\"1\",\"size\":1,\"ts\":1,\"seq\":1}|price is not a number",
      "{\"symbol\":\"A\",\"price\":-1,\"size\":1,\"ts\":1,\"seq\":1}|price is not positive",
      "{\"symbol\":\"A\",\"price\":1,\"size\":-5,\"ts\":1,\"seq\":1}|size is negative",
      "{\"symbol\":\"A\",\"price\":1,\"size\":1,\"ts\":1.5,\"seq\":1}|ts is not an epoch-ms integer",
      "{\"symbol\":\"A\",\"price\":1,\"size\":1,\"ts\":1,\"seq\":1,\"conditions\":\"12\"}|conditions is not an array",
      "{\"symbol\":\"\",\"price\":1,\"size\":1,\"ts\":1,\"seq\":1}|empty symbol",
      "{\"symbol\":\"A\",\"price\":1,\"size\":1,\"ts\":1}|seq is not a number",
      "{\"symbol\":\"A\",\"price\":1,\"size\":1,\"ts\":1,\"seq\":1,\"conditions\":[1,\"x\"]}|conditions[1] is not an integer",
      "{\"symbol\":\"A\",\"price\":1,\"size\":1|not JSON"})
  void rejectsBadTradesWithAReason(String json, String reason) {
    Codec.BadRecord e = assertThrows(Codec.BadRecord.class, () -> Codec.parseTrade(b(json)));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  @Test
  void badRecordBecomesARejectEnvelopeThatCannotMoveTheWatermark() {
    Envelope e = EnvelopeDeserializer.parse(EnvelopeDeserializer.Kind.TRADE, "market.trades", 2, 41, b("{oops"));
    assertNull(e.trade);
    assertNotNull(e.error);
    assertEquals("{oops", e.raw);
    assertEquals(Long.MIN_VALUE, e.ts);
    Envelope n = EnvelopeDeserializer.parse(EnvelopeDeserializer.Kind.ARTICLE, "news.articles", 0, 1, null);
    assertEquals("null value", n.error);
  }

  @Test
  void parsesAnArticleAndDefaultsOptionalFields() throws Exception {
    Article a = Codec.parseArticle(b("{\"id\":\"business/x\",\"published\":1000,\"title\":\"Hi\",\"tickers\":[\"AAPL\"]}"));
    assertEquals("business/x", a.id);
    assertEquals(1000, a.updated);
    assertEquals(1000, a.receivedAt);
    assertArrayEquals(new String[] {"AAPL"}, a.tickers);
    assertThrows(Codec.BadRecord.class, () -> Codec.parseArticle(b("{\"id\":\"x\",\"published\":1,\"title\":\"t\",\"tickers\":[1]}")));
  }

  @Test
  void appBarsMayNotPoseAsFlinkBars() {
    String bar = "{\"symbol\":\"A\",\"start\":0,\"end\":60000,\"open\":1,\"high\":2,\"low\":1,\"close\":2,\"volume\":5,"
        + "\"vwap\":1.5,\"trades\":2,\"source\":\"%s\"}";
    assertThrows(Codec.BadRecord.class, () -> Codec.parseBar(b(String.format(bar, "flink"))));
    assertDoesNotThrow(() -> Codec.parseBar(b(String.format(bar, "AM"))));
  }

  private static void assertDoesNotThrow(org.junit.jupiter.api.function.Executable e) {
    org.junit.jupiter.api.Assertions.assertDoesNotThrow(e);
  }

  @Test
  void impactJsonHasExactlyTheImpactRecordFields() throws Exception {
    Impact r = new Impact();
    r.articleId = "a/1";
    r.symbol = "AAPL";
    r.published = 5;
    r.p0 = 10.0;
    r.signal = null;
    r.latencyMs = 7;
    r.fin = true;
    JsonNode j = Codec.MAPPER.readTree(Codec.impactJson(r));
    List<String> names = new ArrayList<>();
    j.fieldNames().forEachRemaining(names::add);
    assertEquals(List.of("articleId", "symbol", "published", "p0", "ret1", "ret5", "ret15", "sigma", "z1", "z5", "z15",
        "rvol5", "signal", "latencyMs", "stale", "origin", "final"), names);
    assertEquals("flink", j.get("origin").asText());
    assertTrue(j.get("ret1").isNull());
    assertTrue(j.get("signal").isNull());
    assertTrue(j.get("final").asBoolean());
    assertEquals("a/1|AAPL", r.key());
  }
}
