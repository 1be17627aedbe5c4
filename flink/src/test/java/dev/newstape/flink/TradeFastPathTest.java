package dev.newstape.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.newstape.flink.model.Trade;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TradeFastPath} against the Jackson parser it short-cuts: whenever the fast path returns a trade, the
 * reference returns the same trade, bit for bit; and {@link Codec#parseTrade} always has the reference's outcome
 * (the same trade, or a rejection with the same reason).
 */
class TradeFastPathTest {
  static final String TYPICAL = "{\"symbol\":\"AAPL\",\"price\":229.84,\"size\":400,\"ts\":1795532400035,\"exchange\":5,"
      + "\"conditions\":[16],\"seq\":1002,\"id\":\"1002\",\"tape\":3}";
  /** A trade/v2 value: fractional size, participant time, TRF id and time. */
  static final String V2 = "{\"symbol\":\"AAPL\",\"price\":297.845,\"size\":0.740474,\"ts\":1781622376036,\"exchange\":4,\"conditions\":[],\"seq\":4938312,\"id\":\"143541\",\"tape\":3,\"pt\":1781622376029,\"trfi\":202,\"trft\":1781622376036}";

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** "trade: ..." with every field, doubles as raw bits (so -0.0 and 0.0 differ), or "reject: reason". */
  static String outcome(Trade t) {
    return "trade: " + t.symbol + " p=" + Long.toHexString(Double.doubleToRawLongBits(t.price)) + " s="
        + Long.toHexString(Double.doubleToRawLongBits(t.size)) + " ts=" + t.ts + " x=" + t.exchange + " c="
        + java.util.Arrays.toString(t.conditions) + " q=" + t.seq + " id=" + t.id + " tape=" + t.tape + " pt=" + t.pt
        + " trfi=" + t.trfi + " trft=" + t.trft;
  }

  static String reference(byte[] in) {
    try {
      return outcome(Codec.parseTradeJackson(in));
    } catch (Codec.BadRecord e) {
      return "reject: " + e.getMessage();
    }
  }

  static String actual(byte[] in) {
    try {
      return outcome(Codec.parseTrade(in));
    } catch (Codec.BadRecord e) {
      return "reject: " + e.getMessage();
    } catch (RuntimeException e) {
      return "crash: " + e; // never acceptable: bad input must not crash the job
    }
  }

  /** Checks one input; returns whether the fast path decided it. */
  static boolean check(byte[] in) {
    String ref = reference(in);
    String what = new String(in, StandardCharsets.UTF_8);
    Trade fast;
    try {
      fast = TradeFastPath.parse(in);
    } catch (RuntimeException e) {
      throw new AssertionError("fast path threw on " + what, e);
    }
    if (fast != null) assertEquals(ref, outcome(fast), "fast path differs from the reference on " + what);
    assertEquals(ref, actual(in), "parseTrade differs from the reference on " + what);
    return fast != null;
  }

  @ParameterizedTest
  @ValueSource(strings = {
      TYPICAL,
      V2,
      "{\"symbol\":\"MSFT\",\"price\":0.0001,\"size\":0,\"ts\":0,\"seq\":0}",
      " \t\r\n{ \"symbol\" : \"A\" , \"price\" : 1 , \"size\" : 2.50 , \"ts\" : 3 , \"seq\" : 4 , \"conditions\" : [ 1 , 2 ] } ",
      "{\"symbol\":\"A\",\"price\":123456789012.345,\"size\":-0.0,\"ts\":8640000000000000,\"seq\":7,\"conditions\":[]}",
      "{\"symbol\":\"A\",\"price\":1,\"size\":-0,\"ts\":1,\"seq\":1,\"extra\":\"x\",\"flag\":true,\"n\":null,\"f\":false,\"k\":-1.5}",
      "{\"symbol\":\"A\",\"price\":1,\"size\":1,\"ts\":1,\"seq\":1,\"exchange\":4.0,\"tape\":-3,\"id\":\"\"} trailing bytes",
      "{\"symbol\":\"A\",\"price\":9007199254740993,\"size\":1,\"ts\":1,\"seq\":1}"})
  void theFastPathDecidesWellFormedTradesAsTheReferenceDoes(String json) {
    assertTrue(check(b(json)), "expected the fast path to decide " + json);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // rejected by the rules: the reference gives the reason
      "{\"price\":1,\"size\":1,\"ts\":1,\"seq\":1}",
      "{\"symbol\":\"\",\"price\":1,\"size\":1,\"ts\":1,\"seq\":1}",
      "{\"symbol\":\"A\",\"price\":0,\"size\":1,\"ts\":1,\"seq\":1}",
      "{\"symbol\":\"A\",\"price\":-0.0,\"size\":1,\"ts\":1,\"seq\":1}",
      "{\"symbol\":\"A\",\"price\":1,\"size\":-1,\"ts\":1,\"seq\":1}",
      "{\"symbol\":\"A\",\"price\":1,\"size\":1,\"ts\":1.5,\"seq\":1}",
      "{\"symbol\":\"A\",\"price\":1,\"size\":1,\"ts\":-1,\"seq\":1}",
      "{\"symbol\":\"A\",\"price\":1,\"size\":1,\"ts\":8640000000000001,\"seq\":1}",
      "{\"symbol\":\"A\",\"price\":1,\"size\":1,\"ts\":1}",
      "{\"symbol\":\"A\",\"price\":1,\"size\":1,\"ts\":1,\"seq\":1,\"exchange\":1.5}",
      "{\"symbol\":\"A\",\"price\":1,\"size\":1,\"ts\":1,\"seq\":1,\"conditions\":[1.0]}",
      "{\"symbol\":\"A\",\"price\":1,\"size\":1,\"ts\":1,\"seq\":1,\"conditions\":[99999999999]}",
      "{\"symbol\":\"A\",\"price\":\"1\",\"size\":1,\"ts\":1,\"seq\":1}",
      "{\"symbol\":1,\"price\":1,\"size\":1,\"ts\":1,\"seq\":1}",
      // outside the fast subset, fine for the reference
      "{\"symbol\":\"A\",\"price\":1e2,\"size\":1,\"ts\":1,\"seq\":1}",
      "{\"symbol\":\"A\",\"price\":0.1234567890123456789,\"size\":1,\"ts\":1,\"seq\":1}",
      "{\"symbol\":\"\\u0041\",\"price\":1,\"size\":1,\"ts\":1,\"seq\":1}",
      "{\"symbol\":\"Ä\",\"price\":1,\"size\":1,\"ts\":1,\"seq\":1}",
      "{\"symbol\":\"A\",\"symbol\":\"B\",\"price\":1,\"size\":1,\"ts\":1,\"seq\":1}",
      "{\"symbol\":\"A\",\"price\":1,\"size\":1,\"ts\":1,\"seq\":1,\"conditions\":null,\"id\":null,\"exchange\":null}",
      "{\"trfi\":{\"a\":[1,{\"b\":2}]},\"symbol\":\"A\",\"price\":1,\"size\":1,\"ts\":1,\"seq\":1}",
      "{\"id\":7,\"symbol\":\"A\",\"price\":1,\"size\":1,\"ts\":1,\"seq\":1}",
      "{\"symbol\":\"A\",\"price\":1,\"size\":1,\"ts\":1,\"seq\":1,\"pt\":null,\"trfi\":null,\"trft\":null}",
      "{\"symbol\":\"A\",\"price\":1,\"size\":1,\"ts\":1,\"seq\":1,\"trfi\":\"202\"}",
      "{\"symbol\":\"A\",\"price\":1,\"size\":1,\"ts\":1,\"seq\":1,\"pt\":1.5}",
      "{\"symbol\":\"A\",\"price\":1,\"size\":1,\"ts\":1,\"seq\":1,\"trft\":-5}",
      "{\"symbol\":\"A\",\"price\":1,\"size\":1,\"ts\":1,\"seq\":1,\"pt\":1,\"pt\":2}",
      "\uFEFF{\"symbol\":\"A\",\"price\":1,\"size\":1,\"ts\":1,\"seq\":1}",
      // not JSON
      "{\"symbol\":\"A\",\"price\":01,\"size\":1,\"ts\":1,\"seq\":1}",
      "{\"symbol\":\"A\",\"price\":1.,\"size\":1,\"ts\":1,\"seq\":1}",
      "{\"symbol\":\"A\",\"price\":.5,\"size\":1,\"ts\":1,\"seq\":1}",
      "{\"symbol\":\"A\",\"price\":NaN,\"size\":1,\"ts\":1,\"seq\":1}",
      "{\"symbol\":\"A\",\"price\":1,\"size\":1,\"ts\":1,\"seq\":1,}",
      "{\"symbol\":\"A\",\"price\":1x,\"size\":1,\"ts\":1,\"seq\":1}",
      "{\"symbol\":\"A\",\"price\":1,\"size\":1,\"ts\":1,\"seq\":1,\"f\":tru}",
      "{\"symbol\":\"A\",\"price\":1,\"size\":1,\"ts\":1,\"seq\":1",
      "{\"symbol\":\"A\"",
      "{'symbol':'A'}",
      "[]",
      "",
      "  ",
      "null"})
  void everythingElseEndsAsTheReferenceSays(String json) {
    check(b(json));
  }

  @Test
  void nullValueIsRejectedNotCrashed() {
    assertNull(TradeFastPath.parse(null));
    assertEquals("reject: null value", actual(null));
  }

  @Test
  void decimalsConvertExactlyAsDoubleParseDouble() {
    Random r = new Random(7);
    int decided = 0;
    for (int k = 0; k < 20_000; k++) {
      int intDigits = 1 + r.nextInt(12), frac = r.nextInt(9);
      StringBuilder n = new StringBuilder();
      if (r.nextInt(10) == 0) n.append('-');
      n.append(1 + r.nextInt(9));
      for (int i = 1; i < intDigits; i++) n.append(r.nextInt(10));
      if (r.nextInt(8) == 0) n.setLength(n.charAt(0) == '-' ? 1 : 0);
      if (n.length() == 0 || n.toString().equals("-")) n.append('0');
      if (frac > 0) {
        n.append('.');
        for (int i = 0; i < frac; i++) n.append(r.nextInt(10));
      }
      String json = "{\"symbol\":\"A\",\"price\":1,\"size\":" + n + ",\"ts\":1,\"seq\":1}";
      if (check(b(json))) {
        decided++;
        // Jackson converts a JSON integer through long (so "-0" is +0.0), a fraction like Double.parseDouble.
        double want = frac == 0 ? (double) Long.parseLong(n.toString()) : Double.parseDouble(n.toString());
        assertEquals(Double.doubleToRawLongBits(want),
            Double.doubleToRawLongBits(parse(json).size), n.toString());
      }
    }
    assertTrue(decided > 15_000, "the fast path should decide most plain decimals, decided " + decided);
  }

  static Trade parse(String json) {
    try {
      return Codec.parseTrade(b(json));
    } catch (Codec.BadRecord e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void mutatedRecordsNeverDisagreeWithTheReference() {
    String[] seeds = {TYPICAL,
        "{\"symbol\":\"NVDA\",\"price\":180.09,\"size\":77,\"ts\":1795532402998,\"exchange\":2,\"conditions\":[12,37],"
            + "\"seq\":3071,\"id\":\"3071\",\"tape\":3,\"x\":[1]}",
        "{ \"seq\": 5, \"ts\": 10, \"size\": 1.5, \"price\": 2, \"symbol\": \"X\", \"note\": \"a b\" }", V2};
    byte[] alphabet = b("{}[]\",:.-+0123456789eE \\ntrufalsyAx\u0000\t");
    Random r = new Random(42);
    int decided = 0;
    for (int k = 0; k < 30_000; k++) {
      byte[] s = b(seeds[k % seeds.length]);
      int edits = 1 + r.nextInt(3);
      for (int e = 0; e < edits; e++) {
        int at = r.nextInt(s.length + 1);
        switch (r.nextInt(4)) {
          case 0 -> { // delete
            if (s.length > 0 && at < s.length) s = concat(slice(s, 0, at), slice(s, at + 1, s.length));
          }
          case 1 -> s = concat(concat(slice(s, 0, at), new byte[] {alphabet[r.nextInt(alphabet.length)]}), slice(s, at, s.length));
          case 2 -> {
            if (at < s.length) s[at] = alphabet[r.nextInt(alphabet.length)];
          }
          default -> s = slice(s, 0, at); // truncate
        }
      }
      if (check(s)) decided++;
    }
    assertTrue(decided > 1_000, "mutations the fast path decided: " + decided);
  }

  @Test
  void typicalRecordIsParsedCompletely() throws Exception {
    Trade t = TradeFastPath.parse(b(TYPICAL));
    assertNotNull(t);
    assertEquals("AAPL", t.symbol);
    assertEquals(229.84, t.price);
    assertEquals(400, t.size);
    assertEquals(1795532400035L, t.ts);
    assertEquals(5, t.exchange);
    assertArrayEquals(new int[] {16}, t.conditions);
    assertEquals(1002, t.seq);
    assertEquals("1002", t.id);
    assertEquals(3, t.tape);
  }

  static byte[] slice(byte[] a, int from, int to) {
    return java.util.Arrays.copyOfRange(a, from, to);
  }

  static byte[] concat(byte[] a, byte[] c) {
    byte[] o = java.util.Arrays.copyOf(a, a.length + c.length);
    System.arraycopy(c, 0, o, a.length, c.length);
    return o;
  }
}
