package dev.qcal.jobs.scan;

import dev.qcal.jobs.dump.DumpLayout;
import dev.qcal.jobs.dump.ValueKind;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.unsafe.types.UTF8String;
import scala.Tuple2;

/**
 * Turns one partition of rows into (tensor, chunk) pairs, lazily. Floats leave Spark in bulk
 * ({@code ArrayData.toFloatArray()}); one-value-per-row layouts are batched per tensor into chunks
 * of {@code chunkValues}, so no shuffle record ever carries a single value. Nulls are left out of
 * the values and counted in the chunks (see {@link Chunk}); the read schema is nullable throughout
 * ({@link DumpLayout#readSchema}), so every file's nulls are seen whatever the first file declared.
 */
abstract class ChunkIterator implements Iterator<Tuple2<String, Chunk>> {

  private final Iterator<InternalRow> rows;
  protected final ReadCounters counters;
  private final Pattern tensors;

  /** Each name seen, empty when --tensors leaves it out. */
  private final Map<UTF8String, Optional<String>> names = new HashMap<>();

  protected final ArrayDeque<Tuple2<String, Chunk>> pending = new ArrayDeque<>();
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
  public Tuple2<String, Chunk> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return pending.poll();
  }

  /**
   * The previous row's name column (a copy) and its {@link #name}: rows of a tensor come in runs.
   */
  private UTF8String lastUtf8;

  private String lastName;

  /** The tensor name of a row's name column, or null when it is filtered out by --tensors. */
  String name(UTF8String utf8) {
    // One byte comparison per row of a run instead of hashing the name (a scalar dump has a row
    // per value: the map lookup was a quarter of a scalar scan's CPU, JFR).
    if (utf8.equals(lastUtf8)) {
      return lastName;
    }
    Optional<String> name = names.get(utf8);
    if (name == null) {
      String s = utf8.toString();
      name = tensors == null || tensors.matcher(s).matches() ? Optional.of(s) : Optional.empty();
      names.put(utf8.clone(), name);
    }
    lastUtf8 = utf8.clone();
    lastName = name.orElse(null);
    return lastName;
  }

  /**
   * Every element of an array cell as float32, doubles narrowed as a cast would (dumps are float32
   * data); the slot of a null element holds no value (see {@link #nullMask}).
   */
  static float[] elements(ArrayData a, ValueKind kind) {
    if (kind == ValueKind.FLOAT_ARRAY) {
      return a.toFloatArray();
    }
    double[] d = a.toDoubleArray();
    float[] v = new float[d.length];
    for (int j = 0; j < d.length; j++) {
      v[j] = (float) d[j];
    }
    return v;
  }

  /** Which elements of an array cell are null, or null when none is. */
  static boolean[] nullMask(ArrayData a) {
    int n = a.numElements();
    boolean[] mask = null;
    for (int j = 0; j < n; j++) {
      if (a.isNullAt(j)) {
        if (mask == null) {
          mask = new boolean[n];
        }
        mask[j] = true;
      }
    }
    return mask;
  }

  /**
   * The elements {@code isNull} does not mark, in order: {@code values} itself when it marks none,
   * else a copy (after compacting {@code values} in place).
   */
  static float[] withoutNulls(float[] values, boolean[] isNull) {
    if (isNull == null) {
      return values;
    }
    int o = 0;
    for (int j = 0; j < values.length; j++) {
      if (!isNull[j]) {
        values[o++] = values[j];
      }
    }
    return Arrays.copyOf(values, o);
  }

  /** An array cell as a chunk: its non-null values and its null count. */
  static Chunk chunk(ArrayData a, ValueKind kind) {
    float[] all = elements(a, kind);
    float[] values = withoutNulls(all, nullMask(a));
    return new Chunk(values, all.length - values.length, 0);
  }

  /** One value of a scalar cell as float32 (not null). */
  static float scalar(InternalRow row, int i, ValueKind kind) {
    return kind == ValueKind.FLOAT ? row.getFloat(i) : (float) row.getDouble(i);
  }

  /** A growing chunk of one tensor's values, and the nulls met with them. */
  static final class Buffer {
    private final int capacity;
    private float[] data;
    private int size;
    private long nulls;

    Buffer(int capacity) {
      this.capacity = capacity;
      this.data = new float[Math.min(capacity, 1024)];
    }

    /** Adds a value; returns the full chunk when it reached capacity, else null. */
    Chunk add(float v) {
      if (size == data.length) {
        data = Arrays.copyOf(data, Math.min(capacity, data.length * 2));
      }
      data[size++] = v;
      if (size == capacity) {
        Chunk full = new Chunk(data, nulls, 0);
        data = new float[Math.min(capacity, 1024)];
        size = 0;
        nulls = 0;
        return full;
      }
      return null;
    }

    /** Counts a null scalar (no value). */
    void addNull() {
      nulls++;
    }

    /** The buffered values and nulls, or null when there are none. */
    Chunk drain() {
      if (size == 0 && nulls == 0) {
        return null;
      }
      Chunk out = new Chunk(Arrays.copyOf(data, size), nulls, 0);
      size = 0;
      nulls = 0;
      return out;
    }
  }

  /** Long layout: (tensor string, values array). */
  static final class LongRows extends ChunkIterator {
    private final ValueKind kind;

    LongRows(Iterator<InternalRow> rows, ReadCounters c, Pattern tensors, DumpLayout layout) {
      super(rows, c, tensors);
      this.kind = layout.kind(1);
    }

    @Override
    void consume(InternalRow row) {
      if (row.isNullAt(0) || row.isNullAt(1)) {
        counters.nullRows.add(1);
        String name = row.isNullAt(0) ? null : name(row.getUTF8String(0));
        if (name != null) {
          pending.add(new Tuple2<>(name, Chunk.nullRow())); // counted for its tensor too
        }
        return;
      }
      String name = name(row.getUTF8String(0));
      if (name != null) {
        pending.add(new Tuple2<>(name, chunk(row.getArray(1), kind)));
      }
    }
  }

  /** Scalar layout: (tensor string, one value), batched per tensor. */
  static final class ScalarRows extends ChunkIterator {
    private final ValueKind kind;
    private final int chunkValues;
    private final Map<String, Buffer> buffers = new LinkedHashMap<>();
    private String bufferName;
    private Buffer buffer;

    ScalarRows(
        Iterator<InternalRow> rows,
        ReadCounters c,
        Pattern tensors,
        DumpLayout layout,
        int chunkValues) {
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
      if (!name.equals(bufferName)) { // the same String while a run lasts: an identity check
        buffer = buffers.computeIfAbsent(name, k -> new Buffer(chunkValues));
        bufferName = name;
      }
      Buffer b = buffer;
      if (row.isNullAt(1)) {
        b.addNull();
        return;
      }
      Chunk full = b.add(scalar(row, 1, kind));
      if (full != null) {
        pending.add(new Tuple2<>(name, full));
      }
    }

    @Override
    void flush() {
      buffers.forEach(
          (name, b) -> {
            Chunk rest = b.drain();
            if (rest != null) {
              pending.add(new Tuple2<>(name, rest));
            }
          });
    }
  }

  /**
   * Wide layout: one tensor per column; scalar columns batched per tensor. A null array cell is a
   * null row of its tensor, a null scalar a null element.
   */
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
          pending.add(
              new Tuple2<>(
                  layout.column(i),
                  row.isNullAt(i) ? Chunk.nullRow() : chunk(row.getArray(i), kind)));
        } else if (row.isNullAt(i)) {
          buffers[i].addNull();
        } else {
          Chunk full = buffers[i].add(scalar(row, i, kind));
          if (full != null) {
            pending.add(new Tuple2<>(layout.column(i), full));
          }
        }
      }
    }

    @Override
    void flush() {
      for (int i = 0; i < buffers.length; i++) {
        Chunk rest = buffers[i].drain();
        if (rest != null) {
          pending.add(new Tuple2<>(layout.column(i), rest));
        }
      }
    }
  }
}
