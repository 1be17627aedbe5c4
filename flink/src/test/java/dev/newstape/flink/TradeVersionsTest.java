package dev.newstape.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.newstape.flink.model.Trade;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** market.trades carries trade/v1 and trade/v2 values (src-main/kafka/records.ts): the job reads both. */
class TradeVersionsTest {
  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static final String V1 = "{\"symbol\":\"AAPL\",\"price\":231.5,\"size\":100,\"ts\":1795532400035,\"exchange\":4,"
      + "\"conditions\":[12,37],\"seq\":1001,\"id\":\"t-1\",\"tape\":3}";
  static final String V2 = "{\"symbol\":\"AAPL\",\"price\":231.5,\"size\":0.740474,\"ts\":1795532400035,\"exchange\":4,"
      + "\"conditions\":[12,37],\"seq\":1001,\"id\":\"t-1\",\"tape\":3,\"pt\":1795532400028,\"trfi\":202,"
      + "\"trft\":1795532400035}";

  @Test
  void aV1ValueReadsWithoutTheV2Fields() throws Exception {
    Trade t = Codec.parseTrade(b(V1));
    assertEquals(100, t.size);
    assertEquals(0, t.pt);
    assertEquals(0, t.trfi);
    assertEquals(0, t.trft);
    assertEquals(t.ts, t.barTime());
  }

  @Test
  void aV2ValueReadsItsDecimalSizeAndTrfFieldsOnBothPaths() throws Exception {
    Trade fast = Codec.parseTrade(b(V2));
    Trade reference = Codec.parseTradeJackson(b(V2));
    assertEquals(reference, fast);
    assertEquals(0.740474, fast.size);
    assertEquals(1795532400028L, fast.pt);
    assertEquals(202, fast.trfi);
    assertEquals(1795532400035L, fast.trft);
  }

  @Test
  void v2FieldsOfTheWrongTypeAreRejectedWithAReason() {
    Codec.BadRecord e = assertThrows(Codec.BadRecord.class,
        () -> Codec.parseTrade(b(V2.replace("\"trfi\":202", "\"trfi\":\"202\""))));
    assertTrue(e.getMessage().contains("trfi"), e.getMessage());
  }

  /** [SIP ts offset, trft offset (ms before ts; -1 = none), trfi, expected bar time offset or NO_BAR]. */
  @ParameterizedTest
  @CsvSource({
      "on time,             0,      202, 0",
      "3 minutes late,      180000, 202, -180000",
      "exactly 15 minutes,  900000, 202, -900000",
      "20 minutes late,     1200000, 202, NO_BAR",
      "no TRF id,           180000, 0,   0",
      "no trft,             -1,     202, 0"})
  void lateTrfPrintsLandInTheMinuteOfTheirTrft(String name, long lateBy, int trfi, String expected) {
    Trade t = new Trade("AAPL", 1795532400000L, 10, 100, new int[0], 1);
    t.trfi = trfi;
    t.trft = lateBy < 0 ? 0 : t.ts - lateBy;
    long want = expected.equals("NO_BAR") ? Trade.NO_BAR : t.ts + Long.parseLong(expected);
    assertEquals(want, t.barTime(), name);
  }

  @Test
  void barVolumesAddFractionalSharesExactly() {
    TradeConditions tc = TradeConditions.load();
    BarsFunction.Acc a = new BarsFunction.Acc();
    long seq = 1;
    for (double s : new double[] {0.1, 0.2, 0.3, 100, 0.740474}) {
      BarsFunction.add(a, new Trade("AAPL", 1795532400000L + seq, 10, s, new int[0], seq), tc);
      seq++;
    }
    assertEquals(101.340474, a.volume);
  }

  @Test
  void aLateTrfPrintOpensItsOwnMinuteInTheBar() {
    TradeConditions tc = TradeConditions.load();
    BarsFunction.Acc a = new BarsFunction.Acc();
    Trade onTime = new Trade("AAPL", 1795532400000L + 30_000, 10, 100, new int[0], 1);
    Trade late = new Trade("AAPL", 1795532400000L + 200_000, 9, 50, new int[0], 2);
    late.trfi = 202;
    late.trft = 1795532400000L + 10_000;
    BarsFunction.add(a, onTime, tc);
    BarsFunction.add(a, late, tc);
    // Placed at its trft (10 s into the minute), it is the first print of that minute: the open.
    assertEquals(9, a.open);
    assertEquals(10, a.close);
  }
}
