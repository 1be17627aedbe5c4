package dev.newstape.flink.history;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.types.Types;

/**
 * The four archive tables: schemas, partition specs and table properties (documented in flink/HISTORY.md), and the
 * catalog they live in. Field ids are fixed here so that a schema never drifts between runs.
 */
public final class ArchiveTables {
  private ArchiveTables() {}

  public static final String TRADES = "trades";
  public static final String BARS = "bars_1m";
  public static final String NEWS = "news";
  public static final String IMPACT = "news_impact";
  public static final List<String> ALL = List.of(TRADES, BARS, NEWS, IMPACT);

  private static Types.NestedField req(int id, String name, org.apache.iceberg.types.Type t) {
    return Types.NestedField.required(id, name, t);
  }

  private static Types.NestedField opt(int id, String name, org.apache.iceberg.types.Type t) {
    return Types.NestedField.optional(id, name, t);
  }

  private static final Types.StringType STR = Types.StringType.get();
  private static final Types.DoubleType DBL = Types.DoubleType.get();
  private static final Types.LongType LONG = Types.LongType.get();
  private static final Types.IntegerType INT = Types.IntegerType.get();
  private static final Types.BooleanType BOOL = Types.BooleanType.get();
  private static final Types.TimestampType TSTZ = Types.TimestampType.withZone();

  public static final Schema TRADES_SCHEMA = new Schema(
      req(1, "symbol", STR),
      req(2, "ts", TSTZ),
      req(3, "price", DBL),
      req(4, "size", DBL),
      req(5, "exchange", INT),
      req(6, "conditions", Types.ListType.ofRequired(20, INT)),
      req(7, "seq", LONG),
      opt(8, "id", STR),
      req(9, "tape", INT));

  public static final Schema BARS_SCHEMA = new Schema(
      req(1, "symbol", STR),
      req(2, "start_time", TSTZ),
      req(3, "end_time", TSTZ),
      req(4, "source", STR),
      req(5, "open", DBL),
      req(6, "high", DBL),
      req(7, "low", DBL),
      req(8, "close", DBL),
      req(9, "volume", DBL),
      req(10, "vwap", DBL),
      req(11, "trades", LONG),
      req(12, "complete", BOOL));

  public static final Schema NEWS_SCHEMA = new Schema(
      req(1, "id", STR),
      req(2, "published", TSTZ),
      req(3, "updated", TSTZ),
      opt(4, "title", STR),
      opt(5, "url", STR),
      opt(6, "section", STR),
      opt(7, "type", STR),
      opt(8, "trail_text", STR),
      req(9, "tickers", Types.ListType.ofRequired(20, STR)),
      opt(10, "query", STR),
      req(11, "received_at", TSTZ),
      req(12, "stale", BOOL));

  public static final Schema IMPACT_SCHEMA = new Schema(
      req(1, "article_id", STR),
      req(2, "symbol", STR),
      req(3, "published", TSTZ),
      opt(4, "p0", DBL),
      opt(5, "ret1", DBL),
      opt(6, "ret5", DBL),
      opt(7, "ret15", DBL),
      opt(8, "sigma", DBL),
      opt(9, "z1", DBL),
      opt(10, "z5", DBL),
      opt(11, "z15", DBL),
      opt(12, "rvol5", DBL),
      opt(13, "signal", STR),
      req(14, "latency_ms", LONG),
      req(15, "stale", BOOL),
      req(16, "final", BOOL),
      opt(17, "origin", STR),
      req(18, "as_of", TSTZ),
      // News impact v2 (docs/impact-v2.md): added to an existing v1 table by ensure(); rows written before are null here.
      opt(19, "received_at", TSTZ),
      opt(20, "source", STR),
      opt(21, "beta", DBL),
      opt(22, "adjusted", BOOL),
      opt(23, "sigma_realised", DBL),
      opt(24, "sigma_floor", DBL),
      opt(25, "ar1", DBL),
      opt(26, "ar5", DBL),
      opt(27, "ar15", DBL),
      opt(28, "quiet1", BOOL),
      opt(29, "quiet5", BOOL),
      opt(30, "quiet15", BOOL),
      opt(31, "rvol_basis", STR),
      opt(32, "detected_at", TSTZ),
      opt(33, "confirmed", BOOL),
      opt(34, "alert_at", TSTZ),
      opt(35, "move", STR));

  /** The v1 columns of news_impact (a table created before v2 has exactly these). */
  public static final int IMPACT_V1_COLUMNS = 18;

  public static Schema schema(String table) {
    return switch (table) {
      case TRADES -> TRADES_SCHEMA;
      case BARS -> BARS_SCHEMA;
      case NEWS -> NEWS_SCHEMA;
      case IMPACT -> IMPACT_SCHEMA;
      default -> throw new IllegalArgumentException("no archive table " + table);
    };
  }

  /** Day partitions on the event time; trades also by a symbol bucket so one symbol's day is a few files. */
  public static PartitionSpec spec(String table, int tradeBuckets) {
    Schema s = schema(table);
    return switch (table) {
      case TRADES -> PartitionSpec.builderFor(s).day("ts").bucket("symbol", tradeBuckets).build();
      case BARS -> PartitionSpec.builderFor(s).day("start_time").build();
      case NEWS, IMPACT -> PartitionSpec.builderFor(s).day("published").build();
      default -> throw new IllegalArgumentException("no archive table " + table);
    };
  }

  /** Parquet + zstd; old metadata files are pruned on commit because every checkpoint adds one. */
  public static Map<String, String> properties() {
    Map<String, String> p = new HashMap<>();
    p.put(TableProperties.FORMAT_VERSION, "2");
    p.put(TableProperties.DEFAULT_FILE_FORMAT, "parquet");
    p.put(TableProperties.PARQUET_COMPRESSION, "zstd");
    p.put(TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true");
    p.put(TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "20");
    return p;
  }

  public static TableIdentifier id(HistoryConfig cfg, String table) {
    return TableIdentifier.of(Namespace.of(cfg.namespace()), table);
  }

  /** Iceberg's S3 file IO (in iceberg-flink-runtime; its AWS SDK comes from iceberg-aws-bundle, profile s3). */
  public static final String S3_FILE_IO = "org.apache.iceberg.aws.s3.S3FileIO";

  /** The catalog properties for a config (pure: the loader below only adds the class and Hadoop's Configuration). */
  public static Map<String, String> catalogProperties(HistoryConfig cfg) {
    Map<String, String> props = new HashMap<>();
    props.put(CatalogProperties.WAREHOUSE_LOCATION, cfg.warehouse());
    switch (cfg.catalogType()) {
      case "jdbc" -> {
        props.put(CatalogProperties.URI, cfg.jdbcUrl());
        props.put("jdbc.user", cfg.jdbcUser());
        props.put("jdbc.password", cfg.jdbcPassword());
        props.put("jdbc.schema-version", "V1");
      }
      case "rest" -> props.put(CatalogProperties.URI, cfg.restUri());
      default -> {
        // hadoop: the warehouse folder is the catalog
      }
    }
    if (HistoryConfig.isObjectStore(cfg.warehouse())) {
      HistoryConfig.S3 s3 = cfg.s3();
      props.put(CatalogProperties.FILE_IO_IMPL, S3_FILE_IO);
      if (!s3.endpoint().isEmpty()) props.put("s3.endpoint", s3.endpoint());
      if (!s3.accessKeyId().isEmpty()) {
        props.put("s3.access-key-id", s3.accessKeyId());
        props.put("s3.secret-access-key", s3.secretAccessKey());
      }
      props.put("s3.path-style-access", Boolean.toString(s3.pathStyleAccess()));
      props.put("client.region", s3.region());
    }
    return props;
  }

  /** A serializable catalog factory for the operators (and the client). */
  public static CatalogLoader catalogLoader(HistoryConfig cfg) {
    Map<String, String> props = catalogProperties(cfg);
    Configuration hadoop = new Configuration();
    return switch (cfg.catalogType()) {
      case "jdbc" -> CatalogLoader.custom("newstape", props, hadoop, "org.apache.iceberg.jdbc.JdbcCatalog");
      case "rest" -> CatalogLoader.rest("newstape", hadoop, props);
      default -> CatalogLoader.hadoop("newstape", hadoop, props);
    };
  }

  public static TableLoader tableLoader(HistoryConfig cfg, String table) {
    return TableLoader.fromCatalog(catalogLoader(cfg), id(cfg, table));
  }

  /**
   * Adds the columns of {@code want} that {@code table} lacks (a table created by an earlier version), as optional
   * columns in {@code want}'s order: the rows already written keep their values and read null there. A missing
   * required column, or a column whose type changed, cannot be added that way: it fails with what to do.
   */
  public static Table evolve(Table table, Schema want) {
    Schema have = table.schema();
    org.apache.iceberg.UpdateSchema update = null;
    for (Types.NestedField f : want.columns()) {
      Types.NestedField h = have.findField(f.name());
      if (h != null) {
        // Nested types carry the ids Iceberg assigned at creation: compare their kind, primitives exactly.
        boolean same = f.type().isPrimitiveType() ? h.type().equals(f.type()) : h.type().typeId() == f.type().typeId();
        if (!same)
          throw new IllegalStateException("Iceberg table " + table.name() + ": column " + f.name() + " is " + h.type()
              + ", this version writes " + f.type() + "; migrate the table (flink/HISTORY.md) or use another namespace");
        continue;
      }
      if (f.isRequired())
        throw new IllegalStateException("Iceberg table " + table.name() + " lacks required column " + f.name()
            + "; migrate the table (flink/HISTORY.md) or use another namespace");
      if (update == null) update = table.updateSchema();
      update.addColumn(f.name(), f.type(), f.doc());
    }
    if (update == null) return table;
    update.commit();
    table.refresh();
    return table;
  }

  /** Creates the namespace and any missing table, evolves older ones; returns the loaded tables by name. Idempotent. */
  public static Map<String, Table> ensure(HistoryConfig cfg) {
    // Not closed: tables loaded from a JDBC catalog keep using its connection pool.
    Catalog catalog = catalogLoader(cfg).loadCatalog();
    Namespace ns = Namespace.of(cfg.namespace());
    if (catalog instanceof SupportsNamespaces sn && !sn.namespaceExists(ns)) {
      try {
        sn.createNamespace(ns);
      } catch (AlreadyExistsException raced) {
        // another process created it first: fine
      }
    }
    Map<String, Table> out = new HashMap<>();
    for (String t : ALL) {
      TableIdentifier id = id(cfg, t);
      Table table;
      if (catalog.tableExists(id)) table = evolve(catalog.loadTable(id), schema(t));
      else {
        try {
          table = catalog.createTable(id, schema(t), spec(t, cfg.tradeBuckets()), properties());
        } catch (AlreadyExistsException raced) {
          table = catalog.loadTable(id);
        }
      }
      out.put(t, table);
    }
    return out;
  }
}
