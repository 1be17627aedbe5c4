package dev.newstape.flink.v2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON of the v2 records (the shapes of src-main/domain/impact.ts), and the reader of golden vector inputs. */
public final class V2Json {
  private V2Json() {}

  public static final ObjectMapper MAPPER = new ObjectMapper();

  public static ObjectNode settings(V2.Settings s) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("proxy", s.proxy());
    o.put("z", s.z());
    o.put("rvol", s.rvol());
    o.put("zWithVolume", s.zWithVolume());
    o.put("zMove", s.zMove());
    return o;
  }

  public static V2.Settings settings(JsonNode n) {
    V2.Settings d = V2.Settings.DEFAULT;
    if (n == null || !n.isObject()) return d;
    return new V2.Settings(n.path("proxy").asText(d.proxy()), n.path("z").asDouble(d.z()), n.path("rvol").asDouble(d.rvol()),
        n.path("zWithVolume").asDouble(d.zWithVolume()), n.path("zMove").asDouble(d.zMove()));
  }

  public static ObjectNode impact(V2.ImpactRecord r) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("articleId", r.articleId);
    o.put("symbol", r.symbol);
    o.put("published", r.published);
    o.put("receivedAt", r.receivedAt);
    o.put("asOf", r.asOf);
    o.put("source", r.source);
    o.put("p0", r.p0);
    o.put("beta", r.beta);
    o.put("adjusted", r.adjusted);
    o.put("sigma", r.sigma);
    o.put("sigmaRealised", r.sigmaRealised);
    o.put("sigmaFloor", r.sigmaFloor);
    o.put("ret1", r.ret1);
    o.put("ret5", r.ret5);
    o.put("ret15", r.ret15);
    o.put("ar1", r.ar1);
    o.put("ar5", r.ar5);
    o.put("ar15", r.ar15);
    o.put("z1", r.z1);
    o.put("z5", r.z5);
    o.put("z15", r.z15);
    o.put("quiet1", r.quiet1);
    o.put("quiet5", r.quiet5);
    o.put("quiet15", r.quiet15);
    o.put("rvol5", r.rvol5);
    o.put("rvolBasis", r.rvolBasis);
    o.put("signal", r.signal);
    o.put("detectedAt", r.detectedAt);
    o.put("confirmed", r.confirmed);
    o.put("alertAt", r.alertAt);
    o.put("move", r.move);
    o.put("latencyMs", r.latencyMs);
    o.put("stale", r.stale);
    o.put("final", r.fin);
    o.set("settings", settings(r.settings));
    o.put("origin", r.origin);
    return o;
  }

  public static ObjectNode move(V2.MoveAlert a) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("id", a.id);
    o.put("symbol", a.symbol);
    o.put("windowStart", a.windowStart);
    o.put("detectedAt", a.detectedAt);
    o.put("direction", a.direction);
    o.put("size", a.size);
    o.put("z", a.z);
    o.put("sigma", a.sigma);
    o.put("beta", a.beta);
    o.put("adjusted", a.adjusted);
    o.put("price", a.price);
    ArrayNode h = o.putArray("headlines");
    a.headlines.forEach(h::add);
    ObjectNode s = o.putObject("settings");
    s.put("proxy", a.proxy);
    s.put("zMove", a.zMove);
    o.put("origin", a.origin);
    return o;
  }

  public static byte[] bytes(JsonNode n) {
    try {
      return MAPPER.writeValueAsBytes(n);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static int[] ints(JsonNode a) {
    if (a == null || !a.isArray()) return new int[0];
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) out[i] = a.get(i).asInt();
    return out;
  }

  /** The inputs of a golden vector file (docs/impact-v2.md, "Golden vector file"). */
  public static ImpactV2.Input input(JsonNode root) {
    Map<String, List<V2.Span>> cov = new LinkedHashMap<>();
    root.path("coverage").fields().forEachRemaining(e -> {
      List<V2.Span> l = new ArrayList<>();
      for (JsonNode s : e.getValue()) l.add(new V2.Span(s.get("from").asLong(), s.get("to").asLong(), s.path("source").asText("live")));
      cov.put(e.getKey(), l);
    });
    List<V2.MinuteBar> bars = new ArrayList<>();
    for (JsonNode b : root.path("minuteBars"))
      bars.add(new V2.MinuteBar(b.get("symbol").asText(), b.get("start").asLong(), b.get("close").asDouble(), b.get("volume").asDouble()));
    List<V2.Print> prints = new ArrayList<>();
    for (JsonNode p : root.path("prints")) {
      JsonNode seq = p.get("seq");
      prints.add(new V2.Print(p.get("symbol").asText(), p.get("ts").asLong(), p.get("price").asDouble(), p.get("size").asDouble(),
          ints(p.get("conditions")), seq == null || seq.isNull() ? null : seq.asLong(), p.path("source").asText("live")));
    }
    for (JsonNode b : root.path("secondBars"))
      prints.add(V2.Print.ofSecondBar(b.get("symbol").asText(), b.get("start").asLong(), b.get("close").asDouble(),
          b.get("volume").asDouble(), b.path("trades").asLong(0)));
    List<V2.Headline> arts = new ArrayList<>();
    for (JsonNode a : root.path("articles")) {
      List<String> t = new ArrayList<>();
      for (JsonNode x : a.path("tickers")) t.add(x.asText());
      long pub = a.get("published").asLong();
      arts.add(new V2.Headline(a.get("id").asText(), pub, a.path("receivedAt").asLong(pub), a.path("title").asText(""),
          t.toArray(new String[0])));
    }
    return new ImpactV2.Input(settings(root.get("settings")), cov, bars, prints, arts);
  }
}
