package dev.newstape.flink.model;

/**
 * News impact of one article on one symbol: the fields of ImpactRecord (src-main/domain/news.ts) plus
 * {@code asOf}, the event time the numbers were computed at (not part of the signal record).
 */
public class Impact {
  public String articleId;
  public String symbol;
  public long published;
  public Double p0;
  public Double ret1;
  public Double ret5;
  public Double ret15;
  public Double sigma;
  public Double z1;
  public Double z5;
  public Double z15;
  public Double rvol5;
  /** "up" | "down" | "none" | null. */
  public String signal;
  public long latencyMs;
  public boolean stale;
  public String origin = "flink";
  public boolean fin;
  public long asOf;

  public Impact() {}

  public String key() {
    return articleId + "|" + symbol;
  }

  @Override
  public String toString() {
    return "Impact{" + key() + " asOf=" + asOf + " p0=" + p0 + " r=" + ret1 + "/" + ret5 + "/" + ret15 + " sigma="
        + sigma + " z=" + z1 + "/" + z5 + "/" + z15 + " rvol5=" + rvol5 + " " + signal + " stale=" + stale + " final="
        + fin + "}";
  }
}
