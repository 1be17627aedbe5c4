package dev.newstape.flink.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The fields of the v2 operator's state classes, as checkpoints know them. Two readers depend on this list: the
 * Kryo state of earlier versions (state engine-v2) is read into these classes field by field, so their non-transient
 * fields must stay as 44003e1 had them; and {@link V2EngineSerializer} writes each of them (plus Market.dedup) by
 * hand. A field added, removed or retyped here fails this test: write it in V2EngineSerializer under a new FORMAT
 * (keeping a reader for the old one), make it transient if it is only a cache, and update this list.
 */
class V2StateFieldsTest {
  static final Map<Class<?>, String> STATE = new java.util.LinkedHashMap<>();

  static {
    STATE.put(V2Engine.class, "LinkedHashMap<String, V2$Headline> headlines, LinkedHashMap<String, V2$MoveAlert> moves, "
        + "LinkedHashMap<String, V2Engine$Tracked> tracked, List<V2Event> pending, Map<String, MoveDetector> detectors, "
        + "Market market, long lastPrune, long now");
    STATE.put(Market.class, "Map<String, List<V2$Span>> coverage, Map<String, Long> firstLive, Map<String, Series> eligible, "
        + "Map<String, Series> volume, Map<String, TreeMap<Long, V2$MinuteBar>> bars, Set<String> seen, V2$Settings settings, "
        + "long duplicates, long rejected");
    STATE.put(Series.class, "byte[] src, double[] price, double[] size, int n, int[] weight, long[] seq, long[] ts");
    STATE.put(V2Engine.Tracked.class, "Double p0, Double sigma, MoveDetector$Confirmation run, String symbol, V2$Headline h, "
        + "boolean early, boolean refDone, double beta, int stage");
    STATE.put(MoveDetector.class, "MoveDetector$Confirmation run, String symbol, int silentDir, long day, long lastTs, "
        + "long quietEnd, long silentUntil");
    STATE.put(MoveDetector.Confirmation.class, "boolean fired, int dir, long start");
    STATE.put(V2Event.class, "String spanSymbol, V2$Headline headline, V2$MinuteBar bar, V2$Print print, V2$Span span, "
        + "boolean snapshot, int market, long order, long snapshotAsOf, long time");
    STATE.put(V2.Print.class, "Long seq, String source, String symbol, double price, double size, int weight, int[] conditions, long ts");
    STATE.put(V2.Headline.class, "String id, String title, String[] tickers, long published, long receivedAt");
    STATE.put(V2.MinuteBar.class, "String symbol, double close, double volume, long start");
    STATE.put(V2.Span.class, "String source, long from, long to");
    STATE.put(V2.MoveAlert.class, "List<String> headlines, String direction, String id, String origin, String proxy, "
        + "String symbol, boolean adjusted, double beta, double price, double sigma, double size, double z, double zMove, "
        + "int market, long detectedAt, long windowStart");
    STATE.put(V2.Settings.class, "String proxy, double rvol, double z, double zMove, double zWithVolume");
  }

  static String fields(Class<?> c) {
    List<String> out = new ArrayList<>();
    for (Field f : c.getDeclaredFields()) {
      int m = f.getModifiers();
      if (Modifier.isStatic(m) || Modifier.isTransient(m)) continue;
      out.add(f.getGenericType().getTypeName().replace("dev.newstape.flink.v2.", "").replace("java.util.", "")
          .replace("java.lang.", "") + " " + f.getName());
    }
    out.sort(null);
    return String.join(", ", out);
  }

  @Test
  void stateFieldsAreTheOnesCheckpointsKnow() {
    Map<String, String> expected = new TreeMap<>(), actual = new TreeMap<>();
    STATE.forEach((c, f) -> {
      expected.put(c.getName(), f);
      actual.put(c.getName(), fields(c));
    });
    assertEquals(expected, actual);
  }

  /** The one transient field that is state, not cache: written by V2EngineSerializer, moved over from Market.seen. */
  @Test
  void deduplicationKeysAreTransientForKryoOnly() throws Exception {
    assertEquals(true, Modifier.isTransient(Market.class.getDeclaredField("dedup").getModifiers()));
  }
}
