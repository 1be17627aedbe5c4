package dev.newstape.flink.history;

import dev.newstape.flink.JobConfig;
import dev.newstape.flink.Sinks;
import dev.newstape.flink.history.ImpactStats.SymbolHistory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.Collector;
import org.apache.iceberg.Schema;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.flink.source.IcebergSource;

/**
 * Batch job over the archive: per symbol, the distribution of news impact (final rows only, one per article) into
 * PostgreSQL {@code impact_history}, upserted by symbol. {@code npm run history:job}. Settings: {@link JobConfig}
 * (PG_URL, PG_USER, PG_SCHEMA, …) and {@link HistoryConfig} (ICEBERG_WAREHOUSE, …).
 */
public final class HistoryJob {
  private HistoryJob() {}

  public static final String DDL = "CREATE TABLE IF NOT EXISTS impact_history ("
      + " symbol text PRIMARY KEY,"
      + " headlines integer NOT NULL,"
      + " ret1_n integer NOT NULL, ret1_q1 double precision, ret1_median double precision, ret1_q3 double precision,"
      + " ret5_n integer NOT NULL, ret5_q1 double precision, ret5_median double precision, ret5_q3 double precision,"
      + " ret15_n integer NOT NULL, ret15_q1 double precision, ret15_median double precision,"
      + " ret15_q3 double precision,"
      + " signals integer NOT NULL,"
      + " signal_share double precision NOT NULL,"
      + " first_published timestamptz NOT NULL,"
      + " last_published timestamptz NOT NULL,"
      + " updated_at timestamptz NOT NULL DEFAULT now())";

  static final String TS = "to_timestamp(?::bigint / 1000.0)";

  public static final String UPSERT = "INSERT INTO impact_history (symbol, headlines, ret1_n, ret1_q1, ret1_median,"
      + " ret1_q3, ret5_n, ret5_q1, ret5_median, ret5_q3, ret15_n, ret15_q1, ret15_median, ret15_q3, signals,"
      + " signal_share, first_published, last_published) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " + TS
      + ", " + TS + ") ON CONFLICT (symbol) DO UPDATE SET headlines = EXCLUDED.headlines, ret1_n = EXCLUDED.ret1_n,"
      + " ret1_q1 = EXCLUDED.ret1_q1, ret1_median = EXCLUDED.ret1_median, ret1_q3 = EXCLUDED.ret1_q3,"
      + " ret5_n = EXCLUDED.ret5_n, ret5_q1 = EXCLUDED.ret5_q1, ret5_median = EXCLUDED.ret5_median,"
      + " ret5_q3 = EXCLUDED.ret5_q3, ret15_n = EXCLUDED.ret15_n, ret15_q1 = EXCLUDED.ret15_q1,"
      + " ret15_median = EXCLUDED.ret15_median, ret15_q3 = EXCLUDED.ret15_q3, signals = EXCLUDED.signals,"
      + " signal_share = EXCLUDED.signal_share, first_published = EXCLUDED.first_published,"
      + " last_published = EXCLUDED.last_published, updated_at = now()";

  public static final JdbcStatementBuilder<SymbolHistory> ROW = (ps, h) -> {
    ps.setString(1, h.symbol);
    ps.setInt(2, h.headlines);
    ps.setInt(3, h.ret1N);
    Sinks.dbl(ps, 4, h.ret1Q1);
    Sinks.dbl(ps, 5, h.ret1Median);
    Sinks.dbl(ps, 6, h.ret1Q3);
    ps.setInt(7, h.ret5N);
    Sinks.dbl(ps, 8, h.ret5Q1);
    Sinks.dbl(ps, 9, h.ret5Median);
    Sinks.dbl(ps, 10, h.ret5Q3);
    ps.setInt(11, h.ret15N);
    Sinks.dbl(ps, 12, h.ret15Q1);
    Sinks.dbl(ps, 13, h.ret15Median);
    Sinks.dbl(ps, 14, h.ret15Q3);
    ps.setInt(15, h.signals);
    ps.setDouble(16, h.signalShare);
    ps.setLong(17, h.firstPublished);
    ps.setLong(18, h.lastPublished);
  };

  /** Positions in {@link ArchiveTables#IMPACT_SCHEMA}. */
  static ImpactPoint point(RowData r) {
    return new ImpactPoint(r.getString(0).toString(), r.getString(1).toString(), r.getTimestamp(2, 6).getMillisecond(),
        r.getTimestamp(17, 6).getMillisecond(), r.getBoolean(15), r.isNullAt(4) ? null : r.getDouble(4),
        r.isNullAt(5) ? null : r.getDouble(5), r.isNullAt(6) ? null : r.getDouble(6),
        r.isNullAt(12) ? null : r.getString(12).toString());
  }

  /** Keyed by symbol: keeps the best row per article, summarises when the (bounded) input ends. */
  static class Summarize extends KeyedProcessFunction<String, ImpactPoint, SymbolHistory> {
    private static final long serialVersionUID = 1L;
    private transient MapState<String, ImpactPoint> byArticle;

    @Override
    public void open(OpenContext ctx) {
      byArticle = getRuntimeContext().getMapState(new MapStateDescriptor<>("byArticle", TypeInformation.of(String.class),
          TypeInformation.of(ImpactPoint.class)));
    }

    @Override
    public void processElement(ImpactPoint p, Context ctx, Collector<SymbolHistory> out) throws Exception {
      if (byArticle.isEmpty()) ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
      byArticle.put(p.articleId, ImpactStats.better(byArticle.get(p.articleId), p));
    }

    @Override
    public void onTimer(long ts, OnTimerContext ctx, Collector<SymbolHistory> out) throws Exception {
      List<ImpactPoint> rows = new ArrayList<>();
      for (ImpactPoint p : byArticle.values()) rows.add(p);
      SymbolHistory h = ImpactStats.summarize(ctx.getCurrentKey(), rows);
      if (h != null) out.collect(h);
      byArticle.clear();
    }
  }

  /** The summaries from the archive's news_impact table (bounded read of its current snapshot). */
  public static DataStream<SymbolHistory> summaries(StreamExecutionEnvironment env, HistoryConfig hc) {
    Schema s = ArchiveTables.IMPACT_SCHEMA;
    DataStream<RowData> rows = IcebergSource.forRowData()
        .tableLoader(ArchiveTables.tableLoader(hc, ArchiveTables.IMPACT))
        .streaming(false)
        // Prunes files and row groups without a final row; the filter below removes the rest.
        .filters(List.of(Expressions.equal("final", true)))
        .project(s)
        .buildStream(env);
    return rows.filter(r -> r.getBoolean(15)).name("final rows")
        .map(HistoryJob::point).returns(ImpactPoint.class).name("impact points")
        .keyBy(p -> p.symbol)
        .process(new Summarize()).returns(SymbolHistory.class).name("summarize");
  }

  /** Creates impact_history in the configured PostgreSQL schema (idempotent). */
  public static void createTable(JobConfig cfg) throws SQLException {
    if (!cfg.pgSchema().matches("[a-z_][a-z0-9_]*")) throw new IllegalArgumentException("bad schema name " + cfg.pgSchema());
    try (Connection c = DriverManager.getConnection(cfg.pgUrl(), cfg.pgUser(), cfg.pgPassword());
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS " + cfg.pgSchema());
      st.execute("SET search_path TO " + cfg.pgSchema());
      st.execute(DDL);
    }
  }

  /** Runs the batch job to completion in the given environment. */
  public static JobExecutionResult run(StreamExecutionEnvironment env, JobConfig cfg, HistoryConfig hc) throws Exception {
    createTable(cfg);
    ArchiveTables.ensure(hc);
    env.setRuntimeMode(RuntimeExecutionMode.BATCH);
    summaries(env, hc).sinkTo(Sinks.jdbc(cfg, UPSERT, ROW)).name("pg impact_history");
    return env.execute("newstape-history");
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> env = System.getenv();
    JobConfig cfg = JobConfig.from(env, args);
    HistoryConfig hc = HistoryConfig.from(env, args);
    System.out.println("newstape-history: " + hc.warehouse() + " (" + hc.catalogType() + ") → postgres " + cfg.pgUrl()
        + " schema " + cfg.pgSchema() + " table impact_history");
    JobExecutionResult r = run(StreamExecutionEnvironment.getExecutionEnvironment(), cfg, hc);
    System.out.println("newstape-history: done in " + r.getNetRuntime() + " ms");
  }
}
