package dev.qcal.core.histogram;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.util.function.Function;

/**
 * An object's compact byte form inside a Java serialization stream: its length, then its bytes
 * (what the serialized forms of the one-pass and per-channel accumulators and states write instead
 * of Java's default object graphs).
 */
public final class LengthPrefixedBytes {
  private LengthPrefixedBytes() {}

  /** Writes {@code bytes}' length, then the bytes. */
  public static void write(DataOutput out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  /**
   * Reads what {@link #write} writes and decodes it.
   *
   * @throws StreamCorruptedException if the length is negative or {@code decode} refuses the bytes
   *     (an {@link IllegalArgumentException}, whose message it keeps)
   */
  public static <T> T read(DataInput in, Function<byte[], T> decode) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      throw new StreamCorruptedException(n + " bytes");
    }
    byte[] bytes = new byte[n];
    in.readFully(bytes);
    try {
      return decode.apply(bytes);
    } catch (IllegalArgumentException e) {
      throw new StreamCorruptedException(e.getMessage());
    }
  }
}
