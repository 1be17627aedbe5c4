package dev.newstape.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.BitSet;
import java.util.Iterator;
import java.util.Map;

/**
 * The condition-code rules of fixtures/trade-conditions.json (shared with the app, copied onto the classpath at
 * build time): a trade updates the last price only if none of its codes has updatesLast=false, and counts in
 * volume only if none has updatesVolume=false. Unlisted codes update both.
 */
public final class TradeConditions implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String RESOURCE = "/newstape/trade-conditions.json";

  private final BitSet noLast;
  private final BitSet noVolume;
  private final int maxCode;

  private TradeConditions(BitSet noLast, BitSet noVolume) {
    this.noLast = noLast;
    this.noVolume = noVolume;
    this.maxCode = Math.max(noLast.length(), noVolume.length());
  }

  private static volatile TradeConditions shared;

  /** The rules shipped on the classpath. */
  public static TradeConditions load() {
    TradeConditions s = shared;
    if (s != null) return s;
    try (InputStream in = TradeConditions.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException("missing classpath resource " + RESOURCE);
      s = parse(new ObjectMapper().readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    shared = s;
    return s;
  }

  public static TradeConditions parse(JsonNode root) {
    JsonNode conds = root.get("conditions");
    if (conds == null || !conds.isObject()) throw new IllegalArgumentException("trade-conditions: no conditions object");
    BitSet noLast = new BitSet();
    BitSet noVolume = new BitSet();
    for (Iterator<Map.Entry<String, JsonNode>> it = conds.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      int code = Integer.parseInt(e.getKey());
      if (!e.getValue().path("updatesLast").asBoolean(true)) noLast.set(code);
      if (!e.getValue().path("updatesVolume").asBoolean(true)) noVolume.set(code);
    }
    return new TradeConditions(noLast, noVolume);
  }

  public boolean updatesLast(int[] conditions) {
    for (int c : conditions) if (c >= 0 && c < maxCode && noLast.get(c)) return false;
    return true;
  }

  public boolean updatesVolume(int[] conditions) {
    for (int c : conditions) if (c >= 0 && c < maxCode && noVolume.get(c)) return false;
    return true;
  }
}
