package dev.newstape.flink.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.newstape.flink.Codec;
import dev.newstape.flink.EnvelopeDeserializer;
import dev.newstape.flink.Pipelines;
import dev.newstape.flink.Services;
import dev.newstape.flink.model.Article;
import dev.newstape.flink.model.Bar;
import dev.newstape.flink.model.Envelope;
import dev.newstape.flink.model.Trade;
import dev.newstape.flink.v2.V2;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorded session fixtures/flink/session.jsonl through the job's own transformations on a mini cluster, with
 * the archive attached exactly as the streaming job attaches it; every stream is also collected, and reading the
 * four tables back with Iceberg's generic reader must give exactly the collected records.
 */
class ArchiveSessionTest {
  @TempDir Path tmp;

  private static List<Envelope> envelopes(List<JsonNode> lines, String topic, EnvelopeDeserializer.Kind kind)
      throws Exception {
    List<Envelope> out = new ArrayList<>();
    long offset = 0;
    for (JsonNode l : lines) {
      if (!l.get("topic").asText().equals(topic)) continue;
      byte[] value = l.has("raw") ? l.get("raw").asText().getBytes(StandardCharsets.UTF_8)
          : Codec.MAPPER.writeValueAsBytes(l.get("value"));
      out.add(EnvelopeDeserializer.parse(kind, topic, 0, offset++, value));
    }
    return out;
  }

  private static <T> List<T> drain(CloseableIterator<T> it) throws Exception {
    List<T> out = new ArrayList<>();
    try (it) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  @Test
  void recordedSessionRoundTripsThroughAllFourTables() throws Exception {
    List<JsonNode> lines = Services.session();
    List<Envelope> tradeEnv = envelopes(lines, "market.trades", EnvelopeDeserializer.Kind.TRADE);
    List<Envelope> barEnv = envelopes(lines, "market.bars.1m", EnvelopeDeserializer.Kind.BAR);
    List<Envelope> newsEnv = envelopes(lines, "news.articles", EnvelopeDeserializer.Kind.ARTICLE);

    HistoryConfig hc = HistoryConfig.local(tmp.resolve("warehouse").toString());
    Configuration conf = new Configuration();
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(500));
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, tmp.resolve("chk").toUri().toString());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(1);
    WatermarkStrategy<Envelope> wm = WatermarkStrategy.<Envelope>forBoundedOutOfOrderness(Duration.ofSeconds(2))
        .withTimestampAssigner((e, ts) -> e.ts);
    SingleOutputStreamOperator<Trade> trades = Pipelines.trades(
        env.fromData(tradeEnv, Types.POJO(Envelope.class)).assignTimestampsAndWatermarks(wm));
    SingleOutputStreamOperator<Bar> appBars = Pipelines.appBars(
        env.fromData(barEnv, Types.POJO(Envelope.class)).assignTimestampsAndWatermarks(wm));
    SingleOutputStreamOperator<Article> articles = Pipelines.articles(
        env.fromData(newsEnv, Types.POJO(Envelope.class)).assignTimestampsAndWatermarks(wm));
    DataStream<Bar> bars = Pipelines.bars1m(trades, 60_000, 1_000).union(appBars);
    DataStream<V2.ImpactRecord> impact = Pipelines.impactV2(Pipelines.impactV2Events(trades, articles, bars), V2.Settings.DEFAULT);

    Archive.attach(hc, trades, bars, articles, impact);
    CloseableIterator<Trade> tradesOut = trades.collectAsync();
    CloseableIterator<Bar> barsOut = bars.collectAsync();
    CloseableIterator<Article> newsOut = articles.collectAsync();
    CloseableIterator<V2.ImpactRecord> impactOut = impact.collectAsync();
    env.execute("archive-session");

    List<Trade> producedTrades = drain(tradesOut);
    List<Bar> producedBars = new ArrayList<>();
    for (Bar b : drain(barsOut)) if (b.complete) producedBars.add(b);
    List<Article> producedNews = drain(newsOut);
    List<V2.ImpactRecord> producedImpact = drain(impactOut);

    // The produced streams are the session itself, not an empty run that would trivially match.
    long validTrades = tradeEnv.stream().filter(e -> e.trade != null).count();
    assertEquals(validTrades, producedTrades.size());
    assertEquals(newsEnv.size(), producedNews.size());
    assertTrue(producedBars.stream().anyMatch(b -> "flink".equals(b.source)), "no bars from trades");
    assertTrue(producedBars.stream().anyMatch(b -> !"flink".equals(b.source)), "no app bars");
    Set<String> finals = new HashSet<>();
    for (V2.ImpactRecord r : producedImpact) if (r.fin) finals.add(r.key());
    Set<String> mentions = new HashSet<>();
    for (Article a : producedNews) for (String t : a.tickers) mentions.add(a.id + "|" + t);
    assertEquals(mentions, finals, "one final impact row per (article, ticker)");

    Map<String, Table> tables = ArchiveTables.ensure(hc);
    Map<String, List<String>> expected = Map.of(
        ArchiveTables.TRADES, ArchiveCheck.lines(producedTrades, ArchiveCheck::line),
        ArchiveTables.BARS, ArchiveCheck.lines(producedBars, ArchiveCheck::line),
        ArchiveTables.NEWS, ArchiveCheck.lines(producedNews, ArchiveCheck::line),
        ArchiveTables.IMPACT, ArchiveCheck.lines(producedImpact, ArchiveCheck::line));
    for (String t : ArchiveTables.ALL) {
      List<String> want = expected.get(t);
      List<String> got = ArchiveCheck.read(tables.get(t), t);
      assertEquals(want.size(), got.size(), t + ": row count");
      assertEquals(ArchiveCheck.checksum(want), ArchiveCheck.checksum(got), t + ": checksum");
      assertEquals(want, got, t + ": rows");
    }
    // Partitioned by day (and symbol bucket for trades), as documented.
    assertEquals("[ts_day, symbol_bucket]", tables.get(ArchiveTables.TRADES).spec().fields().stream()
        .map(f -> f.name()).toList().toString());
  }
}
