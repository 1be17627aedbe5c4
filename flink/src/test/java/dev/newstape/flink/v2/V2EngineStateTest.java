package dev.newstape.flink.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The v2 operator's state: its own serializer ({@link V2EngineSerializer}) keeps every record the engine would have
 * emitted without a checkpoint; the Kryo state of the job before it (a real one, written by commit 44003e1) still
 * restores, with its de-duplication keys taken over; a format this version does not know is refused with a message.
 */
class V2EngineStateTest {
  static final TypeSerializer<V2Engine> SER = new V2EngineSerializer();

  static V2Engine roundTrip(V2Engine e) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(1 << 16);
    SER.serialize(e, out);
    V2Engine back = SER.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    return SER.copy(back); // and what the heap backend does to it after a checkpoint
  }

  /** Every record and alert of one step, as JSON lines. */
  static void collect(V2Engine.Out o, List<String> into) {
    o.impacts().forEach(r -> into.add("I " + V2Json.impact(r)));
    o.moves().forEach(a -> into.add("M " + V2Json.move(a)));
  }

  /** Feeds the tape's events after SPLIT and advances second by second to the end; every record emitted. */
  static List<String> rest(V2Engine eng, boolean roundTrips) throws IOException {
    List<String> out = new ArrayList<>();
    for (V2Event e : StateEvents.events()) if (e.time > StateEvents.SPLIT) eng.add(e);
    long end = StateEvents.END + 16 * Eastern.MIN;
    for (long t = StateEvents.SPLIT + 1000; t <= end; t += 1000) {
      collect(eng.advanceTo(t), out);
      if (roundTrips && t % 97_000 < 1000) eng = roundTrip(eng);
    }
    return out;
  }

  /** The engine after SPLIT, built here as 44003e1 built the fixture. */
  static V2Engine upToSplit() {
    V2Engine eng = new V2Engine(V2.Settings.DEFAULT);
    for (V2Event e : StateEvents.events()) if (e.time <= StateEvents.SPLIT) eng.add(e);
    for (long t = StateEvents.OPEN - 24 * 3_600_000L; ; t = Math.min(t + 1000, StateEvents.SPLIT)) {
      eng.advanceTo(t);
      if (t == StateEvents.SPLIT) return eng;
    }
  }

  @Test
  void ownSerializerKeepsEveryRecord() throws Exception {
    List<String> straight = rest(upToSplit(), false);
    List<String> restored = rest(roundTrip(upToSplit()), true);
    assertTrue(straight.size() >= 8, "records: " + straight.size());
    assertTrue(straight.stream().anyMatch(l -> l.startsWith("M ")), "a move alert after the split");
    sameLines(straight, restored);
  }

  /**
   * The heap backend's copy after a checkpoint: the copy goes on with the original's caches, and the original, were
   * it asked again, rebuilds its own. Both emit what an engine without a checkpoint emits.
   */
  @Test
  void aCopyTakesTheCachesOver() throws Exception {
    List<String> straight = rest(upToSplit(), false);
    V2Engine used = upToSplit();
    V2Engine copy = SER.copy(used);
    sameLines(straight, rest(copy, false));
    sameLines(straight, rest(used, false));
  }

  /**
   * The copy shares the original's prints (copy-on-write). The checkpoint writes the original out while the copy goes
   * on: written after the copy has run to the end, the original still restores to an engine that emits exactly what
   * one without a checkpoint emits.
   */
  @Test
  void theOriginalIsWrittenOutUntouchedByItsCopy() throws Exception {
    List<String> straight = rest(upToSplit(), false);
    V2Engine original = upToSplit();
    V2Engine copy = SER.copy(original);
    sameLines(straight, rest(copy, false));
    DataOutputSerializer out = new DataOutputSerializer(1 << 16);
    SER.serialize(original, out); // what the checkpoint's asynchronous part does with the original
    sameLines(straight, rest(SER.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())), false));
  }

  static byte[] fixture() throws IOException {
    Path f = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("../fixtures/flink/v2-engine-kryo-44003e1.bin.gz").normalize();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
      return in.readAllBytes();
    }
  }

  @Test
  void kryoStateOfTheEarlierVersionRestores() throws Exception {
    TypeSerializer<V2Engine> kryo = TypeInformation.of(V2Engine.class).createSerializer(new SerializerConfigImpl());
    V2Engine old = kryo.deserialize(new DataInputDeserializer(fixture()));
    assertEquals(1710, old.market.seen.size(), "the earlier version's de-duplication keys, as strings");
    V2Engine fresh = upToSplit();
    // Written by this version's serializer before first use: the keys go along.
    V2Engine viaNewFormat = roundTrip(kryo.deserialize(new DataInputDeserializer(fixture())));
    // Copied by the heap backend before first use: the keys go along too.
    V2Engine copied = SER.copy(kryo.deserialize(new DataInputDeserializer(fixture())));
    List<String> expected = rest(fresh, false);
    sameLines(expected, rest(old, false));
    sameLines(expected, rest(viaNewFormat, false));
    sameLines(expected, rest(copied, false));
    assertTrue(old.market.seen.isEmpty());
    assertEquals(sorted(fresh.market.dedup().keys()), sorted(old.market.dedup().keys()));
    assertEquals(fresh.market.duplicates, old.market.duplicates);
    assertTrue(fresh.market.duplicates > 10, "duplicates rejected by keys from before the split: " + fresh.market.duplicates);
  }

  /** Equal lists of records, reported at the first difference. */
  static void sameLines(List<String> expected, List<String> actual) {
    for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) assertEquals(expected.get(i), actual.get(i), "record " + i);
    assertEquals(expected.size(), actual.size(), "records");
  }

  static List<String> sorted(List<String> l) {
    List<String> c = new ArrayList<>(l);
    c.sort(null);
    return c;
  }

  @Test
  void anUnknownFormatIsRefusedWithAMessage() throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(64);
    out.writeByte(V2EngineSerializer.FORMAT + 1);
    IOException e = assertThrows(IOException.class, () -> SER.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())));
    assertTrue(e.getMessage().contains("RESTORE=false"), e.getMessage());

    DataOutputSerializer snap = new DataOutputSerializer(64);
    snap.writeInt(V2EngineSerializer.FORMAT + 1);
    IOException s = assertThrows(IOException.class,
        () -> new V2EngineSerializer.Snapshot().readSnapshot(1, new DataInputDeserializer(snap.getCopyOfBuffer()), getClass().getClassLoader()));
    assertTrue(s.getMessage().contains("format " + (V2EngineSerializer.FORMAT + 1)), s.getMessage());

    V2EngineSerializer.Snapshot now = new V2EngineSerializer.Snapshot();
    assertTrue(now.resolveSchemaCompatibility(new V2EngineSerializer.Snapshot()).isCompatibleAsIs());
  }

  @Test
  void deduplicationKeys() {
    Dedup d = new Dedup();
    assertTrue(d.add("A", 5, 100));
    assertTrue(!d.add("A", 5, 100), "same symbol, seq and day");
    assertTrue(d.add("A", 5, 101), "another day");
    assertTrue(d.add("B", 5, 100), "another symbol");
    assertTrue(d.add("A", 0, 100));
    assertTrue(!d.add("A", 0, 100), "seq 0 too");
    assertTrue(d.add("A|x", 5, 100), "a symbol with the separator in it");
    for (long q = 1; q < 5_000; q++) d.add("C", q * 7919, 100); // growth
    for (long q = 1; q < 5_000; q++) assertTrue(!d.add("C", q * 7919, 100));
    d.pruneBefore(101);
    assertEquals(List.of("A|5|101"), d.keys());
    Dedup legacy = new Dedup();
    legacy.addAll(java.util.Set.of("A|5|100", "A|x|7|100", "B|-3|99"));
    assertEquals(List.of("A|5|100", "A|x|7|100", "B|-3|99"), sorted(legacy.keys()));
  }
}
