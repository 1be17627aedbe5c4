package dev.newstape.flink;

import dev.newstape.flink.model.Envelope;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Parses a Kafka record at the source so watermarks come from the value's own time. A record that does not parse
 * becomes an envelope with {@code error} set (never an exception, which would fail the job in a loop) and a
 * timestamp that cannot move the watermark.
 */
public class EnvelopeDeserializer implements KafkaRecordDeserializationSchema<Envelope> {
  private static final long serialVersionUID = 1L;

  public enum Kind { TRADE, ARTICLE, BAR }

  private final Kind kind;

  public EnvelopeDeserializer(Kind kind) {
    this.kind = kind;
  }

  public static Envelope parse(Kind kind, String topic, int partition, long offset, byte[] value) {
    Envelope e = new Envelope();
    e.topic = topic;
    e.partition = partition;
    e.offset = offset;
    e.ts = Long.MIN_VALUE;
    try {
      switch (kind) {
        case TRADE -> {
          e.trade = Codec.parseTrade(value);
          e.ts = e.trade.ts;
        }
        case ARTICLE -> {
          e.article = Codec.parseArticle(value);
          // An article enters event time when it is known, not when it says it was written.
          e.ts = Math.max(e.article.receivedAt, e.article.published);
        }
        case BAR -> {
          e.bar = Codec.parseBar(value);
          e.ts = e.bar.start;
        }
      }
    } catch (Codec.BadRecord bad) {
      e.error = bad.getMessage();
      String raw = Codec.utf8(value);
      e.raw = raw != null && raw.length() > 4000 ? raw.substring(0, 4000) : raw;
    }
    return e;
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<Envelope> out) {
    out.collect(parse(kind, r.topic(), r.partition(), r.offset(), r.value()));
  }

  @Override
  public TypeInformation<Envelope> getProducedType() {
    return Types.POJO(Envelope.class);
  }
}
