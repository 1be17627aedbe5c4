package dev.newstape.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.newstape.flink.history.HistoryConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, "checkpointing on; a restart neither loses nor doubles rows": the whole job (archive left out) on a
 * mini cluster against the real Kafka broker and the real PostgreSQL. The recorded session goes in over three
 * steps — part A; once a checkpoint covers it, part B and, as soon as the job has written some of B, a cancel (so
 * B is mostly after the last checkpoint and gets replayed); then part C while the job is down — and the job
 * restarts the way {@link NewstapeJob#main} does: {@code RESTORE=true} restores the newest retained checkpoint.
 * Once everything is read and checkpointed (the group's committed offsets reach the end), a stop-with-savepoint
 * that drains event time closes every minute and impact horizon, as the end of a bounded run does.
 *
 * <p>Then the PostgreSQL rows (bars_1m, news, news_impact, ingest_rejects; every column but the write times) equal
 * those of an uninterrupted bounded run over the same topics into a second schema, the bars also equal the plain
 * loop over the recording, and on signals.news-impact every key carries the same distinct records as in the
 * uninterrupted run: repeats after the restore are exact copies, never a second version.
 */
class KafkaPostgresRestoreTest {
  static final List<String> INPUTS = Services.SCHEMA_HEADERS.keySet().stream().sorted().toList();

  static String brokers;
  static Services.Pg pg;
  static String run;
  static String prefix;
  static String schema;
  static String refSchema;
  static List<JsonNode> lines;
  @TempDir static Path tmp;

  @BeforeAll
  static void setUp() throws Exception {
    brokers = Services.brokers();
    pg = Services.postgres();
    run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    prefix = "flinkrestore-" + run + ".";
    schema = "flink_restore_" + run;
    refSchema = "flink_restore_ref_" + run;
    lines = Services.session();
    Services.createTopics(brokers, prefix);
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (pg != null && schema != null) {
      try (Connection c = pg.connect(); Statement st = c.createStatement()) {
        st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        st.execute("DROP SCHEMA IF EXISTS " + refSchema + " CASCADE");
      }
    }
    if (brokers != null && prefix != null) {
      Services.deleteTopics(brokers, prefix);
    }
  }

  static Admin admin() {
    return Services.admin(brokers);
  }

  static void produce(List<JsonNode> part) throws Exception {
    Services.produce(brokers, prefix, part);
  }

  static JobConfig config(String group, String pgSchema, Path checkpoints, boolean bounded) {
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BROKERS", brokers);
    env.put("TOPIC_PREFIX", prefix);
    env.put("KAFKA_GROUP_ID", group);
    env.put("PG_URL", pg.url());
    env.put("PG_USER", pg.user());
    env.put("PG_SCHEMA", pgSchema);
    env.put("CHECKPOINT_DIR", checkpoints.toUri().toString());
    env.put("CHECKPOINT_INTERVAL_MS", "500");
    env.put("BOUNDED", Boolean.toString(bounded));
    env.put("RESTORE", "true");
    env.put("PARALLELISM", "2");
    return JobConfig.from(env, new String[0]);
  }

  static final HistoryConfig NO_ARCHIVE = HistoryConfig.from(Map.of("ICEBERG_ENABLED", "false"), new String[0]);

  static StreamExecutionEnvironment job(JobConfig cfg) throws Exception {
    Schema.apply(cfg);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(NewstapeJob.configuration(cfg));
    NewstapeJob.build(env, cfg, NO_ARCHIVE);
    return env;
  }

  /** End offsets of the input topics. */
  static Map<TopicPartition, Long> ends(Admin admin) throws Exception {
    Map<TopicPartition, OffsetSpec> q = new HashMap<>();
    for (String t : INPUTS) {
      int n = admin.describeTopics(List.of(prefix + t)).allTopicNames().get().get(prefix + t).partitions().size();
      for (int i = 0; i < n; i++) q.put(new TopicPartition(prefix + t, i), OffsetSpec.latest());
    }
    Map<TopicPartition, Long> out = new HashMap<>();
    admin.listOffsets(q).all().get().forEach((tp, r) -> out.put(tp, r.offset()));
    return out;
  }

  /** Whether the group's committed offsets (committed when a checkpoint completes) reached every end offset. */
  static boolean checkpointed(Admin admin, String group, Map<TopicPartition, Long> ends) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
      if (e.getValue() == 0) continue;
      OffsetAndMetadata c = committed.get(e.getKey());
      if (c == null || c.offset() < e.getValue()) return false;
    }
    return true;
  }

  static void await(String what, JobClient job, BooleanSupplier done) throws Exception {
    long deadline = System.currentTimeMillis() + 90_000;
    while (!done.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) fail("timed out waiting for " + what);
      if (job.getJobStatus().get().isGloballyTerminalState()) fail("job ended while waiting for " + what + ": "
          + job.getJobStatus().get());
      Thread.sleep(100);
    }
  }

  interface Check {
    boolean get() throws Exception;
  }

  static BooleanSupplier unchecked(Check c) {
    return () -> {
      try {
        return c.get();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }

  static long lastTradeMinute(List<JsonNode> part) {
    long m = 0;
    for (JsonNode l : part)
      if (l.get("topic").asText().equals("market.trades") && l.has("value"))
        m = Math.max(m, Math.floorDiv(l.get("value").get("ts").asLong(), 60_000L) * 60_000L);
    return m;
  }

  /** N of the newest retained chk-N (0 when none). */
  static long checkpointNumber(JobConfig cfg) {
    return NewstapeJob.latestCheckpoint(cfg.checkpointDir())
        .map(p -> Long.parseLong(p.getFileName().toString().substring("chk-".length()))).orElse(0L);
  }

  static long maxFlinkBarStart(String s) throws Exception {
    List<Map<String, Object>> r = query(s, "SELECT coalesce(max((extract(epoch FROM start_time) * 1000)::bigint), 0) AS m"
        + " FROM bars_1m WHERE source = 'flink'");
    return ((Number) r.get(0).get("m")).longValue();
  }

  @Test
  void cancelAndRestoreFromTheLastCheckpointNeitherLosesNorDoublesRows() throws Exception {
    int cutA = lines.size() * 55 / 100, cutB = lines.size() * 65 / 100;
    List<JsonNode> partA = lines.subList(0, cutA), partB = lines.subList(cutA, cutB), partC = lines.subList(cutB, lines.size());
    long lastMinuteOfA = lastTradeMinute(partA), lastMinuteOfB = lastTradeMinute(partB);
    assertTrue(lastMinuteOfB > lastMinuteOfA, "part B has trades of later minutes");
    String group = "restore-" + run;
    Path chk = tmp.resolve("chk");
    JobConfig cfg = config(group, schema, chk, false);

    // 1. Part A; once the job has written it and two more checkpoints completed (the second was triggered after
    // the first completed, so after A was read), part B; a cancel as soon as the job has written some of B.
    produce(partA);
    StreamExecutionEnvironment first = job(cfg);
    assertFalse(NewstapeJob.latestCheckpoint(cfg.checkpointDir()).isPresent(), "a fresh checkpoint folder");
    long t0 = System.nanoTime();
    JobClient job1 = first.executeAsync("newstape-restore-1");
    await("bars of part A in PostgreSQL", job1, unchecked(() -> maxFlinkBarStart(schema) >= lastMinuteOfA));
    long seen = checkpointNumber(cfg);
    await("two more checkpoints", job1, () -> checkpointNumber(cfg) >= seen + 2);
    produce(partB);
    await("bars of part B in PostgreSQL", job1, unchecked(() -> maxFlinkBarStart(schema) >= lastMinuteOfB));
    job1.cancel().get(60, TimeUnit.SECONDS);
    ExecutionException cancelled = assertThrows(ExecutionException.class, () -> job1.getJobExecutionResult().get());
    assertTrue(cancelled.getCause().toString().contains("cancel"), "ended by the cancel: " + cancelled.getCause());

    // 2. Part C while the job is down; the restart restores the newest retained checkpoint, as main() does.
    produce(partC);
    Optional<Path> restoredFrom = NewstapeJob.latestCheckpoint(cfg.checkpointDir());
    assertTrue(restoredFrom.isPresent(), "a retained checkpoint under " + chk);
    StreamExecutionEnvironment second = job(cfg);
    assertEquals(restoredFrom.get().toString(), second.getConfiguration()
        .get(org.apache.flink.configuration.StateRecoveryOptions.SAVEPOINT_PATH), "restores the newest checkpoint");
    JobClient job2 = second.executeAsync("newstape-restore-2");
    try (Admin admin = admin()) {
      Map<TopicPartition, Long> all = ends(admin);
      await("a checkpoint covering everything", job2, unchecked(() -> checkpointed(admin, group, all)));
    }
    // Drain: sources stop, event time goes to the end, every timer fires, and the sinks flush.
    job2.stopWithSavepoint(true, tmp.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
        .get(90, TimeUnit.SECONDS);
    job2.getJobExecutionResult().get(90, TimeUnit.SECONDS);
    long restoredSignals = endOffset(prefix + "signals.news-impact");
    long t1 = System.nanoTime();

    // 3. The uninterrupted run over the same topics: a fresh group, a second schema, no checkpoint to restore.
    JobConfig ref = config("restore-ref-" + run, refSchema, tmp.resolve("chk-ref"), true);
    job(ref).execute("newstape-restore-reference");
    System.out.printf("restore test: cancelled after %s, restored it; interrupted run %.1f s, uninterrupted run %.1f s%n",
        restoredFrom.get().getFileName(), (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);

    for (String table : List.of("bars_1m", "news", "news_impact", "ingest_rejects")) {
      Map<String, Map<String, Object>> got = rows(schema, table), want = rows(refSchema, table);
      assertFalse(want.isEmpty(), table + " has rows in the uninterrupted run");
      assertEquals(want.keySet(), got.keySet(), table + ": the same rows (none missing, none extra) after the restore");
      for (String k : want.keySet()) assertEquals(want.get(k), got.get(k), table + " row " + k);
    }
    // Bars: also the plain loop over the recording (so both runs are right, not just alike).
    Map<String, double[]> expBars = KafkaPostgresIntegrationTest.referenceBars(lines);
    Map<String, Map<String, Object>> bars = new TreeMap<>();
    for (Map<String, Object> r : query(schema, "SELECT symbol, (extract(epoch FROM start_time) * 1000)::bigint AS start_ms,"
        + " open, high, low, close, volume, vwap, trades, complete FROM bars_1m WHERE source = 'flink'"))
      bars.put(r.get("symbol") + "@" + r.get("start_ms"), r);
    assertEquals(expBars.keySet(), bars.keySet());
    String[] cols = {"open", "high", "low", "close", "volume", "vwap", "trades"};
    for (Map.Entry<String, double[]> e : expBars.entrySet()) {
      for (int i = 0; i < cols.length; i++)
        KafkaPostgresIntegrationTest.assertClose(e.getValue()[i], bars.get(e.getKey()).get(cols[i]), e.getKey() + " " + cols[i]);
      assertEquals(Boolean.TRUE, bars.get(e.getKey()).get("complete"), e.getKey());
    }

    // Signals: per key, the restored run's distinct records are the uninterrupted run's; the last one is final.
    List<ConsumerRecord<byte[], byte[]>> signals = readAll(prefix + "signals.news-impact");
    Map<String, List<String>> got = new TreeMap<>(), want = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> r : signals)
      (r.offset() < restoredSignals ? got : want).computeIfAbsent(new String(r.key(), StandardCharsets.UTF_8),
          k -> new ArrayList<>()).add(new String(r.value(), StandardCharsets.UTF_8));
    assertFalse(want.isEmpty(), "the uninterrupted run sent signals");
    assertEquals(want.keySet(), got.keySet(), "signal keys");
    for (String k : want.keySet()) {
      Set<String> distinctGot = new LinkedHashSet<>(got.get(k)), distinctWant = new LinkedHashSet<>(want.get(k));
      assertEquals(distinctWant.size(), distinctGot.size(), k + ": one version per stage, repeats only as exact copies: "
          + got.get(k));
      assertEquals(distinctWant, distinctGot, k + ": the same records as the uninterrupted run");
      List<String> g = got.get(k);
      JsonNode last = Codec.MAPPER.readTree(g.get(g.size() - 1));
      assertTrue(last.get("final").asBoolean(), k + ": the last signal is final");
    }
  }

  /** Every row of a table keyed by its natural key, every column but the write times. */
  static Map<String, Map<String, Object>> rows(String s, String table) throws Exception {
    String key = switch (table) {
      case "bars_1m" -> "symbol || '@' || start_time || '@' || source";
      case "news" -> "id";
      case "news_impact" -> "article_id || '|' || symbol";
      case "ingest_rejects" -> "partition || '@' || kafka_offset";
      default -> throw new IllegalArgumentException(table);
    };
    Map<String, Map<String, Object>> out = new TreeMap<>();
    for (Map<String, Object> r : query(s, "SELECT " + key + " AS k, * FROM " + table)) {
      r.remove("updated_at");
      if (table.equals("ingest_rejects")) r.remove("received_at");
      Object k = r.remove("k");
      assertNotNull(k);
      if (out.put(k.toString(), r) != null) fail(table + ": two rows for " + k);
    }
    return out;
  }

  static List<Map<String, Object>> query(String s, String sql) throws Exception {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Connection c = pg.connect(s); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          Object v = rs.getObject(i);
          row.put(md.getColumnLabel(i), v instanceof java.sql.Array a ? List.of((Object[]) a.getArray()) : v);
        }
        rows.add(row);
      }
    }
    return rows;
  }

  static long endOffset(String topic) {
    try (KafkaConsumer<byte[], byte[]> c = consumer()) {
      TopicPartition tp = new TopicPartition(topic, 0);
      return c.endOffsets(List.of(tp)).get(tp);
    }
  }

  static KafkaConsumer<byte[], byte[]> consumer() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = consumer()) {
      List<TopicPartition> parts = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) c.poll(Duration.ofMillis(500)).forEach(out::add);
    }
    return out;
  }
}
