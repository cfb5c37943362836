package dev.qcal.core.io;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The part of a FlatBuffers builder that ONNX Runtime's calibration table needs: strings, tables of
 * offset fields, vectors of offsets, and the root. Built back to front with the same alignment,
 * padding and vtable sharing as the reference builders (Python {@code flatbuffers.Builder} 2.0.8,
 * Java {@code FlatBufferBuilder}: {@code Prep}, {@code CreateString}, {@code StartObject}/{@code
 * WriteVtable}, {@code StartVector}/{@code EndVector}, {@code Finish}), so the same call sequence
 * gives the same bytes as ONNX Runtime's Python writer. Written by hand instead of depending on
 * {@code flatbuffers-java}: the schema is two tables of strings, and core keeps to the JDK and
 * Jackson. The tests decode the output with the real {@code flatbuffers-java}.
 *
 * <p>Offsets are counted from the end of the buffer, as in the reference builders. Not thread safe;
 * one instance per buffer.
 */
final class FlatBufferWriter {
  private byte[] buf = new byte[256];
  private int size;
  private int minAlign = 1;
  private int[] slots;
  private int objectEnd;
  private final List<Integer> vtables = new ArrayList<>();

  /** The offset of the last thing written. */
  int offset() {
    return size;
  }

  /** A UTF-8 string: length, bytes, NUL, padded so the length is 4-aligned. */
  int createString(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    prep(4, utf8.length + 1);
    putByte((byte) 0);
    ensure(utf8.length);
    size += utf8.length;
    System.arraycopy(utf8, 0, buf, buf.length - size, utf8.length);
    putInt(utf8.length);
    return size;
  }

  /** Starts a table of {@code fields} slots. */
  void startTable(int fields) {
    slots = new int[fields];
    objectEnd = size;
  }

  /**
   * Adds an offset field to the open table (reference builders skip a field equal to its default,
   * 0; offsets never are).
   */
  void addOffset(int slot, int target) {
    prependOffset(target);
    slots[slot] = size;
  }

  /** Ends the open table: writes its vtable, or points at an identical earlier one. */
  int endTable() {
    prep(4, 0);
    putInt(0);
    int object = size;
    int used = slots.length;
    while (used > 0 && slots[used - 1] == 0) {
      used--;
    }
    short[] vtable = new short[used + 2];
    vtable[0] = (short) (2 * (used + 2));
    vtable[1] = (short) (object - objectEnd);
    for (int i = 0; i < used; i++) {
      vtable[i + 2] = (short) (slots[i] == 0 ? 0 : object - slots[i]);
    }
    for (int existing : vtables) {
      if (Arrays.equals(vtable, readVtable(existing))) {
        writeIntAt(object, existing - object);
        slots = null;
        return object;
      }
    }
    for (int i = vtable.length - 1; i >= 0; i--) {
      prep(2, 0);
      putShort(vtable[i]);
    }
    writeIntAt(object, size - object);
    vtables.add(size);
    slots = null;
    return object;
  }

  /** A vector of offsets, in the order given (the first element is written last). */
  int createOffsetVector(int[] offsets) {
    prep(4, 4 * offsets.length);
    for (int i = offsets.length - 1; i >= 0; i--) {
      prependOffset(offsets[i]);
    }
    putInt(offsets.length);
    return size;
  }

  /**
   * Finishes with {@code root} as the root table (no file identifier, no size prefix) and returns
   * the bytes.
   */
  byte[] finish(int root) {
    prep(minAlign, 4);
    prependOffset(root);
    return Arrays.copyOfRange(buf, buf.length - size, buf.length);
  }

  private void prependOffset(int target) {
    prep(4, 0);
    putInt(size - target + 4);
  }

  /** Pads so that after {@code additional} more bytes the size is a multiple of {@code align}. */
  private void prep(int align, int additional) {
    minAlign = Math.max(minAlign, align);
    int pad = -(size + additional) & (align - 1);
    ensure(pad);
    size += pad;
  }

  private void ensure(int more) {
    if (size + more > buf.length) {
      int capacity = Math.max(buf.length * 2, size + more);
      byte[] grown = new byte[capacity];
      System.arraycopy(buf, buf.length - size, grown, capacity - size, size);
      buf = grown;
    }
  }

  private void putByte(byte b) {
    ensure(1);
    size++;
    buf[buf.length - size] = b;
  }

  private void putShort(short v) {
    ensure(2);
    size += 2;
    int at = buf.length - size;
    buf[at] = (byte) v;
    buf[at + 1] = (byte) (v >> 8);
  }

  private void putInt(int v) {
    ensure(4);
    size += 4;
    writeIntAt(size, v);
  }

  private void writeIntAt(int offset, int v) {
    int at = buf.length - offset;
    buf[at] = (byte) v;
    buf[at + 1] = (byte) (v >> 8);
    buf[at + 2] = (byte) (v >> 16);
    buf[at + 3] = (byte) (v >> 24);
  }

  private short readShortAt(int at) {
    return (short) ((buf[at] & 0xff) | (buf[at + 1] << 8));
  }

  private short[] readVtable(int offset) {
    int at = buf.length - offset;
    short[] v = new short[readShortAt(at) / 2];
    for (int i = 0; i < v.length; i++) {
      v[i] = readShortAt(at + 2 * i);
    }
    return v;
  }
}
