package dev.newstape.flink;

import dev.newstape.flink.model.Article;
import dev.newstape.flink.model.Bar;
import dev.newstape.flink.model.Impact;
import dev.newstape.flink.model.Reject;
import dev.newstape.flink.v2.V2;
import dev.newstape.flink.v2.V2Json;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.io.IOException;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Upsert statements (natural keys, so a replay after a restart rewrites rows instead of adding them) and the
 * signals producer. Times go in as epoch ms and become timestamptz in SQL, which avoids JVM time-zone effects.
 */
public final class Sinks {
  private Sinks() {}

  static final String TS = "to_timestamp(?::bigint / 1000.0)";

  public static final String BARS_UPSERT = "INSERT INTO bars_1m (symbol, start_time, end_time, source, open, high, low,"
      + " close, volume, vwap, trades, complete) VALUES (?, " + TS + ", " + TS + ", ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      + " ON CONFLICT (symbol, start_time, source) DO UPDATE SET end_time = EXCLUDED.end_time, open = EXCLUDED.open,"
      + " high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close, volume = EXCLUDED.volume,"
      + " vwap = EXCLUDED.vwap, trades = EXCLUDED.trades, complete = EXCLUDED.complete, updated_at = now()";

  public static final String NEWS_UPSERT = "INSERT INTO news (id, published, updated, title, url, section, type,"
      + " trail_text, tickers, query, received_at, stale) VALUES (?, " + TS + ", " + TS + ", ?, ?, ?, ?, ?,"
      + " string_to_array(?, ','), ?, " + TS + ", ?) ON CONFLICT (id) DO UPDATE SET published = EXCLUDED.published,"
      + " updated = EXCLUDED.updated, title = EXCLUDED.title, url = EXCLUDED.url, section = EXCLUDED.section,"
      + " type = EXCLUDED.type, trail_text = EXCLUDED.trail_text, tickers = EXCLUDED.tickers, query = EXCLUDED.query,"
      + " received_at = LEAST(news.received_at, EXCLUDED.received_at), stale = EXCLUDED.stale, updated_at = now()";

  // A replayed early record never overwrites a final one.
  public static final String IMPACT_UPSERT = "INSERT INTO news_impact (article_id, symbol, published, p0, ret1, ret5,"
      + " ret15, sigma, z1, z5, z15, rvol5, signal, latency_ms, stale, final, origin, as_of) VALUES (?, ?, " + TS
      + ", ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'flink', " + TS + ") ON CONFLICT (article_id, symbol) DO UPDATE SET"
      + " published = EXCLUDED.published, p0 = EXCLUDED.p0, ret1 = EXCLUDED.ret1, ret5 = EXCLUDED.ret5,"
      + " ret15 = EXCLUDED.ret15, sigma = EXCLUDED.sigma, z1 = EXCLUDED.z1, z5 = EXCLUDED.z5, z15 = EXCLUDED.z15,"
      + " rvol5 = EXCLUDED.rvol5, signal = EXCLUDED.signal, latency_ms = EXCLUDED.latency_ms, stale = EXCLUDED.stale,"
      + " final = EXCLUDED.final, as_of = EXCLUDED.as_of, updated_at = now()"
      + " WHERE NOT news_impact.final OR EXCLUDED.final";

  /**
   * v2 rows (docs/impact-v2.md). A replayed earlier record never overwrites a later one (as_of) nor a final one.
   */
  public static final String IMPACT_V2_UPSERT = "INSERT INTO news_impact (article_id, symbol, published, p0, ret1, ret5,"
      + " ret15, sigma, z1, z5, z15, rvol5, signal, latency_ms, stale, final, origin, as_of, received_at, source, beta,"
      + " adjusted, sigma_realised, sigma_floor, ar1, ar5, ar15, quiet1, quiet5, quiet15, rvol_basis, detected_at,"
      + " confirmed, alert_at, move_id, settings, schema_version) VALUES (?, ?, " + TS + ", ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
      + " ?, ?, ?, 'flink', " + TS + ", " + TS + ", ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " + TS + ", ?, " + TS + ", ?,"
      + " ?::jsonb, 'news-impact/v2') ON CONFLICT (article_id, symbol) DO UPDATE SET published = EXCLUDED.published,"
      + " p0 = EXCLUDED.p0, ret1 = EXCLUDED.ret1, ret5 = EXCLUDED.ret5, ret15 = EXCLUDED.ret15, sigma = EXCLUDED.sigma,"
      + " z1 = EXCLUDED.z1, z5 = EXCLUDED.z5, z15 = EXCLUDED.z15, rvol5 = EXCLUDED.rvol5, signal = EXCLUDED.signal,"
      + " latency_ms = EXCLUDED.latency_ms, stale = EXCLUDED.stale, final = EXCLUDED.final, origin = EXCLUDED.origin,"
      + " as_of = EXCLUDED.as_of, received_at = EXCLUDED.received_at, source = EXCLUDED.source, beta = EXCLUDED.beta,"
      + " adjusted = EXCLUDED.adjusted, sigma_realised = EXCLUDED.sigma_realised, sigma_floor = EXCLUDED.sigma_floor,"
      + " ar1 = EXCLUDED.ar1, ar5 = EXCLUDED.ar5, ar15 = EXCLUDED.ar15, quiet1 = EXCLUDED.quiet1,"
      + " quiet5 = EXCLUDED.quiet5, quiet15 = EXCLUDED.quiet15, rvol_basis = EXCLUDED.rvol_basis,"
      + " detected_at = EXCLUDED.detected_at, confirmed = EXCLUDED.confirmed, alert_at = EXCLUDED.alert_at,"
      + " move_id = EXCLUDED.move_id, settings = EXCLUDED.settings, schema_version = EXCLUDED.schema_version,"
      + " updated_at = now() WHERE (NOT news_impact.final OR EXCLUDED.final) AND news_impact.as_of <= EXCLUDED.as_of";

  public static final String MOVES_UPSERT = "INSERT INTO move_alerts (id, symbol, window_start, detected_at, direction,"
      + " size, z, sigma, beta, adjusted, price, headlines, proxy, z_move, origin) VALUES (?, ?, " + TS + ", " + TS
      + ", ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'flink') ON CONFLICT (id) DO UPDATE SET symbol = EXCLUDED.symbol,"
      + " window_start = EXCLUDED.window_start, detected_at = EXCLUDED.detected_at, direction = EXCLUDED.direction,"
      + " size = EXCLUDED.size, z = EXCLUDED.z, sigma = EXCLUDED.sigma, beta = EXCLUDED.beta,"
      + " adjusted = EXCLUDED.adjusted, price = EXCLUDED.price, headlines = EXCLUDED.headlines, proxy = EXCLUDED.proxy,"
      + " z_move = EXCLUDED.z_move, updated_at = now()"
      // A replayed alert with fewer linked headlines never shortens the list.
      + " WHERE cardinality(EXCLUDED.headlines) >= cardinality(move_alerts.headlines)";

  public static final String REJECT_UPSERT = "INSERT INTO ingest_rejects (topic, partition, kafka_offset, error, raw)"
      + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (topic, partition, kafka_offset) DO NOTHING";

  /** A nullable DOUBLE parameter (shared by every upsert that has optional numbers). */
  public static void dbl(PreparedStatement ps, int i, Double v) throws SQLException {
    if (v == null) ps.setNull(i, Types.DOUBLE);
    else ps.setDouble(i, v);
  }

  public static final JdbcStatementBuilder<Bar> BARS = (ps, b) -> {
    ps.setString(1, b.symbol);
    ps.setLong(2, b.start);
    ps.setLong(3, b.end);
    ps.setString(4, b.source);
    ps.setDouble(5, b.open);
    ps.setDouble(6, b.high);
    ps.setDouble(7, b.low);
    ps.setDouble(8, b.close);
    ps.setDouble(9, b.volume);
    ps.setDouble(10, b.vwap);
    ps.setLong(11, b.trades);
    ps.setBoolean(12, b.complete);
  };

  public static final JdbcStatementBuilder<Article> NEWS = (ps, a) -> {
    ps.setString(1, a.id);
    ps.setLong(2, a.published);
    ps.setLong(3, a.updated);
    ps.setString(4, a.title);
    ps.setString(5, a.url);
    ps.setString(6, a.section);
    ps.setString(7, a.type);
    ps.setString(8, a.trailText);
    ps.setString(9, String.join(",", a.tickers));
    ps.setString(10, a.query);
    ps.setLong(11, a.receivedAt);
    ps.setBoolean(12, a.stale);
  };

  public static final JdbcStatementBuilder<Impact> IMPACT = (ps, r) -> {
    ps.setString(1, r.articleId);
    ps.setString(2, r.symbol);
    ps.setLong(3, r.published);
    dbl(ps, 4, r.p0);
    dbl(ps, 5, r.ret1);
    dbl(ps, 6, r.ret5);
    dbl(ps, 7, r.ret15);
    dbl(ps, 8, r.sigma);
    dbl(ps, 9, r.z1);
    dbl(ps, 10, r.z5);
    dbl(ps, 11, r.z15);
    dbl(ps, 12, r.rvol5);
    ps.setString(13, r.signal);
    ps.setLong(14, r.latencyMs);
    ps.setBoolean(15, r.stale);
    ps.setBoolean(16, r.fin);
    ps.setLong(17, r.asOf);
  };

  static void ts(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) ps.setNull(i, Types.BIGINT);
    else ps.setLong(i, v);
  }

  static void bool(PreparedStatement ps, int i, Boolean v) throws SQLException {
    if (v == null) ps.setNull(i, Types.BOOLEAN);
    else ps.setBoolean(i, v);
  }

  public static final JdbcStatementBuilder<V2.ImpactRecord> IMPACT_V2 = (ps, r) -> {
    ps.setString(1, r.articleId);
    ps.setString(2, r.symbol);
    ps.setLong(3, r.published);
    dbl(ps, 4, r.p0);
    dbl(ps, 5, r.ret1);
    dbl(ps, 6, r.ret5);
    dbl(ps, 7, r.ret15);
    dbl(ps, 8, r.sigma);
    dbl(ps, 9, r.z1);
    dbl(ps, 10, r.z5);
    dbl(ps, 11, r.z15);
    dbl(ps, 12, r.rvol5);
    ps.setString(13, r.signal);
    ps.setLong(14, r.latencyMs);
    ps.setBoolean(15, r.stale);
    ps.setBoolean(16, r.fin);
    ps.setLong(17, r.asOf);
    ps.setLong(18, r.receivedAt);
    ps.setString(19, r.source);
    ps.setDouble(20, r.beta);
    ps.setBoolean(21, r.adjusted);
    dbl(ps, 22, r.sigmaRealised);
    dbl(ps, 23, r.sigmaFloor);
    dbl(ps, 24, r.ar1);
    dbl(ps, 25, r.ar5);
    dbl(ps, 26, r.ar15);
    bool(ps, 27, r.quiet1);
    bool(ps, 28, r.quiet5);
    bool(ps, 29, r.quiet15);
    ps.setString(30, r.rvolBasis);
    ts(ps, 31, r.detectedAt);
    bool(ps, 32, r.confirmed);
    ts(ps, 33, r.alertAt);
    ps.setString(34, r.move);
    ps.setString(35, V2Json.settings(r.settings).toString());
  };

  public static final JdbcStatementBuilder<V2.MoveAlert> MOVES = (ps, a) -> {
    ps.setString(1, a.id);
    ps.setString(2, a.symbol);
    ps.setLong(3, a.windowStart);
    ps.setLong(4, a.detectedAt);
    ps.setString(5, a.direction);
    ps.setDouble(6, a.size);
    ps.setDouble(7, a.z);
    ps.setDouble(8, a.sigma);
    ps.setDouble(9, a.beta);
    ps.setBoolean(10, a.adjusted);
    ps.setDouble(11, a.price);
    ps.setArray(12, ps.getConnection().createArrayOf("text", a.headlines.toArray()));
    ps.setString(13, a.proxy);
    ps.setDouble(14, a.zMove);
  };

  public static final JdbcStatementBuilder<Reject> REJECTS = (ps, r) -> {
    ps.setString(1, r.topic);
    ps.setInt(2, r.partition);
    ps.setLong(3, r.offset);
    ps.setString(4, r.error);
    ps.setString(5, r.raw);
  };

  /**
   * An at-least-once sink as its writer alone. JdbcSink and KafkaSink always declare a committer, but at least once
   * they never produce a committable (the writer's flush before each checkpoint is the delivery), so the committer
   * operator Flink adds for them only snapshots an empty collector. In Flink 2.0 that snapshot copies the collector,
   * and the copy registers the committer's {@code pendingCommittables} gauge again (FLINK-35321): one "Name collision:
   * Group already contains a Metric with the name 'pendingCommittables'" WARN per sink per checkpoint. Without the
   * committer there is nothing to collide. Exactly-once sinks must not be wrapped (their commit is the delivery).
   */
  public static <T> Sink<T> writerOnly(Sink<T> sink) {
    return new WriterOnly<>(sink);
  }

  static final class WriterOnly<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;
    final Sink<T> inner;

    WriterOnly(Sink<T> inner) {
      this.inner = inner;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
      return inner.createWriter(context);
    }
  }

  public static <T> Sink<T> jdbc(JobConfig cfg, String sql, JdbcStatementBuilder<T> builder) {
    JdbcConnectionOptions conn = new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
        .withUrl(cfg.jdbcUrl())
        .withDriverName("org.postgresql.Driver")
        .withUsername(cfg.pgUser())
        .withPassword(cfg.pgPassword())
        .build();
    JdbcExecutionOptions exec = JdbcExecutionOptions.builder()
        .withBatchSize(500)
        .withBatchIntervalMs(200)
        .withMaxRetries(5)
        .build();
    return writerOnly(JdbcSink.<T>builder().withQueryStatement(sql, builder).withExecutionOptions(exec).buildAtLeastOnce(conn));
  }

  public static final String SCHEMA_HEADER = "news-impact/v1";
  public static final String SCHEMA_HEADER_V2 = "news-impact/v2";
  public static final String MOVE_HEADER = "move/v1";

  static RecordHeaders schemaHeader(String value) {
    RecordHeaders h = new RecordHeaders();
    h.add(new RecordHeader("schema", value.getBytes(StandardCharsets.UTF_8)));
    return h;
  }

  /** ImpactRecordV2 JSON to signals.news-impact, key {@code <articleId>|<symbol>}, header schema=news-impact/v2. */
  public static KafkaRecordSerializationSchema<V2.ImpactRecord> impactV2Serializer(String topic) {
    return (r, ctx, ts) -> new ProducerRecord<>(topic, null, null, r.key().getBytes(StandardCharsets.UTF_8),
        V2Json.bytes(V2Json.impact(r)), schemaHeader(SCHEMA_HEADER_V2));
  }

  /**
   * MoveAlert JSON to signals.moves, key = the move's id {@code <symbol>|<detectedAt>} (docs/architecture.md topic
   * table: a re-send when a headline links replaces the record by key; the app rejects any other key), header move/v1.
   */
  public static KafkaRecordSerializationSchema<V2.MoveAlert> moveSerializer(String topic) {
    return (a, ctx, ts) -> new ProducerRecord<>(topic, null, null, a.id.getBytes(StandardCharsets.UTF_8),
        V2Json.bytes(V2Json.move(a)), schemaHeader(MOVE_HEADER));
  }

  static <T> Sink<T> kafka(JobConfig cfg, KafkaRecordSerializationSchema<T> ser) {
    return writerOnly(KafkaSink.<T>builder()
        .setBootstrapServers(cfg.brokers())
        .setRecordSerializer(ser)
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE) // stable keys: duplicates are harmless
        .setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
        .setProperty(ProducerConfig.LINGER_MS_CONFIG, "20")
        .setKafkaProducerConfig(cfg.kafkaProperties()) // TLS/SASL (JobConfig.kafkaClientProps)
        .build());
  }

  public static Sink<V2.ImpactRecord> signalsV2(JobConfig cfg) {
    return kafka(cfg, impactV2Serializer(cfg.topic("signals.news-impact")));
  }

  public static Sink<V2.MoveAlert> moves(JobConfig cfg) {
    return kafka(cfg, moveSerializer(cfg.topic("signals.moves")));
  }

  /** ImpactRecord JSON to signals.news-impact, key {@code <articleId>|<symbol>}, header schema=news-impact/v1. */
  public static KafkaRecordSerializationSchema<Impact> impactSerializer(String topic) {
    return (r, ctx, ts) -> {
      RecordHeaders h = new RecordHeaders();
      h.add(new RecordHeader("schema", SCHEMA_HEADER.getBytes(StandardCharsets.UTF_8)));
      return new ProducerRecord<>(topic, null, null, r.key().getBytes(StandardCharsets.UTF_8), Codec.impactJson(r), h);
    };
  }

  public static Sink<Impact> signals(JobConfig cfg) {
    return writerOnly(KafkaSink.<Impact>builder()
        .setBootstrapServers(cfg.brokers())
        .setRecordSerializer(impactSerializer(cfg.topic("signals.news-impact")))
        // Keys are stable, so at-least-once duplicates are harmless (docs/architecture.md, "Kafka topics") and need no transactions.
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
        .setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
        .setProperty(ProducerConfig.LINGER_MS_CONFIG, "20")
        .setKafkaProducerConfig(cfg.kafkaProperties()) // TLS/SASL (JobConfig.kafkaClientProps)
        .build());
  }
}
