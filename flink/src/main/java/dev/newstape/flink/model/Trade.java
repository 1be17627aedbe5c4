package dev.newstape.flink.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * A normalised trade, the value of topic {@code market.trades} (mirrors src-main/domain/market.ts). Flink POJO.
 * Reads both value versions: {@code trade/v1} and {@code trade/v2}, which may carry a decimal {@code size}
 * (fractional-share trades, exact to millionths) and {@code pt}, {@code trfi}, {@code trft} (0 = absent).
 */
public class Trade {
  /** How late a TRF print may be and still land in the minute it happened (Polygon holds bars 15 minutes). */
  public static final long LATE_TRF_MS = 15 * 60_000L;
  /** {@link #barTime} of a print too late for any intraday bar. */
  public static final long NO_BAR = Long.MIN_VALUE;

  public String symbol;
  public double price;
  public double size;
  public long ts;
  public int exchange;
  public int[] conditions = new int[0];
  public long seq;
  public String id = "";
  public int tape;
  /** Participant (exchange) time, epoch ms; 0 when the record has none (trade/v1). */
  public long pt;
  /** TRF id of an off-exchange print; 0 when none. */
  public int trfi;
  /** When the TRF had the report, epoch ms; 0 when none. */
  public long trft;

  public Trade() {}

  public Trade(String symbol, long ts, double price, double size, int[] conditions, long seq) {
    this.symbol = symbol;
    this.ts = ts;
    this.price = price;
    this.size = size;
    this.conditions = conditions == null ? new int[0] : conditions;
    this.seq = seq;
  }

  /**
   * The time a bar places this print at, as Polygon's aggregates (and the app's engine) do: the SIP time, or for a
   * TRF print whose {@code trft} is earlier, its {@code trft} when at most 15 minutes earlier; {@link #NO_BAR} when
   * later than that (such a print counts for the day only).
   */
  public long barTime() {
    if (trfi == 0 || trft <= 0 || trft >= ts) return ts;
    return ts - trft <= LATE_TRF_MS ? trft : NO_BAR;
  }

  /** Order used everywhere a "last" trade is picked: by ts, then seq (ties: highest seq is last). */
  public static int compareTime(Trade a, Trade b) {
    int c = Long.compare(a.ts, b.ts);
    return c != 0 ? c : Long.compare(a.seq, b.seq);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Trade t)) return false;
    return Objects.equals(symbol, t.symbol) && ts == t.ts && seq == t.seq && price == t.price && size == t.size
        && Arrays.equals(conditions, t.conditions) && pt == t.pt && trfi == t.trfi && trft == t.trft;
  }

  @Override
  public int hashCode() {
    return Objects.hash(symbol, ts, seq);
  }

  @Override
  public String toString() {
    return "Trade{" + symbol + " ts=" + ts + " p=" + price + " s=" + size + " c=" + Arrays.toString(conditions)
        + " q=" + seq + "}";
  }
}
