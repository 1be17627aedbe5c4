package dev.newstape.flink;

import dev.newstape.flink.model.Article;
import dev.newstape.flink.model.Bar;
import dev.newstape.flink.model.Envelope;
import dev.newstape.flink.model.Impact;
import dev.newstape.flink.model.Mention;
import dev.newstape.flink.model.Reject;
import dev.newstape.flink.model.Thresholds;
import dev.newstape.flink.model.Trade;
import dev.newstape.flink.v2.ImpactV2Function;
import dev.newstape.flink.v2.V2;
import dev.newstape.flink.v2.V2Event;
import dev.newstape.flink.v2.V2EventType;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The job's transformations, DataStream in → DataStream out, with no sources or sinks: the same code runs on Kafka
 * in production and on in-memory collections in the tests. Inputs carry event timestamps (and, when streaming,
 * watermarks) assigned by the caller.
 */
public final class Pipelines {
  private Pipelines() {}

  public static final OutputTag<Reject> REJECTS = new OutputTag<>("rejects", Types.POJO(Reject.class));

  /** 1-minute bars from trades (source "flink"). */
  public static DataStream<Bar> bars1m(DataStream<Trade> trades, long latenessMs, long flushMs) {
    return trades.keyBy(t -> t.symbol).process(new BarsFunction(latenessMs, flushMs)).returns(Types.POJO(Bar.class))
        .name("bars-1m").uid("bars-1m");
  }

  /** One mention per distinct ticker of each article. */
  public static DataStream<Mention> mentions(DataStream<Article> articles) {
    return articles.flatMap((Article a, Collector<Mention> out) -> {
      Set<String> seen = new LinkedHashSet<>();
      for (String s : a.tickers) if (seen.add(s)) out.collect(new Mention(a.id, s, a.published, a.receivedAt, a.title));
    }).returns(Types.POJO(Mention.class)).name("mentions").uid("mentions");
  }

  /** News impact records at t0, t0+1m, t0+5m and t0+15m (final) per (article, symbol). */
  public static DataStream<Impact> newsImpact(DataStream<Trade> trades, DataStream<Article> articles, Thresholds th) {
    return trades.connect(mentions(articles)).keyBy(t -> t.symbol, m -> m.symbol, Types.STRING)
        .process(new ImpactFunction(th)).returns(Types.POJO(Impact.class)).name("news-impact").uid("news-impact");
  }

  /** The v2 operator's input: live prints, headlines and complete minute bars (previous sessions' history). */
  public static DataStream<V2Event> impactV2Events(DataStream<Trade> trades, DataStream<Article> articles, DataStream<Bar> bars) {
    DataStream<V2Event> p = trades.map(t -> V2Event.of(new V2.Print(t.symbol, t.ts, t.price, t.size, t.conditions, t.seq, "live")))
        .returns(V2EventType.INFO).name("v2-prints").uid("v2-prints");
    DataStream<V2Event> h = articles.map(a -> V2Event.of(new V2.Headline(a.id, a.published, a.receivedAt, a.title, a.tickers)))
        .returns(V2EventType.INFO).name("v2-headlines").uid("v2-headlines");
    DataStream<V2Event> b = bars.filter(x -> x.complete)
        .map(x -> V2Event.of(new V2.MinuteBar(x.symbol, x.start, x.close, x.volume)))
        .returns(V2EventType.INFO).name("v2-bars").uid("v2-bars");
    return p.union(h, b);
  }

  /** News impact v2 records; move alerts on the {@link ImpactV2Function#MOVES} side output. */
  public static SingleOutputStreamOperator<V2.ImpactRecord> impactV2(DataStream<V2Event> events, V2.Settings settings) {
    return events.keyBy(e -> e.market, Types.INT).process(new ImpactV2Function(settings))
        .returns(Types.POJO(V2.ImpactRecord.class)).name("news-impact-v2").uid("news-impact-v2");
  }

  /** The v1 columns of a v2 record (the Iceberg archive and impact_history read these). */
  public static Impact toV1(V2.ImpactRecord r) {
    Impact i = new Impact();
    i.articleId = r.articleId;
    i.symbol = r.symbol;
    i.published = r.published;
    i.p0 = r.p0;
    i.ret1 = r.ret1;
    i.ret5 = r.ret5;
    i.ret15 = r.ret15;
    i.sigma = r.sigma;
    i.z1 = r.z1;
    i.z5 = r.z5;
    i.z15 = r.z15;
    i.rvol5 = r.rvol5;
    i.signal = r.signal;
    i.latencyMs = r.latencyMs;
    i.stale = r.stale;
    i.fin = r.fin;
    i.asOf = r.asOf;
    return i;
  }

  /** Splits parsed envelopes by kind; rejects go to the {@link #REJECTS} side output. */
  public static SingleOutputStreamOperator<Trade> trades(DataStream<Envelope> in) {
    return in.process(new ProcessFunction<Envelope, Trade>() {
      @Override
      public void processElement(Envelope e, Context ctx, Collector<Trade> out) {
        if (e.trade != null) out.collect(e.trade);
        else ctx.output(REJECTS, Reject.of(e));
      }
    }).returns(Types.POJO(Trade.class)).name("trades").uid("parse-trades");
  }

  public static SingleOutputStreamOperator<Article> articles(DataStream<Envelope> in) {
    return in.process(new ProcessFunction<Envelope, Article>() {
      @Override
      public void processElement(Envelope e, Context ctx, Collector<Article> out) {
        if (e.article != null) out.collect(e.article);
        else ctx.output(REJECTS, Reject.of(e));
      }
    }).returns(Types.POJO(Article.class)).name("articles").uid("parse-articles");
  }

  public static SingleOutputStreamOperator<Bar> appBars(DataStream<Envelope> in) {
    return in.process(new ProcessFunction<Envelope, Bar>() {
      @Override
      public void processElement(Envelope e, Context ctx, Collector<Bar> out) {
        if (e.bar != null) out.collect(e.bar);
        else ctx.output(REJECTS, Reject.of(e));
      }
    }).returns(Types.POJO(Bar.class)).name("app-bars").uid("parse-bars");
  }
}
