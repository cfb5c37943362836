package dev.qcal.jobs.read;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.regex.Pattern;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.unsafe.types.UTF8String;
import scala.Tuple2;

/**
 * Turns one partition of rows into (tensor, float[] chunk) pairs, lazily. Floats leave Spark in
 * bulk ({@code ArrayData.toFloatArray()}); one-value-per-row layouts are batched per tensor into
 * chunks of {@code chunkValues}, so no shuffle record ever carries a single value.
 */
abstract class ChunkIterator implements Iterator<Tuple2<String, float[]>> {
  private static final String SKIPPED = new String("\u0000skipped");

  private final Iterator<InternalRow> rows;
  protected final ReadCounters counters;
  private final Pattern tensors;
  private final Map<UTF8String, String> names = new HashMap<>();
  protected final ArrayDeque<Tuple2<String, float[]>> pending = new ArrayDeque<>();
  private boolean flushed;

  ChunkIterator(Iterator<InternalRow> rows, ReadCounters counters, Pattern tensors) {
    this.rows = rows;
    this.counters = counters;
    this.tensors = tensors;
  }

  /** Consumes one row (rows are reused by Spark: copy what is kept). */
  abstract void consume(InternalRow row);

  /** Emits what is buffered at the end of the partition. */
  void flush() {}

  @Override
  public boolean hasNext() {
    while (pending.isEmpty()) {
      if (rows.hasNext()) {
        counters.rows.add(1);
        consume(rows.next());
      } else if (!flushed) {
        flushed = true;
        flush();
      } else {
        return false;
      }
    }
    return true;
  }

  @Override
  public Tuple2<String, float[]> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return pending.poll();
  }

  /** The tensor name of a row's name column, or null when it is filtered out by --tensors. */
  String name(UTF8String utf8) {
    String name = names.get(utf8);
    if (name == null) {
      String s = utf8.toString();
      name = tensors == null || tensors.matcher(s).matches() ? s : SKIPPED;
      names.put(utf8.clone(), name);
    }
    return name == SKIPPED ? null : name;
  }

  /** The values of an array cell as float32; null elements become NaN (and count as NaN). */
  static float[] floats(ArrayData a, ValueKind kind, boolean containsNull) {
    float[] v;
    if (kind == ValueKind.FLOAT_ARRAY) {
      v = a.toFloatArray();
    } else {
      double[] d = a.toDoubleArray();
      v = new float[d.length];
      for (int j = 0; j < d.length; j++) {
        v[j] = (float) d[j]; // dumps are float32 data; doubles are narrowed as a cast would
      }
    }
    if (containsNull) {
      for (int j = 0; j < v.length; j++) {
        if (a.isNullAt(j)) {
          v[j] = Float.NaN;
        }
      }
    }
    return v;
  }

  /** One value of a scalar cell as float32; null becomes NaN. */
  static float scalar(InternalRow row, int i, ValueKind kind) {
    if (row.isNullAt(i)) {
      return Float.NaN;
    }
    return kind == ValueKind.FLOAT ? row.getFloat(i) : (float) row.getDouble(i);
  }

  /** A growing chunk of one tensor's values. */
  static final class Buffer {
    private final int capacity;
    private float[] data;
    private int size;

    Buffer(int capacity) {
      this.capacity = capacity;
      this.data = new float[Math.min(capacity, 1024)];
    }

    /** Adds a value; returns the full chunk when it reached capacity, else null. */
    float[] add(float v) {
      if (size == data.length) {
        data = Arrays.copyOf(data, Math.min(capacity, data.length * 2));
      }
      data[size++] = v;
      if (size == capacity) {
        float[] full = data;
        data = new float[Math.min(capacity, 1024)];
        size = 0;
        return full;
      }
      return null;
    }

    /** The buffered values, or null when empty. */
    float[] drain() {
      if (size == 0) {
        return null;
      }
      float[] out = Arrays.copyOf(data, size);
      size = 0;
      return out;
    }
  }

  /** Long layout: (tensor string, values array). */
  static final class LongRows extends ChunkIterator {
    private final ValueKind kind;
    private final boolean containsNull;

    LongRows(Iterator<InternalRow> rows, ReadCounters c, Pattern tensors, DumpLayout layout) {
      super(rows, c, tensors);
      this.kind = layout.kind(1);
      this.containsNull = layout.containsNull(1);
    }

    @Override
    void consume(InternalRow row) {
      if (row.isNullAt(0) || row.isNullAt(1)) {
        counters.nullRows.add(1);
        return;
      }
      String name = name(row.getUTF8String(0));
      if (name != null) {
        pending.add(new Tuple2<>(name, floats(row.getArray(1), kind, containsNull)));
      }
    }
  }

  /** Scalar layout: (tensor string, one value), batched per tensor. */
  static final class ScalarRows extends ChunkIterator {
    private final ValueKind kind;
    private final int chunkValues;
    private final Map<String, Buffer> buffers = new LinkedHashMap<>();

    ScalarRows(
        Iterator<InternalRow> rows, ReadCounters c, Pattern tensors, DumpLayout layout, int chunkValues) {
      super(rows, c, tensors);
      this.kind = layout.kind(1);
      this.chunkValues = chunkValues;
    }

    @Override
    void consume(InternalRow row) {
      if (row.isNullAt(0)) {
        counters.nullRows.add(1);
        return;
      }
      String name = name(row.getUTF8String(0));
      if (name == null) {
        return;
      }
      float[] full = buffers.computeIfAbsent(name, k -> new Buffer(chunkValues)).add(scalar(row, 1, kind));
      if (full != null) {
        pending.add(new Tuple2<>(name, full));
      }
    }

    @Override
    void flush() {
      buffers.forEach(
          (name, b) -> {
            float[] rest = b.drain();
            if (rest != null) {
              pending.add(new Tuple2<>(name, rest));
            }
          });
    }
  }

  /** Wide layout: one tensor per column; scalar columns batched per tensor. */
  static final class WideRows extends ChunkIterator {
    private final DumpLayout layout;
    private final Buffer[] buffers;

    WideRows(Iterator<InternalRow> rows, ReadCounters c, DumpLayout layout, int chunkValues) {
      super(rows, c, null);
      this.layout = layout;
      this.buffers = new Buffer[layout.columnCount()];
      for (int i = 0; i < buffers.length; i++) {
        buffers[i] = new Buffer(chunkValues);
      }
    }

    @Override
    void consume(InternalRow row) {
      for (int i = 0; i < buffers.length; i++) {
        ValueKind kind = layout.kind(i);
        if (kind.isArray()) {
          if (!row.isNullAt(i)) {
            pending.add(
                new Tuple2<>(layout.column(i), floats(row.getArray(i), kind, layout.containsNull(i))));
          }
        } else {
          float[] full = buffers[i].add(scalar(row, i, kind));
          if (full != null) {
            pending.add(new Tuple2<>(layout.column(i), full));
          }
        }
      }
    }

    @Override
    void flush() {
      for (int i = 0; i < buffers.length; i++) {
        float[] rest = buffers[i].drain();
        if (rest != null) {
          pending.add(new Tuple2<>(layout.column(i), rest));
        }
      }
    }
  }
}
