package dev.qcal.core.histogram;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A growing byte array that compact binary forms are written into: unsigned LEB128 varints (as a
 * histogram's form writes its counts), big-endian floats and doubles by their raw bits (so every
 * NaN keeps its payload), and strings as one varint per UTF-16 char (exact for any Java string, a
 * lone surrogate included, and one byte a char for ASCII names). Read back by {@link
 * ByteArrayReader}. Plain array stores rather than a {@code DataOutputStream} over a {@code
 * ByteArrayOutputStream}, whose every byte is a synchronized call (the top frame of writing a
 * state, JFR).
 */
public final class ByteArrayWriter {
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private byte[] bytes;
  private int size;

  /** An empty writer that first holds {@code capacity} bytes (it grows as needed). */
  public ByteArrayWriter(int capacity) {
    this.bytes = new byte[Math.max(16, capacity)];
  }

  /** The bytes written so far, a copy of exactly that length. */
  public byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  /** Writes the low 8 bits of {@code v}. */
  public void putByte(int v) {
    ensure(1);
    bytes[size++] = (byte) v;
  }

  /** Writes true as 1, false as 0. */
  public void putBoolean(boolean v) {
    putByte(v ? 1 : 0);
  }

  /**
   * Writes {@code v} as an unsigned LEB128 varint: 7 bits a byte, one byte below 128; a negative
   * value takes ten bytes and reads back exactly.
   */
  public void putVarLong(long v) {
    ensure(10);
    size = HistogramBytes.putVarLong(bytes, size, v);
  }

  /**
   * Writes {@code v} zigzag-encoded as a varint, so a small negative value (a zero point, a grid's
   * {@code qmin}) takes as few bytes as a small positive one.
   */
  public void putSignedVarLong(long v) {
    putVarLong((v << 1) ^ (v >> 63));
  }

  /** Writes the raw bits of {@code v}, big-endian (4 bytes). */
  public void putFloat(float v) {
    ensure(Integer.BYTES);
    INT.set(bytes, size, Float.floatToRawIntBits(v));
    size += Integer.BYTES;
  }

  /** Writes the raw bits of {@code v}, big-endian (8 bytes). */
  public void putDouble(double v) {
    ensure(Long.BYTES);
    LONG.set(bytes, size, Double.doubleToRawLongBits(v));
    size += Long.BYTES;
  }

  /** Writes {@code v} big-endian (8 bytes). */
  public void putLong(long v) {
    ensure(Long.BYTES);
    LONG.set(bytes, size, v);
    size += Long.BYTES;
  }

  /** Writes the length of {@code v}, then each of its chars as a varint (at most 3 bytes). */
  public void putString(String v) {
    int n = v.length();
    putVarLong(n);
    ensure(3L * n);
    for (int i = 0; i < n; i++) {
      size = HistogramBytes.putVarLong(bytes, size, v.charAt(i));
    }
  }

  /** Writes the length of {@code v}, then each double's raw bits. */
  public void putDoubles(double[] v) {
    putVarLong(v.length);
    ensure((long) Long.BYTES * v.length);
    for (double d : v) {
      LONG.set(bytes, size, Double.doubleToRawLongBits(d));
      size += Long.BYTES;
    }
  }

  /** Makes room for {@code n} more bytes, doubling the array (at least). */
  private void ensure(long n) {
    if (bytes.length - size < n) {
      long wanted = Math.max(2L * bytes.length, size + n);
      if (wanted > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException("Cannot write more than 2 GB into one byte array");
      }
      bytes = Arrays.copyOf(bytes, (int) wanted);
    }
  }
}
