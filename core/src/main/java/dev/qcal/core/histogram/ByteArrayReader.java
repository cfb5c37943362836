package dev.qcal.core.histogram;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A cursor over a byte array that reads what {@link ByteArrayWriter} writes, straight from the
 * array (a {@code DataInputStream} makes every byte a synchronized call). A read past the end, or a
 * varint longer than 64 bits, throws an {@link IllegalArgumentException}.
 */
public final class ByteArrayReader {
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final byte[] bytes;
  private int at;

  /** A reader at the start of {@code bytes}. */
  public ByteArrayReader(byte[] bytes) {
    this.bytes = bytes;
  }

  /** True when every byte has been read. */
  public boolean atEnd() {
    return at == bytes.length;
  }

  /** The next byte, unsigned. */
  public int getByte() {
    need(1);
    return bytes[at++] & 0xFF;
  }

  /** The next byte as a boolean (0 false, anything else true). */
  public boolean getBoolean() {
    return getByte() != 0;
  }

  /** The next unsigned LEB128 varint. */
  public long getVarLong() {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = getByte();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IllegalArgumentException("Cannot read a varint: longer than 64 bits");
  }

  /**
   * The next varint as a non-negative int (a count or an index, not the length of what follows).
   *
   * @throws IllegalArgumentException if it is not one (a corrupt form)
   */
  public int getVarInt() {
    long v = getVarLong();
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("Cannot read an int: " + v + " (a corrupt form)");
    }
    return (int) v;
  }

  /** The next zigzag-encoded varint ({@link ByteArrayWriter#putSignedVarLong}). */
  public long getSignedVarLong() {
    long v = getVarLong();
    return (v >>> 1) ^ -(v & 1);
  }

  /**
   * The next varint as the length of what follows, each item of which takes at least one byte.
   *
   * @throws IllegalArgumentException if it is more than the bytes left (a corrupt form)
   */
  public int getSize() {
    return getSize(bytes.length - at);
  }

  private int getSize(int max) {
    long n = getVarLong();
    if (n < 0 || n > max) {
      throw new IllegalArgumentException(
          "Cannot read a size: " + n + " is not in [0, " + max + "] (a corrupt form)");
    }
    return (int) n;
  }

  /** The next float, from its raw bits. */
  public float getFloat() {
    need(Integer.BYTES);
    float v = Float.intBitsToFloat((int) INT.get(bytes, at));
    at += Integer.BYTES;
    return v;
  }

  /** The next double, from its raw bits. */
  public double getDouble() {
    need(Long.BYTES);
    double v = Double.longBitsToDouble((long) LONG.get(bytes, at));
    at += Long.BYTES;
    return v;
  }

  /** The next 8-byte long. */
  public long getLong() {
    need(Long.BYTES);
    long v = (long) LONG.get(bytes, at);
    at += Long.BYTES;
    return v;
  }

  /** The next string: its length, then a varint per char. */
  public String getString() {
    char[] chars = new char[getSize()];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = (char) getVarLong();
    }
    return new String(chars);
  }

  /** The next array of doubles: its length, then each double's raw bits. */
  public double[] getDoubles() {
    double[] v = new double[getSize((bytes.length - at) / Long.BYTES)];
    for (int i = 0; i < v.length; i++) {
      v[i] = Double.longBitsToDouble((long) LONG.get(bytes, at));
      at += Long.BYTES;
    }
    return v;
  }

  private void need(int n) {
    if (bytes.length - at < n) {
      throw new IllegalArgumentException(
          "Cannot read " + n + " bytes at " + at + ": the form ends at " + bytes.length);
    }
  }
}
