package dev.newstape.flink.history;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Kryo serializer for {@link ByteBuffer}s (Iceberg's column bounds inside the DataFiles that the FlinkSink writer
 * hands to its committer). Kryo's reflective default needs {@code --add-opens java.base/java.nio} on Java 17;
 * this one copies the remaining bytes and the byte order, so the job runs with the JVM flags it already has.
 */
public class ByteBufferKryoSerializer extends Serializer<ByteBuffer> implements Serializable {
  private static final long serialVersionUID = 1L;

  @Override
  public void write(Kryo kryo, Output out, ByteBuffer b) {
    ByteBuffer d = b.duplicate();
    byte[] bytes = new byte[d.remaining()];
    d.get(bytes);
    out.writeBoolean(b.order() == ByteOrder.BIG_ENDIAN);
    out.writeInt(bytes.length, true);
    out.writeBytes(bytes);
  }

  @Override
  public ByteBuffer read(Kryo kryo, Input in, Class<? extends ByteBuffer> type) {
    boolean big = in.readBoolean();
    byte[] bytes = in.readBytes(in.readInt(true));
    return ByteBuffer.wrap(bytes).order(big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
  }

  @Override
  public ByteBuffer copy(Kryo kryo, ByteBuffer b) {
    ByteBuffer d = b.duplicate();
    byte[] bytes = new byte[d.remaining()];
    d.get(bytes);
    return ByteBuffer.wrap(bytes).order(b.order());
  }
}
