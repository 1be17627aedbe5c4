package dev.newstape.flink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.newstape.flink.model.Article;
import dev.newstape.flink.model.Bar;
import dev.newstape.flink.model.Impact;
import dev.newstape.flink.model.Trade;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * JSON at the Kafka boundary. Every parse takes untrusted bytes and either returns a value that passed validation
 * or throws {@link BadRecord} with a reason; nothing else escapes.
 */
public final class Codec {
  private Codec() {}

  public static final ObjectMapper MAPPER = new ObjectMapper();

  public static final class BadRecord extends Exception {
    private static final long serialVersionUID = 1L;

    public BadRecord(String msg) {
      super(msg, null, false, false);
    }
  }

  private static JsonNode object(byte[] value) throws BadRecord {
    if (value == null) throw new BadRecord("null value");
    JsonNode n;
    try {
      n = MAPPER.readTree(value);
    } catch (IOException e) {
      throw new BadRecord("not JSON: " + e.getClass().getSimpleName());
    }
    if (n == null || !n.isObject()) throw new BadRecord("not a JSON object");
    return n;
  }

  private static String str(JsonNode o, String f, boolean required) throws BadRecord {
    JsonNode v = o.get(f);
    if (v == null || v.isNull()) {
      if (required) throw new BadRecord("missing " + f);
      return "";
    }
    if (!v.isTextual()) throw new BadRecord(f + " is not a string");
    return v.textValue();
  }

  private static double num(JsonNode o, String f) throws BadRecord {
    JsonNode v = o.get(f);
    if (v == null || !v.isNumber()) throw new BadRecord(f + " is not a number");
    double d = v.doubleValue();
    if (!Double.isFinite(d)) throw new BadRecord(f + " is not finite");
    return d;
  }

  private static long time(JsonNode o, String f) throws BadRecord {
    double d = num(o, f);
    if (d != Math.rint(d) || d < 0 || d > 8.64e15) throw new BadRecord(f + " is not an epoch-ms integer");
    return (long) d;
  }

  private static int integer(JsonNode o, String f, int dflt) throws BadRecord {
    JsonNode v = o.get(f);
    if (v == null || v.isNull()) return dflt;
    if (!v.isIntegralNumber() && !(v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue())))
      throw new BadRecord(f + " is not an integer");
    return v.intValue();
  }

  private static final com.fasterxml.jackson.core.JsonFactory FACTORY = MAPPER.getFactory();

  /**
   * The hot path (every trade): {@link TradeFastPath} for the common well-formed record, else the Jackson streaming
   * parse below, which is the reference for values and for every reason a record is rejected.
   */
  public static Trade parseTrade(byte[] value) throws BadRecord {
    Trade t = TradeFastPath.parse(value);
    return t != null ? t : parseTradeJackson(value);
  }

  /**
   * A streaming parse instead of a tree, same rules as the other parsers. Unknown fields are skipped; each known
   * field must have the right type.
   */
  static Trade parseTradeJackson(byte[] value) throws BadRecord {
    if (value == null) throw new BadRecord("null value");
    Trade t = new Trade();
    boolean hasPrice = false, hasSize = false, hasTs = false, hasSeq = false;
    try (com.fasterxml.jackson.core.JsonParser p = FACTORY.createParser(value)) {
      if (p.nextToken() != JsonToken.START_OBJECT) throw new BadRecord("not a JSON object");
      JsonToken tok;
      while ((tok = p.nextToken()) == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        JsonToken v = p.nextToken();
        switch (f) {
          case "symbol" -> {
            if (v == JsonToken.VALUE_NULL) break;
            if (v != JsonToken.VALUE_STRING) throw new BadRecord("symbol is not a string");
            t.symbol = p.getText();
          }
          case "price" -> {
            t.price = number(p, v, f);
            hasPrice = true;
          }
          case "size" -> {
            t.size = number(p, v, f);
            hasSize = true;
          }
          case "ts" -> {
            t.ts = epochMs(number(p, v, f), f);
            hasTs = true;
          }
          case "seq" -> {
            t.seq = epochMs(number(p, v, f), f);
            hasSeq = true;
          }
          case "exchange" -> t.exchange = v == JsonToken.VALUE_NULL ? 0 : intValue(p, v, f);
          case "tape" -> t.tape = v == JsonToken.VALUE_NULL ? 0 : intValue(p, v, f);
          // trade/v2 fields (absent or null in v1 values).
          case "pt" -> t.pt = v == JsonToken.VALUE_NULL ? 0 : epochMs(number(p, v, f), f);
          case "trfi" -> t.trfi = v == JsonToken.VALUE_NULL ? 0 : intValue(p, v, f);
          case "trft" -> t.trft = v == JsonToken.VALUE_NULL ? 0 : epochMs(number(p, v, f), f);
          case "id" -> t.id = v == JsonToken.VALUE_NULL ? "" : p.getText();
          case "conditions" -> {
            if (v == JsonToken.VALUE_NULL) break;
            if (v != JsonToken.START_ARRAY) throw new BadRecord("conditions is not an array");
            int[] c = new int[4];
            int n = 0;
            JsonToken e;
            while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
              if (e != JsonToken.VALUE_NUMBER_INT) throw new BadRecord("conditions[" + n + "] is not an integer");
              if (n == c.length) c = java.util.Arrays.copyOf(c, n * 2);
              c[n++] = p.getIntValue();
            }
            t.conditions = n == c.length ? c : java.util.Arrays.copyOf(c, n);
          }
          default -> p.skipChildren();
        }
      }
      if (tok != JsonToken.END_OBJECT) throw new BadRecord("not a JSON object");
    } catch (IOException e) {
      throw new BadRecord("not JSON: " + e.getClass().getSimpleName());
    }
    if (t.symbol == null) throw new BadRecord("missing symbol");
    if (t.symbol.isEmpty()) throw new BadRecord("empty symbol");
    if (!hasPrice) throw new BadRecord("price is not a number");
    if (t.price <= 0) throw new BadRecord("price is not positive");
    if (!hasSize) throw new BadRecord("size is not a number");
    if (t.size < 0) throw new BadRecord("size is negative");
    if (!hasTs) throw new BadRecord("ts is not a number");
    if (!hasSeq) throw new BadRecord("seq is not a number");
    return t;
  }

  private static double number(com.fasterxml.jackson.core.JsonParser p, JsonToken v, String f) throws IOException, BadRecord {
    if (v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_NUMBER_FLOAT) throw new BadRecord(f + " is not a number");
    double d = p.getDoubleValue();
    if (!Double.isFinite(d)) throw new BadRecord(f + " is not finite");
    return d;
  }

  private static long epochMs(double d, String f) throws BadRecord {
    if (d != Math.rint(d) || d < 0 || d > 8.64e15) throw new BadRecord(f + " is not an epoch-ms integer");
    return (long) d;
  }

  private static int intValue(com.fasterxml.jackson.core.JsonParser p, JsonToken v, String f) throws IOException, BadRecord {
    double d = number(p, v, f);
    if (d != Math.rint(d)) throw new BadRecord(f + " is not an integer");
    return (int) d;
  }

  public static Article parseArticle(byte[] value) throws BadRecord {
    JsonNode o = object(value);
    Article a = new Article();
    a.id = str(o, "id", true);
    if (a.id.isEmpty()) throw new BadRecord("empty id");
    a.published = time(o, "published");
    a.updated = o.hasNonNull("updated") ? time(o, "updated") : a.published;
    a.title = str(o, "title", true);
    a.url = str(o, "url", false);
    a.section = str(o, "section", false);
    a.type = str(o, "type", false);
    a.trailText = str(o, "trailText", false);
    a.query = str(o, "query", false);
    a.receivedAt = o.hasNonNull("receivedAt") ? time(o, "receivedAt") : a.published;
    JsonNode st = o.get("stale");
    a.stale = st != null && st.isBoolean() && st.booleanValue();
    JsonNode tk = o.get("tickers");
    if (tk == null || tk.isNull()) {
      a.tickers = new String[0];
    } else {
      if (!tk.isArray()) throw new BadRecord("tickers is not an array");
      a.tickers = new String[tk.size()];
      for (int i = 0; i < tk.size(); i++) {
        if (!tk.get(i).isTextual() || tk.get(i).textValue().isEmpty()) throw new BadRecord("tickers[" + i + "] is not a symbol");
        a.tickers[i] = tk.get(i).textValue();
      }
    }
    return a;
  }

  public static Bar parseBar(byte[] value) throws BadRecord {
    JsonNode o = object(value);
    Bar b = new Bar();
    b.symbol = str(o, "symbol", true);
    if (b.symbol.isEmpty()) throw new BadRecord("empty symbol");
    b.start = time(o, "start");
    b.end = time(o, "end");
    if (b.end <= b.start) throw new BadRecord("end is not after start");
    b.open = num(o, "open");
    b.high = num(o, "high");
    b.low = num(o, "low");
    b.close = num(o, "close");
    b.volume = num(o, "volume");
    b.vwap = o.hasNonNull("vwap") ? num(o, "vwap") : b.close;
    b.trades = o.hasNonNull("trades") ? time(o, "trades") : 0;
    b.source = str(o, "source", true);
    if (b.source.isEmpty() || "flink".equals(b.source)) throw new BadRecord("bad source " + b.source);
    if (b.low > b.high) throw new BadRecord("low above high");
    // App bars on market.bars.1m are published once their minute closes.
    b.complete = true;
    return b;
  }

  /** The ImpactRecord JSON of src-main/domain/news.ts, origin "flink". */
  public static byte[] impactJson(Impact r) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("articleId", r.articleId);
    o.put("symbol", r.symbol);
    o.put("published", r.published);
    o.put("p0", r.p0);
    o.put("ret1", r.ret1);
    o.put("ret5", r.ret5);
    o.put("ret15", r.ret15);
    o.put("sigma", r.sigma);
    o.put("z1", r.z1);
    o.put("z5", r.z5);
    o.put("z15", r.z15);
    o.put("rvol5", r.rvol5);
    o.put("signal", r.signal);
    o.put("latencyMs", r.latencyMs);
    o.put("stale", r.stale);
    o.put("origin", "flink");
    o.put("final", r.fin);
    try {
      return MAPPER.writeValueAsBytes(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String utf8(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }
}
