package dev.newstape.flink.model;

/** A news article, the value of topic {@code news.articles} (mirrors src-main/domain/news.ts). Flink POJO. */
public class Article {
  public String id;
  public long published;
  public long updated;
  public String title = "";
  public String url = "";
  public String section = "";
  public String type = "";
  public String trailText = "";
  public String[] tickers = new String[0];
  public String query = "";
  public long receivedAt;
  public boolean stale;

  public Article() {}

  public Article(String id, long published, long receivedAt, String title, String... tickers) {
    this.id = id;
    this.published = published;
    this.updated = published;
    this.receivedAt = receivedAt;
    this.title = title;
    this.tickers = tickers;
  }
}
