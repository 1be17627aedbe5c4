package dev.newstape.flink.model;

/** A record that failed to parse, kept with its coordinates and text (table ingest_rejects). */
public class Reject {
  public String topic;
  public int partition;
  public long offset;
  public String error;
  public String raw;

  public Reject() {}

  public static Reject of(Envelope e) {
    Reject r = new Reject();
    r.topic = e.topic;
    r.partition = e.partition;
    r.offset = e.offset;
    r.error = e.error;
    r.raw = e.raw;
    return r;
  }
}
