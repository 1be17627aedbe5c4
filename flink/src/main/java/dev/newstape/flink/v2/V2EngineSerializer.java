package dev.newstape.flink.v2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * The checkpoint format of the v2 operator's state (one {@link V2Engine} per key), written field by field. It
 * replaced Kryo (docs/decisions/0009-v2-engine-state.md): Kryo copied the whole engine by reflection after every
 * checkpoint and wrote it with a reference map entry per object, which on a day of prints cost more than the
 * computation. Series are written as their arrays, de-duplication keys as longs; transient caches are not written
 * (they are rebuilt on use).
 *
 * <p>Versioned: every record starts with its {@link #FORMAT}, and the serializer snapshot in the checkpoint names it
 * too. A checkpoint written in a format this version does not know is refused at restore with a message (no guess at
 * its bytes). A new format adds a number here and keeps a reader for the old ones.
 */
public final class V2EngineSerializer extends TypeSerializer<V2Engine> {
  private static final long serialVersionUID = 1L;
  /** The format written: 1 = this layout. */
  public static final int FORMAT = 1;

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public TypeSerializer<V2Engine> duplicate() {
    return this; // stateless
  }

  @Override
  public V2Engine createInstance() {
    return new V2Engine(V2.Settings.DEFAULT);
  }

  /**
   * A deep copy, written and read back as a restore would. The heap state backend copies the state on its first use
   * after each checkpoint and goes on with the copy while the original is written out; so the copy also takes over
   * the original's caches (price step functions, beta and floor), which are not written but would take a sweep over
   * every print held to rebuild. The original rebuilds its own if it is ever asked again.
   */
  @Override
  public V2Engine copy(V2Engine from) {
    try {
      DataOutputSerializer out = new DataOutputSerializer(64 * 1024);
      write(from, out, false);
      V2Engine to = read(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()), false);
      to.market.copyPrintsFrom(from.market); // the arrays themselves: faster than through bytes
      to.market.takeCaches(from.market);
      return to;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public V2Engine copy(V2Engine from, V2Engine reuse) {
    return copy(from);
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void copy(DataInputView source, DataOutputView target) throws IOException {
    serialize(deserialize(source), target);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof V2EngineSerializer;
  }

  @Override
  public int hashCode() {
    return V2EngineSerializer.class.hashCode();
  }

  @Override
  public TypeSerializerSnapshot<V2Engine> snapshotConfiguration() {
    return new Snapshot(FORMAT);
  }

  // ---- write ----

  @Override
  public void serialize(V2Engine e, DataOutputView out) throws IOException {
    write(e, out, true);
  }

  /** {@code prints}: with the series and de-duplication keys (else they are left out, for {@link #copy}). */
  private static void write(V2Engine e, DataOutputView out, boolean prints) throws IOException {
    out.writeByte(FORMAT);
    writeMarket(e.market, out, prints);
    out.writeLong(e.now);
    out.writeLong(e.lastPrune);
    out.writeInt(e.detectors.size());
    for (MoveDetector d : e.detectors.values()) writeDetector(d, out);
    List<V2Event> pending = e.pendingInOrder();
    out.writeInt(pending.size());
    for (V2Event x : pending) writeEvent(x, out);
    out.writeInt(e.headlines.size());
    for (V2.Headline h : e.headlines.values()) writeHeadline(h, out);
    out.writeInt(e.tracked.size());
    for (Map.Entry<String, V2Engine.Tracked> t : e.tracked.entrySet()) {
      str(t.getKey(), out);
      writeTracked(t.getValue(), out);
    }
    out.writeInt(e.moves.size());
    for (V2.MoveAlert a : e.moves.values()) writeMove(a, out);
  }

  private static void writeMarket(Market m, DataOutputView out, boolean prints) throws IOException {
    V2.Settings s = m.settings;
    str(s.proxy(), out);
    out.writeDouble(s.z());
    out.writeDouble(s.rvol());
    out.writeDouble(s.zWithVolume());
    out.writeDouble(s.zMove());
    writeSeries(prints ? m.eligible : Map.of(), out);
    writeSeries(prints ? m.volume : Map.of(), out);
    out.writeInt(m.coverage.size());
    for (Map.Entry<String, List<V2.Span>> c : m.coverage.entrySet()) {
      str(c.getKey(), out);
      out.writeInt(c.getValue().size());
      for (V2.Span sp : c.getValue()) writeSpan(sp, out);
    }
    out.writeInt(m.bars.size());
    for (Map.Entry<String, TreeMap<Long, V2.MinuteBar>> b : m.bars.entrySet()) {
      str(b.getKey(), out);
      out.writeInt(b.getValue().size());
      for (V2.MinuteBar bar : b.getValue().values()) writeBar(bar, out);
    }
    Dedup d = prints ? m.dedupAsIs() : new Dedup();
    out.writeInt(d.bySymbol.size());
    for (Map.Entry<String, Dedup.Days> x : d.bySymbol.entrySet()) {
      str(x.getKey(), out);
      Dedup.Days days = x.getValue();
      out.writeInt(days.n);
      for (int i = 0; i < days.n; i++) {
        out.writeLong(days.day[i]);
        long[] seqs = days.seqs[i].toArray();
        out.writeInt(seqs.length);
        ByteBuffer b = ByteBuffer.allocate(8 * seqs.length);
        b.asLongBuffer().put(seqs);
        out.write(b.array());
      }
    }
    out.writeInt(m.firstLive.size());
    for (Map.Entry<String, Long> f : m.firstLive.entrySet()) {
      str(f.getKey(), out);
      out.writeLong(f.getValue());
    }
    out.writeLong(m.duplicates);
    out.writeLong(m.rejected);
  }

  private static void writeSeries(Map<String, Series> all, DataOutputView out) throws IOException {
    out.writeInt(all.size());
    for (Map.Entry<String, Series> e : all.entrySet()) {
      str(e.getKey(), out);
      Series x = e.getValue();
      int n = x.n;
      out.writeInt(n);
      // Each array as one block (big-endian, as writeLong would write it one by one): a checkpoint of hours of
      // prints is then a few large writes.
      ByteBuffer b = ByteBuffer.allocate(n * 37);
      b.asLongBuffer().put(x.ts, 0, n);
      b.position(8 * n);
      b.asLongBuffer().put(x.seq, 0, n);
      b.position(16 * n);
      b.asDoubleBuffer().put(x.price, 0, n);
      b.position(24 * n);
      b.asDoubleBuffer().put(x.size, 0, n);
      b.position(32 * n);
      b.asIntBuffer().put(x.weight, 0, n);
      b.position(36 * n);
      b.put(x.src, 0, n);
      out.write(b.array(), 0, 37 * n);
    }
  }

  private static void writeDetector(MoveDetector d, DataOutputView out) throws IOException {
    str(d.symbol, out);
    out.writeLong(d.day);
    out.writeLong(d.lastTs);
    out.writeLong(d.quietEnd);
    writeRun(d.run, out);
    out.writeLong(d.silentUntil);
    out.writeInt(d.silentDir);
  }

  private static void writeRun(MoveDetector.Confirmation c, DataOutputView out) throws IOException {
    out.writeInt(c.dir);
    out.writeLong(c.start);
    out.writeBoolean(c.fired);
  }

  private static void writeTracked(V2Engine.Tracked t, DataOutputView out) throws IOException {
    writeHeadline(t.h, out);
    str(t.symbol, out);
    out.writeInt(t.stage);
    out.writeBoolean(t.early);
    out.writeBoolean(t.refDone);
    dbl(t.sigma, out);
    dbl(t.p0, out);
    out.writeDouble(t.beta);
    writeRun(t.run, out);
  }

  static void writeEvent(V2Event e, DataOutputView out) throws IOException {
    out.writeInt(e.market);
    out.writeLong(e.time);
    out.writeLong(e.order);
    int kinds = (e.print != null ? 1 : 0) | (e.headline != null ? 2 : 0) | (e.bar != null ? 4 : 0) | (e.span != null ? 8 : 0);
    out.writeByte(kinds);
    if (e.print != null) writePrint(e.print, out);
    if (e.headline != null) writeHeadline(e.headline, out);
    if (e.bar != null) writeBar(e.bar, out);
    if (e.span != null) writeSpan(e.span, out);
    str(e.spanSymbol, out);
    out.writeBoolean(e.snapshot);
    out.writeLong(e.snapshotAsOf);
  }

  private static void writePrint(V2.Print p, DataOutputView out) throws IOException {
    str(p.symbol, out);
    out.writeLong(p.ts);
    out.writeDouble(p.price);
    out.writeDouble(p.size);
    if (p.conditions == null) out.writeInt(-1);
    else {
      out.writeInt(p.conditions.length);
      for (int c : p.conditions) out.writeInt(c);
    }
    out.writeBoolean(p.seq != null);
    if (p.seq != null) out.writeLong(p.seq);
    str(p.source, out);
    out.writeInt(p.weight);
  }

  private static void writeHeadline(V2.Headline h, DataOutputView out) throws IOException {
    str(h.id, out);
    out.writeLong(h.published);
    out.writeLong(h.receivedAt);
    str(h.title, out);
    if (h.tickers == null) out.writeInt(-1);
    else {
      out.writeInt(h.tickers.length);
      for (String t : h.tickers) str(t, out);
    }
  }

  private static void writeBar(V2.MinuteBar b, DataOutputView out) throws IOException {
    str(b.symbol, out);
    out.writeLong(b.start);
    out.writeDouble(b.close);
    out.writeDouble(b.volume);
  }

  private static void writeSpan(V2.Span s, DataOutputView out) throws IOException {
    out.writeLong(s.from);
    out.writeLong(s.to);
    str(s.source, out);
  }

  private static void writeMove(V2.MoveAlert a, DataOutputView out) throws IOException {
    str(a.id, out);
    str(a.symbol, out);
    out.writeLong(a.windowStart);
    out.writeLong(a.detectedAt);
    str(a.direction, out);
    out.writeDouble(a.size);
    out.writeDouble(a.z);
    out.writeDouble(a.sigma);
    out.writeDouble(a.beta);
    out.writeBoolean(a.adjusted);
    out.writeDouble(a.price);
    if (a.headlines == null) out.writeInt(-1);
    else {
      out.writeInt(a.headlines.size());
      for (String h : a.headlines) str(h, out);
    }
    str(a.proxy, out);
    out.writeDouble(a.zMove);
    str(a.origin, out);
    out.writeInt(a.market);
  }

  private static void str(String s, DataOutputView out) throws IOException {
    StringValue.writeString(s, out); // null-safe
  }

  private static void dbl(Double d, DataOutputView out) throws IOException {
    out.writeBoolean(d != null);
    if (d != null) out.writeDouble(d);
  }

  // ---- read ----

  @Override
  public V2Engine deserialize(DataInputView in) throws IOException {
    return read(in, true);
  }

  private static V2Engine read(DataInputView in, boolean prints) throws IOException {
    int format = in.readByte();
    if (format != FORMAT) throw new IOException(unknownFormat(format));
    V2Engine e = new V2Engine(V2.Settings.DEFAULT);
    readMarket(e.market, in);
    e.now = in.readLong();
    e.lastPrune = in.readLong();
    for (int i = in.readInt(); i > 0; i--) {
      MoveDetector d = readDetector(in);
      e.detectors.put(d.symbol, d);
    }
    int n = in.readInt();
    List<V2Event> pending = new ArrayList<>(n);
    for (int i = 0; i < n; i++) pending.add(readEvent(in));
    e.restorePending(pending);
    for (int i = in.readInt(); i > 0; i--) {
      V2.Headline h = readHeadline(in);
      e.headlines.put(h.id, h);
    }
    for (int i = in.readInt(); i > 0; i--) {
      String k = StringValue.readString(in);
      e.tracked.put(k, readTracked(in));
    }
    for (int i = in.readInt(); i > 0; i--) {
      V2.MoveAlert a = readMove(in);
      e.moves.put(a.id, a);
    }
    return e;
  }

  @Override
  public V2Engine deserialize(V2Engine reuse, DataInputView in) throws IOException {
    return deserialize(in);
  }

  static String unknownFormat(int format) {
    return "news impact v2 state: checkpoint format " + format + ", this job reads format " + FORMAT
        + " (and the Kryo state of earlier versions). A checkpoint of a newer job: run that job, or start this one with"
        + " RESTORE=false and a new KAFKA_GROUP_ID (replays the topics; rows are upserts; see flink/README.md, Restarts)";
  }

  private static void readMarket(Market m, DataInputView in) throws IOException {
    m.settings = new V2.Settings(StringValue.readString(in), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble());
    readSeries(m.eligible, in);
    readSeries(m.volume, in);
    for (int i = in.readInt(); i > 0; i--) {
      String s = StringValue.readString(in);
      int k = in.readInt();
      List<V2.Span> spans = new ArrayList<>(k);
      for (int j = 0; j < k; j++) spans.add(readSpan(in));
      m.coverage.put(s, spans);
    }
    for (int i = in.readInt(); i > 0; i--) {
      String s = StringValue.readString(in);
      TreeMap<Long, V2.MinuteBar> bars = new TreeMap<>();
      for (int j = in.readInt(); j > 0; j--) {
        V2.MinuteBar b = readBar(in);
        bars.put(b.start, b);
      }
      m.bars.put(s, bars);
    }
    Dedup d = m.dedup();
    for (int i = in.readInt(); i > 0; i--) {
      String s = StringValue.readString(in);
      for (int j = in.readInt(); j > 0; j--) {
        long day = in.readLong();
        Dedup.SeqSet set = d.bySymbol.computeIfAbsent(s, k -> new Dedup.Days()).of(day);
        long[] seqs = new long[in.readInt()];
        byte[] raw = new byte[8 * seqs.length];
        in.readFully(raw);
        ByteBuffer.wrap(raw).asLongBuffer().get(seqs);
        for (long q : seqs) set.add(q); // increasing: appends
      }
    }
    for (int i = in.readInt(); i > 0; i--) m.firstLive.put(StringValue.readString(in), in.readLong());
    m.duplicates = in.readLong();
    m.rejected = in.readLong();
  }

  private static void readSeries(Map<String, Series> all, DataInputView in) throws IOException {
    for (int i = in.readInt(); i > 0; i--) {
      String s = StringValue.readString(in);
      int n = in.readInt();
      Series x = new Series();
      int cap = Math.max(16, Integer.highestOneBit(Math.max(1, n)) << 1);
      x.ts = new long[cap];
      x.seq = new long[cap];
      x.price = new double[cap];
      x.size = new double[cap];
      x.weight = new int[cap];
      x.src = new byte[cap];
      byte[] raw = new byte[37 * n];
      in.readFully(raw);
      ByteBuffer b = ByteBuffer.wrap(raw);
      b.asLongBuffer().get(x.ts, 0, n);
      b.position(8 * n);
      b.asLongBuffer().get(x.seq, 0, n);
      b.position(16 * n);
      b.asDoubleBuffer().get(x.price, 0, n);
      b.position(24 * n);
      b.asDoubleBuffer().get(x.size, 0, n);
      b.position(32 * n);
      b.asIntBuffer().get(x.weight, 0, n);
      b.position(36 * n);
      b.get(x.src, 0, n);
      x.n = n;
      all.put(s, x);
    }
  }

  private static MoveDetector readDetector(DataInputView in) throws IOException {
    MoveDetector d = new MoveDetector(StringValue.readString(in));
    d.day = in.readLong();
    d.lastTs = in.readLong();
    d.quietEnd = in.readLong();
    readRun(d.run, in);
    d.silentUntil = in.readLong();
    d.silentDir = in.readInt();
    return d;
  }

  private static void readRun(MoveDetector.Confirmation c, DataInputView in) throws IOException {
    c.dir = in.readInt();
    c.start = in.readLong();
    c.fired = in.readBoolean();
  }

  private static V2Engine.Tracked readTracked(DataInputView in) throws IOException {
    V2Engine.Tracked t = new V2Engine.Tracked();
    t.h = readHeadline(in);
    t.symbol = StringValue.readString(in);
    t.stage = in.readInt();
    t.early = in.readBoolean();
    t.refDone = in.readBoolean();
    t.sigma = readDbl(in);
    t.p0 = readDbl(in);
    t.beta = in.readDouble();
    readRun(t.run, in);
    return t;
  }

  static V2Event readEvent(DataInputView in) throws IOException {
    V2Event e = new V2Event();
    e.market = in.readInt();
    e.time = in.readLong();
    e.order = in.readLong();
    int kinds = in.readByte();
    if ((kinds & 1) != 0) e.print = readPrint(in);
    if ((kinds & 2) != 0) e.headline = readHeadline(in);
    if ((kinds & 4) != 0) e.bar = readBar(in);
    if ((kinds & 8) != 0) e.span = readSpan(in);
    e.spanSymbol = StringValue.readString(in);
    e.snapshot = in.readBoolean();
    e.snapshotAsOf = in.readLong();
    return e;
  }

  private static V2.Print readPrint(DataInputView in) throws IOException {
    V2.Print p = new V2.Print();
    p.symbol = StringValue.readString(in);
    p.ts = in.readLong();
    p.price = in.readDouble();
    p.size = in.readDouble();
    int k = in.readInt();
    if (k < 0) p.conditions = null;
    else {
      p.conditions = new int[k];
      for (int i = 0; i < k; i++) p.conditions[i] = in.readInt();
    }
    p.seq = in.readBoolean() ? in.readLong() : null;
    p.source = StringValue.readString(in);
    p.weight = in.readInt();
    return p;
  }

  private static V2.Headline readHeadline(DataInputView in) throws IOException {
    V2.Headline h = new V2.Headline();
    h.id = StringValue.readString(in);
    h.published = in.readLong();
    h.receivedAt = in.readLong();
    h.title = StringValue.readString(in);
    int k = in.readInt();
    if (k < 0) h.tickers = null;
    else {
      h.tickers = new String[k];
      for (int i = 0; i < k; i++) h.tickers[i] = StringValue.readString(in);
    }
    return h;
  }

  private static V2.MinuteBar readBar(DataInputView in) throws IOException {
    return new V2.MinuteBar(StringValue.readString(in), in.readLong(), in.readDouble(), in.readDouble());
  }

  private static V2.Span readSpan(DataInputView in) throws IOException {
    return new V2.Span(in.readLong(), in.readLong(), StringValue.readString(in));
  }

  private static V2.MoveAlert readMove(DataInputView in) throws IOException {
    V2.MoveAlert a = new V2.MoveAlert();
    a.id = StringValue.readString(in);
    a.symbol = StringValue.readString(in);
    a.windowStart = in.readLong();
    a.detectedAt = in.readLong();
    a.direction = StringValue.readString(in);
    a.size = in.readDouble();
    a.z = in.readDouble();
    a.sigma = in.readDouble();
    a.beta = in.readDouble();
    a.adjusted = in.readBoolean();
    a.price = in.readDouble();
    int k = in.readInt();
    if (k < 0) a.headlines = null;
    else {
      a.headlines = new ArrayList<>(k);
      for (int i = 0; i < k; i++) a.headlines.add(StringValue.readString(in));
    }
    a.proxy = StringValue.readString(in);
    a.zMove = in.readDouble();
    a.origin = StringValue.readString(in);
    a.market = in.readInt();
    return a;
  }

  private static Double readDbl(DataInputView in) throws IOException {
    return in.readBoolean() ? in.readDouble() : null;
  }

  /** The serializer's entry in a checkpoint: the format its records were written in. */
  public static final class Snapshot implements TypeSerializerSnapshot<V2Engine> {
    private int format;

    public Snapshot() {
      this(FORMAT);
    }

    Snapshot(int format) {
      this.format = format;
    }

    @Override
    public int getCurrentVersion() {
      return 1;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
      out.writeInt(format);
    }

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader cl) throws IOException {
      format = in.readInt();
      if (format != FORMAT) throw new IOException(unknownFormat(format));
    }

    @Override
    public TypeSerializer<V2Engine> restoreSerializer() {
      return new V2EngineSerializer();
    }

    @Override
    public TypeSerializerSchemaCompatibility<V2Engine> resolveSchemaCompatibility(TypeSerializerSnapshot<V2Engine> old) {
      return old instanceof Snapshot s && s.format == FORMAT ? TypeSerializerSchemaCompatibility.compatibleAsIs()
          : TypeSerializerSchemaCompatibility.incompatible();
    }
  }
}
