// An independent Kafka reader/writer for the tests: Kafka's own Java client (kafka-clients from the broker
// jars scripts/kafka/broker.ts fetches), sharing no code with the app's producer codec. scripts/kafka/tools.ts
// compiles it once and runs it: java -cp <classes>:<libs>/* KafkaCli consume|produce ...
//
//   consume <brokers> <topic>            every record from the beginning to the end offsets at start, one JSON
//                                        object a line: {topic, partition, offset, key, payload, headers[]}
//                                        (headers flattened as [name, value, ...], the shape kcat -J prints)
//   produce <brokers> <topic> <schema>   stdin lines "key<TAB>value", each sent with header schema=<schema>,
//                                        acks=all, idempotent; exits non-zero unless every record is acked
//   --config <file>                      (anywhere) extra client properties, e.g. security.protocol=SASL_SSL,
//                                        sasl.mechanism, sasl.jaas.config, ssl.truststore.location
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

public class KafkaCli {
  /** Client properties from --config (security settings), applied on top of the defaults. */
  static final Properties EXTRA = new Properties();

  public static void main(String[] raw) throws Exception {
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < raw.length; i++) {
      if (raw[i].equals("--config") && i + 1 < raw.length) {
        try (InputStream in = new FileInputStream(raw[++i])) {
          EXTRA.load(in);
        }
      } else {
        rest.add(raw[i]);
      }
    }
    String[] args = rest.toArray(new String[0]);
    if (args.length >= 3 && args[0].equals("consume")) {
      consume(args[1], args[2]);
    } else if (args.length >= 4 && args[0].equals("produce")) {
      produce(args[1], args[2], args[3]);
    } else {
      System.err.println("usage: consume <brokers> <topic> | produce <brokers> <topic> <schema>");
      System.exit(2);
    }
  }

  static void consume(String brokers, String topic) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", brokers);
    p.put("key.deserializer", ByteArrayDeserializer.class.getName());
    p.put("value.deserializer", ByteArrayDeserializer.class.getName());
    p.put("enable.auto.commit", "false");
    p.put("fetch.max.bytes", "52428800");
    p.put("max.partition.fetch.bytes", "52428800");
    p.put("isolation.level", "read_uncommitted");
    p.putAll(EXTRA);
    StringBuilder out = new StringBuilder();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
      List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(30));
      if (infos == null || infos.isEmpty()) throw new IllegalStateException("topic " + topic + " has no partitions");
      List<TopicPartition> parts = new ArrayList<>();
      for (PartitionInfo i : infos) parts.add(new TopicPartition(topic, i.partition()));
      parts.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = new HashMap<>(c.endOffsets(parts, Duration.ofSeconds(30)));
      long deadline = System.currentTimeMillis() + 120_000;
      Map<Integer, List<String>> byPartition = new HashMap<>();
      while (!done(c, end)) {
        if (System.currentTimeMillis() > deadline) throw new IllegalStateException("timed out before the end offsets " + end);
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          byPartition.computeIfAbsent(r.partition(), k -> new ArrayList<>()).add(json(r));
        }
      }
      for (TopicPartition tp : parts) {
        for (String line : byPartition.getOrDefault(tp.partition(), List.of())) out.append(line).append('\n');
      }
    }
    System.out.write(out.toString().getBytes(StandardCharsets.UTF_8));
    System.out.flush();
  }

  static boolean done(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (c.position(e.getKey()) < e.getValue()) return false;
    }
    return true;
  }

  static void produce(String brokers, String topic, String schema) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", brokers);
    p.put("key.serializer", ByteArraySerializer.class.getName());
    p.put("value.serializer", ByteArraySerializer.class.getName());
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.putAll(EXTRA);
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> prod = new KafkaProducer<>(p);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isEmpty()) continue;
        int tab = line.indexOf('\t');
        byte[] key = tab < 0 ? null : line.substring(0, tab).getBytes(StandardCharsets.UTF_8);
        byte[] value = (tab < 0 ? line : line.substring(tab + 1)).getBytes(StandardCharsets.UTF_8);
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, key, value);
        r.headers().add("schema", schema.getBytes(StandardCharsets.UTF_8));
        sent.add(prod.send(r));
      }
      prod.flush();
      for (Future<RecordMetadata> f : sent) f.get();
    }
  }

  static String json(ConsumerRecord<byte[], byte[]> r) {
    StringBuilder b = new StringBuilder(256);
    b.append("{\"topic\":").append(str(r.topic()));
    b.append(",\"partition\":").append(r.partition());
    b.append(",\"offset\":").append(r.offset());
    b.append(",\"key\":").append(r.key() == null ? "null" : str(new String(r.key(), StandardCharsets.UTF_8)));
    b.append(",\"payload\":").append(r.value() == null ? "null" : str(new String(r.value(), StandardCharsets.UTF_8)));
    b.append(",\"headers\":");
    Header[] hs = r.headers().toArray();
    if (hs.length == 0) {
      b.append("null");
    } else {
      b.append('[');
      for (int i = 0; i < hs.length; i++) {
        if (i > 0) b.append(',');
        b.append(str(hs[i].key())).append(',');
        b.append(hs[i].value() == null ? "null" : str(new String(hs[i].value(), StandardCharsets.UTF_8)));
      }
      b.append(']');
    }
    return b.append('}').toString();
  }

  static String str(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '"': b.append("\\\""); break;
        case '\\': b.append("\\\\"); break;
        case '\n': b.append("\\n"); break;
        case '\r': b.append("\\r"); break;
        case '\t': b.append("\\t"); break;
        default:
          if (ch < 0x20) b.append(String.format("\\u%04x", (int) ch));
          else b.append(ch);
      }
    }
    return b.append('"').toString();
  }
}
