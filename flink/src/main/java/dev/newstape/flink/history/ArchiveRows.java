package dev.newstape.flink.history;

import dev.newstape.flink.model.Article;
import dev.newstape.flink.model.Bar;
import dev.newstape.flink.model.Impact;
import dev.newstape.flink.model.Trade;
import dev.newstape.flink.v2.V2;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.flink.FlinkSchemaUtil;

/** The job's records as Flink {@link RowData} in the field order of {@link ArchiveTables}. Pure functions. */
public final class ArchiveRows {
  private ArchiveRows() {}

  public static RowType rowType(String table) {
    return FlinkSchemaUtil.convert(ArchiveTables.schema(table));
  }

  private static StringData str(String s) {
    return s == null ? null : StringData.fromString(s);
  }

  private static TimestampData ts(long epochMs) {
    return TimestampData.fromEpochMillis(epochMs);
  }

  public static RowData trade(Trade t) {
    int[] c = t.conditions == null ? new int[0] : t.conditions;
    return GenericRowData.of(str(t.symbol), ts(t.ts), t.price, t.size, t.exchange, new GenericArrayData(c), t.seq,
        str(t.id), t.tape);
  }

  public static RowData bar(Bar b) {
    return GenericRowData.of(str(b.symbol), ts(b.start), ts(b.end), str(b.source), b.open, b.high, b.low, b.close,
        b.volume, b.vwap, b.trades, b.complete);
  }

  public static RowData article(Article a) {
    String[] tickers = a.tickers == null ? new String[0] : a.tickers;
    StringData[] t = new StringData[tickers.length];
    for (int i = 0; i < t.length; i++) t[i] = str(tickers[i]);
    return GenericRowData.of(str(a.id), ts(a.published), ts(a.updated), str(a.title), str(a.url), str(a.section),
        str(a.type), str(a.trailText), new GenericArrayData(t), str(a.query), ts(a.receivedAt), a.stale);
  }

  /** A v1 record: the v2 columns are null. */
  public static RowData impact(Impact r) {
    GenericRowData row = new GenericRowData(ArchiveTables.IMPACT_SCHEMA.columns().size());
    Object[] v1 = {str(r.articleId), str(r.symbol), ts(r.published), r.p0, r.ret1, r.ret5, r.ret15, r.sigma,
        r.z1, r.z5, r.z15, r.rvol5, str(r.signal), r.latencyMs, r.stale, r.fin, str(r.origin), ts(r.asOf)};
    for (int i = 0; i < v1.length; i++) row.setField(i, v1[i]);
    return row;
  }

  private static TimestampData tsOrNull(Long epochMs) {
    return epochMs == null ? null : ts(epochMs);
  }

  /** A news impact v2 record, every column. */
  public static RowData impactV2(V2.ImpactRecord r) {
    return GenericRowData.of(str(r.articleId), str(r.symbol), ts(r.published), r.p0, r.ret1, r.ret5, r.ret15, r.sigma,
        r.z1, r.z5, r.z15, r.rvol5, str(r.signal), r.latencyMs, r.stale, r.fin, str(r.origin), ts(r.asOf),
        ts(r.receivedAt), str(r.source), r.beta, r.adjusted, r.sigmaRealised, r.sigmaFloor, r.ar1, r.ar5, r.ar15,
        r.quiet1, r.quiet5, r.quiet15, str(r.rvolBasis), tsOrNull(r.detectedAt), r.confirmed, tsOrNull(r.alertAt),
        str(r.move));
  }
}
