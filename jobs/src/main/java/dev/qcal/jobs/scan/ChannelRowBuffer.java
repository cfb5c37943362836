package dev.qcal.jobs.scan;

import dev.qcal.jobs.dump.ChannelSource;
import dev.qcal.jobs.dump.DumpRowException;
import java.util.Arrays;

/**
 * One row of a per-channel tensor for {@link ValuesColumnDecoder}, gathered across the pages it
 * spans (its elements in place, nulls marked), then handed to the {@link ChunkSink} whole when it
 * ends: first with its channels ({@link ChunkSink#channelRow}), then its values and null count as
 * any row's. A row whose channel or shape is unusable is a {@link DumpRowException} naming the
 * file, the row (its index in the file) and the tensor.
 */
final class ChannelRowBuffer {
  private final PerChannelRows rows;
  private final ChannelColumn column;
  private float[] values = new float[1024];
  private boolean[] isNull = new boolean[1024];
  private int count;
  private boolean hasNull;
  private boolean open;
  private String tensor;
  private int row;

  // Per row group.
  private String file;
  private long firstRow;

  ChannelRowBuffer(PerChannelRows rows, ChannelColumn column) {
    this.rows = rows;
    this.column = column;
  }

  /** The next row group: its file, and the index in the file of its first row (-1: unknown). */
  void rowGroup(String file, long firstRow) {
    this.file = file;
    this.firstRow = firstRow;
    this.open = false;
  }

  /** Starts row {@code row} (of the row group) of {@code tensor}. */
  void start(String tensor, int row) {
    this.tensor = tensor;
    this.row = row;
    this.count = 0;
    this.hasNull = false;
    this.open = true;
  }

  /** Whether a row is being gathered. */
  boolean open() {
    return open;
  }

  /** Appends the present values {@code v[from, to)}. */
  void add(float[] v, int from, int to) {
    int n = to - from;
    reserve(n);
    System.arraycopy(v, from, values, count, n);
    if (hasNull) {
      Arrays.fill(isNull, count, count + n, false);
    }
    count += n;
  }

  /** Appends one present value. */
  void add(float v) {
    reserve(1);
    values[count] = v;
    if (hasNull) {
      isNull[count] = false;
    }
    count++;
  }

  /** Appends one null element. */
  void addNull() {
    reserve(1);
    if (!hasNull) {
      Arrays.fill(isNull, 0, count, false);
      hasNull = true;
    }
    values[count] = 0f;
    isNull[count] = true;
    count++;
  }

  private void reserve(int n) {
    if (count + n > values.length) {
      int size = Math.max(count + n, 2 * values.length);
      values = Arrays.copyOf(values, size);
      isNull = Arrays.copyOf(isNull, size);
    }
  }

  /** Ends the row being gathered, if any: hands it to {@code sink}. */
  void end(ChunkSink sink) {
    if (!open) {
      return;
    }
    open = false;
    boolean[] mask = hasNull ? isNull : null;
    try {
      if (rows.source().kind() == ChannelSource.Kind.SHAPE) {
        sink.channelRow(tensor, column.split(row, count), -1, values, count, mask);
      } else {
        sink.channelRow(tensor, null, column.channel(row), values, count, mask);
      }
    } catch (IllegalArgumentException e) {
      throw new DumpRowException(
          String.format(
                  "Cannot read '%s' row %s: tensor '%s': ",
                  file, firstRow < 0 ? "?" : Long.toString(firstRow + row), tensor)
              + e.getMessage()
              + rows.source().hint());
    }
    int present = count;
    if (hasNull) {
      present = 0;
      for (int i = 0; i < count; i++) {
        if (!isNull[i]) {
          values[present++] = values[i];
        }
      }
    }
    sink.accept(tensor, values, 0, present);
    if (present < count) {
      sink.nulls(tensor, count - present, 0);
    }
  }
}
