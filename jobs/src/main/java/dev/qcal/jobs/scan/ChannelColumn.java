package dev.qcal.jobs.scan;

import dev.qcal.core.channel.ChannelSplit;
import dev.qcal.jobs.dump.ChannelSource;
import java.util.Arrays;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * The channel or shape column of a row group for {@link PageDecoder}: each row's channel (an
 * integer column) or shape (a list of integers). A few integers per row, so it goes through
 * parquet-java's generic column reader. A row whose channel or shape cannot be used (null, a null
 * dimension, out of range) keeps the reason, which becomes an error only if the row belongs to a
 * per-channel tensor ({@link #split}, {@link #channel}).
 */
final class ChannelColumn {
  private final ChannelSource source;
  private long[] channels = new long[0];
  private long[][] shapes = new long[0][];
  private String[] problems = new String[0];

  // Per file: the column's leaf, and whether the list and its element are optional (shape).
  private ColumnDescriptor leaf;
  private boolean listOptional;
  private boolean elementOptional;

  ChannelColumn(ChannelSource source) {
    this.source = source;
  }

  /** Where the channels come from. */
  ChannelSource source() {
    return source;
  }

  /** The column's name. */
  String name() {
    return source.column();
  }

  /** The next file's column: its leaf, and whether the list and its element are optional. */
  void file(ColumnDescriptor leaf, boolean listOptional, boolean elementOptional) {
    this.leaf = leaf;
    this.listOptional = listOptional;
    this.elementOptional = elementOptional;
  }

  /** Reads every row's channel or shape of the row group. */
  // getTotalValueCount() (deprecated without a replacement on ColumnReader) bounds the list walk:
  // the last row's entries end where the column chunk's values do.
  @SuppressWarnings("deprecation")
  void read(PageReadStore group, MessageType requested, String createdBy, int count) {
    ColumnDescriptor column = leaf;
    if (problems.length < count) {
      int n = Math.max(count, problems.length * 2);
      channels = new long[n];
      shapes = new long[n][];
      problems = new String[n];
    }
    ColumnReader reader =
        new ColumnReadStoreImpl(
                group,
                new TensorNameColumn.IgnoringConverter(column.getPath().length),
                requested,
                createdBy)
            .getColumnReader(column);
    boolean ints = column.getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.INT32;
    int max = column.getMaxDefinitionLevel();
    long left = reader.getTotalValueCount();
    if (source.kind() == ChannelSource.Kind.COLUMN) {
      for (int i = 0; i < count; i++) {
        problems[i] = null;
        if (reader.getCurrentDefinitionLevel() == max) {
          channels[i] = ints ? reader.getInteger() : reader.getLong();
        } else {
          problems[i] = "the channel is null";
        }
        reader.consume();
      }
      return;
    }
    // A list: its first entry (repetition level 0) starts the row; level 0 of an optional list is
    // a null list, max - 1 of an optional element a null dimension, anything else below max an
    // empty list.
    long[] dims = new long[8];
    for (int i = 0; i < count; i++) {
      problems[i] = null;
      int n = 0;
      boolean first = true;
      while (left > 0 && (first || reader.getCurrentRepetitionLevel() > 0)) {
        int level = reader.getCurrentDefinitionLevel();
        if (level == max) {
          if (n == dims.length) {
            dims = Arrays.copyOf(dims, 2 * n);
          }
          dims[n++] = ints ? reader.getInteger() : reader.getLong();
        } else if (first && level == 0 && listOptional) {
          problems[i] = "the shape is null";
        } else if (level == max - 1 && elementOptional && problems[i] == null) {
          problems[i] = "the shape has a null dimension";
        }
        first = false;
        reader.consume();
        left--;
      }
      shapes[i] = Arrays.copyOf(dims, n);
    }
  }

  /**
   * The split of row {@code i} (shape column) holding {@code valueCount} values.
   *
   * @throws IllegalArgumentException saying what is wrong with the row's shape
   */
  ChannelSplit split(int i, int valueCount) {
    if (problems[i] != null) {
      throw new IllegalArgumentException(problems[i]);
    }
    return ChannelSplit.of(shapes[i], source.axis(), valueCount);
  }

  /**
   * The channel of row {@code i} (channel column).
   *
   * @throws IllegalArgumentException if it is null or out of range
   */
  int channel(int i) {
    if (problems[i] != null) {
      throw new IllegalArgumentException(problems[i]);
    }
    long c = channels[i];
    if (c < 0 || c >= ChannelSplit.MAX_CHANNELS) {
      throw new IllegalArgumentException(
          String.format("channel %d is not in [0, %d)", c, ChannelSplit.MAX_CHANNELS));
    }
    return (int) c;
  }
}
