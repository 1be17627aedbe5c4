package dev.newstape.flink.model;

/** One (article, symbol) pair: an article fanned out per ticker it is tagged with. Flink POJO. */
public class Mention {
  public String articleId;
  public String symbol;
  public long published;
  public long receivedAt;
  public String title = "";

  public Mention() {}

  public Mention(String articleId, String symbol, long published, long receivedAt, String title) {
    this.articleId = articleId;
    this.symbol = symbol;
    this.published = published;
    this.receivedAt = receivedAt;
    this.title = title;
  }
}
