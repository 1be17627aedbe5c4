package dev.newstape.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.newstape.flink.model.Envelope;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.clock.ManualClock;
import org.apache.flink.util.clock.RelativeClock;
import org.junit.jupiter.api.Test;

/**
 * The sources' watermarks with the job's default settings, driven by a manual clock the way the source drives them
 * (a periodic emit every auto-watermark interval): a lone headline must stop holding event time before the trades'
 * own bound would have let it pass, so live signals never wait for the news; a backlog of articles keeps the news
 * source active, so a replay still applies prints after the headlines of their time.
 */
class NewsWatermarksTest {
  static final JobConfig CFG = JobConfig.from(Map.of(), new String[0]);

  /** What a source output receives. */
  static final class Out implements WatermarkOutput {
    long watermark = Long.MIN_VALUE;
    boolean idle;

    @Override
    public void emitWatermark(Watermark w) {
      watermark = w.getTimestamp();
      idle = false;
    }

    @Override
    public void markIdle() {
      idle = true;
    }

    @Override
    public void markActive() {
      idle = false;
    }
  }

  static WatermarkGenerator<Envelope> generator(WatermarkStrategy<Envelope> s, ManualClock clock) {
    return s.createWatermarkGenerator(new WatermarkGeneratorSupplier.Context() {
      @Override
      public MetricGroup getMetricGroup() {
        return new UnregisteredMetricsGroup();
      }

      @Override
      public RelativeClock getInputActivityClock() {
        return clock;
      }
    });
  }

  static Envelope at(long ts) {
    Envelope e = new Envelope();
    e.ts = ts;
    return e;
  }

  /** Periodic emits until the output goes idle or {@code limitMs} passes; the time it took (ms), or -1. */
  static long emitUntilIdle(WatermarkGenerator<Envelope> g, Out out, ManualClock clock, long limitMs) {
    long interval = NewstapeJob.WATERMARK_INTERVAL_MS;
    for (long waited = 0; waited <= limitMs; waited += interval) {
      g.onPeriodicEmit(out);
      if (out.idle) return waited;
      clock.advanceTime(interval, TimeUnit.MILLISECONDS);
    }
    return -1;
  }

  @Test
  void aLoneHeadlineLetsGoBeforeTheTradesBoundWouldHaveLetItPass() {
    ManualClock clock = new ManualClock(1_000_000_000L);
    WatermarkGenerator<Envelope> news = generator(NewstapeJob.newsWatermarks(CFG), clock);
    Out out = new Out();
    long received = 1_796_053_373_000L;
    news.onEvent(at(received), received, out);
    news.onPeriodicEmit(out);
    assertEquals(received - 1, out.watermark, "the article's own time, no bound");
    assertFalse(out.idle);
    // The article was produced when it was received: the trades' watermark passes its time outOfOrderMs later.
    long heldMs = emitUntilIdle(news, out, clock, 60_000);
    assertTrue(heldMs >= 0, "the news source never went idle");
    assertTrue(heldMs >= CFG.newsIdleMs(), "idle after " + heldMs + " ms, before NEWS_IDLE_MS");
    assertTrue(heldMs < CFG.outOfOrderMs(),
        "a lone headline holds event time for " + heldMs + " ms, the trades' bound is " + CFG.outOfOrderMs() + " ms");
  }

  @Test
  void aBacklogOfArticlesKeepsTheNewsSourceActive() {
    ManualClock clock = new ManualClock(1_000_000_000L);
    WatermarkGenerator<Envelope> news = generator(NewstapeJob.newsWatermarks(CFG), clock);
    Out out = new Out();
    long t = 1_796_000_000_000L;
    for (int i = 0; i < 200; i++) { // a replay: an article per periodic emit, each a minute later in event time
      t += 60_000;
      news.onEvent(at(t), t, out);
      news.onPeriodicEmit(out);
      assertFalse(out.idle, "idle while articles still come, at " + i);
      assertEquals(t - 1, out.watermark);
      clock.advanceTime(NewstapeJob.WATERMARK_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }
  }

  @Test
  void tradesTrailTheirNewestPrintByTheBoundAndIdleOnlyAfterIdleMs() {
    ManualClock clock = new ManualClock(1_000_000_000L);
    WatermarkGenerator<Envelope> trades = generator(NewstapeJob.watermarks(CFG), clock);
    Out out = new Out();
    long[][] table = { // event ts in arrival order → watermark after the emit
        {10_000, 10_000 - CFG.outOfOrderMs() - 1},
        {10_400, 10_400 - CFG.outOfOrderMs() - 1},
        {9_900, 10_400 - CFG.outOfOrderMs() - 1}, // an earlier print does not pull the watermark back
        {12_000, 12_000 - CFG.outOfOrderMs() - 1},
    };
    for (long[] row : table) {
      trades.onEvent(at(row[0]), row[0], out);
      trades.onPeriodicEmit(out);
      assertEquals(row[1], out.watermark, "after a print at " + row[0]);
    }
    long idleAfter = emitUntilIdle(trades, out, clock, 120_000);
    assertTrue(idleAfter >= CFG.idleMs(), "trades idle after " + idleAfter + " ms");
  }
}
