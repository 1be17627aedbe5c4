package dev.newstape.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/**
 * The at-least-once sinks run without a committer operator: Flink 2.0's committer re-registers its
 * pendingCommittables gauge on every checkpoint (FLINK-35321), a "Name collision" WARN per sink per checkpoint.
 */
class SinksTest {
  private final JobConfig cfg = JobConfig.from(Map.of(), new String[0]);

  @Test
  void atLeastOnceSinksDeclareNoCommitter() {
    assertFalse(Sinks.jdbc(cfg, Sinks.BARS_UPSERT, Sinks.BARS) instanceof SupportsCommitter);
    assertFalse(Sinks.signals(cfg) instanceof SupportsCommitter);
  }

  @Test
  void theJobGraphHasWritersAndNoCommitters() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    NewstapeJob.build(env, cfg);
    StreamGraph graph = env.getStreamGraph();
    var names = graph.getStreamNodes().stream().map(StreamNode::getOperatorName).collect(Collectors.toList());
    assertTrue(names.stream().anyMatch(n -> n.contains("pg bars_1m")), names::toString);
    // Sink V2 committer operators are named "<sink>: Committer" (Iceberg's own IcebergFilesCommitter is another kind).
    assertEquals(0, names.stream().filter(n -> n.endsWith(": Committer")).count(), names::toString);
    // bars, news, news_impact, signals.news-impact, move_alerts, signals.moves, ingest_rejects
    assertEquals(7, names.stream().filter(n -> n.endsWith(": Writer") && !n.startsWith("iceberg")).count(), names::toString);
    // Every sink writer keeps a name of its own (no two operators share one).
    assertEquals(names.size(), StreamSupport.stream(names.spliterator(), false).distinct().count(), names::toString);
  }
}
