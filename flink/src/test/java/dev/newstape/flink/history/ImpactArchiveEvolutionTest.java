package dev.newstape.flink.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.newstape.flink.v2.V2;
import java.io.IOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.sink.FlinkSink;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive's news_impact table as a deployment meets it: created by the v1 job, with rows. The v2 job's start
 * (ArchiveTables.ensure) adds the v2 columns; the old rows keep every value and read null in the new columns; the
 * v2 sink then writes rows with every column. A table whose column changed type is refused with what to do.
 */
class ImpactArchiveEvolutionTest {
  @TempDir Path tmp;

  static final long T0 = 1_795_532_400_000L; // 2026-11-24 09:00 ET

  static Schema v1Schema() {
    return new Schema(ArchiveTables.IMPACT_SCHEMA.columns().subList(0, ArchiveTables.IMPACT_V1_COLUMNS));
  }

  static V2.ImpactRecord v2Record() {
    V2.ImpactRecord r = new V2.ImpactRecord();
    r.articleId = "business/2026/nov/24/v2";
    r.symbol = "AAPL";
    r.published = T0 + 60_000;
    r.receivedAt = T0 + 150_000;
    r.asOf = T0 + 16 * 60_000;
    r.source = "trades";
    r.p0 = 230.0;
    r.beta = 1.12;
    r.adjusted = true;
    r.sigma = 0.0011;
    r.sigmaRealised = 0.0011;
    r.sigmaFloor = 0.0007;
    r.ret1 = 0.012;
    r.ar1 = 0.009;
    r.z1 = 8.2;
    r.quiet1 = false;
    r.quiet5 = false;
    r.quiet15 = false;
    r.rvolBasis = "slot";
    r.rvol5 = 3.4;
    r.signal = "up";
    r.detectedAt = T0 + 84_000L;
    r.confirmed = true;
    r.alertAt = T0 + 150_000L;
    r.move = "AAPL|" + (T0 + 80_000L);
    r.latencyMs = 90_000;
    r.fin = true;
    return r;
  }

  private static long ms(Object v) {
    return ((OffsetDateTime) v).toInstant().toEpochMilli();
  }

  static List<Record> rows(Table t) throws IOException {
    t.refresh();
    List<Record> out = new ArrayList<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(t).build()) {
      for (Record r : it) out.add(r.copy());
    }
    out.sort(Comparator.comparing(r -> (String) r.getField("article_id")));
    return out;
  }

  @Test
  void aV1TableGainsTheV2ColumnsKeepsItsRowsAndTakesV2Rows() throws Exception {
    HistoryConfig hc = HistoryConfig.local(tmp.resolve("warehouse").toString());
    Catalog catalog = ArchiveTables.catalogLoader(hc).loadCatalog();
    ArchiveTables.ensure(hc); // namespace and the other tables; news_impact is replaced by a v1 one below
    catalog.dropTable(ArchiveTables.id(hc, ArchiveTables.IMPACT), true);
    Table v1 = catalog.createTable(ArchiveTables.id(hc, ArchiveTables.IMPACT), v1Schema(),
        ArchiveTables.spec(ArchiveTables.IMPACT, hc.tradeBuckets()), ArchiveTables.properties());
    assertEquals(ArchiveTables.IMPACT_V1_COLUMNS, v1.schema().columns().size());

    // The v1 job's row, written through the v1 row type.
    StreamExecutionEnvironment w1 = StreamExecutionEnvironment.getExecutionEnvironment();
    w1.setParallelism(1);
    Archive.registerKryo(w1);
    GenericRowData old = GenericRowData.of(StringData.fromString("business/2026/nov/24/v1"), StringData.fromString("MSFT"),
        TimestampData.fromEpochMillis(T0), 400.0, 0.001, 0.002, 0.003, 0.0009, 1.1, 1.0, 0.9, 1.2,
        StringData.fromString("none"), 70_000L, false, true, StringData.fromString("flink"),
        TimestampData.fromEpochMillis(T0 + 15 * 60_000));
    DataStream<RowData> oldRows = w1.fromData(List.<RowData>of(old), InternalTypeInfo.of(FlinkSchemaUtil.convert(v1Schema())));
    FlinkSink.forRowData(oldRows).tableLoader(ArchiveTables.tableLoader(hc, ArchiveTables.IMPACT)).append();
    w1.execute("v1-row");

    // The v2 job starts: the table evolves, twice is a no-op.
    Map<String, Table> tables = ArchiveTables.ensure(hc);
    ArchiveTables.ensure(hc);
    Table t = tables.get(ArchiveTables.IMPACT);
    t.refresh();
    assertEquals(ArchiveTables.IMPACT_SCHEMA.columns().size(), t.schema().columns().size());
    for (Types.NestedField f : ArchiveTables.IMPACT_SCHEMA.columns())
      assertEquals(f.type(), t.schema().findField(f.name()).type(), f.name());

    StreamExecutionEnvironment w2 = StreamExecutionEnvironment.getExecutionEnvironment();
    w2.setParallelism(1);
    Archive.impactV2(hc, w2.fromData(List.of(v2Record()), org.apache.flink.api.common.typeinfo.Types.POJO(V2.ImpactRecord.class)));
    w2.execute("v2-row");

    List<Record> got = rows(t);
    assertEquals(2, got.size());
    Record r1 = got.get(0);
    assertEquals("business/2026/nov/24/v1", r1.getField("article_id"));
    assertEquals(400.0, r1.getField("p0"));
    assertEquals(1.2, r1.getField("rvol5"));
    assertEquals(T0 + 15 * 60_000, ms(r1.getField("as_of")));
    for (String c : List.of("received_at", "source", "beta", "ar1", "quiet1", "detected_at", "confirmed", "alert_at", "move"))
      assertNull(r1.getField(c), c + " of the v1 row");

    Record r2 = got.get(1);
    V2.ImpactRecord want = v2Record();
    assertEquals(want.articleId, r2.getField("article_id"));
    assertEquals(want.receivedAt, ms(r2.getField("received_at")));
    assertEquals("trades", r2.getField("source"));
    assertEquals(1.12, r2.getField("beta"));
    assertEquals(true, r2.getField("adjusted"));
    assertEquals(0.0007, r2.getField("sigma_floor"));
    assertEquals(0.009, r2.getField("ar1"));
    assertNull(r2.getField("ar5"));
    assertEquals(false, r2.getField("quiet15"));
    assertEquals("slot", r2.getField("rvol_basis"));
    assertEquals(want.detectedAt, ms(r2.getField("detected_at")));
    assertEquals(true, r2.getField("confirmed"));
    assertEquals(want.alertAt, ms(r2.getField("alert_at")));
    assertEquals(want.move, r2.getField("move"));
    assertEquals(true, r2.getField("final"));
  }

  @Test
  void aColumnWhoseTypeChangedIsRefusedWithWhatToDo() {
    HistoryConfig hc = HistoryConfig.local(tmp.resolve("warehouse2").toString());
    Catalog catalog = ArchiveTables.catalogLoader(hc).loadCatalog();
    ArchiveTables.ensure(hc);
    catalog.dropTable(ArchiveTables.id(hc, ArchiveTables.IMPACT), true);
    List<Types.NestedField> cols = new ArrayList<>(v1Schema().columns());
    cols.add(Types.NestedField.optional(19, "received_at", Types.StringType.get()));
    catalog.createTable(ArchiveTables.id(hc, ArchiveTables.IMPACT), new Schema(cols),
        ArchiveTables.spec(ArchiveTables.IMPACT, hc.tradeBuckets()), ArchiveTables.properties());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> ArchiveTables.ensure(hc));
    assertTrue(e.getMessage().contains("received_at") && e.getMessage().contains("migrate"), e.getMessage());
  }
}
