package dev.newstape.flink.history;

/** The fields of one archived news_impact row that the history needs. Flink POJO. */
public class ImpactPoint {
  public String articleId;
  public String symbol;
  public long published;
  public long asOf;
  public boolean fin;
  public Double ret1;
  public Double ret5;
  public Double ret15;
  public String signal;

  public ImpactPoint() {}

  public ImpactPoint(String articleId, String symbol, long published, long asOf, boolean fin, Double ret1, Double ret5,
      Double ret15, String signal) {
    this.articleId = articleId;
    this.symbol = symbol;
    this.published = published;
    this.asOf = asOf;
    this.fin = fin;
    this.ret1 = ret1;
    this.ret5 = ret5;
    this.ret15 = ret15;
    this.signal = signal;
  }
}
