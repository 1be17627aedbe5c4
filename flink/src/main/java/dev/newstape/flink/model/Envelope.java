package dev.newstape.flink.model;

/**
 * One Kafka record after parsing: exactly one of trade/article/bar is set, or {@code error} says why the record
 * was rejected (then {@code raw} keeps its text so nothing is lost).
 */
public class Envelope {
  public String topic;
  public int partition;
  public long offset;
  /** Event time: the value's own time when it parsed, else the Kafka record timestamp. */
  public long ts;
  public Trade trade;
  public Article article;
  public Bar bar;
  public String error;
  public String raw;

  public Envelope() {}
}
