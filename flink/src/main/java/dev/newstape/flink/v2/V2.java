package dev.newstape.flink.v2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The v2 data types (docs/impact-v2.md; TypeScript twins in src-main/domain/impact.ts and
 * src-main/signals/v2/types.ts). Public fields and no-arg constructors so Flink treats them as POJOs.
 */
public final class V2 {
  private V2() {}

  /** Thresholds and the market proxy; every record carries the values it used. */
  public record Settings(String proxy, double z, double rvol, double zWithVolume, double zMove) implements Serializable {
    public static final Settings DEFAULT = new Settings("SPY", 3, 3, 2, 4);
  }

  /** A print as the engine takes it; {@code seq} null only for prints synthesised from 1-second bars. */
  public static class Print implements Serializable {
    private static final long serialVersionUID = 1L;
    public String symbol;
    public long ts;
    public double price;
    public double size;
    public int[] conditions = new int[0];
    public Long seq;
    /** live | trades | seconds. */
    public String source = "live";
    /** Prints counted for print rates (quiet): 1, or max(1, trades) of a second bar. */
    public int weight = 1;

    public Print() {}

    public Print(String symbol, long ts, double price, double size, int[] conditions, Long seq, String source) {
      this.symbol = symbol;
      this.ts = ts;
      this.price = price;
      this.size = size;
      this.conditions = conditions == null ? new int[0] : conditions;
      this.seq = seq;
      this.source = source;
    }

    /** A second bar as its one eligible print: at start + 999, price close, size volume, weight max(1, trades). */
    public static Print ofSecondBar(String symbol, long start, double close, double volume, long trades) {
      Print p = new Print(symbol, start + 999, close, volume, new int[0], null, "seconds");
      p.weight = (int) Math.max(1, Math.min(Integer.MAX_VALUE, trades));
      return p;
    }

    public boolean valid() {
      return Double.isFinite(price) && price > 0 && Double.isFinite(size) && size > 0 && symbol != null;
    }
  }

  /** A previous session's 1-minute bar. */
  public static class MinuteBar implements Serializable {
    private static final long serialVersionUID = 1L;
    public String symbol;
    public long start;
    public double close;
    public double volume;

    public MinuteBar() {}

    public MinuteBar(String symbol, long start, double close, double volume) {
      this.symbol = symbol;
      this.start = start;
      this.close = close;
      this.volume = volume;
    }
  }

  /** A closed span [from, to] during which a symbol's data was being received. */
  public static class Span implements Serializable {
    private static final long serialVersionUID = 1L;
    public long from;
    public long to;
    public String source;

    public Span() {}

    public Span(long from, long to, String source) {
      this.from = from;
      this.to = to;
      this.source = source;
    }
  }

  public static class Headline implements Serializable {
    private static final long serialVersionUID = 1L;
    public String id;
    public long published;
    public long receivedAt;
    public String title = "";
    public String[] tickers = new String[0];

    public Headline() {}

    public Headline(String id, long published, long receivedAt, String title, String... tickers) {
      this.id = id;
      this.published = published;
      this.receivedAt = receivedAt;
      this.title = title == null ? "" : title;
      this.tickers = tickers;
    }
  }

  /** ImpactRecordV2 of src-main/domain/impact.ts. */
  public static class ImpactRecord implements Serializable {
    private static final long serialVersionUID = 1L;
    public String articleId;
    public String symbol;
    public long published;
    public long receivedAt;
    public long asOf;
    public String source;
    public Double p0;
    public double beta;
    public boolean adjusted;
    public Double sigma;
    public Double sigmaRealised;
    public Double sigmaFloor;
    public Double ret1, ret5, ret15;
    public Double ar1, ar5, ar15;
    public Double z1, z5, z15;
    public Boolean quiet1, quiet5, quiet15;
    public Double rvol5;
    public String rvolBasis;
    public String signal;
    public Long detectedAt;
    public Boolean confirmed;
    public Long alertAt;
    public String move;
    public long latencyMs;
    public boolean stale;
    public boolean fin;
    public Settings settings;
    public String origin = "flink";
    /** The operator key it came from (0 in the job; not part of the JSON). */
    public int market;

    public ImpactRecord() {}

    public String key() {
      return articleId + "|" + symbol;
    }
  }

  /** MoveAlert of src-main/domain/impact.ts; id = {@code <symbol>|<detectedAt>}. */
  public static class MoveAlert implements Serializable {
    private static final long serialVersionUID = 1L;
    public String id;
    public String symbol;
    public long windowStart;
    public long detectedAt;
    public String direction;
    public double size;
    public double z;
    public double sigma;
    public double beta;
    public boolean adjusted;
    public double price;
    public List<String> headlines = new ArrayList<>();
    public String proxy;
    public double zMove;
    public String origin = "flink";
    /** The operator key it came from (0 in the job; not part of the JSON). */
    public int market;

    public MoveAlert() {}

    public MoveAlert copy() {
      MoveAlert m = new MoveAlert();
      m.id = id;
      m.symbol = symbol;
      m.windowStart = windowStart;
      m.detectedAt = detectedAt;
      m.direction = direction;
      m.size = size;
      m.z = z;
      m.sigma = sigma;
      m.beta = beta;
      m.adjusted = adjusted;
      m.price = price;
      m.headlines = new ArrayList<>(headlines);
      m.proxy = proxy;
      m.zMove = zMove;
      m.origin = origin;
      m.market = market;
      return m;
    }
  }
}
