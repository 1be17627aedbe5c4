package dev.newstape.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.newstape.flink.model.Bar;
import dev.newstape.flink.model.Trade;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link Pipelines#bars1m} in batch mode: the bar rules of fixtures/trade-conditions.json, table by table. */
class BarsPipelineTest {
  static final long M = 1_764_340_800_000L; // a minute boundary
  static List<Bar> out;

  static Trade t(String sym, long ts, double px, double size, long seq, int... cond) {
    return new Trade(sym, ts, px, size, cond, seq);
  }

  static final List<Trade> INPUT = List.of(
      // A: plain minute, listed out of order
      t("A", M + 30_000, 11, 100, 3),
      t("A", M + 1_000, 10, 200, 1),
      t("A", M + 59_999, 9, 100, 5),
      t("A", M + 10_000, 12, 100, 2),
      // next minute starts exactly at M + 60 000
      t("A", M + 60_000, 13, 50, 6),
      // B: odd lot (37) sets no OHLC but counts volume; official close (15) counts nowhere
      t("B", M + 1_000, 50, 100, 10),
      t("B", M + 2_000, 99, 30, 11, 37),
      t("B", M + 3_000, 51, 5_000_000, 12, 15),
      t("B", M + 4_000, 49, 100, 13),
      // C: a minute of only odd lots makes no bar; the next minute does
      t("C", M + 5_000, 20, 10, 20, 37),
      t("C", M + 65_000, 21, 10, 21),
      // D: ties on ts resolve by seq; a redelivered trade (same seq) counts once
      t("D", M + 7_000, 30, 100, 41),
      t("D", M + 7_000, 31, 100, 40),
      t("D", M + 8_000, 32, 100, 43),
      t("D", M + 8_000, 33, 100, 42),
      t("D", M + 8_000, 33, 100, 42));

  @BeforeAll
  static void run() throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setRuntimeMode(RuntimeExecutionMode.BATCH);
    env.setParallelism(1);
    DataStream<Trade> trades = env.fromData(new ArrayList<>(INPUT), Types.POJO(Trade.class))
        .assignTimestampsAndWatermarks(WatermarkStrategy.<Trade>noWatermarks().withTimestampAssigner((x, ts) -> x.ts));
    out = new ArrayList<>();
    try (CloseableIterator<Bar> it = Pipelines.bars1m(trades, 0, 0).executeAndCollect("bars")) {
      it.forEachRemaining(b -> {
        if (b.complete) out.add(b);
      });
    }
    out.sort(Comparator.comparing((Bar b) -> b.symbol).thenComparingLong(b -> b.start));
  }

  static List<Bar> of(String sym) {
    return out.stream().filter(b -> b.symbol.equals(sym)).toList();
  }

  static void assertBar(Bar b, long start, double o, double h, double l, double c, double v, double vwap, long n) {
    String at = b.toString();
    assertEquals(start, b.start, at);
    assertEquals(start + 60_000, b.end, at);
    assertEquals(o, b.open, at);
    assertEquals(h, b.high, at);
    assertEquals(l, b.low, at);
    assertEquals(c, b.close, at);
    assertEquals(v, b.volume, at);
    assertEquals(vwap, b.vwap, 1e-12, at);
    assertEquals(n, b.trades, at);
    assertEquals("flink", b.source, at);
  }

  @Test
  void plainMinuteOrdersByTimeAndSplitsAtTheBoundary() {
    List<Bar> a = of("A");
    assertEquals(2, a.size(), a.toString());
    assertBar(a.get(0), M, 10, 12, 9, 9, 500, (10 * 200 + 11 * 100 + 9 * 100 + 12 * 100) / 500.0, 4);
    assertBar(a.get(1), M + 60_000, 13, 13, 13, 13, 50, 13, 1);
  }

  @Test
  void oddLotCountsVolumeOnlyAndOfficialCloseCountsNowhere() {
    List<Bar> b = of("B");
    assertEquals(1, b.size(), b.toString());
    assertBar(b.get(0), M, 50, 50, 49, 49, 230, (50 * 100 + 99 * 30 + 49 * 100) / 230.0, 3);
  }

  @Test
  void minuteWithoutPriceSettingTradeHasNoBar() {
    List<Bar> c = of("C");
    assertEquals(1, c.size(), c.toString());
    assertBar(c.get(0), M + 60_000, 21, 21, 21, 21, 10, 21, 1);
  }

  @Test
  void tiesResolveBySeqAndRedeliveryCountsOnce() {
    List<Bar> d = of("D");
    assertEquals(1, d.size(), d.toString());
    assertBar(d.get(0), M, 31, 33, 30, 32, 400, (30 + 31 + 32 + 33) * 100 / 400.0, 4);
  }

  @Test
  void everyMinuteIsEmittedCompleteExactlyOnce() {
    long distinct = out.stream().map(b -> b.symbol + "@" + b.start).distinct().count();
    assertEquals(out.size(), distinct, out.toString());
    assertTrue(out.stream().allMatch(b -> b.low <= Math.min(b.open, b.close) && b.high >= Math.max(b.open, b.close)),
        Arrays.toString(out.toArray()));
  }
}
