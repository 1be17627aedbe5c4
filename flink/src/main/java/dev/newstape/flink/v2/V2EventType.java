package dev.newstape.flink.v2;

import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The type of the v2 operator's input stream as the job gives it ({@link #INFO}): events written field by field
 * (the same layout as in the operator's state, {@link V2EngineSerializer}) instead of by Flink's POJO serializer,
 * which creates them by reflection and walks every nested field and null mask per record; every print crosses the
 * network to the one v2 instance, so that was a good part of both ends' time (docs/decisions/0009-v2-engine-state.md).
 * Not used for any state.
 */
public final class V2EventType extends TypeInformation<V2Event> {
  private static final long serialVersionUID = 1L;
  public static final V2EventType INFO = new V2EventType();

  @Override
  public boolean isBasicType() {
    return false;
  }

  @Override
  public boolean isTupleType() {
    return false;
  }

  @Override
  public int getArity() {
    return 1;
  }

  @Override
  public int getTotalFields() {
    return 1;
  }

  @Override
  public Class<V2Event> getTypeClass() {
    return V2Event.class;
  }

  @Override
  public boolean isKeyType() {
    return false;
  }

  @Override
  public TypeSerializer<V2Event> createSerializer(SerializerConfig config) {
    return Serializer.INSTANCE;
  }

  @Override
  public String toString() {
    return "V2Event";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof V2EventType;
  }

  @Override
  public int hashCode() {
    return V2EventType.class.hashCode();
  }

  @Override
  public boolean canEqual(Object o) {
    return o instanceof V2EventType;
  }

  /** The events' serializer: {@link V2EngineSerializer}'s event layout. */
  public static final class Serializer extends TypeSerializerSingleton<V2Event> {
    private static final long serialVersionUID = 1L;
    static final Serializer INSTANCE = new Serializer();

    @Override
    public boolean isImmutableType() {
      return false;
    }

    @Override
    public V2Event createInstance() {
      return new V2Event();
    }

    /** A deep copy (chained operators without object reuse hand copies on). */
    @Override
    public V2Event copy(V2Event e) {
      V2Event c = new V2Event();
      c.market = e.market;
      c.time = e.time;
      c.order = e.order;
      if (e.print != null) {
        V2.Print p = e.print, q = new V2.Print();
        q.symbol = p.symbol;
        q.ts = p.ts;
        q.price = p.price;
        q.size = p.size;
        q.conditions = p.conditions == null ? null : p.conditions.clone();
        q.seq = p.seq;
        q.source = p.source;
        q.weight = p.weight;
        c.print = q;
      }
      if (e.headline != null) {
        V2.Headline h = e.headline;
        c.headline = new V2.Headline(h.id, h.published, h.receivedAt, h.title, h.tickers == null ? null : h.tickers.clone());
        c.headline.title = h.title; // the constructor turns a null title into "": a copy keeps it as it was
      }
      if (e.bar != null) c.bar = new V2.MinuteBar(e.bar.symbol, e.bar.start, e.bar.close, e.bar.volume);
      if (e.span != null) c.span = new V2.Span(e.span.from, e.span.to, e.span.source);
      c.spanSymbol = e.spanSymbol;
      c.snapshot = e.snapshot;
      c.snapshotAsOf = e.snapshotAsOf;
      return c;
    }

    @Override
    public V2Event copy(V2Event from, V2Event reuse) {
      return copy(from);
    }

    @Override
    public int getLength() {
      return -1;
    }

    @Override
    public void serialize(V2Event e, DataOutputView out) throws IOException {
      V2EngineSerializer.writeEvent(e, out);
    }

    @Override
    public V2Event deserialize(DataInputView in) throws IOException {
      return V2EngineSerializer.readEvent(in);
    }

    @Override
    public V2Event deserialize(V2Event reuse, DataInputView in) throws IOException {
      return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
      serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<V2Event> snapshotConfiguration() {
      return new Snapshot();
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<V2Event> {
      public Snapshot() {
        super(() -> INSTANCE);
      }
    }
  }
}
