package dev.qcal.core.histogram;

import java.nio.ByteBuffer;

/**
 * Growing a heap {@link ByteBuffer} that compact forms are put into ({@link
 * GrowingGridAccumulator#putCompact} writes to one): the forms that gather many accumulators in one
 * buffer reserve each one's bound before putting it, and put each tensor's name as {@link #putName}
 * does.
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

  /** The bytes {@link #putName} takes for {@code name}: its length, then its UTF-16 chars. */
  public static int nameBytes(String name) {
    return Integer.BYTES + 2 * name.length();
  }

  /** Puts {@code name} as its length, then its UTF-16 chars ({@link #nameBytes} of room). */
  public static void putName(ByteBuffer out, String name) {
    out.putInt(name.length());
    for (int i = 0; i < name.length(); i++) {
      out.putChar(name.charAt(i));
    }
  }

  /**
   * Reads a name in {@link #putName}'s form from {@code in}'s position, leaving it just after.
   *
   * @throws IllegalArgumentException if its length is negative or beyond the bytes left
   * @throws java.nio.BufferUnderflowException if the bytes end inside it
   */
  public static String getName(ByteBuffer in) {
    int length = in.getInt();
    if (length < 0 || length > in.remaining() / 2) {
      throw new IllegalArgumentException("a tensor name of " + length + " chars");
    }
    char[] name = new char[length];
    for (int i = 0; i < length; i++) {
      name[i] = in.getChar();
    }
    return new String(name);
  }
}
