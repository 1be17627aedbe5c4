package dev.newstape.flink.model;

import java.util.Arrays;
import java.util.Objects;

/** A normalised trade, the value of topic {@code market.trades} (mirrors src-main/domain/market.ts). Flink POJO. */
public class Trade {
  public String symbol;
  public double price;
  public double size;
  public long ts;
  public int exchange;
  public int[] conditions = new int[0];
  public long seq;
  public String id = "";
  public int tape;

  public Trade() {}

  public Trade(String symbol, long ts, double price, double size, int[] conditions, long seq) {
    this.symbol = symbol;
    this.ts = ts;
    this.price = price;
    this.size = size;
    this.conditions = conditions == null ? new int[0] : conditions;
    this.seq = seq;
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
        && Arrays.equals(conditions, t.conditions);
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
