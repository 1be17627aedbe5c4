package dev.newstape.flink.history;

import dev.newstape.flink.model.Article;
import dev.newstape.flink.model.Bar;
import dev.newstape.flink.model.Trade;
import dev.newstape.flink.v2.V2;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Canonical text lines for the job's records and for the rows Iceberg's own reader returns, written independently
 * of {@link ArchiveRows}: the same line from both sides means the row round-tripped field by field.
 */
final class ArchiveCheck {
  private ArchiveCheck() {}

  static String line(Trade t) {
    return String.join("|", t.symbol, "" + t.ts, "" + t.price, "" + t.size, "" + t.exchange,
        Arrays.toString(t.conditions), "" + t.seq, t.id, "" + t.tape);
  }

  static String line(Bar b) {
    return String.join("|", b.symbol, "" + b.start, "" + b.end, b.source, "" + b.open, "" + b.high, "" + b.low,
        "" + b.close, "" + b.volume, "" + b.vwap, "" + b.trades, "" + b.complete);
  }

  static String line(Article a) {
    return String.join("|", a.id, "" + a.published, "" + a.updated, a.title, a.url, a.section, a.type, a.trailText,
        Arrays.toString(a.tickers), a.query, "" + a.receivedAt, "" + a.stale);
  }

  private static String ms(Object v) {
    return v == null ? "null" : "" + ((OffsetDateTime) v).toInstant().toEpochMilli();
  }

  /** A news impact record: the v1 columns (ArchiveTables ids 1–18), then the v2 ones (ids 19–35). */
  static String line(V2.ImpactRecord r) {
    return String.join("|", r.articleId, r.symbol, "" + r.published, "" + r.p0, "" + r.ret1, "" + r.ret5,
        "" + r.ret15, "" + r.sigma, "" + r.z1, "" + r.z5, "" + r.z15, "" + r.rvol5, "" + r.signal, "" + r.latencyMs,
        "" + r.stale, "" + r.fin, "" + r.origin, "" + r.asOf,
        "" + r.receivedAt, "" + r.source, "" + r.beta, "" + r.adjusted, "" + r.sigmaRealised, "" + r.sigmaFloor,
        "" + r.ar1, "" + r.ar5, "" + r.ar15, "" + r.quiet1, "" + r.quiet5, "" + r.quiet15, "" + r.rvolBasis,
        "" + r.detectedAt, "" + r.confirmed, "" + r.alertAt, "" + r.move);
  }

  private static String s(Object v) {
    return "" + v;
  }

  /** One Iceberg generic record as the line its source record gives. */
  static String line(String table, Record r) {
    return switch (table) {
      case ArchiveTables.TRADES -> String.join("|", s(r.getField("symbol")), ms(r.getField("ts")), s(r.getField("price")),
          s(r.getField("size")), s(r.getField("exchange")), s(r.getField("conditions")), s(r.getField("seq")),
          s(r.getField("id")), s(r.getField("tape")));
      case ArchiveTables.BARS -> String.join("|", s(r.getField("symbol")), ms(r.getField("start_time")),
          ms(r.getField("end_time")), s(r.getField("source")), s(r.getField("open")), s(r.getField("high")),
          s(r.getField("low")), s(r.getField("close")), s(r.getField("volume")), s(r.getField("vwap")),
          s(r.getField("trades")), s(r.getField("complete")));
      case ArchiveTables.NEWS -> String.join("|", s(r.getField("id")), ms(r.getField("published")),
          ms(r.getField("updated")), s(r.getField("title")), s(r.getField("url")), s(r.getField("section")),
          s(r.getField("type")), s(r.getField("trail_text")), s(r.getField("tickers")), s(r.getField("query")),
          ms(r.getField("received_at")), s(r.getField("stale")));
      case ArchiveTables.IMPACT -> String.join("|", s(r.getField("article_id")), s(r.getField("symbol")),
          ms(r.getField("published")), s(r.getField("p0")), s(r.getField("ret1")), s(r.getField("ret5")),
          s(r.getField("ret15")), s(r.getField("sigma")), s(r.getField("z1")), s(r.getField("z5")),
          s(r.getField("z15")), s(r.getField("rvol5")), s(r.getField("signal")), s(r.getField("latency_ms")),
          s(r.getField("stale")), s(r.getField("final")), s(r.getField("origin")), ms(r.getField("as_of")),
          ms(r.getField("received_at")), s(r.getField("source")), s(r.getField("beta")), s(r.getField("adjusted")),
          s(r.getField("sigma_realised")), s(r.getField("sigma_floor")), s(r.getField("ar1")), s(r.getField("ar5")),
          s(r.getField("ar15")), s(r.getField("quiet1")), s(r.getField("quiet5")), s(r.getField("quiet15")),
          s(r.getField("rvol_basis")), ms(r.getField("detected_at")), s(r.getField("confirmed")),
          ms(r.getField("alert_at")), s(r.getField("move")));
      default -> throw new IllegalArgumentException(table);
    };
  }

  /** Every row of the table's current snapshot, through Iceberg's generic reader, as sorted lines. */
  static List<String> read(Table table, String name) {
    table.refresh();
    List<String> out = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
      for (Record r : rows) out.add(line(name, r));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Collections.sort(out);
    return out;
  }

  static <T> List<String> lines(List<T> records, Function<T, String> f) {
    List<String> out = new ArrayList<>();
    for (T r : records) out.add(f.apply(r));
    Collections.sort(out);
    return out;
  }

  /** SHA-256 of the sorted lines: an order-independent fingerprint of a table's contents. */
  static String checksum(List<String> sortedLines) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (String l : sortedLines) {
        md.update(l.getBytes(StandardCharsets.UTF_8));
        md.update((byte) '\n');
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
