package dev.newstape.flink.model;

/**
 * An OHLCV bar (mirrors src-main/domain/market.ts). {@code source} is "flink" for bars this job aggregates from
 * trades, else the app's own source tag from {@code market.bars.1m}. {@code complete} is false for the early
 * updates of a minute that is still open.
 */
public class Bar {
  public String symbol;
  public long start;
  public long end;
  public double open;
  public double high;
  public double low;
  public double close;
  public double volume;
  public double vwap;
  public long trades;
  public String source;
  public boolean complete;

  public Bar() {}

  @Override
  public String toString() {
    return "Bar{" + symbol + " " + start + " o=" + open + " h=" + high + " l=" + low + " c=" + close + " v=" + volume
        + " vwap=" + vwap + " n=" + trades + " " + source + (complete ? " complete" : " open") + "}";
  }
}
