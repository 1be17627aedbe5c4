package dev.newstape.flink.v2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The v2 input stream's serializer: every kind of event, with its nulls, there and back and copied. */
class V2EventTypeTest {
  static final TypeSerializer<V2Event> SER = V2EventType.INFO.createSerializer(new SerializerConfigImpl());

  static byte[] bytes(V2Event e) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(256);
    SER.serialize(e, out);
    return out.getCopyOfBuffer();
  }

  static List<V2Event> kinds() {
    V2Event print = V2Event.of(new V2.Print("AAPL", 5, 230.5, 0.25, new int[] {12, 37}, 99L, "trades"));
    print.market = 3;
    print.order = 7;
    V2Event second = V2Event.of(V2.Print.ofSecondBar("MSFT", 1_000, 410, 300, 4));
    V2Event noSymbol = V2Event.of(new V2.Print(null, 6, Double.NaN, 1, null, null, null));
    noSymbol.print.conditions = null;
    V2.Headline h = new V2.Headline("h1", 10, 12, "Title", "AAPL", "SPY");
    V2Event headline = V2Event.of(h);
    V2.Headline bare = new V2.Headline("h2", 10, 12, null);
    bare.title = null;
    bare.tickers = null;
    return List.of(print, second, noSymbol, headline, V2Event.of(bare), V2Event.of(new V2.MinuteBar("SPY", 60_000, 600, 1e6)),
        V2Event.coverage("AAPL", new V2.Span(1, Long.MAX_VALUE, "live")), V2Event.snapshotAt(100, 90));
  }

  @Test
  void everyKindThereAndBack() throws IOException {
    for (V2Event e : kinds()) {
      byte[] b = bytes(e);
      V2Event back = SER.deserialize(new DataInputDeserializer(b));
      assertArrayEquals(b, bytes(back), "there and back: " + e.rank());
      V2Event copy = SER.copy(e);
      assertNotSame(e, copy);
      assertArrayEquals(b, bytes(copy), "copy: " + e.rank());
      assertEquals(e.time, back.time);
      assertEquals(e.rank(), back.rank());
    }
    V2Event p = SER.deserialize(new DataInputDeserializer(bytes(kinds().get(0))));
    assertEquals("AAPL", p.print.symbol);
    assertArrayEquals(new int[] {12, 37}, p.print.conditions);
    assertEquals(99L, p.print.seq);
    assertEquals("trades", p.print.source);
    assertEquals(0.25, p.print.size);
    assertEquals(3, p.market);
    assertEquals(7, p.order);
    V2Event s = SER.deserialize(new DataInputDeserializer(bytes(kinds().get(1))));
    assertNull(s.print.seq);
    assertEquals(4, s.print.weight);
    V2Event bare = SER.deserialize(new DataInputDeserializer(bytes(kinds().get(4))));
    assertNull(bare.headline.title);
    assertNull(bare.headline.tickers);
    V2Event snap = SER.deserialize(new DataInputDeserializer(bytes(kinds().get(7))));
    assertEquals(true, snap.snapshot);
    assertEquals(90, snap.snapshotAsOf);
  }
}
