package dev.newstape.flink.history;

import dev.newstape.flink.model.Article;
import dev.newstape.flink.model.Bar;
import dev.newstape.flink.model.Impact;
import dev.newstape.flink.model.Trade;
import dev.newstape.flink.v2.V2;
import java.nio.ByteBuffer;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.iceberg.DistributionMode;
import org.apache.iceberg.flink.sink.FlinkSink;

/**
 * Appends the job's streams to the Iceberg archive with Iceberg's {@link FlinkSink}. Writers roll data files at
 * each checkpoint; the single committer commits them as one Iceberg snapshot per checkpoint and records the Flink
 * job id and checkpoint id in the snapshot summary. Pending files live in the committer's Flink state, so after a
 * restore they are committed exactly once (already-committed checkpoints are recognised by the recorded id), and
 * files written after the last checkpoint are never committed (the sources replay those records). That is the
 * exactly-once guarantee; it needs checkpointing on (without it, data lands only when a bounded input ends).
 *
 * <p>Why not the newer Sink-V2 {@code IcebergSink} (1.10.1 on Flink 2.0.1): with checkpointing on, a bounded input
 * lost the committables of its final checkpoint in our tests (only the first checkpoint's rows were committed).
 * The v1 sink ships DataFiles from writer to committer through Kryo; {@link ByteBufferKryoSerializer} spares the
 * JVM an {@code --add-opens java.base/java.nio} for that.
 *
 * <p>Operator uids are fixed ({@code iceberg-<table>...}) so a job restores its sink state from a checkpoint.
 */
public final class Archive {
  private Archive() {}

  /** Creates missing tables and appends all four streams. Does nothing when the archive is disabled. */
  public static void attach(HistoryConfig cfg, DataStream<Trade> trades, DataStream<Bar> bars,
      DataStream<Article> articles, DataStream<V2.ImpactRecord> impact) {
    if (!cfg.enabled()) return;
    ArchiveTables.ensure(cfg);
    trades(cfg, trades);
    bars(cfg, bars);
    news(cfg, articles);
    impactV2(cfg, impact);
  }

  public static DataStreamSink<Void> trades(HistoryConfig cfg, DataStream<Trade> in) {
    return append(cfg, ArchiveTables.TRADES, in, ArchiveRows::trade);
  }

  /** Only complete bars: the early updates of an open minute are for live dashboards, not history. */
  public static DataStreamSink<Void> bars(HistoryConfig cfg, DataStream<Bar> in) {
    DataStream<Bar> complete = in.filter(b -> b.complete).name("iceberg bars complete").uid("iceberg-bars_1m-complete");
    return append(cfg, ArchiveTables.BARS, complete, ArchiveRows::bar);
  }

  public static DataStreamSink<Void> news(HistoryConfig cfg, DataStream<Article> in) {
    return append(cfg, ArchiveTables.NEWS, in, ArchiveRows::article);
  }

  /** Every emission (t0, +1, +5, +15 final) is kept; readers pick {@code final} rows, see HistoryJob. */
  public static DataStreamSink<Void> impact(HistoryConfig cfg, DataStream<Impact> in) {
    return append(cfg, ArchiveTables.IMPACT, in, ArchiveRows::impact);
  }

  /** The job's v2 records, every column (the same operator uids as {@link #impact}: one sink per table). */
  public static DataStreamSink<Void> impactV2(HistoryConfig cfg, DataStream<V2.ImpactRecord> in) {
    return append(cfg, ArchiveTables.IMPACT, in, ArchiveRows::impactV2);
  }

  /** Lets Iceberg's DataFiles travel through Kryo without {@code --add-opens java.base/java.nio}. Idempotent. */
  public static void registerKryo(StreamExecutionEnvironment env) {
    if (env.getConfig().getSerializerConfig() instanceof SerializerConfigImpl sc
        && !sc.getDefaultKryoSerializerClasses().containsKey(ByteBuffer.class))
      sc.addDefaultKryoSerializer(ByteBuffer.class, ByteBufferKryoSerializer.class);
  }

  private static <T> DataStreamSink<Void> append(HistoryConfig cfg, String table, DataStream<T> in,
      MapFunction<T, RowData> toRow) {
    DataStream<RowData> rows = in.map(toRow, InternalTypeInfo.of(ArchiveRows.rowType(table)))
        .name("iceberg rows " + table).uid("iceberg-rows-" + table);
    registerKryo(in.getExecutionEnvironment());
    return FlinkSink.forRowData(rows)
        .tableLoader(ArchiveTables.tableLoader(cfg, table))
        // No shuffle before the writers: the job runs at low parallelism and compaction merges small files.
        .distributionMode(DistributionMode.NONE)
        // One writer per table. With two writers and a bounded input, when one writer's input ended before the
        // other's, the FlinkSink 1.10.1 committer dropped that writer's last files (ArchiveRestartTest saw the
        // tail of one source split emitted but never committed). A single writer also means fewer small files.
        .writeParallelism(1)
        .uidPrefix("iceberg-" + table)
        .append()
        .name("iceberg " + table);
  }
}
