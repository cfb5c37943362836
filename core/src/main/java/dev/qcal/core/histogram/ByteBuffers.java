package dev.qcal.core.histogram;

import java.nio.ByteBuffer;

/**
 * Growing a heap {@link ByteBuffer} that compact forms are put into ({@link
 * GrowingGridAccumulator#putCompact} writes to one): the forms that gather many accumulators in one
 * buffer reserve each one's bound before putting it.
 */
public final class ByteBuffers {
  private ByteBuffers() {}

  /**
   * {@code buffer}, or a copy of its bytes so far in a larger one (at least twice its capacity, so
   * a run of puts copies each byte a bounded number of times), with at least {@code n} bytes left.
   */
  public static ByteBuffer withRoom(ByteBuffer buffer, int n) {
    if (buffer.remaining() >= n) {
      return buffer;
    }
    ByteBuffer larger = ByteBuffer.allocate(Math.max(2 * buffer.capacity(), buffer.position() + n));
    larger.put(buffer.array(), 0, buffer.position());
    return larger;
  }
}
